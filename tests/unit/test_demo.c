/*
 * test_demo.c: the demo account, driven through the real HTTP layer.
 *
 * Every request is built as a client builds it (endpoint_resolve, SigV4
 * with the demo's credentials, by http.c itself) and answered by
 * demo_simulate; the answers are read with the real error parser, JSON
 * and XML readers and event-stream decoder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "awsconfig.h"
#include "catalog.h"
#include "converse_stream.h"
#include "creds.h"
#include "crypto.h"
#include "demo.h"
#include "demo_scenarios.h"
#include "endpoint.h"
#include "err.h"
#include "eventstream.h"
#include "hdr.h"
#include "http.h"
#include "json.h"
#include "sts.h"
#include "tap.h"
#include "xml.h"

#define CONNECT_PROMPT	"Reply with the single word: connected."

struct env {
	struct demo		*d;
	struct http_client	*hc;
	struct creds		*cr;
	struct creds_report	*rep;
	int			 cred_rc;
	struct err		 cred_err;
};

static const char *
no_env(void *arg, const char *name)
{
	(void)arg;
	(void)name;
	return NULL;
}

static double
half(void *arg)
{
	(void)arg;
	return 0.5;
}

static double
mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int
env_open(struct env *v, const char *scenario)
{
	struct http_config	 cfg;
	struct err		 e;

	memset(v, 0, sizeof *v);
	v->d = demo_new(scenario, &e);
	if (v->d == NULL) {
		printf("# demo_new(%s): %s\n", scenario, e.message);
		return -1;
	}
	/* Five times faster than real; the timing checks go back to 1. */
	demo_set_pace(v->d, 0.2);
	memset(&cfg, 0, sizeof cfg);
	cfg.simulate = demo_simulate;
	cfg.simulate_arg = v->d;
	cfg.random = half;
	cfg.max_backoff_ms = 40;
	v->hc = http_client_new(&cfg);
	err_clear(&v->cred_err);
	v->cred_rc = demo_credentials(v->d, time(NULL), &v->cr, &v->rep,
	    &v->cred_err);
	return 0;
}

static void
env_close(struct env *v)
{
	http_client_free(v->hc);
	creds_free(v->cr);
	creds_report_free(v->rep);
	demo_free(v->d);
}

static void
endpoint(enum endpoint_service svc, const char *region, struct endpoint *ep)
{
	struct endpoint_sources	 src;
	struct err		 e;

	memset(&src, 0, sizeof src);
	src.getenv = no_env;
	if (endpoint_resolve(svc, region, &src, ep, &e) != 0)
		printf("# endpoint_resolve: %s\n", e.message);
}

/*
 * One request as a client makes it.  auth_service/auth_region NULL: the
 * endpoint's; creds NULL: unsigned.
 */
static int
call(struct env *v, enum endpoint_service svc, const char *region,
    const char *method, const char *path, const char *body,
    const struct creds *cr, const char *auth_region, const char *auth_svc,
    struct http_response *resp, struct err *e)
{
	struct endpoint		 ep;
	struct http_request	 req;
	struct hdr_list		 h = HDR_LIST_INIT;
	char			 url[1024];
	int			 r;

	endpoint(svc, region, &ep);
	snprintf(url, sizeof url, "%s%s", ep.url, path);
	memset(&req, 0, sizeof req);
	req.op = path;
	req.method = method;
	req.url = url;
	if (body != NULL) {
		hdr_list_add(&h, "Content-Type", svc == EP_STS ||
		    svc == EP_IAM ? "application/x-www-form-urlencoded; "
		    "charset=utf-8" : "application/json");
		req.body = body;
		req.body_len = strlen(body);
	}
	req.headers = &h;
	if (cr != NULL) {
		req.auth.kind = HTTP_AUTH_SIGV4;
		req.auth.creds = cr;
		req.auth.region = auth_region != NULL ? auth_region :
		    ep.signing_region;
		req.auth.service = auth_svc != NULL ? auth_svc :
		    ep.signing_name;
	}
	http_response_init(resp);
	err_clear(e);
	r = http_do(v->hc, &req, resp, e);
	hdr_list_free(&h);
	return r;
}

/* A signed call with the demo's credentials; the body parsed as JSON. */
static struct json *
jcall(struct env *v, enum endpoint_service svc, const char *region,
    const char *method, const char *path, const char *body, long *status,
    struct err *e)
{
	struct http_response	 resp;
	struct json		*j;

	call(v, svc, region, method, path, body, v->cr, NULL, NULL, &resp, e);
	*status = resp.status;
	j = json_parse(buf_str(&resp.body), resp.body.len, NULL);
	http_response_free(&resp);
	return j;
}

static char *
converse_body(const char *prompt, int max_tokens)
{
	struct json	*o = json_new_object(), *msgs, *m, *c, *t, *ic;
	char		*s;

	msgs = json_new_array();
	m = json_new_object();
	json_set_str(m, "role", "user");
	c = json_new_array();
	t = json_new_object();
	json_set_str(t, "text", prompt);
	json_push(c, t);
	json_set(m, "content", c);
	json_push(msgs, m);
	json_set(o, "messages", msgs);
	if (max_tokens > 0) {
		ic = json_new_object();
		json_set_num(ic, "maxTokens", max_tokens);
		json_set(o, "inferenceConfig", ic);
	}
	s = json_print(o);
	json_free(o);
	return s;
}

/* A model id as a URI label: ':' and '/' percent-encoded once. */
static void
encode_id(const char *id, char *out, size_t size)
{
	size_t		 n = 0;
	const char	*p;

	for (p = id; *p != '\0' && n + 4 < size; p++) {
		if (*p == ':' || *p == '/')
			n += (size_t)snprintf(out + n, size - n, "%%%02X",
			    (unsigned char)*p);
		else
			out[n++] = *p;
	}
	out[n] = '\0';
}

/* "/model/<id, encoded once>/converse" */
static void
model_path(const char *id, const char *op, char *out, size_t size)
{
	char	 enc[400];	/* fits "/model/%s/%s" in 512 */

	encode_id(id, enc, sizeof enc);
	if (snprintf(out, size, "/model/%s/%s", enc, op) >= (int)size)
		out[0] = '\0';		/* too long: no such path */
}

