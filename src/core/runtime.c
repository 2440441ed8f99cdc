/*
 * runtime.c: Converse and ConverseStream (see runtime.h): the request
 * body, the answer parser, the stream state machine fed by the HTTP
 * layer's data callback, and the CLI / boto3 equivalents of a request.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "converse_stream.h"
#include "endpoint.h"
#include "err.h"
#include "eventstream.h"
#include "hdr.h"
#include "http.h"
#include "i18n.h"
#include "json.h"
#include "runtime.h"
#include "xalloc.h"

#define MAX_TEXT	(16u * 1024 * 1024)	/* one reply's text */

struct runtime_stream {
	struct http_client	*http;
	int			 id;		/* transfer, or -1 */
	struct http_response	 resp;
	struct err		 herr;		/* the transfer's outcome */
	struct es_decoder	*dec;
	runtime_text_cb		 on_text;
	void			*arg;
	struct buf		 text;
	char			*stop_reason;
	long			 usage[3];	/* input, output, total */
	long			 latency_ms;
	int			 have_stop;
	int			 have_metadata;
	int			 failed;
	int			 cancelled;
	struct err		 err;		/* why it failed */
	double			 t0;
	double			 first_text_ms;
};

static double
mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void
runtime_request_init(struct runtime_request *r)
{
	memset(r, 0, sizeof *r);
	r->temperature = -1;
	r->top_p = -1;
}

void
runtime_reply_init(struct runtime_reply *r)
{
	memset(r, 0, sizeof *r);
	r->text = xstrdup("");
	r->input_tokens = r->output_tokens = r->total_tokens = -1;
	r->latency_ms = -1;
	r->first_text_ms = -1;
}

void
runtime_reply_free(struct runtime_reply *r)
{
	if (r == NULL)
		return;
	free(r->text);
	free(r->stop_reason);
	memset(r, 0, sizeof *r);
}

void
runtime_exception_code(const char *name, char *out, size_t size)
{
	if (size == 0)
		return;
	snprintf(out, size, "%s", name != NULL ? name : "");
	out[0] = (char)toupper((unsigned char)out[0]);
}

/* Request building. */

static int
check_request(const struct runtime_request *r, struct err *e)
{
	size_t	 i;

	if (r == NULL || r->model_id == NULL || *r->model_id == '\0') {
		err_set(e, ERR_USAGE, N_("a Converse request needs a model "
		    "id"));
		return -1;
	}
	if (r->nmessages == 0 || r->messages == NULL) {
		err_set(e, ERR_USAGE, N_("a Converse request needs at least "
		    "one message"));
		return -1;
	}
	for (i = 0; i < r->nmessages; i++) {
		const char *role = r->messages[i].role;

		if (role == NULL || (strcmp(role, "user") != 0 &&
		    strcmp(role, "assistant") != 0)) {
			err_set(e, ERR_USAGE, N_("message %zu has role \"%s\"; "
			    "Converse takes user or assistant"), i + 1,
			    role != NULL ? role : "");
			return -1;
		}
	}
	if (r->max_tokens < 0) {
		err_set(e, ERR_USAGE, N_("maxTokens must be at least 1"));
		return -1;
	}
	if (r->temperature > 1 || r->top_p > 1) {
		err_set(e, ERR_USAGE, N_("temperature and topP must be "
		    "between 0 and 1"));
		return -1;
	}
	return 0;
}

static struct json *
json_messages(const struct runtime_request *r)
{
	struct json	*arr = json_new_array(), *m, *content, *block;
	size_t		 i;

	for (i = 0; i < r->nmessages; i++) {
		m = json_new_object();
		json_set_str(m, "role", r->messages[i].role);
		content = json_new_array();
		block = json_new_object();
		json_set_str(block, "text", r->messages[i].text != NULL ?
		    r->messages[i].text : "");
		json_push(content, block);
		json_set(m, "content", content);
		json_push(arr, m);
	}
	return arr;
}

