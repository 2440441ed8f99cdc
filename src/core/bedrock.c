/*
 * bedrock.c: Bedrock control-plane calls (see bedrock.h): build the
 * request, send it through the HTTP layer, read the JSON answer into
 * caller-owned structs.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bedrock.h"
#include "buf.h"
#include "crypto.h"
#include "endpoint.h"
#include "err.h"
#include "hdr.h"
#include "http.h"
#include "i18n.h"
#include "json.h"
#include "resolve.h"
#include "xalloc.h"

/* Caps on what one answer may make us hold. */
#define MAX_LIST	4096		/* strings in one list */
#define MAX_ITEMS	16384		/* models, profiles, offers, rates */
#define MAX_PAGES	1000		/* ListInferenceProfiles pages */
#define FORM_MIN	10		/* formData blob bytes, as modelled */
#define FORM_MAX	16384

static char *
dupnull(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
bedrock_strv_free(struct bedrock_strv *sv)
{
	size_t	 i;

	if (sv == NULL)
		return;
	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

void
bedrock_strv_copy(struct bedrock_strv *out, const char *const *v, size_t n)
{
	size_t	 i;

	out->v = xcalloc(n > 0 ? n : 1, sizeof *out->v);
	for (i = 0; i < n; i++)
		out->v[i] = xstrdup(v[i]);
	out->n = n;
}

int
bedrock_strv_has(const struct bedrock_strv *sv, const char *s)
{
	size_t	 i;

	for (i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

const char *
bedrock_ctx_region(const struct bedrock_ctx *ctx)
{
	if (ctx == NULL)
		return NULL;
	if (ctx->region != NULL)
		return ctx->region;
	return ctx->ep != NULL && ctx->ep->signing_region[0] != '\0' ?
	    ctx->ep->signing_region : NULL;
}

/* The strings of a JSON array; other members are skipped. */
static void
strv_from_json(struct bedrock_strv *sv, const struct json *arr)
{
	size_t	 i, n = json_len(arr);

	sv->v = NULL;
	sv->n = 0;
	if (!json_is_array(arr) || n == 0)
		return;
	if (n > MAX_LIST)
		n = MAX_LIST;
	sv->v = xcalloc(n, sizeof *sv->v);
	for (i = 0; i < n; i++) {
		const char *s = json_str(json_at(arr, i));

		if (s != NULL)
			sv->v[sv->n++] = xstrdup(s);
	}
}

/* Percent-encode s with the unreserved set into b. */
static void
escape_into(struct buf *b, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' ||
		    *p == '~')
			buf_addc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

char *
bedrock_path_escape(const char *s)
{
	struct buf	 b = BUF_INIT;

	escape_into(&b, s != NULL ? s : "");
	return buf_take(&b, NULL);
}

/* Add "&key=value" (or "?key=value" first) when value is set. */
static void
query_add(struct buf *b, int *first, const char *key, const char *value)
{
	if (value == NULL)
		return;
	buf_addc(b, *first ? '?' : '&');
	*first = 0;
	buf_addstr(b, key);
	buf_addc(b, '=');
	escape_into(b, value);
}

char *
bedrock_arn_region(const char *arn)
{
	const char	*p = arn, *end;
	int		 i;

	if (arn == NULL || strncmp(arn, "arn:", 4) != 0)
		return NULL;
	for (i = 0; i < 3; i++) {
		p = strchr(p, ':');
		if (p == NULL)
			return NULL;
		p++;
	}
	end = strchr(p, ':');
	if (end == NULL || end == p)
		return NULL;
	return xstrndup(p, (size_t)(end - p));
}

/* Whether the text before the first '.' of id names a profile prefix. */
static int
has_profile_prefix(const char *id)
{
	static const char *const known[] = {
		"us", "eu", "apac", "jp", "au", "us-gov", "global", "ca", "in",
		"sa", "uk", "me", "mx"
	};
	const char	*dot = strchr(id, '.'), *colon, *p;
	size_t		 i, n;

	if (dot == NULL || dot == id)
		return 0;
	n = (size_t)(dot - id);
	for (i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strlen(known[i]) == n && strncmp(id, known[i], n) == 0)
			return 1;
	/* An unknown geography: short, lower-case, before "provider.model". */
	if (n > 6)
		return 0;
	for (p = id; p < dot; p++)
		if (!islower((unsigned char)*p) && *p != '-')
			return 0;
	colon = strchr(dot + 1, ':');
	p = strchr(dot + 1, '.');
	return p != NULL && (colon == NULL || p < colon);
}

char *
bedrock_bare_model_id(const char *id)
{
	const char	*p, *slash;
	int		 i;

	if (id == NULL)
		return NULL;
	if (strncmp(id, "arn:", 4) == 0) {
		p = id;
		for (i = 0; i < 5 && p != NULL; i++) {
			p = strchr(p, ':');
			if (p != NULL)
				p++;
		}
		if (p != NULL && (slash = strchr(p, '/')) != NULL) {
			if ((size_t)(slash - p) == strlen("foundation-model") &&
			    strncmp(p, "foundation-model", 16) == 0)
				return xstrdup(slash + 1);
			id = slash + 1;
		}
	}
	if (has_profile_prefix(id))
		return xstrdup(strchr(id, '.') + 1);
	return xstrdup(id);
}

/* Requests. */

static int
ctx_check(const struct bedrock_ctx *ctx, struct err *e)
{
	if (ctx == NULL || ctx->http == NULL || ctx->ep == NULL ||
	    (ctx->creds == NULL && ctx->bearer == NULL)) {
		err_set(e, ERR_USAGE, N_("a Bedrock call needs an HTTP client, "
		    "an endpoint and credentials"));
		return -1;
	}
	return 0;
}

static void
set_auth(const struct bedrock_ctx *ctx, const struct endpoint *ep,
    struct http_request *req)
{
	if (ctx->bearer != NULL) {
		req->auth.kind = HTTP_AUTH_BEARER;
		req->auth.bearer = ctx->bearer;
		return;
	}
	req->auth.kind = HTTP_AUTH_SIGV4;
	req->auth.creds = ctx->creds;
	req->auth.region = ep->signing_region[0] != '\0' ?
	    ep->signing_region : ctx->region;
	req->auth.service = ep->signing_name[0] != '\0' ? ep->signing_name :
	    "bedrock";
}

/* Fill req for ep + path; url and h are the caller's, freed after. */
static void
prepare(const struct bedrock_ctx *ctx, const struct endpoint *ep,
    const char *op, const char *method, const char *path, const char *body,
    struct buf *url, struct hdr_list *h, struct http_request *req)
{
	memset(req, 0, sizeof *req);
	buf_printf(url, "%s%s", ep->url, path);
	req->op = op;
	req->method = method;
	req->url = buf_str(url);
	if (body != NULL) {
		hdr_list_add(h, "Content-Type", "application/json");
		req->body = body;
		req->body_len = strlen(body);
	}
	req->headers = h;
	set_auth(ctx, ep, req);
}

/* One call to ctx's endpoint; resp holds the answer (caller frees). */
static int
call(const struct bedrock_ctx *ctx, const char *op, const char *method,
    const char *path, const char *body, struct http_response *resp,
    struct err *e)
{
	struct http_request	 req;
	struct buf		 url = BUF_INIT;
	struct hdr_list		 h = HDR_LIST_INIT;
	struct err		 le;
	int			 r;

	http_response_init(resp);
	if (ctx_check(ctx, e) != 0)
		return -1;
	prepare(ctx, ctx->ep, op, method, path, body, &url, &h, &req);
	err_clear(&le);
	r = http_do(ctx->http, &req, resp, &le);
	if (r != 0)
		err_copy(e, &le);
	buf_free(&url);
	hdr_list_free(&h);
	return r;
}

static int
need_arg(const char *v, const char *what, struct err *e)
{
	if (v != NULL && *v != '\0')
		return 0;
	err_set(e, ERR_USAGE, N_("the Bedrock call needs %s"), core_tr(what));
	return -1;
}

/* Parse an answer that must be a JSON object. */
static struct json *
parse_object(const char *text, size_t len, const char *what, struct err *e)
{
	struct json	*j;

	if (text == NULL || len == 0) {
		err_set(e, ERR_PROTOCOL, N_("Bedrock %s answered with an "
		    "empty body"), what);
		return NULL;
	}
	j = json_parse(text, len, e);
	if (j == NULL || !json_is_object(j)) {
		json_free(j);
		err_set(e, ERR_PROTOCOL, N_("Bedrock %s answered with JSON "
		    "that could not be read"), what);
		return NULL;
	}
	return j;
}

/* Models. */

static void
model_from_json(struct bedrock_model *m, const struct json *o)
{
	const struct json	*lc = json_get(o, "modelLifecycle");

	memset(m, 0, sizeof *m);
	m->id = xstrdup(json_get_str(o, "modelId"));
	m->arn = dupnull(json_get_str(o, "modelArn"));
	m->name = dupnull(json_get_str(o, "modelName"));
	m->provider = dupnull(json_get_str(o, "providerName"));
	strv_from_json(&m->input_modalities, json_get(o, "inputModalities"));
	strv_from_json(&m->output_modalities, json_get(o, "outputModalities"));
	strv_from_json(&m->customizations,
	    json_get(o, "customizationsSupported"));
	strv_from_json(&m->inference_types,
	    json_get(o, "inferenceTypesSupported"));
	m->streaming = json_get_bool(o, "responseStreamingSupported", -1);
	if (json_is_object(lc)) {
		m->lifecycle.status = dupnull(json_get_str(lc, "status"));
		m->lifecycle.start_of_life =
		    dupnull(json_get_str(lc, "startOfLifeTime"));
		m->lifecycle.end_of_life =
		    dupnull(json_get_str(lc, "endOfLifeTime"));
		m->lifecycle.legacy_time =
		    dupnull(json_get_str(lc, "legacyTime"));
		m->lifecycle.public_extended_access_time =
		    dupnull(json_get_str(lc, "publicExtendedAccessTime"));
	}
}

void
bedrock_model_free(struct bedrock_model *m)
{
	if (m == NULL)
		return;
	free(m->id);
	free(m->arn);
	free(m->name);
	free(m->provider);
	bedrock_strv_free(&m->input_modalities);
	bedrock_strv_free(&m->output_modalities);
	bedrock_strv_free(&m->customizations);
	bedrock_strv_free(&m->inference_types);
	free(m->lifecycle.status);
	free(m->lifecycle.start_of_life);
	free(m->lifecycle.end_of_life);
	free(m->lifecycle.legacy_time);
	free(m->lifecycle.public_extended_access_time);
	memset(m, 0, sizeof *m);
}

void
bedrock_model_list_free(struct bedrock_model_list *l)
{
	size_t	 i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		bedrock_model_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int
bedrock_parse_models(const char *text, size_t len,
    struct bedrock_model_list *out, struct err *e)
{
	struct json		*j;
	const struct json	*arr;
	size_t			 i, n;

	err_clear(e);
	memset(out, 0, sizeof *out);
	if ((j = parse_object(text, len, "ListFoundationModels", e)) == NULL)
		return -1;
	arr = json_get(j, "modelSummaries");
	if (arr != NULL && !json_is_array(arr)) {
		json_free(j);
		err_set(e, ERR_PROTOCOL, N_("Bedrock ListFoundationModels "
		    "answered without a list of models"));
		return -1;
	}
	n = json_len(arr);
	if (n > MAX_ITEMS)
		n = MAX_ITEMS;
	if (n > 0)
		out->v = xcalloc(n, sizeof *out->v);
	for (i = 0; i < n; i++) {
		const struct json *o = json_at(arr, i);

		if (json_get_str(o, "modelId") == NULL)
			continue;
		model_from_json(&out->v[out->n++], o);
	}
	json_free(j);
	return 0;
}

int
bedrock_parse_model_details(const char *text, size_t len,
    struct bedrock_model *out, struct err *e)
{
	struct json		*j;
	const struct json	*d;

	err_clear(e);
	memset(out, 0, sizeof *out);
	if ((j = parse_object(text, len, "GetFoundationModel", e)) == NULL)
		return -1;
	d = json_get(j, "modelDetails");
	if (json_get_str(d, "modelId") == NULL) {
		json_free(j);
		err_set(e, ERR_PROTOCOL, N_("Bedrock GetFoundationModel "
		    "answered without modelDetails.modelId"));
		return -1;
	}
	model_from_json(out, d);
	json_free(j);
	return 0;
}

static void
fm_path(struct buf *b, const struct bedrock_fm_filter *f)
{
	int	 first = 1;

	buf_addstr(b, "/foundation-models");
	if (f == NULL)
		return;
	/* Sorted, as the signer would sort them anyway. */
	query_add(b, &first, "byCustomizationType", f->customization_type);
	query_add(b, &first, "byInferenceType", f->inference_type);
	query_add(b, &first, "byOutputModality", f->output_modality);
	query_add(b, &first, "byProvider", f->provider);
}

int
bedrock_list_foundation_models(const struct bedrock_ctx *ctx,
    const struct bedrock_fm_filter *f, struct bedrock_model_list *out,
    struct err *e)
{
	struct http_response	 resp;
	struct buf		 path = BUF_INIT;
	int			 r;

	err_clear(e);
	memset(out, 0, sizeof *out);
	fm_path(&path, f);
	r = call(ctx, "ListFoundationModels", "GET", buf_str(&path), NULL,
	    &resp, e);
	if (r == 0)
		r = bedrock_parse_models(resp.body.data, resp.body.len, out, e);
	http_response_free(&resp);
	buf_free(&path);
	return r;
}

size_t
bedrock_list_foundation_models_many(const struct bedrock_ctx *ctx,
    const struct endpoint *eps, size_t n, const struct bedrock_fm_filter *f,
    struct bedrock_region_models *out)
{
	struct http_request	*reqs;
	struct http_response	*resps;
	struct err		*errs;
	struct buf		*urls, path = BUF_INIT;
	struct hdr_list		*hs;
	size_t			 i, failed = 0;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof out[i]);
		snprintf(out[i].region, sizeof out[i].region, "%s",
		    eps[i].signing_region);
	}
	if (ctx == NULL || ctx->http == NULL ||
	    (ctx->creds == NULL && ctx->bearer == NULL)) {
		for (i = 0; i < n; i++) {
			out[i].failed = 1;
			ctx_check(ctx, &out[i].err);
		}
		return n;
	}
	reqs = xcalloc(n, sizeof *reqs);
	resps = xcalloc(n, sizeof *resps);
	errs = xcalloc(n, sizeof *errs);
	urls = xcalloc(n, sizeof *urls);
	hs = xcalloc(n, sizeof *hs);
	fm_path(&path, f);
	for (i = 0; i < n; i++) {
		buf_init(&urls[i], 0);
		hdr_list_init(&hs[i]);
		prepare(ctx, &eps[i], "ListFoundationModels", "GET",
		    buf_str(&path), NULL, &urls[i], &hs[i], &reqs[i]);
		http_response_init(&resps[i]);
	}
	http_do_many(ctx->http, reqs, resps, errs, n, NULL, NULL);
	for (i = 0; i < n; i++) {
		if (errs[i].kind != ERR_NONE ||
		    bedrock_parse_models(resps[i].body.data, resps[i].body.len,
		    &out[i].models, &errs[i]) != 0) {
			out[i].failed = 1;
			err_copy(&out[i].err, &errs[i]);
			failed++;
		}
		http_response_free(&resps[i]);
		buf_free(&urls[i]);
		hdr_list_free(&hs[i]);
	}
	buf_free(&path);
	free(reqs);
	free(resps);
	free(errs);
	free(urls);
	free(hs);
	return failed;
}

int
bedrock_get_foundation_model(const struct bedrock_ctx *ctx,
    const char *id_or_arn, struct bedrock_model *out, struct err *e)
{
	struct http_response	 resp;
	struct buf		 path = BUF_INIT;
	int			 r;

	err_clear(e);
	memset(out, 0, sizeof *out);
	if (need_arg(id_or_arn, N_("a model id"), e) != 0)
		return -1;
	buf_addstr(&path, "/foundation-models/");
	escape_into(&path, id_or_arn);
	r = call(ctx, "GetFoundationModel", "GET", buf_str(&path), NULL,
	    &resp, e);
	if (r == 0)
		r = bedrock_parse_model_details(resp.body.data, resp.body.len,
		    out, e);
	http_response_free(&resp);
	buf_free(&path);
	return r;
}

/* Availability. */

void
bedrock_availability_free(struct bedrock_availability *a)
{
	if (a == NULL)
		return;
	free(a->model_id);
	free(a->agreement);
	free(a->agreement_error);
	free(a->authorization);
	free(a->entitlement);
	free(a->region);
	memset(a, 0, sizeof *a);
}

int
bedrock_parse_availability(const char *text, size_t len,
    struct bedrock_availability *out, struct err *e)
{
	struct json		*j;
	const struct json	*ag;

	err_clear(e);
	memset(out, 0, sizeof *out);
	j = parse_object(text, len, "GetFoundationModelAvailability", e);
	if (j == NULL)
		return -1;
	if (json_get_str(j, "modelId") == NULL) {
		json_free(j);
		err_set(e, ERR_PROTOCOL, N_("Bedrock "
		    "GetFoundationModelAvailability answered without modelId"));
		return -1;
	}
	ag = json_get(j, "agreementAvailability");
	out->model_id = xstrdup(json_get_str(j, "modelId"));
	out->agreement = dupnull(json_get_str(ag, "status"));
	out->agreement_error = dupnull(json_get_str(ag, "errorMessage"));
	out->authorization = dupnull(json_get_str(j, "authorizationStatus"));
	out->entitlement = dupnull(json_get_str(j,
	    "entitlementAvailability"));
	out->region = dupnull(json_get_str(j, "regionAvailability"));
	json_free(j);
	return 0;
}

static void
availability_path(struct buf *b, const char *id)
{
	char	*bare = bedrock_bare_model_id(id);

	buf_addstr(b, "/foundation-model-availability/");
	escape_into(b, bare);
	free(bare);
}

int
bedrock_get_availability(const struct bedrock_ctx *ctx, const char *id,
    struct bedrock_availability *out, struct err *e)
{
	struct http_response	 resp;
	struct buf		 path = BUF_INIT;
	int			 r;

	err_clear(e);
	memset(out, 0, sizeof *out);
	if (need_arg(id, N_("a model id"), e) != 0)
		return -1;
	availability_path(&path, id);
	r = call(ctx, "GetFoundationModelAvailability", "GET",
	    buf_str(&path), NULL, &resp, e);
	if (r == 0)
		r = bedrock_parse_availability(resp.body.data, resp.body.len,
		    out, e);
	http_response_free(&resp);
	buf_free(&path);
	return r;
}

size_t
bedrock_get_availability_many(const struct bedrock_ctx *ctx,
    const char *const *ids, size_t n, struct bedrock_availability *out,
    struct err *errs)
{
	struct http_request	*reqs;
	struct http_response	*resps;
	struct buf		*urls, *paths;
	struct hdr_list		*hs;
	size_t			 i, failed = 0;

	for (i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof out[i]);
		err_clear(&errs[i]);
	}
	if (n == 0)
		return 0;
	if (ctx_check(ctx, &errs[0]) != 0) {
		for (i = 1; i < n; i++)
			err_copy(&errs[i], &errs[0]);
		return n;
	}
	reqs = xcalloc(n, sizeof *reqs);
	resps = xcalloc(n, sizeof *resps);
	urls = xcalloc(n, sizeof *urls);
	paths = xcalloc(n, sizeof *paths);
	hs = xcalloc(n, sizeof *hs);
	for (i = 0; i < n; i++) {
		buf_init(&urls[i], 0);
		buf_init(&paths[i], 0);
		hdr_list_init(&hs[i]);
		availability_path(&paths[i], ids[i] != NULL ? ids[i] : "");
		prepare(ctx, ctx->ep, "GetFoundationModelAvailability", "GET",
		    buf_str(&paths[i]), NULL, &urls[i], &hs[i], &reqs[i]);
		http_response_init(&resps[i]);
	}
	http_do_many(ctx->http, reqs, resps, errs, n, NULL, NULL);
	for (i = 0; i < n; i++) {
		if (errs[i].kind != ERR_NONE ||
		    bedrock_parse_availability(resps[i].body.data,
		    resps[i].body.len, &out[i], &errs[i]) != 0)
			failed++;
		http_response_free(&resps[i]);
		buf_free(&urls[i]);
		buf_free(&paths[i]);
		hdr_list_free(&hs[i]);
	}
	free(reqs);
	free(resps);
	free(urls);
	free(paths);
	free(hs);
	return failed;
}

/* Inference profiles. */

static void
profile_from_json(struct bedrock_profile *p, const struct json *o)
{
	const struct json	*models = json_get(o, "models");
	size_t			 i, n = json_len(models);

	memset(p, 0, sizeof *p);
	p->id = xstrdup(json_get_str(o, "inferenceProfileId"));
	p->arn = dupnull(json_get_str(o, "inferenceProfileArn"));
	p->name = dupnull(json_get_str(o, "inferenceProfileName"));
	p->description = dupnull(json_get_str(o, "description"));
	p->status = dupnull(json_get_str(o, "status"));
	p->type = dupnull(json_get_str(o, "type"));
	p->created_at = dupnull(json_get_str(o, "createdAt"));
	p->updated_at = dupnull(json_get_str(o, "updatedAt"));
	if (!json_is_array(models) || n == 0)
		return;
	if (n > MAX_LIST)
		n = MAX_LIST;
	p->models.v = xcalloc(n, sizeof *p->models.v);
	for (i = 0; i < n; i++) {
		const char *arn = json_get_str(json_at(models, i), "modelArn");

		if (arn != NULL)
			p->models.v[p->models.n++] = xstrdup(arn);
	}
}

void
bedrock_profile_free(struct bedrock_profile *p)
{
	if (p == NULL)
		return;
	free(p->id);
	free(p->arn);
	free(p->name);
	free(p->description);
	free(p->status);
	free(p->type);
	free(p->created_at);
	free(p->updated_at);
	bedrock_strv_free(&p->models);
	memset(p, 0, sizeof *p);
}

void
bedrock_profile_list_free(struct bedrock_profile_list *l)
{
	size_t	 i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		bedrock_profile_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

int
bedrock_parse_profiles(const char *text, size_t len,
    struct bedrock_profile_list *out, char **next, struct err *e)
{
	struct json		*j;
	const struct json	*arr;
	const char		*tok;
	size_t			 i, n;

	err_clear(e);
	*next = NULL;
	if ((j = parse_object(text, len, "ListInferenceProfiles", e)) == NULL)
		return -1;
	arr = json_get(j, "inferenceProfileSummaries");
	if (arr != NULL && !json_is_array(arr)) {
		json_free(j);
		err_set(e, ERR_PROTOCOL, N_("Bedrock ListInferenceProfiles "
		    "answered without a list of profiles"));
		return -1;
	}
	n = json_len(arr);
	if (out->n + n > MAX_ITEMS) {
		json_free(j);
		err_set(e, ERR_LIMIT, N_("Bedrock ListInferenceProfiles "
		    "returned more than %d profiles"), MAX_ITEMS);
		return -1;
	}
	if (n > 0)
		out->v = xreallocarray(out->v, out->n + n, sizeof *out->v);
	for (i = 0; i < n; i++) {
		const struct json *o = json_at(arr, i);

		if (json_get_str(o, "inferenceProfileId") == NULL)
			continue;
		profile_from_json(&out->v[out->n++], o);
	}
	tok = json_get_str(j, "nextToken");
	if (tok != NULL && *tok != '\0')
		*next = xstrdup(tok);
	out->pages++;
	json_free(j);
	return 0;
}

int
bedrock_parse_profile(const char *text, size_t len,
    struct bedrock_profile *out, struct err *e)
{
	struct json	*j;

	err_clear(e);
	memset(out, 0, sizeof *out);
	if ((j = parse_object(text, len, "GetInferenceProfile", e)) == NULL)
		return -1;
	if (json_get_str(j, "inferenceProfileId") == NULL) {
		json_free(j);
		err_set(e, ERR_PROTOCOL, N_("Bedrock GetInferenceProfile "
		    "answered without inferenceProfileId"));
		return -1;
	}
	profile_from_json(out, j);
	json_free(j);
	return 0;
}

int
bedrock_list_inference_profiles(const struct bedrock_ctx *ctx,
    const char *type, int max_results, struct bedrock_profile_list *out,
    struct err *e)
{
	struct http_response	 resp;
	struct buf		 path = BUF_INIT;
	char			*token = NULL, *next = NULL, num[16];
	int			 r = 0, first;

	err_clear(e);
	memset(out, 0, sizeof *out);
	if (max_results < 0 || max_results > 1000) {
		err_set(e, ERR_USAGE, N_("maxResults must be between 1 and "
		    "1000"));
		return -1;
	}
	snprintf(num, sizeof num, "%d", max_results);
	for (;;) {
		buf_reset(&path);
		first = 1;
		buf_addstr(&path, "/inference-profiles");
		query_add(&path, &first, "maxResults",
		    max_results > 0 ? num : NULL);
		query_add(&path, &first, "nextToken", token);
		query_add(&path, &first, "type", type);
		r = call(ctx, "ListInferenceProfiles", "GET", buf_str(&path),
		    NULL, &resp, e);
		if (r == 0)
			r = bedrock_parse_profiles(resp.body.data,
			    resp.body.len, out, &next, e);
		http_response_free(&resp);
		if (r != 0 || next == NULL)
			break;
		if (token != NULL && strcmp(token, next) == 0) {
			err_set(e, ERR_PROTOCOL, N_("Bedrock "
			    "ListInferenceProfiles gave the same nextToken "
			    "twice"));
			r = -1;
			break;
		}
		if (out->pages >= MAX_PAGES) {
			err_set(e, ERR_LIMIT, N_("Bedrock "
			    "ListInferenceProfiles did not end after %d "
			    "pages"), MAX_PAGES);
			r = -1;
			break;
		}
		free(token);
		token = next;
		next = NULL;
	}
	free(token);
	free(next);
	buf_free(&path);
	if (r != 0)
		bedrock_profile_list_free(out);
	return r;
}

int
bedrock_get_inference_profile(const struct bedrock_ctx *ctx,
    const char *id_or_arn, struct bedrock_profile *out, struct err *e)
{
	struct http_response	 resp;
	struct buf		 path = BUF_INIT;
	int			 r;

	err_clear(e);
	memset(out, 0, sizeof *out);
	if (need_arg(id_or_arn, N_("an inference profile id"), e) != 0)
		return -1;
	buf_addstr(&path, "/inference-profiles/");
	escape_into(&path, id_or_arn);
	r = call(ctx, "GetInferenceProfile", "GET", buf_str(&path), NULL,
	    &resp, e);
	if (r == 0)
		r = bedrock_parse_profile(resp.body.data, resp.body.len, out,
		    e);
	http_response_free(&resp);
	buf_free(&path);
	return r;
}

/* Agreements. */

void
bedrock_offer_list_free(struct bedrock_offer_list *l)
{
	size_t	 i, k;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		struct bedrock_offer *o = &l->v[i];

		free(o->offer_id);
		free(o->offer_token);
		for (k = 0; k < o->nrates; k++) {
			free(o->rates[k].dimension);
			free(o->rates[k].price);
			free(o->rates[k].description);
			free(o->rates[k].unit);
		}
		free(o->rates);
		free(o->legal_url);
		free(o->refund_policy);
		free(o->agreement_duration);
	}
	free(l->v);
	free(l->model_id);
	memset(l, 0, sizeof *l);
}

static void
offer_from_json(struct bedrock_offer *o, const struct json *j)
{
	const struct json	*td = json_get(j, "termDetails");
	const struct json	*card = json_path(td, "usageBasedPricingTerm",
				    "rateCard", NULL);
	size_t			 i, n = json_len(card);

	memset(o, 0, sizeof *o);
	o->offer_id = dupnull(json_get_str(j, "offerId"));
	o->offer_token = dupnull(json_get_str(j, "offerToken"));
	o->legal_url = dupnull(json_get_str(json_get(td, "legalTerm"), "url"));
	o->refund_policy = dupnull(json_get_str(json_get(td, "supportTerm"),
	    "refundPolicyDescription"));
	o->agreement_duration = dupnull(json_get_str(json_get(td,
	    "validityTerm"), "agreementDuration"));
	if (!json_is_array(card) || n == 0)
		return;
	if (n > MAX_LIST)
		n = MAX_LIST;
	o->rates = xcalloc(n, sizeof *o->rates);
	for (i = 0; i < n; i++) {
		const struct json *r = json_at(card, i);

		if (!json_is_object(r))
			continue;
		o->rates[o->nrates].dimension =
		    dupnull(json_get_str(r, "dimension"));
		o->rates[o->nrates].price = dupnull(json_get_str(r, "price"));
		o->rates[o->nrates].description =
		    dupnull(json_get_str(r, "description"));
		o->rates[o->nrates].unit = dupnull(json_get_str(r, "unit"));
		o->nrates++;
	}
}

int
bedrock_parse_offers(const char *text, size_t len,
    struct bedrock_offer_list *out, struct err *e)
{
	struct json		*j;
	const struct json	*arr;
	size_t			 i, n;

	err_clear(e);
	memset(out, 0, sizeof *out);
	j = parse_object(text, len, "ListFoundationModelAgreementOffers", e);
	if (j == NULL)
		return -1;
	arr = json_get(j, "offers");
	if (arr != NULL && !json_is_array(arr)) {
		json_free(j);
		err_set(e, ERR_PROTOCOL, N_("Bedrock "
		    "ListFoundationModelAgreementOffers answered without a "
		    "list of offers"));
		return -1;
	}
	out->model_id = dupnull(json_get_str(j, "modelId"));
	n = json_len(arr);
	if (n > MAX_ITEMS)
		n = MAX_ITEMS;
	if (n > 0)
		out->v = xcalloc(n, sizeof *out->v);
	for (i = 0; i < n; i++) {
		const struct json *o = json_at(arr, i);

		if (json_is_object(o))
			offer_from_json(&out->v[out->n++], o);
	}
	json_free(j);
	return 0;
}

int
bedrock_list_agreement_offers(const struct bedrock_ctx *ctx,
    const char *model_id, int all, struct bedrock_offer_list *out,
    struct err *e)
{
	struct http_response	 resp;
	struct buf		 path = BUF_INIT;
	char			*bare;
	int			 r, first = 1;

	err_clear(e);
	memset(out, 0, sizeof *out);
	if (need_arg(model_id, N_("a model id"), e) != 0)
		return -1;
	bare = bedrock_bare_model_id(model_id);
	buf_addstr(&path, "/list-foundation-model-agreement-offers/");
	escape_into(&path, bare);
	query_add(&path, &first, "offerType", all ? "ALL" : "PUBLIC");
	free(bare);
	r = call(ctx, "ListFoundationModelAgreementOffers", "GET",
	    buf_str(&path), NULL, &resp, e);
	if (r == 0)
		r = bedrock_parse_offers(resp.body.data, resp.body.len, out,
		    e);
	http_response_free(&resp);
	buf_free(&path);
	return r;
}

int
bedrock_create_agreement(const struct bedrock_ctx *ctx, const char *model_id,
    const char *offer_token, struct err *e)
{
	struct http_response	 resp;
	struct json		*body;
	char			*text;
	int			 r;

	err_clear(e);
	if (need_arg(model_id, N_("a model id"), e) != 0 ||
	    need_arg(offer_token, N_("an offer token"), e) != 0)
		return -1;
	body = json_new_object();
	json_set_str(body, "offerToken", offer_token);
	json_set_str(body, "modelId", model_id);
	text = json_print(body);
	json_free(body);
	r = call(ctx, "CreateFoundationModelAgreement", "POST",
	    "/create-foundation-model-agreement", text, &resp, e);
	http_response_free(&resp);
	free(text);
	return r;
}

/* The use-case form. */

/* The documented keys, in the order the form is written. */
static const struct form_key {
	const char	*key;
	size_t		 off;
	size_t		 max;
	int		 required;
} form_keys[] = {
	{ "companyName", offsetof(struct bedrock_use_case, company_name),
	  128, 1 },
	{ "companyWebsite", offsetof(struct bedrock_use_case,
	  company_website), 128, 1 },
	{ "intendedUsers", offsetof(struct bedrock_use_case, intended_users),
	  1, 1 },
	{ "industryOption", offsetof(struct bedrock_use_case,
	  industry_option), 128, 1 },
	{ "otherIndustryOption", offsetof(struct bedrock_use_case,
	  other_industry_option), 128, 0 },
	{ "useCases", offsetof(struct bedrock_use_case, use_cases), 8192, 1 },
};
#define NFORM_KEYS	(sizeof form_keys / sizeof form_keys[0])

static char **
form_field(struct bedrock_use_case *u, size_t i)
{
	return (char **)(void *)((char *)u + form_keys[i].off);
}

static const char *
form_value(const struct bedrock_use_case *u, size_t i)
{
	return *(char *const *)(const void *)((const char *)u +
	    form_keys[i].off);
}

/* Characters (UTF-8 code points) in s. */
static size_t
utf8_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

void
bedrock_use_case_free(struct bedrock_use_case *u)
{
	size_t	 i;

	if (u == NULL)
		return;
	for (i = 0; i < NFORM_KEYS; i++)
		free(*form_field(u, i));
	memset(u, 0, sizeof *u);
}

int
bedrock_use_case_validate(const struct bedrock_use_case *u, struct err *e)
{
	const char	*v;
	size_t		 i;

	err_clear(e);
	if (u == NULL) {
		err_set(e, ERR_USAGE, N_("no use-case form to check"));
		return -1;
	}
	for (i = 0; i < NFORM_KEYS; i++) {
		v = form_value(u, i);
		if (form_keys[i].required && (v == NULL || *v == '\0')) {
			err_set(e, ERR_USAGE, N_("the use-case form needs %s"),
			    form_keys[i].key);
			err_where(e, "%s", form_keys[i].key);
			return -1;
		}
		if (v != NULL && utf8_chars(v) > form_keys[i].max) {
			err_set(e, ERR_USAGE, N_("%s in the use-case form is "
			    "longer than %zu characters"), form_keys[i].key,
			    form_keys[i].max);
			err_where(e, "%s", form_keys[i].key);
			return -1;
		}
	}
	if (strcmp(u->intended_users, "0") != 0 &&
	    strcmp(u->intended_users, "1") != 0 &&
	    strcmp(u->intended_users, "2") != 0) {
		err_set(e, ERR_USAGE, N_("intendedUsers in the use-case form "
		    "must be 0 (internal), 1 (external) or 2 (both)"));
		err_where(e, "intendedUsers");
		return -1;
	}
	return 0;
}

char *
bedrock_use_case_form_data(const struct bedrock_use_case *u, struct err *e)
{
	struct json	*form;
	struct buf	 b = BUF_INIT;
	char		*text;
	size_t		 i, len;

	err_clear(e);
	if (bedrock_use_case_validate(u, e) != 0)
		return NULL;
	form = json_new_object();
	for (i = 0; i < NFORM_KEYS; i++)
		if (form_value(u, i) != NULL)
			json_set_str(form, form_keys[i].key, form_value(u, i));
	text = json_print(form);
	json_free(form);
	len = strlen(text);
	if (len < FORM_MIN || len > FORM_MAX) {
		err_set(e, ERR_USAGE, N_("the use-case form is %zu bytes of "
		    "JSON; AWS takes %d to %d"), len, FORM_MIN, FORM_MAX);
		free(text);
		return NULL;
	}
	if (crypto_base64_encode(text, len, &b) != 0) {
		err_set(e, ERR_INTERNAL, N_("could not encode the use-case "
		    "form"));
		free(text);
		buf_free(&b);
		return NULL;
	}
	free(text);
	return buf_take(&b, NULL);
}

int
bedrock_use_case_decode(const char *form_data, struct bedrock_use_case *out,
    struct err *e)
{
	struct buf	 raw;
	struct json	*j;
	size_t		 i;

	err_clear(e);
	memset(out, 0, sizeof *out);
	buf_init(&raw, FORM_MAX * 2);
	if (form_data == NULL || crypto_base64_decode(form_data,
	    strlen(form_data), &raw) != 0) {
		buf_free(&raw);
		err_set(e, ERR_PROTOCOL, N_("the use-case form from Bedrock is "
		    "not valid base64"));
		return -1;
	}
	j = json_parse(raw.data != NULL ? raw.data : "", raw.len, e);
	buf_free(&raw);
	if (j == NULL || !json_is_object(j)) {
		json_free(j);
		err_set(e, ERR_PROTOCOL, N_("the use-case form from Bedrock is "
		    "not a JSON object"));
		return -1;
	}
	for (i = 0; i < NFORM_KEYS; i++)
		*form_field(out, i) = dupnull(json_get_str(j,
		    form_keys[i].key));
	json_free(j);
	return 0;
}

int
bedrock_get_use_case(const struct bedrock_ctx *ctx,
    struct bedrock_use_case *out, struct err *e)
{
	struct http_response	 resp;
	struct json		*j;
	struct err		 le;
	int			 r;

	err_clear(e);
	memset(out, 0, sizeof *out);
	err_clear(&le);
	r = call(ctx, "GetUseCaseForModelAccess", "GET",
	    "/use-case-for-model-access", NULL, &resp, &le);
	if (r != 0) {
		http_response_free(&resp);
		if (le.kind == ERR_AWS && le.http_status == 404 &&
		    strcmp(le.code, "ResourceNotFoundException") == 0) {
			err_clear(e);
			return BEDROCK_USE_CASE_NEVER;
		}
		err_copy(e, &le);
		return -1;
	}
	j = parse_object(resp.body.data, resp.body.len,
	    "GetUseCaseForModelAccess", e);
	http_response_free(&resp);
	if (j == NULL)
		return -1;
	r = bedrock_use_case_decode(json_get_str(j, "formData"), out, e);
	json_free(j);
	return r == 0 ? BEDROCK_USE_CASE_SUBMITTED : -1;
}

int
bedrock_put_use_case(const struct bedrock_ctx *ctx,
    const struct bedrock_use_case *u, struct err *e)
{
	struct http_response	 resp;
	struct json		*body;
	char			*data, *text;
	int			 r;

	err_clear(e);
	if ((data = bedrock_use_case_form_data(u, e)) == NULL)
		return -1;
	body = json_new_object();
	json_set_str(body, "formData", data);
	text = json_print(body);
	json_free(body);
	free(data);
	r = call(ctx, "PutUseCaseForModelAccess", "POST",
	    "/use-case-for-model-access", text, &resp, e);
	http_response_free(&resp);
	free(text);
	return r;
}

/* The resolve view. */

int
bedrock_fill_view(struct resolve_view *v, const struct bedrock_model_list *ml,
    const struct bedrock_profile_list *pl, struct err *e)
{
	size_t	 i, k;

	err_clear(e);
	for (i = 0; ml != NULL && i < ml->n; i++) {
		const struct bedrock_model	*m = &ml->v[i];
		struct resolve_fm		*fm;

		fm = resolve_view_add_fm(v, m->id, m->arn, m->provider,
		    m->lifecycle.status, m->streaming);
		if (fm == NULL)
			goto full;
		for (k = 0; k < m->inference_types.n; k++)
			if (resolve_fm_add_type(fm,
			    m->inference_types.v[k]) != 0)
				goto full;
	}
	for (i = 0; pl != NULL && i < pl->n; i++) {
		const struct bedrock_profile	*p = &pl->v[i];
		struct resolve_profile		*rp;

		rp = resolve_view_add_profile(v, p->id, p->arn, p->type);
		if (rp == NULL)
			goto full;
		for (k = 0; k < p->models.n; k++)
			if (resolve_profile_add_model(rp, p->models.v[k]) != 0)
				goto full;
	}
	return 0;
full:
	err_set(e, ERR_LIMIT, N_("too many models or inference profiles in "
	    "one Region to keep"));
	return -1;
}

int
bedrock_fill_view_live(const struct bedrock_ctx *ctx,
    const struct bedrock_model_list *ml, struct resolve_view *v,
    struct err *e)
{
	struct bedrock_profile_list	 pl;
	int				 r;

	memset(&pl, 0, sizeof pl);
	r = bedrock_list_inference_profiles(ctx, NULL, 1000, &pl, e);
	if (r == 0)
		r = bedrock_fill_view(v, ml, &pl, e);
	bedrock_profile_list_free(&pl);
	return r;
}

int
bedrock_live_view(const struct bedrock_ctx *ctx, const char *account,
    struct resolve_view *v, struct err *e)
{
	struct bedrock_model_list	 ml;
	const char			*region = bedrock_ctx_region(ctx);
	int				 r;

	err_clear(e);
	resolve_view_init(v, region != NULL ? region : "", account, "live");
	r = bedrock_list_foundation_models(ctx, NULL, &ml, e);
	if (r == 0)
		r = bedrock_fill_view_live(ctx, &ml, v, e);
	bedrock_model_list_free(&ml);
	return r;
}

int
bedrock_region_view(const struct bedrock_ctx *ctx, const struct catalog *cat,
    const char *account, struct resolve_view *v, struct err *why)
{
	struct err	 e;
	char		*region;
	int		 r = 1;

	err_clear(&e);
	if (bedrock_live_view(ctx, account, v, &e) == 0) {
		err_clear(why);
		return 0;
	}
	err_copy(why, &e);
	region = xstrdup(v->region);
	resolve_view_free(v);
	if (e.kind != ERR_AWS && e.kind != ERR_PROTOCOL &&
	    e.kind != ERR_LIMIT) {
		/* Nothing reached AWS: the call would not either. */
		resolve_view_init(v, region, account, "live");
		r = -1;
	} else
		/* An unknown Region leaves the view empty: nothing resolves. */
		resolve_view_from_catalog(v, cat, region, account, NULL);
	free(region);
	return r;
}
