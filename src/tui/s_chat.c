/*
 * s_chat.c: step 6, the first live call.  A chat pane: the first message
 * is prefilled and sent with ConverseStream; text appears as it streams;
 * the footer shows model, Region, time to first token, total time and
 * tokens.  The conversation goes on (history kept, also when going back),
 * Ctrl-C stops a reply without leaving, F2 switches among the chosen
 * models, F3 shows the same request as an AWS CLI command and boto3 code.
 * A failure is shown as its gate diagnosis (gate, cause, fix).
 *
 * The conversation lives in the wizard (struct wiz_chat), not in the
 * screen, because a reply's pieces are posted by a worker and may arrive
 * after the screen was left.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "creds.h"
#include "diagnose.h"
#include "endpoint.h"
#include "err.h"
#include "gettext.h"
#include "http.h"
#include "runtime.h"
#include "secret.h"
#include "session.h"
#include "tui/draw.h"
#include "tui/job.h"
#include "tui/screen.h"
#include "tui/theme.h"
#include "tui/w_input.h"
#include "tui/w_text.h"
#include "xalloc.h"

#define KEY_CTRL_C	3
#define FIRST_PROMPT	"Reply with the single word: connected."
#define CHAT_MAX_TOKENS	512
#define CHAT_MAX_TURNS	64

struct wiz_turn {
	char		*role;		/* "user", "assistant" */
	char		*text;
	size_t		 model;		/* index in choices */
};

struct wiz_chat {
	struct wtext	 transcript;
	struct winput	 input;
	struct wiz_turn	 turns[CHAT_MAX_TURNS];
	size_t		 nturns;
	struct job	*job;		/* the reply arriving, or NULL */
	int		 cancelling;
	int		 code;		/* F3: the request as code */
	struct wtext	 codeview;
	/* The last reply's figures, for the footer. */
	int		 have_stats;
	double		 first_ms, total_ms;
	long		 in_tokens, out_tokens;
	char		 stats_model[256];
};

/* One reply on the worker; the main thread owns it after done. */
struct chat_job {
	struct session		*s;
	struct creds		*creds;
	struct secret		*bearer;
	struct endpoint		 ep;
	char			*region;
	char			*model_id;	/* what is sent */
	char			*profile_id;
	char			*identity_arn;
	char			*account;
	char			*aws_profile;
	struct runtime_message	*msgs;
	size_t			 nmsgs;
	struct job		*job;
	int			 rc;
	int			 got_text;
	struct err		 e;
	struct runtime_reply	 reply;
	struct diagnose_result	 diag;
};

static const struct keyhint hints[] = {
	{ "Enter", N_("send"), 0 },
	{ "C-c", N_("stop reply"), 0 },
	{ "F2", N_("model"), 0 },
	{ "F3", N_("CLI/boto3"), 0 },
	{ "Esc", N_("back"), 0 },
	{ NULL, NULL, 0 }
};

static const struct keyhint code_hints[] = {
	{ "F3", N_("back to the chat"), 0 },
	{ "Esc", N_("back to the chat"), 0 },
	/* L10N: a key hint: the arrow keys (at most 10 columns). */
	{ N_("arrows"), N_("scroll"), 0 },
	{ NULL, NULL, 0 }
};

static const struct keyhint *
chat_hints_now(const struct wizard *w, const void *state)
{
	const struct wiz_chat	*c = state;

	(void)w;
	return c != NULL && c->code ? code_hints : NULL;
}

static struct wiz_chat *
chat_of(struct wizard *w)
{
	if (w->chat == NULL) {
		w->chat = xcalloc(1, sizeof *w->chat);
		wtext_init(&w->chat->transcript);
		wtext_init(&w->chat->codeview);
		winput_init(&w->chat->input, 0);
		winput_set(&w->chat->input, _(FIRST_PROMPT));
	}
	return w->chat;
}

void
chat_state_free(struct wiz_chat *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nturns; i++) {
		free(c->turns[i].role);
		free(c->turns[i].text);
	}
	wtext_free(&c->transcript);
	wtext_free(&c->codeview);
	free(c);
}