/* Converse; the reply's text into text (when 200). */
static int
converse(struct env *v, const char *region, const char *model,
    const char *prompt, int max_tokens, char *text, size_t size,
    struct err *e)
{
	char		 path[512], *body;
	struct json	*j;
	long		 status;
	const char	*s;

	model_path(model, "converse", path, sizeof path);
	body = converse_body(prompt, max_tokens);
	j = jcall(v, EP_BEDROCK_RUNTIME, region, "POST", path, body, &status,
	    e);
	free(body);
	s = json_get_str(json_at(json_path(j, "output", "message", "content",
	    NULL), 0), "text");
	snprintf(text, size, "%s", status == 200 && s != NULL ? s : "");
	json_free(j);
	return (int)status;
}

/* ---- ConverseStream through the driven interface ---- */

struct stream {
	struct es_decoder	*dec;
	struct buf		 text;
	double			 t0, t[256];	/* request start, deltas */
	size_t			 ndeltas;
	int			 start, stop, meta, block_stop;
	long			 out_tokens;
	char			 stop_reason[32];
};

static int
on_message(const struct es_message *m, void *arg, struct err *e)
{
	struct stream			*s = arg;
	struct converse_stream_frame	 f;
	struct json			*j;

	if (converse_stream_classify(m, &f, e) != 0)
		return -1;
	if (f.kind != CONVERSE_STREAM_EVENT)
		return 0;
	j = json_parse((const char *)f.payload, f.payload_len, NULL);
	switch (f.event) {
	case CONVERSE_STREAM_MESSAGE_START:
		s->start++;
		break;
	case CONVERSE_STREAM_CONTENT_BLOCK_DELTA:
		buf_addstr(&s->text, json_get_str(json_get(j, "delta"),
		    "text") ? json_get_str(json_get(j, "delta"), "text") : "");
		if (s->ndeltas < 256)
			s->t[s->ndeltas] = mono_ms();
		s->ndeltas++;
		break;
	case CONVERSE_STREAM_CONTENT_BLOCK_STOP:
		s->block_stop++;
		break;
	case CONVERSE_STREAM_MESSAGE_STOP:
		s->stop++;
		snprintf(s->stop_reason, sizeof s->stop_reason, "%s",
		    json_get_str(j, "stopReason") ?
		    json_get_str(j, "stopReason") : "");
		break;
	case CONVERSE_STREAM_METADATA:
		s->meta++;
		s->out_tokens = (long)json_get_int(json_get(j, "usage"),
		    "outputTokens", -1);
		break;
	default:
		break;
	}
	json_free(j);
	return 0;
}

static int
on_data(void *arg, const void *data, size_t len)
{
	struct stream	*s = arg;
	struct err	 e;

	return es_push(s->dec, data, len, &e) == 0 ? 0 : 1;
}

static int
converse_stream(struct env *v, const char *region, const char *model,
    const char *prompt, struct stream *s, struct http_response *resp,
    struct err *e)
{
	struct endpoint		 ep;
	struct http_request	 req;
	struct hdr_list		 h = HDR_LIST_INIT;
	char			 url[1024], path[512], *body;
	int			 id, done = -1, st = -1;
	double			 t0 = mono_ms();

	memset(s, 0, sizeof *s);
	s->t0 = t0;
	buf_init(&s->text, 0);
	s->dec = es_decoder_new(NULL, on_message, s);
	endpoint(EP_BEDROCK_RUNTIME, region, &ep);
	model_path(model, "converse-stream", path, sizeof path);
	snprintf(url, sizeof url, "%s%s", ep.url, path);
	body = converse_body(prompt, 0);
	hdr_list_add(&h, "Content-Type", "application/json");
	memset(&req, 0, sizeof req);
	req.op = "ConverseStream";
	req.method = "POST";
	req.url = url;
	req.headers = &h;
	req.body = body;
	req.body_len = strlen(body);
	req.auth.kind = HTTP_AUTH_SIGV4;
	req.auth.creds = v->cr;
	req.auth.region = ep.signing_region;
	req.auth.service = ep.signing_name;
	req.on_data = on_data;
	req.on_data_arg = s;
	http_response_init(resp);
	err_clear(e);
	id = http_start(v->hc, &req, resp, e);
	while (id >= 0 && done != id && mono_ms() - t0 < 10000) {
		http_perform(v->hc, NULL, 0, 200);
		done = http_take_done(v->hc, &st);
	}
	free(body);
	hdr_list_free(&h);
	es_decoder_free(s->dec);
	s->dec = NULL;
	return st;
}

/* ---- the checks ---- */

static void
test_scenarios(void)
{
	const struct demo_scenario	*s;
	struct catalog			*cat;
	struct demo			*d;
	struct err			 e;
	int				 n = 0, good = 0;

	cat = catalog_load_embedded(&e);
	for (s = demo_scenarios(); s->name != NULL; s++) {
		n++;
		d = demo_new(s->name, &e);
		if (d != NULL && catalog_model(cat, demo_model(d)) != NULL &&
		    catalog_region(cat, demo_region(d)) != NULL &&
		    strcmp(demo_scenario_name(d), s->name) == 0)
			good++;
		demo_free(d);
	}
	is_int(good, n, "every scenario of the table opens, with a catalog "
	    "model and Region");
	d = demo_new("no-such-world", &e);
	ok(d == NULL && e.kind == ERR_USAGE, "unknown scenario: ERR_USAGE");
	d = demo_new(NULL, &e);
	is_str(d != NULL ? demo_scenario_name(d) : NULL, "happy",
	    "no scenario: happy");
	if (d != NULL) {
		const struct catalog_model *m = catalog_model(cat,
		    demo_model(d));

		ok(m != NULL && catalog_model_in_region(m, demo_region(d)) &&
		    (strcmp(m->provider, "Amazon") == 0 ||
		    strcmp(m->provider, "Anthropic") == 0),
		    "happy: an Amazon or Anthropic model offered on demand in "
		    "its Region");
	}
	demo_free(d);
	catalog_free(cat);
}

