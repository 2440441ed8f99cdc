/*
 * s_credentials.c: step 1, the credentials gate.  Which credentials were
 * found and where (every source of the chain, the winner marked), who
 * they belong to (STS GetCallerIdentity), a profile picker, and when
 * nothing works, the diagnosis: which gate, why, and how to fix it.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "awsconfig.h"
#include "creds.h"
#include "credsnet.h"
#include "diagnose.h"
#include "endpoint.h"
#include "err.h"
#include "gettext.h"
#include "http.h"
#include "session.h"
#include "sts.h"
#include "tui/draw.h"
#include "tui/job.h"
#include "tui/screen.h"
#include "tui/theme.h"
#include "tui/w_list.h"
#include "xalloc.h"

/* What the worker found; handed to the main thread when it ends. */
struct credjob {
	struct session		*s;	/* read only on the worker */
	time_t			 now;
	struct creds_report	*report;
	struct err		 e;
	int			 rc;
	struct sts_identity	 id;
	struct diagnose_result	 diag;
	int			 bearer_only;	/* only an API key was found */
};

struct cstate {
	struct wlist		 picker;	/* profiles, when picking */
	struct awsconfig_profile *profiles;
	size_t			 nprofiles;
	int			 picking;
};

static const struct keyhint hints[] = {
	{ "Enter", N_("continue"), 0 },
	{ "r", N_("check again"), 0 },
	{ "p", N_("choose a profile"), 0 },
	{ "Esc", N_("back"), 0 },
	{ NULL, NULL, 0 }
};

/* On the worker thread: the chain, then who am I. */
static void
cred_work(struct job *job, void *arg)
{
	struct credjob		*cj = arg;
	struct http_client	*http;
	struct endpoint		 ep;
	struct diagnose_ctx	 ctx;
	enum diagnose_op	 op = DIAGNOSE_OP_CREDENTIALS;
	long			 off;

	http = session_http_new(cj->s, job_cancelled_cb, job);
	err_clear(&cj->e);
	cj->rc = session_resolve_creds_with(cj->s, http, cj->now, &cj->report,
	    &cj->e);
	if (cj->rc != 0 && cj->e.kind == ERR_CREDENTIALS &&
	    cj->report != NULL && cj->report->bearer != NULL) {
		/* A Bedrock API key and nothing else: enough for Bedrock. */
		cj->bearer_only = 1;
		http_client_free(http);
		return;
	}
	if (cj->rc == 0) {
		op = DIAGNOSE_OP_CALLER_IDENTITY;
		cj->rc = endpoint_resolve(EP_STS, cj->s->region.value != NULL ?
		    cj->s->region.value : "us-east-1", &cj->s->eps, &ep,
		    &cj->e);
		if (cj->rc == 0)
			cj->rc = sts_get_caller_identity(http, &ep,
			    cj->report->creds, &cj->id, &cj->e);
	}
	if (cj->rc != 0) {
		memset(&ctx, 0, sizeof ctx);
		ctx.op = op;
		ctx.region = cj->s->region.value;
		ctx.aws_profile = cj->s->cfg->profile;
		ctx.sso = cj->report != NULL && cj->report->used ==
		    CREDS_SRC_SSO;
		if (http_client_clock_offset(http, &off)) {
			ctx.clock_known = 1;
			ctx.clock_offset = -off;
		}
		diagnose_err(&cj->e, &ctx, &cj->diag);
	}
	http_client_free(http);
}

/* On the main thread, once the worker has ended. */
static void
cred_done(struct wizard *w, void *arg)
{
	struct credjob	*cj = arg;

	creds_report_free(w->report);
	w->report = cj->report;
	free(w->cred_diag);
	w->cred_diag = NULL;
	w->cred_checking = 0;
	w->bearer_only = cj->bearer_only;
	if (cj->bearer_only) {
		w->identity_ok = 0;
		w->account[0] = '\0';
		w->arn[0] = '\0';
		w->gates[WG_CREDENTIALS] = WGS_WARN;
	} else if (cj->rc == 0) {
		w->identity_ok = 1;
		snprintf(w->account, sizeof w->account, "%s", cj->id.account);
		snprintf(w->arn, sizeof w->arn, "%s", cj->id.arn);
		w->gates[WG_CREDENTIALS] = WGS_PASS;
	} else {
		w->identity_ok = 0;
		w->cred_diag = xmalloc(sizeof *w->cred_diag);
		*w->cred_diag = cj->diag;
		w->gates[WG_CREDENTIALS] = cj->diag.could_not_check ?
		    WGS_WARN : WGS_FAIL;
	}
	free(cj);
}

