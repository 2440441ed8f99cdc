/*
 * demo_world.c: the demo account's Bedrock (control plane and runtime)
 * and Access Analyzer, answering from the shipped catalog and the
 * account's state (see demo.h for the scenarios).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "catalog.h"
#include "crypto.h"
#include "demo.h"
#include "demo_world.h"
#include "eventstream.h"
#include "hdr.h"
#include "http.h"
#include "json.h"
#include "xalloc.h"

#define INVALID_ID	"The provided model identifier is invalid."
#define ON_DEMAND	"Invocation of model ID %s with on-demand throughput " \
	"isn\xe2\x80\x99t supported. Retry your request with the ID or ARN of " \
	"an inference profile that contains this model."
#define FTU		"Model use case details have not been submitted for " \
	"this account. Fill out the Anthropic use case details form before " \
	"using the model."
#define LEGACY		"Access denied. This Model is marked by provider as " \
	"Legacy and you have not been actively using the model in the last " \
	"30 days. Please upgrade to an active model on Amazon Bedrock"
#define THROTTLED	"Too many tokens per day, please wait before trying " \
	"again."
#define DEFAULT_PAGE	25
#define MAX_PREFIXES	16

/* ---- helpers ---- */

/* The decoded path segment after prefix, when it is the whole rest. */
static char *
segment(const char *path, const char *prefix, const char *suffix)
{
	size_t	 pl = strlen(prefix), sl = strlen(suffix), n;

	if (strncmp(path, prefix, pl) != 0)
		return NULL;
	path += pl;
	n = strlen(path);
	if (n <= sl || strcmp(path + n - sl, suffix) != 0)
		return NULL;
	n -= sl;
	if (memchr(path, '/', n) != NULL)
		return NULL;
	return demo_decode(path, n, 0);
}

static void
fm_arn(const struct demo *d, const char *region, const char *id, char *out,
    size_t size)
{
	snprintf(out, size, "arn:%s:bedrock:%s::foundation-model/%s",
	    catalog_partition_of(d->cat, region), region, id);
}

static void
profile_arn(const struct demo *d, const char *region, const char *id,
    char *out, size_t size)
{
	snprintf(out, size, "arn:%s:bedrock:%s:" DEMO_ACCOUNT
	    ":inference-profile/%s", catalog_partition_of(d->cat, region),
	    region, id);
}

/* 0 when allowed; else the 403 is answered. */
static int
iam_check(struct demo_call *c, const char *action, const char *resource)
{
	char	*msg;

	if (demo_allowed(c->d, action))
		return 0;
	msg = demo_denial(c->d, action, resource);
	demo_reply_error_key(c, 403, "AccessDeniedException", msg, "Message");
	free(msg);
	return -1;
}

static size_t
profiles_from(const struct demo *d, const char *region,
    const struct catalog_model *m, const struct catalog_prefix **out)
{
	size_t	 n;

	n = catalog_model_profiles_for(d->cat, region, m->id, out,
	    MAX_PREFIXES);
	return n > MAX_PREFIXES ? MAX_PREFIXES : n;
}

static int
callable(const struct demo *d, const char *region,
    const struct catalog_model *m)
{
	const struct catalog_prefix	*p[MAX_PREFIXES];

	return catalog_model_in_region(m, region) ||
	    profiles_from(d, region, m, p) > 0;
}

/* The model a bare id or a foundation-model ARN of this Region names. */
static const struct catalog_model *
model_by_ident(const struct demo *d, const char *region, const char *ident)
{
	const struct catalog_model	*m;
	char				 arn[512];

	if (strncmp(ident, "arn:", 4) == 0) {
		const char *slash = strstr(ident, ":foundation-model/");

		if (slash == NULL)
			return NULL;
		m = catalog_model(d->cat, slash + 18);
		if (m == NULL)
			return NULL;
		fm_arn(d, region, m->id, arn, sizeof arn);
		if (strcmp(arn, ident) != 0)
			return NULL;
	} else
		m = catalog_model(d->cat, ident);
	if (m == NULL || !callable(d, region, m))
		return NULL;
	return m;
}

/*
 * The system-defined profile an id or ARN names, callable from region:
 * sets *m and *prefix and the bare profile id in id_out.
 */
static int
profile_by_ident(const struct demo *d, const char *region, const char *ident,
    const struct catalog_model **m, const struct catalog_prefix **prefix,
    char *id_out, size_t size)
{
	const struct catalog_prefix	*p, *ps[MAX_PREFIXES];
	const char			*id = ident;
	char				 arn[512];
	size_t				 n, i;

	if (strncmp(ident, "arn:", 4) == 0) {
		const char *slash = strstr(ident, ":inference-profile/");

		if (slash == NULL)
			return -1;
		id = slash + 19;
		profile_arn(d, region, id, arn, sizeof arn);
		if (strcmp(arn, ident) != 0)
			return -1;
	}
	p = catalog_prefix_of_profile(d->cat, id);
	if (p == NULL)
		return -1;
	*m = catalog_model(d->cat, id + strlen(p->prefix) + 1);
	if (*m == NULL)
		return -1;
	n = profiles_from(d, region, *m, ps);
	for (i = 0; i < n; i++)
		if (ps[i] == p) {
			*prefix = p;
			snprintf(id_out, size, "%s", id);
			return 0;
		}
	return -1;
}

static struct json *
strs(const struct catalog_strs *s)
{
	struct json	*a = json_new_array();
	size_t		 i;

	for (i = 0; i < s->n; i++)
		json_push_str(a, s->v[i]);
	return a;
}

static struct json *
model_summary(const struct demo *d, const char *region,
    const struct catalog_model *m)
{
	const struct catalog_prefix	*p[MAX_PREFIXES];
	struct json			*o = json_new_object(), *t, *lc;
	char				 arn[512];

	fm_arn(d, region, m->id, arn, sizeof arn);
	json_set_str(o, "modelArn", arn);
	json_set_str(o, "modelId", m->id);
	json_set_str(o, "modelName", m->name);
	json_set_str(o, "providerName", m->provider);
	json_set(o, "inputModalities", strs(&m->input));
	json_set(o, "outputModalities", strs(&m->output));
	json_set_bool(o, "responseStreamingSupported", m->streaming);
	json_set(o, "customizationsSupported", json_new_array());
	t = json_new_array();
	if (catalog_model_in_region(m, region))
		json_push_str(t, "ON_DEMAND");
	if (profiles_from(d, region, m, p) > 0)
		json_push_str(t, "INFERENCE_PROFILE");
	json_set(o, "inferenceTypesSupported", t);
	lc = json_new_object();
	json_set_str(lc, "status", m->lifecycle != NULL ? m->lifecycle :
	    "ACTIVE");
	json_set(o, "modelLifecycle", lc);
	return o;
}

static int
one_of(const char *v, const char *const *allowed)
{
	for (; *allowed != NULL; allowed++)
		if (strcmp(v, *allowed) == 0)
			return 1;
	return 0;
}

/* 0 if the parameter is absent or in the enum; else answers 400. */
static int
check_enum(struct demo_call *c, const char *name, const char *value,
    const char *const *allowed, const char *listed)
{
	char	 msg[512];

	if (value == NULL || one_of(value, allowed))
		return 0;
	snprintf(msg, sizeof msg, "1 validation error detected: Value '%.100s'"
	    " at '%s' failed to satisfy constraint: Member must satisfy enum "
	    "value set: [%s]", value, name, listed);
	demo_reply_error(c, 400, "ValidationException", msg);
	return -1;
}