static void
test_credentials(void)
{
	struct env		 v;
	struct awsconfig_setting set;
	size_t			 i, used = 0, other = 0;

	if (env_open(&v, "happy") != 0)
		return;
	is_int(v.cred_rc, 0, "happy: credentials found");
	ok(v.cr != NULL && strncmp(v.cr->access_key_id, "AKIADEMO", 8) == 0,
	    "key id AKIADEMO...");
	is_str(v.cr != NULL ? v.cr->source : NULL, "demo account (simulated)",
	    "source text");
	ok(v.cr != NULL && secret_len(v.cr->secret_access_key) >= 20 &&
	    v.cr->session_token == NULL, "a secret, no token");
	for (i = 0; i < CREDS_SRC_COUNT; i++) {
		if (v.rep->rows[i].state == CREDS_USED)
			used++;
		else if (v.rep->rows[i].state != CREDS_NOT_CONFIGURED)
			other++;
	}
	ok(used == 1 && other == 0 && v.rep->used >= 0 &&
	    v.rep->rows[v.rep->used].state == CREDS_USED &&
	    v.rep->rows[v.rep->used].label != NULL,
	    "report: one row used, the rest not configured");
	ok(v.rep->creds != NULL && strcmp(v.rep->creds->access_key_id,
	    v.cr->access_key_id) == 0, "report carries the credentials");
	memset(&set, 0, sizeof set);
	demo_region_setting(v.d, &set);
	is_str(set.value, "us-east-1", "Region setting");
	is_str(set.source, "demo account", "Region source");
	awsconfig_setting_clear(&set);
	env_close(&v);

	if (env_open(&v, "no-credentials") != 0)
		return;
	ok(v.cred_rc == -1 && v.cr == NULL &&
	    v.cred_err.kind == ERR_CREDENTIALS, "no-credentials: none, "
	    "ERR_CREDENTIALS");
	for (i = 0, other = 0; i < CREDS_SRC_COUNT; i++)
		if (v.rep->rows[i].state != CREDS_NOT_CONFIGURED ||
		    v.rep->rows[i].label == NULL)
			other++;
	ok(other == 0 && v.rep->used == -1 && v.rep->creds == NULL,
	    "no-credentials: every source not configured");
	env_close(&v);
}

static void
test_sts_and_auth(void)
{
	struct env		 v;
	struct endpoint		 ep;
	struct sts_identity	 id;
	struct http_response	 resp;
	struct creds		*bad;
	struct err		 e;
	int			 r;

	if (env_open(&v, "happy") != 0)
		return;
	endpoint(EP_STS, "eu-west-1", &ep);
	r = sts_get_caller_identity(v.hc, &ep, v.cr, &id, &e);
	is_int(r, 0, "GetCallerIdentity (%s)", e.message);
	is_str(id.account, DEMO_ACCOUNT, "account");
	is_str(id.arn, "arn:aws:iam::111122223333:user/workshop-participant",
	    "identity ARN");
	ok(id.request_id[0] != '\0', "request id");

	call(&v, EP_BEDROCK, "us-east-1", "GET", "/foundation-models", NULL,
	    NULL, NULL, NULL, &resp, &e);
	ok(resp.status == 403 && strcmp(e.code,
	    "MissingAuthenticationTokenException") == 0,
	    "unsigned request rejected (%ld %s)", resp.status, e.code);
	http_response_free(&resp);

	call(&v, EP_BEDROCK, "us-east-1", "GET", "/foundation-models", NULL,
	    v.cr, NULL, "sts", &resp, &e);
	ok(resp.status == 403 && strcmp(e.code, "InvalidSignatureException")
	    == 0 && strstr(e.message, "correct service") != NULL,
	    "scope naming the wrong service (%s: %s)", e.code, e.message);
	http_response_free(&resp);

	call(&v, EP_BEDROCK_RUNTIME, "us-east-1", "GET", "/foundation-models",
	    NULL, v.cr, "us-west-2", NULL, &resp, &e);
	ok(resp.status == 403 && strcmp(e.code, "InvalidSignatureException")
	    == 0, "scope naming the wrong Region (%s)", e.code);
	http_response_free(&resp);

	bad = creds_new(v.cr->access_key_id, "not-the-demo-secret-at-all",
	    NULL, "test");
	call(&v, EP_BEDROCK, "us-east-1", "GET",
	    "/foundation-models?byProvider=Amazon", NULL, bad, NULL, NULL,
	    &resp, &e);
	ok(resp.status == 403 && strcmp(e.code, "InvalidSignatureException")
	    == 0 && strncmp(e.message, "The request signature we calculated "
	    "does not match", 50) == 0, "wrong secret: signature mismatch "
	    "(%s)", e.code);
	ok(strstr(buf_str(&resp.body), "Canonical String") != NULL &&
	    strstr(buf_str(&resp.body), "not-the-demo") == NULL,
	    "mismatch echoes the canonical request, never the secret");
	http_response_free(&resp);
	creds_free(bad);

	bad = creds_new("AKIAOTHERACCOUNT0001", "x", NULL, "test");
	call(&v, EP_BEDROCK, "us-east-1", "GET", "/foundation-models", NULL,
	    bad, NULL, NULL, &resp, &e);
	is_str(e.code, "UnrecognizedClientException", "unknown key id");
	http_response_free(&resp);
	r = sts_get_caller_identity(v.hc, &ep, bad, &id, &e);
	ok(r == -1 && strcmp(e.code, "InvalidClientTokenId") == 0,
	    "STS: unknown key is InvalidClientTokenId (%s)", e.code);
	creds_free(bad);

	call(&v, EP_BEDROCK, "us-gov-west-1", "GET", "/foundation-models",
	    NULL, v.cr, NULL, NULL, &resp, &e);
	is_str(e.code, "UnrecognizedClientException",
	    "GovCloud rejects commercial keys");
	http_response_free(&resp);
	env_close(&v);
}

