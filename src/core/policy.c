/*
 * policy.c: the least-privilege IAM policy for the chosen models, its
 * explanation, and a lint for policy documents (see policy.h).
 *
 * Building goes in two steps: collect, per statement, the sets of ARNs
 * and condition values (sorted and unique at the end), then emit the
 * statements that are not empty in the fixed order of the plan table.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "catalog.h"
#include "endpoint.h"
#include "err.h"
#include "i18n.h"
#include "json.h"
#include "policy.h"
#include "resolve.h"
#include "xalloc.h"

#define POLICY_VERSION		"2012-10-17"
#define KEY_PROFILE_ARN		"bedrock:InferenceProfileArn"
#define KEY_REGION		"aws:RequestedRegion"
#define REGION_UNSPECIFIED	"unspecified"
#define TEXT_MAX		(64u * 1024)
#define SET_MAX			4096

/* A set of strings: pushed in any order, sorted and unique after finish. */
struct set {
	char		**v;
	size_t		  n;
};

static void
set_add(struct set *s, const char *str)
{
	if (s->n >= SET_MAX)
		return;
	s->v = xreallocarray(s->v, s->n + 1, sizeof *s->v);
	s->v[s->n++] = xstrdup(str);
}

static void set_addf(struct set *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_addf(struct set *s, const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;

	buf_init(&b, TEXT_MAX);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	set_add(s, buf_str(&b));
	buf_free(&b);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
set_finish(struct set *s)
{
	size_t	 i, j;

	if (s->n < 2)
		return;
	qsort(s->v, s->n, sizeof *s->v, cmp_str);
	for (i = 1, j = 1; i < s->n; i++) {
		if (strcmp(s->v[i], s->v[j - 1]) == 0)
			free(s->v[i]);
		else
			s->v[j++] = s->v[i];
	}
	s->n = j;
}

static int
set_has(const struct set *s, const char *str)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], str) == 0)
			return 1;
	return 0;
}

static void
set_free(struct set *s)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* ------------------------------------------------------------------ */
/* Building */

enum plan_id {
	P_ON_DEMAND,
	P_PROVISIONED,
	P_PROFILES,
	P_PROFILE_FMS,
	P_GLOBAL,
	P_GLOBAL_SRC,
	P_GLOBAL_FMS,
	P_DISCOVER,
	P_DESCRIBE_FM,
	P_DESCRIBE_IP,
	P_ENABLE,
	P_API_KEYS,
	P_COUNT
};

static const char *const invoke_actions[] = {
	"bedrock:InvokeModel",
	"bedrock:InvokeModelWithResponseStream",
	NULL
};
static const char *const discover_actions[] = {
	"bedrock:GetFoundationModelAvailability",
	"bedrock:GetUseCaseForModelAccess",
	"bedrock:ListFoundationModelAgreementOffers",
	"bedrock:ListFoundationModels",
	"bedrock:ListInferenceProfiles",
	NULL
};
static const char *const describe_fm_actions[] = {
	"bedrock:GetFoundationModel",
	NULL
};
static const char *const describe_ip_actions[] = {
	"bedrock:GetInferenceProfile",
	NULL
};
static const char *const enable_actions[] = {
	"aws-marketplace:Subscribe",
	"aws-marketplace:Unsubscribe",
	"aws-marketplace:ViewSubscriptions",
	"bedrock:CreateFoundationModelAgreement",
	"bedrock:PutUseCaseForModelAccess",
	NULL
};
static const char *const api_key_actions[] = {
	"bedrock:CallWithBearerToken",
	NULL
};

/* What restrict_region puts on a statement. */
enum {
	R_NONE,		/* nothing: its own condition, or a global service */
	R_ALL,		/* the source and destination Regions */
	R_SOURCES	/* the source Regions: calls made there only */
};

/* What each statement holds; star: Resource "*". */
static const struct plan_def {
	const char		 *sid;
	const char *const	 *actions;
	int			  invoke;	/* drop streaming when off */
	int			  star;
	int			  limit;	/* R_* under restrict_region */
} plan_defs[P_COUNT] = {
	[P_ON_DEMAND] =   { POLICY_SID_ON_DEMAND, invoke_actions, 1, 0, R_ALL },
	[P_PROVISIONED] = { POLICY_SID_PROVISIONED, invoke_actions, 1, 0,
			    R_ALL },
	[P_PROFILES] =    { POLICY_SID_PROFILES, invoke_actions, 1, 0, R_ALL },
	[P_PROFILE_FMS] = { POLICY_SID_PROFILE_FMS, invoke_actions, 1, 0,
			    R_ALL },
	[P_GLOBAL] =      { POLICY_SID_GLOBAL, invoke_actions, 1, 0, R_NONE },
	[P_GLOBAL_SRC] =  { POLICY_SID_GLOBAL_SRC, invoke_actions, 1, 0,
			    R_NONE },
	[P_GLOBAL_FMS] =  { POLICY_SID_GLOBAL_FMS, invoke_actions, 1, 0,
			    R_NONE },
	[P_DISCOVER] =    { POLICY_SID_DISCOVER, discover_actions, 0, 1,
			    R_SOURCES },
	[P_DESCRIBE_FM] = { POLICY_SID_DESCRIBE_FM, describe_fm_actions, 0, 0,
			    R_SOURCES },
	[P_DESCRIBE_IP] = { POLICY_SID_DESCRIBE_IP, describe_ip_actions, 0, 0,
			    R_SOURCES },
	[P_ENABLE] =      { POLICY_SID_ENABLE, enable_actions, 0, 1, R_NONE },
	[P_API_KEYS] =    { POLICY_SID_API_KEYS, api_key_actions, 0, 1,
			    R_SOURCES },
};

struct plan {
	struct set	 res[P_COUNT];
	struct set	 profile_cond[P_COUNT];	/* KEY_PROFILE_ARN */
	struct set	 region_cond[P_COUNT];	/* KEY_REGION */
	int		 used[P_COUNT];
	struct set	 regions;		/* restrict_region: R_ALL */
	struct set	 sources;		/* restrict_region: R_SOURCES */
	int		 any_global;
};

void
policy_input_init(struct policy_input *in, const char *region,
    const char *account)
{
	memset(in, 0, sizeof *in);
	in->region = region;
	in->account = account;
	in->streaming = 1;
	in->profile_condition = 1;
}

void
policy_model_from_resolve(struct policy_model *m,
    const struct resolve_result *r)
{
	memset(m, 0, sizeof *m);
	m->kind = r->kind;
	m->model_id = r->model_id;
	m->profile_id = r->kind == RESOLVE_GEO_PROFILE ||
	    r->kind == RESOLVE_GLOBAL_PROFILE ? r->profile_id : NULL;
	m->arn = r->arn;
	m->region = r->region;
	m->destinations = (const char *const *)r->destinations;
	m->ndestinations = r->ndestinations;
}

