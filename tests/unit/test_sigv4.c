/*
 * test_sigv4.c: unit tests for sigv4.c and crypto.c.
 *
 * Expected values come from outside this code: RFC 4231 (HMAC), RFC 4648
 * (base64), FIPS 180-2 examples (SHA-256), the Bedrock vector of
 * bedrock-facts.md section 5, and signatures computed by botocore 1.43.11
 * SigV4Auth with the clock frozen (noted where used).  The AWS test suite
 * itself runs in sigv4_suite.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "creds.h"
#include "crypto.h"
#include "err.h"
#include "hdr.h"
#include "secret.h"
#include "sigv4.h"
#include "tap.h"
#include "xalloc.h"

#define AKID		"AKIDEXAMPLE"
#define SECRET		"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define T20250101	((time_t)1735689600)	/* 2025-01-01T00:00:00Z */
#define RT_HOST		"bedrock-runtime.us-east-1.amazonaws.com"
#define RT_PATH		"/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream"
#define RT_BODY		"{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"Hi\"}]}], \"inferenceConfig\": {\"maxTokens\": 64}}"
#define RT_BODY_SHA	"6d70e2651873472eff1aa5ece785880a7000121c04c740554a0c1ca614d056b1"
#define RT_SIG		"c2626bc6d478470c5578e5bb53e3cf59eb2927418e8c93e07555213f29ba86fd"
#define EMPTY_SHA	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static void
hex_of(const void *p, size_t n, char *out)
{
	crypto_hex(p, n, out);
}

static void
test_sha256(void)
{
	static const char	 abc_sha[] =
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	static const char	 million_a_sha[] =
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	struct crypto_sha256	*h;
	unsigned char		 md[CRYPTO_SHA256_LEN];
	char			 hex[CRYPTO_SHA256_HEXLEN + 1], *a;
	size_t			 i;

	ok(crypto_sha256("", 0, md) == 0, "sha256 of nothing");
	hex_of(md, sizeof md, hex);
	is_str(hex, EMPTY_SHA, "sha256(\"\")");
	crypto_sha256("abc", 3, md);
	hex_of(md, sizeof md, hex);
	is_str(hex, abc_sha, "sha256(\"abc\")");

	h = crypto_sha256_new();
	ok(h != NULL, "incremental sha256 object");
	crypto_sha256_update(h, "a", 1);
	crypto_sha256_update(h, "", 0);
	crypto_sha256_update(h, "bc", 2);
	ok(crypto_sha256_final(h, md) == 0, "incremental final");
	hex_of(md, sizeof md, hex);
	is_str(hex, abc_sha, "incremental sha256 in pieces");
	crypto_sha256_update(h, "abc", 3);
	crypto_sha256_final(h, md);
	hex_of(md, sizeof md, hex);
	is_str(hex, abc_sha, "object starts afresh after final");
	crypto_sha256_update(h, "junk", 4);
	crypto_sha256_reset(h);
	crypto_sha256_final(h, md);
	hex_of(md, sizeof md, hex);
	is_str(hex, EMPTY_SHA, "reset drops what was fed");

	a = xmalloc(1000000);
	memset(a, 'a', 1000000);
	for (i = 0; i < 1000000; i += 1000)
		crypto_sha256_update(h, a + i, 1000);
	crypto_sha256_final(h, md);
	hex_of(md, sizeof md, hex);
	is_str(hex, million_a_sha, "sha256 of a million 'a' in 1000 pieces");
	crypto_sha256(a, 1000000, md);
	hex_of(md, sizeof md, hex);
	is_str(hex, million_a_sha, "one-shot sha256 of a million 'a'");
	free(a);
	crypto_sha256_free(h);
	crypto_sha256_free(NULL);

	/* FIPS 180-2 SHA-1 example. */
	ok(crypto_sha1_hex("abc", 3, hex) == 0, "sha1 hex");
	is_str(hex, "a9993e364706816aba3e25717850c26c9cd0d89d", "sha1(\"abc\")");
}