static void
test_latency(void)
{
	struct env		 v;
	struct http_response	 resp;
	struct err		 e;
	static const char *const regions[] = { "us-east-1", "eu-west-1",
	    "ap-southeast-2" };
	double			 t[3];
	size_t			 i;

	if (env_open(&v, "happy") != 0)
		return;
	demo_set_pace(v.d, 1);
	for (i = 0; i < 3; i++) {
		call(&v, EP_BEDROCK, regions[i], "GET",
		    "/foundation-models?byOutputModality=TEXT", NULL, v.cr,
		    NULL, NULL, &resp, &e);
		t[i] = resp.status == 200 ? resp.ttfb_ms : -1;
		http_response_free(&resp);
	}
	ok(t[0] > 0 && t[0] < t[1] && t[1] < t[2], "time to first byte grows "
	    "with distance: %.0f < %.0f < %.0f ms", t[0], t[1], t[2]);
	ok(demo_region_latency_ms("us-east-1") <
	    demo_region_latency_ms("eu-west-1") &&
	    demo_region_latency_ms("eu-west-1") <
	    demo_region_latency_ms("ap-southeast-2"), "latency table order");
	call(&v, EP_BEDROCK, "us-east-1", "GET", "/foundation-models", NULL,
	    v.cr, NULL, NULL, &resp, &e);
	ok(hdr_list_get(&resp.headers, "x-amzn-RequestId") != NULL &&
	    resp.have_date, "request id and Date headers");
	http_response_free(&resp);
	env_close(&v);
}

static int
summaries_have(const struct json *list, const char *id, const char *type)
{
	size_t	 i;

	for (i = 0; i < json_len(list); i++) {
		const struct json *m = json_at(list, i);

		if (strcmp(json_get_str(m, "modelId") ?
		    json_get_str(m, "modelId") : "", id) == 0)
			return type == NULL || json_array_has_str(json_get(m,
			    "inferenceTypesSupported"), type);
	}
	return 0;
}

static void
test_control_plane(void)
{
	struct env	 v;
	struct json	*j, *all;
	struct err	 e;
	long		 st;
	size_t		 i, n_all, bad = 0, total = 0, pages = 0;
	char		 path[512], prev[256] = "", enc[256];
	char		*tok = NULL;

	if (env_open(&v, "happy") != 0)
		return;
	all = jcall(&v, EP_BEDROCK, "us-east-1", "GET", "/foundation-models",
	    NULL, &st, &e);
	n_all = json_len(json_get(all, "modelSummaries"));
	ok(st == 200 && n_all > 5, "ListFoundationModels: %zu models", n_all);
	ok(summaries_have(json_get(all, "modelSummaries"), demo_model(v.d),
	    "ON_DEMAND"), "lists the workshop's model, on demand");
	j = jcall(&v, EP_BEDROCK, "us-east-1", "GET",
	    "/foundation-models?byProvider=amazon", NULL, &st, &e);
	for (i = 0; i < json_len(json_get(j, "modelSummaries")); i++)
		if (strcmp(json_get_str(json_at(json_get(j, "modelSummaries"),
		    i), "providerName"), "Amazon") != 0)
			bad++;
	ok(st == 200 && bad == 0 && json_len(json_get(j, "modelSummaries")) >
	    0 && json_len(json_get(j, "modelSummaries")) < n_all,
	    "byProvider filters (ignoring case)");
	json_free(j);
	json_free(all);
	j = jcall(&v, EP_BEDROCK, "us-east-1", "GET",
	    "/foundation-models?byInferenceType=SOMETIMES", NULL, &st, &e);
	ok(st == 400 && strcmp(e.code, "ValidationException") == 0,
	    "bad enum: ValidationException");
	json_free(j);

	encode_id(demo_model(v.d), enc, sizeof enc);
	snprintf(path, sizeof path, "/foundation-models/%s", enc);
	j = jcall(&v, EP_BEDROCK, "us-east-1", "GET", path, NULL, &st, &e);
	is_str(json_get_str(json_get(j, "modelDetails"), "modelId"),
	    demo_model(v.d), "GetFoundationModel");
	json_free(j);

	/* Pagination: pages of 5, following nextToken, until it ends. */
	for (;;) {
		struct json *list;

		if (tok == NULL)
			snprintf(path, sizeof path, "/inference-profiles?"
			    "maxResults=5&type=SYSTEM_DEFINED");
		else
			snprintf(path, sizeof path, "/inference-profiles?"
			    "maxResults=5&nextToken=%s&type=SYSTEM_DEFINED",
			    tok);
		free(tok);
		tok = NULL;
		j = jcall(&v, EP_BEDROCK, "us-east-1", "GET", path, NULL, &st,
		    &e);
		list = json_get(j, "inferenceProfileSummaries");
		if (st != 200 || json_len(list) > 5)
			bad++;
		for (i = 0; i < json_len(list); i++) {
			const char *id = json_get_str(json_at(list, i),
			    "inferenceProfileId");

			if (id == NULL || strcmp(id, prev) <= 0)
				bad++;
			else
				snprintf(prev, sizeof prev, "%s", id);
			total++;
		}
		pages++;
		if (json_get_str(j, "nextToken") != NULL)
			tok = strdup(json_get_str(j, "nextToken"));
		json_free(j);
		if (tok == NULL || pages > 100)
			break;
	}
	j = jcall(&v, EP_BEDROCK, "us-east-1", "GET",
	    "/inference-profiles?maxResults=1000", NULL, &st, &e);
	ok(pages > 2 && bad == 0 && total == json_len(json_get(j,
	    "inferenceProfileSummaries")) && json_get(j, "nextToken") == NULL,
	    "ListInferenceProfiles pages: %zu pages, %zu profiles, sorted, no "
	    "repeats", pages, total);
	json_free(j);
	j = jcall(&v, EP_BEDROCK, "us-east-1", "GET",
	    "/inference-profiles?nextToken=garbage", NULL, &st, &e);
	is_int(st, 400, "bad page token: 400");
	json_free(j);
	j = jcall(&v, EP_BEDROCK, "us-east-1", "GET",
	    "/inference-profiles/us.amazon.nova-micro-v1%3A0", NULL, &st, &e);
	ok(st == 200 && json_len(json_get(j, "models")) >= 2 &&
	    strcmp(json_get_str(j, "inferenceProfileArn") ?
	    json_get_str(j, "inferenceProfileArn") : "", "arn:aws:bedrock:"
	    "us-east-1:111122223333:inference-profile/us.amazon.nova-micro-"
	    "v1:0") == 0, "GetInferenceProfile: ARN and destinations");
	json_free(j);

	j = jcall(&v, EP_BEDROCK, "us-east-1", "GET",
	    "/list-foundation-model-agreement-offers/anthropic.claude-haiku-"
	    "4-5-20251001-v1%3A0", NULL, &st, &e);
	ok(st == 200 && json_len(json_get(j, "offers")) == 1 &&
	    json_path(json_at(json_get(j, "offers"), 0), "termDetails",
	    "legalTerm", NULL) != NULL, "Anthropic: one offer with a EULA");
	json_free(j);
	j = jcall(&v, EP_BEDROCK, "us-east-1", "GET",
	    "/list-foundation-model-agreement-offers/amazon.nova-micro-v1%3A0",
	    NULL, &st, &e);
	ok(st == 200 && json_len(json_get(j, "offers")) == 0,
	    "Amazon: no Marketplace offer");
	json_free(j);
	j = jcall(&v, EP_BEDROCK, "us-east-1", "GET",
	    "/use-case-for-model-access", NULL, &st, &e);
	ok(st == 200 && json_get_str(j, "formData") != NULL,
	    "happy: the use-case form is on file");
	json_free(j);
	j = jcall(&v, EP_BEDROCK, "us-east-1", "GET",
	    "/foundation-model-availability/amazon.nova-micro-v1%3A0", NULL,
	    &st, &e);
	is_str(json_get_str(json_get(j, "agreementAvailability"), "status"),
	    "AVAILABLE", "availability: agreement AVAILABLE");
	json_free(j);
	env_close(&v);
}