static int
account_valid(const char *a)
{
	size_t	 i;

	for (i = 0; a[i] != '\0'; i++)
		if (!isdigit((unsigned char)a[i]))
			return 0;
	return i == 12;
}

/* The model id of a system profile: after the first dot of its id. */
static const char *
profile_model(const struct policy_model *m, const char *pid)
{
	const char	*dot;

	if (m->model_id != NULL)
		return m->model_id;
	if (pid == NULL || (dot = strchr(pid, '.')) == NULL || dot[1] == '\0')
		return NULL;
	return dot + 1;
}

/* The profile id of a system profile, from profile_id or its ARN. */
static const char *
profile_id_of(const struct policy_model *m)
{
	static const char	 tag[] = ":inference-profile/";
	const char		*p;

	if (m->profile_id != NULL)
		return m->profile_id;
	if (m->arn != NULL && (p = strstr(m->arn, tag)) != NULL)
		return p + sizeof tag - 1;
	return NULL;
}

struct ctx {
	const char	*partition;
	const char	*account;
	int		 profile_condition;
	struct plan	*plan;
};

static void
use(struct ctx *c, enum plan_id id)
{
	c->plan->used[id] = 1;
}

static void
add_fm(struct ctx *c, enum plan_id id, const char *region, const char *model)
{
	set_addf(&c->plan->res[id], "arn:%s:bedrock:%s::foundation-model/%s",
	    c->partition, region, model);
	use(c, id);
}

/* Whether r is a Region name of the policy's partition; err set if not. */
static int
region_ok(const struct ctx *c, const char *r, struct err *e)
{
	if (r == NULL || !endpoint_region_valid(r)) {
		err_set(e, ERR_USAGE, N_("'%s' is not a Region name"),
		    r != NULL ? r : "");
		return 0;
	}
	if (strcmp(c->partition, catalog_partition_of(NULL, r)) != 0) {
		err_set(e, ERR_USAGE, N_("the Region %s is not in the "
		    "partition %s"), r, c->partition);
		return 0;
	}
	return 1;
}

static int
add_model(struct ctx *c, const struct policy_model *m, const char *src,
    struct err *e)
{
	struct plan	*p = c->plan;
	const char	*pid, *fm;
	char		*arn;
	struct buf	 b;
	size_t		 i;

	if (!region_ok(c, src, e))
		return -1;
	for (i = 0; i < m->ndestinations; i++)
		if (!region_ok(c, m->destinations[i], e))
			return -1;
	set_add(&p->regions, src);
	set_add(&p->sources, src);
	switch (m->kind) {
	case RESOLVE_ON_DEMAND:
		if (m->model_id == NULL)
			break;
		add_fm(c, P_ON_DEMAND, src, m->model_id);
		return 0;
	case RESOLVE_PROVISIONED:
		if (m->arn == NULL)
			break;
		set_add(&p->res[P_PROVISIONED], m->arn);
		use(c, P_PROVISIONED);
		return 0;
	case RESOLVE_APP_PROFILE:
		if (m->arn == NULL)
			break;
		set_add(&p->res[P_PROFILES], m->arn);
		use(c, P_PROFILES);
		if (m->model_id == NULL)
			return 0;
		add_fm(c, P_PROFILE_FMS, src, m->model_id);
		for (i = 0; i < m->ndestinations; i++) {
			add_fm(c, P_PROFILE_FMS, m->destinations[i],
			    m->model_id);
			set_add(&p->regions, m->destinations[i]);
		}
		if (c->profile_condition)
			set_add(&p->profile_cond[P_PROFILE_FMS], m->arn);
		return 0;
	case RESOLVE_GEO_PROFILE:
	case RESOLVE_GLOBAL_PROFILE:
		pid = profile_id_of(m);
		if (pid == NULL || (fm = profile_model(m, pid)) == NULL)
			break;
		if (m->profile_id != NULL || m->arn == NULL) {
			buf_init(&b, TEXT_MAX);
			buf_printf(&b, "arn:%s:bedrock:%s:%s:"
			    "inference-profile/%s", c->partition, src,
			    c->account, pid);
			arn = buf_take(&b, NULL);
		} else
			arn = xstrdup(m->arn);
		if (m->kind == RESOLVE_GEO_PROFILE) {
			set_add(&p->res[P_PROFILES], arn);
			use(c, P_PROFILES);
			add_fm(c, P_PROFILE_FMS, src, fm);
			for (i = 0; i < m->ndestinations; i++) {
				add_fm(c, P_PROFILE_FMS, m->destinations[i],
				    fm);
				set_add(&p->regions, m->destinations[i]);
			}
			if (c->profile_condition)
				set_add(&p->profile_cond[P_PROFILE_FMS], arn);
		} else {
			p->any_global = 1;
			set_add(&p->res[P_GLOBAL], arn);
			set_add(&p->region_cond[P_GLOBAL], src);
			use(c, P_GLOBAL);
			add_fm(c, P_GLOBAL_SRC, src, fm);
			set_add(&p->region_cond[P_GLOBAL_SRC], src);
			add_fm(c, P_GLOBAL_FMS, "", fm);
			set_add(&p->region_cond[P_GLOBAL_FMS],
			    REGION_UNSPECIFIED);
			if (c->profile_condition) {
				set_add(&p->profile_cond[P_GLOBAL_SRC], arn);
				set_add(&p->profile_cond[P_GLOBAL_FMS], arn);
			}
		}
		free(arn);
		return 0;
	case RESOLVE_NONE:
	default:
		err_set(e, ERR_USAGE, N_("a model that cannot be called "
		    "cannot go into a policy"));
		return -1;
	}
	err_set(e, ERR_USAGE, N_("a %s model without the id or ARN its kind "
	    "needs cannot go into a policy"), resolve_kind_name(m->kind));
	return -1;
}

/* A string when there is one value, else an array. */
static struct json *
values(const struct set *s)
{
	struct json	*a;
	size_t		 i;

	if (s->n == 1)
		return json_new_str(s->v[0]);
	a = json_new_array();
	for (i = 0; i < s->n; i++)
		json_push_str(a, s->v[i]);
	return a;
}

