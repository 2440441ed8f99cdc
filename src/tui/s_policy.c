/*
 * s_policy.c: step 5, the least-privilege IAM policy for the chosen
 * models.  The policy (coloured) on the left, why each statement is there
 * and the lint findings on the right; toggles for streaming, discovery,
 * enablement, API keys and a Region restriction; five formats; save to a
 * file (atomically, asking before replacing one) and copy through OSC 52.
 * Enter goes on without saving.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "buf.h"
#include "catalog.h"
#include "err.h"
#include "gettext.h"
#include "json.h"
#include "policy.h"
#include "policy_format.h"
#include "tui/draw.h"
#include "tui/screen.h"
#include "tui/theme.h"
#include "tui/w_input.h"
#include "tui/w_text.h"
#include "xalloc.h"

enum psave { PS_IDLE, PS_PATH, PS_OVERWRITE };

struct pstate {
	struct wtext	 policy;	/* the rendered policy */
	struct wtext	 notes;		/* findings, then explanations */
	int		 focus;		/* 0 policy, 1 notes */
	char		*text;		/* what is saved and copied */
	size_t		 errors;	/* lint errors */
	size_t		 warnings;
	enum psave	 save;
	struct winput	 path;
	char		 message[1024];	/* last save or copy outcome */
	int		 message_bad;
};

static const struct keyhint hints[] = {
	{ "Enter", N_("continue"), 0 },
	{ "w", N_("save"), 0 },
	{ "c", N_("copy"), 0 },
	{ "f", N_("format"), 0 },
	{ "s/d/e/k/r", N_("toggles"), 0 },
	{ "Esc", N_("back"), 0 },
	{ "Tab", N_("switch pane to scroll"), 1 },
	{ "F", N_("previous format"), 1 },
	{ "s", N_("streaming: add InvokeModelWithResponseStream"), 1 },
	{ "d", N_("discovery: list and describe models"), 1 },
	{ "e", N_("enablement: one-time admin actions"), 1 },
	{ "k", N_("Bedrock API keys"), 1 },
	{ "r", N_("lock to the Regions used"), 1 },
	{ NULL, NULL, 0 }
};

/* The toggles, in the order they show, with their keys. */
struct toggle {
	int		 key;
	const char	*label;		/* N_() */
	size_t		 offset;	/* in struct wiz_policy */
};

static const struct toggle toggles[] = {
	{ 's', N_("streaming"), offsetof(struct wiz_policy, streaming) },
	{ 'd', N_("discovery"), offsetof(struct wiz_policy, discovery) },
	{ 'e', N_("enablement"), offsetof(struct wiz_policy, enablement) },
	{ 'k', N_("API keys"), offsetof(struct wiz_policy, api_keys) },
	{ 'r', N_("Region lock"), offsetof(struct wiz_policy,
	    restrict_region) },
};
#define NTOGGLES	(sizeof toggles / sizeof toggles[0])

static const char *const format_labels[POLICY_FORMAT_COUNT] = {
	N_("JSON"), N_("CloudFormation"), N_("Terraform"), N_("AWS CLI"),
	N_("SCP"),
};

static const char *const default_names[POLICY_FORMAT_COUNT] = {
	"bedrock-policy.json", "bedrock-policy.yaml", "bedrock-policy.tf",
	"bedrock-policy.sh", "bedrock-scp.json",
};

static const struct keyhint path_hints[] = {
	{ "Enter", N_("save"), 0 },
	{ "Esc", N_("cancel"), 0 },
	{ "C-u", N_("erase the name"), 0 },
	{ NULL, NULL, 0 }
};

static const struct keyhint replace_hints[] = {
	{ "y", N_("replace the file"), 0 },
	/* L10N: a key hint: any key other than y (at most 10 columns). */
	{ N_("any key"), N_("keep it; choose another name"), 0 },
	{ NULL, NULL, 0 }
};

