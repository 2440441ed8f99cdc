/*
 * s_welcome.c: the first screen: what the wizard is for, the five gates a
 * Bedrock call must pass, and the steps of the journey.
 */
#include <config.h>

#include <stdio.h>

#include "gettext.h"
#include "tui/draw.h"
#include "tui/screen.h"
#include "tui/theme.h"

struct gate_line {
	const char	*name;		/* N_() */
	const char	*what;		/* N_() */
};

/* The gates in the order the journey checks them. */
static const struct gate_line gates[] = {
	{ N_("Credentials"),
	  N_("your client is signed in to the right AWS account") },
	{ N_("Region"),
	  N_("offered where you call it, or through a profile") },
	{ N_("Model access"),
	  N_("the model is enabled (Marketplace, payment method)") },
	{ N_("Provider terms"),
	  N_("EULA accepted; Anthropic's use-case form submitted") },
	{ N_("IAM permission"),
	  N_("your policies and the SCPs allow bedrock:InvokeModel") },
};

static const char *const steps[] = {
	N_("Credentials"), N_("Region"), N_("Models"), N_("Access"),
	N_("Policy"), N_("First call"),
};

static const struct keyhint hints[] = {
	{ "Enter", N_("start"), 0 },
	{ NULL, NULL, 0 }
};

static int
welcome_key(struct wizard *w, void *state, int key)
{
	(void)w;
	(void)state;
	if (key == '\n' || key == '\r' || key == KEY_ENTER)
		return SCR_HANDLED | SCR_NEXT;
	return SCR_UNHANDLED;
}

static void
welcome_draw(const struct wizard *w, const void *state, WINDOW *win)
{
	int	 rows, cols, y = 1, x = 2, width, i, namew = 0;
	char	 line[256];

	(void)state;
	getmaxyx(win, rows, cols);
	width = cols - 2 * x;

	wattron(win, theme_attr(TH_ACCENT));
	y += draw_wrapped(win, y, x, width, rows,
	    _("From an AWS account to a first answer from Amazon Bedrock"),
	    theme_attr(TH_ACCENT));
	wattroff(win, theme_attr(TH_ACCENT));
	y++;
	y += draw_wrapped(win, y, x, width, rows, _("A Bedrock call works "
	    "only when five gates line up. This wizard checks them in the "
	    "order you would fix them, says which one fails and how to fix "
	    "it:"), A_NORMAL);
	y++;
	for (i = 0; i < (int)(sizeof gates / sizeof gates[0]); i++)
		if (draw_width(_(gates[i].name)) > namew)
			namew = draw_width(_(gates[i].name));
	for (i = 0; i < (int)(sizeof gates / sizeof gates[0]) && y < rows; i++) {
		snprintf(line, sizeof line, "%s %d", theme_glyph_bullet(w->utf8),
		    i + 1);
		mvwaddstr(win, y, x + 1, line);
		draw_clipped(win, y, x + 6, namew, _(gates[i].name),
		    theme_attr(TH_ACCENT));
		draw_clipped(win, y, x + 8 + namew, width - namew - 8,
		    _(gates[i].what), A_NORMAL);
		y++;
	}
	y++;
	if (y < rows)
		y += draw_wrapped(win, y, x, width, rows, _("Then it writes a "
		    "least-privilege IAM policy for the models you chose and "
		    "makes a first live Converse call."), A_NORMAL);
	y++;
	if (y < rows) {
		int	 sx = x;

		mvwaddstr(win, y, sx, _("Steps:"));
		sx += draw_width(_("Steps:")) + 1;
		for (i = 0; i < (int)(sizeof steps / sizeof steps[0]); i++) {
			snprintf(line, sizeof line, "%d %s%s", i + 1,
			    _(steps[i]), i + 1 < 6 ? "  " : "");
			if (sx + draw_width(line) >= cols)
				break;
			mvwaddstr(win, y, sx, line);
			sx += draw_width(line);
		}
		y += 2;
	}
	if (w->g.demo != NULL && y < rows) {
		snprintf(line, sizeof line, _("Demo mode (scenario \"%s\"): a "
		    "simulated AWS account; no network and no credentials are "
		    "used."), w->g.demo);
		draw_wrapped(win, y, x, width, rows, line, theme_attr(TH_DIM));
	}
}

const struct screen_ops screen_welcome = {
	N_("Welcome"),
	0,
	NULL,
	NULL,
	welcome_key,
	welcome_draw,
	NULL,
	hints,
	0
};