/* The system prompt list, or NULL when there is none. */
static struct json *
json_system(const struct runtime_request *r)
{
	struct json	*arr, *block;

	if (r->system == NULL || *r->system == '\0')
		return NULL;
	arr = json_new_array();
	block = json_new_object();
	json_set_str(block, "text", r->system);
	json_push(arr, block);
	return arr;
}

/* inferenceConfig with the members that are set, or NULL. */
static struct json *
json_config(const struct runtime_request *r)
{
	struct json	*c, *stops;
	size_t		 i;

	if (r->max_tokens <= 0 && r->temperature < 0 && r->top_p < 0 &&
	    r->nstop_sequences == 0)
		return NULL;
	c = json_new_object();
	if (r->max_tokens > 0)
		json_set_num(c, "maxTokens", (double)r->max_tokens);
	if (r->temperature >= 0)
		json_set_num(c, "temperature", r->temperature);
	if (r->top_p >= 0)
		json_set_num(c, "topP", r->top_p);
	if (r->nstop_sequences > 0) {
		stops = json_new_array();
		for (i = 0; i < r->nstop_sequences; i++)
			json_push_str(stops, r->stop_sequences[i]);
		json_set(c, "stopSequences", stops);
	}
	return c;
}

char *
runtime_request_body(const struct runtime_request *r, struct err *e)
{
	struct json	*body, *part;
	char		*text;

	err_clear(e);
	if (check_request(r, e) != 0)
		return NULL;
	body = json_new_object();
	json_set(body, "messages", json_messages(r));
	if ((part = json_system(r)) != NULL)
		json_set(body, "system", part);
	if ((part = json_config(r)) != NULL)
		json_set(body, "inferenceConfig", part);
	text = json_print(body);
	json_free(body);
	return text;
}

char *
runtime_request_path(const char *model_id, int stream)
{
	struct buf		 b = BUF_INIT;
	const unsigned char	*p;

	buf_addstr(&b, "/model/");
	for (p = (const unsigned char *)(model_id != NULL ? model_id : "");
	    *p != '\0'; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' ||
		    *p == '~')
			buf_addc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	buf_addstr(&b, stream ? "/converse-stream" : "/converse");
	return buf_take(&b, NULL);
}

static int
ctx_check(const struct runtime_ctx *ctx, struct err *e)
{
	if (ctx == NULL || ctx->http == NULL || ctx->ep == NULL ||
	    (ctx->creds == NULL && ctx->bearer == NULL)) {
		err_set(e, ERR_USAGE, N_("a Converse call needs an HTTP "
		    "client, an endpoint and credentials"));
		return -1;
	}
	return 0;
}

/* What a call sends; freed with call_free(). */
struct call {
	struct http_request	 req;
	struct hdr_list		 h;
	char			*url;
	char			*body;
};

static int
call_prepare(const struct runtime_ctx *ctx, const struct runtime_request *r,
    int stream, struct call *c, struct err *e)
{
	char		*path;
	struct buf	 url = BUF_INIT;

	memset(c, 0, sizeof *c);
	hdr_list_init(&c->h);
	if (ctx_check(ctx, e) != 0 ||
	    (c->body = runtime_request_body(r, e)) == NULL)
		return -1;
	path = runtime_request_path(r->model_id, stream);
	buf_printf(&url, "%s%s", ctx->ep->url, path);
	free(path);
	c->url = buf_take(&url, NULL);
	hdr_list_add(&c->h, "Content-Type", "application/json");
	c->req.op = stream ? "ConverseStream" : "Converse";
	c->req.method = "POST";
	c->req.url = c->url;
	c->req.headers = &c->h;
	c->req.body = c->body;
	c->req.body_len = strlen(c->body);
	if (ctx->bearer != NULL) {
		c->req.auth.kind = HTTP_AUTH_BEARER;
		c->req.auth.bearer = ctx->bearer;
	} else {
		c->req.auth.kind = HTTP_AUTH_SIGV4;
		c->req.auth.creds = ctx->creds;
		c->req.auth.region = ctx->ep->signing_region;
		c->req.auth.service = ctx->ep->signing_name[0] != '\0' ?
		    ctx->ep->signing_name : "bedrock";
	}
	return 0;
}

