/*
 * secret.h: key material as a type of its own.
 *
 * A secret access key, session token, bearer token or SSO access token lives
 * only in a struct secret.  Its bytes are wiped when it is freed, and the
 * only printable form is secret_mask(), "****".  secret_reveal() exists for
 * the few places that must use the bytes (the signer, the HTTP header that
 * carries a token); nothing may print what it returns.
 */
#ifndef BS_SECRET_H
#define BS_SECRET_H

#include <stddef.h>

struct secret;

/* Copy len bytes of s into a new secret.  NULL s gives NULL. */
struct secret	*secret_new(const char *s, size_t len);
struct secret	*secret_from_str(const char *s);
struct secret	*secret_dup(const struct secret *);
/* Wipe and free; NULL is allowed. */
void		 secret_free(struct secret *);
/* The bytes, NUL-terminated.  Never print them. */
const char	*secret_reveal(const struct secret *);
size_t		 secret_len(const struct secret *);
/* Whether a and b hold the same bytes (both NULL counts as equal). */
int		 secret_equal(const struct secret *, const struct secret *);
/* What to show instead of a secret. */
const char	*secret_mask(void);

#endif