enum demo_agreement
demo_world_agreement(const struct demo *d, const struct catalog_model *m)
{
	const struct catalog_provider	*p;
	size_t				 i;

	p = catalog_provider(d->cat, m->provider);
	if (p == NULL || !p->needs_marketplace)
		return DEMO_AGR_AVAILABLE;
	for (i = 0; i < d->nagreements; i++)
		if (strcmp(d->agreements[i].model, m->id) == 0)
			return d->agreements[i].state;
	return d->kind == DEMO_TERMS_PENDING ? DEMO_AGR_NOT_AVAILABLE :
	    DEMO_AGR_AVAILABLE;
}

static void
set_agreement(struct demo *d, const char *model, enum demo_agreement st)
{
	size_t	 i;

	for (i = 0; i < d->nagreements; i++)
		if (strcmp(d->agreements[i].model, model) == 0) {
			d->agreements[i].state = st;
			return;
		}
	d->agreements = xreallocarray(d->agreements, d->nagreements + 1,
	    sizeof *d->agreements);
	d->agreements[d->nagreements].model = xstrdup(model);
	d->agreements[d->nagreements].state = st;
	d->nagreements++;
}

static struct json *
body_json(struct demo_call *c)
{
	struct json	*j = NULL;

	if (c->req->body_len > 0)
		j = json_parse(c->req->body, c->req->body_len, NULL);
	if (j == NULL || !json_is_object(j)) {
		json_free(j);
		demo_reply_error(c, 400, "SerializationException", "Start of "
		    "structure or map found where not expected.");
		return NULL;
	}
	return j;
}

/* ---- ListFoundationModels, GetFoundationModel, availability ---- */

static const char *const modalities[] = { "TEXT", "IMAGE", "EMBEDDING",
    NULL };
static const char *const itypes[] = { "ON_DEMAND", "PROVISIONED", NULL };
static const char *const ctypes[] = { "FINE_TUNING",
    "CONTINUED_PRE_TRAINING", "DISTILLATION", NULL };

static int
provider_valid(const char *s)
{
	size_t	 n = strlen(s);

	if (n < 1 || n > 63)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == ' '))
			return 0;
	return 1;
}

static int
strs_has(const struct catalog_strs *s, const char *v)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], v) == 0)
			return 1;
	return 0;
}

static void
list_models(struct demo_call *c)
{
	const struct catalog_model	**ms;
	char				*prov, *mod, *it, *ct, msg[256];
	struct json			*o, *a;
	size_t				 n, i;

	prov = demo_query_param(c->query, "byProvider");
	mod = demo_query_param(c->query, "byOutputModality");
	it = demo_query_param(c->query, "byInferenceType");
	ct = demo_query_param(c->query, "byCustomizationType");
	if (prov != NULL && !provider_valid(prov)) {
		snprintf(msg, sizeof msg, "1 validation error detected: Value "
		    "'%.64s' at 'byProvider' failed to satisfy constraint: "
		    "Member must satisfy regular expression pattern: "
		    "[A-Za-z0-9- ]{1,63}", prov);
		demo_reply_error(c, 400, "ValidationException", msg);
		goto done;
	}
	if (check_enum(c, "byOutputModality", mod, modalities,
	    "TEXT, IMAGE, EMBEDDING") != 0 ||
	    check_enum(c, "byInferenceType", it, itypes,
	    "ON_DEMAND, PROVISIONED") != 0 ||
	    check_enum(c, "byCustomizationType", ct, ctypes,
	    "FINE_TUNING, CONTINUED_PRE_TRAINING, DISTILLATION") != 0)
		goto done;
	if (iam_check(c, "bedrock:ListFoundationModels", "*") != 0)
		goto done;
	n = catalog_models_in_region(c->d->cat, c->region, 0, NULL, 0);
	ms = xcalloc(n + 1, sizeof *ms);
	n = catalog_models_in_region(c->d->cat, c->region, 0, ms, n);
	o = json_new_object();
	a = json_new_array();
	for (i = 0; i < n; i++) {
		const struct catalog_model *m = ms[i];

		if (prov != NULL && strcasecmp(prov, m->provider) != 0)
			continue;
		if (mod != NULL && !strs_has(&m->output, mod))
			continue;
		if (it != NULL && (strcmp(it, "ON_DEMAND") != 0 ||
		    !catalog_model_in_region(m, c->region)))
			continue;
		if (ct != NULL)
			continue;	/* no model here is customizable */
		json_push(a, model_summary(c->d, c->region, m));
	}
	json_set(o, "modelSummaries", a);
	demo_reply_json(c, 200, o, 8 + (double)json_len(a) / 4);
	json_free(o);
	free(ms);
done:
	free(prov);
	free(mod);
	free(it);
	free(ct);
}

static void
get_model(struct demo_call *c, const char *ident)
{
	const struct catalog_model	*m;
	struct json			*o;
	char				 arn[512];

	m = model_by_ident(c->d, c->region, ident);
	if (m == NULL) {
		demo_reply_error(c, 404, "ResourceNotFoundException", "Could not "
		    "resolve the foundation model from the provided model "
		    "identifier.");
		return;
	}
	fm_arn(c->d, c->region, m->id, arn, sizeof arn);
	if (iam_check(c, "bedrock:GetFoundationModel", arn) != 0)
		return;
	o = json_new_object();
	json_set(o, "modelDetails", model_summary(c->d, c->region, m));
	demo_reply_json(c, 200, o, 15);
	json_free(o);
}

static const char *const agreement_names[] = {
	[DEMO_AGR_AVAILABLE] = "AVAILABLE",
	[DEMO_AGR_PENDING] = "PENDING",
	[DEMO_AGR_NOT_AVAILABLE] = "NOT_AVAILABLE",
};

static void
availability(struct demo_call *c, const char *id)
{
	const struct catalog_model	*m = catalog_model(c->d->cat, id);
	struct json			*o, *a;
	char				 msg[512];

	if (m == NULL) {
		snprintf(msg, sizeof msg, "The model %.300s was not found.", id);
		demo_reply_error(c, 404, "ResourceNotFoundException", msg);
		return;
	}
	if (iam_check(c, "bedrock:GetFoundationModelAvailability", "*") != 0)
		return;
	o = json_new_object();
	json_set_str(o, "modelId", m->id);
	a = json_new_object();
	json_set_str(a, "status",
	    agreement_names[demo_world_agreement(c->d, m)]);
	json_set(o, "agreementAvailability", a);
	json_set_str(o, "authorizationStatus", "AUTHORIZED");
	json_set_str(o, "entitlementAvailability", "AVAILABLE");
	json_set_str(o, "regionAvailability",
	    callable(c->d, c->region, m) ? "AVAILABLE" : "NOT_AVAILABLE");
	demo_reply_json(c, 200, o, 20);
	json_free(o);
}

/* ---- inference profiles ---- */

struct profile_ref {
	char				 id[256];
	const struct catalog_model	*m;
	const struct catalog_prefix	*p;
};

static int
ref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct profile_ref *)a)->id,
	    ((const struct profile_ref *)b)->id);
}

