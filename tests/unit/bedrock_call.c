/*
 * bedrock_call.c: a test driver for bedrock.c and runtime.c.  It runs one
 * named call against an endpoint (the loopback stand-in) and prints one
 * JSON result line, so Python tests can check what the modules did.
 * Streaming calls first print one line per piece of text as it arrives,
 * {"piece": TEXT, "t_ms": milliseconds since the call began}.
 *
 *   bedrock-call [options] list-models
 *   bedrock-call [options] list-models-many REGION...
 *   bedrock-call [options] get-model ID
 *   bedrock-call [options] availability ID
 *   bedrock-call [options] availability-many ID...
 *   bedrock-call [options] list-profiles [TYPE]
 *   bedrock-call [options] get-profile ID
 *   bedrock-call [options] offers ID [all]
 *   bedrock-call [options] create-agreement ID OFFER_TOKEN
 *   bedrock-call [options] get-use-case
 *   bedrock-call [options] put-use-case FORM_JSON
 *   bedrock-call [options] converse MODEL TEXT [TEXT...]
 *   bedrock-call [options] stream MODEL TEXT [TEXT...]
 *   bedrock-call [options] stream-driven MODEL TEXT [TEXT...]
 *   bedrock-call [options] snippet MODEL TEXT [TEXT...]
 *   bedrock-call [options] view ACCOUNT MODEL   (live view, then resolve)
 *
 * TEXTs alternate user and assistant turns.  Options: --endpoint URL
 * (default $AWS_ENDPOINT_URL), --region R, --attempts N, --trace,
 * --bearer (send $AWS_BEARER_TOKEN_BEDROCK), --page-size N,
 * --by-provider P, --by-output-modality M, --by-inference-type T,
 * --by-customization-type C, --max-tokens N, --temperature X, --top-p X,
 * --system TEXT, --stop TEXT, --cancel-after N (stream-driven: cancel from
 * the loop after N pieces), --profile NAME (snippet).  Credentials come
 * from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
 * Backoff waits are capped at 50 ms.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bedrock.h"
#include "creds.h"
#include "endpoint.h"
#include "err.h"
#include "http.h"
#include "json.h"
#include "resolve.h"
#include "runtime.h"
#include "secret.h"

struct opts {
	const char		*endpoint;
	const char		*region;
	const char		*profile;
	int			 bearer;
	int			 page_size;
	int			 cancel_after;
	struct bedrock_fm_filter filter;
	struct runtime_request	 req;
	const char		*stops[8];
	struct http_config	 cfg;
};

static double	 t0;
static int	 npieces;

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void
on_trace(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "%s\n", line);
}

static void
print_json(struct json *o)
{
	char	*s = json_print(o);

	printf("%s\n", s);
	fflush(stdout);
	free(s);
	json_free(o);
}

static int
on_piece(void *arg, const char *text, size_t len)
{
	struct json	*o = json_new_object();
	char		*s = strndup(text, len);

	(void)arg;
	json_set_str(o, "piece", s);
	json_set_num(o, "t_ms", now_ms() - t0);
	print_json(o);
	free(s);
	npieces++;
	return 0;
}

static struct json *
err_json(const struct err *e)
{
	struct json	*o = json_new_object();

	json_set_str(o, "kind", err_kind_name(e->kind));
	json_set_num(o, "http_status", (double)e->http_status);
	json_set_str(o, "code", e->code);
	json_set_str(o, "message", e->message);
	json_set_str(o, "where", e->where);
	return o;
}

static struct json *
result(int rc, const struct err *e)
{
	struct json	*o = json_new_object();

	json_set_bool(o, "ok", rc == 0);
	if (rc != 0)
		json_set(o, "error", err_json(e));
	return o;
}

static void
set_opt_str(struct json *o, const char *key, const char *v)
{
	if (v != NULL)
		json_set_str(o, key, v);
	else
		json_set_null(o, key);
}

static struct json *
strv_json(const struct bedrock_strv *sv)
{
	struct json	*a = json_new_array();
	size_t		 i;

	for (i = 0; i < sv->n; i++)
		json_push_str(a, sv->v[i]);
	return a;
}

static struct json *
model_json(const struct bedrock_model *m)
{
	struct json	*o = json_new_object();

	json_set_str(o, "id", m->id);
	set_opt_str(o, "arn", m->arn);
	set_opt_str(o, "name", m->name);
	set_opt_str(o, "provider", m->provider);
	json_set(o, "inference_types", strv_json(&m->inference_types));
	json_set(o, "output_modalities", strv_json(&m->output_modalities));
	json_set(o, "customizations", strv_json(&m->customizations));
	json_set_num(o, "streaming", m->streaming);
	set_opt_str(o, "lifecycle", m->lifecycle.status);
	return o;
}

static struct json *
models_json(const struct bedrock_model_list *l)
{
	struct json	*a = json_new_array();
	size_t		 i;

	for (i = 0; i < l->n; i++)
		json_push(a, model_json(&l->v[i]));
	return a;
}

static struct json *
avail_json(const struct bedrock_availability *a)
{
	struct json	*o = json_new_object();

	set_opt_str(o, "model_id", a->model_id);
	set_opt_str(o, "agreement", a->agreement);
	set_opt_str(o, "agreement_error", a->agreement_error);
	set_opt_str(o, "authorization", a->authorization);
	set_opt_str(o, "entitlement", a->entitlement);
	set_opt_str(o, "region", a->region);
	return o;
}

static struct json *
profile_json(const struct bedrock_profile *p)
{
	struct json	*o = json_new_object();

	json_set_str(o, "id", p->id);
	set_opt_str(o, "arn", p->arn);
	set_opt_str(o, "name", p->name);
	set_opt_str(o, "type", p->type);
	set_opt_str(o, "status", p->status);
	json_set(o, "models", strv_json(&p->models));
	return o;
}

static struct json *
reply_json(int rc, const struct runtime_reply *r, const struct err *e)
{
	struct json	*o = result(rc, e);

	json_set_str(o, "text", r->text);
	set_opt_str(o, "stop_reason", r->stop_reason);
	json_set_num(o, "input_tokens", (double)r->input_tokens);
	json_set_num(o, "output_tokens", (double)r->output_tokens);
	json_set_num(o, "total_tokens", (double)r->total_tokens);
	json_set_num(o, "latency_ms", (double)r->latency_ms);
	json_set_num(o, "first_text_ms", r->first_text_ms);
	json_set_num(o, "total_ms", r->total_ms);
	json_set_bool(o, "cancelled", r->cancelled);
	json_set_num(o, "pieces", npieces);
	json_set_str(o, "request_id", r->request_id);
	return o;
}

static int
resolve(const struct opts *o, enum endpoint_service svc, const char *region,
    struct endpoint *ep)
{
	struct endpoint_sources	 src;
	struct err		 e;

	memset(&src, 0, sizeof src);
	src.cli_url = o->endpoint;
	if (endpoint_resolve(svc, region, &src, ep, &e) != 0) {
		fprintf(stderr, "bedrock-call: %s\n", e.message);
		return -1;
	}
	return 0;
}

/* Fill the messages from TEXT arguments, alternating roles. */
static struct runtime_message *
messages(struct opts *o, char **argv, int argc)
{
	struct runtime_message	*m = calloc((size_t)argc + 1, sizeof *m);
	int			 i;

	for (i = 0; i < argc; i++) {
		m[i].role = i % 2 == 0 ? "user" : "assistant";
		m[i].text = argv[i];
	}
	o->req.messages = m;
	o->req.nmessages = (size_t)argc;
	return m;
}

