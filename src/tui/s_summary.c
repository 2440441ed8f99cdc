/*
 * s_summary.c: the end of the journey.  What works now (the gates, the
 * model that answered and how fast), the files written, the environment
 * lines to reuse in a shell or a program, and what is left to do.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "gettext.h"
#include "runtime.h"
#include "session.h"
#include "tui/draw.h"
#include "tui/screen.h"
#include "tui/theme.h"
#include "tui/w_text.h"
#include "xalloc.h"

struct sstate {
	struct wtext	 text;
	char		*env;		/* the environment lines, for copying */
};

static const struct keyhint hints[] = {
	{ "Enter", N_("finish"), 0 },
	{ "c", N_("copy the env lines"), 0 },
	{ "Esc", N_("back"), 0 },
	{ NULL, NULL, 0 }
};

static const char *const gate_labels[WG_COUNT] = {
	N_("Credentials"), N_("Region"), N_("Model access"),
	N_("Provider terms"), N_("IAM permission"),
};

static const char *
state_word(enum wiz_gate_state s)
{
	switch (s) {
	case WGS_PASS:
		return _("works");
	case WGS_WARN:
		return _("not checked (see above)");
	case WGS_FAIL:
		return _("fails");
	case WGS_CHECKING:
		return _("being checked");
	default:
		return _("not checked yet");
	}
}

static const char *
access_word(enum access_state a)
{
	switch (a) {
	case ACCESS_GRANTED:
		return _("ready");
	case ACCESS_PENDING:
		return _("pending: the terms or subscription are being "
		    "processed");
	case ACCESS_NEEDS_FORM:
		return _("needs Anthropic's use-case form");
	case ACCESS_NEEDS_AGREEMENT:
		return _("needs its agreement offer accepted");
	case ACCESS_NEEDS_SUBSCRIPTION:
		return _("needs the AWS Marketplace subscription");
	case ACCESS_NOT_IN_REGION:
		return _("not offered in this Region");
	case ACCESS_DENIED:
		return _("refused by IAM or an SCP");
	default:
		return _("access not checked");
	}
}

/* "export NAME=value", value quoted for a POSIX shell when it needs it. */
static void
export_line(struct buf *b, const char *name, const char *value)
{
	char	*q = runtime_shell_quote(value);

	buf_printf(b, "export %s=%s\n", name, q);
	free(q);
}

