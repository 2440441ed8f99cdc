/*
 * aws_call.c: a test driver for the HTTP layer and STS.  It makes one call
 * against an endpoint (the loopback stand-in) and prints one JSON object,
 * so Python tests can check what the layer did under faults.
 *
 *   aws-call [options] identity
 *   aws-call [options] get SERVICE PATH          (SERVICE: bedrock | runtime)
 *   aws-call [options] post SERVICE PATH BODY
 *   aws-call [options] stream PATH BODY          (runtime, streamed body)
 *   aws-call [options] many N SERVICE PATH       (N GETs at once)
 *
 * Options: --endpoint URL (default $AWS_ENDPOINT_URL), --region R,
 * --timeout-ms N, --connect-timeout-ms N, --stall-ms N, --attempts N,
 * --max-body N, --ca-bundle FILE, --trace (debug lines on stderr).
 * Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 * AWS_SESSION_TOKEN.  Backoff waits are capped at 50 ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "creds.h"
#include "endpoint.h"
#include "err.h"
#include "hdr.h"
#include "http.h"
#include "json.h"
#include "sts.h"

struct opts {
	const char	*endpoint;
	const char	*region;
	struct http_config cfg;
};

static void
on_trace(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "%s\n", line);
}

static unsigned long stream_chunks;

static int
on_stream(void *arg, const void *p, size_t n)
{
	(void)arg;
	(void)p;
	stream_chunks++;
	fprintf(stderr, "chunk %zu\n", n);
	return 0;
}

static struct json *
result_json(int rc, const struct http_response *r, const struct err *e)
{
	struct json	*o = json_new_object(), *je;

	json_set_bool(o, "ok", rc == 0);
	json_set_num(o, "status", (double)r->status);
	json_set_num(o, "attempts", r->attempts);
	json_set_num(o, "streamed", (double)r->streamed);
	if (r->have_date)
		json_set_num(o, "clock_offset", (double)r->clock_offset);
	json_set_num(o, "total_ms", r->total_ms);
	if (rc != 0) {
		je = json_new_object();
		json_set_str(je, "kind", err_kind_name(e->kind));
		json_set_str(je, "code", e->code);
		json_set_str(je, "message", e->message);
		json_set_str(je, "request_id", e->request_id);
		json_set(o, "error", je);
	}
	if (r->body.len > 0 && r->body.len < 4096)
		json_set_str(o, "body", buf_str(&r->body));
	json_set_num(o, "body_len", (double)r->body.len);
	return o;
}

static void
print_json(struct json *o)
{
	char	*s = json_print(o);

	printf("%s\n", s);
	free(s);
	json_free(o);
}

int
main(int argc, char **argv)
{
	struct opts		 o;
	struct creds		*cr;
	struct http_client	*c;
	struct http_request	 req;
	struct http_response	 resp;
	struct err		 e;
	struct endpoint		 ep;
	struct buf		 url = BUF_INIT;
	struct hdr_list		 h = HDR_LIST_INIT;
	const char		*op, *service = "bedrock";
	int			 i, rc;

	memset(&o, 0, sizeof o);
	o.endpoint = getenv("AWS_ENDPOINT_URL");
	o.region = "us-east-1";
	o.cfg.max_backoff_ms = 50;
	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";

		if (strcmp(a, "--trace") == 0) {
			o.cfg.trace = on_trace;
			continue;
		}
		i++;
		if (strcmp(a, "--endpoint") == 0)
			o.endpoint = v;
		else if (strcmp(a, "--region") == 0)
			o.region = v;
		else if (strcmp(a, "--timeout-ms") == 0)
			o.cfg.timeout_ms = strtol(v, NULL, 10);
		else if (strcmp(a, "--connect-timeout-ms") == 0)
			o.cfg.connect_timeout_ms = strtol(v, NULL, 10);
		else if (strcmp(a, "--stall-ms") == 0)
			o.cfg.stall_ms = strtol(v, NULL, 10);
		else if (strcmp(a, "--attempts") == 0)
			o.cfg.max_attempts = (int)strtol(v, NULL, 10);
		else if (strcmp(a, "--max-body") == 0)
			o.cfg.max_body = strtoul(v, NULL, 10);
		else if (strcmp(a, "--ca-bundle") == 0)
			o.cfg.ca_bundle = v;
		else {
			fprintf(stderr, "aws-call: unknown option %s\n", a);
			return 2;
		}
	}
	if (i >= argc || o.endpoint == NULL) {
		fprintf(stderr, "aws-call: need an operation and an endpoint\n");
		return 2;
	}
	op = argv[i++];
	cr = creds_new(getenv("AWS_ACCESS_KEY_ID"),
	    getenv("AWS_SECRET_ACCESS_KEY"), getenv("AWS_SESSION_TOKEN"),
	    "environment");
	c = http_client_new(&o.cfg);
	err_clear(&e);
	http_response_init(&resp);

	if (strcmp(op, "identity") == 0) {
		struct sts_identity	 id;
		struct json		*j;

		memset(&ep, 0, sizeof ep);
		snprintf(ep.url, sizeof ep.url, "%s", o.endpoint);
		snprintf(ep.signing_region, sizeof ep.signing_region, "%s",
		    o.region);
		rc = sts_get_caller_identity(c, &ep, cr, &id, &e);
		j = result_json(rc, &resp, &e);
		if (rc == 0) {
			json_set_str(j, "account", id.account);
			json_set_str(j, "arn", id.arn);
		}
		print_json(j);
		goto out;
	}
	if (strcmp(op, "many") == 0 && i + 2 < argc) {
		size_t			 n = strtoul(argv[i], NULL, 10), k;
		struct http_request	*rq = calloc(n, sizeof *rq);
		struct http_response	*rs = calloc(n, sizeof *rs);
		struct err		*es = calloc(n, sizeof *es);
		struct json		*arr = json_new_array();

		buf_printf(&url, "%s%s", o.endpoint, argv[i + 2]);
		for (k = 0; k < n; k++) {
			rq[k].op = "Many";
			rq[k].method = "GET";
			rq[k].url = buf_str(&url);
			rq[k].auth.kind = HTTP_AUTH_SIGV4;
			rq[k].auth.creds = cr;
			rq[k].auth.region = o.region;
			rq[k].auth.service = "bedrock";
			http_response_init(&rs[k]);
		}
		rc = (int)http_do_many(c, rq, rs, es, n, NULL, NULL);
		for (k = 0; k < n; k++) {
			json_push(arr, result_json(es[k].kind == ERR_NONE ? 0 :
			    -1, &rs[k], &es[k]));
			http_response_free(&rs[k]);
		}
		print_json(arr);
		free(rq);
		free(rs);
		free(es);
		rc = rc == 0 ? 0 : 1;
		goto out;
	}
	memset(&req, 0, sizeof req);
	req.auth.kind = HTTP_AUTH_SIGV4;
	req.auth.creds = cr;
	req.auth.region = o.region;
	req.auth.service = service;
	if (strcmp(op, "get") == 0 && i + 1 < argc) {
		buf_printf(&url, "%s%s", o.endpoint, argv[i + 1]);
		req.op = "Get";
		req.method = "GET";
	} else if (strcmp(op, "post") == 0 && i + 2 < argc) {
		buf_printf(&url, "%s%s", o.endpoint, argv[i + 1]);
		req.op = "Post";
		req.method = "POST";
		req.body = argv[i + 2];
		req.body_len = strlen(argv[i + 2]);
		hdr_list_add(&h, "Content-Type", "application/json");
	} else if (strcmp(op, "stream") == 0 && i + 1 < argc) {
		buf_printf(&url, "%s%s", o.endpoint, argv[i]);
		req.op = "Stream";
		req.method = "POST";
		req.body = argv[i + 1];
		req.body_len = strlen(argv[i + 1]);
		req.on_data = on_stream;
		hdr_list_add(&h, "Content-Type", "application/json");
	} else {
		fprintf(stderr, "aws-call: bad operation\n");
		rc = 2;
		goto out;
	}
	req.url = buf_str(&url);
	req.headers = &h;
	rc = http_do(c, &req, &resp, &e);
	print_json(result_json(rc, &resp, &e));
out:
	http_response_free(&resp);
	hdr_list_free(&h);
	buf_free(&url);
	http_client_free(c);
	creds_free(cr);
	return rc == 0 ? 0 : 1;
}