static void
test_hmac(void)
{
	unsigned char		 key[131], md[CRYPTO_SHA256_LEN];
	char			 hex[CRYPTO_SHA256_HEXLEN + 1];
	struct crypto_hmac	*h;
	static const char	 big[] =
	    "Test Using Larger Than Block-Size Key - Hash Key First";

	/* RFC 4231 test cases 1, 2 and 6. */
	memset(key, 0x0b, 20);
	crypto_hmac_sha256(key, 20, "Hi There", 8, md);
	hex_of(md, sizeof md, hex);
	is_str(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	    "RFC 4231 case 1");
	crypto_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, md);
	hex_of(md, sizeof md, hex);
	is_str(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	    "RFC 4231 case 2");
	memset(key, 0xaa, sizeof key);
	crypto_hmac_sha256(key, sizeof key, big, sizeof big - 1, md);
	hex_of(md, sizeof md, hex);
	is_str(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	    "RFC 4231 case 6 (key longer than a block)");

	h = crypto_hmac_new(key, sizeof key);
	ok(h != NULL, "keyed hmac object");
	crypto_hmac_sign(h, "x", 1, md);
	ok(crypto_hmac_sign(h, big, sizeof big - 1, md) == 0,
	    "keyed hmac signs again");
	hex_of(md, sizeof md, hex);
	is_str(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	    "keyed hmac reused gives the RFC value");
	crypto_hmac_free(h);
	h = crypto_hmac_new("", 0);
	crypto_hmac_sign(h, "", 0, md);
	hex_of(md, sizeof md, hex);
	/* HMAC-SHA256 with an empty key and message (Python hmac). */
	is_str(hex, "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad",
	    "hmac with empty key and message");
	crypto_hmac_free(h);
	crypto_hmac_free(NULL);
}

static void
check_b64(const char *plain, const char *enc)
{
	struct buf	 b;

	buf_init(&b, 0);
	ok(crypto_base64_encode(plain, strlen(plain), &b) == 0 &&
	    strcmp(buf_str(&b), enc) == 0, "base64(\"%s\") = \"%s\"", plain,
	    enc);
	buf_reset(&b);
	ok(crypto_base64_decode(enc, strlen(enc), &b) == 0 &&
	    b.len == strlen(plain) && memcmp(buf_str(&b), plain, b.len) == 0,
	    "decode \"%s\"", enc);
	buf_free(&b);
}

static void
test_encodings(void)
{
	static const char *const bad[] = {
		"Zg=", "Z===", "Zm9v!A==", "=Zg=", "Zg==Zg==", "Zm 9v", "Zm9v\n",
		"Z=g=",
	};
	unsigned char	 raw[300], a[32], b[32];
	char		 hex[9];
	struct buf	 buf, dec;
	size_t		 i;

	hex_of("\x00\x9f\xff\x10", 4, hex);
	is_str(hex, "009fff10", "hex is lower case");
	check_b64("", "");
	check_b64("f", "Zg==");
	check_b64("fo", "Zm8=");
	check_b64("foo", "Zm9v");
	check_b64("foob", "Zm9vYg==");
	check_b64("fooba", "Zm9vYmE=");
	check_b64("foobar", "Zm9vYmFy");

	buf_init(&buf, 0);
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		buf_reset(&buf);
		buf_addstr(&buf, "keep");
		ok(crypto_base64_decode(bad[i], strlen(bad[i]), &buf) == -1 &&
		    strcmp(buf_str(&buf), "keep") == 0,
		    "bad base64 %zu rejected, buffer unchanged", i);
	}
	for (i = 0; i < sizeof raw; i++)
		raw[i] = (unsigned char)(i * 7 + 3);
	buf_reset(&buf);
	buf_init(&dec, 0);
	crypto_base64_encode(raw, sizeof raw, &buf);
	ok(crypto_base64_decode(buf.data, buf.len, &dec) == 0 &&
	    dec.len == sizeof raw && memcmp(dec.data, raw, sizeof raw) == 0,
	    "base64 round trip of all byte values");
	buf_free(&dec);
	buf_free(&buf);

	buf_init(&buf, 7);
	ok(crypto_base64_encode("foobar", 6, &buf) == -1 && buf.len == 0,
	    "base64 encode respects the buffer's cap");
	buf_free(&buf);

	ok(crypto_equal("abcd", "abcd", 4) == 1, "crypto_equal: equal");
	ok(crypto_equal("abcd", "abce", 4) == 0, "crypto_equal: differ");
	ok(crypto_random(a, sizeof a) == 0 && crypto_random(b, sizeof b) == 0,
	    "random bytes");
	ok(memcmp(a, b, sizeof a) != 0, "two random draws differ");
}