static void
call_free(struct call *c)
{
	hdr_list_free(&c->h);
	free(c->url);
	free(c->body);
}

static void
request_id(const struct hdr_list *h, struct runtime_reply *reply)
{
	const char	*rid = hdr_list_get(h, "x-amzn-RequestId");

	snprintf(reply->request_id, sizeof reply->request_id, "%s",
	    rid != NULL ? rid : "");
}

/* Converse. */

static void
read_usage(const struct json *j, long usage[3], long *latency)
{
	const struct json	*u = json_get(j, "usage");

	usage[0] = (long)json_get_int(u, "inputTokens", -1);
	usage[1] = (long)json_get_int(u, "outputTokens", -1);
	usage[2] = (long)json_get_int(u, "totalTokens", -1);
	*latency = (long)json_get_int(json_get(j, "metrics"), "latencyMs", -1);
}

int
runtime_parse_reply(const char *text, size_t len, struct runtime_reply *reply,
    struct err *e)
{
	struct json		*j;
	const struct json	*content;
	struct buf		 b;
	const char		*s;
	long			 usage[3];
	size_t			 i;

	err_clear(e);
	runtime_reply_init(reply);
	j = text != NULL && len > 0 ? json_parse(text, len, e) : NULL;
	content = json_path(j, "output", "message", "content", NULL);
	if (j == NULL || !json_is_array(content)) {
		json_free(j);
		err_set(e, ERR_PROTOCOL, N_("Bedrock Converse answered "
		    "without output.message.content"));
		return -1;
	}
	buf_init(&b, MAX_TEXT);
	for (i = 0; i < json_len(content); i++) {
		s = json_get_str(json_at(content, i), "text");
		if (s != NULL && buf_addstr(&b, s) != 0) {
			buf_free(&b);
			json_free(j);
			err_set(e, ERR_LIMIT, N_("the reply is longer than %u "
			    "MiB"), MAX_TEXT >> 20);
			return -1;
		}
	}
	free(reply->text);
	reply->text = buf_take(&b, &reply->text_len);
	if ((s = json_get_str(j, "stopReason")) != NULL)
		reply->stop_reason = xstrdup(s);
	read_usage(j, usage, &reply->latency_ms);
	reply->input_tokens = usage[0];
	reply->output_tokens = usage[1];
	reply->total_tokens = usage[2];
	json_free(j);
	return 0;
}

int
runtime_converse(const struct runtime_ctx *ctx,
    const struct runtime_request *r, struct runtime_reply *reply,
    struct err *e)
{
	struct call		 c;
	struct http_response	 resp;
	struct err		 le;
	double			 t0 = mono_ms();
	int			 rc;

	err_clear(e);
	runtime_reply_init(reply);
	http_response_init(&resp);
	if (call_prepare(ctx, r, 0, &c, e) != 0) {
		call_free(&c);
		return -1;
	}
	err_clear(&le);
	rc = http_do(ctx->http, &c.req, &resp, &le);
	if (rc != 0)
		err_copy(e, &le);
	else {
		runtime_reply_free(reply);
		rc = runtime_parse_reply(resp.body.data, resp.body.len, reply,
		    e);
	}
	reply->total_ms = mono_ms() - t0;
	request_id(&resp.headers, reply);
	http_response_free(&resp);
	call_free(&c);
	return rc;
}

/* ConverseStream. */

/* The payload of a frame as JSON; NULL (e set) if it is not an object. */
static struct json *
payload_json(const struct converse_stream_frame *f, struct err *e)
{
	struct json	*j;

	j = json_parse((const char *)f->payload, f->payload_len, e);
	if (j == NULL || !json_is_object(j)) {
		json_free(j);
		err_set(e, ERR_PROTOCOL, N_("ConverseStream %s event with a "
		    "payload that is not a JSON object"), f->type);
		return NULL;
	}
	return j;
}

