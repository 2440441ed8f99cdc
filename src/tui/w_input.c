/*
 * w_input.c: the line editor (see w_input.h).  Text is kept in the
 * locale's multibyte encoding (UTF-8 in practice); the cursor only ever
 * stands on a character boundary.
 */
#include <config.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/screen.h"
#include "tui/w_input.h"
#include "xalloc.h"

#define CTRL(c)	((c) & 0x1f)

void
winput_init(struct winput *in, size_t max_chars)
{
	memset(in, 0, sizeof *in);
	in->max_chars = max_chars;
}

static int
is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

size_t
winput_chars(const struct winput *in)
{
	size_t	 i, n = 0;

	for (i = 0; i < in->len; i++)
		if (!is_cont((unsigned char)in->text[i]))
			n++;
	return n;
}

static size_t
prev_boundary(const struct winput *in, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && is_cont((unsigned char)in->text[at]))
		at--;
	return at;
}

static size_t
next_boundary(const struct winput *in, size_t at)
{
	if (at >= in->len)
		return in->len;
	at++;
	while (at < in->len && is_cont((unsigned char)in->text[at]))
		at++;
	return at;
}

static void
cut(struct winput *in, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(in->text + from, in->text + to, in->len - to + 1);
	in->len -= to - from;
	if (in->cur > to)
		in->cur -= to - from;
	else if (in->cur > from)
		in->cur = from;
}

static int
insert(struct winput *in, const char *s, size_t n)
{
	if (in->len + n > WINPUT_MAX ||
	    (in->max_chars > 0 && winput_chars(in) >= in->max_chars))
		return -1;
	memmove(in->text + in->cur + n, in->text + in->cur,
	    in->len - in->cur + 1);
	memcpy(in->text + in->cur, s, n);
	in->len += n;
	in->cur += n;
	return 0;
}

void
winput_set(struct winput *in, const char *text)
{
	size_t	 i, n = 0;

	in->len = 0;
	in->cur = 0;
	in->text[0] = '\0';
	for (i = 0; text[i] != '\0'; i = n) {
		n = i + 1;
		while (text[n] != '\0' && is_cont((unsigned char)text[n]))
			n++;
		if (insert(in, text + i, n - i) != 0)
			break;
	}
}

/* A key that stands for a character, as a multibyte string; 0 if not. */
static size_t
key_char(int key, char *out)
{
	mbstate_t	 st;
	wchar_t		 wc;
	size_t		 n;

	if (key & SCR_WCHAR)
		wc = (wchar_t)SCR_KEY_CHAR(key);
	else if (key >= 0x20 && key < 0x7f)
		wc = (wchar_t)key;
	else if (key >= 0xa0 && key < 0x100)
		wc = (wchar_t)key;
	else
		return 0;
	memset(&st, 0, sizeof st);
	n = wcrtomb(out, wc, &st);
	return n == (size_t)-1 ? 0 : n;
}

int
winput_key(struct winput *in, int key)
{
	char	 mb[MB_LEN_MAX];
	size_t	 n, at;

	switch (key) {
	case KEY_LEFT:
		in->cur = prev_boundary(in, in->cur);
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_RIGHT:
		in->cur = next_boundary(in, in->cur);
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_HOME:
	case CTRL('a'):
		in->cur = 0;
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_END:
	case CTRL('e'):
		in->cur = in->len;
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_BACKSPACE:
	case 127:
	case CTRL('h'):
		cut(in, prev_boundary(in, in->cur), in->cur);
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_DC:
		cut(in, in->cur, next_boundary(in, in->cur));
		return SCR_HANDLED | SCR_REDRAW;
	case CTRL('u'):
		cut(in, 0, in->cur);
		return SCR_HANDLED | SCR_REDRAW;
	case CTRL('k'):
		cut(in, in->cur, in->len);
		return SCR_HANDLED | SCR_REDRAW;
	case CTRL('w'):
		at = in->cur;
		while (at > 0 && in->text[at - 1] == ' ')
			at--;
		while (at > 0 && in->text[at - 1] != ' ')
			at--;
		cut(in, at, in->cur);
		return SCR_HANDLED | SCR_REDRAW;
	default:
		break;
	}
	if ((n = key_char(key, mb)) == 0)
		return SCR_UNHANDLED;
	if (insert(in, mb, n) != 0)
		beep();
	return SCR_HANDLED | SCR_REDRAW;
}

static int
wc_cols(wchar_t c)
{
	int	 w = wcwidth(c);

	return w < 0 ? 1 : w;
}

void
winput_draw(const struct winput *in, WINDOW *win, int y, int x, int w,
    int focused, attr_t a)
{
	wchar_t	*wl;
	char	*prefix;
	size_t	 n, cur, start, i;
	int	 cols, col;

	if (w <= 1)
		return;
	n = mbstowcs(NULL, in->text, 0);
	if (n == (size_t)-1)
		n = 0;
	wl = xcalloc(n + 1, sizeof *wl);
	if (n > 0)
		mbstowcs(wl, in->text, n + 1);
	prefix = xstrndup(in->text, in->cur);
	cur = mbstowcs(NULL, prefix, 0);
	free(prefix);
	if (cur == (size_t)-1 || cur > n)
		cur = n;
	/* Scroll so that the cursor cell is the last one that fits. */
	start = cur;
	cols = 1;
	while (start > 0 && cols + wc_cols(wl[start - 1]) < w) {
		cols += wc_cols(wl[start - 1]);
		start--;
	}
	wattron(win, a);
	mvwhline(win, y, x, ' ', w);
	col = 0;
	for (i = start; i < n; i++) {
		if (col + wc_cols(wl[i]) > w)
			break;
		if (focused && i == cur)
			wattron(win, A_REVERSE);
		mvwaddnwstr(win, y, x + col, &wl[i], 1);
		if (focused && i == cur)
			wattroff(win, A_REVERSE);
		col += wc_cols(wl[i]);
	}
	if (focused && cur == n && col < w) {
		wattron(win, A_REVERSE);
		mvwaddch(win, y, x + col, ' ');
		wattroff(win, A_REVERSE);
	}
	wattroff(win, a);
	free(wl);
}