static struct json *
statement(const struct plan_def *d, const struct plan *p, enum plan_id id,
    const struct policy_input *in)
{
	struct json	*st = json_new_object(), *acts = json_new_array();
	struct json	*res, *cond, *eq;
	const struct set *regions = &p->region_cond[id];
	size_t		 i;

	json_set_str(st, "Sid", d->sid);
	json_set_str(st, "Effect", "Allow");
	for (i = 0; d->actions[i] != NULL; i++) {
		if (d->invoke && !in->streaming && i > 0)
			continue;
		json_push_str(acts, d->actions[i]);
	}
	json_set(st, "Action", acts);
	if (d->star) {
		json_set_str(st, "Resource", "*");
	} else {
		res = json_new_array();
		for (i = 0; i < p->res[id].n; i++)
			json_push_str(res, p->res[id].v[i]);
		json_set(st, "Resource", res);
	}
	if (regions->n == 0 && in->restrict_region && d->limit == R_ALL)
		regions = &p->regions;
	else if (regions->n == 0 && in->restrict_region &&
	    d->limit == R_SOURCES)
		regions = &p->sources;
	if (regions->n == 0 && p->profile_cond[id].n == 0)
		return st;
	cond = json_new_object();
	eq = json_new_object();
	if (regions->n > 0)
		json_set(eq, KEY_REGION, values(regions));
	if (p->profile_cond[id].n > 0)
		json_set(eq, KEY_PROFILE_ARN, values(&p->profile_cond[id]));
	json_set(cond, "StringEquals", eq);
	json_set(st, "Condition", cond);
	return st;
}

static void
plan_free(struct plan *p)
{
	size_t	 i;

	for (i = 0; i < P_COUNT; i++) {
		set_free(&p->res[i]);
		set_free(&p->profile_cond[i]);
		set_free(&p->region_cond[i]);
	}
	set_free(&p->regions);
	set_free(&p->sources);
}

static void
plan_extras(struct ctx *c, const struct policy_input *in)
{
	struct plan	*p = c->plan;

	if (in->with_discovery) {
		use(c, P_DISCOVER);
		set_addf(&p->res[P_DESCRIBE_FM],
		    "arn:%s:bedrock:*::foundation-model/*", c->partition);
		use(c, P_DESCRIBE_FM);
		set_addf(&p->res[P_DESCRIBE_IP],
		    "arn:%s:bedrock:*:%s:inference-profile/*", c->partition,
		    c->account);
		set_addf(&p->res[P_DESCRIBE_IP],
		    "arn:%s:bedrock:*:%s:application-inference-profile/*",
		    c->partition, c->account);
		use(c, P_DESCRIBE_IP);
	}
	if (in->with_enablement)
		use(c, P_ENABLE);
	if (in->with_api_keys)
		use(c, P_API_KEYS);
}

struct json *
policy_build(const struct policy_input *in, struct err *e)
{
	struct plan	 plan;
	struct ctx	 c;
	struct json	*doc, *sts;
	size_t		 i;
	int		 id;

	if (in == NULL || in->region == NULL) {
		err_set(e, ERR_USAGE, N_("a policy needs a source Region"));
		return NULL;
	}
	if (in->account != NULL && !account_valid(in->account)) {
		err_set(e, ERR_USAGE, N_("'%s' is not an AWS account id (12 "
		    "digits)"), in->account);
		return NULL;
	}
	memset(&plan, 0, sizeof plan);
	c.plan = &plan;
	c.partition = in->partition != NULL ? in->partition :
	    catalog_partition_of(NULL, in->region);
	c.account = in->account != NULL ? in->account :
	    RESOLVE_ACCOUNT_PLACEHOLDER;
	c.profile_condition = in->profile_condition;
	if (!region_ok(&c, in->region, e))
		return NULL;
	for (i = 0; i < in->nmodels; i++) {
		const struct policy_model *m = &in->models[i];
		const char *src = m->region != NULL ? m->region : in->region;

		if (add_model(&c, m, src, e) == -1) {
			plan_free(&plan);
			return NULL;
		}
	}
	set_add(&plan.regions, in->region);
	set_add(&plan.sources, in->region);
	plan_extras(&c, in);
	if (plan.any_global)
		set_add(&plan.regions, REGION_UNSPECIFIED);
	for (id = 0; id < P_COUNT; id++) {
		set_finish(&plan.res[id]);
		set_finish(&plan.profile_cond[id]);
		set_finish(&plan.region_cond[id]);
	}
	set_finish(&plan.regions);
	set_finish(&plan.sources);

	doc = json_new_object();
	json_set_str(doc, "Version", POLICY_VERSION);
	sts = json_new_array();
	for (id = 0; id < P_COUNT; id++)
		if (plan.used[id])
			json_push(sts, statement(&plan_defs[id], &plan,
			    (enum plan_id)id, in));
	json_set(doc, "Statement", sts);
	plan_free(&plan);
	return doc;
}

/* ------------------------------------------------------------------ */
/* Reading documents (explain and lint) */

/* "Action" or "Resource" as a list whether it is a string or an array. */
static size_t
str_list(const struct json *v, const char **out, size_t max)
{
	size_t	 i, n = 0;

	if (json_is_string(v)) {
		if (max > 0)
			out[0] = json_str(v);
		return 1;
	}
	for (i = 0; json_is_array(v) && i < json_len(v); i++) {
		const char *s = json_str(json_at(v, i));

		if (s == NULL)
			continue;
		if (n < max)
			out[n] = s;
		n++;
	}
	return n;
}

#define LIST_MAX	512

/* The statements of doc: an array, or a single object. */
static size_t
statements(const struct json *doc, const struct json **out, size_t max)
{
	const struct json	*st = json_get(doc, "Statement");
	size_t			 i, n = 0;

	if (json_is_object(st)) {
		if (max > 0)
			out[0] = st;
		return 1;
	}
	for (i = 0; json_is_array(st) && i < json_len(st); i++, n++)
		if (n < max)
			out[n] = json_at(st, i);
	return n;
}

/* An ARN cut at its first five colons. */
struct arn_parts {
	char	 partition[64];
	char	 service[64];
	char	 region[64];
	char	 account[64];
	char	 resource[1024];
};