static const struct keyhint *
policy_hints_now(const struct wizard *w, const void *state)
{
	const struct pstate	*ps = state;

	(void)w;
	return ps->save == PS_PATH ? path_hints : ps->save == PS_OVERWRITE ?
	    replace_hints : NULL;
}

static int *
toggle_ptr(struct wizard *w, const struct toggle *t)
{
	return (int *)((char *)&w->policy + t->offset);
}

static int
toggle_val(const struct wizard *w, const struct toggle *t)
{
	return *(const int *)((const char *)&w->policy + t->offset);
}

/* Syntax colours for JSON, YAML, HCL and shell alike. */
static void
colour_code(const wchar_t *s, size_t len, attr_t base, attr_t *out)
{
	size_t	 i = 0, j, k;
	attr_t	 a;

	(void)base;
	while (i < len && s[i] == L' ')
		i++;
	if (i < len && s[i] == L'#') {
		for (; i < len; i++)
			out[i] = theme_attr(TH_DIM);
		return;
	}
	for (; i < len; i++) {
		if (s[i] == L'"') {
			for (j = i + 1; j < len && s[j] != L'"'; j++)
				if (s[j] == L'\\')
					j++;
			if (j >= len)
				j = len - 1;
			/* A quoted key is followed by a colon (JSON). */
			a = theme_attr(j + 1 < len && s[j + 1] == L':' ?
			    TH_SYN_KEY : TH_SYN_STR);
			for (k = i; k <= j; k++)
				out[k] = a;
			i = j;
		} else if (wcschr(L"{}[],:=()", s[i]) != NULL)
			out[i] = theme_attr(TH_SYN_PUNCT);
	}
}