static void
build(struct wizard *w, struct sstate *ss)
{
	struct buf	 env = BUF_INIT;
	char		 line[1200];
	const char	*profile = w->session != NULL ?
	    w->session->cfg->profile : NULL;
	const struct wiz_choice *answered = w->chat_ok &&
	    w->chat_model < w->nchoices ? &w->choices[w->chat_model] : NULL;
	size_t		 i, todo = 0;
	int		 g;

	wtext_clear(&ss->text);
	ss->text.follow = 0;
	wtext_add(&ss->text, _("What works now"), theme_attr(TH_ACCENT));
	for (g = 0; g < WG_COUNT; g++) {
		snprintf(line, sizeof line, "  %-16s %s", _(gate_labels[g]),
		    state_word(w->gates[g]));
		wtext_add(&ss->text, line, theme_attr(w->gates[g] == WGS_PASS ?
		    TH_OK : w->gates[g] == WGS_FAIL ? TH_FAIL : TH_DIM));
	}
	if (answered != NULL) {
		/* L10N: the summary: a model id, a Region, two latencies. */
		snprintf(line, sizeof line, _("  %s answered from %s: first "
		    "token after %.0f ms, whole reply in %.0f ms."),
		    answered->how.invoke_id, w->region, w->chat_first_ms,
		    w->chat_total_ms);
		wtext_add(&ss->text, line, A_NORMAL);
	}
	wtext_add(&ss->text, "", A_NORMAL);

	wtext_add(&ss->text, _("Files written"), theme_attr(TH_ACCENT));
	if (w->nfiles == 0)
		wtext_add(&ss->text, _("  none (the policy was not saved)"),
		    theme_attr(TH_DIM));
	for (i = 0; i < w->nfiles; i++) {
		snprintf(line, sizeof line, "  %s", w->files[i]);
		wtext_add(&ss->text, line, A_NORMAL);
	}
	wtext_add(&ss->text, "", A_NORMAL);

	wtext_add(&ss->text, _("To reuse in a shell or a program"),
	    theme_attr(TH_ACCENT));
	if (profile != NULL && w->g.demo == NULL) {
		export_line(&env, "AWS_PROFILE", profile);
	}
	if (w->region != NULL) {
		export_line(&env, "AWS_REGION", w->region);
		export_line(&env, "AWS_DEFAULT_REGION", w->region);
	}
	if (w->nchoices > 0) {
		const struct wiz_choice *c = answered != NULL ? answered :
		    &w->choices[0];

		export_line(&env, "BEDROCK_MODEL_ID", c->how.invoke_id);
	}
	free(ss->env);
	ss->env = buf_take(&env, NULL);
	if (ss->env == NULL)
		ss->env = xstrdup("");
	wtext_add(&ss->text, ss->env[0] != '\0' ? ss->env : _("  nothing "
	    "yet"), A_NORMAL);
	if (ss->env[0] != '\0') {
		/* The buffer ends with a newline: drop the empty line. */
		if (ss->text.n > 0 &&
		    ss->text.lines[ss->text.n - 1].text[0] == '\0')
			free(ss->text.lines[--ss->text.n].text);
		wtext_add(&ss->text, _("(AWS_DEFAULT_REGION is for the AWS CLI "
		    "v1 and boto3, which do not read AWS_REGION.)"),
		    theme_attr(TH_DIM));
	}
	if (w->nchoices > 0) {
		char	*id = runtime_shell_quote((answered != NULL ?
		    answered : &w->choices[0])->how.invoke_id);
		char	*hello = runtime_shell_quote(_("Hello"));

		snprintf(line, sizeof line, "bedrock-setup chat --model %s %s",
		    id, hello);
		wtext_add(&ss->text, line, A_NORMAL);
		free(id);
		free(hello);
	}
	wtext_add(&ss->text, "", A_NORMAL);

	wtext_add(&ss->text, _("Left to do"), theme_attr(TH_ACCENT));
	for (i = 0; i < w->nchoices; i++) {
		if (w->choices[i].access == ACCESS_GRANTED)
			continue;
		snprintf(line, sizeof line, "  - %s: %s", w->choices[i].how.
		    invoke_id, access_word(w->choices[i].access));
		wtext_add(&ss->text, line, A_NORMAL);
		todo++;
	}
	if (w->nfiles == 0 && w->nchoices > 0) {
		wtext_add(&ss->text, _("  - Save the policy (step 5, key w) "
		    "and attach it to the role or user your application "
		    "runs as."), A_NORMAL);
		todo++;
	}
	if (!w->chat_ok) {
		wtext_add(&ss->text, _("  - Make a first call (step 6)."),
		    A_NORMAL);
		todo++;
	}
	if (todo == 0)
		wtext_add(&ss->text, _("  Nothing: Bedrock works for you "
		    "here."), theme_attr(TH_OK));
}

static int
summary_enter(struct wizard *w, void **statep)
{
	struct sstate	*ss = xcalloc(1, sizeof *ss);

	wtext_init(&ss->text);
	build(w, ss);
	*statep = ss;
	return 0;
}

static void
summary_leave(struct wizard *w, void *state)
{
	struct sstate	*ss = state;

	(void)w;
	wtext_free(&ss->text);
	free(ss->env);
	free(ss);
}

static int
summary_key(struct wizard *w, void *state, int key)
{
	struct sstate	*ss = state;

	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		return SCR_HANDLED | SCR_QUIT;
	case 'c':
		if (ss->env[0] == '\0')
			return SCR_HANDLED;
		if (wizard_copy(ss->env) != 0)
			return SCR_HANDLED;
		wizard_status(w, "%s", _("copied the environment lines (OSC "
		    "52)"));
		return SCR_HANDLED | SCR_REDRAW;
	default:
		return wtext_key(&ss->text, key);
	}
}

static void
summary_draw(const struct wizard *w, const void *state, WINDOW *win)
{
	struct sstate	*ss = (struct sstate *)state;
	int		 rows, cols;

	(void)w;
	getmaxyx(win, rows, cols);
	wtext_draw(&ss->text, win, 1, 2, rows - 2, cols - 4);
}

const struct screen_ops screen_summary = {
	N_("Summary"),
	0,
	summary_enter,
	summary_leave,
	summary_key,
	summary_draw,
	NULL,
	hints,
	0,
	NULL
};
