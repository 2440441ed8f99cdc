/*
 * w_text.h: the one text view: lines with attributes, wrapped to the
 * window, scrolled by keys, following the end while text streams in.
 * Serves the chat transcript, the policy preview and explanations.
 */
#ifndef BS_TUI_W_TEXT_H
#define BS_TUI_W_TEXT_H

#include <curses.h>
#include <stddef.h>
#include <wchar.h>

struct wtext_line {
	char	*text;
	attr_t	 attr;
};

struct wtext {
	struct wtext_line	*lines;
	size_t			 n, cap;
	size_t			 top;		/* first wrapped line shown */
	int			 follow;	/* stick to the end */
	size_t			 height;	/* lines shown at the last draw */
	/*
	 * Optional: the attribute of each character of a line (out has len
	 * entries, filled from base), for syntax colouring.  NULL: every
	 * character takes its line's attribute.
	 */
	void			(*colour)(const wchar_t *line, size_t len,
				    attr_t base, attr_t *out);
};

void	 wtext_init(struct wtext *);
void	 wtext_free(struct wtext *);
void	 wtext_clear(struct wtext *);
/* Add text as new lines (split at '\n'). */
void	 wtext_add(struct wtext *, const char *text, attr_t);
/* Append to the last line (new lines at '\n'), for streamed text. */
void	 wtext_append(struct wtext *, const char *text, attr_t);
/* Scroll keys: arrows, j/k, PgUp/PgDn, Home/End.  SCR_* flags. */
int	 wtext_key(struct wtext *, int key);
/* Paint into win at (y, x), h lines by w columns. */
void	 wtext_draw(struct wtext *, WINDOW *, int y, int x, int h, int w);
/* All the text, lines joined with '\n' (caller frees). */
char	*wtext_join(const struct wtext *);

#endif
