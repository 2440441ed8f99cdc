/*
 * sigv4.c: AWS Signature Version 4 and bearer tokens (see sigv4.h).
 *
 * The canonical request is built in one reused buffer: the path and the
 * query are encoded straight into it, headers and query pairs are sorted as
 * small index records over scratch buffers the signer keeps.  A buffer that
 * hits its cap sets a sticky flag, checked between stages rather than after
 * every append.  The signing key of the last scope is kept as a keyed HMAC,
 * so a warm signature costs two SHA-256 runs (body, canonical request) and
 * one HMAC, and no allocation once the buffers have grown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "creds.h"
#include "crypto.h"
#include "err.h"
#include "hdr.h"
#include "i18n.h"
#include "secret.h"
#include "sigv4.h"
#include "xalloc.h"

#define ALGORITHM		"AWS4-HMAC-SHA256"
#define TERMINATOR		"aws4_request"
#define MAX_EXPIRES		604800L		/* seven days */
#define DEFAULT_EXPIRES		3600L
#define SIGV4_BUF_MAX		(8u * 1024 * 1024)
#define PAYLOAD_HASH_MAX	64

/* How put_encoded treats its input. */
#define ENC_SLASH	0x01u	/* keep '/' */
#define ENC_KEEP_PCT	0x02u	/* keep '%' (already encoded) */
#define ENC_DECODE	0x04u	/* decode "%XX" first */

struct hent {
	const char	*name;		/* lower case, NUL-terminated */
	size_t		 name_off;	/* in signer->names until resolved */
	const char	*value;
	size_t		 order;
};

struct qent {
	const char	*name;		/* value follows name in qbuf */
	size_t		 off;
	size_t		 nlen;
	size_t		 vlen;
};

struct span {
	size_t		 off;
	size_t		 len;
};

struct sigv4_signer {
	struct crypto_sha256	*sha;

	/* The key cache: kSigning for the scope below. */
	struct crypto_hmac	*key;
	char			 key_date[9];
	char			*key_region;
	char			*key_service;
	char			*key_akid;
	struct secret		*key_secret;
	unsigned long		 derivations;

	time_t			 last_now;
	int			 have_now;
	char			 amz_date[17];

	struct buf		 creq;
	struct buf		 sts;
	struct buf		 scope;
	struct buf		 names;
	struct buf		 qbuf;
	struct hent		*hv;
	size_t			 hn;
	size_t			 hcap;
	struct qent		*qv;
	size_t			 qn;
	size_t			 qcap;
	struct span		*sv;
	size_t			 sn;
	size_t			 scap;
	int			 full;
};

/* Header names the signer treats specially, lower case. */
enum hkind {
	H_PLAIN,
	H_HOST,
	H_AUTHORIZATION,
	H_DATE,
	H_TOKEN,
	H_CONTENT_SHA256,
	H_UNSIGNED		/* botocore never signs it */
};

static const struct {
	const char	*name;
	size_t		 len;
	enum hkind	 kind;
} special_headers[] = {
#define SPECIAL(n, k)	{ n, sizeof n - 1, k }
	SPECIAL("host", H_HOST),
	SPECIAL("authorization", H_AUTHORIZATION),
	SPECIAL("x-amz-date", H_DATE),
	SPECIAL("x-amz-security-token", H_TOKEN),
	SPECIAL("x-amz-content-sha256", H_CONTENT_SHA256),
	/* botocore auth.py SIGNED_HEADERS_BLACKLIST */
	SPECIAL("connection", H_UNSIGNED),
	SPECIAL("expect", H_UNSIGNED),
	SPECIAL("keep-alive", H_UNSIGNED),
	SPECIAL("proxy-authenticate", H_UNSIGNED),
	SPECIAL("proxy-authorization", H_UNSIGNED),
	SPECIAL("te", H_UNSIGNED),
	SPECIAL("trailer", H_UNSIGNED),
	SPECIAL("transfer-encoding", H_UNSIGNED),
	SPECIAL("upgrade", H_UNSIGNED),
	SPECIAL("user-agent", H_UNSIGNED),
	SPECIAL("x-amzn-trace-id", H_UNSIGNED),
#undef SPECIAL
};

static const char hexdigits_upper[] = "0123456789ABCDEF";

/* buf_add, with the common case (it fits) inline. */
static inline void
put(struct sigv4_signer *s, struct buf *b, const void *p, size_t n)
{
	if (b->data != NULL && n < b->cap - b->len && n <= b->max - b->len) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
	} else if (buf_add(b, p, n) != 0)
		s->full = 1;
}

static void
put_str(struct sigv4_signer *s, struct buf *b, const char *str)
{
	put(s, b, str, strlen(str));
}