/* A request to bedrock-runtime ConverseStream (facts section 5). */
static void
rt_request(struct sigv4_request *req, struct hdr_list *h)
{
	hdr_list_init(h);
	hdr_list_add(h, "Content-Type", "application/json");
	hdr_list_add(h, "Host", RT_HOST);
	memset(req, 0, sizeof *req);
	req->method = "POST";
	req->path = RT_PATH;
	req->headers = h;
	req->body = RT_BODY;
	req->body_len = strlen(RT_BODY);
}

static void
rt_params(struct sigv4_params *p, const struct creds *c, unsigned flags)
{
	memset(p, 0, sizeof *p);
	p->region = "us-east-1";
	p->service = "bedrock";
	p->creds = c;
	p->now = T20250101;
	p->flags = flags;
}

static void
test_bedrock_vector(void)
{
	static const char	 creq[] =
	    "POST\n"
	    "/model/us.anthropic.claude-3-5-haiku-20241022-v1%253A0/converse-stream\n"
	    "\n"
	    "content-type:application/json\n"
	    "host:" RT_HOST "\n"
	    "x-amz-date:20250101T000000Z\n"
	    "\n"
	    "content-type;host;x-amz-date\n"
	    RT_BODY_SHA;
	static const char	 sts[] =
	    "AWS4-HMAC-SHA256\n20250101T000000Z\n"
	    "20250101/us-east-1/bedrock/aws4_request\n"
	    "9e0af999eda31910e042c20f96c0e4c54cb01a2b5b9d46a139334f4a9bd1ffa7";
	struct sigv4_signer	*s = sigv4_signer_new();
	struct sigv4_request	 req;
	struct sigv4_params	 p;
	struct sigv4_out	 out;
	struct hdr_list		 h, sent = HDR_LIST_INIT;
	struct creds		*c = creds_new(AKID, SECRET, NULL, "test");
	struct err		 err;

	rt_request(&req, &h);
	rt_params(&p, c, SIGV4_KEEP_CANONICAL);
	sigv4_out_init(&out);
	ok(sigv4_sign(s, &req, &p, &out, &err) == 0, "bedrock: signs");
	is_str(out.payload_hash, RT_BODY_SHA, "bedrock: body hash");
	is_str(buf_str(&out.canonical_request), creq,
	    "bedrock: canonical request double-encodes %%3A");
	is_str(buf_str(&out.string_to_sign), sts, "bedrock: string to sign");
	is_str(out.signature, RT_SIG, "bedrock: signature");
	is_str(buf_str(&out.authorization), "AWS4-HMAC-SHA256 Credential="
	    AKID "/20250101/us-east-1/bedrock/aws4_request, SignedHeaders="
	    "content-type;host;x-amz-date, Signature=" RT_SIG,
	    "bedrock: Authorization");
	is_str(out.amz_date, "20250101T000000Z", "bedrock: X-Amz-Date");

	hdr_list_add(&sent, "Authorization", "stale");
	hdr_list_add(&sent, "Host", RT_HOST);
	sigv4_out_headers(&out, &sent);
	is_int(sent.n, 3, "bedrock: two headers added, stale one replaced");
	is_str(sent.v[1].name, "X-Amz-Date", "bedrock: X-Amz-Date first");
	is_str(hdr_list_get(&sent, "authorization"),
	    buf_str(&out.authorization), "bedrock: Authorization last");
	ok(hdr_list_get(&sent, "X-Amz-Security-Token") == NULL,
	    "bedrock: no token header without a token");
	hdr_list_free(&sent);

	/* The same request with the payload hash given, and no body. */
	req.body = NULL;
	req.body_len = 0;
	req.payload_hash = RT_BODY_SHA;
	ok(sigv4_sign(s, &req, &p, &out, &err) == 0 &&
	    strcmp(out.signature, RT_SIG) == 0,
	    "bedrock: precomputed payload hash gives the same signature");

	sigv4_out_free(&out);
	hdr_list_free(&h);
	creds_free(c);
	sigv4_signer_free(s);
}