static int
arn_split(const char *arn, struct arn_parts *a)
{
	char		*f[5];
	size_t		 sz[5];
	const char	*p = arn, *colon;
	size_t		 i, len;

	f[0] = a->partition; sz[0] = sizeof a->partition;
	f[1] = a->service; sz[1] = sizeof a->service;
	f[2] = a->region; sz[2] = sizeof a->region;
	f[3] = a->account; sz[3] = sizeof a->account;
	f[4] = a->resource; sz[4] = sizeof a->resource;
	if (strncmp(arn, "arn:", 4) != 0)
		return -1;
	p += 4;
	for (i = 0; i < 4; i++) {
		if ((colon = strchr(p, ':')) == NULL)
			return -1;
		len = (size_t)(colon - p);
		if (len >= sz[i])
			return -1;
		memcpy(f[i], p, len);
		f[i][len] = '\0';
		p = colon + 1;
	}
	if (strlen(p) >= sz[4])
		return -1;
	snprintf(f[4], sz[4], "%s", p);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Explaining */

static const struct {
	const char	*sid;
	const char	*why;
} whys[] = {
	{ POLICY_SID_ON_DEMAND, N_("Lets the application call these "
	    "foundation models directly by their model id in the Region it "
	    "calls. Converse needs bedrock:InvokeModel and ConverseStream "
	    "needs bedrock:InvokeModelWithResponseStream; there is no "
	    "bedrock:Converse action.") },
	{ POLICY_SID_PROVISIONED, N_("Lets the application call these "
	    "Provisioned Throughput models by their ARN.") },
	{ POLICY_SID_PROFILES, N_("Lets the application call these "
	    "inference profiles in the Region it calls (the source Region). "
	    "A profile ARN carries your account id.") },
	{ POLICY_SID_PROFILE_FMS, N_("A cross-Region inference profile "
	    "sends each request to one of its destination Regions, and IAM "
	    "checks the foundation model in that Region too. Every "
	    "destination Region must be listed: a missing one makes only the "
	    "requests routed there fail, so the errors look random.") },
	{ POLICY_SID_GLOBAL, N_("Lets the application call these global "
	    "inference profiles, only from the Region it calls.") },
	{ POLICY_SID_GLOBAL_SRC, N_("A global profile needs the foundation "
	    "model in the source Region, allowed only for requests made in "
	    "that Region through the profile.") },
	{ POLICY_SID_GLOBAL_FMS, N_("A global profile may route to any "
	    "commercial Region. IAM then checks the Region-less foundation "
	    "model ARN (no Region, no account) with aws:RequestedRegion set "
	    "to \"unspecified\"; this statement allows exactly that, and only "
	    "through the profile.") },
	{ POLICY_SID_DISCOVER, N_("Read-only calls the wizard uses to list "
	    "models, profiles, availability, agreement offers and the "
	    "use-case form state. These actions take no resource, so the "
	    "Resource is \"*\".") },
	{ POLICY_SID_DESCRIBE_FM, N_("Read-only: describe any foundation "
	    "model in any Region.") },
	{ POLICY_SID_DESCRIBE_IP, N_("Read-only: describe the inference "
	    "profiles of your account in any Region.") },
	{ POLICY_SID_ENABLE, N_("One-time enablement, for an administrator "
	    "only: AWS Marketplace subscription for third-party models, model "
	    "agreements and the Anthropic use-case form. Once a model is "
	    "enabled, every role in the account can invoke it without these "
	    "permissions; keep them off the runtime role. These actions take "
	    "no resource, so the Resource is \"*\"; AWS Marketplace is not "
	    "a Regional service, so there is no Region condition.") },
	{ POLICY_SID_API_KEYS, N_("Only for applications that authenticate "
	    "with Bedrock API keys (AWS_BEARER_TOKEN_BEDROCK): the bearer "
	    "path needs bedrock:CallWithBearerToken, which takes no "
	    "resource.") },
};

static void
add_note(struct policy_notes *out, const char *sid, char *text)
{
	out->v = xreallocarray(out->v, out->n + 1, sizeof *out->v);
	out->v[out->n].sid = xstrdup(sid);
	out->v[out->n].text = text;
	out->n++;
}

static int
doc_has_placeholder(const struct json *doc)
{
	char	*s = doc != NULL ? json_print(doc) : NULL;
	int	 has;

	has = s != NULL && strstr(s, RESOLVE_ACCOUNT_PLACEHOLDER) != NULL;

	free(s);
	return has;
}

/* The Regions named in the statement's resource ARNs. */
static void
regions_of(const struct json *st, struct buf *b)
{
	const char		*res[LIST_MAX];
	struct arn_parts	 a;
	struct set		 regs = { NULL, 0 };
	size_t			 i, n;
	int			 regionless = 0;

	n = str_list(json_get(st, "Resource"), res, LIST_MAX);
	for (i = 0; i < n && i < LIST_MAX; i++) {
		if (arn_split(res[i], &a) == -1)
			continue;
		if (a.region[0] == '\0')
			regionless = 1;
		else if (strcmp(a.region, "*") != 0)
			set_add(&regs, a.region);
	}
	set_finish(&regs);
	for (i = 0; i < regs.n; i++)
		buf_printf(b, "%s%s", i > 0 ? ", " : "", regs.v[i]);
	if (regionless)
		buf_printf(b, "%s%s", regs.n > 0 ? ", " : "",
		    core_tr(N_("no Region (the Region-less ARN)")));
	set_free(&regs);
}

static void
explain_one(const struct json *st, struct policy_notes *out)
{
	const char		*sid = json_get_str(st, "Sid");
	const char		*acts[LIST_MAX];
	const struct json	*eq;
	struct buf		 b, regs;
	size_t			 i, n;
	int			 invoke = 0, stream = 0;

	buf_init(&b, TEXT_MAX);
	if (sid == NULL)
		sid = "";
	for (i = 0; i < sizeof whys / sizeof whys[0]; i++)
		if (strcmp(whys[i].sid, sid) == 0)
			break;
	if (i < sizeof whys / sizeof whys[0])
		buf_addstr(&b, core_tr(whys[i].why));
	else
		buf_addstr(&b, core_tr(N_("This statement was not made by "
		    "bedrock-setup.")));

	buf_init(&regs, TEXT_MAX);
	regions_of(st, &regs);
	if (regs.len > 0) {
		buf_addc(&b, ' ');
		buf_printf(&b, core_tr(N_("Regions in its ARNs: %s.")),
		    buf_str(&regs));
	}
	buf_free(&regs);

	n = str_list(json_get(st, "Action"), acts, LIST_MAX);
	for (i = 0; i < n && i < LIST_MAX; i++) {
		if (strcasecmp(acts[i], "bedrock:InvokeModel") == 0)
			invoke = 1;
		if (strcasecmp(acts[i],
		    "bedrock:InvokeModelWithResponseStream") == 0)
			stream = 1;
	}
	if (invoke && !stream) {
		buf_addc(&b, ' ');
		buf_addstr(&b, core_tr(N_("Streaming is left out, so "
		    "ConverseStream and InvokeModelWithResponseStream will be "
		    "denied.")));
	}
	eq = json_path(st, "Condition", "StringEquals", NULL);
	if (json_get(eq, KEY_PROFILE_ARN) != NULL) {
		buf_addc(&b, ' ');
		buf_addstr(&b, core_tr(N_("The bedrock:InferenceProfileArn "
		    "condition allows the foundation models only through the "
		    "named inference profiles, not by direct calls.")));
	}
	if (json_get(eq, KEY_REGION) != NULL) {
		const char	*rv[LIST_MAX];
		struct buf	 l;

		buf_init(&l, TEXT_MAX);
		n = str_list(json_get(eq, KEY_REGION), rv, LIST_MAX);
		for (i = 0; i < n && i < LIST_MAX; i++)
			buf_printf(&l, "%s%s", i > 0 ? ", " : "", rv[i]);
		buf_addc(&b, ' ');
		buf_printf(&b, core_tr(N_("The aws:RequestedRegion condition "
		    "allows only requests evaluated in: %s.")), buf_str(&l));
		buf_free(&l);
	}
	add_note(out, sid, buf_take(&b, NULL));
}

void
policy_explain(const struct json *doc, struct policy_notes *out)
{
	const struct json	*sts[LIST_MAX];
	size_t			 i, n;

	out->v = NULL;
	out->n = 0;
	if (doc_has_placeholder(doc)) {
		struct buf	 b;

		buf_init(&b, TEXT_MAX);
		buf_printf(&b, core_tr(N_("Replace %s with your 12-digit AWS "
		    "account id before you use this policy: inference-profile "
		    "ARNs carry your account.")), RESOLVE_ACCOUNT_PLACEHOLDER);
		add_note(out, "", buf_take(&b, NULL));
	}
	n = statements(doc, sts, LIST_MAX);
	for (i = 0; i < n && i < LIST_MAX; i++)
		explain_one(sts[i], out);
}

int
policy_notes_format(const struct policy_notes *notes, struct buf *out)
{
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < notes->n && rc == 0; i++) {
		if (notes->v[i].sid[0] != '\0')
			rc = buf_printf(out, "%s: %s\n", notes->v[i].sid,
			    notes->v[i].text);
		else
			rc = buf_printf(out, "%s\n", notes->v[i].text);
	}
	return rc;
}