static void
start_check(struct wizard *w)
{
	struct credjob	*cj;

	if (w->session == NULL || w->cred_checking)
		return;
	cj = xcalloc(1, sizeof *cj);
	cj->s = w->session;
	cj->now = time(NULL);
	w->cred_checking = 1;
	w->identity_ok = 0;
	w->bearer_only = 0;
	w->gates[WG_CREDENTIALS] = WGS_CHECKING;
	if (job_start(cred_work, cj, cred_done) == NULL) {
		w->cred_checking = 0;
		w->gates[WG_CREDENTIALS] = WGS_UNKNOWN;
		wizard_status(w, "%s", _("could not start the check"));
		free(cj);
	}
}

static void
show_retry(struct wizard *w, void *data)
{
	wizard_status(w, "%s", (const char *)data);
	free(data);
}

/* On a worker thread: tell the main loop a request is being retried. */
static void
on_retry(void *arg, const struct http_retry_info *ri)
{
	char	*msg = xmalloc(256);

	(void)arg;
	/* L10N: the status line while a request is retried. */
	snprintf(msg, 256, _("%s: %s; retrying in %.1f s (attempt %d of %d)"),
	    ri->op, ri->cause != NULL && ri->cause->code[0] != '\0' ?
	    ri->cause->code : _("no answer"), (double)ri->delay_ms / 1000.0,
	    ri->attempt + 1, ri->max_attempts);
	job_post(NULL, show_retry, msg);
}

static int
open_session(struct wizard *w, const char *profile)
{
	struct session_opts	 so;
	struct err		 e;

	memset(&so, 0, sizeof so);
	so.demo = w->g.demo;
	so.profile = profile;
	so.region = w->g.region;
	so.endpoint_url = w->g.endpoint_url;
	so.on_retry = on_retry;
	err_clear(&e);
	session_close(w->session);
	w->session = NULL;
	w->open_error[0] = '\0';
	if (session_open(&so, &w->session, &e) != 0) {
		snprintf(w->open_error, sizeof w->open_error, "%s%s%s",
		    e.message, e.where[0] != '\0' ? " — " : "", e.where);
		w->gates[WG_CREDENTIALS] = WGS_FAIL;
		return -1;
	}
	if (w->region == NULL && w->session->region.value != NULL)
		w->region = xstrdup(w->session->region.value);
	return 0;
}

static int
cred_enter(struct wizard *w, void **statep)
{
	struct cstate	*cs = xcalloc(1, sizeof *cs);

	*statep = cs;
	if (w->session == NULL && w->open_error[0] == '\0' &&
	    open_session(w, w->g.profile) == 0)
		start_check(w);
	return 0;
}

static void
cred_leave(struct wizard *w, void *state)
{
	struct cstate	*cs = state;

	(void)w;
	wlist_free(&cs->picker);
	awsconfig_profiles_free(cs->profiles, cs->nprofiles);
	free(cs);
}

static void
profile_row(const void *ctx, size_t i, int width, char *buf, size_t size,
    attr_t *attr)
{
	const struct cstate	*cs = ctx;

	(void)width;
	(void)attr;
	snprintf(buf, size, "%-24s %s", cs->profiles[i].name,
	    cs->profiles[i].kind != NULL ? _(cs->profiles[i].kind) : "");
}