static void
add_turn(struct wiz_chat *c, const char *role, const char *text,
    size_t model)
{
	size_t	 i;

	if (c->nturns == CHAT_MAX_TURNS) {
		/* Forget the oldest exchange (a user turn and its reply). */
		for (i = 0; i < 2; i++) {
			free(c->turns[i].role);
			free(c->turns[i].text);
		}
		memmove(c->turns, c->turns + 2, (CHAT_MAX_TURNS - 2) *
		    sizeof *c->turns);
		c->nturns -= 2;
	}
	c->turns[c->nturns].role = xstrdup(role);
	c->turns[c->nturns].text = xstrdup(text);
	c->turns[c->nturns].model = model;
	c->nturns++;
}

static void
drop_last_turn(struct wiz_chat *c)
{
	if (c->nturns == 0)
		return;
	c->nturns--;
	free(c->turns[c->nturns].role);
	free(c->turns[c->nturns].text);
}

struct piece {
	char	*text;
};

/* On the main thread: a piece of the reply. */
static void
piece_deliver(struct wizard *w, void *data)
{
	struct piece	*p = data;
	struct wiz_chat	*c = w->chat;
	struct wiz_turn	*t;
	char		*joined;

	if (c != NULL && c->nturns > 0) {
		t = &c->turns[c->nturns - 1];
		if (strcmp(t->role, "assistant") == 0) {
			joined = xmalloc(strlen(t->text) + strlen(p->text) +
			    1);
			memcpy(joined, t->text, strlen(t->text));
			memcpy(joined + strlen(t->text), p->text,
			    strlen(p->text) + 1);
			free(t->text);
			t->text = joined;
		}
		wtext_append(&c->transcript, p->text, A_NORMAL);
	}
	free(p->text);
	free(p);
}

/* On the worker: each piece as it is decoded. */
static int
on_text(void *arg, const char *text, size_t len)
{
	struct chat_job	*cj = arg;
	struct piece	*p;

	if (job_cancelled(cj->job))
		return 1;
	p = xcalloc(1, sizeof *p);
	p->text = xstrndup(text, len);
	cj->got_text = 1;
	job_post(cj->job, piece_deliver, p);
	return 0;
}

static void
chat_work(struct job *job, void *arg)
{
	struct chat_job		*cj = arg;
	struct http_client	*http;
	struct runtime_ctx	 rc;
	struct runtime_request	 rq;
	struct diagnose_ctx	 ctx;
	long			 off;

	cj->job = job;
	http = session_http_new(cj->s, job_cancelled_cb, job);
	memset(&rc, 0, sizeof rc);
	rc.http = http;
	rc.ep = &cj->ep;
	rc.creds = cj->creds;
	rc.bearer = cj->bearer;
	runtime_request_init(&rq);
	rq.model_id = cj->model_id;
	rq.messages = cj->msgs;
	rq.nmessages = cj->nmsgs;
	rq.max_tokens = CHAT_MAX_TOKENS;
	err_clear(&cj->e);
	cj->rc = runtime_converse_stream(&rc, &rq, on_text, cj, &cj->reply,
	    &cj->e);
	if (cj->rc != 0 && cj->e.kind != ERR_CANCELLED) {
		memset(&ctx, 0, sizeof ctx);
		ctx.op = DIAGNOSE_OP_CONVERSE_STREAM;
		ctx.region = cj->region;
		ctx.model_id = cj->model_id;
		ctx.profile_id = cj->profile_id;
		ctx.identity_arn = cj->identity_arn;
		ctx.account = cj->account;
		ctx.aws_profile = cj->aws_profile;
		ctx.bearer = cj->bearer != NULL;
		if (http_client_clock_offset(http, &off)) {
			ctx.clock_known = 1;
			ctx.clock_offset = -off;
		}
		diagnose_err(&cj->e, &ctx, &cj->diag);
	}
	http_client_free(http);
}