void
policy_notes_free(struct policy_notes *notes)
{
	size_t	 i;

	for (i = 0; i < notes->n; i++) {
		free(notes->v[i].sid);
		free(notes->v[i].text);
	}
	free(notes->v);
	notes->v = NULL;
	notes->n = 0;
}

/* ------------------------------------------------------------------ */
/* Lint */

const char *
policy_severity_name(enum policy_severity s)
{
	switch (s) {
	case POLICY_ERROR:
		/* L10N: the severity of a policy lint finding. */
		return N_("error");
	case POLICY_WARNING:
		/* L10N: the severity of a policy lint finding. */
		return N_("warning");
	case POLICY_INFO:
	default:
		/* L10N: the severity of a policy lint finding. */
		return N_("info");
	}
}

static void finding(struct policy_findings *, enum policy_severity,
    const char *, const char *, ...) __attribute__((format(printf, 4, 5)));

/* Add a finding; fmt is an N_()-marked template. */
static void
finding(struct policy_findings *out, enum policy_severity sev,
    const char *sid, const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;

	if (out->n >= SET_MAX)
		return;
	buf_init(&b, TEXT_MAX);
	va_start(ap, fmt);
	buf_vprintf(&b, core_tr(fmt), ap);
	va_end(ap);
	out->v = xreallocarray(out->v, out->n + 1, sizeof *out->v);
	out->v[out->n].severity = sev;
	out->v[out->n].sid = xstrdup(sid != NULL ? sid : "");
	out->v[out->n].message = buf_take(&b, NULL);
	out->n++;
	if (sev == POLICY_ERROR)
		out->errors++;
	else if (sev == POLICY_WARNING)
		out->warnings++;
}

size_t
policy_size(const struct json *doc)
{
	char	*s = doc != NULL ? json_print(doc) : NULL;
	size_t	 i, n = 0;
	int	 in_str = 0, esc = 0;

	for (i = 0; s != NULL && s[i] != '\0'; i++) {
		if (in_str) {
			if (esc)
				esc = 0;
			else if (s[i] == '\\')
				esc = 1;
			else if (s[i] == '"')
				in_str = 0;
		} else if (s[i] == '"')
			in_str = 1;
		else if (isspace((unsigned char)s[i]))
			continue;
		n++;
	}
	free(s);
	return n;
}

/* The parts of a resource-type ARN format. */
struct arn_format {
	struct arn_parts	 f;
	size_t			 prefix_len;	/* literal part of resource */
	int			 has_id;	/* resource ends in ${...} */
};

static int
format_split(const char *fmt, struct arn_format *af)
{
	const char	*dollar;

	if (arn_split(fmt, &af->f) == -1)
		return -1;
	dollar = strstr(af->f.resource, "${");
	af->has_id = dollar != NULL;
	af->prefix_len = dollar != NULL ? (size_t)(dollar - af->f.resource) :
	    strlen(af->f.resource);
	return 0;
}

static int
format_fits(const struct arn_format *af, const struct arn_parts *a)
{
	if (strcmp(af->f.service, a->service) != 0 ||
	    strncmp(a->resource, af->f.resource, af->prefix_len) != 0)
		return 0;
	if (af->has_id)
		return a->resource[af->prefix_len] != '\0';
	return a->resource[af->prefix_len] == '\0';
}

static int
fields_fit(const struct arn_format *af, const struct arn_parts *a)
{
	return (af->f.region[0] == '\0') == (a->region[0] == '\0') &&
	    (af->f.account[0] == '\0') == (a->account[0] == '\0');
}

/*
 * The resource type of an ARN: the type whose format fits it, preferring
 * one whose empty fields match.  NULL when none fits.
 */
static const struct catalog_resource_type *
arn_type(const struct catalog *cat, const struct arn_parts *a,
    struct arn_format *out)
{
	const struct catalog_resource_type	*first = NULL;
	struct arn_format			 af;
	size_t					 i;

	for (i = 0; i < catalog_resource_type_count(cat); i++) {
		const struct catalog_resource_type *rt =
		    catalog_resource_type_at(cat, i);

		if (format_split(rt->arn, &af) == -1 || !format_fits(&af, a))
			continue;
		if (fields_fit(&af, a)) {
			*out = af;
			return rt;
		}
		if (first == NULL) {
			first = rt;
			*out = af;
		}
	}
	return first;
}

/* Whether the action accepts the type ("foundation-model-global" counts
 * as "foundation-model"). */
static int
accepts(const struct catalog *cat, const char *action, const char *type)
{
	char	 base[128];
	size_t	 n = strlen(type);

	if (catalog_action_accepts(cat, action, type))
		return 1;
	if (n > 7 && n < sizeof base &&
	    strcmp(type + n - 7, "-global") == 0) {
		memcpy(base, type, n - 7);
		base[n - 7] = '\0';
		return catalog_action_accepts(cat, action, base);
	}
	return 0;
}

struct lint {
	const struct catalog	*cat;
	struct policy_findings	*out;
	const char		*sid;
	int			 allow;		/* the statement allows */
	int			 placeholder;
	int			 invoke;
	int			 stream;
	struct set		 invokable;	/* Allowed InvokeModel ARNs */
};

static int
is_placeholder(const char *s)
{
	return s[0] == '<' && s[strlen(s) - 1] == '>';
}

