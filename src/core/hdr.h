/*
 * hdr.h: an ordered list of HTTP header lines.
 *
 * Names keep the case they were given; look-ups ignore case.  Repeated names
 * are allowed (the signer joins them with commas, in order).  The list owns
 * copies of every name and value.
 */
#ifndef BS_HDR_H
#define BS_HDR_H

#include <stddef.h>

struct hdr {
	char	*name;
	char	*value;
};

struct hdr_list {
	struct hdr	*v;
	size_t		 n;
	size_t		 cap;
};

#define HDR_LIST_INIT	{ NULL, 0, 0 }

void		 hdr_list_init(struct hdr_list *);
/* Append name: value (value may be NULL for an empty value). */
void		 hdr_list_add(struct hdr_list *, const char *name,
		     const char *value);
/* Replace every line called name by one line, or append it. */
void		 hdr_list_set(struct hdr_list *, const char *name,
		     const char *value);
/* Remove every line called name; returns how many went. */
size_t		 hdr_list_del(struct hdr_list *, const char *name);
/* The first value called name, or NULL. */
const char	*hdr_list_get(const struct hdr_list *, const char *name);
void		 hdr_list_copy(struct hdr_list *dst, const struct hdr_list *);
/* Free every line; values are wiped first, since some carry tokens. */
void		 hdr_list_free(struct hdr_list *);

#endif