static void
chat_job_free(struct chat_job *cj)
{
	size_t	 i;

	creds_free(cj->creds);
	secret_free(cj->bearer);
	free(cj->region);
	free(cj->model_id);
	free(cj->profile_id);
	free(cj->identity_arn);
	free(cj->account);
	free(cj->aws_profile);
	for (i = 0; i < cj->nmsgs; i++) {
		free((char *)cj->msgs[i].role);
		free((char *)cj->msgs[i].text);
	}
	free(cj->msgs);
	runtime_reply_free(&cj->reply);
	free(cj);
}

static enum wiz_gate
wiz_gate_of(enum diagnose_gate g)
{
	switch (g) {
	case DIAGNOSE_GATE_CREDENTIALS:
		return WG_CREDENTIALS;
	case DIAGNOSE_GATE_REGION:
		return WG_REGION;
	case DIAGNOSE_GATE_MODEL_ACCESS:
		return WG_MODEL_ACCESS;
	case DIAGNOSE_GATE_TERMS:
		return WG_TERMS;
	case DIAGNOSE_GATE_IAM:
		return WG_IAM;
	default:
		return WG_COUNT;
	}
}

/* Show a diagnosis in the transcript: the gate, why, and the fix. */
static void
show_diagnosis(struct wiz_chat *c, const struct diagnose_result *d,
    int utf8)
{
	char		 line[DIAGNOSE_CAUSE_MAX + 128];
	const char	*p, *nl;

	wtext_add(&c->transcript, "", A_NORMAL);
	/* L10N: a failed call in the chat: the gate's name, then why. */
	snprintf(line, sizeof line, _("%s Gate failed: %s. %s"),
	    utf8 ? "\xe2\x9c\x97" : "x", _(diagnose_gate_name(d->gate)),
	    d->cause);
	wtext_add(&c->transcript, line, theme_attr(TH_FAIL));
	wtext_add(&c->transcript, _("How to fix it:"), theme_attr(TH_ACCENT));
	for (p = d->fix; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		snprintf(line, sizeof line, "  - %.*s", (int)(nl != NULL ?
		    nl - p : (long)strlen(p)), p);
		wtext_add(&c->transcript, line, A_NORMAL);
		if (nl == NULL)
			break;
	}
	if (d->retry)
		wtext_add(&c->transcript, _("Trying again later may work: "
		    "press Enter to resend."), theme_attr(TH_DIM));
}

/* On the main thread, once the reply has ended one way or another. */
static void
chat_done(struct wizard *w, void *arg)
{
	struct chat_job		*cj = arg;
	struct wiz_chat		*c = w->chat;
	struct wiz_turn		*last;
	enum wiz_gate		 g;
	size_t			 i;
	char			 line[256];

	c->job = NULL;
	c->cancelling = 0;
	last = c->nturns > 0 ? &c->turns[c->nturns - 1] : NULL;
	if (cj->rc == 0) {
		c->have_stats = 1;
		c->first_ms = cj->reply.first_text_ms;
		c->total_ms = cj->reply.total_ms;
		c->in_tokens = cj->reply.input_tokens;
		c->out_tokens = cj->reply.output_tokens;
		snprintf(c->stats_model, sizeof c->stats_model, "%s",
		    cj->model_id);
		w->chat_ok = 1;
		w->chat_first_ms = cj->reply.first_text_ms;
		w->chat_total_ms = cj->reply.total_ms;
		for (i = 0; i < WG_COUNT; i++)
			w->gates[i] = WGS_PASS;
		if (w->chat_model < w->nchoices)
			w->choices[w->chat_model].access = ACCESS_GRANTED;
		wtext_add(&c->transcript, "", A_NORMAL);
	} else if (cj->e.kind == ERR_CANCELLED) {
		wtext_add(&c->transcript, "", A_NORMAL);
		wtext_add(&c->transcript, _("(reply stopped)"),
		    theme_attr(TH_DIM));
		/* Keep what came, so the conversation stays valid. */
		if (last != NULL && strcmp(last->role, "assistant") == 0 &&
		    last->text[0] == '\0') {
			drop_last_turn(c);
			drop_last_turn(c);
		}
	} else {
		if (last != NULL && strcmp(last->role, "assistant") == 0) {
			drop_last_turn(c);	/* the partial reply */
			if (c->nturns > 0) {
				/* Offer the question again. */
				if (c->input.len == 0)
					winput_set(&c->input,
					    c->turns[c->nturns - 1].text);
				drop_last_turn(c);
			}
		}
		show_diagnosis(c, &cj->diag, w->utf8);
		if ((g = wiz_gate_of(cj->diag.gate)) != WG_COUNT)
			w->gates[g] = cj->diag.could_not_check ? WGS_WARN :
			    WGS_FAIL;
		if (w->chat_model < w->nchoices && cj->diag.gate ==
		    DIAGNOSE_GATE_IAM)
			w->choices[w->chat_model].access = ACCESS_DENIED;
		snprintf(line, sizeof line, "%s", _("the call failed: see "
		    "the diagnosis"));
		wizard_status(w, "%s", line);
	}
	chat_job_free(cj);
}