static struct profile_ref *
profiles_in(const struct demo *d, const char *region, size_t *np)
{
	const struct catalog_prefix	*ps[MAX_PREFIXES];
	struct profile_ref		*v = NULL;
	size_t				 i, j, k, n = 0;

	for (i = 0; i < catalog_model_count(d->cat); i++) {
		const struct catalog_model *m = catalog_model_at(d->cat, i);

		k = profiles_from(d, region, m, ps);
		for (j = 0; j < k; j++) {
			v = xreallocarray(v, n + 1, sizeof *v);
			catalog_profile_id(ps[j]->prefix, m->id, v[n].id,
			    sizeof v[n].id);
			v[n].m = m;
			v[n].p = ps[j];
			n++;
		}
	}
	if (n > 0)
		qsort(v, n, sizeof *v, ref_cmp);
	*np = n;
	return v;
}

static struct json *
profile_summary(const struct demo *d, const char *region,
    const struct profile_ref *r)
{
	const struct catalog_model_profile *mp;
	struct json	*o = json_new_object(), *models, *one;
	char		 name[256], arn[512], upper[32];
	size_t		 i;

	for (i = 0; r->p->prefix[i] != '\0' && i + 1 < sizeof upper; i++)
		upper[i] = (char)(r->p->prefix[i] >= 'a' &&
		    r->p->prefix[i] <= 'z' ? r->p->prefix[i] - 32 :
		    r->p->prefix[i]);
	upper[i] = '\0';
	snprintf(name, sizeof name, "%s %s %s", upper, r->m->provider,
	    r->m->name);
	json_set_str(o, "inferenceProfileName", name);
	snprintf(name, sizeof name, "Routes requests to %s %s in %s.",
	    r->m->provider, r->m->name, r->p->name);
	json_set_str(o, "description", name);
	json_set_str(o, "createdAt", "2025-06-01T00:00:00Z");
	json_set_str(o, "updatedAt", "2025-06-01T00:00:00Z");
	profile_arn(d, region, r->id, arn, sizeof arn);
	json_set_str(o, "inferenceProfileArn", arn);
	models = json_new_array();
	mp = catalog_model_profile(r->m, r->p->prefix);
	if (r->p->region_less || mp == NULL) {
		one = json_new_object();
		snprintf(arn, sizeof arn, "arn:%s:bedrock:::foundation-model/%s",
		    catalog_partition_of(d->cat, region), r->m->id);
		json_set_str(one, "modelArn", arn);
		json_push(models, one);
	} else
		for (i = 0; i < mp->sources.n; i++) {
			one = json_new_object();
			fm_arn(d, mp->sources.v[i], r->m->id, arn, sizeof arn);
			json_set_str(one, "modelArn", arn);
			json_push(models, one);
		}
	json_set(o, "models", models);
	json_set_str(o, "inferenceProfileId", r->id);
	json_set_str(o, "status", "ACTIVE");
	json_set_str(o, "type", "SYSTEM_DEFINED");
	return o;
}

/* Page tokens: URL-safe base64 of "demo-page:OFFSET:TYPE". */
static char *
page_token(size_t offset, const char *type)
{
	struct buf	 raw, b;
	char		*s;
	size_t		 i;

	buf_init(&raw, 0);
	buf_printf(&raw, "demo-page:%zu:%s", offset, type != NULL ? type : "");
	buf_init(&b, 0);
	crypto_base64_encode(raw.data, raw.len, &b);
	buf_free(&raw);
	s = buf_take(&b, NULL);
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] == '+')
			s[i] = '-';
		else if (s[i] == '/')
			s[i] = '_';
		else if (s[i] == '=')
			s[i] = '\0';
	return s;
}

static int
page_offset(const char *tok, const char *type, size_t *offset)
{
	struct buf	 in, out;
	char		 want[64];
	size_t		 i, wl;
	char		*end;
	unsigned long	 v;
	int		 r = -1;

	buf_init(&in, 4096);
	buf_init(&out, 4096);
	for (i = 0; tok[i] != '\0'; i++)
		if (buf_addc(&in, tok[i] == '-' ? '+' : tok[i] == '_' ? '/' :
		    tok[i]) != 0)
			goto out;
	while (in.len % 4 != 0)
		buf_addc(&in, '=');
	if (crypto_base64_decode(in.data != NULL ? in.data : "", in.len,
	    &out) != 0 || out.len < 11 ||
	    strncmp(buf_str(&out), "demo-page:", 10) != 0)
		goto out;
	v = strtoul(buf_str(&out) + 10, &end, 10);
	snprintf(want, sizeof want, ":%s", type != NULL ? type : "");
	wl = strlen(want);
	if (end == buf_str(&out) + 10 || strlen(end) != wl ||
	    strcmp(end, want) != 0)
		goto out;
	*offset = v;
	r = 0;
out:
	buf_free(&in);
	buf_free(&out);
	return r;
}

static const char *const ptypes[] = { "SYSTEM_DEFINED", "APPLICATION",
    NULL };

static void
list_profiles(struct demo_call *c)
{
	struct profile_ref	*v = NULL;
	char			*type, *max, *tok, *end, msg[256];
	struct json		*o, *a;
	size_t			 n = 0, start = 0, size = DEFAULT_PAGE, i;
	long			 l;

	type = demo_query_param(c->query, "type");
	max = demo_query_param(c->query, "maxResults");
	tok = demo_query_param(c->query, "nextToken");
	if (check_enum(c, "typeEquals", type, ptypes,
	    "SYSTEM_DEFINED, APPLICATION") != 0)
		goto done;
	if (max != NULL) {
		l = strtol(max, &end, 10);
		if (*max == '\0' || *end != '\0' || l < 1 || l > 1000) {
			snprintf(msg, sizeof msg, "1 validation error detected: "
			    "Value '%.20s' at 'maxResults' failed to satisfy "
			    "constraint: Member must have value between 1 and "
			    "1000", max);
			demo_reply_error(c, 400, "ValidationException", msg);
			goto done;
		}
		size = (size_t)l;
	}
	if (tok != NULL && page_offset(tok, type, &start) != 0) {
		demo_reply_error(c, 400, "ValidationException", "The provided "
		    "pagination token is invalid.");
		goto done;
	}
	if (iam_check(c, "bedrock:ListInferenceProfiles", "*") != 0)
		goto done;
	if (type == NULL || strcmp(type, "SYSTEM_DEFINED") == 0)
		v = profiles_in(c->d, c->region, &n);
	o = json_new_object();
	a = json_new_array();
	for (i = start; i < n && i < start + size; i++)
		json_push(a, profile_summary(c->d, c->region, &v[i]));
	json_set(o, "inferenceProfileSummaries", a);
	if (start + size < n) {
		char *next = page_token(start + size, type);

		json_set_str(o, "nextToken", next);
		free(next);
	}
	demo_reply_json(c, 200, o, 8 + (double)json_len(a) / 4);
	json_free(o);
done:
	free(v);
	free(type);
	free(max);
	free(tok);
}