static int
cred_key(struct wizard *w, void *state, int key)
{
	struct cstate	*cs = state;
	size_t		 row;
	int		 r;

	if (cs->picking) {
		if (key == '\n' || key == '\r' || key == KEY_ENTER) {
			row = wlist_current(&cs->picker);
			cs->picking = 0;
			if (row != WLIST_NONE && open_session(w,
			    cs->profiles[row].name) == 0) {
				free(w->region);
				w->region = w->session->region.value != NULL ?
				    xstrdup(w->session->region.value) : NULL;
				start_check(w);
			}
			return SCR_HANDLED | SCR_REDRAW;
		}
		if (key == 27) {
			cs->picking = 0;
			return SCR_HANDLED | SCR_REDRAW;
		}
		r = wlist_key(&cs->picker, key);
		return r != SCR_UNHANDLED ? r : SCR_HANDLED;
	}
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (w->identity_ok || w->bearer_only)
			return SCR_HANDLED | SCR_NEXT;
		wizard_status(w, "%s", w->cred_checking ?
		    _("still checking the credentials...") :
		    _("fix the credentials first, then press r"));
		return SCR_HANDLED | SCR_REDRAW;
	case 'r':
		if (w->session == NULL)
			open_session(w, w->g.profile);
		start_check(w);
		return SCR_HANDLED | SCR_REDRAW;
	case 'p':
		if (w->session == NULL)
			return SCR_HANDLED;
		awsconfig_profiles_free(cs->profiles, cs->nprofiles);
		cs->nprofiles = awsconfig_profiles(w->session->cfg,
		    &cs->profiles);
		if (cs->nprofiles == 0) {
			wizard_status(w, "%s", _("no profiles in ~/.aws/config "
			    "or ~/.aws/credentials"));
			return SCR_HANDLED | SCR_REDRAW;
		}
		cs->picker.ctx = cs;
		cs->picker.format = profile_row;
		wlist_init(&cs->picker, cs->nprofiles);
		cs->picking = 1;
		return SCR_HANDLED | SCR_REDRAW;
	default:
		return SCR_UNHANDLED;
	}
}