static void
send_prompt(struct wizard *w, struct wiz_chat *c)
{
	struct chat_job		*cj;
	const struct wiz_choice	*ch;
	struct endpoint		 ep;
	struct err		 e;
	size_t			 i;
	char			 line[512];

	if (c->input.len == 0 || c->job != NULL)
		return;
	if (w->session == NULL || w->report == NULL ||
	    (w->report->creds == NULL && w->report->bearer == NULL)) {
		wizard_status(w, "%s", _("no working credentials: go back to "
		    "step 1"));
		return;
	}
	if (w->chat_model >= w->nchoices || w->region == NULL) {
		wizard_status(w, "%s", _("choose a model first (Esc goes "
		    "back)"));
		return;
	}
	ch = &w->choices[w->chat_model];
	err_clear(&e);
	if (session_endpoint(w->session, EP_BEDROCK_RUNTIME, w->region, &ep,
	    &e) != 0) {
		wizard_status(w, "%s", e.message);
		return;
	}
	/* L10N: the user's line in the chat transcript. */
	snprintf(line, sizeof line, _("You: %s"), c->input.text);
	if (c->transcript.n > 0)
		wtext_add(&c->transcript, "", A_NORMAL);
	wtext_add(&c->transcript, line, theme_attr(TH_ACCENT));
	add_turn(c, "user", c->input.text, w->chat_model);
	add_turn(c, "assistant", "", w->chat_model);
	/* L10N: names who answers in the chat transcript. */
	snprintf(line, sizeof line, _("%s:"), ch->name[0] != '\0' ?
	    ch->name : ch->how.invoke_id);
	wtext_add(&c->transcript, line, theme_attr(TH_DIM));
	wtext_add(&c->transcript, "", A_NORMAL);
	c->transcript.follow = 1;
	winput_set(&c->input, "");

	cj = xcalloc(1, sizeof *cj);
	cj->s = w->session;
	cj->creds = w->report->creds != NULL ?
	    creds_dup(w->report->creds) : NULL;
	cj->bearer = w->report->bearer != NULL ?
	    secret_dup(w->report->bearer) : NULL;
	cj->ep = ep;
	cj->region = xstrdup(w->region);
	cj->model_id = xstrdup(ch->how.invoke_id);
	cj->profile_id = ch->how.profile_id != NULL ?
	    xstrdup(ch->how.profile_id) : NULL;
	cj->identity_arn = w->identity_ok ? xstrdup(w->arn) : NULL;
	cj->account = w->identity_ok ? xstrdup(w->account) : NULL;
	cj->aws_profile = w->session->cfg->profile != NULL ?
	    xstrdup(w->session->cfg->profile) : NULL;
	/* Every turn but the empty reply being asked for. */
	cj->nmsgs = c->nturns - 1;
	cj->msgs = xcalloc(cj->nmsgs + 1, sizeof *cj->msgs);
	for (i = 0; i < cj->nmsgs; i++) {
		cj->msgs[i].role = xstrdup(c->turns[i].role);
		cj->msgs[i].text = xstrdup(c->turns[i].text);
	}
	c->have_stats = 0;
	w->status[0] = '\0';
	if ((c->job = job_start(chat_work, cj, chat_done)) == NULL) {
		drop_last_turn(c);
		drop_last_turn(c);
		chat_job_free(cj);
		wizard_status(w, "%s", _("could not start the call"));
	}
}

