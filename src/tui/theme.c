/*
 * theme.c: the colour table and its monochrome fallback.
 */
#include <config.h>

#include "tui/theme.h"

struct role {
	short	 fg, bg;
	attr_t	 color_attr;	/* added when colours are on */
	attr_t	 mono_attr;	/* used alone when they are off */
};

static const struct role roles[TH_COUNT] = {
	[TH_NORMAL] = { -1,            -1,          A_NORMAL, A_NORMAL },
	[TH_TITLE]  = { COLOR_BLACK,   COLOR_CYAN,  A_BOLD,   A_REVERSE },
	[TH_ACCENT] = { COLOR_CYAN,    -1,          A_BOLD,   A_BOLD },
	[TH_KEY]    = { COLOR_YELLOW,  -1,          A_BOLD,   A_BOLD },
	[TH_DIM]    = { COLOR_BLUE,    -1,          A_NORMAL, A_DIM },
	[TH_OK]     = { COLOR_GREEN,   -1,          A_BOLD,   A_BOLD },
	[TH_WARN]   = { COLOR_YELLOW,  -1,          A_NORMAL, A_UNDERLINE },
	[TH_FAIL]   = { COLOR_RED,     -1,          A_BOLD,   A_BOLD },
	[TH_SELECT] = { COLOR_BLACK,   COLOR_WHITE, A_NORMAL, A_REVERSE },
	[TH_SYN_KEY] = { COLOR_CYAN,   -1,          A_NORMAL, A_BOLD },
	[TH_SYN_STR] = { COLOR_GREEN,  -1,          A_NORMAL, A_NORMAL },
	[TH_SYN_PUNCT] = { COLOR_BLUE, -1,          A_NORMAL, A_NORMAL },
};

static int colors_on;

int
theme_init(int use_color)
{
	int	 i;

	colors_on = 0;
	if (!use_color || !has_colors())
		return 0;
	if (start_color() == ERR)
		return 0;
	use_default_colors();
	for (i = 1; i < TH_COUNT; i++)
		init_pair((short)i, roles[i].fg, roles[i].bg);
	colors_on = 1;
	return 1;
}

attr_t
theme_attr(enum theme_role r)
{
	if (r <= TH_NORMAL || r >= TH_COUNT)
		return A_NORMAL;
	if (!colors_on)
		return roles[r].mono_attr;
	return COLOR_PAIR(r) | roles[r].color_attr;
}

const char *
theme_glyph_bullet(int utf8)
{
	return utf8 ? "\xe2\x97\x8b" : "o";	/* ○ */
}

const char *
theme_glyph_hrule(int utf8)
{
	return utf8 ? "\xe2\x94\x80" : "-";	/* ─ */
}