/* Check one ARN; its resource type into type (NULL when unknown). */
static void
lint_arn(struct lint *l, const char *arn,
    const struct catalog_resource_type **type)
{
	struct arn_parts		 a;
	struct arn_format		 af;
	const struct catalog_resource_type *rt;
	const char			*rp;

	*type = NULL;
	if (arn_split(arn, &a) == -1) {
		finding(l->out, POLICY_ERROR, l->sid, N_("%s is not an ARN "
		    "(arn:partition:service:region:account:resource)"), arn);
		return;
	}
	if (catalog_partition(l->cat, a.partition) == NULL)
		finding(l->out, POLICY_ERROR, l->sid, N_("%s: unknown "
		    "partition '%s'"), arn, a.partition);
	if ((rt = arn_type(l->cat, &a, &af)) == NULL) {
		finding(l->out, POLICY_ERROR, l->sid, N_("%s matches no "
		    "resource type the catalog knows"), arn);
		return;
	}
	*type = rt;
	if (af.f.region[0] == '\0' && a.region[0] != '\0')
		finding(l->out, POLICY_ERROR, l->sid, N_("%s: a %s ARN has an "
		    "empty Region field"), arn, rt->type);
	else if (af.f.region[0] != '\0' && a.region[0] == '\0')
		finding(l->out, POLICY_ERROR, l->sid, N_("%s: a %s ARN needs a "
		    "Region (the Region-less form is only for foundation "
		    "models of global profiles)"), arn, rt->type);
	else if (a.region[0] != '\0' && strcmp(a.region, "*") != 0) {
		if (!endpoint_region_valid(a.region))
			finding(l->out, POLICY_ERROR, l->sid, N_("%s: '%s' is "
			    "not a Region name"), arn, a.region);
		else if (strcmp(catalog_partition_of(l->cat, a.region),
		    a.partition) != 0)
			finding(l->out, POLICY_ERROR, l->sid, N_("%s: the "
			    "Region %s is not in the partition %s"), arn,
			    a.region, a.partition);
	}
	if (af.f.account[0] == '\0' && a.account[0] != '\0')
		finding(l->out, POLICY_ERROR, l->sid, N_("%s: a %s ARN has an "
		    "empty account field"), arn, rt->type);
	else if (af.f.account[0] != '\0') {
		if (a.account[0] == '\0')
			finding(l->out, POLICY_ERROR, l->sid, N_("%s: a %s ARN "
			    "needs your account id"), arn, rt->type);
		else if (strcmp(a.account, "*") == 0)
			finding(l->out, POLICY_WARNING, l->sid, N_("%s: the "
			    "account field '*' matches every account"), arn);
		else if (is_placeholder(a.account))
			l->placeholder = 1;
		else if (!account_valid(a.account))
			finding(l->out, POLICY_ERROR, l->sid, N_("%s: '%s' is "
			    "not an account id (12 digits)"), arn, a.account);
	}
	rp = a.resource + af.prefix_len;
	if (af.has_id && strcmp(rt->type, "foundation-model") == 0 &&
	    strchr(rp, '*') == NULL && !catalog_model_id_valid(rp))
		finding(l->out, POLICY_WARNING, l->sid, N_("%s: '%s' does not "
		    "look like a foundation-model id"), arn, rp);
}

static int
action_is_converse(const char *a)
{
	return strcasecmp(a, "bedrock:Converse") == 0 ||
	    strcasecmp(a, "bedrock:ConverseStream") == 0;
}

static void
lint_actions(struct lint *l, const struct json *st, const char **acts,
    size_t n)
{
	size_t	 i;

	if (l->allow && json_get(st, "NotAction") != NULL)
		finding(l->out, POLICY_WARNING, l->sid, N_("NotAction allows "
		    "everything it does not name; list the actions instead"));
	if (json_get(st, "Action") == NULL && json_get(st, "NotAction") == NULL)
		finding(l->out, POLICY_ERROR, l->sid, N_("the statement has "
		    "no Action"));
	for (i = 0; i < n; i++) {
		if (action_is_converse(acts[i]))
			finding(l->out, POLICY_ERROR, l->sid, N_("%s is not an "
			    "IAM action: Converse needs bedrock:InvokeModel "
			    "and ConverseStream needs "
			    "bedrock:InvokeModelWithResponseStream"), acts[i]);
		else if (strpbrk(acts[i], "*?") != NULL) {
			if (l->allow)
				finding(l->out, POLICY_ERROR, l->sid,
				    N_("the wildcard action %s grants more "
				    "than needed; name the actions"), acts[i]);
		} else if (catalog_action(l->cat, acts[i]) == NULL)
			finding(l->out, POLICY_ERROR, l->sid, N_("%s is not in "
			    "the catalog's list of IAM actions"), acts[i]);
	}
}

static void
lint_resources(struct lint *l, const struct json *st, const char **acts,
    size_t nacts)
{
	const char				*res[LIST_MAX];
	const struct catalog_resource_type	*types[LIST_MAX];
	size_t					 i, j, n;
	int					 star = 0, some;

	if (l->allow && json_get(st, "NotResource") != NULL)
		finding(l->out, POLICY_WARNING, l->sid, N_("NotResource "
		    "allows everything it does not name; list the resources "
		    "instead"));
	if (json_get(st, "Resource") == NULL) {
		if (json_get(st, "NotResource") == NULL)
			finding(l->out, POLICY_ERROR, l->sid, N_("the "
			    "statement has no Resource"));
		return;
	}
	n = str_list(json_get(st, "Resource"), res, LIST_MAX);
	if (n > LIST_MAX)
		n = LIST_MAX;
	for (i = 0; i < n; i++) {
		types[i] = NULL;
		if (strcmp(res[i], "*") == 0)
			star = 1;
		else
			lint_arn(l, res[i], &types[i]);
	}
	for (j = 0; j < nacts; j++) {
		const struct catalog_action *ca = catalog_action(l->cat,
		    acts[j]);

		if (ca == NULL)
			continue;
		if (ca->resources.n > 0 && star) {
			if (l->allow)
				finding(l->out, POLICY_ERROR, l->sid,
				    N_("Resource \"*\" grants %s on every "
				    "resource; name the ARNs it needs"),
				    acts[j]);
			continue;
		}
		if (ca->resources.n == 0) {
			if (!star)
				finding(l->out, POLICY_ERROR, l->sid, N_("%s "
				    "takes no resource type: its Resource must "
				    "be \"*\""), acts[j]);
			continue;
		}
		for (i = 0, some = 0; i < n && !some; i++)
			some = types[i] != NULL &&
			    accepts(l->cat, acts[j], types[i]->type);
		if (!some)
			finding(l->out, POLICY_ERROR, l->sid, N_("%s applies "
			    "to none of this statement's resources"), acts[j]);
	}
	for (i = 0; i < n; i++) {
		if (types[i] == NULL)
			continue;
		for (j = 0, some = 0; j < nacts && !some; j++)
			some = accepts(l->cat, acts[j], types[i]->type);
		if (!some)
			finding(l->out, POLICY_WARNING, l->sid, N_("no action "
			    "of this statement applies to %s"), res[i]);
	}
}