static int
run_stream_driven(struct opts *o, const struct runtime_ctx *rc,
    struct http_client *c)
{
	struct runtime_stream	*s;
	struct runtime_reply	 r;
	struct err		 e;
	int			 id, status, done = 0, cancelled = 0, ret;

	err_clear(&e);
	s = runtime_stream_begin(rc, &o->req, on_piece, NULL, &e);
	if (s == NULL) {
		runtime_reply_init(&r);
		print_json(reply_json(-1, &r, &e));
		runtime_reply_free(&r);
		return 1;
	}
	ret = 1;
	while (!done) {
		struct pollfd	 pfd = { 0, POLLIN, 0 };

		/* Wait on stdin too, as the TUI waits on the terminal. */
		http_perform(c, &pfd, 1, 50);
		if (o->cancel_after > 0 && npieces >= o->cancel_after &&
		    !cancelled) {
			runtime_stream_cancel(s);
			cancelled = 1;
		}
		while ((id = http_take_done(c, &status)) >= 0) {
			if (id != runtime_stream_id(s))
				continue;
			ret = runtime_stream_end(s, status, &r, &e);
			print_json(reply_json(ret, &r, &e));
			runtime_reply_free(&r);
			done = 1;
		}
	}
	return ret == 0 ? 0 : 1;
}

