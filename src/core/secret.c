/*
 * secret.c: wiped-on-free key material (see secret.h).
 */
#include <stdlib.h>
#include <string.h>

#include "secret.h"
#include "xalloc.h"

struct secret {
	size_t	 len;
	char	*bytes;
};

struct secret *
secret_new(const char *s, size_t len)
{
	struct secret	*sec;

	if (s == NULL)
		return NULL;
	sec = xmalloc(sizeof *sec);
	sec->len = len;
	sec->bytes = xmalloc(len + 1);
	memcpy(sec->bytes, s, len);
	sec->bytes[len] = '\0';
	return sec;
}

struct secret *
secret_from_str(const char *s)
{
	return s == NULL ? NULL : secret_new(s, strlen(s));
}

struct secret *
secret_dup(const struct secret *sec)
{
	return sec == NULL ? NULL : secret_new(sec->bytes, sec->len);
}

void
secret_free(struct secret *sec)
{
	if (sec == NULL)
		return;
	explicit_bzero(sec->bytes, sec->len + 1);
	free(sec->bytes);
	explicit_bzero(sec, sizeof *sec);
	free(sec);
}

const char *
secret_reveal(const struct secret *sec)
{
	return sec == NULL ? NULL : sec->bytes;
}

size_t
secret_len(const struct secret *sec)
{
	return sec == NULL ? 0 : sec->len;
}

int
secret_equal(const struct secret *a, const struct secret *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

const char *
secret_mask(void)
{
	return "****";
}