static void
test_happy_runtime(void)
{
	struct env		 v;
	struct stream		 s;
	struct http_response	 resp;
	struct err		 e;
	char			 text[2048], again[2048];
	size_t			 i, rising = 0;
	int			 st;

	if (env_open(&v, "happy") != 0)
		return;
	st = converse(&v, "us-east-1", demo_model(v.d), CONNECT_PROMPT, 10,
	    text, sizeof text, &e);
	is_int(st, 200, "Converse (%s)", e.message);
	is_str(text, "connected.", "the wizard's first message");
	converse(&v, "us-east-1", demo_model(v.d), "Tell me about "
	    "Bedrock regions", 4, text, sizeof text, &e);
	converse(&v, "us-east-1", demo_model(v.d), "Tell me about "
	    "Bedrock regions", 4, again, sizeof again, &e);
	ok(text[0] != '\0' && strcmp(text, again) == 0,
	    "same prompt, same reply");
	converse(&v, "us-east-1", demo_model(v.d), "Who are you?", 0, text,
	    sizeof text, &e);
	ok(strstr(text, "demo account") != NULL, "other prompts say they come "
	    "from the demo account: %s", text);

	converse(&v, "us-east-1", demo_model(v.d), "Write a haiku", 0, text,
	    sizeof text, &e);
	demo_set_pace(v.d, 1);
	st = converse_stream(&v, "us-east-1", demo_model(v.d), "Write a haiku",
	    &s, &resp, &e);
	demo_set_pace(v.d, 0.2);
	is_int(st, 0, "ConverseStream (%s)", e.message);
	is_str(hdr_list_get(&resp.headers, "Content-Type"),
	    "application/vnd.amazon.eventstream", "event-stream content type");
	ok(s.start == 1 && s.block_stop == 1 && s.stop == 1 && s.meta == 1,
	    "messageStart, contentBlockStop, messageStop, metadata");
	ok(s.ndeltas >= 2, "%zu contentBlockDelta pieces", s.ndeltas);
	for (i = 1; i < s.ndeltas && i < 256; i++)
		if (s.t[i] >= s.t[i - 1])
			rising++;
	/* Each delta is due 25 ms or more after the one before it. */
	ok(s.ndeltas >= 2 && s.ndeltas <= 256 && rising + 1 == s.ndeltas &&
	    s.t[s.ndeltas - 1] > s.t[0] &&
	    s.t[s.ndeltas - 1] - s.t0 >= 25.0 * (double)(s.ndeltas - 1),
	    "pieces arrive over time (%.0f ms from the first to the last of "
	    "%zu)", s.ndeltas > 0 ? s.t[s.ndeltas - 1] - s.t[0] : 0.0,
	    s.ndeltas);
	is_str(buf_str(&s.text), text, "streamed text = Converse text");
	is_str(s.stop_reason, "end_turn", "stopReason");
	is_int(s.out_tokens, (long)s.ndeltas, "usage.outputTokens");
	ok(resp.streamed > 0 && resp.body.len == 0, "body was streamed");
	http_response_free(&resp);
	buf_free(&s.text);

	converse(&v, "us-east-1", demo_model(v.d), "Tell me about "
	    "Bedrock regions", 3, text, sizeof text, &e);
	ok(strchr(text, ' ') != NULL && strchr(strchr(strchr(text, ' ') + 1,
	    ' ') + 1, ' ') == NULL, "maxTokens cuts the reply: %s", text);
	st = converse(&v, "us-east-1", "amazon.titan-embed-text-v2:0",
	    "hi", 0, text, sizeof text, &e);
	is_int(st, 400, "an embedding model cannot chat");
	st = converse(&v, "us-east-1", "no.such-model-v1:0", "hi", 0, text,
	    sizeof text, &e);
	ok(st == 400 && strcmp(e.message, "The provided model identifier is "
	    "invalid.") == 0, "unknown model id");
	env_close(&v);
}

static void
test_wrong_region(void)
{
	struct env	 v;
	struct json	*j;
	struct err	 e;
	char		 text[512];
	long		 st;
	int		 s;

	if (env_open(&v, "wrong-region") != 0)
		return;
	j = jcall(&v, EP_BEDROCK, demo_region(v.d), "GET",
	    "/foundation-models", NULL, &st, &e);
	ok(st == 200 && json_len(json_get(j, "modelSummaries")) > 0 &&
	    !summaries_have(json_get(j, "modelSummaries"), demo_model(v.d),
	    NULL), "ListFoundationModels in %s lacks %s", demo_region(v.d),
	    demo_model(v.d));
	json_free(j);
	s = converse(&v, demo_region(v.d), demo_model(v.d), CONNECT_PROMPT, 5,
	    text, sizeof text, &e);
	ok(s == 400 && strcmp(e.code, "ValidationException") == 0 &&
	    strcmp(e.message, "The provided model identifier is invalid.") ==
	    0, "Converse there: 400 invalid identifier");
	s = converse(&v, "us-east-1", demo_model(v.d), CONNECT_PROMPT, 5, text,
	    sizeof text, &e);
	ok(s == 200 && strcmp(text, "connected.") == 0,
	    "the same model works in us-east-1");
	env_close(&v);
}