/* A-Za-z0-9 - . _ ~ as bit masks for bytes 0-63 and 64-127. */
#define UNRESERVED_LO	((1ULL << '-') | (1ULL << '.') | (0x3ffULL << '0'))
#define UNRESERVED_HI	((0x3ffffffULL << ('A' - 64)) | \
			 (1ULL << ('_' - 64)) | \
			 (0x3ffffffULL << ('a' - 64)) | (1ULL << ('~' - 64)))

static int
is_unreserved(unsigned char c)
{
	if (c < 64)
		return (UNRESERVED_LO >> c) & 1;
	if (c < 128)
		return (UNRESERVED_HI >> (c - 64)) & 1;
	return 0;
}

#define SPACES	" \t\r\n\v\f"

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
keep_byte(unsigned char c, unsigned how)
{
	return is_unreserved(c) || (c == '/' && (how & ENC_SLASH)) ||
	    (c == '%' && (how & ENC_KEEP_PCT));
}

/* Append p[0..n) percent-encoded with the unreserved set (see ENC_*). */
static void
put_encoded(struct sigv4_signer *s, struct buf *b, const char *p, size_t n,
    unsigned how)
{
	char		 esc[3] = { '%', '0', '0' };
	size_t		 i = 0, run;
	unsigned char	 c;
	int		 hi, lo;

	while (i < n) {
		for (run = i; run < n && keep_byte((unsigned char)p[run], how);
		    run++)
			continue;
		if (run > i) {
			put(s, b, p + i, run - i);
			i = run;
			continue;
		}
		c = (unsigned char)p[i++];
		if (c == '%' && (how & ENC_DECODE) && i + 1 < n &&
		    (hi = hexval((unsigned char)p[i])) >= 0 &&
		    (lo = hexval((unsigned char)p[i + 1])) >= 0) {
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
			if (is_unreserved(c)) {
				put(s, b, &c, 1);
				continue;
			}
		}
		esc[1] = hexdigits_upper[c >> 4];
		esc[2] = hexdigits_upper[c & 0x0f];
		put(s, b, esc, sizeof esc);
	}
}

/* Append a header value trimmed, with runs of white space folded. */
static void
put_folded(struct sigv4_signer *s, struct buf *b, const char *v)
{
	size_t	 n;
	int	 first = 1;

	for (;;) {
		v += strspn(v, SPACES);
		if (*v == '\0')
			return;
		n = strcspn(v, SPACES);
		if (!first)
			put(s, b, " ", 1);
		put(s, b, v, n);
		first = 0;
		v += n;
	}
}

/*
 * The canonical URI.  Normalisation follows botocore's remove_dot_segments:
 * drop empty and "." segments, ".." drops the one before; keep the leading
 * '/', and the trailing one when any segment is left.
 */
static void
put_path(struct sigv4_signer *s, const char *path, unsigned flags)
{
	struct buf	*b = &s->creq;
	unsigned	 how = ENC_SLASH;
	size_t		 len = strlen(path), i, j, k;

	if (flags & SIGV4_NO_DOUBLE_ENCODE)
		how |= ENC_KEEP_PCT;
	if (len == 0) {
		put(s, b, "/", 1);
		return;
	}
	if (flags & SIGV4_NO_NORMALIZE) {
		put_encoded(s, b, path, len, how);
		return;
	}
	s->sn = 0;
	for (i = 0; i <= len; i = j + 1) {
		for (j = i; j < len && path[j] != '/'; j++)
			continue;
		if (j == i || (j - i == 1 && path[i] == '.'))
			continue;
		if (j - i == 2 && path[i] == '.' && path[i + 1] == '.') {
			if (s->sn > 0)
				s->sn--;
			continue;
		}
		if (s->sn == s->scap) {
			s->scap = s->scap == 0 ? 16 : s->scap * 2;
			s->sv = xreallocarray(s->sv, s->scap, sizeof *s->sv);
		}
		s->sv[s->sn].off = i;
		s->sv[s->sn].len = j - i;
		s->sn++;
	}
	if (path[0] == '/')
		put(s, b, "/", 1);
	for (k = 0; k < s->sn; k++) {
		if (k > 0)
			put(s, b, "/", 1);
		put_encoded(s, b, path + s->sv[k].off, s->sv[k].len, how);
	}
	if (path[len - 1] == '/' && s->sn > 0)
		put(s, b, "/", 1);
}

/* Start a query pair with its name; query_value() appends to its value. */
static size_t
query_name(struct sigv4_signer *s, const char *name, size_t nlen,
    unsigned how)
{
	struct qent	*q;

	if (s->qn == s->qcap) {
		s->qcap = s->qcap == 0 ? 16 : s->qcap * 2;
		s->qv = xreallocarray(s->qv, s->qcap, sizeof *s->qv);
	}
	q = &s->qv[s->qn];
	q->off = s->qbuf.len;
	put_encoded(s, &s->qbuf, name, nlen, how);
	q->nlen = s->qbuf.len - q->off;
	q->vlen = 0;
	return s->qn++;
}