static void
test_session_token(void)
{
	static const char	 token[] =
	    "IQoJb3JpZ2luX2VjEXAMPLE/TOKEN+with=chars";
	struct sigv4_signer	*s = sigv4_signer_new();
	struct sigv4_request	 req;
	struct sigv4_params	 p;
	struct sigv4_out	 out;
	struct hdr_list		 h, sent = HDR_LIST_INIT;
	struct creds		*c = creds_new(AKID, SECRET, token, "test");
	struct err		 err;

	rt_request(&req, &h);
	rt_params(&p, c, SIGV4_KEEP_CANONICAL);
	sigv4_out_init(&out);
	ok(sigv4_sign(s, &req, &p, &out, &err) == 0, "token: signs");
	/* botocore 1.43.11 SigV4Auth, same request, same token. */
	is_str(out.signature,
	    "7c23845ff610b7b34ca23a89556a777244ef86241668b69116fc2f4692a67a8a",
	    "token: signature matches botocore");
	is_str(buf_str(&out.signed_headers),
	    "content-type;host;x-amz-date;x-amz-security-token",
	    "token: the token header is signed");
	ok(strstr(buf_str(&out.canonical_request),
	    "\nx-amz-security-token:" "IQoJb3JpZ2luX2VjEXAMPLE/TOKEN+with=chars"
	    "\n") != NULL, "token: canonical request holds the token line");
	sigv4_out_headers(&out, &sent);
	is_int(sent.n, 3, "token: three headers to add");
	is_str(sent.v[0].name, "X-Amz-Security-Token", "token: header first");
	is_str(sent.v[0].value, token, "token: header value");
	hdr_list_free(&sent);

	/* A token header already in the request is replaced, not doubled. */
	hdr_list_add(&h, "X-Amz-Security-Token", "old");
	ok(sigv4_sign(s, &req, &p, &out, &err) == 0 && strcmp(out.signature,
	    "7c23845ff610b7b34ca23a89556a777244ef86241668b69116fc2f4692a67a8a")
	    == 0, "token: a stale token header in the request is ignored");
	hdr_list_del(&h, "X-Amz-Security-Token");

	p.flags |= SIGV4_OMIT_SESSION_TOKEN;
	ok(sigv4_sign(s, &req, &p, &out, &err) == 0 &&
	    strcmp(out.signature, RT_SIG) == 0,
	    "omit_session_token: signature as without a token");
	sigv4_out_headers(&out, &sent);
	is_str(hdr_list_get(&sent, "X-Amz-Security-Token"), token,
	    "omit_session_token: the token is still sent");
	hdr_list_free(&sent);

	p.flags = SIGV4_SIGN_BODY;
	ok(sigv4_sign(s, &req, &p, &out, &err) == 0, "sign_body: signs");
	is_str(buf_str(&out.signed_headers), "content-type;host;x-amz-content-"
	    "sha256;x-amz-date;x-amz-security-token",
	    "sign_body: x-amz-content-sha256 is signed");
	sigv4_out_headers(&out, &sent);
	is_str(hdr_list_get(&sent, "x-amz-content-sha256"), RT_BODY_SHA,
	    "sign_body: header carries the body hash");
	is_int(sent.n, 4, "sign_body: four headers to add");
	hdr_list_free(&sent);

	sigv4_out_free(&out);
	hdr_list_free(&h);
	creds_free(c);
	sigv4_signer_free(s);
}