static void
test_iam_denied(void)
{
	struct env		 v;
	struct endpoint		 ep;
	struct sts_identity	 id;
	struct http_response	 resp;
	struct stream		 s;
	struct xml_doc		*x;
	const struct xml_node	*n;
	struct json		*j;
	struct err		 e;
	char			 text[512], want[1024], path[256];
	const char		*body;
	int			 st, allowed = 0, denied = 0;

	if (env_open(&v, "iam-denied") != 0)
		return;
	ok(v.cr != NULL && v.cr->session_token != NULL &&
	    v.cr->expiration > time(NULL), "session credentials that expire");
	endpoint(EP_STS, demo_region(v.d), &ep);
	sts_get_caller_identity(v.hc, &ep, v.cr, &id, &e);
	ok(strncmp(id.arn, "arn:aws:sts::111122223333:assumed-role/", 39) == 0,
	    "an assumed role: %s", id.arn);
	st = converse(&v, demo_region(v.d), demo_model(v.d), CONNECT_PROMPT,
	    5, text, sizeof text, &e);
	snprintf(want, sizeof want, "User: %s is not authorized to perform: "
	    "bedrock:InvokeModel on resource: arn:aws:bedrock:%s::"
	    "foundation-model/%s because no identity-based policy allows the "
	    "bedrock:InvokeModel action", id.arn, demo_region(v.d),
	    demo_model(v.d));
	ok(st == 403 && strcmp(e.code, "AccessDeniedException") == 0,
	    "Converse: 403 AccessDeniedException");
	is_str(e.message, want, "the IAM denial, word for word");

	model_path(demo_model(v.d), "converse", path, sizeof path);
	call(&v, EP_BEDROCK_RUNTIME, demo_region(v.d), "POST", path,
	    "{\"messages\":[]}", v.cr, NULL, NULL, &resp, &e);
	j = json_parse(buf_str(&resp.body), resp.body.len, NULL);
	ok(json_get_str(j, "Message") != NULL && json_get(j, "message") ==
	    NULL, "body key is Message");
	json_free(j);
	http_response_free(&resp);

	st = converse_stream(&v, demo_region(v.d), demo_model(v.d), "hi", &s,
	    &resp, &e);
	ok(st == -1 && resp.status == 403 && strstr(e.message,
	    "bedrock:InvokeModelWithResponseStream on resource") != NULL,
	    "ConverseStream names InvokeModelWithResponseStream");
	http_response_free(&resp);
	buf_free(&s.text);

	body = "Action=SimulatePrincipalPolicy&Version=2010-05-08&"
	    "PolicySourceArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2F"
	    "WorkshopReadOnly&ActionNames.member.1=bedrock%3AInvokeModel&"
	    "ActionNames.member.2=bedrock%3AListFoundationModels&"
	    "ActionNames.member.3=bedrock%3AInvokeModelWithResponseStream";
	call(&v, EP_IAM, demo_region(v.d), "POST", "/", body, v.cr, NULL, NULL,
	    &resp, &e);
	x = xml_parse(buf_str(&resp.body), resp.body.len, NULL);
	n = xml_path(xml_root(x), "SimulatePrincipalPolicyResult/"
	    "EvaluationResults");
	for (n = xml_child(n, "member"); n != NULL; n = xml_next(n, "member")) {
		const char *a = xml_path_text(n, "EvalActionName");
		const char *dcs = xml_path_text(n, "EvalDecision");

		if (a == NULL || dcs == NULL)
			continue;
		if (strstr(a, "Invoke") != NULL && strcmp(dcs, "implicitDeny")
		    == 0)
			denied++;
		if (strstr(a, "List") != NULL && strcmp(dcs, "allowed") == 0)
			allowed++;
	}
	ok(resp.status == 200 && denied == 2 && allowed == 1,
	    "SimulatePrincipalPolicy: invoke actions implicitDeny, discovery "
	    "allowed");
	xml_free(x);
	http_response_free(&resp);

	{
		struct creds *bad = creds_new(v.cr->access_key_id,
		    "not-the-demo-secret-at-all",
		    secret_reveal(v.cr->session_token), "test");

		call(&v, EP_BEDROCK, demo_region(v.d), "GET",
		    "/foundation-models", NULL, bad, NULL, NULL, &resp, &e);
		ok(strcmp(e.code, "InvalidSignatureException") == 0 &&
		    strstr(buf_str(&resp.body), "x-amz-security-token:****") !=
		    NULL && strstr(buf_str(&resp.body),
		    secret_reveal(v.cr->session_token)) == NULL &&
		    strstr(e.message, secret_reveal(v.cr->session_token)) ==
		    NULL, "mismatch echo masks the session token");
		http_response_free(&resp);
		creds_free(bad);
	}

	call(&v, EP_IAM, demo_region(v.d), "POST", "/",
	    "Action=SimulatePrincipalPolicy&Version=2010-05-08&"
	    "PolicySourceArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FOther&"
	    "ActionNames.member.1=bedrock%3AInvokeModel", v.cr, NULL, NULL,
	    &resp, &e);
	ok(resp.status == 404 && strcmp(e.code, "NoSuchEntity") == 0,
	    "another role: NoSuchEntity");
	http_response_free(&resp);
	env_close(&v);
}