static int
on_event(struct runtime_stream *s, const struct converse_stream_frame *f,
    struct err *e)
{
	struct json	*j;
	const char	*text;
	size_t		 len;

	switch (f->event) {
	case CONVERSE_STREAM_CONTENT_BLOCK_DELTA:
		if ((j = payload_json(f, e)) == NULL)
			return -1;
		text = json_str(json_path(j, "delta", "text", NULL));
		if (text == NULL || *text == '\0') {
			json_free(j);
			return 0;
		}
		len = strlen(text);
		if (buf_add(&s->text, text, len) != 0) {
			json_free(j);
			err_set(e, ERR_LIMIT, N_("the reply is longer than %u "
			    "MiB"), MAX_TEXT >> 20);
			return -1;
		}
		if (s->first_text_ms < 0)
			s->first_text_ms = mono_ms() - s->t0;
		if (s->on_text != NULL && s->on_text(s->arg, text, len) != 0) {
			json_free(j);
			s->cancelled = 1;
			err_set(e, ERR_CANCELLED, N_("the reply was stopped"));
			return -1;
		}
		json_free(j);
		return 0;
	case CONVERSE_STREAM_MESSAGE_STOP:
		if ((j = payload_json(f, e)) == NULL)
			return -1;
		free(s->stop_reason);
		s->stop_reason = NULL;
		if ((text = json_get_str(j, "stopReason")) != NULL)
			s->stop_reason = xstrdup(text);
		s->have_stop = 1;
		json_free(j);
		return 0;
	case CONVERSE_STREAM_METADATA:
		if ((j = payload_json(f, e)) == NULL)
			return -1;
		read_usage(j, s->usage, &s->latency_ms);
		s->have_metadata = 1;
		json_free(j);
		return 0;
	default:
		return 0;
	}
}

static int
on_message(const struct es_message *m, void *arg, struct err *e)
{
	struct runtime_stream		*s = arg;
	struct converse_stream_frame	 f;
	struct json			*j;
	const char			*msg, *orig, *rid;
	char				 code[128], text[1024];

	if (converse_stream_classify(m, &f, e) != 0)
		return -1;
	rid = hdr_list_get(&s->resp.headers, "x-amzn-RequestId");
	switch (f.kind) {
	case CONVERSE_STREAM_EVENT:
		return on_event(s, &f, e);
	case CONVERSE_STREAM_EXCEPTION:
		runtime_exception_code(f.type, code, sizeof code);
		j = json_parse((const char *)f.payload, f.payload_len, NULL);
		msg = json_get_str(j, "message");
		if (msg == NULL)
			msg = json_get_str(j, "Message");
		if (msg == NULL || *msg == '\0')
			msg = f.type;
		orig = json_get_str(j, "originalMessage");
		if (orig != NULL && *orig != '\0' && strcmp(orig, msg) != 0) {
			/* modelStreamErrorException: what the model said. */
			snprintf(text, sizeof text, "%s (%lld: %s)", msg,
			    json_get_int(j, "originalStatusCode", 0), orig);
			msg = text;
		}
		err_set_aws(e, s->resp.status, code, msg, rid);
		json_free(j);
		return -1;
	case CONVERSE_STREAM_ERROR:
		err_set_aws(e, s->resp.status, f.type, *f.error_message !=
		    '\0' ? f.error_message : f.type, rid);
		return -1;
	}
	return 0;
}

struct runtime_stream *
runtime_stream_new(runtime_text_cb on_text, void *arg)
{
	struct runtime_stream	*s = xcalloc(1, sizeof *s);

	s->id = -1;
	http_response_init(&s->resp);
	err_clear(&s->herr);
	err_clear(&s->err);
	s->dec = es_decoder_new(NULL, on_message, s);
	s->on_text = on_text;
	s->arg = arg;
	buf_init(&s->text, MAX_TEXT);
	s->usage[0] = s->usage[1] = s->usage[2] = -1;
	s->latency_ms = -1;
	s->t0 = mono_ms();
	s->first_text_ms = -1;
	return s;
}