static void
query_value(struct sigv4_signer *s, size_t qi, const char *v, size_t vlen,
    unsigned how)
{
	struct qent	*q = &s->qv[qi];

	put_encoded(s, &s->qbuf, v, vlen, how);
	q->vlen = s->qbuf.len - q->off - q->nlen;
}

static void
push_query(struct sigv4_signer *s, const char *name, size_t nlen,
    const char *value, size_t vlen, unsigned how)
{
	query_value(s, query_name(s, name, nlen, how), value, vlen, how);
}

/* Split the wire query into pairs; "a" counts as "a=", "&&" is skipped. */
static void
parse_query(struct sigv4_signer *s, const char *q)
{
	const char	*amp, *eq, *end;

	while (q != NULL && *q != '\0') {
		amp = strchr(q, '&');
		end = amp != NULL ? amp : q + strlen(q);
		if (end > q) {
			eq = memchr(q, '=', (size_t)(end - q));
			if (eq != NULL)
				push_query(s, q, (size_t)(eq - q), eq + 1,
				    (size_t)(end - eq - 1), ENC_DECODE);
			else
				push_query(s, q, (size_t)(end - q), "", 0,
				    ENC_DECODE);
		}
		q = amp != NULL ? amp + 1 : NULL;
	}
}

static int
bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int	 c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int
qent_cmp(const void *va, const void *vb)
{
	const struct qent	*a = va, *b = vb;
	int			 c;

	if ((c = bytes_cmp(a->name, a->nlen, b->name, b->nlen)) != 0)
		return c;
	return bytes_cmp(a->name + a->nlen, a->vlen, b->name + b->nlen,
	    b->vlen);
}

