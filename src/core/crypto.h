/*
 * crypto.h: hashing, HMAC, encodings and randomness for the core.
 *
 * The only core module that includes OpenSSL (libcrypto 3, EVP API).  Every
 * function that can fail returns 0 on success and -1 on failure; failures
 * from libcrypto mean it ran out of memory or is broken, so callers report
 * them as internal errors.  Objects are not shared between threads.
 */
#ifndef BS_CRYPTO_H
#define BS_CRYPTO_H

#include <stddef.h>

struct buf;

#define CRYPTO_SHA256_LEN	32
#define CRYPTO_SHA256_HEXLEN	64

/* Incremental SHA-256; reusable: after final it starts a new digest. */
struct crypto_sha256;

/* NULL if libcrypto cannot provide SHA-256. */
struct crypto_sha256	*crypto_sha256_new(void);
int			 crypto_sha256_update(struct crypto_sha256 *,
			     const void *, size_t);
int			 crypto_sha256_final(struct crypto_sha256 *,
			     unsigned char out[CRYPTO_SHA256_LEN]);
/* Drop what was fed so far. */
int			 crypto_sha256_reset(struct crypto_sha256 *);
void			 crypto_sha256_free(struct crypto_sha256 *);

int	 crypto_sha256(const void *, size_t,
	     unsigned char out[CRYPTO_SHA256_LEN]);
int	 crypto_hmac_sha256(const void *key, size_t keylen, const void *msg,
	     size_t len, unsigned char out[CRYPTO_SHA256_LEN]);

/*
 * SHA-1 as 40 lower-case hex digits plus NUL, for names that other tools
 * derive with it (the SSO token cache file); not for security.
 */
#define CRYPTO_SHA1_HEXLEN	40
int	 crypto_sha1_hex(const void *, size_t, char out[CRYPTO_SHA1_HEXLEN + 1]);

/*
 * HMAC-SHA256 with the key absorbed once, for a key used many times (the
 * SigV4 signing key).  The object copies the key material it needs and
 * wipes it when freed.  NULL on failure.
 */
struct crypto_hmac;

struct crypto_hmac	*crypto_hmac_new(const void *key, size_t keylen);
int			 crypto_hmac_sign(struct crypto_hmac *, const void *msg,
			     size_t len, unsigned char out[CRYPTO_SHA256_LEN]);
void			 crypto_hmac_free(struct crypto_hmac *);

/* Lower-case hex of n bytes into out, which holds 2n + 1 bytes. */
void	 crypto_hex(const void *, size_t n, char *out);

/* Standard base64 (RFC 4648, padded), appended to b; -1 past b's cap. */
int	 crypto_base64_encode(const void *, size_t, struct buf *b);
/*
 * Decode standard base64 (padding required, no white space), appending the
 * bytes to b.  -1 on malformed input or past b's cap; b is then unchanged.
 */
int	 crypto_base64_decode(const char *, size_t, struct buf *b);

/* n bytes from the system's CSPRNG. */
int	 crypto_random(void *, size_t n);
/* 1 if the n bytes at a and b are equal, in time independent of content. */
int	 crypto_equal(const void *a, const void *b, size_t n);

#endif
