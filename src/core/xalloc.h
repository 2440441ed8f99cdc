/*
 * xalloc.h: allocation that never returns NULL.
 *
 * Running out of memory is the one fatal error in the core.  It goes through
 * a single hook so that the TUI can restore the terminal before the process
 * dies; the default hook prints one line on stderr and exits with status 3.
 */
#ifndef BS_XALLOC_H
#define BS_XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
/* Grow an array of n elements of size sz, checking n * sz for overflow. */
void	*xreallocarray(void *, size_t n, size_t sz);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

/*
 * The hook runs before exit(3) on allocation failure.  It must not allocate.
 * Passing NULL restores the default.
 */
void	 xalloc_set_fatal_hook(void (*)(void));

#endif
