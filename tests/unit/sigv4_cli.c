/*
 * sigv4_cli.c: sign request descriptions read on stdin (for sigv4_diff.py).
 *
 * Usage: sigv4-cli < requests.jsonl > results.jsonl
 *
 * One JSON object per input line:
 *   {"id": 7, "method": "POST", "path": "/model/a%3Ab/converse",
 *    "query": "x=1" (optional), "headers": [["Host", "h"], ...],
 *    "body_b64": "..." (optional), "akid": "...", "secret": "...",
 *    "token": "..." (optional), "region": "...", "service": "...",
 *    "time": 1735689600, "sign_body": false, "presign": false,
 *    "expires": 3600, "canonical": false}
 * One JSON object per output line, in the same order:
 *   {"id": 7, "authorization": "...", "signature": "...",
 *    "signed_headers": "...", "amz_date": "...", "query": "..."
 *    [, "canonical_request": "...", "string_to_sign": "..."]}
 * or {"id": 7, "error": "message"}.  One signer serves every line, so the
 * key cache is exercised across changing scopes.  This is a test tool: it
 * prints signatures of test credentials.  Exit status 0 unless the input
 * cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "buf.h"
#include "creds.h"
#include "crypto.h"
#include "err.h"
#include "hdr.h"
#include "sigv4.h"
#include "xalloc.h"

static const char *
str_item(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
bool_item(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static double
num_item(const cJSON *o, const char *key, double dflt)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static void
print_result(cJSON *res)
{
	char	*s = cJSON_PrintUnformatted(res);

	if (s == NULL) {
		fprintf(stderr, "sigv4-cli: out of memory\n");
		exit(3);
	}
	puts(s);
	free(s);
}

static void
sign_line(struct sigv4_signer *s, struct sigv4_out *out, const char *line)
{
	cJSON			*in, *res, *hs, *h;
	struct hdr_list		 headers = HDR_LIST_INIT;
	struct sigv4_request	 req;
	struct sigv4_params	 p;
	struct creds		*c = NULL;
	struct buf		 body;
	struct err		 err;
	const char		*b64, *msg = NULL;
	int			 r;

	buf_init(&body, 0);
	err_clear(&err);
	res = cJSON_CreateObject();
	if ((in = cJSON_Parse(line)) == NULL) {
		cJSON_AddStringToObject(res, "error", "bad JSON");
		goto out;
	}
	cJSON_AddNumberToObject(res, "id", num_item(in, "id", -1));
	hs = cJSON_GetObjectItemCaseSensitive(in, "headers");
	cJSON_ArrayForEach(h, hs) {
		const cJSON	*n = cJSON_GetArrayItem(h, 0);
		const cJSON	*v = cJSON_GetArrayItem(h, 1);

		if (!cJSON_IsString(n) || !cJSON_IsString(v)) {
			msg = "bad header";
			goto out;
		}
		hdr_list_add(&headers, n->valuestring, v->valuestring);
	}
	if ((b64 = str_item(in, "body_b64")) != NULL &&
	    crypto_base64_decode(b64, strlen(b64), &body) != 0) {
		msg = "bad base64 body";
		goto out;
	}
	c = creds_new(str_item(in, "akid"), str_item(in, "secret"),
	    str_item(in, "token"), "sigv4-cli");

	memset(&req, 0, sizeof req);
	req.method = str_item(in, "method");
	req.path = str_item(in, "path");
	req.query = str_item(in, "query");
	req.headers = &headers;
	req.body = body.data;
	req.body_len = body.len;
	memset(&p, 0, sizeof p);
	p.region = str_item(in, "region");
	p.service = str_item(in, "service");
	p.creds = c;
	p.now = (time_t)num_item(in, "time", 0);
	p.expires = (long)num_item(in, "expires", 0);
	if (bool_item(in, "sign_body"))
		p.flags |= SIGV4_SIGN_BODY;
	if (bool_item(in, "canonical"))
		p.flags |= SIGV4_KEEP_CANONICAL;
	if (bool_item(in, "presign"))
		r = sigv4_presign(s, &req, &p, out, &err);
	else
		r = sigv4_sign(s, &req, &p, out, &err);
	if (r != 0) {
		msg = err.message;
		goto out;
	}
	cJSON_AddStringToObject(res, "authorization",
	    buf_str(&out->authorization));
	cJSON_AddStringToObject(res, "signature", out->signature);
	cJSON_AddStringToObject(res, "signed_headers",
	    buf_str(&out->signed_headers));
	cJSON_AddStringToObject(res, "amz_date", out->amz_date);
	cJSON_AddStringToObject(res, "query", buf_str(&out->query));
	if (p.flags & SIGV4_KEEP_CANONICAL) {
		cJSON_AddStringToObject(res, "canonical_request",
		    buf_str(&out->canonical_request));
		cJSON_AddStringToObject(res, "string_to_sign",
		    buf_str(&out->string_to_sign));
	}
out:
	if (msg != NULL)
		cJSON_AddStringToObject(res, "error", msg);
	print_result(res);
	cJSON_Delete(res);
	cJSON_Delete(in);
	creds_free(c);
	buf_wipe_free(&body);
	hdr_list_free(&headers);
}

int
main(void)
{
	struct sigv4_signer	*s = sigv4_signer_new();
	struct sigv4_out	 out;
	char			*line = NULL;
	size_t			 cap = 0;
	ssize_t			 n;

	sigv4_out_init(&out);
	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (line[0] != '\0')
			sign_line(s, &out, line);
	}
	free(line);
	sigv4_out_free(&out);
	sigv4_signer_free(s);
	if (ferror(stdin)) {
		fprintf(stderr, "sigv4-cli: cannot read stdin\n");
		return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