static int
parse_form(const char *text, struct bedrock_use_case *u)
{
	struct json	*j = json_parse(text, 0, NULL);
	const char	*v;

	memset(u, 0, sizeof *u);
	if (j == NULL)
		return -1;
#define F(key, member) if ((v = json_get_str(j, key)) != NULL) \
	u->member = strdup(v)
	F("companyName", company_name);
	F("companyWebsite", company_website);
	F("intendedUsers", intended_users);
	F("industryOption", industry_option);
	F("otherIndustryOption", other_industry_option);
	F("useCases", use_cases);
#undef F
	json_free(j);
	return 0;
}

static struct json *
form_json(const struct bedrock_use_case *u)
{
	struct json	*o = json_new_object();

	set_opt_str(o, "companyName", u->company_name);
	set_opt_str(o, "companyWebsite", u->company_website);
	set_opt_str(o, "intendedUsers", u->intended_users);
	set_opt_str(o, "industryOption", u->industry_option);
	set_opt_str(o, "otherIndustryOption", u->other_industry_option);
	set_opt_str(o, "useCases", u->use_cases);
	return o;
}

static int
run(struct opts *o, const char *op, char **argv, int argc)
{
	struct http_client	*c = NULL;
	struct creds		*cr = NULL;
	struct secret		*bearer = NULL;
	struct endpoint		 ep, rep;
	struct bedrock_ctx	 bc;
	struct runtime_ctx	 rc;
	struct err		 e;
	struct json		*j;
	struct runtime_message	*msgs = NULL;
	int			 r = -1, i;
	size_t			 k;

	if (resolve(o, EP_BEDROCK, o->region, &ep) != 0 ||
	    resolve(o, EP_BEDROCK_RUNTIME, o->region, &rep) != 0)
		return 2;
	if (o->bearer)
		bearer = secret_from_str(getenv("AWS_BEARER_TOKEN_BEDROCK"));
	else
		cr = creds_new(getenv("AWS_ACCESS_KEY_ID"),
		    getenv("AWS_SECRET_ACCESS_KEY"),
		    getenv("AWS_SESSION_TOKEN"), "environment");
	c = http_client_new(&o->cfg);
	memset(&bc, 0, sizeof bc);
	bc.http = c;
	bc.ep = &ep;
	bc.creds = cr;
	bc.bearer = bearer;
	bc.region = o->region;
	memset(&rc, 0, sizeof rc);
	rc.http = c;
	rc.ep = &rep;
	rc.creds = cr;
	rc.bearer = bearer;
	err_clear(&e);
	t0 = now_ms();

	if (strcmp(op, "list-models") == 0) {
		struct bedrock_model_list l;

		r = bedrock_list_foundation_models(&bc, &o->filter, &l, &e);
		j = result(r, &e);
		json_set(j, "models", models_json(&l));
		print_json(j);
		bedrock_model_list_free(&l);
	} else if (strcmp(op, "list-models-many") == 0 && argc > 0) {
		struct endpoint			*eps;
		struct bedrock_region_models	*out;
		struct json			*arr = json_new_array(), *one;
		size_t				 failed;

		eps = calloc((size_t)argc, sizeof *eps);
		out = calloc((size_t)argc, sizeof *out);
		for (i = 0; i < argc; i++)
			if (resolve(o, EP_BEDROCK, argv[i], &eps[i]) != 0)
				return 2;
		failed = bedrock_list_foundation_models_many(&bc, eps,
		    (size_t)argc, &o->filter, out);
		for (i = 0; i < argc; i++) {
			one = result(out[i].failed ? -1 : 0, &out[i].err);
			json_set_str(one, "region", out[i].region);
			json_set(one, "models", models_json(&out[i].models));
			json_push(arr, one);
			bedrock_model_list_free(&out[i].models);
		}
		r = failed == 0 ? 0 : -1;
		j = json_new_object();
		json_set_bool(j, "ok", r == 0);
		json_set_num(j, "failed", (double)failed);
		json_set(j, "regions", arr);
		print_json(j);
		free(eps);
		free(out);
	} else if (strcmp(op, "get-model") == 0 && argc == 1) {
		struct bedrock_model m;

		r = bedrock_get_foundation_model(&bc, argv[0], &m, &e);
		j = result(r, &e);
		if (r == 0)
			json_set(j, "model", model_json(&m));
		print_json(j);
		bedrock_model_free(&m);
	} else if (strcmp(op, "availability") == 0 && argc == 1) {
		struct bedrock_availability a;

		r = bedrock_get_availability(&bc, argv[0], &a, &e);
		j = result(r, &e);
		if (r == 0)
			json_set(j, "availability", avail_json(&a));
		print_json(j);
		bedrock_availability_free(&a);
	} else if (strcmp(op, "availability-many") == 0 && argc > 0) {
		struct bedrock_availability	*a;
		struct err			*es;
		struct json			*arr = json_new_array(), *one;
		size_t				 failed;

		a = calloc((size_t)argc, sizeof *a);
		es = calloc((size_t)argc, sizeof *es);
		failed = bedrock_get_availability_many(&bc,
		    (const char *const *)argv, (size_t)argc, a, es);
		for (k = 0; k < (size_t)argc; k++) {
			one = result(es[k].kind == ERR_NONE ? 0 : -1, &es[k]);
			if (es[k].kind == ERR_NONE)
				json_set(one, "availability",
				    avail_json(&a[k]));
			json_push(arr, one);
			bedrock_availability_free(&a[k]);
		}
		r = failed == 0 ? 0 : -1;
		j = json_new_object();
		json_set_bool(j, "ok", r == 0);
		json_set_num(j, "failed", (double)failed);
		json_set(j, "results", arr);
		print_json(j);
		free(a);
		free(es);
	} else if (strcmp(op, "list-profiles") == 0 && argc <= 1) {
		struct bedrock_profile_list	 l;
		struct json			*arr = json_new_array();

		r = bedrock_list_inference_profiles(&bc, argc == 1 ? argv[0] :
		    NULL, o->page_size, &l, &e);
		j = result(r, &e);
		json_set_num(j, "pages", l.pages);
		for (k = 0; k < l.n; k++)
			json_push(arr, profile_json(&l.v[k]));
		json_set(j, "profiles", arr);
		print_json(j);
		bedrock_profile_list_free(&l);
	} else if (strcmp(op, "get-profile") == 0 && argc == 1) {
		struct bedrock_profile p;

		r = bedrock_get_inference_profile(&bc, argv[0], &p, &e);
		j = result(r, &e);
		if (r == 0)
			json_set(j, "profile", profile_json(&p));
		print_json(j);
		bedrock_profile_free(&p);
	} else if (strcmp(op, "offers") == 0 && argc >= 1) {
		struct bedrock_offer_list	 l;
		struct json			*arr = json_new_array(), *one;

		r = bedrock_list_agreement_offers(&bc, argv[0], argc > 1 &&
		    strcmp(argv[1], "all") == 0, &l, &e);
		j = result(r, &e);
		for (k = 0; k < l.n; k++) {
			one = json_new_object();
			set_opt_str(one, "offer_id", l.v[k].offer_id);
			set_opt_str(one, "offer_token", l.v[k].offer_token);
			set_opt_str(one, "legal_url", l.v[k].legal_url);
			json_set_num(one, "rates", (double)l.v[k].nrates);
			if (l.v[k].nrates > 0)
				set_opt_str(one, "first_price",
				    l.v[k].rates[0].price);
			json_push(arr, one);
		}
		json_set(j, "offers", arr);
		print_json(j);
		bedrock_offer_list_free(&l);
	} else if (strcmp(op, "view") == 0 && argc == 2) {
		struct resolve_view	 v;
		struct resolve_result	 rr;
		struct json		*d = json_new_array();

		r = bedrock_live_view(&bc, argv[0], &v, &e);
		j = result(r, &e);
		json_set_num(j, "models", (double)v.nfms);
		json_set_num(j, "profiles", (double)v.nprofiles);
		if (r == 0) {
			r = resolve_model(&v, NULL, argv[1], &rr, &e);
			json_set_str(j, "kind", resolve_kind_name(rr.kind));
			set_opt_str(j, "invoke_id", rr.invoke_id);
			for (k = 0; k < rr.ndestinations; k++)
				json_push_str(d, rr.destinations[k]);
			if (r != 0)
				json_set(j, "resolve_error", err_json(&e));
			resolve_result_free(&rr);
		}
		json_set(j, "destinations", d);
		print_json(j);
		resolve_view_free(&v);
	} else if (strcmp(op, "create-agreement") == 0 && argc == 2) {
		r = bedrock_create_agreement(&bc, argv[0], argv[1], &e);
		print_json(result(r, &e));
	} else if (strcmp(op, "get-use-case") == 0 && argc == 0) {
		struct bedrock_use_case u;

		r = bedrock_get_use_case(&bc, &u, &e);
		j = result(r < 0 ? -1 : 0, &e);
		json_set_str(j, "state", r == BEDROCK_USE_CASE_SUBMITTED ?
		    "submitted" : r == BEDROCK_USE_CASE_NEVER ?
		    "never-submitted" : "failed");
		if (r == BEDROCK_USE_CASE_SUBMITTED)
			json_set(j, "form", form_json(&u));
		print_json(j);
		bedrock_use_case_free(&u);
		r = r < 0 ? -1 : 0;
	} else if (strcmp(op, "put-use-case") == 0 && argc == 1) {
		struct bedrock_use_case u;

		if (parse_form(argv[0], &u) != 0) {
			fprintf(stderr, "bedrock-call: bad form JSON\n");
			r = -1;
		} else {
			r = bedrock_put_use_case(&bc, &u, &e);
			print_json(result(r, &e));
		}
		bedrock_use_case_free(&u);
	} else if ((strcmp(op, "converse") == 0 || strcmp(op, "stream") == 0 ||
	    strcmp(op, "stream-driven") == 0 || strcmp(op, "snippet") == 0) &&
	    argc >= 2) {
		struct runtime_reply reply;

		o->req.model_id = argv[0];
		msgs = messages(o, argv + 1, argc - 1);
		if (strcmp(op, "converse") == 0) {
			r = runtime_converse(&rc, &o->req, &reply, &e);
			print_json(reply_json(r, &reply, &e));
			runtime_reply_free(&reply);
		} else if (strcmp(op, "stream") == 0) {
			r = runtime_converse_stream(&rc, &o->req, on_piece,
			    NULL, &reply, &e);
			print_json(reply_json(r, &reply, &e));
			runtime_reply_free(&reply);
		} else if (strcmp(op, "stream-driven") == 0) {
			r = run_stream_driven(o, &rc, c) == 0 ? 0 : -1;
		} else {
			char *cli = runtime_cli_command(&o->req, o->region,
			    o->profile);
			char *py = runtime_boto3_snippet(&o->req, o->region,
			    o->profile);
			char *body = runtime_request_body(&o->req, &e);

			j = json_new_object();
			json_set_bool(j, "ok", cli != NULL && py != NULL);
			set_opt_str(j, "cli", cli);
			set_opt_str(j, "boto3", py);
			set_opt_str(j, "body", body);
			print_json(j);
			r = cli != NULL && py != NULL ? 0 : -1;
			free(cli);
			free(py);
			free(body);
		}
	} else {
		fprintf(stderr, "bedrock-call: bad operation %s\n", op);
		r = 2;
	}
	free(msgs);
	http_client_free(c);
	creds_free(cr);
	secret_free(bearer);
	return r == 0 ? 0 : r == 2 ? 2 : 1;
}