/* Query decoding and sorting, skipped headers, folding (vs botocore). */
static void
test_list_request(void)
{
	struct sigv4_signer	*s = sigv4_signer_new();
	struct sigv4_request	 req;
	struct sigv4_params	 p;
	struct sigv4_out	 out;
	struct hdr_list		 h = HDR_LIST_INIT;
	struct creds		*c = creds_new(AKID, SECRET, NULL, "test");
	struct err		 err;
	struct tm		 tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = 2026 - 1900;
	tm.tm_mon = 10;
	tm.tm_mday = 24;
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 59;
	hdr_list_add(&h, "Host", "bedrock.eu-west-3.amazonaws.com");
	hdr_list_add(&h, "User-Agent", "bedrock-setup/0.1");
	hdr_list_add(&h, "X-Custom", "a\r\n   b\tc");
	hdr_list_add(&h, "x-custom", " second ");
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = "/foundation-models";
	req.query = "byProvider=Anthropic&byOutputModality=TEXT&a%20b=c/d:e";
	req.headers = &h;
	memset(&p, 0, sizeof p);
	p.region = "eu-west-3";
	p.service = "bedrock";
	p.creds = c;
	p.now = timegm(&tm);
	p.flags = SIGV4_KEEP_CANONICAL;
	sigv4_out_init(&out);
	ok(sigv4_sign(s, &req, &p, &out, &err) == 0, "list: signs");
	is_str(buf_str(&out.canonical_request),
	    "GET\n/foundation-models\n"
	    "a%20b=c%2Fd%3Ae&byOutputModality=TEXT&byProvider=Anthropic\n"
	    "host:bedrock.eu-west-3.amazonaws.com\n"
	    "x-amz-date:20261124T235959Z\n"
	    "x-custom:a b c,second\n\n"
	    "host;x-amz-date;x-custom\n" EMPTY_SHA,
	    "list: canonical request (query sorted, user-agent skipped, "
	    "values folded and joined)");
	/* botocore 1.43.11 SigV4Auth with params [(byProvider, Anthropic),
	 * (byOutputModality, TEXT), ("a b", "c/d:e")]. */
	is_str(out.signature,
	    "fc2d2e273222f32078bc9b2845d6cfe53488d03da1c0bd5e94e490efde87e1f9",
	    "list: signature matches botocore");

	p.flags |= SIGV4_SIGN_ALL_HEADERS;
	sigv4_sign(s, &req, &p, &out, &err);
	is_str(buf_str(&out.signed_headers), "host;user-agent;x-amz-date;"
	    "x-custom", "sign_all_headers: user-agent is signed");

	sigv4_out_free(&out);
	hdr_list_free(&h);
	creds_free(c);
	sigv4_signer_free(s);
}

/* The canonical request's path and query lines for one request. */
static void
canon(const char *path, const char *query, unsigned flags, struct buf *line)
{
	struct sigv4_signer	*s = sigv4_signer_new();
	struct sigv4_request	 req;
	struct sigv4_params	 p;
	struct sigv4_out	 out;
	struct hdr_list		 h = HDR_LIST_INIT;
	struct creds		*c = creds_new(AKID, SECRET, NULL, "test");
	struct err		 err;
	const char		*cr, *nl;

	hdr_list_add(&h, "Host", "example.amazonaws.com");
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = path;
	req.query = query;
	req.headers = &h;
	rt_params(&p, c, flags | SIGV4_KEEP_CANONICAL);
	sigv4_out_init(&out);
	buf_reset(line);
	if (sigv4_sign(s, &req, &p, &out, &err) == 0) {
		cr = strchr(buf_str(&out.canonical_request), '\n') + 1;
		nl = strchr(cr, '\n');
		nl = strchr(nl + 1, '\n');
		buf_add(line, cr, (size_t)(nl - cr));
	} else
		buf_printf(line, "error: %s", err.message);
	sigv4_out_free(&out);
	hdr_list_free(&h);
	creds_free(c);
	sigv4_signer_free(s);
}

static void
test_canonical_forms(void)
{
	static const struct {
		const char	*path, *query;
		unsigned	 flags;
		const char	*want;
	} t[] = {
		{ "/a/b/../c//d/./e/", NULL, 0, "/a/c/d/e/\n" },
		{ "/a/b/..", NULL, 0, "/a\n" },	/* as botocore */
		{ "/..", NULL, 0, "/\n" },
		{ "", NULL, 0, "/\n" },
		{ NULL, "", 0, "/\n" },
		{ "/a/./b//", NULL, SIGV4_NO_NORMALIZE, "/a/./b//\n" },
		{ "/a%3Ab c", NULL, 0, "/a%253Ab%20c\n" },
		{ "/a%3Ab c", NULL, SIGV4_NO_DOUBLE_ENCODE, "/a%3Ab%20c\n" },
		{ "/caf\xc3\xa9/%E2%82%AC", NULL, 0,
		    "/caf%C3%A9/%25E2%2582%25AC\n" },
		{ "/", "a=1&&b", 0, "/\na=1&b=" },
		{ "/", "x=%zz%4&y=%", 0, "/\nx=%25zz%254&y=%25" },
		{ "/", "p=a+b&q=%41%7e%3a", 0, "/\np=a%2Bb&q=A~%3A" },
		{ "/", "a-=1&a=2&a=10", 0, "/\na=10&a=2&a-=1" },
		{ "/", "B=1&a=1&%42=0", 0, "/\nB=0&B=1&a=1" },
		{ "/", "k=caf%C3%A9&k2=\xe2\x82\xac", 0,
		    "/\nk=caf%C3%A9&k2=%E2%82%AC" },
		{ "/", "=v&empty=", 0, "/\n=v&empty=" },
	};
	struct buf	 line = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof t / sizeof *t; i++) {
		canon(t[i].path, t[i].query, t[i].flags, &line);
		is_str(buf_str(&line), t[i].want, "canonical path/query %zu "
		    "(%s ? %s)", i, t[i].path ? t[i].path : "NULL",
		    t[i].query ? t[i].query : "NULL");
	}
	buf_free(&line);
}