static void
get_profile(struct demo_call *c, const char *ident)
{
	struct profile_ref	 r;
	struct json		*o;
	char			 arn[512], msg[512];

	if (profile_by_ident(c->d, c->region, ident, &r.m, &r.p, r.id,
	    sizeof r.id) != 0) {
		snprintf(msg, sizeof msg, "The specified inference profile "
		    "%.300s was not found.", ident);
		demo_reply_error(c, 404, "ResourceNotFoundException", msg);
		return;
	}
	profile_arn(c->d, c->region, r.id, arn, sizeof arn);
	if (iam_check(c, "bedrock:GetInferenceProfile", arn) != 0)
		return;
	o = profile_summary(c->d, c->region, &r);
	demo_reply_json(c, 200, o, 15);
	json_free(o);
}

/* ---- agreements ---- */

static char *
offer_token(const struct catalog_model *m)
{
	struct buf	 raw, b;

	buf_init(&raw, 0);
	buf_printf(&raw, "demo-offer:%s:%08lx", m->id, demo_hash(m->id, 7));
	buf_init(&b, 0);
	crypto_base64_encode(raw.data, raw.len, &b);
	buf_free(&raw);
	return buf_take(&b, NULL);
}

static int
marketplace(const struct demo *d, const struct catalog_model *m)
{
	const struct catalog_provider *p = catalog_provider(d->cat,
	    m->provider);

	return p != NULL && p->needs_marketplace;
}

static struct json *
offer(const struct catalog_model *m)
{
	struct json	*o = json_new_object(), *td, *u, *rc, *rate, *t;
	char		*tok = offer_token(m), id[64];

	snprintf(id, sizeof id, "offer-demo%08lx", demo_hash(m->id, 3));
	json_set_str(o, "offerId", id);
	json_set_str(o, "offerToken", tok);
	free(tok);
	td = json_new_object();
	u = json_new_object();
	rc = json_new_array();
	rate = json_new_object();
	json_set_str(rate, "dimension", "input_tokens");
	json_set_str(rate, "price", "0.001");
	json_set_str(rate, "description", "Price per 1,000 input tokens "
	    "(demo account: nothing is charged)");
	json_set_str(rate, "unit", "1K tokens");
	json_push(rc, rate);
	rate = json_new_object();
	json_set_str(rate, "dimension", "output_tokens");
	json_set_str(rate, "price", "0.005");
	json_set_str(rate, "description", "Price per 1,000 output tokens "
	    "(demo account: nothing is charged)");
	json_set_str(rate, "unit", "1K tokens");
	json_push(rc, rate);
	json_set(u, "rateCard", rc);
	json_set(td, "usageBasedPricingTerm", u);
	t = json_new_object();
	json_set_str(t, "url", "https://aws.amazon.com/legal/bedrock/"
	    "third-party-models/");
	json_set(td, "legalTerm", t);
	t = json_new_object();
	json_set_str(t, "refundPolicyDescription", "No refunds for "
	    "usage-based charges.");
	json_set(td, "supportTerm", t);
	t = json_new_object();
	json_set_str(t, "agreementDuration", "P1Y");
	json_set(td, "validityTerm", t);
	json_set(o, "termDetails", td);
	return o;
}

static const char *const otypes[] = { "ALL", "PUBLIC", NULL };

static void
list_offers(struct demo_call *c, const char *id)
{
	const struct catalog_model	*m = catalog_model(c->d->cat, id);
	char				*ot, msg[512];
	struct json			*o, *a;

	ot = demo_query_param(c->query, "offerType");
	if (check_enum(c, "offerType", ot, otypes, "ALL, PUBLIC") != 0)
		goto done;
	if (m == NULL || !callable(c->d, c->region, m)) {
		snprintf(msg, sizeof msg, "The model %.300s was not found.", id);
		demo_reply_error(c, 404, "ResourceNotFoundException", msg);
		goto done;
	}
	if (iam_check(c, "bedrock:ListFoundationModelAgreementOffers",
	    "*") != 0)
		goto done;
	o = json_new_object();
	json_set_str(o, "modelId", m->id);
	a = json_new_array();
	if (marketplace(c->d, m))
		json_push(a, offer(m));
	json_set(o, "offers", a);
	demo_reply_json(c, 200, o, 25);
	json_free(o);
done:
	free(ot);
}

static void
create_agreement(struct demo_call *c)
{
	const struct catalog_model	*m;
	struct json			*b;
	const char			*tok, *id;
	char				*want, msg[512];

	if ((b = body_json(c)) == NULL)
		return;
	tok = json_get_str(b, "offerToken");
	id = json_get_str(b, "modelId");
	if (tok == NULL || id == NULL) {
		snprintf(msg, sizeof msg, "1 validation error detected: Value "
		    "null at '%s' failed to satisfy constraint: Member must not "
		    "be null", tok == NULL ? "offerToken" : "modelId");
		demo_reply_error(c, 400, "ValidationException", msg);
		goto done;
	}
	if (iam_check(c, "bedrock:CreateFoundationModelAgreement", "*") != 0 ||
	    iam_check(c, "aws-marketplace:Subscribe", "*") != 0)
		goto done;
	m = catalog_model(c->d->cat, id);
	if (m == NULL || !callable(c->d, c->region, m)) {
		snprintf(msg, sizeof msg, "The model %.300s was not found.", id);
		demo_reply_error(c, 404, "ResourceNotFoundException", msg);
		goto done;
	}
	want = offer_token(m);
	if (!marketplace(c->d, m) || strcmp(want, tok) != 0) {
		demo_reply_error(c, 400, "ValidationException", "The provided "
		    "offer token is invalid.");
		free(want);
		goto done;
	}
	free(want);
	if (demo_world_agreement(c->d, m) != DEMO_AGR_AVAILABLE)
		set_agreement(c->d, m->id, c->d->kind == DEMO_TERMS_PENDING ?
		    DEMO_AGR_PENDING : DEMO_AGR_AVAILABLE);
	json_free(b);
	b = json_new_object();
	json_set_str(b, "modelId", m->id);
	demo_reply_json(c, 202, b, 90);
done:
	json_free(b);
}

/* ---- the Anthropic use-case form ---- */

static const struct {
	const char	*key;
	size_t		 max;
	int		 required;
} form_fields[] = {
	{ "companyName", 128, 1 },
	{ "companyWebsite", 128, 1 },
	{ "intendedUsers", 1, 1 },
	{ "industryOption", 128, 1 },
	{ "otherIndustryOption", 128, 0 },
	{ "useCases", 8192, 1 },
};

