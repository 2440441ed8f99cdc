/*
 * hdr.c: ordered HTTP header lists (see hdr.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hdr.h"
#include "xalloc.h"

void
hdr_list_init(struct hdr_list *l)
{
	l->v = NULL;
	l->n = l->cap = 0;
}

void
hdr_list_add(struct hdr_list *l, const char *name, const char *value)
{
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 8 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n].name = xstrdup(name);
	l->v[l->n].value = xstrdup(value == NULL ? "" : value);
	l->n++;
}

static void
hdr_free_one(struct hdr *h)
{
	explicit_bzero(h->value, strlen(h->value));
	free(h->name);
	free(h->value);
}

size_t
hdr_list_del(struct hdr_list *l, const char *name)
{
	size_t	 i, j, gone = 0;

	for (i = j = 0; i < l->n; i++) {
		if (strcasecmp(l->v[i].name, name) == 0) {
			hdr_free_one(&l->v[i]);
			gone++;
		} else
			l->v[j++] = l->v[i];
	}
	l->n = j;
	return gone;
}

void
hdr_list_set(struct hdr_list *l, const char *name, const char *value)
{
	hdr_list_del(l, name);
	hdr_list_add(l, name, value);
}

const char *
hdr_list_get(const struct hdr_list *l, const char *name)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i].name, name) == 0)
			return l->v[i].value;
	return NULL;
}

void
hdr_list_copy(struct hdr_list *dst, const struct hdr_list *src)
{
	size_t	 i;

	for (i = 0; i < src->n; i++)
		hdr_list_add(dst, src->v[i].name, src->v[i].value);
}

void
hdr_list_free(struct hdr_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		hdr_free_one(&l->v[i]);
	free(l->v);
	hdr_list_init(l);
}
