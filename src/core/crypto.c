/*
 * crypto.c: SHA-256, HMAC-SHA256, hex, base64, randomness (see crypto.h).
 *
 * SHA-256 objects fetch the algorithm once and keep their EVP context, so a
 * digest in a loop costs no look-up and no allocation.  The keyed HMAC keeps
 * the inner and outer hash states after the padded key, so each MAC costs
 * two context copies and the hashing of the message alone.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "buf.h"
#include "crypto.h"
#include "xalloc.h"

#define SHA256_BLOCK	64

struct crypto_sha256 {
	EVP_MD		*md;
	EVP_MD_CTX	*ctx;
};

struct crypto_hmac {
	EVP_MD		*md;
	EVP_MD_CTX	*inner;		/* after (key ^ ipad) */
	EVP_MD_CTX	*outer;		/* after (key ^ opad) */
	EVP_MD_CTX	*work;
};

static EVP_MD *
fetch_sha256(void)
{
	return EVP_MD_fetch(NULL, "SHA256", NULL);
}

struct crypto_sha256 *
crypto_sha256_new(void)
{
	struct crypto_sha256	*h = xcalloc(1, sizeof *h);

	if ((h->md = fetch_sha256()) == NULL ||
	    (h->ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex2(h->ctx, h->md, NULL) != 1) {
		crypto_sha256_free(h);
		return NULL;
	}
	return h;
}

int
crypto_sha256_update(struct crypto_sha256 *h, const void *p, size_t n)
{
	return EVP_DigestUpdate(h->ctx, p, n) == 1 ? 0 : -1;
}

int
crypto_sha256_reset(struct crypto_sha256 *h)
{
	return EVP_DigestInit_ex2(h->ctx, h->md, NULL) == 1 ? 0 : -1;
}

int
crypto_sha256_final(struct crypto_sha256 *h,
    unsigned char out[CRYPTO_SHA256_LEN])
{
	unsigned int	 n = 0;

	if (EVP_DigestFinal_ex(h->ctx, out, &n) != 1 ||
	    n != CRYPTO_SHA256_LEN)
		return -1;
	return crypto_sha256_reset(h);
}

void
crypto_sha256_free(struct crypto_sha256 *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->ctx);
	EVP_MD_free(h->md);
	free(h);
}

int
crypto_sha256(const void *p, size_t n, unsigned char out[CRYPTO_SHA256_LEN])
{
	unsigned int	 len = 0;

	if (EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) != 1 ||
	    len != CRYPTO_SHA256_LEN)
		return -1;
	return 0;
}

int
crypto_hmac_sha256(const void *key, size_t keylen, const void *msg,
    size_t len, unsigned char out[CRYPTO_SHA256_LEN])
{
	struct crypto_hmac	*h;
	int			 r;

	if ((h = crypto_hmac_new(key, keylen)) == NULL)
		return -1;
	r = crypto_hmac_sign(h, msg, len, out);
	crypto_hmac_free(h);
	return r;
}

int
crypto_sha1_hex(const void *p, size_t n, char out[CRYPTO_SHA1_HEXLEN + 1])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 len = 0;

	out[0] = '\0';
	if (EVP_Digest(p, n, md, &len, EVP_sha1(), NULL) != 1 ||
	    len != CRYPTO_SHA1_HEXLEN / 2)
		return -1;
	crypto_hex(md, len, out);
	return 0;
}

/* Start ctx on SHA-256 and feed it the key block XORed with pad. */
static int
hmac_pad_init(EVP_MD_CTX *ctx, EVP_MD *md, const unsigned char *kblock,
    unsigned char pad)
{
	unsigned char	 block[SHA256_BLOCK];
	size_t		 i;
	int		 r;

	for (i = 0; i < SHA256_BLOCK; i++)
		block[i] = kblock[i] ^ pad;
	r = EVP_DigestInit_ex2(ctx, md, NULL) == 1 &&
	    EVP_DigestUpdate(ctx, block, sizeof block) == 1;
	explicit_bzero(block, sizeof block);
	return r ? 0 : -1;
}

struct crypto_hmac *
crypto_hmac_new(const void *key, size_t keylen)
{
	struct crypto_hmac	*h = xcalloc(1, sizeof *h);
	unsigned char		 kblock[SHA256_BLOCK];
	unsigned int		 n = 0;
	int			 r = -1;

	memset(kblock, 0, sizeof kblock);
	if ((h->md = fetch_sha256()) == NULL ||
	    (h->inner = EVP_MD_CTX_new()) == NULL ||
	    (h->outer = EVP_MD_CTX_new()) == NULL ||
	    (h->work = EVP_MD_CTX_new()) == NULL)
		goto out;
	if (keylen > SHA256_BLOCK) {
		if (EVP_DigestInit_ex2(h->work, h->md, NULL) != 1 ||
		    EVP_DigestUpdate(h->work, key, keylen) != 1 ||
		    EVP_DigestFinal_ex(h->work, kblock, &n) != 1)
			goto out;
	} else if (keylen > 0)
		memcpy(kblock, key, keylen);
	if (hmac_pad_init(h->inner, h->md, kblock, 0x36) == 0 &&
	    hmac_pad_init(h->outer, h->md, kblock, 0x5c) == 0)
		r = 0;
out:
	explicit_bzero(kblock, sizeof kblock);
	if (r != 0) {
		crypto_hmac_free(h);
		return NULL;
	}
	return h;
}