/* Build, lint, explain and render the policy for the current choices. */
static void
rebuild(struct wizard *w, struct pstate *ps)
{
	struct policy_input	 in;
	struct policy_model	*pm;
	struct policy_findings	 f;
	struct policy_notes	 notes;
	struct json		*doc;
	struct buf		 out = BUF_INIT, nb = BUF_INIT;
	struct err		 e;
	size_t			 i;
	char			 line[1200];

	wtext_clear(&ps->policy);
	wtext_clear(&ps->notes);
	ps->notes.follow = 0;
	ps->policy.follow = 0;
	free(ps->text);
	ps->text = NULL;
	ps->errors = ps->warnings = 0;
	if (w->region == NULL || w->nchoices == 0) {
		wtext_add(&ps->notes, _("Choose at least one model first "
		    "(Esc goes back)."), theme_attr(TH_WARN));
		return;
	}
	policy_input_init(&in, w->region, w->identity_ok &&
	    w->account[0] != '\0' ? w->account : NULL);
	pm = xcalloc(w->nchoices, sizeof *pm);
	for (i = 0; i < w->nchoices; i++)
		policy_model_from_resolve(&pm[i], &w->choices[i].how);
	in.models = pm;
	in.nmodels = w->nchoices;
	in.streaming = w->policy.streaming;
	in.with_discovery = w->policy.discovery;
	in.with_enablement = w->policy.enablement;
	in.with_api_keys = w->policy.api_keys;
	in.restrict_region = w->policy.restrict_region;
	err_clear(&e);
	doc = policy_build(&in, &e);
	free(pm);
	if (doc == NULL) {
		snprintf(line, sizeof line, _("No policy: %s"), e.message);
		wtext_add(&ps->notes, line, theme_attr(TH_FAIL));
		ps->errors = 1;
		return;
	}
	policy_lint(w->cat, doc, &f);
	ps->errors = f.errors;
	ps->warnings = f.warnings;
	for (i = 0; i < f.n; i++) {
		const struct policy_finding *x = &f.v[i];

		/* L10N: a lint finding: severity, [Sid], message. */
		snprintf(line, sizeof line, _("%s: %s%s%s%s"),
		    _(policy_severity_name(x->severity)),
		    x->sid[0] != '\0' ? "[" : "", x->sid,
		    x->sid[0] != '\0' ? "] " : "", x->message);
		wtext_add(&ps->notes, line, theme_attr(x->severity ==
		    POLICY_ERROR ? TH_FAIL : x->severity == POLICY_WARNING ?
		    TH_WARN : TH_DIM));
	}
	if (f.n == 0)
		wtext_add(&ps->notes, _("Lint: no findings (actions exist, "
		    "ARNs well formed, within IAM's size limit)."),
		    theme_attr(TH_OK));
	policy_findings_free(&f);
	wtext_add(&ps->notes, "", A_NORMAL);
	policy_explain(doc, &notes);
	for (i = 0; i < notes.n; i++) {
		if (notes.v[i].sid[0] != '\0')
			wtext_add(&ps->notes, notes.v[i].sid,
			    theme_attr(TH_ACCENT));
		wtext_add(&ps->notes, notes.v[i].text, A_NORMAL);
		wtext_add(&ps->notes, "", A_NORMAL);
	}
	policy_notes_free(&notes);
	err_clear(&e);
	if (policy_format_render(doc, (enum policy_format_kind)
	    w->policy.format, NULL, &out, &e) != 0) {
		snprintf(line, sizeof line, _("Cannot show it as %s: %s"),
		    _(format_labels[w->policy.format]), e.message);
		wtext_add(&ps->policy, line, theme_attr(TH_FAIL));
	} else {
		ps->text = buf_take(&out, NULL);
		wtext_add(&ps->policy, ps->text, A_NORMAL);
		/* The text ends with a newline: drop the empty last line. */
		if (ps->policy.n > 1 &&
		    ps->policy.lines[ps->policy.n - 1].text[0] == '\0') {
			free(ps->policy.lines[--ps->policy.n].text);
		}
		if (w->policy.format == POLICY_FORMAT_SCP) {
			struct json *scp = policy_format_scp(doc, &e);

			if (scp != NULL && policy_format_scp_notes(scp,
			    &nb) == 0) {
				wtext_add(&ps->notes, _("About the SCP"),
				    theme_attr(TH_ACCENT));
				wtext_add(&ps->notes, buf_str(&nb), A_NORMAL);
			}
			json_free(scp);
		}
	}
	ps->policy.top = 0;
	ps->notes.top = 0;
	buf_free(&out);
	buf_free(&nb);
	json_free(doc);
}

static int
policy_enter(struct wizard *w, void **statep)
{
	struct pstate	*ps = xcalloc(1, sizeof *ps);

	wtext_init(&ps->policy);
	wtext_init(&ps->notes);
	ps->policy.colour = colour_code;
	winput_init(&ps->path, PATH_MAX / 2);
	rebuild(w, ps);
	*statep = ps;
	return 0;
}

static void
policy_leave(struct wizard *w, void *state)
{
	struct pstate	*ps = state;

	(void)w;
	wtext_free(&ps->policy);
	wtext_free(&ps->notes);
	free(ps->text);
	free(ps);
}