static void
test_cache(void)
{
	struct sigv4_signer	*s = sigv4_signer_new(), *fresh;
	struct sigv4_request	 req;
	struct sigv4_params	 p;
	struct sigv4_out	 out, out2;
	struct hdr_list		 h;
	struct creds		*c = creds_new(AKID, SECRET, NULL, "test");
	struct creds		*c2 = creds_new(AKID, SECRET "x", NULL, "test");
	struct err		 err;

	rt_request(&req, &h);
	rt_params(&p, c, 0);
	sigv4_out_init(&out);
	sigv4_out_init(&out2);
	is_int(sigv4_signer_derivations(s), 0, "cache: a new signer is cold");
	sigv4_sign(s, &req, &p, &out, &err);
	is_int(sigv4_signer_derivations(s), 1, "cache: first sign derives");
	sigv4_sign(s, &req, &p, &out, &err);
	is_int(sigv4_signer_derivations(s), 1, "cache: same scope, no derive");
	is_str(out.signature, RT_SIG, "cache: warm signature is right");
	p.now = T20250101 + 86399;
	sigv4_sign(s, &req, &p, &out, &err);
	is_int(sigv4_signer_derivations(s), 1, "cache: same day, no derive");
	p.now = T20250101 + 86400;
	sigv4_sign(s, &req, &p, &out, &err);
	is_int(sigv4_signer_derivations(s), 2, "cache: next day derives");

	fresh = sigv4_signer_new();
	sigv4_sign(fresh, &req, &p, &out2, &err);
	is_str(out.signature, out2.signature,
	    "cache: cached key signs like a fresh one");
	sigv4_signer_free(fresh);

	p.region = "us-west-2";
	sigv4_sign(s, &req, &p, &out, &err);
	is_int(sigv4_signer_derivations(s), 3, "cache: new Region derives");
	p.service = "sts";
	sigv4_sign(s, &req, &p, &out, &err);
	is_int(sigv4_signer_derivations(s), 4, "cache: new service derives");
	p.creds = c2;
	sigv4_sign(s, &req, &p, &out2, &err);
	is_int(sigv4_signer_derivations(s), 5, "cache: new secret derives");
	ok(strcmp(out.signature, out2.signature) != 0,
	    "cache: a new secret changes the signature");
	sigv4_sign(s, &req, &p, &out2, &err);
	is_int(sigv4_signer_derivations(s), 5, "cache: and is then cached");

	sigv4_out_free(&out);
	sigv4_out_free(&out2);
	hdr_list_free(&h);
	creds_free(c);
	creds_free(c2);
	sigv4_signer_free(s);
}