/* Lines of text, each on its own row, indented; returns rows used. */
static int
draw_lines(WINDOW *win, int y, int x, int w, int maxy, const char *text,
    const char *bullet, attr_t a)
{
	const char	*p = text, *nl;
	char		 line[1200];
	int		 rows = 0;

	while (*p != '\0' && y + rows < maxy) {
		nl = strchr(p, '\n');
		snprintf(line, sizeof line, "%s%.*s", bullet,
		    (int)(nl != NULL ? nl - p : (long)strlen(p)), p);
		rows += draw_wrapped(win, y + rows, x, w, maxy, line, a);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return rows;
}

static void
cred_draw(const struct wizard *w, const void *state, WINDOW *win)
{
	const struct cstate	*cs = state;
	const struct creds_report *rep = w->report;
	int			 rows, cols, y = 1, x = 2, i, lw = 0;
	char			 line[1200];

	getmaxyx(win, rows, cols);
	if (cs->picking) {
		draw_clipped(win, y, x, cols - 4, _("Choose a profile "
		    "(Enter uses it, Esc keeps the current one):"),
		    theme_attr(TH_ACCENT));
		wlist_draw((struct wlist *)&cs->picker, win, y + 2, x,
		    rows - y - 3, cols - 2 * x, 1);
		return;
	}
	if (w->session != NULL) {
		snprintf(line, sizeof line, _("Profile  %s"),
		    w->session->cfg->profile != NULL ?
		    w->session->cfg->profile : "default");
		draw_clipped(win, y++, x, cols - 4, line, A_NORMAL);
		if (w->session->region.value != NULL)
			snprintf(line, sizeof line, _("Region   %s (%s)"),
			    w->session->region.value,
			    w->session->region.source);
		else
			snprintf(line, sizeof line, "%s",
			    _("Region   none set yet: you choose one next"));
		draw_clipped(win, y++, x, cols - 4, line, A_NORMAL);
		y++;
	}
	if (w->open_error[0] != '\0') {
		draw_clipped(win, y++, x, cols - 4, _("The AWS configuration "
		    "cannot be read:"), theme_attr(TH_FAIL));
		y += draw_wrapped(win, y, x + 2, cols - x - 4, rows,
		    w->open_error, A_NORMAL);
		y++;
		draw_wrapped(win, y, x, cols - 4, rows, _("Fix the file or "
		    "the variable named above, then press r."), A_NORMAL);
		return;
	}
	if (w->cred_checking) {
		snprintf(line, sizeof line, "%s %s", wizard_spinner(w),
		    _("Looking for credentials and asking STS who you are..."));
		draw_clipped(win, y++, x, cols - 4, line, A_NORMAL);
		return;
	}
	if (rep != NULL) {
		draw_clipped(win, y++, x, cols - 4, _("Where the credentials "
		    "come from (in the order AWS's SDKs look):"),
		    theme_attr(TH_ACCENT));
		for (i = 0; i < CREDS_SRC_COUNT; i++)
			if (draw_width(rep->rows[i].label) > lw)
				lw = draw_width(rep->rows[i].label);
		for (i = 0; i < CREDS_SRC_COUNT && y < rows - 6; i++) {
			const struct creds_row *r = &rep->rows[i];
			attr_t a = r->state == CREDS_USED ? theme_attr(TH_OK) :
			    r->state == CREDS_FAILED ? theme_attr(TH_FAIL) :
			    r->state == CREDS_NOT_CONFIGURED ?
			    theme_attr(TH_DIM) : A_NORMAL;

			if (r->state == CREDS_NOT_CONFIGURED && rep->used >= 0)
				continue;
			/* Padded by display columns: a label may not be ASCII. */
			snprintf(line, sizeof line, "%s %s%*s  %s%s%s",
			    r->state == CREDS_USED ? (w->utf8 ?
			    "\xe2\x9c\x93" : "*") : " ", r->label,
			    lw - draw_width(r->label), "",
			    _(creds_state_name(r->state)),
			    r->detail != NULL ? ": " : "",
			    r->detail != NULL ? r->detail : "");
			draw_clipped(win, y++, x + 1, cols - x - 3, line, a);
		}
		for (i = 0; i < (int)rep->nwarnings && y < rows - 5; i++) {
			snprintf(line, sizeof line, _("warning: %s"),
			    rep->warnings[i]);
			y += draw_wrapped(win, y, x + 1, cols - x - 3, rows,
			    line, theme_attr(TH_WARN));
		}
		y++;
	}
	if (w->identity_ok) {
		draw_clipped(win, y++, x, cols - 4, _("Signed in"),
		    theme_attr(TH_OK));
		snprintf(line, sizeof line, _("Account  %s"), w->account);
		draw_clipped(win, y++, x + 1, cols - x - 3, line, A_NORMAL);
		snprintf(line, sizeof line, _("ARN      %s"), w->arn);
		draw_clipped(win, y++, x + 1, cols - x - 3, line, A_NORMAL);
		y++;
		draw_clipped(win, y, x, cols - 4, _("Press Enter to choose a "
		    "Region."), theme_attr(TH_DIM));
	} else if (w->bearer_only) {
		draw_clipped(win, y++, x, cols - 4, _("A Bedrock API key"),
		    theme_attr(TH_WARN));
		y += draw_wrapped(win, y, x + 1, cols - x - 3, rows, _("Bedrock "
		    "calls will use AWS_BEARER_TOKEN_BEDROCK. With no AWS "
		    "credentials, STS cannot say which account this is and IAM "
		    "cannot be checked: the policy keeps <ACCOUNT_ID> for you to "
		    "fill in. A key works only in the Region it was made in."),
		    A_NORMAL);
		y++;
		draw_clipped(win, y, x, cols - 4, _("Press Enter to choose a "
		    "Region."), theme_attr(TH_DIM));
	} else if (w->cred_diag != NULL) {
		snprintf(line, sizeof line, "%s %s: %s", w->utf8 ?
		    "\xe2\x9c\x97" : "x", _(diagnose_gate_name(
		    w->cred_diag->gate)), w->cred_diag->cause);
		y += draw_wrapped(win, y, x, cols - 4, rows, line,
		    theme_attr(TH_FAIL));
		draw_clipped(win, y++, x, cols - 4, _("How to fix it:"),
		    theme_attr(TH_ACCENT));
		draw_lines(win, y, x + 1, cols - x - 3, rows,
		    w->cred_diag->fix, "- ", A_NORMAL);
	}
}

const struct screen_ops screen_credentials = {
	N_("Credentials"),
	1,
	cred_enter,
	cred_leave,
	cred_key,
	cred_draw,
	NULL,
	hints,
	0,
	NULL
};