/* NULL when the form is fine, else why not (static or in msg). */
static const char *
form_problem(const char *b64, char *msg, size_t size)
{
	struct buf	 raw;
	struct json	*f = NULL;
	const char	*why = NULL;
	size_t		 i, j;

	buf_init(&raw, 64 * 1024);
	if (crypto_base64_decode(b64, strlen(b64), &raw) != 0) {
		why = "formData must be base64-encoded.";
		goto out;
	}
	if (raw.len < 10 || raw.len > 16384) {
		why = raw.len < 10 ? "1 validation error detected: Value at "
		    "'formData' failed to satisfy constraint: Member must have "
		    "length greater than or equal to 10" : "1 validation error "
		    "detected: Value at 'formData' failed to satisfy constraint: "
		    "Member must have length less than or equal to 16384";
		goto out;
	}
	f = json_parse(raw.data, raw.len, NULL);
	if (f == NULL || !json_is_object(f)) {
		why = "formData must be a JSON object.";
		goto out;
	}
	for (i = 0; i < json_len(f); i++) {
		const struct json *v = json_at(f, i);
		const char *k = json_key(v);

		for (j = 0; j < sizeof form_fields / sizeof form_fields[0]; j++)
			if (strcmp(form_fields[j].key, k) == 0)
				break;
		if (j == sizeof form_fields / sizeof form_fields[0]) {
			snprintf(msg, size, "formData has an unknown field: "
			    "%.100s.", k);
			why = msg;
			goto out;
		}
		if (!json_is_string(v) ||
		    strlen(json_str(v)) > form_fields[j].max) {
			snprintf(msg, size, "formData field %s must be a "
			    "string of at most %zu characters.", k,
			    form_fields[j].max);
			why = msg;
			goto out;
		}
	}
	for (j = 0; j < sizeof form_fields / sizeof form_fields[0]; j++) {
		const char *v = json_get_str(f, form_fields[j].key);

		if (form_fields[j].required && (v == NULL || *v == '\0')) {
			snprintf(msg, size, "formData field %s is required.",
			    form_fields[j].key);
			why = msg;
			goto out;
		}
	}
	if (strchr("012", *json_get_str(f, "intendedUsers")) == NULL)
		why = "formData field intendedUsers must be \"0\", \"1\" or "
		    "\"2\".";
out:
	json_free(f);
	buf_free(&raw);
	return why;
}

static void
use_case(struct demo_call *c, int put)
{
	struct json	*o, *b;
	const char	*fd, *why;
	char		 msg[256];

	if (!put) {
		if (iam_check(c, "bedrock:GetUseCaseForModelAccess", "*") != 0)
			return;
		if (!c->d->form_submitted) {
			demo_reply_error(c, 404, "ResourceNotFoundException",
			    "Model use case details have not been submitted "
			    "for this account.");
			return;
		}
		o = json_new_object();
		json_set_str(o, "formData", c->d->form_b64);
		demo_reply_json(c, 200, o, 20);
		json_free(o);
		return;
	}
	if ((b = body_json(c)) == NULL)
		return;
	if (iam_check(c, "bedrock:PutUseCaseForModelAccess", "*") != 0)
		goto done;
	fd = json_get_str(b, "formData");
	if (fd == NULL) {
		demo_reply_error(c, 400, "ValidationException", "1 validation "
		    "error detected: Value null at 'formData' failed to satisfy "
		    "constraint: Member must not be null");
		goto done;
	}
	if ((why = form_problem(fd, msg, sizeof msg)) != NULL) {
		demo_reply_error(c, 400, "ValidationException", why);
		goto done;
	}
	free(c->d->form_b64);
	c->d->form_b64 = xstrdup(fd);
	c->d->form_submitted = 1;
	o = json_new_object();
	demo_reply_json(c, 201, o, 60);
	json_free(o);
done:
	json_free(b);
}

void
demo_world_bedrock(struct demo_call *c)
{
	const char	*m = c->req->method, *p = c->path;
	char		*id;
	int		 get = strcmp(m, "GET") == 0;
	int		 post = strcmp(m, "POST") == 0;

	if (get && strcmp(p, "/foundation-models") == 0)
		list_models(c);
	else if (get && (id = segment(p, "/foundation-models/", "")) != NULL) {
		get_model(c, id);
		free(id);
	} else if (get && (id = segment(p, "/foundation-model-availability/",
	    "")) != NULL) {
		availability(c, id);
		free(id);
	} else if (get && strcmp(p, "/inference-profiles") == 0)
		list_profiles(c);
	else if (get && (id = segment(p, "/inference-profiles/", "")) !=
	    NULL) {
		get_profile(c, id);
		free(id);
	} else if (get && (id = segment(p,
	    "/list-foundation-model-agreement-offers/", "")) != NULL) {
		list_offers(c, id);
		free(id);
	} else if (post && strcmp(p, "/create-foundation-model-agreement") ==
	    0)
		create_agreement(c);
	else if ((get || post) && strcmp(p, "/use-case-for-model-access") == 0)
		use_case(c, post);
	else
		demo_reply_error(c, 404, "UnknownOperationException", "");
}

/* ---- Converse and ConverseStream ---- */

struct target {
	const struct catalog_model	*m;
	char				 resource[512];	/* for IAM */
};

/* Resolve the path's model id; 0, or -1 with the 400 answered. */
static int
resolve_target(struct demo_call *c, const char *ident, struct target *t)
{
	const struct catalog_prefix	*p;
	char				 pid[256], msg[1024];

	if (profile_by_ident(c->d, c->region, ident, &t->m, &p, pid,
	    sizeof pid) == 0) {
		profile_arn(c->d, c->region, pid, t->resource,
		    sizeof t->resource);
		return 0;
	}
	if (strstr(ident, ":inference-profile/") != NULL ||
	    catalog_prefix_of_profile(c->d->cat, ident) != NULL ||
	    (t->m = model_by_ident(c->d, c->region, ident)) == NULL) {
		demo_reply_error(c, 400, "ValidationException", INVALID_ID);
		return -1;
	}
	if (!catalog_model_in_region(t->m, c->region)) {
		snprintf(msg, sizeof msg, ON_DEMAND, ident);
		demo_reply_error(c, 400, "ValidationException", msg);
		return -1;
	}
	fm_arn(c->d, c->region, t->m->id, t->resource, sizeof t->resource);
	return 0;
}

/* The text of content blocks, joined by spaces, appended to b. */
static size_t
texts(const struct json *blocks, struct buf *b)
{
	size_t	 i, words = 0;

	for (i = 0; i < json_len(blocks); i++) {
		const char *s = json_get_str(json_at(blocks, i), "text");
		const char *p;
		int in = 0;

		if (s == NULL)
			continue;
		if (b != NULL) {
			if (b->len > 0)
				buf_addc(b, ' ');
			buf_addstr(b, s);
		}
		for (p = s; *p != '\0'; p++) {
			if (*p != ' ' && *p != '\n' && *p != '\t') {
				if (!in)
					words++;
				in = 1;
			} else
				in = 0;
		}
	}
	return words;
}

/* Check the body as Bedrock does; -1 with the 400 answered. */
static int
check_body(struct demo_call *c, const struct json *b, long *max_tokens,
    struct buf *prompt, size_t *in_words)
{
	const struct json	*msgs = json_get(b, "messages");
	const struct json	*conf = json_get(b, "inferenceConfig");
	const char		*role, *prev = NULL;
	size_t			 i;
	double			 v;

