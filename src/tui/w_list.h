/*
 * w_list.h: the one list widget: scrolling, group headers, '/' filtering,
 * and multi-select with space.  A screen supplies a row formatter (and
 * optionally a group name per row); the widget keeps only indices.
 */
#ifndef BS_TUI_W_LIST_H
#define BS_TUI_W_LIST_H

#include <curses.h>
#include <stddef.h>

#define WLIST_NONE	((size_t)-1)

struct wlist {
	size_t		 n;		/* rows */
	const void	*ctx;		/* handed to the callbacks */
	/* Row i as text (and its attributes). */
	void		(*format)(const void *ctx, size_t i, int width,
			    char *buf, size_t size, attr_t *attr);
	/* The group row i belongs to, or NULL (a header shows on change). */
	const char	*(*group)(const void *ctx, size_t i);
	/* The text '/' matches against; NULL: the formatted row. */
	const char	*(*search)(const void *ctx, size_t i);
	int		 multi;		/* space toggles selection */
	unsigned char	*selected;	/* n flags, when multi */

	/* Kept by the widget. */
	size_t		*view;		/* rows that match the filter */
	size_t		 nview;
	size_t		 cur;		/* position in view */
	size_t		 top;		/* first display line shown */
	char		 filter[64];
	int		 filtering;	/* typing a filter */
};

/* Set up for n rows (selected flags cleared).  Frees nothing else. */
void	 wlist_init(struct wlist *, size_t n);
void	 wlist_free(struct wlist *);
/* Recompute the view after n, the filter or the data changed. */
void	 wlist_refilter(struct wlist *);
/* Handle a key: returns SCR_* flags (SCR_HANDLED when it used it). */
int	 wlist_key(struct wlist *, int key);
/* Paint into win at (y, x), h lines by w columns. */
void	 wlist_draw(struct wlist *, WINDOW *, int y, int x, int h, int w,
	     int focused);
/* The row under the cursor, or WLIST_NONE when the view is empty. */
size_t	 wlist_current(const struct wlist *);
/* Put the cursor on row i (clears the filter if i is hidden). */
void	 wlist_select_row(struct wlist *, size_t i);
/* How many rows are selected. */
size_t	 wlist_count_selected(const struct wlist *);

#endif