int
crypto_hmac_sign(struct crypto_hmac *h, const void *msg, size_t len,
    unsigned char out[CRYPTO_SHA256_LEN])
{
	unsigned char	 ihash[CRYPTO_SHA256_LEN];
	unsigned int	 n = 0, m = 0;
	int		 ok;

	ok = EVP_MD_CTX_copy_ex(h->work, h->inner) == 1 &&
	    EVP_DigestUpdate(h->work, msg, len) == 1 &&
	    EVP_DigestFinal_ex(h->work, ihash, &n) == 1 &&
	    EVP_MD_CTX_copy_ex(h->work, h->outer) == 1 &&
	    EVP_DigestUpdate(h->work, ihash, sizeof ihash) == 1 &&
	    EVP_DigestFinal_ex(h->work, out, &m) == 1 &&
	    n == CRYPTO_SHA256_LEN && m == CRYPTO_SHA256_LEN;
	explicit_bzero(ihash, sizeof ihash);
	return ok ? 0 : -1;
}

void
crypto_hmac_free(struct crypto_hmac *h)
{
	if (h == NULL)
		return;
	/* The SHA-256 provider clears its state when a context is freed. */
	EVP_MD_CTX_free(h->inner);
	EVP_MD_CTX_free(h->outer);
	EVP_MD_CTX_free(h->work);
	EVP_MD_free(h->md);
	free(h);
}

void
crypto_hex(const void *p, size_t n, char *out)
{
	static const char	 digits[] = "0123456789abcdef";
	const unsigned char	*s = p;
	size_t			 i;
	unsigned		 c;

	for (i = 0; i < n; i++) {
		c = s[i];
		*out++ = digits[c >> 4];
		*out++ = digits[c & 0x0f];
	}
	*out = '\0';
}

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
crypto_base64_encode(const void *p, size_t n, struct buf *b)
{
	const unsigned char	*s = p;
	size_t			 start = b->len, i;
	char			 q[4];
	unsigned long		 v;

	if (n / 3 >= ((size_t)-1) / 4 - 1)
		return -1;
	for (i = 0; i < n; i += 3) {
		v = (unsigned long)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		q[0] = b64_alphabet[(v >> 18) & 0x3f];
		q[1] = b64_alphabet[(v >> 12) & 0x3f];
		q[2] = i + 1 < n ? b64_alphabet[(v >> 6) & 0x3f] : '=';
		q[3] = i + 2 < n ? b64_alphabet[v & 0x3f] : '=';
		if (buf_add(b, q, sizeof q) != 0) {
			b->len = start;
			if (b->data != NULL)
				b->data[start] = '\0';
			return -1;
		}
	}
	return 0;
}

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
crypto_base64_decode(const char *s, size_t n, struct buf *b)
{
	size_t		 start = b->len, i, j, pad;
	unsigned char	 out[3];
	unsigned long	 v;
	int		 d;

	if (n % 4 != 0)
		return -1;
	for (i = 0; i < n; i += 4) {
		pad = 0;
		if (i + 4 == n)
			pad = s[n - 1] == '=' ? (s[n - 2] == '=' ? 2 : 1) : 0;
		v = 0;
		for (j = 0; j < 4; j++) {
			if (j >= 4 - pad) {
				v <<= 6;
				continue;
			}
			if ((d = b64_value((unsigned char)s[i + j])) < 0)
				goto bad;
			v = (v << 6) | (unsigned long)d;
		}
		out[0] = (unsigned char)(v >> 16);
		out[1] = (unsigned char)(v >> 8);
		out[2] = (unsigned char)v;
		if (buf_add(b, out, 3 - pad) != 0)
			goto bad;
	}
	explicit_bzero(out, sizeof out);
	return 0;
bad:
	explicit_bzero(out, sizeof out);
	if (b->data != NULL) {
		explicit_bzero(b->data + start, b->len - start);
		b->data[start] = '\0';
	}
	b->len = start;
	return -1;
}

int
crypto_random(void *p, size_t n)
{
	unsigned char	*s = p;
	int		 chunk;

	while (n > 0) {
		chunk = n > 1u << 20 ? 1 << 20 : (int)n;
		if (RAND_bytes(s, chunk) != 1)
			return -1;
		s += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

int
crypto_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}