	if (json_len(msgs) == 0 || !json_is_array(msgs) ||
	    (role = json_get_str(json_at(msgs, 0), "role")) == NULL ||
	    strcmp(role, "user") != 0) {
		demo_reply_error(c, 400, "ValidationException", "A conversation "
		    "must start with a user message. Try again with a "
		    "conversation that starts with a user message.");
		return -1;
	}
	for (i = 0; i < json_len(msgs); i++) {
		role = json_get_str(json_at(msgs, i), "role");
		if (role == NULL || (strcmp(role, "user") != 0 &&
		    strcmp(role, "assistant") != 0) ||
		    (prev != NULL && strcmp(prev, role) == 0)) {
			demo_reply_error(c, 400, "ValidationException", "A "
			    "conversation must alternate between user and "
			    "assistant roles. Make sure the conversation "
			    "alternates between user and assistant roles and "
			    "try again.");
			return -1;
		}
		prev = role;
		*in_words += texts(json_get(json_at(msgs, i), "content"), NULL);
	}
	*in_words += texts(json_get(b, "system"), NULL);
	texts(json_get(json_at(msgs, json_len(msgs) - 1), "content"), prompt);
	*max_tokens = (long)json_get_int(conf, "maxTokens", 0);
	if (json_get(conf, "maxTokens") != NULL && *max_tokens < 1) {
		demo_reply_error(c, 400, "ValidationException", "1 validation "
		    "error detected: Value at 'inferenceConfig.maxTokens' "
		    "failed to satisfy constraint: Member must have value "
		    "greater than or equal to 1");
		return -1;
	}
	v = json_get_num(conf, "temperature", 0);
	if (v < 0 || v > 1 || (v = json_get_num(conf, "topP", 0)) < 0 ||
	    v > 1) {
		demo_reply_error(c, 400, "ValidationException", "1 validation "
		    "error detected: Value at 'inferenceConfig' failed to "
		    "satisfy constraint: temperature and topP must be between "
		    "0 and 1");
		return -1;
	}
	return 0;
}

static int
has_word(const char *hay, const char *needle)
{
	return strcasestr(hay, needle) != NULL;
}

/* A believable answer to prompt, the same every time for the same one. */
static void
compose(const struct demo_call *c, const struct catalog_model *m,
    const char *prompt, size_t in_words, struct buf *out)
{
	const char	*w;
	size_t		 n;

	if ((w = strcasestr(prompt, "single word:")) != NULL) {
		w += 12;
		while (*w == ' ' || *w == '"' || *w == '\'')
			w++;
		n = strcspn(w, " .!?\"'\n");
		if (n > 0 && n < 64) {
			buf_add(out, w, n);
			buf_addc(out, '.');
			return;
		}
	}
	if (has_word(prompt, "who are you") || has_word(prompt, "which model") ||
	    has_word(prompt, "what model"))
		buf_printf(out, "I am a simulated %s (%s) in the demo account, "
		    "Region %s. In a real account, Amazon Bedrock would answer "
		    "here.", m->name, m->provider, c->region);
	else if (has_word(prompt, "haiku") || has_word(prompt, "poem"))
		buf_addstr(out, "Keys signed, Region set,\nthe model answers at "
		    "last:\ndemo skies are clear.");
	else if (has_word(prompt, "story") || has_word(prompt, "explain"))
		buf_printf(out, "Once upon a time, a developer wanted one "
		    "answer from %s. First came the credentials: a profile, a "
		    "key pair, and a call to STS to learn the account. Then the "
		    "Region, chosen for its latency and for where the data may "
		    "live. Then model access, which since 2025 opens on first "
		    "use, with a Marketplace subscription in the background for "
		    "third-party models. Then the provider's terms: an "
		    "agreement offer and, for Anthropic, a short use-case form. "
		    "Last came IAM: bedrock:InvokeModel and "
		    "bedrock:InvokeModelWithResponseStream on the model's ARNs, "
		    "in every Region its profile routes to. When all five gates "
		    "lined up, the answer streamed in, one word at a time, just "
		    "like this one from the demo account in %s.", m->name,
		    c->region);
	else if (has_word(prompt, "joke"))
		buf_addstr(out, "Why did the request sign its path twice? It "
		    "wanted to be double-encoded. (A joke from the demo "
		    "account.)");
	else if (has_word(prompt, "hello") || strncasecmp(prompt, "hi", 2) ==
	    0 || has_word(prompt, "hey"))
		buf_printf(out, "Hello! This is %s answering from the demo "
		    "account in %s. Nothing left your computer: the whole "
		    "conversation is simulated.", m->name, c->region);
	else
		switch (demo_hash(prompt, 11) % 3) {
		case 0:
			buf_printf(out, "This is the demo account answering as "
			    "%s in %s. Your request was signed, sent and "
			    "streamed back like a real Bedrock call; run "
			    "bedrock-setup without --demo to reach the real "
			    "model.", m->name, c->region);
			break;
		case 1:
			buf_printf(out, "A simulated reply from %s: the demo "
			    "account received your %zu-word prompt in %s and "
			    "answered it without leaving this computer.",
			    m->name, in_words, c->region);
			break;
		default:
			buf_printf(out, "Demo account here. In a real account, "
			    "%s would answer this prompt; everything before the "
			    "answer (signing, Region, model access) worked the "
			    "same way.", m->name);
			break;
		}
}

/* Split text into words with their trailing white space. */
static size_t
words_of(const char *text, const char **starts, size_t *lens, size_t max)
{
	const char	*p = text;
	size_t		 n = 0;

	while (*p == ' ' || *p == '\n')
		p++;
	while (*p != '\0' && n < max) {
		starts[n] = p;
		while (*p != '\0' && *p != ' ' && *p != '\n')
			p++;
		while (*p == ' ' || *p == '\n')
			p++;
		lens[n] = (size_t)(p - starts[n]);
		n++;
	}
	return n;
}

static void
add_frame(struct demo_call *c, double delay, const char *event,
    const struct json *payload)
{
	struct es_header	 h[3];
	struct buf		 b;
	char			*text = json_print(payload);

	h[0] = es_hdr_string(":event-type", event);
	h[1] = es_hdr_string(":content-type", "application/json");
	h[2] = es_hdr_string(":message-type", "event");
	buf_init(&b, 0);
	if (es_encode(h, 3, text, strlen(text), &b) == 0)
		http_sim_reply_add(c->r, delay, b.data, b.len);
	buf_free(&b);
	free(text);
}

static struct json *
usage(size_t in, size_t out)
{
	struct json	*u = json_new_object();

	json_set_num(u, "inputTokens", (double)in);
	json_set_num(u, "outputTokens", (double)out);
	json_set_num(u, "totalTokens", (double)(in + out));
	return u;
}

#define MAX_WORDS	512