int
main(int argc, char **argv)
{
	struct opts	 o;
	int		 i, nstops = 0;
	char		*end;

	memset(&o, 0, sizeof o);
	runtime_request_init(&o.req);
	o.endpoint = getenv("AWS_ENDPOINT_URL");
	o.region = "us-east-1";
	o.cfg.max_backoff_ms = 50;
	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";

		if (strcmp(a, "--trace") == 0) {
			o.cfg.trace = on_trace;
			continue;
		}
		if (strcmp(a, "--bearer") == 0) {
			o.bearer = 1;
			continue;
		}
		i++;
		if (strcmp(a, "--endpoint") == 0)
			o.endpoint = v;
		else if (strcmp(a, "--region") == 0)
			o.region = v;
		else if (strcmp(a, "--profile") == 0)
			o.profile = v;
		else if (strcmp(a, "--attempts") == 0)
			o.cfg.max_attempts = (int)strtol(v, NULL, 10);
		else if (strcmp(a, "--page-size") == 0)
			o.page_size = (int)strtol(v, NULL, 10);
		else if (strcmp(a, "--cancel-after") == 0)
			o.cancel_after = (int)strtol(v, NULL, 10);
		else if (strcmp(a, "--by-provider") == 0)
			o.filter.provider = v;
		else if (strcmp(a, "--by-output-modality") == 0)
			o.filter.output_modality = v;
		else if (strcmp(a, "--by-inference-type") == 0)
			o.filter.inference_type = v;
		else if (strcmp(a, "--by-customization-type") == 0)
			o.filter.customization_type = v;
		else if (strcmp(a, "--max-tokens") == 0)
			o.req.max_tokens = strtol(v, NULL, 10);
		else if (strcmp(a, "--temperature") == 0)
			o.req.temperature = strtod(v, &end);
		else if (strcmp(a, "--top-p") == 0)
			o.req.top_p = strtod(v, &end);
		else if (strcmp(a, "--system") == 0)
			o.req.system = v;
		else if (strcmp(a, "--stop") == 0 && nstops < 8)
			o.stops[nstops++] = v;
		else {
			fprintf(stderr, "bedrock-call: unknown option %s\n", a);
			return 2;
		}
	}
	o.req.stop_sequences = o.stops;
	o.req.nstop_sequences = (size_t)nstops;
	if (i >= argc || o.endpoint == NULL) {
		fprintf(stderr, "bedrock-call: need an operation and an "
		    "endpoint\n");
		return 2;
	}
	return run(&o, argv[i], argv + i + 1, argc - i - 1);
}
