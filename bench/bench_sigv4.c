/*
 * bench_sigv4.c: how fast the SigV4 signer is, against the hashing it cannot
 * avoid.  Driven by bench_sigv4.py, which adds botocore's figure.
 *
 * Usage: bench_sigv4 [--seconds S] [--body N] [--token N]
 *					print signatures per second
 *        bench_sigv4 [--body N] [--token N] --describe
 *					print the request as JSON
 *
 * The request is a Bedrock ConverseStream call (bedrock-facts.md section 5)
 * with a body of N bytes (default 1 KiB; at least the JSON around the
 * prompt) and a session token of N characters (default 820; 0 for long-term
 * keys, which carry none).  "ours" signs it in a loop with a
 * warm key cache; "raw" does only the SHA-256 of the body, the SHA-256 of
 * the canonical request and one HMAC of the string to sign, with the
 * signing key already keyed.  Figures only; nothing is asserted.
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
#include "sigv4.h"

#define BODY_LEN	1024
#define TOKEN_LEN	820
#define MAX_LEN		(1024 * 1024)
#define AKID		"ASIAQEXAMPLE7EXAMPLE"
#define SECRET		"je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"
#define HOST		"bedrock-runtime.us-east-1.amazonaws.com"
#define PATH		"/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream"
#define USER_AGENT	"bedrock-setup/0.1 (bench)"
#define NOW		((time_t)1735689600)	/* 2025-01-01T00:00:00Z */

struct bench {
	char			*body;
	size_t			 body_len;
	char			*token;		/* NULL: no session token */
	size_t			 token_len;
	struct hdr_list		 headers;
	struct creds		*creds;
	struct sigv4_request	 req;
	struct sigv4_params	 params;
};

static void
bench_init(struct bench *b, size_t body_len, size_t token_len)
{
	static const char	 head[] = "{\"messages\": [{\"role\": \"user\", "
	    "\"content\": [{\"text\": \"";
	static const char	 tail[] = "\"}]}], \"inferenceConfig\": "
	    "{\"maxTokens\": 512}}";
	static const char	 b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
	    "klmnopqrstuvwxyz0123456789+/";
	size_t			 i, fill;

	if (body_len < sizeof head - 1 + sizeof tail - 1)
		body_len = sizeof head - 1 + sizeof tail - 1;
	fill = body_len - (sizeof head - 1) - (sizeof tail - 1);
	b->body_len = body_len;
	b->body = malloc(body_len + 1);
	b->token_len = token_len;
	b->token = token_len > 0 ? malloc(token_len + 1) : NULL;
	if (b->body == NULL || (token_len > 0 && b->token == NULL)) {
		fprintf(stderr, "bench_sigv4: out of memory\n");
		exit(1);
	}
	memcpy(b->body, head, sizeof head - 1);
	for (i = 0; i < fill; i++)
		b->body[sizeof head - 1 + i] = "Tell me a story. "[i % 17];
	memcpy(b->body + sizeof head - 1 + fill, tail, sizeof tail);
	for (i = 0; i < token_len; i++)
		b->token[i] = b64[(i * 37 + 11) % 64];
	if (b->token != NULL)
		b->token[token_len] = '\0';

	hdr_list_init(&b->headers);
	hdr_list_add(&b->headers, "Content-Type", "application/json");
	hdr_list_add(&b->headers, "Host", HOST);
	hdr_list_add(&b->headers, "User-Agent", USER_AGENT);
	b->creds = creds_new(AKID, SECRET, b->token, "bench");

	memset(&b->req, 0, sizeof b->req);
	b->req.method = "POST";
	b->req.path = PATH;
	b->req.headers = &b->headers;
	b->req.body = b->body;
	b->req.body_len = b->body_len;
	memset(&b->params, 0, sizeof b->params);
	b->params.region = "us-east-1";
	b->params.service = "bedrock";
	b->params.creds = b->creds;
	b->params.now = NOW;
}

static void
bench_free(struct bench *b)
{
	hdr_list_free(&b->headers);
	creds_free(b->creds);
	free(b->body);
	free(b->token);
}