static void
answer(struct demo_call *c, const struct catalog_model *m, int stream,
    const char *prompt, size_t in_words, long max_tokens)
{
	const char	*starts[MAX_WORDS];
	size_t		 lens[MAX_WORDS], n, i, in_tokens;
	double		 first, delay[MAX_WORDS], model_ms;
	struct buf	 text, cut;
	struct json	*o, *msg, *content, *block, *t;
	const char	*stop = "end_turn";
	unsigned long	 h = demo_hash(prompt, 5);

	buf_init(&text, 64 * 1024);
	compose(c, m, prompt, in_words, &text);
	n = words_of(buf_str(&text), starts, lens, MAX_WORDS);
	if (max_tokens > 0 && (size_t)max_tokens < n) {
		n = (size_t)max_tokens;
		stop = "max_tokens";
	}
	first = 150 + (double)(h % 100);
	model_ms = first;
	for (i = 0; i < n; i++) {
		delay[i] = i == 0 ? 0 : 25 + (double)(demo_hash(starts[i],
		    h + i) % 36);
		model_ms += delay[i];
	}
	in_tokens = in_words + in_words / 3 + 3;
	buf_init(&cut, 64 * 1024);
	for (i = 0; i < n; i++)
		buf_add(&cut, starts[i], lens[i]);
	while (cut.len > 0 && (cut.data[cut.len - 1] == ' ' ||
	    cut.data[cut.len - 1] == '\n'))
		cut.data[--cut.len] = '\0';

	if (!stream) {
		o = json_new_object();
		t = json_new_object();
		msg = json_new_object();
		json_set_str(msg, "role", "assistant");
		content = json_new_array();
		block = json_new_object();
		json_set_str(block, "text", buf_str(&cut));
		json_push(content, block);
		json_set(msg, "content", content);
		json_set(t, "message", msg);
		json_set(o, "output", t);
		json_set_str(o, "stopReason", stop);
		json_set(o, "usage", usage(in_tokens, n));
		t = json_new_object();
		json_set_num(t, "latencyMs", (double)(long)model_ms);
		json_set(o, "metrics", t);
		demo_reply_json(c, 200, o, model_ms);
		json_free(o);
		goto out;
	}
	c->r->status = 200;
	c->r->ttfb_ms = c->net_ms + first;
	demo_reply_headers(c, "application/vnd.amazon.eventstream");
	o = json_new_object();
	json_set_str(o, "role", "assistant");
	add_frame(c, 0, "messageStart", o);
	json_free(o);
	for (i = 0; i < n; i++) {
		struct buf	 piece;

		buf_init(&piece, 0);
		buf_add(&piece, starts[i], lens[i]);
		if (i + 1 == n)
			while (piece.len > 0 &&
			    (piece.data[piece.len - 1] == ' ' ||
			    piece.data[piece.len - 1] == '\n'))
				piece.data[--piece.len] = '\0';
		o = json_new_object();
		json_set_num(o, "contentBlockIndex", 0);
		t = json_new_object();
		json_set_str(t, "text", buf_str(&piece));
		json_set(o, "delta", t);
		add_frame(c, i == 0 ? 5 : delay[i], "contentBlockDelta", o);
		json_free(o);
		buf_free(&piece);
	}
	o = json_new_object();
	json_set_num(o, "contentBlockIndex", 0);
	add_frame(c, 6, "contentBlockStop", o);
	json_free(o);
	o = json_new_object();
	json_set_str(o, "stopReason", stop);
	add_frame(c, 2, "messageStop", o);
	json_free(o);
	o = json_new_object();
	json_set(o, "usage", usage(in_tokens, n));
	t = json_new_object();
	json_set_num(t, "latencyMs", (double)(long)model_ms);
	json_set(o, "metrics", t);
	add_frame(c, 1, "metadata", o);
	json_free(o);
out:
	buf_free(&cut);
	buf_free(&text);
}

void
demo_world_runtime(struct demo_call *c)
{
	struct target	 t;
	struct json	*b = NULL;
	struct buf	 prompt;
	char		*id = NULL;
	const struct catalog_provider *prov;
	size_t		 in_words = 0;
	long		 max_tokens = 0;
	int		 stream = 0;

	buf_init(&prompt, 1024 * 1024);
	if (strcmp(c->req->method, "POST") == 0) {
		if ((id = segment(c->path, "/model/", "/converse")) == NULL &&
		    (id = segment(c->path, "/model/", "/converse-stream")) !=
		    NULL)
			stream = 1;
	}
	if (id == NULL) {
		demo_reply_error(c, 404, "UnknownOperationException", "");
		goto done;
	}
	if (resolve_target(c, id, &t) != 0)
		goto done;
	if (iam_check(c, stream ? "bedrock:InvokeModelWithResponseStream" :
	    "bedrock:InvokeModel", t.resource) != 0)
		goto done;
	if (!t.m->text) {
		demo_reply_error(c, 400, "ValidationException", "This action "
		    "doesn't support the model that you provided. Try again "
		    "with a supported text or chat model.");
		goto done;
	}
	if (catalog_model_is_legacy(t.m)) {
		demo_reply_error(c, 404, "ResourceNotFoundException", LEGACY);
		goto done;
	}
	prov = catalog_provider(c->d->cat, t.m->provider);
	if (prov != NULL && prov->needs_use_case_form &&
	    !c->d->form_submitted) {
		demo_reply_error(c, 404, "ResourceNotFoundException", FTU);
		goto done;
	}
	if (c->d->kind == DEMO_THROTTLED) {
		demo_reply_error(c, 429, "ThrottlingException", THROTTLED);
		goto done;
	}
	if ((b = body_json(c)) == NULL ||
	    check_body(c, b, &max_tokens, &prompt, &in_words) != 0)
		goto done;
	if (stream && !t.m->streaming) {
		demo_reply_error(c, 400, "ValidationException", "The model is "
		    "unsupported for streaming.");
		goto done;
	}
	/* The first call completes the Marketplace subscription. */
	if (demo_world_agreement(c->d, t.m) != DEMO_AGR_AVAILABLE)
		set_agreement(c->d, t.m->id, DEMO_AGR_AVAILABLE);
	answer(c, t.m, stream, buf_str(&prompt), in_words, max_tokens);
done:
	json_free(b);
	free(id);
	buf_free(&prompt);
}

/* ---- Access Analyzer ValidatePolicy ---- */

#define LEARN	"https://docs.aws.amazon.com/IAM/latest/UserGuide/" \
	"access-analyzer-reference-policy-checks.html" \
	"#access-analyzer-reference-policy-checks-"

static struct json *
position(const char *text, size_t off)
{
	struct json	*p = json_new_object();
	size_t		 i, line = 1, col = 0;

	for (i = 0; i < off && text[i] != '\0'; i++) {
		if (text[i] == '\n') {
			line++;
			col = 0;
		} else
			col++;
	}
	json_set_num(p, "line", (double)line);
	json_set_num(p, "column", (double)col);
	json_set_num(p, "offset", (double)off);
	return p;
}

/* path: "Statement", index, "Action", index...; -1 ends, -2 skips. */
static void
finding(struct json *list, const char *text, const char *type,
    const char *code, const char *slug, const char *details,
    const char *needle, const char *key1, long idx1, const char *key2,
    long idx2)
{
	struct json	*f = json_new_object(), *locs, *loc, *path, *span, *e;
	const char	*at = needle != NULL ? strstr(text, needle) : NULL;
	size_t		 start, end;

	if (at == NULL)
		at = text + strspn(text, " \t\r\n");
	start = (size_t)(at - text);
	end = needle != NULL && strstr(text, needle) != NULL ?
	    start + strlen(needle) : start + (*at != '\0');
	json_set_str(f, "findingDetails", details);
	json_set_str(f, "findingType", type);
	json_set_str(f, "issueCode", code);
	{
		struct buf l;

		buf_init(&l, 0);
		buf_printf(&l, "%s%s", LEARN, slug);
		json_set_str(f, "learnMoreLink", buf_str(&l));
		buf_free(&l);
	}
	path = json_new_array();
	if (key1 != NULL) {
		e = json_new_object();
		json_set_str(e, "key", key1);
		json_push(path, e);
	}
	if (idx1 >= 0) {
		e = json_new_object();
		json_set_num(e, "index", (double)idx1);
		json_push(path, e);
	}
	if (key2 != NULL) {
		e = json_new_object();
		json_set_str(e, "key", key2);
		json_push(path, e);
	}
	if (idx2 >= 0) {
		e = json_new_object();
		json_set_num(e, "index", (double)idx2);
		json_push(path, e);
	}
	span = json_new_object();
	json_set(span, "start", position(text, start));
	json_set(span, "end", position(text, end));
	loc = json_new_object();
	json_set(loc, "path", path);
	json_set(loc, "span", span);
	locs = json_new_array();
	json_push(locs, loc);
	json_set(f, "locations", locs);
	json_push(list, f);
}

