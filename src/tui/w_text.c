/*
 * w_text.c: the text view (see w_text.h).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "buf.h"
#include "tui/screen.h"
#include "tui/w_text.h"
#include "xalloc.h"

void
wtext_init(struct wtext *t)
{
	memset(t, 0, sizeof *t);
	t->follow = 1;
}

void
wtext_clear(struct wtext *t)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		free(t->lines[i].text);
	t->n = 0;
	t->top = 0;
	t->follow = 1;
}

void
wtext_free(struct wtext *t)
{
	wtext_clear(t);
	free(t->lines);
	t->lines = NULL;
	t->cap = 0;
}

static void
push(struct wtext *t, const char *s, size_t len, attr_t a)
{
	if (t->n == t->cap) {
		t->cap = t->cap == 0 ? 32 : t->cap * 2;
		t->lines = xreallocarray(t->lines, t->cap, sizeof *t->lines);
	}
	t->lines[t->n].text = xstrndup(s, len);
	t->lines[t->n].attr = a;
	t->n++;
}

void
wtext_add(struct wtext *t, const char *text, attr_t a)
{
	const char	*p = text, *nl;

	for (;;) {
		nl = strchr(p, '\n');
		push(t, p, nl != NULL ? (size_t)(nl - p) : strlen(p), a);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

void
wtext_append(struct wtext *t, const char *text, attr_t a)
{
	const char	*nl;
	size_t		 len;
	char		*joined;

	if (t->n == 0)
		push(t, "", 0, a);
	nl = strchr(text, '\n');
	len = nl != NULL ? (size_t)(nl - text) : strlen(text);
	joined = xmalloc(strlen(t->lines[t->n - 1].text) + len + 1);
	memcpy(joined, t->lines[t->n - 1].text,
	    strlen(t->lines[t->n - 1].text));
	memcpy(joined + strlen(t->lines[t->n - 1].text), text, len);
	joined[strlen(t->lines[t->n - 1].text) + len] = '\0';
	free(t->lines[t->n - 1].text);
	t->lines[t->n - 1].text = joined;
	if (nl != NULL)
		wtext_add(t, nl + 1, a);
}

char *
wtext_join(const struct wtext *t)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < t->n; i++) {
		buf_addstr(&b, t->lines[i].text);
		if (i + 1 < t->n)
			buf_addc(&b, '\n');
	}
	return buf_take(&b, NULL);
}

/* A wrapped piece: line index, start and length in wide characters. */
struct piece {
	size_t	 line, start, len;
};

static int
wcol(wchar_t c)
{
	int	 w = wcwidth(c);

	return w < 0 ? 1 : w;
}

static wchar_t *
widen(const char *s, size_t *n)
{
	size_t	 len = mbstowcs(NULL, s, 0), i;
	wchar_t	*w;

	if (len == (size_t)-1) {
		len = strlen(s);
		w = xcalloc(len + 1, sizeof *w);
		for (i = 0; i < len; i++)
			w[i] = (unsigned char)s[i] < 0x80 ? (wchar_t)s[i] : L'?';
	} else {
		w = xcalloc(len + 1, sizeof *w);
		mbstowcs(w, s, len + 1);
	}
	*n = len;
	return w;
}

/* Wrap every line to width; returns the pieces (and widened lines). */
static struct piece *
wrap(const struct wtext *t, int width, wchar_t **wl, size_t *np)
{
	struct piece	*p = NULL;
	size_t		 n = 0, cap = 0, i, len, s, k, brk, ind;
	int		 cols;

	for (i = 0; i < t->n; i++) {
		wl[i] = widen(t->lines[i].text, &len);
		/* Never break inside the indentation: code keeps its shape. */
		for (ind = 0; ind < len && wl[i][ind] == L' '; ind++)
			;
		s = 0;
		do {
			cols = 0;
			brk = 0;
			for (k = s; k < len && cols + wcol(wl[i][k]) <= width;
			    k++) {
				cols += wcol(wl[i][k]);
				if (wl[i][k] == L' ' && k > ind)
					brk = k;
			}
			if (k < len && brk > s)
				k = brk + 1;
			if (n == cap) {
				cap = cap == 0 ? 64 : cap * 2;
				p = xreallocarray(p, cap, sizeof *p);
			}
			p[n].line = i;
			p[n].start = s;
			p[n].len = k - s;
			n++;
			s = k;
		} while (s < len);
	}
	*np = n;
	return p;
}

int
wtext_key(struct wtext *t, int key)
{
	size_t	 page = t->height > 1 ? t->height - 1 : 1;

	switch (key) {
	case KEY_UP:
	case 'k':
		if (t->top > 0)
			t->top--;
		t->follow = 0;
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_DOWN:
	case 'j':
		t->top++;
		t->follow = 0;
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_PPAGE:
		t->top = t->top > page ? t->top - page : 0;
		t->follow = 0;
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_NPAGE:
		t->top += page;
		t->follow = 0;
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_HOME:
		t->top = 0;
		t->follow = 0;
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_END:
		t->follow = 1;
		return SCR_HANDLED | SCR_REDRAW;
	default:
		return SCR_UNHANDLED;
	}
}

/* A wrapped piece in runs of equal attributes, from the colour hook. */
static void
draw_coloured(const struct wtext *t, WINDOW *win, int y, int x,
    const wchar_t *line, const struct piece *q)
{
	size_t	 len = wcslen(line), k, run;
	attr_t	*at = xcalloc(len + 1, sizeof *at);
	int	 col = x;

	for (k = 0; k < len; k++)
		at[k] = t->lines[q->line].attr;
	t->colour(line, len, t->lines[q->line].attr, at);
	for (k = q->start; k < q->start + q->len; k += run) {
		for (run = 1; k + run < q->start + q->len &&
		    at[k + run] == at[k]; run++)
			;
		wattron(win, at[k]);
		mvwaddnwstr(win, y, col, line + k, (int)run);
		wattroff(win, at[k]);
		col += wcswidth(line + k, run) > 0 ?
		    wcswidth(line + k, run) : (int)run;
	}
	free(at);
}

void
wtext_draw(struct wtext *t, WINDOW *win, int y, int x, int h, int w)
{
	wchar_t		**wl;
	struct piece	*p;
	size_t		 np, i, first;

	if (h <= 0 || w <= 0)
		return;
	wl = xcalloc(t->n + 1, sizeof *wl);
	p = wrap(t, w, wl, &np);
	t->height = (size_t)h;
	if (t->follow || t->top + (size_t)h > np)
		t->top = np > (size_t)h ? np - (size_t)h : 0;
	if (t->top + (size_t)h >= np)
		t->follow = 1;
	first = t->top;
	for (i = 0; i < (size_t)h && first + i < np; i++) {
		struct piece *q = &p[first + i];

		if (t->colour != NULL)
			draw_coloured(t, win, y + (int)i, x, wl[q->line],
			    q);
		else {
			wattron(win, t->lines[q->line].attr);
			mvwaddnwstr(win, y + (int)i, x, wl[q->line] + q->start,
			    (int)q->len);
			wattroff(win, t->lines[q->line].attr);
		}
	}
	for (i = 0; i < t->n; i++)
		free(wl[i]);
	free(wl);
	free(p);
}
