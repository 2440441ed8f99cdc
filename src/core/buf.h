/*
 * buf.h: bounded growable byte buffers.
 *
 * A buf always keeps a NUL after its last byte, so data can be used as a C
 * string when it holds text.  Every buf has a cap: an append that would pass
 * it fails with -1 and leaves the buf unchanged, so a hostile or broken peer
 * cannot make us grow without limit.
 */
#ifndef BS_BUF_H
#define BS_BUF_H

#include <stdarg.h>
#include <stddef.h>

#define BUF_DEFAULT_MAX	(64u * 1024 * 1024)

struct buf {
	char	*data;		/* NULL until the first append */
	size_t	 len;		/* bytes used, not counting the NUL */
	size_t	 cap;		/* bytes allocated */
	size_t	 max;		/* most bytes len may reach */
};

#define BUF_INIT	{ NULL, 0, 0, BUF_DEFAULT_MAX }

/* Set up an empty buf holding at most max bytes (0: BUF_DEFAULT_MAX). */
void		 buf_init(struct buf *, size_t max);
/* Append n bytes. 0 on success, -1 if the cap would be passed. */
int		 buf_add(struct buf *, const void *, size_t n);
int		 buf_addstr(struct buf *, const char *);
int		 buf_addc(struct buf *, char);
int		 buf_printf(struct buf *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
int		 buf_vprintf(struct buf *, const char *, va_list)
		     __attribute__((format(printf, 2, 0)));
/* The contents as a C string; "" when empty.  Valid until the next change. */
const char	*buf_str(const struct buf *);
/* Hand the contents to the caller (free with free()); the buf is emptied. */
char		*buf_take(struct buf *, size_t *lenp);
/* Drop the contents, keep the allocation. */
void		 buf_reset(struct buf *);
/* Remove the first n bytes. */
void		 buf_consume(struct buf *, size_t n);
/* Free the memory (wiping it first if wipe is set). */
void		 buf_free(struct buf *);
void		 buf_wipe_free(struct buf *);

#endif
