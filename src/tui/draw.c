/*
 * draw.c: painting helpers measured in display columns, not bytes.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/draw.h"
#include "tui/theme.h"
#include "xalloc.h"

static wchar_t *
to_wide(const char *s, size_t *lenp)
{
	size_t	 n = mbstowcs(NULL, s, 0);
	wchar_t	*w;
	size_t	 i;

	if (n == (size_t)-1) {
		/* Not valid in this locale: show bytes as '?'. */
		n = strlen(s);
		w = xcalloc(n + 1, sizeof *w);
		for (i = 0; i < n; i++)
			w[i] = (unsigned char)s[i] < 0x80 ? (wchar_t)s[i] : L'?';
	} else {
		w = xcalloc(n + 1, sizeof *w);
		mbstowcs(w, s, n + 1);
	}
	*lenp = n;
	return w;
}

static int
wc_cols(wchar_t c)
{
	int	 w = wcwidth(c);

	return w < 0 ? 1 : w;
}

int
draw_width(const char *s)
{
	size_t	 n, i;
	wchar_t	*w = to_wide(s, &n);
	int	 cols = 0;

	for (i = 0; i < n; i++)
		cols += wc_cols(w[i]);
	free(w);
	return cols;
}

int
draw_wrapped(WINDOW *win, int y, int x, int width, int maxy,
    const char *text, attr_t attr)
{
	size_t	 n, i, start, brk;
	wchar_t	*w;
	int	 cols, rows = 0;

	if (width <= 0)
		return 0;
	w = to_wide(text, &n);
	start = 0;
	while (start < n && y + rows < maxy) {
		cols = 0;
		brk = 0;
		for (i = start; i < n && w[i] != L'\n'; i++) {
			if (cols + wc_cols(w[i]) > width)
				break;
			cols += wc_cols(w[i]);
			if (w[i] == L' ')
				brk = i;
		}
		if (i < n && w[i] != L'\n' && brk > start)
			i = brk;
		wattron(win, attr);
		mvwaddnwstr(win, y + rows, x, w + start, (int)(i - start));
		wattroff(win, attr);
		rows++;
		start = i;
		if (start < n && (w[start] == L' ' || w[start] == L'\n'))
			start++;
	}
	free(w);
	return rows;
}

void
draw_clipped(WINDOW *win, int y, int x, int width, const char *text,
    attr_t attr)
{
	size_t	 n, i;
	wchar_t	*w;
	int	 cols = 0, total;

	if (width <= 0)
		return;
	w = to_wide(text, &n);
	total = 0;
	for (i = 0; i < n; i++)
		total += wc_cols(w[i]);
	wattron(win, attr);
	if (total <= width) {
		mvwaddnwstr(win, y, x, w, (int)n);
	} else {
		for (i = 0; i < n && cols + wc_cols(w[i]) <= width - 3; i++)
			cols += wc_cols(w[i]);
		mvwaddnwstr(win, y, x, w, (int)i);
		waddstr(win, "...");
	}
	wattroff(win, attr);
	free(w);
}

void
draw_hrule(WINDOW *win, int y, int x, int width, int utf8)
{
	int	 i;

	wattron(win, theme_attr(TH_DIM));
	wmove(win, y, x);
	for (i = 0; i < width; i++)
		waddstr(win, theme_glyph_hrule(utf8));
	wattroff(win, theme_attr(TH_DIM));
}