static void
test_terms_pending(void)
{
	struct env	 v;
	struct json	*j;
	struct err	 e;
	struct buf	 b64;
	char		 text[512], body[2048], tok[1024], path[512], enc[256];
	const char	*form = "{\"companyName\":\"Example Workshop\","
	    "\"companyWebsite\":\"https://example.com\",\"intendedUsers\":\"0\","
	    "\"industryOption\":\"Education\",\"otherIndustryOption\":\"\","
	    "\"useCases\":\"Learning to call Bedrock.\"}";
	long		 st;
	int		 s;

	if (env_open(&v, "terms-pending") != 0)
		return;
	ok(strncmp(demo_model(v.d), "anthropic.", 10) == 0,
	    "an Anthropic model");
	j = jcall(&v, EP_BEDROCK, demo_region(v.d), "GET",
	    "/use-case-for-model-access", NULL, &st, &e);
	ok(st == 404 && strcmp(e.code, "ResourceNotFoundException") == 0,
	    "GetUseCaseForModelAccess: 404");
	json_free(j);
	encode_id(demo_model(v.d), enc, sizeof enc);
	snprintf(path, sizeof path, "/foundation-model-availability/%s", enc);
	j = jcall(&v, EP_BEDROCK, demo_region(v.d), "GET", path, NULL, &st, &e);
	is_str(json_get_str(json_get(j, "agreementAvailability"), "status"),
	    "NOT_AVAILABLE", "agreement NOT_AVAILABLE");
	json_free(j);
	s = converse(&v, demo_region(v.d), demo_model(v.d), CONNECT_PROMPT, 5,
	    text, sizeof text, &e);
	ok(s == 404 && strcmp(e.message, "Model use case details have not "
	    "been submitted for this account. Fill out the Anthropic use case "
	    "details form before using the model.") == 0,
	    "Converse: 404, the form message");
	s = converse(&v, demo_region(v.d), "amazon.nova-micro-v1:0",
	    CONNECT_PROMPT, 5, text, sizeof text, &e);
	is_int(s, 200, "an Amazon model needs no form");

	/* Offers and an agreement: PENDING until the first call. */
	snprintf(path, sizeof path, "/list-foundation-model-agreement-offers/"
	    "anthropic.claude-haiku-4-5-20251001-v1%%3A0");
	j = jcall(&v, EP_BEDROCK, demo_region(v.d), "GET", path, NULL, &st, &e);
	snprintf(tok, sizeof tok, "%s", json_get_str(json_at(json_get(j,
	    "offers"), 0), "offerToken") ? json_get_str(json_at(json_get(j,
	    "offers"), 0), "offerToken") : "");
	json_free(j);
	snprintf(body, sizeof body, "{\"offerToken\":\"%s\",\"modelId\":\"%s\"}",
	    tok, demo_model(v.d));
	j = jcall(&v, EP_BEDROCK, demo_region(v.d), "POST",
	    "/create-foundation-model-agreement", body, &st, &e);
	is_int(st, 202, "CreateFoundationModelAgreement: 202");
	json_free(j);
	snprintf(path, sizeof path, "/foundation-model-availability/"
	    "anthropic.claude-haiku-4-5-20251001-v1%%3A0");
	j = jcall(&v, EP_BEDROCK, demo_region(v.d), "GET", path, NULL, &st, &e);
	is_str(json_get_str(json_get(j, "agreementAvailability"), "status"),
	    "PENDING", "agreement PENDING once created");
	json_free(j);

	j = jcall(&v, EP_BEDROCK, demo_region(v.d), "POST",
	    "/use-case-for-model-access", "{\"formData\":\"not base64!\"}",
	    &st, &e);
	is_int(st, 400, "a form that is not base64: 400");
	json_free(j);
	buf_init(&b64, 0);
	crypto_base64_encode("{\"companyName\":\"X\"}", 19, &b64);
	snprintf(body, sizeof body, "{\"formData\":\"%s\"}", buf_str(&b64));
	buf_free(&b64);
	j = jcall(&v, EP_BEDROCK, demo_region(v.d), "POST",
	    "/use-case-for-model-access", body, &st, &e);
	ok(st == 400 && !demo_form_submitted(v.d), "an incomplete form: 400, "
	    "still not submitted (%s)", e.message);
	json_free(j);
	s = converse(&v, demo_region(v.d), demo_model(v.d), CONNECT_PROMPT, 5,
	    text, sizeof text, &e);
	is_int(s, 404, "still 404 after a bad form");

	buf_init(&b64, 0);
	crypto_base64_encode(form, strlen(form), &b64);
	snprintf(body, sizeof body, "{\"formData\":\"%s\"}", buf_str(&b64));
	buf_free(&b64);
	j = jcall(&v, EP_BEDROCK, demo_region(v.d), "POST",
	    "/use-case-for-model-access", body, &st, &e);
	ok(st == 201 && demo_form_submitted(v.d), "PutUseCaseForModelAccess: "
	    "201 (%s)", e.message);
	json_free(j);
	j = jcall(&v, EP_BEDROCK, demo_region(v.d), "GET",
	    "/use-case-for-model-access", NULL, &st, &e);
	ok(st == 200 && json_get_str(j, "formData") != NULL,
	    "the form is on file now");
	json_free(j);
	s = converse(&v, demo_region(v.d), demo_model(v.d), CONNECT_PROMPT, 5,
	    text, sizeof text, &e);
	ok(s == 200 && strcmp(text, "connected.") == 0,
	    "Converse works after the form");
	j = jcall(&v, EP_BEDROCK, demo_region(v.d), "GET", path, NULL, &st, &e);
	is_str(json_get_str(json_get(j, "agreementAvailability"), "status"),
	    "AVAILABLE", "the first call completed the subscription");
	json_free(j);
	env_close(&v);
}

