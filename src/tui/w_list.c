/*
 * w_list.c: the list widget (see w_list.h).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/draw.h"
#include "tui/screen.h"
#include "tui/theme.h"
#include "tui/w_list.h"
#include "xalloc.h"

void
wlist_init(struct wlist *l, size_t n)
{
	free(l->view);
	free(l->selected);
	l->n = n;
	l->view = NULL;
	l->nview = 0;
	l->cur = 0;
	l->top = 0;
	l->filter[0] = '\0';
	l->filtering = 0;
	l->selected = l->multi ? xcalloc(n + 1, 1) : NULL;
	wlist_refilter(l);
}

void
wlist_free(struct wlist *l)
{
	free(l->view);
	free(l->selected);
	l->view = NULL;
	l->selected = NULL;
}

static const char *
row_text(const struct wlist *l, size_t i, char *buf, size_t size)
{
	attr_t	 a;

	if (l->search != NULL)
		return l->search(l->ctx, i);
	l->format(l->ctx, i, 200, buf, size, &a);
	return buf;
}

void
wlist_refilter(struct wlist *l)
{
	char	 buf[512];
	size_t	 i, keep = wlist_current(l);

	free(l->view);
	l->view = xcalloc(l->n + 1, sizeof *l->view);
	l->nview = 0;
	for (i = 0; i < l->n; i++)
		if (l->filter[0] == '\0' ||
		    strcasestr(row_text(l, i, buf, sizeof buf), l->filter) !=
		    NULL)
			l->view[l->nview++] = i;
	l->cur = 0;
	for (i = 0; i < l->nview; i++)
		if (l->view[i] == keep)
			l->cur = i;
	l->top = 0;
}

size_t
wlist_current(const struct wlist *l)
{
	if (l->view == NULL || l->cur >= l->nview)
		return WLIST_NONE;
	return l->view[l->cur];
}

void
wlist_select_row(struct wlist *l, size_t row)
{
	size_t	 i;

	for (i = 0; i < l->nview; i++)
		if (l->view[i] == row) {
			l->cur = i;
			return;
		}
	if (l->filter[0] != '\0') {
		l->filter[0] = '\0';
		wlist_refilter(l);
		wlist_select_row(l, row);
	}
}

size_t
wlist_count_selected(const struct wlist *l)
{
	size_t	 i, k = 0;

	for (i = 0; l->selected != NULL && i < l->n; i++)
		k += l->selected[i] != 0;
	return k;
}

static void
move_by(struct wlist *l, long d)
{
	long	 c = (long)l->cur + d;

	if (l->nview == 0)
		return;
	if (c < 0)
		c = 0;
	if (c >= (long)l->nview)
		c = (long)l->nview - 1;
	l->cur = (size_t)c;
}

static int
filter_key(struct wlist *l, int key)
{
	size_t	 len = strlen(l->filter);

	switch (key) {
	case 27:		/* Esc: drop the filter */
		l->filter[0] = '\0';
		l->filtering = 0;
		wlist_refilter(l);
		return SCR_HANDLED | SCR_REDRAW;
	case '\n':
	case '\r':
	case KEY_ENTER:
		l->filtering = 0;
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (len > 0)
			l->filter[len - 1] = '\0';
		else
			l->filtering = 0;
		wlist_refilter(l);
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_UP:
	case KEY_DOWN:
		return SCR_UNHANDLED;
	default:
		if (key >= 0x20 && key < 0x7f && len + 1 < sizeof l->filter) {
			l->filter[len] = (char)key;
			l->filter[len + 1] = '\0';
			wlist_refilter(l);
			return SCR_HANDLED | SCR_REDRAW;
		}
		return SCR_HANDLED;
	}
}

