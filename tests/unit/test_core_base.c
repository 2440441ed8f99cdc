/*
 * test_core_base.c: buf, secret, err, hdr, json and the translator hook.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "creds.h"
#include "err.h"
#include "hdr.h"
#include "i18n.h"
#include "json.h"
#include "secret.h"
#include "tap.h"
#include "xalloc.h"

static void
test_buf(void)
{
	struct buf	 b;
	char		*s;
	size_t		 len;
	int		 i, r = 0;

	buf_init(&b, 16);
	is_str(buf_str(&b), "", "empty buf reads as empty string");
	is_int(buf_addstr(&b, "0123456789"), 0, "append within cap");
	is_int(buf_printf(&b, "%s", "abcdef"), 0, "printf up to the cap");
	is_int(b.len, 16, "length is 16");
	is_int(buf_addc(&b, 'x'), -1, "one byte past the cap fails");
	is_int(b.len, 16, "a failed append leaves the buf unchanged");
	is_str(buf_str(&b), "0123456789abcdef", "contents intact");
	buf_consume(&b, 10);
	is_str(buf_str(&b), "abcdef", "consume drops the front");
	s = buf_take(&b, &len);
	is_str(s, "abcdef", "take hands over the contents");
	is_int(len, 6, "take reports the length");
	is_int(b.len, 0, "take empties the buf");
	free(s);
	buf_free(&b);

	buf_init(&b, 0);
	for (i = 0; i < 10000; i++)
		r |= buf_add(&b, "xyz", 3);
	is_int(r, 0, "default cap allows growth");
	is_int(b.len, 30000, "30000 bytes appended");
	ok(b.data[b.len] == '\0', "always NUL-terminated");
	buf_wipe_free(&b);
	ok(b.data == NULL, "wipe_free releases");

	buf_init(&b, 8);
	is_int(buf_printf(&b, "%d", 123456789), -1,
	    "printf past the cap fails");
	is_str(buf_str(&b), "", "and leaves nothing behind");
	buf_free(&b);
}

static void
test_secret(void)
{
	struct secret	*s = secret_from_str("wJalrXUtnFEMI"), *d;

	is_str(secret_reveal(s), "wJalrXUtnFEMI", "reveal gives the bytes");
	is_int(secret_len(s), 13, "length");
	is_str(secret_mask(), "****", "mask");
	d = secret_dup(s);
	ok(secret_equal(s, d), "dup is equal");
	ok(secret_reveal(s) != secret_reveal(d), "dup is a copy");
	secret_free(d);
	secret_free(s);
	ok(secret_from_str(NULL) == NULL, "NULL in, NULL out");
	secret_free(NULL);
	ok(secret_equal(NULL, NULL), "two NULLs are equal");
}

static const char *
shout(const char *msgid)
{
	if (strcmp(msgid, "file %s is missing") == 0)
		return "FILE %s IS MISSING";
	return msgid;
}

static void
test_err(void)
{
	struct err	 e;

	err_clear(&e);
	is_int(e.kind, ERR_NONE, "cleared");
	err_set(&e, ERR_CONFIG, N_("file %s is missing"), "/x");
	is_str(e.message, "file /x is missing", "message formatted");
	is_str(err_kind_name(e.kind), "config", "kind name");
	core_set_translator(shout);
	err_set(&e, ERR_CONFIG, N_("file %s is missing"), "/y");
	is_str(e.message, "FILE /y IS MISSING", "template goes through the "
	    "translator before formatting");
	core_set_translator(NULL);
	err_set_aws(&e, 403, "AccessDeniedException", "no", "req-1");
	is_int(e.http_status, 403, "status kept");
	is_str(e.code, "AccessDeniedException", "code kept");
	is_str(e.request_id, "req-1", "request id kept");
	is_int(e.kind, ERR_AWS, "kind is aws");
	err_where(&e, "%s line %d", "config", 12);
	is_str(e.where, "config line 12", "where");
	err_set(NULL, ERR_IO, N_("ignored"));
	ok(1, "NULL err is allowed");
	is_str(err_kind_name((enum err_kind)999), "internal",
	    "out-of-range kind");
}

static void
test_hdr(void)
{
	struct hdr_list	 l = HDR_LIST_INIT, c = HDR_LIST_INIT;

	hdr_list_add(&l, "Host", "example.com");
	hdr_list_add(&l, "X-Multi", "a");
	hdr_list_add(&l, "x-multi", "b");
	is_str(hdr_list_get(&l, "HOST"), "example.com", "case-insensitive get");
	is_str(hdr_list_get(&l, "X-MULTI"), "a", "get returns the first");
	is_int(l.n, 3, "repeats kept");
	hdr_list_set(&l, "x-multi", "c");
	is_int(l.n, 2, "set replaces all repeats");
	is_str(hdr_list_get(&l, "x-multi"), "c", "set value");
	is_int(hdr_list_del(&l, "nope"), 0, "delete missing");
	hdr_list_copy(&c, &l);
	is_int(c.n, 2, "copy");
	hdr_list_free(&l);
	hdr_list_free(&c);
	ok(l.n == 0 && l.v == NULL, "free empties");
}

static void
test_json(void)
{
	struct err	 e;
	struct json	*j, *o, *a;
	char		*s;
	const char	*doc = "{\"modelSummaries\":[{\"modelId\":\"m:0\","
	    "\"inferenceTypesSupported\":[\"INFERENCE_PROFILE\"],"
	    "\"responseStreamingSupported\":true,\"n\":42}]}";

	err_clear(&e);
	j = json_parse(doc, 0, &e);
	ok(j != NULL, "parse");
	a = json_get(j, "modelSummaries");
	is_int(json_len(a), 1, "array length");
	o = json_at(a, 0);
	is_str(json_get_str(o, "modelId"), "m:0", "string member");
	is_int(json_get_int(o, "n", -1), 42, "integer member");
	is_int(json_get_bool(o, "responseStreamingSupported", 0), 1, "bool");
	ok(json_array_has_str(json_get(o, "inferenceTypesSupported"),
	    "INFERENCE_PROFILE"), "unknown enum strings are kept");
	ok(json_get_str(o, "missing") == NULL, "missing key is NULL");
	ok(json_get_str(o, "n") == NULL, "wrong type is NULL");
	is_int(json_get_int(o, "modelId", -7), -7, "wrong type gives default");
	ok(json_path(j, "modelSummaries", NULL) == a, "path");
	json_free(j);

	ok(json_parse("{\"a\":", 0, &e) == NULL, "malformed JSON rejected");
	is_int(e.kind, ERR_PROTOCOL, "as a protocol error");
	ok(strstr(e.message, "byte") != NULL, "message says where: %s",
	    e.message);

	o = json_new_object();
	json_set_str(o, "Version", "2012-10-17");
	a = json_new_array();
	json_push_str(a, "bedrock:InvokeModel");
	json_push_str(a, "bedrock:InvokeModelWithResponseStream");
	json_set(o, "Action", a);
	json_set(o, "Empty", json_new_array());
	json_set_num(o, "N", 3);
	json_set_bool(o, "B", 0);
	json_set_null(o, "Z");
	s = json_print_pretty(o, 2);
	is_str(s, "{\n  \"Version\": \"2012-10-17\",\n  \"Action\": [\n"
	    "    \"bedrock:InvokeModel\",\n"
	    "    \"bedrock:InvokeModelWithResponseStream\"\n  ],\n"
	    "  \"Empty\": [],\n  \"N\": 3,\n  \"B\": false,\n  \"Z\": null\n"
	    "}\n", "pretty print: 2-space indent, stored order, newline");
	free(s);
	json_set_str(o, "Version", "x");
	s = json_print(o);
	ok(strncmp(s, "{\"Version\":\"x\"", 14) == 0, "set replaces: %s", s);
	free(s);
	json_free(o);
	s = json_quote("a\"b\n");
	is_str(s, "\"a\\\"b\\n\"", "quote escapes");
	free(s);
}

static void
test_creds(void)
{
	struct creds	*c = creds_new("AKID", "SECRET", NULL, "environment");
	struct creds	*d = creds_dup(c);

	is_str(d->access_key_id, "AKID", "dup key id");
	ok(secret_equal(c->secret_access_key, d->secret_access_key),
	    "dup secret");
	ok(d->session_token == NULL, "no token");
	is_str(d->source, "environment", "source kept");
	creds_free(c);
	creds_free(d);
	creds_free(NULL);
}

int
main(void)
{
	test_buf();
	test_secret();
	test_err();
	test_hdr();
	test_json();
	test_creds();
	return tap_done();
}