static int
has_profile_resource(const struct json *st)
{
	const char	*res[LIST_MAX];
	size_t		 i, n;

	n = str_list(json_get(st, "Resource"), res, LIST_MAX);
	for (i = 0; i < n && i < LIST_MAX; i++)
		if (strstr(res[i], ":inference-profile/") != NULL ||
		    strstr(res[i], ":application-inference-profile/") != NULL)
			return 1;
	return 0;
}

static int
has_regionless_fm(const struct json *st)
{
	const char	*res[LIST_MAX];
	size_t		 i, n;

	n = str_list(json_get(st, "Resource"), res, LIST_MAX);
	for (i = 0; i < n && i < LIST_MAX; i++)
		if (strstr(res[i], ":bedrock:::foundation-model/") != NULL)
			return 1;
	return 0;
}

/*
 * IAM evaluates the Region-less foundation model of a global profile with
 * aws:RequestedRegion = "unspecified": a String condition on that key
 * without it never matches.
 */
static void
lint_regionless(struct lint *l, const char *op, const struct json *v)
{
	const char	*vals[LIST_MAX];
	size_t		 i, n;

	if (op == NULL || strncasecmp(op, "String", 6) != 0 ||
	    strncasecmp(op, "StringNot", 9) == 0)
		return;
	n = str_list(v, vals, LIST_MAX);
	for (i = 0; i < n && i < LIST_MAX; i++)
		if (strcmp(vals[i], REGION_UNSPECIFIED) == 0 ||
		    strcmp(vals[i], "*") == 0)
			return;
	finding(l->out, POLICY_ERROR, l->sid, N_("the Region-less "
	    "foundation-model ARN is checked with aws:RequestedRegion = "
	    "\"%s\"; this condition never matches it"), REGION_UNSPECIFIED);
}

static void
lint_conditions(struct lint *l, const struct json *st)
{
	const struct json	*cond = json_get(st, "Condition");
	size_t			 i, j;

	if (cond == NULL)
		return;
	if (!json_is_object(cond)) {
		finding(l->out, POLICY_ERROR, l->sid, N_("Condition must be "
		    "an object"));
		return;
	}
	for (i = 0; i < json_len(cond); i++) {
		const struct json *op = json_at(cond, i);

		for (j = 0; json_is_object(op) && j < json_len(op); j++) {
			const char *key = json_key(json_at(op, j));

			if (key == NULL)
				continue;
			if (catalog_condition_key(l->cat, key) == NULL &&
			    strncasecmp(key, "aws:", 4) != 0)
				finding(l->out, POLICY_WARNING, l->sid,
				    N_("unknown condition key %s"), key);
			if (strcasecmp(key, KEY_REGION) == 0 &&
			    has_regionless_fm(st))
				lint_regionless(l, json_key(op),
				    json_at(op, j));
			if (strcasecmp(key, KEY_PROFILE_ARN) == 0 &&
			    has_profile_resource(st))
				finding(l->out, POLICY_ERROR, l->sid,
				    N_("%s is not set when IAM checks an "
				    "inference profile, so this statement "
				    "never allows its profile ARNs; put them "
				    "in a statement without this condition"),
				    key);
		}
	}
}

static int
sid_valid(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]))
			return 0;
	return 1;
}

static void
lint_statement(struct lint *l, const struct json *st, struct set *sids)
{
	const char	*acts[LIST_MAX];
	const char	*effect = json_get_str(st, "Effect");
	size_t		 i, n;

	l->sid = json_get_str(st, "Sid");
	l->allow = effect != NULL && strcmp(effect, "Allow") == 0;
	if (l->sid != NULL) {
		if (!sid_valid(l->sid))
			finding(l->out, POLICY_ERROR, l->sid, N_("a Sid may "
			    "hold only letters and digits"));
		if (set_has(sids, l->sid))
			finding(l->out, POLICY_ERROR, l->sid, N_("the Sid is "
			    "used by another statement"));
		set_add(sids, l->sid);
	}
	if (effect == NULL || (strcmp(effect, "Allow") != 0 &&
	    strcmp(effect, "Deny") != 0))
		finding(l->out, POLICY_ERROR, l->sid, N_("Effect must be "
		    "\"Allow\" or \"Deny\""));
	n = str_list(json_get(st, "Action"), acts, LIST_MAX);
	if (n > LIST_MAX)
		n = LIST_MAX;
	lint_actions(l, st, acts, n);
	lint_resources(l, st, acts, n);
	lint_conditions(l, st);
	if (l->allow) {
		int invoke = 0;

		for (i = 0; i < n; i++) {
			if (strcasecmp(acts[i], "bedrock:InvokeModel") == 0)
				l->invoke = invoke = 1;
			else if (strcasecmp(acts[i],
			    "bedrock:InvokeModelWithResponseStream") == 0)
				l->stream = 1;
		}
		if (invoke) {
			const char *res[LIST_MAX];

			n = str_list(json_get(st, "Resource"), res, LIST_MAX);
			for (i = 0; i < n && i < LIST_MAX; i++)
				set_add(&l->invokable, res[i]);
		}
	}
}

/* Whether some allowed ARN (IAM wildcards * and ?) covers arn. */
static int
covered(const struct lint *l, const char *arn)
{
	size_t	 i;

	for (i = 0; i < l->invokable.n; i++)
		if (fnmatch(l->invokable.v[i], arn, 0) == 0)
			return 1;
	return 0;
}

/* Add region to missing unless its FM ARN for model is covered. */
static void
need_fm(const struct lint *l, const char *partition, const char *region,
    const char *model, struct set *missing)
{
	struct buf	 arn;

	buf_init(&arn, TEXT_MAX);
	buf_printf(&arn, "arn:%s:bedrock:%s::foundation-model/%s", partition,
	    region, model);
	if (!covered(l, buf_str(&arn)))
		set_add(missing, region[0] != '\0' ? region :
		    core_tr(N_("no Region (the Region-less ARN)")));
	buf_free(&arn);
}

/*
 * Each system profile allowed for InvokeModel needs its foundation model
 * in the source Region and in every destination the catalog lists for its
 * prefix (the Region-less ARN for global); a missing one makes only the
 * requests routed there fail.
 */