int
runtime_stream_push(struct runtime_stream *s, const void *data, size_t len)
{
	if (s->failed || s->cancelled)
		return -1;
	if (es_push(s->dec, data, len, &s->err) != 0) {
		if (!s->cancelled)
			s->failed = 1;
		return -1;
	}
	return 0;
}

static int
on_data(void *arg, const void *data, size_t len)
{
	return runtime_stream_push(arg, data, len) != 0;
}

static void
stream_free(struct runtime_stream *s)
{
	es_decoder_free(s->dec);
	http_response_free(&s->resp);
	buf_free(&s->text);
	free(s->stop_reason);
	free(s);
}

struct runtime_stream *
runtime_stream_begin(const struct runtime_ctx *ctx,
    const struct runtime_request *r, runtime_text_cb on_text, void *arg,
    struct err *e)
{
	struct runtime_stream	*s;
	struct call		 c;

	err_clear(e);
	if (call_prepare(ctx, r, 1, &c, e) != 0) {
		call_free(&c);
		return NULL;
	}
	s = runtime_stream_new(on_text, arg);
	s->http = ctx->http;
	c.req.on_data = on_data;
	c.req.on_data_arg = s;
	s->id = http_start(ctx->http, &c.req, &s->resp, &s->herr);
	call_free(&c);
	if (s->id < 0) {
		err_copy(e, &s->herr);
		stream_free(s);
		return NULL;
	}
	return s;
}

int
runtime_stream_id(const struct runtime_stream *s)
{
	return s != NULL ? s->id : -1;
}

void
runtime_stream_cancel(struct runtime_stream *s)
{
	if (s == NULL || s->cancelled)
		return;
	s->cancelled = 1;
	if (s->http != NULL && s->id >= 0)
		http_cancel(s->http, s->id);
}

int
runtime_stream_end(struct runtime_stream *s, int status,
    struct runtime_reply *reply, struct err *e)
{
	int	 rc = -1, whole;

	err_clear(e);
	runtime_reply_init(reply);
	if (s == NULL) {
		err_set(e, ERR_USAGE, N_("no stream to end"));
		return -1;
	}
	free(reply->text);
	reply->text = buf_take(&s->text, &reply->text_len);
	reply->stop_reason = s->stop_reason;
	s->stop_reason = NULL;
	reply->input_tokens = s->usage[0];
	reply->output_tokens = s->usage[1];
	reply->total_tokens = s->usage[2];
	reply->latency_ms = s->latency_ms;
	reply->first_text_ms = s->first_text_ms;
	reply->total_ms = mono_ms() - s->t0;
	request_id(&s->resp.headers, reply);
	whole = status == 0 && !s->failed &&
	    es_decoder_finish(s->dec, NULL) == 0;
	if (whole && s->have_stop && s->have_metadata)
		rc = 0;		/* complete, even if a cancel came late */
	else if (s->cancelled) {
		reply->cancelled = 1;
		err_set(e, ERR_CANCELLED, N_("the reply was stopped"));
	} else if (s->failed)
		err_copy(e, &s->err);
	else if (status != 0) {
		if (s->herr.kind != ERR_NONE)
			err_copy(e, &s->herr);
		else
			err_set(e, ERR_NETWORK, N_("the answer stream broke "
			    "off"));
	} else if (!whole)
		err_set(e, ERR_PROTOCOL, N_("the answer stream ended in the "
		    "middle of a frame (truncated)"));
	else
		err_set(e, ERR_PROTOCOL, N_("the answer stream ended before "
		    "its %s event (truncated)"), !s->have_stop ?
		    "messageStop" : "metadata");
	stream_free(s);
	return rc;
}

int
runtime_converse_stream(const struct runtime_ctx *ctx,
    const struct runtime_request *r, runtime_text_cb on_text, void *arg,
    struct runtime_reply *reply, struct err *e)
{
	struct runtime_stream	*s;
	struct call		 c;
	int			 rc;