static void
check_statement(struct json *out, const char *text, const struct json *st,
    long si)
{
	const struct json	*eff = json_get(st, "Effect");
	const struct json	*act = json_get(st, "Action");
	char			 msg[512], quoted[300];
	size_t			 i, j, n;

	if (eff == NULL)
		finding(out, text, "ERROR", "MISSING_EFFECT",
		    "error-missing-effect", "Add an Effect element to the "
		    "policy statement with a value of Allow or Deny.", NULL,
		    "Statement", si, NULL, -1);
	else if (json_str(eff) == NULL || (strcmp(json_str(eff), "Allow") !=
	    0 && strcmp(json_str(eff), "Deny") != 0))
		finding(out, text, "ERROR", "INVALID_EFFECT",
		    "error-invalid-effect", "The Effect element can be Allow "
		    "or Deny.", "\"Effect\"", "Statement", si, "Effect", -1);
	if (act == NULL && json_get(st, "NotAction") == NULL)
		finding(out, text, "ERROR", "MISSING_ACTION",
		    "error-missing-action", "Add an Action or NotAction "
		    "element to the policy statement.", NULL, "Statement", si,
		    NULL, -1);
	if (json_get(st, "Resource") == NULL &&
	    json_get(st, "NotResource") == NULL)
		finding(out, text, "ERROR", "MISSING_RESOURCE",
		    "error-missing-resource", "Add a Resource or NotResource "
		    "element to the policy statement.", NULL, "Statement", si,
		    NULL, -1);
	n = json_is_array(act) ? json_len(act) : act != NULL ? 1 : 0;
	for (i = 0; i < n; i++) {
		const char *a = json_is_array(act) ? json_str(json_at(act, i)) :
		    json_str(act);
		const char *colon;

		if (a == NULL || strcmp(a, "*") == 0)
			continue;
		snprintf(quoted, sizeof quoted, "\"%.280s\"", a);
		colon = strchr(a, ':');
		if (colon == NULL || colon == a || colon[1] == '\0') {
			snprintf(msg, sizeof msg, "The action %.280s does not "
			    "exist.", a);
			finding(out, text, "ERROR", "INVALID_ACTION",
			    "error-invalid-action", msg, quoted, "Statement",
			    si, "Action", json_is_array(act) ? (long)i : -1);
			continue;
		}
		for (j = 0; j < i; j++) {
			const char *b = json_str(json_at(act, j));

			if (b != NULL && strcasecmp(a, b) == 0)
				break;
		}
		if (j < i) {
			snprintf(msg, sizeof msg, "The 1 action(s) are "
			    "redundant because they provide similar "
			    "permissions. Update the policy to remove the "
			    "redundant action such as: %.280s.", a);
			finding(out, text, "SUGGESTION", "REDUNDANT_ACTION",
			    "suggestion-redundant-action", msg, quoted,
			    "Statement", si, "Action", (long)i);
		}
	}
}

static const char *const policy_types[] = { "IDENTITY_POLICY",
    "RESOURCE_POLICY", "SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY",
    NULL };

static void
field_error(struct demo_call *c, const char *name, const char *message)
{
	struct json	*o = json_new_object(), *l, *f;
	char		 type[160];

	json_set_str(o, "message", message);
	json_set_str(o, "reason", "fieldValidationFailed");
	l = json_new_array();
	f = json_new_object();
	json_set_str(f, "name", name);
	json_set_str(f, "message", message);
	json_push(l, f);
	json_set(o, "fieldList", l);
	snprintf(type, sizeof type, "ValidationException:http://internal."
	    "amazon.com/coral/com.amazonaws.accessanalyzer/");
	hdr_list_set(&c->r->headers, "x-amzn-ErrorType", type);
	demo_reply_json(c, 400, o, 3);
	json_free(o);
}

void
demo_world_analyzer(struct demo_call *c)
{
	struct json	*b, *doc = NULL, *out, *list;
	const char	*text, *type;
	const struct json *st, *ver;
	size_t		 i;

	if (strcmp(c->req->method, "POST") != 0 ||
	    strcmp(c->path, "/policy/validation") != 0) {
		demo_reply_error(c, 404, "UnknownOperationException", "");
		return;
	}
	if ((b = body_json(c)) == NULL)
		return;
	text = json_get_str(b, "policyDocument");
	type = json_get_str(b, "policyType");
	if (text == NULL) {
		field_error(c, "policyDocument", "policyDocument is required");
		goto done;
	}
	if (type == NULL || !one_of(type, policy_types)) {
		field_error(c, "policyType", "Invalid policyType: must be one of "
		    "IDENTITY_POLICY, RESOURCE_POLICY, SERVICE_CONTROL_POLICY, "
		    "RESOURCE_CONTROL_POLICY");
		goto done;
	}
	if (iam_check(c, "access-analyzer:ValidatePolicy", "*") != 0)
		goto done;
	list = json_new_array();
	doc = json_parse(text, 0, NULL);
	if (doc == NULL)
		finding(list, text, "ERROR", "JSON_SYNTAX_ERROR",
		    "error-json-syntax-error", "Fix the JSON syntax error in "
		    "the policy.", NULL, NULL, -1, NULL, -1);
	else if (!json_is_object(doc))
		finding(list, text, "ERROR", "DATA_TYPE_MISMATCH",
		    "error-data-type-mismatch", "The text does not match the "
		    "expected JSON data type Object.", NULL, NULL, -1, NULL,
		    -1);
	else {
		ver = json_get(doc, "Version");
		if (ver == NULL)
			finding(list, text, "WARNING", "MISSING_VERSION",
			    "general-warning-missing-version", "We recommend "
			    "that you specify the Version element to help you "
			    "with debugging permission issues.", NULL, NULL, -1,
			    NULL, -1);
		else if (json_str(ver) == NULL ||
		    (strcmp(json_str(ver), "2012-10-17") != 0 &&
		    strcmp(json_str(ver), "2008-10-17") != 0))
			finding(list, text, "ERROR", "INVALID_VERSION",
			    "error-invalid-version", "The version is not "
			    "valid. Use one of the following versions: "
			    "2012-10-17, 2008-10-17.", "\"Version\"",
			    "Version", -1, NULL, -1);
		st = json_get(doc, "Statement");
		if (st == NULL)
			finding(list, text, "ERROR", "MISSING_STATEMENT",
			    "error-missing-statement", "Add a Statement "
			    "element to the policy.", NULL, NULL, -1, NULL,
			    -1);
		else if (json_is_object(st))
			check_statement(list, text, st, -1);
		else
			for (i = 0; i < json_len(st); i++)
				if (json_is_object(json_at(st, i)))
					check_statement(list, text,
					    json_at(st, i), (long)i);
	}
	out = json_new_object();
	json_set(out, "findings", list);
	demo_reply_json(c, 200, out, 60);
	json_free(out);
done:
	json_free(doc);
	json_free(b);
}