static void
say(struct pstate *ps, int bad, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(struct pstate *ps, int bad, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(ps->message, sizeof ps->message, fmt, ap);
	va_end(ap);
	ps->message_bad = bad;
}

static void
save(struct wizard *w, struct pstate *ps, int force)
{
	struct err	 e;
	char		 full[PATH_MAX];
	const char	*path = ps->path.text;

	err_clear(&e);
	if (atomicfile_write(path, ps->text, strlen(ps->text), 0644, force,
	    &e) != 0) {
		say(ps, 1, "%s", e.message);
		ps->save = PS_IDLE;
		return;
	}
	if (realpath(path, full) == NULL)
		snprintf(full, sizeof full, "%.*s", PATH_MAX / 2, path);
	/* L10N: after saving: a format name, then the file's full path. */
	say(ps, 0, _("Saved the policy (%s) to %s"),
	    _(format_labels[w->policy.format]), full);
	wizard_add_file(w, full);
	w->unsaved = 0;
	ps->save = PS_IDLE;
}

/* Enter in the path prompt: ask first when the file exists. */
static void
save_path_done(struct wizard *w, struct pstate *ps)
{
	struct stat	 st;

	if (ps->path.len == 0) {
		ps->save = PS_IDLE;
		return;
	}
	if (lstat(ps->path.text, &st) == 0) {
		ps->save = PS_OVERWRITE;
		return;
	}
	save(w, ps, 0);
}

/* Copy to the terminal's clipboard with OSC 52 (tmux, xterm, kitty...). */
static void
copy(struct pstate *ps)
{
	if (wizard_copy(ps->text) != 0) {
		say(ps, 1, "%s", _("The policy is too large to copy."));
		return;
	}
	say(ps, 0, "%s", _("Copied to the clipboard (OSC 52; your terminal "
	    "must allow it)."));
}

static int
policy_key(struct wizard *w, void *state, int key)
{
	struct pstate	*ps = state;
	size_t		 i;

	if (ps->save == PS_PATH) {
		switch (key) {
		case '\n':
		case '\r':
		case KEY_ENTER:
			save_path_done(w, ps);
			return SCR_HANDLED | SCR_REDRAW;
		case 27:
			ps->save = PS_IDLE;
			return SCR_HANDLED | SCR_REDRAW;
		default:
			winput_key(&ps->path, key);
			return SCR_HANDLED | SCR_REDRAW;
		}
	}
	if (ps->save == PS_OVERWRITE) {
		if (key == 'y' || key == 'Y')
			save(w, ps, 1);
		else {
			ps->save = PS_PATH;
			say(ps, 0, "%s", _("Not replaced: choose another "
			    "name."));
		}
		return SCR_HANDLED | SCR_REDRAW;
	}
	for (i = 0; i < NTOGGLES; i++)
		if (key == toggles[i].key) {
			int *v = toggle_ptr(w, &toggles[i]);

			*v = !*v;
			w->unsaved = 1;
			rebuild(w, ps);
			ps->message[0] = '\0';
			return SCR_HANDLED | SCR_REDRAW;
		}
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		return SCR_HANDLED | SCR_NEXT;
	case 'f':
	case 'F':
		w->policy.format = (w->policy.format + (key == 'f' ? 1 :
		    POLICY_FORMAT_COUNT - 1)) % POLICY_FORMAT_COUNT;
		rebuild(w, ps);
		ps->message[0] = '\0';
		return SCR_HANDLED | SCR_REDRAW;
	case 'w':
		if (ps->text == NULL) {
			say(ps, 1, "%s", _("Nothing to save yet."));
			return SCR_HANDLED | SCR_REDRAW;
		}
		winput_set(&ps->path, default_names[w->policy.format]);
		ps->save = PS_PATH;
		ps->message[0] = '\0';
		return SCR_HANDLED | SCR_REDRAW;
	case 'c':
		if (ps->text != NULL)
			copy(ps);
		return SCR_HANDLED | SCR_REDRAW;
	case '\t':
		ps->focus = !ps->focus;
		return SCR_HANDLED | SCR_REDRAW;
	default:
		return wtext_key(ps->focus ? &ps->notes : &ps->policy, key);
	}
}

/* The toggles on as many rows as they need; returns the rows used. */
static int
draw_toggles(const struct wizard *w, WINDOW *win, int y, int x, int width)
{
	char	 line[256];
	size_t	 i;
	int	 col = x, rows = 1, need;

	for (i = 0; i < NTOGGLES; i++) {
		int on = toggle_val(w, &toggles[i]);

		snprintf(line, sizeof line, "%c [%s] %s", toggles[i].key,
		    on ? "x" : " ", _(toggles[i].label));
		need = draw_width(line);
		if (col > x && col + need > x + width) {
			col = x;
			rows++;
		}
		draw_clipped(win, y + rows - 1, col, width, line,
		    on ? theme_attr(TH_OK) : A_NORMAL);
		col += need + 2;
	}
	return rows;
}