static double
now_sec(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
describe(const struct bench *b)
{
	struct buf	 body64 = BUF_INIT;
	size_t		 i;

	crypto_base64_encode(b->body, b->body_len, &body64);
	printf("{\"method\": \"POST\", \"host\": \"%s\", \"path\": \"%s\", "
	    "\"headers\": [", HOST, PATH);
	for (i = 0; i < b->headers.n; i++)
		printf("%s[\"%s\", \"%s\"]", i > 0 ? ", " : "",
		    b->headers.v[i].name, b->headers.v[i].value);
	printf("], \"body_b64\": \"%s\", \"akid\": \"%s\", \"secret\": \"%s\", "
	    "\"token\": %s%s%s, \"region\": \"us-east-1\", \"service\": "
	    "\"bedrock\", \"time\": %lld}\n", buf_str(&body64), AKID, SECRET,
	    b->token != NULL ? "\"" : "", b->token != NULL ? b->token : "null",
	    b->token != NULL ? "\"" : "", (long long)NOW);
	buf_free(&body64);
}

/* Signatures per second of our signer, warm. */
static double
run_ours(struct bench *b, double seconds, char *sig)
{
	struct sigv4_signer	*s = sigv4_signer_new();
	struct sigv4_out	 out;
	struct err		 err;
	double			 t0, t;
	long			 n = 0, i;

	sigv4_out_init(&out);
	if (sigv4_sign(s, &b->req, &b->params, &out, &err) != 0) {
		fprintf(stderr, "bench_sigv4: %s\n", err.message);
		exit(1);
	}
	t0 = now_sec();
	do {
		for (i = 0; i < 1000; i++)
			sigv4_sign(s, &b->req, &b->params, &out, NULL);
		n += i;
		t = now_sec() - t0;
	} while (t < seconds);
	memcpy(sig, out.signature, sizeof out.signature);
	if (sigv4_signer_derivations(s) != 1)
		fprintf(stderr, "bench_sigv4: the key cache was not warm\n");
	sigv4_out_free(&out);
	sigv4_signer_free(s);
	return (double)n / t;
}

/* Signatures per second of the hashing alone, over the same bytes. */
static double
run_raw(struct bench *b, double seconds, size_t *creq_len)
{
	struct sigv4_signer	*s = sigv4_signer_new();
	struct sigv4_out	 out;
	struct crypto_sha256	*h = crypto_sha256_new();
	struct crypto_hmac	*key;
	unsigned char		 md[CRYPTO_SHA256_LEN], kd[CRYPTO_SHA256_LEN];
	unsigned char		 sink = 0;
	double			 t0, t;
	long			 n = 0, i;

	sigv4_out_init(&out);
	b->params.flags = SIGV4_KEEP_CANONICAL;
	sigv4_sign(s, &b->req, &b->params, &out, NULL);
	b->params.flags = 0;
	*creq_len = out.canonical_request.len;
	/* Any 32-byte key does: the cost of HMAC does not depend on it. */
	crypto_sha256("bench", 5, kd);
	key = crypto_hmac_new(kd, sizeof kd);

	t0 = now_sec();
	do {
		for (i = 0; i < 1000; i++) {
			crypto_sha256_update(h, b->body, b->body_len);
			crypto_sha256_final(h, md);
			sink ^= md[0];
			crypto_sha256_update(h, out.canonical_request.data,
			    out.canonical_request.len);
			crypto_sha256_final(h, md);
			sink ^= md[0];
			crypto_hmac_sign(key, out.string_to_sign.data,
			    out.string_to_sign.len, md);
			sink ^= md[0];
		}
		n += i;
		t = now_sec() - t0;
	} while (t < seconds);
	if (sink == 0x5a)
		fputc('\n', stderr);
	crypto_hmac_free(key);
	crypto_sha256_free(h);
	sigv4_out_free(&out);
	sigv4_signer_free(s);
	return (double)n / t;
}

/* A whole number of bytes from 0 to MAX_LEN, or -1. */
static long
parse_len(const char *s)
{
	char	*end;
	long	 v = strtol(s, &end, 10);

	return *end != '\0' || end == s || v < 0 || v > MAX_LEN ? -1 : v;
}

int
main(int argc, char **argv)
{
	struct bench	 b;
	char		 sig[65];
	double		 seconds = 2.0, ours, raw;
	size_t		 creq_len = 0;
	long		 body_len = BODY_LEN, token_len = TOKEN_LEN;
	char		*end;
	int		 i, want_describe = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--describe") == 0) {
			want_describe = 1;
			continue;
		}
		if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
			seconds = strtod(argv[++i], &end);
			if (*end != '\0' || seconds <= 0) {
				fprintf(stderr, "bench_sigv4: bad --seconds\n");
				return 2;
			}
			continue;
		}
		if (strcmp(argv[i], "--body") == 0 && i + 1 < argc) {
			if ((body_len = parse_len(argv[++i])) < 0) {
				fprintf(stderr, "bench_sigv4: bad --body\n");
				return 2;
			}
			continue;
		}
		if (strcmp(argv[i], "--token") == 0 && i + 1 < argc) {
			if ((token_len = parse_len(argv[++i])) < 0) {
				fprintf(stderr, "bench_sigv4: bad --token\n");
				return 2;
			}
			continue;
		}
		fprintf(stderr, "usage: bench_sigv4 [--seconds S] [--body N] "
		    "[--token N] [--describe]\n");
		return 2;
	}
	bench_init(&b, (size_t)body_len, (size_t)token_len);
	if (want_describe) {
		describe(&b);
		bench_free(&b);
		return 0;
	}
	ours = run_ours(&b, seconds, sig);
	raw = run_raw(&b, seconds, &creq_len);
	printf("request POST %s body=%zu token=%zu canonical_request=%zu\n",
	    PATH, b.body_len, b.token_len, creq_len);
	/* The signature of a fixed bench request with made-up keys. */
	printf("signature %s\n", sig);
	printf("ours_per_sec %.0f\n", ours);
	printf("raw_per_sec %.0f\n", raw);
	printf("ours_vs_raw %.2f\n", raw / ours);
	bench_free(&b);
	return 0;
}