static void
test_presign(void)
{
	struct sigv4_signer	*s = sigv4_signer_new();
	struct sigv4_request	 req;
	struct sigv4_params	 p;
	struct sigv4_out	 out;
	struct hdr_list		 h, sent = HDR_LIST_INIT;
	struct creds		*c = creds_new(AKID, SECRET, "to/ken=", "test");
	struct err		 err;
	const char		*q;
	static const char	 head[] = "X-Amz-Algorithm=AWS4-HMAC-SHA256&"
	    "X-Amz-Credential=AKIDEXAMPLE%2F20250101%2Fus-east-1%2Fbedrock%2F"
	    "aws4_request&X-Amz-Date=20250101T000000Z&X-Amz-SignedHeaders="
	    "content-type%3Bhost&X-Amz-Expires=60&X-Amz-Security-Token="
	    "to%2Fken%3D&X-Amz-Signature=";

	rt_request(&req, &h);
	rt_params(&p, c, SIGV4_KEEP_CANONICAL);
	p.expires = 60;
	sigv4_out_init(&out);
	ok(sigv4_presign(s, &req, &p, &out, &err) == 0, "presign: signs");
	q = buf_str(&out.query);
	ok(strncmp(q, head, sizeof head - 1) == 0 &&
	    strlen(q + sizeof head - 1) == 64 &&
	    strcmp(q + sizeof head - 1, out.signature) == 0,
	    "presign: query parameters in order, signature last");
	ok(strstr(buf_str(&out.canonical_request), "&X-Amz-Expires=60&"
	    "X-Amz-Security-Token=to%2Fken%3D&X-Amz-SignedHeaders="
	    "content-type%3Bhost\n") != NULL,
	    "presign: canonical query sorted, token signed");
	sigv4_out_headers(&out, &sent);
	is_int(sent.n, 0, "presign: no headers to add");
	p.expires = 604801;
	ok(sigv4_presign(s, &req, &p, &out, &err) == -1 &&
	    err.kind == ERR_USAGE, "presign: expiry over 7 days refused");
	sigv4_out_free(&out);
	hdr_list_free(&h);
	creds_free(c);
	sigv4_signer_free(s);
}

static void
test_errors(void)
{
	struct sigv4_signer	*s = sigv4_signer_new();
	struct sigv4_request	 req;
	struct sigv4_params	 p;
	struct sigv4_out	 out;
	struct hdr_list		 h, noh = HDR_LIST_INIT;
	struct creds		*c = creds_new(AKID, SECRET, NULL, "test");
	struct creds		*nokey = creds_new("", SECRET, NULL, "test");
	struct creds		*nosecret = creds_new(AKID, NULL, NULL, "test");
	struct err		 err;

	rt_request(&req, &h);
	rt_params(&p, c, 0);
	sigv4_out_init(&out);
	sigv4_sign(s, &req, &p, &out, &err);

	req.headers = &noh;
	hdr_list_add(&noh, "Content-Type", "application/json");
	err_clear(&err);
	ok(sigv4_sign(s, &req, &p, &out, &err) == -1 &&
	    err.kind == ERR_USAGE && strstr(err.message, "Host") != NULL,
	    "error: no Host header");
	is_int(out.authorization.len, 0, "error: out is cleared");
	is_str(out.signature, "", "error: no signature left behind");
	hdr_list_add(&noh, "Host", "");
	ok(sigv4_sign(s, &req, &p, &out, &err) == -1, "error: empty Host");
	hdr_list_set(&noh, "Bad Name", "x");
	hdr_list_set(&noh, "Host", "h");
	ok(sigv4_sign(s, &req, &p, &out, &err) == -1 &&
	    err.kind == ERR_USAGE, "error: header name with a space");
	req.headers = &h;

	p.now = -1;
	ok(sigv4_sign(s, &req, &p, &out, &err) == -1 &&
	    err.kind == ERR_USAGE, "error: time before 1970");
	p.now = (time_t)253402300800LL;	/* 10000-01-01 */
	ok(sigv4_sign(s, &req, &p, &out, &err) == -1 &&
	    err.kind == ERR_USAGE, "error: time after 9999");
	p.now = T20250101;
	ok(sigv4_sign(s, &req, &p, &out, &err) == 0 &&
	    strcmp(out.signature, RT_SIG) == 0,
	    "error: a good time after a bad one signs right");

	p.creds = NULL;
	ok(sigv4_sign(s, &req, &p, &out, &err) == -1 &&
	    err.kind == ERR_CREDENTIALS, "error: no credentials");
	p.creds = nokey;
	ok(sigv4_sign(s, &req, &p, &out, &err) == -1 &&
	    err.kind == ERR_CREDENTIALS, "error: empty access key id");
	p.creds = nosecret;
	ok(sigv4_sign(s, &req, &p, &out, &err) == -1 &&
	    err.kind == ERR_CREDENTIALS, "error: empty secret");
	p.creds = c;
	p.region = "";
	ok(sigv4_sign(s, &req, &p, &out, &err) == -1 &&
	    err.kind == ERR_USAGE, "error: empty Region");
	p.region = "us-east-1/x";
	ok(sigv4_sign(s, &req, &p, &out, &err) == -1, "error: '/' in Region");
	p.region = "us-east-1";
	req.path = "model/x";
	ok(sigv4_sign(s, &req, &p, &out, &err) == -1 &&
	    err.kind == ERR_USAGE, "error: path without '/'");
	req.path = RT_PATH;
	req.method = "PO ST";
	ok(sigv4_sign(s, &req, &p, &out, &err) == -1, "error: bad method");
	req.method = "POST";
	req.payload_hash = "abc def";
	ok(sigv4_sign(s, &req, &p, &out, &err) == -1, "error: bad payload "
	    "hash");
	req.payload_hash = "UNSIGNED-PAYLOAD";
	ok(sigv4_sign(s, &req, &p, &out, &err) == 0 &&
	    strcmp(out.payload_hash, "UNSIGNED-PAYLOAD") == 0,
	    "UNSIGNED-PAYLOAD is accepted as a payload hash");

	sigv4_out_free(&out);
	hdr_list_free(&h);
	hdr_list_free(&noh);
	creds_free(c);
	creds_free(nokey);
	creds_free(nosecret);
	sigv4_signer_free(s);
}