int
wlist_key(struct wlist *l, int key)
{
	size_t	 row;

	if (l->filtering) {
		int r = filter_key(l, key);

		if (r != SCR_UNHANDLED)
			return r;
	}
	switch (key) {
	case KEY_UP:
	case 'k':
		move_by(l, -1);
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_DOWN:
	case 'j':
		move_by(l, 1);
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_PPAGE:
		move_by(l, -10);
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_NPAGE:
		move_by(l, 10);
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_HOME:
	case 'g':
		l->cur = 0;
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_END:
	case 'G':
		move_by(l, (long)l->nview);
		return SCR_HANDLED | SCR_REDRAW;
	case '/':
		l->filtering = 1;
		return SCR_HANDLED | SCR_REDRAW;
	case 27:		/* Esc with a filter set: drop it first */
		if (l->filter[0] == '\0')
			return SCR_UNHANDLED;
		l->filter[0] = '\0';
		wlist_refilter(l);
		return SCR_HANDLED | SCR_REDRAW;
	case ' ':
		if (!l->multi || (row = wlist_current(l)) == WLIST_NONE)
			return SCR_UNHANDLED;
		l->selected[row] = !l->selected[row];
		return SCR_HANDLED | SCR_REDRAW;
	default:
		return SCR_UNHANDLED;
	}
}

/* Display lines: group headers interleaved with rows. */
struct dline {
	size_t	 vi;		/* view index, or WLIST_NONE for a header */
	const char *header;
};

static size_t
layout(const struct wlist *l, struct dline *out)
{
	const char	*prev = NULL, *g;
	size_t		 i, k = 0;

	for (i = 0; i < l->nview; i++) {
		g = l->group != NULL ? l->group(l->ctx, l->view[i]) : NULL;
		if (g != NULL && (prev == NULL || strcmp(g, prev) != 0)) {
			out[k].vi = WLIST_NONE;
			out[k++].header = g;
		}
		prev = g;
		out[k].vi = i;
		out[k++].header = NULL;
	}
	return k;
}

void
wlist_draw(struct wlist *l, WINDOW *win, int y, int x, int h, int w,
    int focused)
{
	struct dline	*dl;
	size_t		 nd, i, curline = 0;
	char		 buf[512];
	attr_t		 a;
	int		 line, rows = h;

	if (l->filtering || l->filter[0] != '\0')
		rows--;		/* the filter line at the bottom */
	if (rows < 1)
		return;
	dl = xcalloc(l->nview * 2 + 1, sizeof *dl);
	nd = layout(l, dl);
	for (i = 0; i < nd; i++)
		if (dl[i].vi == l->cur)
			curline = i;
	/* Keep the header above the cursor's row in view, too. */
	if (curline > 0 && dl[curline - 1].vi == WLIST_NONE &&
	    curline - 1 < l->top)
		l->top = curline - 1;
	if (curline < l->top)
		l->top = curline;
	if (curline >= l->top + (size_t)rows)
		l->top = curline - (size_t)rows + 1;
	for (line = 0; line < rows && l->top + (size_t)line < nd; line++) {
		struct dline *d = &dl[l->top + (size_t)line];

		if (d->vi == WLIST_NONE) {
			draw_clipped(win, y + line, x, w, d->header,
			    theme_attr(TH_ACCENT));
			continue;
		}
		a = A_NORMAL;
		l->format(l->ctx, l->view[d->vi], w - 4, buf, sizeof buf, &a);
		if (d->vi == l->cur && focused) {
			wattron(win, theme_attr(TH_SELECT));
			mvwhline(win, y + line, x, ' ', w);
			wattroff(win, theme_attr(TH_SELECT));
			a = theme_attr(TH_SELECT);
		}
		if (l->multi) {
			mvwaddstr(win, y + line, x + 1,
			    l->selected[l->view[d->vi]] ? "[x]" : "[ ]");
			draw_clipped(win, y + line, x + 5, w - 6, buf, a);
		} else
			draw_clipped(win, y + line, x + 1, w - 2, buf, a);
	}
	if (l->nview == 0)
		draw_clipped(win, y, x + 1, w - 2, "-", theme_attr(TH_DIM));
	if (l->filtering || l->filter[0] != '\0') {
		snprintf(buf, sizeof buf, "/%s%s", l->filter,
		    l->filtering ? "_" : "");
		draw_clipped(win, y + h - 1, x, w, buf, theme_attr(TH_KEY));
	}
	free(dl);
}