static void
policy_draw(const struct wizard *w, const void *state, WINDOW *win)
{
	struct pstate	*ps = (struct pstate *)state;
	int		 rows, cols, x = 2, y = 1, lw, rw, h;
	char		 line[1200];

	getmaxyx(win, rows, cols);
	y += draw_toggles(w, win, y, x, cols - 2 * x);
	if (ps->errors > 0)
		snprintf(line, sizeof line, ngettext("%zu lint error: see the "
		    "right pane", "%zu lint errors: see the right pane",
		    ps->errors), ps->errors);
	else
		/* L10N: above the policy: models, Region, account. */
		snprintf(line, sizeof line, ngettext("For %zu model in %s, "
		    "account %s", "For %zu models in %s, account %s",
		    w->nchoices), w->nchoices, w->region != NULL ? w->region :
		    "?", w->identity_ok && w->account[0] != '\0' ? w->account :
		    _("<ACCOUNT_ID> (not known offline)"));
	draw_clipped(win, y, x, cols - 2 * x, line, ps->errors > 0 ?
	    theme_attr(TH_FAIL) : theme_attr(TH_DIM));
	/* L10N: the format switch; %s is JSON, Terraform... */
	snprintf(line, sizeof line, _("f format: %s"),
	    _(format_labels[w->policy.format]));
	draw_clipped(win, y++, cols - x - draw_width(line), draw_width(line),
	    line, theme_attr(TH_ACCENT));
	y++;
	lw = (cols - 2 * x) * 13 / 20;
	rw = cols - 2 * x - lw - 2;
	h = rows - y - 2;
	draw_clipped(win, y - 1, x, lw, _("Policy"), ps->focus == 0 ?
	    theme_attr(TH_ACCENT) : theme_attr(TH_DIM));
	draw_clipped(win, y - 1, x + lw + 2, rw, _("Why, and lint"),
	    ps->focus == 1 ? theme_attr(TH_ACCENT) : theme_attr(TH_DIM));
	wtext_draw(&ps->policy, win, y, x, h, lw);
	wtext_draw(&ps->notes, win, y, x + lw + 2, h, rw);
	y = rows - 1;
	if (ps->save == PS_PATH && ps->message[0] != '\0')
		draw_clipped(win, y - 1, x, cols - 2 * x, ps->message,
		    ps->message_bad ? theme_attr(TH_FAIL) : theme_attr(TH_DIM));
	if (ps->save == PS_PATH) {
		const char *p = _("Save as: ");

		draw_clipped(win, y, x, draw_width(p), p,
		    theme_attr(TH_ACCENT));
		winput_draw(&ps->path, win, y, x + draw_width(p),
		    cols - 2 * x - draw_width(p), 1, A_NORMAL);
	} else if (ps->save == PS_OVERWRITE) {
		/* L10N: asked before replacing a file; y and N are keys. */
		snprintf(line, sizeof line, _("%s exists. Replace it? y/N"),
		    ps->path.text);
		draw_clipped(win, y, x, cols - 2 * x, line,
		    theme_attr(TH_WARN));
	} else if (ps->message[0] != '\0')
		draw_clipped(win, y, x, cols - 2 * x, ps->message,
		    ps->message_bad ? theme_attr(TH_FAIL) : theme_attr(TH_OK));
	else
		draw_clipped(win, y, x, cols - 2 * x, _("Enter continues "
		    "without saving; w saves the policy to a file."),
		    theme_attr(TH_DIM));
}

const struct screen_ops screen_policy = {
	N_("Policy"),
	5,
	policy_enter,
	policy_leave,
	policy_key,
	policy_draw,
	NULL,
	hints,
	0,
	policy_hints_now
};