	err_clear(e);
	if (call_prepare(ctx, r, 1, &c, e) != 0) {
		call_free(&c);
		runtime_reply_init(reply);
		return -1;
	}
	s = runtime_stream_new(on_text, arg);
	s->http = ctx->http;
	c.req.on_data = on_data;
	c.req.on_data_arg = s;
	rc = http_do(ctx->http, &c.req, &s->resp, &s->herr);
	call_free(&c);
	return runtime_stream_end(s, rc, reply, e);
}

/* The request as a command line and as Python. */

char *
runtime_shell_quote(const char *s)
{
	struct buf	 b = BUF_INIT;
	const char	*p;
	int		 plain = s != NULL && *s != '\0';

	if (s == NULL)
		s = "";
	for (p = s; *p != '\0' && plain; p++)
		if (!isalnum((unsigned char)*p) &&
		    strchr("@%+=:,./-_", *p) == NULL)
			plain = 0;
	if (plain)
		return xstrdup(s);
	buf_addc(&b, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			buf_addstr(&b, "'\\''");
		else
			buf_addc(&b, *p);
	}
	buf_addc(&b, '\'');
	return buf_take(&b, NULL);
}

static void
cli_arg(struct buf *b, const char *opt, const char *value)
{
	char	*q = runtime_shell_quote(value);

	buf_printf(b, " %s %s", opt, q);
	free(q);
}

/* Print j compactly as a shell argument after opt, and free it. */
static void
cli_json(struct buf *b, const char *opt, struct json *j)
{
	char	*s;

	if (j == NULL)
		return;
	s = json_print(j);
	cli_arg(b, opt, s);
	free(s);
	json_free(j);
}

char *
runtime_cli_command(const struct runtime_request *r, const char *region,
    const char *profile)
{
	struct buf	 b = BUF_INIT;

	if (check_request(r, NULL) != 0)
		return NULL;
	buf_addstr(&b, "aws bedrock-runtime converse");
	cli_arg(&b, "--model-id", r->model_id);
	cli_json(&b, "--messages", json_messages(r));
	cli_json(&b, "--system", json_system(r));
	cli_json(&b, "--inference-config", json_config(r));
	if (region != NULL && *region != '\0')
		cli_arg(&b, "--region", region);
	if (profile != NULL && *profile != '\0')
		cli_arg(&b, "--profile", profile);
	return buf_take(&b, NULL);
}

/* "    name=<JSON literal>,\n"; JSON strings and numbers read as Python. */
static void
py_arg(struct buf *b, const char *name, struct json *j)
{
	char	*s;

	if (j == NULL)
		return;
	s = json_print(j);
	buf_printf(b, "    %s=%s,\n", name, s);
	free(s);
	json_free(j);
}

char *
runtime_boto3_snippet(const struct runtime_request *r, const char *region,
    const char *profile)
{
	struct buf	 b = BUF_INIT;
	char		*q;

	if (check_request(r, NULL) != 0)
		return NULL;
	buf_addstr(&b, "import boto3\n\nsession = boto3.Session(");
	if (profile != NULL && *profile != '\0') {
		q = json_quote(profile);
		buf_printf(&b, "profile_name=%s", q);
		free(q);
	}
	if (region != NULL && *region != '\0') {
		q = json_quote(region);
		buf_printf(&b, "%sregion_name=%s", profile != NULL &&
		    *profile != '\0' ? ", " : "", q);
		free(q);
	}
	buf_addstr(&b, ")\nclient = session.client(\"bedrock-runtime\")\n"
	    "response = client.converse(\n");
	py_arg(&b, "modelId", json_new_str(r->model_id));
	py_arg(&b, "messages", json_messages(r));
	py_arg(&b, "system", json_system(r));
	py_arg(&b, "inferenceConfig", json_config(r));
	buf_addstr(&b, ")\n"
	    "for block in response[\"output\"][\"message\"][\"content\"]:\n"
	    "    if \"text\" in block:\n"
	    "        print(block[\"text\"])\n");
	return buf_take(&b, NULL);
}
