/*
 * draw.h: small painting helpers that know about display width.
 */
#ifndef BS_TUI_DRAW_H
#define BS_TUI_DRAW_H

#include <curses.h>

/* Display columns taken by a UTF-8 (locale) string. */
int	 draw_width(const char *);
/*
 * Paint text from (y, x), wrapping at word boundaries within width columns
 * and stopping before row maxy.  Returns the number of rows used.
 */
int	 draw_wrapped(WINDOW *, int y, int x, int width, int maxy,
	     const char *text, attr_t);
/* Paint at most width columns of text at (y, x); cut with "..." if longer. */
void	 draw_clipped(WINDOW *, int y, int x, int width, const char *text,
	     attr_t);
/* A horizontal rule of width columns. */
void	 draw_hrule(WINDOW *, int y, int x, int width, int utf8);

#endif