/* F3: the last question (or the input) as a CLI command and boto3 code. */
static void
build_code(struct wizard *w, struct wiz_chat *c)
{
	struct runtime_request	 rq;
	struct runtime_message	 m;
	char			*cli, *py;
	const char		*profile = w->session != NULL ?
	    w->session->cfg->profile : NULL;
	size_t			 i;

	wtext_clear(&c->codeview);
	c->codeview.follow = 0;
	if (w->chat_model >= w->nchoices)
		return;
	m.role = "user";
	m.text = c->input.len > 0 ? c->input.text : _(FIRST_PROMPT);
	for (i = c->nturns; i > 0; i--)
		if (strcmp(c->turns[i - 1].role, "user") == 0 &&
		    c->input.len == 0) {
			m.text = c->turns[i - 1].text;
			break;
		}
	runtime_request_init(&rq);
	rq.model_id = w->choices[w->chat_model].how.invoke_id;
	rq.messages = &m;
	rq.nmessages = 1;
	rq.max_tokens = CHAT_MAX_TOKENS;
	cli = runtime_cli_command(&rq, w->region, profile);
	py = runtime_boto3_snippet(&rq, w->region, profile);
	wtext_add(&c->codeview, _("The same request with the AWS CLI:"),
	    theme_attr(TH_ACCENT));
	wtext_add(&c->codeview, cli, A_NORMAL);
	wtext_add(&c->codeview, "", A_NORMAL);
	wtext_add(&c->codeview, _("And with boto3 (Python):"),
	    theme_attr(TH_ACCENT));
	wtext_add(&c->codeview, py, A_NORMAL);
	free(cli);
	free(py);
}

static int
chat_enter(struct wizard *w, void **statep)
{
	struct wiz_chat	*c = chat_of(w);

	*statep = c;
	if (w->chat_model >= w->nchoices)
		w->chat_model = 0;
	return 0;
}

static void
chat_leave(struct wizard *w, void *state)
{
	(void)w;
	(void)state;		/* the conversation stays in the wizard */
}

static int
chat_key(struct wizard *w, void *state, int key)
{
	struct wiz_chat	*c = state;

	if (c->code) {
		if (key == KEY_F(3) || key == 27 || key == 'q') {
			c->code = 0;
			return SCR_HANDLED | SCR_REDRAW;
		}
		if (key == KEY_F(10))
			return SCR_HANDLED | SCR_QUIT;
		wtext_key(&c->codeview, key);
		return SCR_HANDLED | SCR_REDRAW;
	}
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (c->job != NULL)
			return SCR_HANDLED;
		if (c->input.len == 0)
			return w->chat_ok ? SCR_HANDLED | SCR_NEXT :
			    SCR_HANDLED;
		send_prompt(w, c);
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_CTRL_C:
		if (c->job != NULL) {
			job_cancel(c->job);
			c->cancelling = 1;
		}
		return SCR_HANDLED | SCR_REDRAW;
	case 27:
		if (c->job != NULL) {
			job_cancel(c->job);
			c->cancelling = 1;
			return SCR_HANDLED | SCR_REDRAW;
		}
		return SCR_HANDLED | SCR_BACK;
	case KEY_F(2):
		if (c->job == NULL && w->nchoices > 0) {
			w->chat_model = (w->chat_model + 1) % w->nchoices;
			wizard_status(w, _("now talking to %s"),
			    w->choices[w->chat_model].how.invoke_id);
		}
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_F(3):
		build_code(w, c);
		c->code = 1;
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_F(10):
		return SCR_HANDLED | SCR_QUIT;
	case 4:			/* Ctrl-D on an empty line, as in a shell */
		if (c->input.len == 0 && c->job == NULL)
			return SCR_HANDLED | SCR_QUIT;
		return SCR_HANDLED;
	case KEY_PPAGE:
	case KEY_NPAGE:
	case KEY_UP:
	case KEY_DOWN:
		return wtext_key(&c->transcript, key);
	default:
		/* Keys the line does not take (F1...) go to the wizard. */
		return winput_key(&c->input, key);
	}
}

