/*
 * theme.h: colours and line-drawing, as one table with a monochrome and an
 * ASCII fallback.
 */
#ifndef BS_TUI_THEME_H
#define BS_TUI_THEME_H

#include <curses.h>

enum theme_role {
	TH_NORMAL = 0,
	TH_TITLE,	/* the header line */
	TH_ACCENT,	/* headings inside a screen */
	TH_KEY,		/* key names in the hint bar */
	TH_DIM,		/* secondary text */
	TH_OK,		/* a gate that passed */
	TH_WARN,	/* a warning */
	TH_FAIL,	/* a gate that failed */
	TH_SELECT,	/* the selected row */
	TH_SYN_KEY,	/* code: keys, names */
	TH_SYN_STR,	/* code: string values */
	TH_SYN_PUNCT,	/* code: punctuation */
	TH_COUNT
};

/* Set up colours when use_color and the terminal has them. Returns 1 if on. */
int		 theme_init(int use_color);
/* The attributes for a role. */
attr_t		 theme_attr(enum theme_role);
/* Glyphs that fall back to ASCII when the terminal is not UTF-8. */
const char	*theme_glyph_bullet(int utf8);
const char	*theme_glyph_hrule(int utf8);

#endif