static void
test_bearer_and_redact(void)
{
	static const struct {
		const char	*in, *want;
	} r[] = {
		{ "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/"
		  "bedrock/aws4_request, SignedHeaders=content-type;host;"
		  "x-amz-date, Signature=" RT_SIG,
		  "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/"
		  "bedrock/aws4_request, SignedHeaders=content-type;host;"
		  "x-amz-date, Signature=****" },
		{ "AWS4-HMAC-SHA256 Signature=abc,Credential=A/B",
		  "AWS4-HMAC-SHA256 Signature=****, Credential=A/B" },
		{ "AWS4-HMAC-SHA256 Credential=A\n/B, Extra",
		  "AWS4-HMAC-SHA256 Credential=A?/B, ****" },
		{ "Bearer ABSKsecretsecret", "Bearer ****" },
		{ "  bearer ABSKsecret", "bearer ****" },
		{ "Basic dXNlcjpwYXNz", "Basic ****" },
		{ "ABSKsecretwithoutscheme", "****" },
		{ "Token abc", "****" },
		{ "", "****" },
	};
	struct hdr_list		 h = HDR_LIST_INIT;
	struct secret		*t;
	struct err		 err;
	char			*red;
	size_t			 i;

	t = secret_from_str("ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl=");
	hdr_list_add(&h, "Authorization", "old");
	ok(sigv4_bearer_header(t, &h, &err) == 0, "bearer: header set");
	is_int(h.n, 1, "bearer: replaces an Authorization already there");
	is_str(hdr_list_get(&h, "Authorization"),
	    "Bearer ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl=", "bearer: value");
	secret_free(t);
	t = secret_from_str("two words");
	ok(sigv4_bearer_header(t, &h, &err) == -1 &&
	    err.kind == ERR_CREDENTIALS, "bearer: space refused");
	secret_free(t);
	t = secret_from_str("abc\r\nX-Evil: 1");
	ok(sigv4_bearer_header(t, &h, &err) == -1, "bearer: CR LF refused");
	secret_free(t);
	t = secret_from_str("");
	ok(sigv4_bearer_header(t, &h, &err) == -1, "bearer: empty refused");
	secret_free(t);
	ok(sigv4_bearer_header(NULL, &h, &err) == -1, "bearer: NULL refused");
	is_str(hdr_list_get(&h, "Authorization"),
	    "Bearer ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl=",
	    "bearer: failures leave the list alone");
	hdr_list_free(&h);

	for (i = 0; i < sizeof r / sizeof *r; i++) {
		red = sigv4_redact(r[i].in);
		is_str(red, r[i].want, "redact %zu", i);
		free(red);
	}
	red = sigv4_redact(NULL);
	is_str(red, "", "redact NULL");
	free(red);
}

int
main(void)
{
	test_sha256();
	test_hmac();
	test_encodings();
	test_bedrock_vector();
	test_session_token();
	test_list_request();
	test_canonical_forms();
	test_cache();
	test_presign();
	test_errors();
	test_bearer_and_redact();
	return tap_done();
}