static void
test_needs_profile(void)
{
	struct env	 v;
	struct json	*j;
	struct err	 e;
	char		 text[512], want[1024], id[256];
	long		 st;
	int		 s;

	if (env_open(&v, "needs-profile") != 0)
		return;
	j = jcall(&v, EP_BEDROCK, demo_region(v.d), "GET",
	    "/foundation-models?byOutputModality=TEXT", NULL, &st, &e);
	ok(summaries_have(json_get(j, "modelSummaries"), demo_model(v.d),
	    "INFERENCE_PROFILE") && !summaries_have(json_get(j,
	    "modelSummaries"), demo_model(v.d), "ON_DEMAND"),
	    "listed as INFERENCE_PROFILE only");
	json_free(j);
	s = converse(&v, demo_region(v.d), demo_model(v.d), CONNECT_PROMPT, 5,
	    text, sizeof text, &e);
	snprintf(want, sizeof want, "Invocation of model ID %s with on-demand "
	    "throughput isn\xe2\x80\x99t supported. Retry your request with "
	    "the ID or ARN of an inference profile that contains this model.",
	    demo_model(v.d));
	ok(s == 400 && strcmp(e.code, "ValidationException") == 0,
	    "bare id: 400 ValidationException");
	is_str(e.message, want, "on-demand message, curly apostrophe");
	snprintf(id, sizeof id, "us.%s", demo_model(v.d));
	s = converse(&v, demo_region(v.d), id, CONNECT_PROMPT, 5, text,
	    sizeof text, &e);
	ok(s == 200 && strcmp(text, "connected.") == 0, "the us. profile "
	    "works");
	snprintf(id, sizeof id, "arn:aws:bedrock:%s:111122223333:"
	    "inference-profile/global.%s", demo_region(v.d), demo_model(v.d));
	s = converse(&v, demo_region(v.d), id, CONNECT_PROMPT, 5, text,
	    sizeof text, &e);
	is_int(s, 200, "the global. profile ARN works");
	s = converse(&v, demo_region(v.d), "eu.anthropic.claude-sonnet-4-5-"
	    "20250929-v1:0", CONNECT_PROMPT, 5, text, sizeof text, &e);
	ok(s == 400 && strcmp(e.message, "The provided model identifier is "
	    "invalid.") == 0, "an eu. profile from us-east-1 is invalid");
	env_close(&v);
}

static void
test_throttled(void)
{
	struct env		 v;
	struct http_response	 resp;
	struct json		*j;
	struct err		 e;
	char			 path[256], *body;
	long			 st;

	if (env_open(&v, "throttled") != 0)
		return;
	model_path(demo_model(v.d), "converse", path, sizeof path);
	body = converse_body(CONNECT_PROMPT, 5);
	call(&v, EP_BEDROCK_RUNTIME, demo_region(v.d), "POST", path, body,
	    v.cr, NULL, NULL, &resp, &e);
	ok(resp.status == 429 && strcmp(e.code, "ThrottlingException") == 0 &&
	    strncmp(e.message, "Too many tokens per day, please wait before "
	    "trying again.", 56) == 0, "429 ThrottlingException (%s)",
	    e.message);
	is_int(resp.attempts, 3, "retries ran out");
	http_response_free(&resp);
	free(body);
	j = jcall(&v, EP_BEDROCK, demo_region(v.d), "GET",
	    "/foundation-models", NULL, &st, &e);
	is_int(st, 200, "the control plane is not throttled");
	json_free(j);
	env_close(&v);
}

static void
test_analyzer_and_hosts(void)
{
	struct env		 v;
	struct http_response	 resp;
	struct json		*j;
	struct err		 e;
	char			*doc;
	long			 st;
	size_t			 i;
	int			 missing_version = 0, invalid_action = 0;
	struct json		*q;

	if (env_open(&v, "happy") != 0)
		return;
	q = json_new_object();
	json_set_str(q, "policyDocument", "{\"Version\":\"2012-10-17\","
	    "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
	    "\"bedrock:InvokeModel\"],\"Resource\":\"arn:aws:bedrock:us-east-1"
	    "::foundation-model/amazon.nova-micro-v1:0\"}]}");
	json_set_str(q, "policyType", "IDENTITY_POLICY");
	doc = json_print(q);
	j = jcall(&v, EP_ACCESS_ANALYZER, "us-east-1", "POST",
	    "/policy/validation", doc, &st, &e);
	ok(st == 200 && json_is_array(json_get(j, "findings")) &&
	    json_len(json_get(j, "findings")) == 0, "a good policy: no "
	    "findings");
	json_free(j);
	free(doc);
	json_set_str(q, "policyDocument", "{\"Statement\":[{\"Effect\":"
	    "\"Allow\",\"Action\":[\"InvokeModel\"],\"Resource\":\"*\"}]}");
	doc = json_print(q);
	j = jcall(&v, EP_ACCESS_ANALYZER, "us-east-1", "POST",
	    "/policy/validation", doc, &st, &e);
	for (i = 0; i < json_len(json_get(j, "findings")); i++) {
		const char *c = json_get_str(json_at(json_get(j, "findings"),
		    i), "issueCode");

		if (c != NULL && strcmp(c, "MISSING_VERSION") == 0)
			missing_version++;
		if (c != NULL && strcmp(c, "INVALID_ACTION") == 0)
			invalid_action++;
	}
	ok(missing_version == 1 && invalid_action == 1,
	    "findings: MISSING_VERSION and INVALID_ACTION");
	json_free(j);
	free(doc);
	json_set_str(q, "policyDocument", "{\"Version\": ");
	doc = json_print(q);
	j = jcall(&v, EP_ACCESS_ANALYZER, "us-east-1", "POST",
	    "/policy/validation", doc, &st, &e);
	is_str(json_get_str(json_at(json_get(j, "findings"), 0), "issueCode"),
	    "JSON_SYNTAX_ERROR", "a broken policy: JSON_SYNTAX_ERROR");
	json_free(j);
	free(doc);
	json_free(q);

	call(&v, EP_SSO, "us-east-1", "GET", "/federation/credentials?"
	    "role_name=r&account_id=111122223333", NULL, NULL, NULL, NULL,
	    &resp, &e);
	is_int(resp.status, 401, "no SSO in the demo");
	http_response_free(&resp);

	{
		struct http_request	 req;

		memset(&req, 0, sizeof req);
		req.method = "GET";
		req.url = "https://example.com/";
		req.max_attempts = 1;
		http_response_init(&resp);
		http_do(v.hc, &req, &resp, &e);
		ok(e.kind == ERR_NETWORK, "other hosts fail like DNS (%s)",
		    e.message);
		http_response_free(&resp);
	}
	env_close(&v);
}

int
main(void)
{
	double	 t0 = mono_ms();

	test_scenarios();
	test_credentials();
	test_sts_and_auth();
	test_latency();
	test_control_plane();
	test_happy_runtime();
	test_wrong_region();
	test_iam_denied();
	test_terms_pending();
	test_needs_profile();
	test_throttled();
	test_analyzer_and_hosts();
	ok(mono_ms() - t0 < 20000, "ran in %.1f s", (mono_ms() - t0) / 1000);
	return tap_done();
}