static int
hent_cmp(const void *va, const void *vb)
{
	const struct hent	*a = va, *b = vb;
	int			 c;

	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Stable by construction (order breaks ties); few headers, so insertion. */
static void
sort_headers(struct hent *v, size_t n)
{
	struct hent	 t;
	size_t		 i, j;

	if (n > 32) {
		qsort(v, n, sizeof *v, hent_cmp);
		return;
	}
	for (i = 1; i < n; i++) {
		t = v[i];
		for (j = i; j > 0 && hent_cmp(&v[j - 1], &t) > 0; j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
}

static void
put_query(struct sigv4_signer *s)
{
	size_t	 i;

	for (i = 0; i < s->qn; i++)
		s->qv[i].name = s->qbuf.data + s->qv[i].off;
	if (s->qn > 1)
		qsort(s->qv, s->qn, sizeof *s->qv, qent_cmp);
	for (i = 0; i < s->qn; i++) {
		if (i > 0)
			put(s, &s->creq, "&", 1);
		put(s, &s->creq, s->qv[i].name, s->qv[i].nlen);
		put(s, &s->creq, "=", 1);
		put(s, &s->creq, s->qv[i].name + s->qv[i].nlen, s->qv[i].vlen);
	}
}

static void
push_header(struct sigv4_signer *s, size_t name_off, const char *value)
{
	struct hent	*h;

	if (s->hn == s->hcap) {
		s->hcap = s->hcap == 0 ? 16 : s->hcap * 2;
		s->hv = xreallocarray(s->hv, s->hcap, sizeof *s->hv);
	}
	h = &s->hv[s->hn];
	h->name_off = name_off;
	h->value = value;
	h->order = s->hn++;
}

/* Append name lower-cased and NUL-terminated to s->names; its offset. */
static size_t
put_name(struct sigv4_signer *s, const char *name, size_t n)
{
	size_t	 off = s->names.len, i;
	char	*p;

	put(s, &s->names, name, n);
	put(s, &s->names, "", 1);
	if (s->full)
		return off;
	p = s->names.data + off;
	for (i = 0; i < n; i++)
		if (p[i] >= 'A' && p[i] <= 'Z')
			p[i] = (char)(p[i] - 'A' + 'a');
	return off;
}

static enum hkind
header_kind(const char *lname, size_t n)
{
	size_t	 i;

	for (i = 0; i < sizeof special_headers / sizeof *special_headers; i++)
		if (special_headers[i].len == n &&
		    memcmp(special_headers[i].name, lname, n) == 0)
			return special_headers[i].kind;
	return H_PLAIN;
}

static int
valid_token_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != ':';
}

/*
 * Gather the headers to sign into s->hv, sorted, and write the SignedHeaders
 * list into out.  -1 with err set when a name is malformed or Host is
 * missing.
 */
static int
collect_headers(struct sigv4_signer *s, const struct sigv4_request *req,
    unsigned flags, int presign, const char *token,
    struct sigv4_out *out, struct err *err)
{
	const struct hdr_list	*l = req->headers;
	enum hkind		 kind;
	size_t			 i, n, off;
	int			 have_host = 0, skip;

	s->hn = 0;
	buf_reset(&s->names);
	for (i = 0; i < l->n; i++) {
		const char	*name = l->v[i].name;

		for (n = 0; name[n] != '\0'; n++)
			if (!valid_token_char((unsigned char)name[n]))
				break;
		if (n == 0 || name[n] != '\0') {
			err_set(err, ERR_USAGE, N_("cannot sign the request: "
			    "bad header name \"%.40s\""), name);
			return -1;
		}
		off = put_name(s, name, n);
		if (s->full)
			break;
		kind = header_kind(s->names.data + off, n);
		if (kind == H_HOST && l->v[i].value[0] != '\0')
			have_host = 1;
		skip = kind == H_AUTHORIZATION ||
		    (!presign && (kind == H_DATE ||
		    (kind == H_TOKEN && token != NULL) ||
		    (kind == H_CONTENT_SHA256 && (flags & SIGV4_SIGN_BODY)))) ||
		    (kind == H_UNSIGNED && !(flags & SIGV4_SIGN_ALL_HEADERS));
		if (skip) {
			s->names.len = off;
			s->names.data[off] = '\0';
		} else
			push_header(s, off, l->v[i].value);
	}
	if (!have_host && !s->full) {
		err_set(err, ERR_USAGE, N_("cannot sign the request: it has "
		    "no Host header"));
		return -1;
	}
	if (!presign) {
		push_header(s, put_name(s, "x-amz-date", 10), out->amz_date);
		if (token != NULL && !(flags & SIGV4_OMIT_SESSION_TOKEN))
			push_header(s, put_name(s, "x-amz-security-token", 20),
			    token);
		if (flags & SIGV4_SIGN_BODY)
			push_header(s, put_name(s, "x-amz-content-sha256", 20),
			    out->payload_hash);
	}
	if (s->full)
		return 0;
	for (i = 0; i < s->hn; i++)
		s->hv[i].name = s->names.data + s->hv[i].name_off;
	sort_headers(s->hv, s->hn);

	buf_reset(&out->signed_headers);
	for (i = 0; i < s->hn; i++) {
		if (i > 0 && strcmp(s->hv[i].name, s->hv[i - 1].name) == 0)
			continue;
		if (i > 0)
			put(s, &out->signed_headers, ";", 1);
		put_str(s, &out->signed_headers, s->hv[i].name);
	}
	return 0;
}

static void
put_headers(struct sigv4_signer *s)
{
	size_t	 i;

	for (i = 0; i < s->hn; i++) {
		if (i > 0 && strcmp(s->hv[i].name, s->hv[i - 1].name) == 0)
			put(s, &s->creq, ",", 1);
		else {
			if (i > 0)
				put(s, &s->creq, "\n", 1);
			put_str(s, &s->creq, s->hv[i].name);
			put(s, &s->creq, ":", 1);
		}
		put_folded(s, &s->creq, s->hv[i].value);
	}
	if (s->hn > 0)
		put(s, &s->creq, "\n", 1);
}

static int
set_time(struct sigv4_signer *s, time_t now, struct err *err)
{
	struct tm	 tm;

	if (s->have_now && s->last_now == now)
		return 0;
	if (now < 0 || gmtime_r(&now, &tm) == NULL ||
	    tm.tm_year + 1900 > 9999 || strftime(s->amz_date,
	    sizeof s->amz_date, "%Y%m%dT%H%M%SZ", &tm) != 16) {
		s->have_now = 0;
		err_set(err, ERR_USAGE, N_("cannot sign the request: the time "
		    "is out of range"));
		return -1;
	}
	s->last_now = now;
	s->have_now = 1;
	return 0;
}

static int
scope_word_ok(const char *w)
{
	if (w == NULL || *w == '\0')
		return 0;
	for (; *w != '\0'; w++)
		if (!is_unreserved((unsigned char)*w))
			return 0;
	return 1;
}

static int
check_request(const struct sigv4_request *req, const struct sigv4_params *p,
    struct err *err)
{
	const char	*m;

	if (req->method == NULL || req->method[0] == '\0' ||
	    req->headers == NULL) {
		err_set(err, ERR_USAGE, N_("cannot sign the request: no method "
		    "or no headers"));
		return -1;
	}
	for (m = req->method; *m != '\0'; m++)
		if (!valid_token_char((unsigned char)*m)) {
			err_set(err, ERR_USAGE, N_("cannot sign the request: "
			    "bad method"));
			return -1;
		}
	if (req->path != NULL && req->path[0] != '\0' && req->path[0] != '/') {
		err_set(err, ERR_USAGE, N_("cannot sign the request: the path "
		    "does not start with '/'"));
		return -1;
	}
	if (req->body == NULL && req->body_len > 0 &&
	    req->payload_hash == NULL) {
		err_set(err, ERR_USAGE, N_("cannot sign the request: body "
		    "length without a body"));
		return -1;
	}
	if (!scope_word_ok(p->region) || !scope_word_ok(p->service)) {
		err_set(err, ERR_USAGE, N_("cannot sign the request: bad or "
		    "missing Region or service name"));
		return -1;
	}
	if (p->creds == NULL || !scope_word_ok(p->creds->access_key_id) ||
	    secret_len(p->creds->secret_access_key) == 0) {
		err_set(err, ERR_CREDENTIALS, N_("cannot sign the request: the "
		    "credentials lack a valid access key id or a secret"));
		return -1;
	}
	return 0;
}

static int
set_payload_hash(struct sigv4_signer *s, const struct sigv4_request *req,
    struct sigv4_out *out, struct err *err)
{
	unsigned char	 md[CRYPTO_SHA256_LEN];
	const char	*h = req->payload_hash;
	size_t		 i;

	if (h != NULL) {
		for (i = 0; h[i] != '\0'; i++)
			if (i >= PAYLOAD_HASH_MAX ||
			    !valid_token_char((unsigned char)h[i]))
				break;
		if (i == 0 || h[i] != '\0') {
			err_set(err, ERR_USAGE, N_("cannot sign the request: "
			    "bad payload hash"));
			return -1;
		}
		memcpy(out->payload_hash, h, i + 1);
		return 0;
	}
	if (crypto_sha256_update(s->sha, req->body_len > 0 ? req->body : "",
	    req->body_len) != 0 || crypto_sha256_final(s->sha, md) != 0) {
		crypto_sha256_reset(s->sha);
		err_set(err, ERR_INTERNAL, N_("cannot sign the request: "
		    "SHA-256 failed"));
		return -1;
	}
	crypto_hex(md, sizeof md, out->payload_hash);
	return 0;
}

/* Make s->key the signing key for this scope, deriving it if needed. */
static int
signing_key(struct sigv4_signer *s, const char *date, const char *region,
    const char *service, const struct creds *c, struct err *err)
{
	const struct secret	*sec = c->secret_access_key;
	unsigned char		 k1[CRYPTO_SHA256_LEN], k2[CRYPTO_SHA256_LEN];
	struct crypto_hmac	*key = NULL;
	size_t			 slen = secret_len(sec);
	char			*ksecret;
	int			 ok;

	if (s->key != NULL && memcmp(s->key_date, date, 8) == 0 &&
	    strcmp(s->key_region, region) == 0 &&
	    strcmp(s->key_service, service) == 0 &&
	    strcmp(s->key_akid, c->access_key_id) == 0 &&
	    secret_len(s->key_secret) == slen &&
	    crypto_equal(secret_reveal(s->key_secret), secret_reveal(sec),
	    slen))
		return 0;

	ksecret = xmalloc(slen + 4);
	memcpy(ksecret, "AWS4", 4);
	memcpy(ksecret + 4, secret_reveal(sec), slen);
	ok = crypto_hmac_sha256(ksecret, slen + 4, date, 8, k1) == 0 &&
	    crypto_hmac_sha256(k1, sizeof k1, region, strlen(region),
	    k2) == 0 &&
	    crypto_hmac_sha256(k2, sizeof k2, service, strlen(service),
	    k1) == 0 &&
	    crypto_hmac_sha256(k1, sizeof k1, TERMINATOR,
	    sizeof TERMINATOR - 1, k2) == 0 &&
	    (key = crypto_hmac_new(k2, sizeof k2)) != NULL;
	explicit_bzero(ksecret, slen + 4);
	free(ksecret);
	explicit_bzero(k1, sizeof k1);
	explicit_bzero(k2, sizeof k2);
	if (!ok) {
		err_set(err, ERR_INTERNAL, N_("cannot sign the request: HMAC "
		    "failed"));
		return -1;
	}

	crypto_hmac_free(s->key);
	free(s->key_region);
	free(s->key_service);
	free(s->key_akid);
	secret_free(s->key_secret);
	s->key = key;
	memcpy(s->key_date, date, 8);
	s->key_date[8] = '\0';
	s->key_region = xstrdup(region);
	s->key_service = xstrdup(service);
	s->key_akid = xstrdup(c->access_key_id);
	s->key_secret = secret_dup(sec);
	s->derivations++;
	return 0;
}

static void
out_reset(struct sigv4_out *out)
{
	out->amz_date[0] = '\0';
	out->payload_hash[0] = '\0';
	explicit_bzero(out->signature, sizeof out->signature);
	out->sign_body = 0;
	buf_reset(&out->token);
	buf_reset(&out->authorization);
	buf_reset(&out->query);
	buf_reset(&out->signed_headers);
	buf_reset(&out->canonical_request);
	buf_reset(&out->string_to_sign);
}

static void
put_presign_params(struct sigv4_signer *s, struct buf *b,
    const struct creds *c, const char *expires, const char *token,
    const char *signed_headers, const char *signature)
{
	put_str(s, b, "X-Amz-Algorithm=" ALGORITHM "&X-Amz-Credential=");
	put_encoded(s, b, c->access_key_id, strlen(c->access_key_id), 0);
	put(s, b, "%2F", 3);
	put_encoded(s, b, s->scope.data, s->scope.len, 0);
	put_str(s, b, "&X-Amz-Date=");
	put_str(s, b, s->amz_date);
	put_str(s, b, "&X-Amz-SignedHeaders=");
	put_encoded(s, b, signed_headers, strlen(signed_headers), 0);
	put_str(s, b, "&X-Amz-Expires=");
	put_str(s, b, expires);
	if (token != NULL) {
		put_str(s, b, "&X-Amz-Security-Token=");
		put_encoded(s, b, token, strlen(token), 0);
	}
	put_str(s, b, "&X-Amz-Signature=");
	put_str(s, b, signature);
}

/* What one call works from, once the inputs are checked. */
struct job {
	const struct sigv4_request	*req;
	const struct sigv4_params	*p;
	unsigned			 flags;
	int				 presign;
	const char			*token;		/* NULL when none */
	char				 expires[24];
};

static int
start_job(struct sigv4_signer *s, struct job *j, struct sigv4_out *out,
    struct err *err)
{
	long	 exp = j->p->expires == 0 ? DEFAULT_EXPIRES : j->p->expires;

	if (check_request(j->req, j->p, err) != 0 ||
	    set_time(s, j->p->now, err) != 0)
		return -1;
	if (j->presign && (exp < 1 || exp > MAX_EXPIRES)) {
		err_set(err, ERR_USAGE, N_("cannot presign the request: expiry "
		    "must be 1 to %ld seconds"), MAX_EXPIRES);
		return -1;
	}
	if (j->presign)
		snprintf(j->expires, sizeof j->expires, "%ld", exp);
	if (s->sha == NULL && (s->sha = crypto_sha256_new()) == NULL) {
		err_set(err, ERR_INTERNAL, N_("cannot sign the request: "
		    "libcrypto has no SHA-256"));
		return -1;
	}
	j->flags = j->p->flags;
	if (j->presign)
		j->flags &= ~SIGV4_SIGN_BODY;
	j->token = secret_reveal(j->p->creds->session_token);
	if (j->token != NULL && j->token[0] == '\0')
		j->token = NULL;
	memcpy(out->amz_date, s->amz_date, sizeof out->amz_date);
	out->sign_body = (j->flags & SIGV4_SIGN_BODY) != 0;

	buf_reset(&s->scope);
	put(s, &s->scope, s->amz_date, 8);
	put(s, &s->scope, "/", 1);
	put_str(s, &s->scope, j->p->region);
	put(s, &s->scope, "/", 1);
	put_str(s, &s->scope, j->p->service);
	put_str(s, &s->scope, "/" TERMINATOR);
	return set_payload_hash(s, j->req, out, err);
}

/* The presigning parameters that go into the canonical query. */
static void
push_presign_query(struct sigv4_signer *s, const struct job *j,
    const struct sigv4_out *out)
{
	const char	*akid = j->p->creds->access_key_id;
	size_t		 qi;

	push_query(s, "X-Amz-Algorithm", 15, ALGORITHM, sizeof ALGORITHM - 1,
	    0);
	qi = query_name(s, "X-Amz-Credential", 16, 0);
	query_value(s, qi, akid, strlen(akid), 0);
	query_value(s, qi, "/", 1, 0);
	query_value(s, qi, s->scope.data, s->scope.len, 0);
	push_query(s, "X-Amz-Date", 10, s->amz_date, 16, 0);
	push_query(s, "X-Amz-Expires", 13, j->expires, strlen(j->expires), 0);
	if (j->token != NULL && !(j->flags & SIGV4_OMIT_SESSION_TOKEN))
		push_query(s, "X-Amz-Security-Token", 20, j->token,
		    strlen(j->token), 0);
	push_query(s, "X-Amz-SignedHeaders", 19, buf_str(&out->signed_headers),
	    out->signed_headers.len, 0);
}

/* Build s->creq; -1 with err set when the request is malformed. */
static int
build_canonical(struct sigv4_signer *s, const struct job *j,
    struct sigv4_out *out, struct err *err)
{
	if (collect_headers(s, j->req, j->flags, j->presign, j->token, out,
	    err) != 0)
		return -1;
	buf_reset(&s->creq);
	put_str(s, &s->creq, j->req->method);
	put(s, &s->creq, "\n", 1);
	put_path(s, j->req->path == NULL ? "" : j->req->path, j->flags);
	put(s, &s->creq, "\n", 1);
	s->qn = 0;
	buf_reset(&s->qbuf);
	parse_query(s, j->req->query);
	if (j->presign)
		push_presign_query(s, j, out);
	if (s->full)
		return 0;
	put_query(s);
	put(s, &s->creq, "\n", 1);
	put_headers(s);
	put(s, &s->creq, "\n", 1);
	put(s, &s->creq, out->signed_headers.data, out->signed_headers.len);
	put(s, &s->creq, "\n", 1);
	put_str(s, &s->creq, out->payload_hash);
	return 0;
}

/* Hash the canonical request, build the string to sign, sign it. */
static int
compute_signature(struct sigv4_signer *s, const struct job *j,
    struct sigv4_out *out, struct err *err)
{
	unsigned char	 md[CRYPTO_SHA256_LEN];
	char		 hex[CRYPTO_SHA256_HEXLEN + 1];

	if (crypto_sha256_update(s->sha, s->creq.data, s->creq.len) != 0 ||
	    crypto_sha256_final(s->sha, md) != 0) {
		crypto_sha256_reset(s->sha);
		err_set(err, ERR_INTERNAL, N_("cannot sign the request: "
		    "SHA-256 failed"));
		return -1;
	}
	crypto_hex(md, sizeof md, hex);
	buf_reset(&s->sts);
	put_str(s, &s->sts, ALGORITHM "\n");
	put_str(s, &s->sts, s->amz_date);
	put(s, &s->sts, "\n", 1);
	put(s, &s->sts, s->scope.data, s->scope.len);
	put(s, &s->sts, "\n", 1);
	put(s, &s->sts, hex, CRYPTO_SHA256_HEXLEN);

	if (signing_key(s, s->amz_date, j->p->region, j->p->service,
	    j->p->creds, err) != 0)
		return -1;
	if (crypto_hmac_sign(s->key, s->sts.data, s->sts.len, md) != 0) {
		err_set(err, ERR_INTERNAL, N_("cannot sign the request: HMAC "
		    "failed"));
		return -1;
	}
	crypto_hex(md, sizeof md, out->signature);
	explicit_bzero(md, sizeof md);
	return 0;
}

static void
put_results(struct sigv4_signer *s, const struct job *j,
    struct sigv4_out *out)
{
	const char	*akid = j->p->creds->access_key_id;

	if (j->presign)
		put_presign_params(s, &out->query, j->p->creds, j->expires,
		    j->token, buf_str(&out->signed_headers), out->signature);
	else {
		if (j->token != NULL)
			put_str(s, &out->token, j->token);
		put_str(s, &out->authorization, ALGORITHM " Credential=");
		put_str(s, &out->authorization, akid);
		put(s, &out->authorization, "/", 1);
		put(s, &out->authorization, s->scope.data, s->scope.len);
		put_str(s, &out->authorization, ", SignedHeaders=");
		put(s, &out->authorization, out->signed_headers.data,
		    out->signed_headers.len);
		put_str(s, &out->authorization, ", Signature=");
		put_str(s, &out->authorization, out->signature);
	}
	if (j->flags & SIGV4_KEEP_CANONICAL) {
		put(s, &out->canonical_request, s->creq.data, s->creq.len);
		put(s, &out->string_to_sign, s->sts.data, s->sts.len);
	}
}

static int
sign_common(struct sigv4_signer *s, const struct sigv4_request *req,
    const struct sigv4_params *p, struct sigv4_out *out, struct err *err,
    int presign)
{
	struct job	 j;

	memset(&j, 0, sizeof j);
	j.req = req;
	j.p = p;
	j.presign = presign;
	out_reset(out);
	s->full = 0;
	if (start_job(s, &j, out, err) != 0 ||
	    build_canonical(s, &j, out, err) != 0)
		goto fail;
	if (s->full)
		goto too_large;
	if (compute_signature(s, &j, out, err) != 0)
		goto fail;
	put_results(s, &j, out);
	if (s->full)
		goto too_large;
	return 0;

too_large:
	err_set(err, ERR_LIMIT, N_("cannot sign the request: it is too "
	    "large"));
fail:
	out_reset(out);
	return -1;
}

int
sigv4_sign(struct sigv4_signer *s, const struct sigv4_request *req,
    const struct sigv4_params *p, struct sigv4_out *out, struct err *err)
{
	return sign_common(s, req, p, out, err, 0);
}

int
sigv4_presign(struct sigv4_signer *s, const struct sigv4_request *req,
    const struct sigv4_params *p, struct sigv4_out *out, struct err *err)
{
	return sign_common(s, req, p, out, err, 1);
}

void
sigv4_out_init(struct sigv4_out *out)
{
	memset(out, 0, sizeof *out);
	buf_init(&out->token, SIGV4_BUF_MAX);
	buf_init(&out->authorization, SIGV4_BUF_MAX);
	buf_init(&out->query, SIGV4_BUF_MAX);
	buf_init(&out->signed_headers, SIGV4_BUF_MAX);
	buf_init(&out->canonical_request, SIGV4_BUF_MAX);
	buf_init(&out->string_to_sign, SIGV4_BUF_MAX);
}

void
sigv4_out_free(struct sigv4_out *out)
{
	buf_wipe_free(&out->token);
	buf_wipe_free(&out->authorization);
	buf_wipe_free(&out->query);
	buf_wipe_free(&out->signed_headers);
	buf_wipe_free(&out->canonical_request);
	buf_wipe_free(&out->string_to_sign);
	explicit_bzero(out, sizeof *out);
}

void
sigv4_out_headers(const struct sigv4_out *out, struct hdr_list *dst)
{
	if (out->authorization.len == 0)
		return;
	if (out->token.len > 0)
		hdr_list_set(dst, "X-Amz-Security-Token", buf_str(&out->token));
	hdr_list_set(dst, "X-Amz-Date", out->amz_date);
	if (out->sign_body)
		hdr_list_set(dst, "x-amz-content-sha256", out->payload_hash);
	hdr_list_set(dst, "Authorization", buf_str(&out->authorization));
}

struct sigv4_signer *
sigv4_signer_new(void)
{
	struct sigv4_signer	*s = xcalloc(1, sizeof *s);

	buf_init(&s->creq, SIGV4_BUF_MAX);
	buf_init(&s->sts, SIGV4_BUF_MAX);
	buf_init(&s->scope, SIGV4_BUF_MAX);
	buf_init(&s->names, SIGV4_BUF_MAX);
	buf_init(&s->qbuf, SIGV4_BUF_MAX);
	return s;
}

void
sigv4_signer_free(struct sigv4_signer *s)
{
	if (s == NULL)
		return;
	crypto_sha256_free(s->sha);
	crypto_hmac_free(s->key);
	free(s->key_region);
	free(s->key_service);
	free(s->key_akid);
	secret_free(s->key_secret);
	/* The canonical request and query may hold a session token. */
	buf_wipe_free(&s->creq);
	buf_wipe_free(&s->sts);
	buf_free(&s->scope);
	buf_free(&s->names);
	buf_wipe_free(&s->qbuf);
	free(s->hv);
	free(s->qv);
	free(s->sv);
	explicit_bzero(s, sizeof *s);
	free(s);
}

unsigned long
sigv4_signer_derivations(const struct sigv4_signer *s)
{
	return s->derivations;
}

int
sigv4_bearer_header(const struct secret *token, struct hdr_list *dst,
    struct err *err)
{
	const char	*t = secret_reveal(token);
	size_t		 i, n = secret_len(token);
	char		*v;

	for (i = 0; i < n; i++)
		if (t[i] <= 0x20 || t[i] >= 0x7f)
			break;
	if (n == 0 || i < n) {
		err_set(err, ERR_CREDENTIALS, N_("the Bedrock API key is empty "
		    "or holds characters that cannot go in a header"));
		return -1;
	}
	v = xmalloc(n + 8);
	memcpy(v, "Bearer ", 7);
	memcpy(v + 7, t, n + 1);
	hdr_list_set(dst, "Authorization", v);
	explicit_bzero(v, n + 8);
	free(v);
	return 0;
}

/* Append s[0..n) to b with control characters shown as '?'. */
static void
redact_put(struct buf *b, const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		buf_addc(b, (unsigned char)s[i] < 0x20 || s[i] == 0x7f ?
		    '?' : s[i]);
}

char *
sigv4_redact(const char *v)
{
	struct buf	 b;
	const char	*scheme, *part, *end, *eq;
	size_t		 slen, plen;
	int		 first = 1;

	buf_init(&b, 64 * 1024);
	if (v == NULL)
		return buf_take(&b, NULL);
	while (*v == ' ' || *v == '\t')
		v++;
	scheme = v;
	slen = strcspn(v, " \t");
	if ((slen == 6 && strncasecmp(scheme, "Bearer", 6) == 0) ||
	    (slen == 5 && strncasecmp(scheme, "Basic", 5) == 0)) {
		redact_put(&b, scheme, slen);
		buf_addstr(&b, " ****");
		return buf_take(&b, NULL);
	}
	if (slen < 5 || strncmp(scheme, "AWS4-", 5) != 0) {
		buf_addstr(&b, "****");
		return buf_take(&b, NULL);
	}
	redact_put(&b, scheme, slen);
	for (part = scheme + slen; *part != '\0'; part = end) {
		while (*part == ' ' || *part == '\t' || *part == ',')
			part++;
		if (*part == '\0')
			break;
		end = part + strcspn(part, ",");
		plen = (size_t)(end - part);
		while (plen > 0 && (part[plen - 1] == ' ' ||
		    part[plen - 1] == '\t'))
			plen--;
		buf_addstr(&b, first ? " " : ", ");
		first = 0;
		eq = memchr(part, '=', plen);
		if (eq != NULL && (((size_t)(eq - part) == 10 &&
		    strncmp(part, "Credential", 10) == 0) ||
		    ((size_t)(eq - part) == 13 &&
		    strncmp(part, "SignedHeaders", 13) == 0)))
			redact_put(&b, part, plen);
		else if (eq != NULL) {
			redact_put(&b, part, (size_t)(eq - part) + 1);
			buf_addstr(&b, "****");
		} else
			buf_addstr(&b, "****");
	}
	return buf_take(&b, NULL);
}