static void
lint_profile_coverage(struct lint *l)
{
	struct arn_parts		 a;
	const struct catalog_prefix	*pf;
	const char			*pid, *model;
	struct set			 missing = { NULL, 0 };
	struct buf			 list;
	size_t				 i, j;

	for (i = 0; i < l->invokable.n; i++) {
		if (arn_split(l->invokable.v[i], &a) == -1 ||
		    strncmp(a.resource, "inference-profile/", 18) != 0 ||
		    strpbrk(l->invokable.v[i], "*?") != NULL)
			continue;
		pid = a.resource + 18;
		if ((pf = catalog_prefix_of_profile(l->cat, pid)) == NULL)
			continue;
		model = pid + strlen(pf->prefix) + 1;
		need_fm(l, a.partition, a.region, model, &missing);
		for (j = 0; j < pf->destinations.n; j++)
			need_fm(l, a.partition, pf->destinations.v[j], model,
			    &missing);
		if (pf->region_less)
			need_fm(l, a.partition, "", model, &missing);
		set_finish(&missing);
		if (missing.n > 0) {
			buf_init(&list, TEXT_MAX);
			for (j = 0; j < missing.n; j++)
				buf_printf(&list, "%s%s", j > 0 ? ", " : "",
				    missing.v[j]);
			finding(l->out, POLICY_WARNING, "", N_("%s can route "
			    "requests to Regions where no statement allows "
			    "its foundation model: %s; the requests routed "
			    "there will be denied"), l->invokable.v[i],
			    buf_str(&list));
			buf_free(&list);
		}
		set_free(&missing);
	}
}

/*
 * An application profile routes to foundation models the policy must
 * allow too; when the policy allows no foundation model at all (the
 * profile's models were not known when it was built, offline), every call
 * through the profile would be denied.  A wildcard ("*", or a resource
 * "*") that covers a foundation model of the profile's Region counts.
 */
static void
lint_app_profile_models(struct lint *l)
{
	struct arn_parts	 a;
	struct buf		 fm;
	size_t			 i;
	int			 any_fm = 0, covers;

	for (i = 0; i < l->invokable.n; i++)
		if (arn_split(l->invokable.v[i], &a) != -1 &&
		    strncmp(a.resource, "foundation-model/", 17) == 0)
			any_fm = 1;
	if (any_fm)
		return;
	for (i = 0; i < l->invokable.n; i++) {
		if (arn_split(l->invokable.v[i], &a) == -1 ||
		    strncmp(a.resource, "application-inference-profile/",
		    30) != 0)
			continue;
		buf_init(&fm, TEXT_MAX);
		buf_printf(&fm, "arn:%s:bedrock:%s::foundation-model/x",
		    a.partition, a.region);
		covers = covered(l, buf_str(&fm));
		buf_free(&fm);
		if (covers)
			continue;
		finding(l->out, POLICY_WARNING, "", N_("calls through %s also "
		    "need the foundation models it routes to, and no statement "
		    "allows any: add their ARNs (`aws bedrock "
		    "get-inference-profile --inference-profile-identifier %s` "
		    "lists them), or build the policy with credentials so "
		    "bedrock-setup reads them"), l->invokable.v[i],
		    l->invokable.v[i]);
	}
}

/* Pack statements into managed policies, first fit in order. */
static void
lint_size(struct lint *l, const struct json *doc,
    const struct json **sts, size_t n)
{
	size_t		 total = policy_size(doc), i, j, nbins = 0;
	size_t		 fill[LIST_MAX], bin[LIST_MAX];
	/* {"Version":"2012-10-17","Statement":[]} */
	const size_t	 frame = 39;
	struct buf	 plan;

	if (total <= POLICY_MANAGED_MAX)
		return;
	for (i = 0; i < n; i++) {
		size_t sz = policy_size(sts[i]) + 1;

		for (j = 0; j < nbins; j++)
			if (fill[j] + sz <= POLICY_MANAGED_MAX)
				break;
		if (j == nbins)
			fill[nbins++] = frame;
		fill[j] += sz;
		bin[i] = j;
	}
	buf_init(&plan, TEXT_MAX);
	for (j = 0; j < nbins; j++) {
		const char *sep = "";

		buf_printf(&plan, "%s%zu: ", j > 0 ? "; " : "", j + 1);
		for (i = 0; i < n; i++) {
			const char *sid = json_get_str(sts[i], "Sid");

			if (bin[i] != j)
				continue;
			buf_printf(&plan, "%s%s", sep, sid != NULL ? sid :
			    "?");
			sep = " ";
		}
	}
	finding(l->out, POLICY_WARNING, "", N_("the policy has %zu "
	    "characters without white space, more than the %d a managed "
	    "policy may have; split its statements over %zu policies (%s)"),
	    total, POLICY_MANAGED_MAX, nbins, buf_str(&plan));
	buf_free(&plan);
}

size_t
policy_lint(const struct catalog *cat, const struct json *doc,
    struct policy_findings *out)
{
	const struct json	*sts[LIST_MAX];
	const char		*version;
	struct lint		 l;
	struct set		 sids = { NULL, 0 };
	size_t			 i, n;

	memset(out, 0, sizeof *out);
	memset(&l, 0, sizeof l);
	l.cat = cat;
	l.out = out;
	if (!json_is_object(doc)) {
		finding(out, POLICY_ERROR, "", N_("a policy must be a JSON "
		    "object"));
		return out->errors;
	}
	version = json_get_str(doc, "Version");
	if (version == NULL || strcmp(version, POLICY_VERSION) != 0)
		finding(out, POLICY_ERROR, "", N_("Version must be \"%s\""),
		    POLICY_VERSION);
	n = statements(doc, sts, LIST_MAX);
	if (n == 0)
		finding(out, POLICY_ERROR, "", N_("the policy has no "
		    "statement"));
	if (n > LIST_MAX) {
		finding(out, POLICY_ERROR, "", N_("the policy has more than "
		    "%d statements"), LIST_MAX);
		n = LIST_MAX;
	}
	for (i = 0; i < n; i++) {
		if (!json_is_object(sts[i])) {
			finding(out, POLICY_ERROR, "", N_("statement %zu is "
			    "not an object"), i + 1);
			continue;
		}
		lint_statement(&l, sts[i], &sids);
	}
	set_free(&sids);
	lint_profile_coverage(&l);
	lint_app_profile_models(&l);
	set_free(&l.invokable);
	if (l.invoke && !l.stream)
		finding(out, POLICY_WARNING, "", N_("bedrock:InvokeModel "
		    "without bedrock:InvokeModelWithResponseStream: Converse "
		    "works but ConverseStream is denied"));
	if (l.placeholder)
		finding(out, POLICY_INFO, "", N_("replace %s with your "
		    "12-digit account id"), RESOLVE_ACCOUNT_PLACEHOLDER);
	lint_size(&l, doc, sts, n);
	return out->errors;
}

void
policy_findings_free(struct policy_findings *f)
{
	size_t	 i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].sid);
		free(f->v[i].message);
	}
	free(f->v);
	memset(f, 0, sizeof *f);
}