static int
chat_tick(struct wizard *w, void *state)
{
	struct wiz_chat	*c = state;

	(void)w;
	return c->job != NULL ? SCR_REDRAW : 0;
}

static void
draw_footer(const struct wizard *w, const struct wiz_chat *c, WINDOW *win,
    int y, int x, int width)
{
	char		 line[512], first[32], in[32], out[32];
	const char	*model = w->chat_model < w->nchoices ?
	    w->choices[w->chat_model].how.invoke_id : "-";

	/* The model and Region sit in the rule above the figures. */
	/* L10N: in the rule above the chat footer: model id, Region. */
	snprintf(line, sizeof line, _(" %s in %s "), c->have_stats &&
	    c->job == NULL ? c->stats_model : model, w->region != NULL ?
	    w->region : "?");
	draw_clipped(win, y - 1, x + 2, width - 4, line, theme_attr(TH_ACCENT));
	if (c->job != NULL) {
		snprintf(line, sizeof line, "%s %s", wizard_spinner(w),
		    c->cancelling ? _("stopping...") : _("answering..."));
		draw_clipped(win, y, x, width, line, theme_attr(TH_DIM));
		return;
	}
	if (!c->have_stats) {
		draw_clipped(win, y, x, width, _("Enter sends; F2 switches "
		    "model; F3 shows the same call as code."),
		    theme_attr(TH_DIM));
		return;
	}
	snprintf(first, sizeof first, "%.0f ms", c->first_ms);
	snprintf(in, sizeof in, "%ld", c->in_tokens);
	snprintf(out, sizeof out, "%ld", c->out_tokens);
	/* L10N: the chat footer: time to first token, total time, input
	   and output tokens. */
	snprintf(line, sizeof line, _("first token %s | total %.0f ms | "
	    "tokens in %s, out %s"), c->first_ms >= 0 ? first : "-",
	    c->total_ms, c->in_tokens >= 0 ? in : "-",
	    c->out_tokens >= 0 ? out : "-");
	draw_clipped(win, y, x, width, line, theme_attr(TH_OK));
}

static void
chat_draw(const struct wizard *w, const void *state, WINDOW *win)
{
	struct wiz_chat	*c = (struct wiz_chat *)state;
	int		 rows, cols, x = 2, y = 1, h;
	const char	*p = "> ";

	getmaxyx(win, rows, cols);
	if (w->nchoices == 0) {
		draw_wrapped(win, y, x, cols - 2 * x, rows, _("No model is "
		    "chosen: press Esc to go back to the models."),
		    theme_attr(TH_WARN));
		return;
	}
	h = rows - y - 4;
	if (c->code) {
		draw_clipped(win, y - 1 + 1, x, cols - 2 * x, _("F3 or Esc "
		    "returns to the chat."), theme_attr(TH_DIM));
		wtext_draw(&c->codeview, win, y + 1, x, h - 1, cols - 2 * x);
		return;
	}
	if (c->transcript.n == 0)
		draw_wrapped(win, y, x, cols - 2 * x, rows, _("Press Enter to "
		    "send the first message. The reply streams in here as it "
		    "is written."), theme_attr(TH_DIM));
	else
		wtext_draw(&c->transcript, win, y, x, h, cols - 2 * x);
	draw_hrule(win, rows - 3, x, cols - 2 * x, w->utf8);
	draw_footer(w, c, win, rows - 2, x, cols - 2 * x);
	draw_clipped(win, rows - 1, x, 2, p, theme_attr(TH_ACCENT));
	winput_draw(&c->input, win, rows - 1, x + 2, cols - 2 * x - 2,
	    c->job == NULL, A_NORMAL);
}

const struct screen_ops screen_chat = {
	N_("First call"),
	6,
	chat_enter,
	chat_leave,
	chat_key,
	chat_draw,
	chat_tick,
	hints,
	1,
	chat_hints_now
};
