/*
 * s_access.c: step 4, access.  For each chosen model that is not ready,
 * the concrete next step: accept its agreement offer (after showing the
 * terms URL and the prices), fill Anthropic's use-case form, wait for a
 * pending subscription, or what the organization's admin must do.
 * Nothing that commits the account (CreateFoundationModelAgreement,
 * PutUseCaseForModelAccess) happens without an explicit y.
 *
 * Its state lives in the wizard (struct wiz_acc): calls run on workers
 * and their answers may arrive after the screen was left.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "bedrock.h"
#include "catalog.h"
#include "creds.h"
#include "diagnose.h"
#include "endpoint.h"
#include "err.h"
#include "gettext.h"
#include "http.h"
#include "secret.h"
#include "session.h"
#include "tui/draw.h"
#include "tui/job.h"
#include "tui/screen.h"
#include "tui/theme.h"
#include "tui/w_input.h"
#include "tui/w_list.h"
#include "xalloc.h"

/* What the screen is doing. */
enum acc_mode {
	AM_LIST,		/* the chosen models and their next step */
	AM_OFFER,		/* an offer shown; y accepts */
	AM_FORM,		/* the use-case form being filled */
	AM_FORM_CONFIRM		/* the form filled; y submits */
};

/* The fields of the use-case form, in order. */
enum { F_COMPANY, F_WEBSITE, F_USERS, F_INDUSTRY, F_OTHER, F_USES,
	F_COUNT };

struct wiz_acc {
	enum acc_mode		 mode;
	struct job		*job;		/* a call running, or NULL */
	char			 busy[128];	/* what it is doing */
	char			 message[DIAGNOSE_CAUSE_MAX +
				    DIAGNOSE_FIX_MAX + 2]; /* last outcome */
	int			 message_bad;
	/* AM_OFFER: the offer of one model. */
	size_t			 offer_for;	/* index in choices */
	char			*offer_model;
	struct bedrock_offer_list offers;
	int			 have_offers;
	/* AM_FORM */
	struct winput		 field[F_COUNT];
	int			 users;		/* 0, 1, 2 */
	int			 at;		/* field with the cursor */
};

struct astate {
	struct wlist		 list;
	const struct wizard	*w;
};

/* One call on a worker. */
enum acc_call { AC_RECHECK, AC_OFFERS, AC_AGREE, AC_FORM };

struct acc_job {
	enum acc_call		 call;
	struct session		*s;
	const struct catalog	*cat;
	struct creds		*creds;
	struct secret		*bearer;
	char			*region;
	char			**ids;		/* bare model ids */
	size_t			 n;
	char			*offer_token;
	struct bedrock_use_case	 form;
	/* Results. */
	int			 rc;
	struct err		 e;
	struct access_info	*info;
	struct bedrock_offer_list offers;
	struct diagnose_result	 diag;
};

static const struct keyhint hints[] = {
	{ "Enter", N_("continue"), 0 },
	{ "a", N_("accept terms"), 0 },
	{ "f", N_("use-case form"), 0 },
	{ "r", N_("check again"), 0 },
	{ "Esc", N_("back"), 0 },
	{ NULL, NULL, 0 }
};

static const struct keyhint form_hints[] = {
	{ "Tab", N_("next field"), 0 },
	{ "S-Tab", N_("previous field"), 0 },
	{ "Enter", N_("next field; review on the last"), 0 },
	{ "Space", N_("change the intended users"), 0 },
	{ "Esc", N_("cancel the form"), 0 },
	{ NULL, NULL, 0 }
};

static const struct keyhint ask_hints[] = {
	{ "y", N_("yes, send it"), 0 },
	/* L10N: a key hint: any key other than y (at most 10 columns). */
	{ N_("any key"), N_("no: nothing is sent"), 0 },
	{ NULL, NULL, 0 }
};

static const char *const field_labels[F_COUNT] = {
	N_("Company name"), N_("Company website"), N_("Intended users"),
	N_("Industry"), N_("Other industry (optional)"), N_("Use cases"),
};

static const char *const users_labels[3] = {
	N_("internal (your employees)"), N_("external (your customers)"),
	N_("internal and external"),
};

static struct wiz_acc *
acc_of(struct wizard *w)
{
	size_t	 i;

	if (w->acc == NULL) {
		w->acc = xcalloc(1, sizeof *w->acc);
		for (i = 0; i < F_COUNT; i++)
			winput_init(&w->acc->field[i], i == F_USES ? 8192 :
			    128);
	}
	return w->acc;
}

void
acc_state_free(struct wiz_acc *a)
{
	if (a == NULL)
		return;
	free(a->offer_model);
	if (a->have_offers)
		bedrock_offer_list_free(&a->offers);
	free(a);
}

static void
acc_say(struct wiz_acc *a, int bad, const char *text)
{
	snprintf(a->message, sizeof a->message, "%s", text);
	a->message_bad = bad;
}

static void
acc_work(struct job *job, void *arg)
{
	struct acc_job		*aj = arg;
	struct http_client	*http = session_http_new(aj->s, job_cancelled_cb,
	    job);
	struct bedrock_ctx	 bc;
	struct endpoint		 ep;
	struct diagnose_ctx	 ctx;
	enum diagnose_op	 op = DIAGNOSE_OP_UNKNOWN;

	err_clear(&aj->e);
	if ((aj->rc = endpoint_resolve(EP_BEDROCK, aj->region, &aj->s->eps,
	    &ep, &aj->e)) != 0)
		goto out;
	memset(&bc, 0, sizeof bc);
	bc.http = http;
	bc.ep = &ep;
	bc.creds = aj->creds;
	bc.bearer = aj->bearer;
	bc.region = aj->region;
	switch (aj->call) {
	case AC_RECHECK:
		aj->info = xcalloc(aj->n + 1, sizeof *aj->info);
		access_check_many(&bc, aj->cat, (const char *const *)aj->ids,
		    NULL, aj->n, aj->info);
		aj->rc = 0;
		break;
	case AC_OFFERS:
		op = DIAGNOSE_OP_AGREEMENT_LIST;
		aj->rc = bedrock_list_agreement_offers(&bc, aj->ids[0], 0,
		    &aj->offers, &aj->e);
		break;
	case AC_AGREE:
		op = DIAGNOSE_OP_AGREEMENT_CREATE;
		aj->rc = bedrock_create_agreement(&bc, aj->ids[0],
		    aj->offer_token, &aj->e);
		break;
	case AC_FORM:
		op = DIAGNOSE_OP_USE_CASE_PUT;
		aj->rc = bedrock_put_use_case(&bc, &aj->form, &aj->e);
		break;
	}
out:
	if (aj->rc != 0) {
		memset(&ctx, 0, sizeof ctx);
		ctx.op = op;
		ctx.region = aj->region;
		ctx.model_id = aj->n > 0 ? aj->ids[0] : NULL;
		diagnose_err(&aj->e, &ctx, &aj->diag);
	}
	http_client_free(http);
}

static void
acc_job_free(struct acc_job *aj)
{
	size_t	 i;

	creds_free(aj->creds);
	secret_free(aj->bearer);
	free(aj->region);
	for (i = 0; i < aj->n; i++)
		free(aj->ids[i]);
	free(aj->ids);
	free(aj->offer_token);
	free(aj->info);
	bedrock_offer_list_free(&aj->offers);
	bedrock_use_case_free(&aj->form);
	free(aj);
}

static void start_call(struct wizard *, enum acc_call, size_t choice);

static void
acc_done(struct wizard *w, void *arg)
{
	struct acc_job	*aj = arg;
	struct wiz_acc	*a = w->acc;
	size_t		 i, j;
	char		 line[DIAGNOSE_CAUSE_MAX + DIAGNOSE_FIX_MAX + 2];

	a->job = NULL;
	a->busy[0] = '\0';
	w->committing = 0;
	if (aj->rc != 0) {
		snprintf(line, sizeof line, "%s %s", aj->diag.cause,
		    aj->diag.fix[0] != '\0' ? aj->diag.fix : "");
		for (i = 0; line[i] != '\0'; i++)
			if (line[i] == '\n')
				line[i] = ' ';
		acc_say(a, 1, line);
		if (aj->call == AC_OFFERS || aj->call == AC_AGREE)
			a->mode = AM_LIST;
		else if (aj->call == AC_FORM)
			a->mode = AM_FORM;
		acc_job_free(aj);
		return;
	}
	switch (aj->call) {
	case AC_RECHECK:
		for (i = 0; i < aj->n; i++)
			for (j = 0; j < w->nchoices; j++) {
				struct wiz_choice *c = &w->choices[j];

				if (c->how.model_id == NULL ||
				    strcmp(c->how.model_id, aj->info[i].
				    model_id) != 0)
					continue;
				c->access = aj->info[i].state;
				snprintf(c->access_detail,
				    sizeof c->access_detail, "%s",
				    aj->info[i].detail);
			}
		wizard_access_gates(w);
		break;
	case AC_OFFERS:
		if (a->have_offers)
			bedrock_offer_list_free(&a->offers);
		a->offers = aj->offers;
		memset(&aj->offers, 0, sizeof aj->offers);
		a->have_offers = 1;
		if (a->offers.n == 0) {
			acc_say(a, 1, _("AWS lists no public offer for this "
			    "model: its first call accepts the terms."));
			a->mode = AM_LIST;
		} else
			a->mode = AM_OFFER;
		break;
	case AC_AGREE:
		acc_say(a, 0, _("Offer accepted. AWS now sets up the "
		    "agreement (up to 15 minutes); checking again..."));
		a->mode = AM_LIST;
		start_call(w, AC_RECHECK, 0);
		break;
	case AC_FORM:
		acc_say(a, 0, _("Use-case form submitted. Checking the "
		    "models again..."));
		a->mode = AM_LIST;
		start_call(w, AC_RECHECK, 0);
		break;
	}
	acc_job_free(aj);
}

static void
start_call(struct wizard *w, enum acc_call call, size_t choice)
{
	struct wiz_acc	*a = acc_of(w);
	struct acc_job	*aj;
	size_t		 i;

	if (a->job != NULL || w->session == NULL || w->region == NULL ||
	    w->report == NULL)
		return;
	aj = xcalloc(1, sizeof *aj);
	aj->call = call;
	aj->s = w->session;
	aj->cat = w->cat;
	aj->creds = w->report->creds != NULL ?
	    creds_dup(w->report->creds) : NULL;
	aj->bearer = w->report->bearer != NULL ?
	    secret_dup(w->report->bearer) : NULL;
	aj->region = xstrdup(w->region);
	aj->ids = xcalloc(w->nchoices + 1, sizeof *aj->ids);
	if (call == AC_RECHECK) {
		for (i = 0; i < w->nchoices; i++)
			if (w->choices[i].how.model_id != NULL)
				aj->ids[aj->n++] =
				    xstrdup(w->choices[i].how.model_id);
		snprintf(a->busy, sizeof a->busy, "%s",
		    _("Checking access again..."));
	} else if (choice < w->nchoices &&
	    w->choices[choice].how.model_id != NULL)
		aj->ids[aj->n++] = xstrdup(w->choices[choice].how.model_id);
	switch (call) {
	case AC_OFFERS:
		snprintf(a->busy, sizeof a->busy, "%s",
		    _("Reading the model's offers..."));
		break;
	case AC_AGREE:
		aj->offer_token = xstrdup(a->offers.v[0].offer_token != NULL ?
		    a->offers.v[0].offer_token : "");
		snprintf(a->busy, sizeof a->busy, "%s",
		    _("Accepting the offer..."));
		break;
	case AC_FORM:
		/* Copies: the fields may be edited while the call runs. */
		aj->form.company_name = xstrdup(a->field[F_COMPANY].text);
		aj->form.company_website = xstrdup(a->field[F_WEBSITE].text);
		aj->form.intended_users = xstrdup(a->users == 0 ? "0" :
		    a->users == 1 ? "1" : "2");
		aj->form.industry_option = xstrdup(a->field[F_INDUSTRY].text);
		aj->form.other_industry_option = a->field[F_OTHER].len > 0 ?
		    xstrdup(a->field[F_OTHER].text) : NULL;
		aj->form.use_cases = xstrdup(a->field[F_USES].text);
		snprintf(a->busy, sizeof a->busy, "%s",
		    _("Submitting the use-case form..."));
		break;
	default:
		break;
	}
	a->message[0] = '\0';
	w->committing = call == AC_AGREE || call == AC_FORM;
	if ((a->job = job_start(acc_work, aj, acc_done)) == NULL) {
		w->committing = 0;
		a->busy[0] = '\0';
		acc_say(a, 1, _("could not start the call"));
		acc_job_free(aj);
	}
}

static int
is_ready(const struct wiz_choice *c)
{
	return c->access == ACCESS_GRANTED;
}

static const char *
next_step(const struct wiz_choice *c)
{
	switch (c->access) {
	case ACCESS_GRANTED:
		return _("ready");
	case ACCESS_PENDING:
		return _("pending: AWS is processing the agreement; r checks "
		    "again");
	case ACCESS_NEEDS_FORM:
		return _("press f: Anthropic's one-time use-case form");
	case ACCESS_NEEDS_AGREEMENT:
		return _("press a: read and accept the agreement offer");
	case ACCESS_NEEDS_SUBSCRIPTION:
		return _("an admin must allow the Marketplace subscription");
	case ACCESS_NOT_IN_REGION:
		return _("not offered here: choose another Region");
	case ACCESS_DENIED:
		return _("IAM refuses it: see the policy step");
	default:
		return _("not known: r checks again");
	}
}

static void
choice_row(const void *ctx, size_t i, int width, char *buf, size_t size,
    attr_t *attr)
{
	const struct astate	*as = ctx;
	const struct wiz_choice	*c = &as->w->choices[i];
	int			 nw = width - 20;

	snprintf(buf, size, "%s %-*.*s %s", is_ready(c) ?
	    (as->w->utf8 ? "\xe2\x9c\x93" : "+") : "!", nw, nw,
	    c->how.invoke_id, wizard_access_word(c->access));
	*attr = is_ready(c) ? theme_attr(TH_OK) : theme_attr(TH_WARN);
}

static int
acc_enter(struct wizard *w, void **statep)
{
	struct astate	*as = xcalloc(1, sizeof *as);
	struct wiz_acc	*a = acc_of(w);
	size_t		 i, first = WLIST_NONE;

	as->w = w;
	as->list.ctx = as;
	as->list.format = choice_row;
	wlist_init(&as->list, w->nchoices);
	for (i = 0; i < w->nchoices && first == WLIST_NONE; i++)
		if (!is_ready(&w->choices[i]))
			first = i;
	if (first != WLIST_NONE)
		wlist_select_row(&as->list, first);
	a->mode = AM_LIST;
	/* Access still unknown (the check had not ended): ask now. */
	for (i = 0; i < w->nchoices; i++)
		if (w->choices[i].access == ACCESS_UNKNOWN) {
			start_call(w, AC_RECHECK, 0);
			break;
		}
	wizard_access_gates(w);
	*statep = as;
	return 0;
}

static void
acc_leave(struct wizard *w, void *state)
{
	struct astate	*as = state;

	(void)w;
	wlist_free(&as->list);
	free(as);
}

static void
form_validate_and_confirm(struct wizard *w, struct wiz_acc *a)
{
	struct bedrock_use_case	 uc;
	struct err		 e;
	char			 line[512];

	(void)w;
	memset(&uc, 0, sizeof uc);
	uc.company_name = a->field[F_COMPANY].text;
	uc.company_website = a->field[F_WEBSITE].text;
	uc.intended_users = (char *)(a->users == 0 ? "0" : a->users == 1 ?
	    "1" : "2");
	uc.industry_option = a->field[F_INDUSTRY].text;
	uc.other_industry_option = a->field[F_OTHER].len > 0 ?
	    a->field[F_OTHER].text : NULL;
	uc.use_cases = a->field[F_USES].text;
	err_clear(&e);
	if (bedrock_use_case_validate(&uc, &e) != 0) {
		/* L10N: the form is incomplete: the reason, then the key. */
		snprintf(line, sizeof line, _("The form is not complete: %s "
		    "(%s)."), e.message, e.where);
		acc_say(a, 1, line);
		return;
	}
	a->message[0] = '\0';
	a->mode = AM_FORM_CONFIRM;
}

static int
form_key(struct wizard *w, struct wiz_acc *a, int key)
{
	switch (key) {
	case 27:
		a->mode = AM_LIST;
		return SCR_HANDLED | SCR_REDRAW;
	case '\t':
	case KEY_DOWN:
		a->at = (a->at + 1) % F_COUNT;
		return SCR_HANDLED | SCR_REDRAW;
	case KEY_BTAB:
	case KEY_UP:
		a->at = (a->at + F_COUNT - 1) % F_COUNT;
		return SCR_HANDLED | SCR_REDRAW;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (a->at < F_COUNT - 1) {
			a->at++;
			return SCR_HANDLED | SCR_REDRAW;
		}
		form_validate_and_confirm(w, a);
		return SCR_HANDLED | SCR_REDRAW;
	default:
		break;
	}
	if (a->at == F_USERS) {
		if (key == ' ' || key == KEY_RIGHT)
			a->users = (a->users + 1) % 3;
		else if (key == KEY_LEFT)
			a->users = (a->users + 2) % 3;
		return SCR_HANDLED | SCR_REDRAW;
	}
	winput_key(&a->field[a->at], key);
	return SCR_HANDLED | SCR_REDRAW;
}

static int
acc_key(struct wizard *w, void *state, int key)
{
	struct astate	*as = state;
	struct wiz_acc	*a = w->acc;
	size_t		 cur = wlist_current(&as->list);

	switch (a->mode) {
	case AM_FORM:
		return form_key(w, a, key);
	case AM_FORM_CONFIRM:
		if (key == 'y' || key == 'Y')
			start_call(w, AC_FORM, cur);
		else {
			a->mode = AM_FORM;
			acc_say(a, 0, _("Not submitted."));
		}
		return SCR_HANDLED | SCR_REDRAW;
	case AM_OFFER:
		if (key == 'y' || key == 'Y')
			start_call(w, AC_AGREE, a->offer_for);
		else {
			a->mode = AM_LIST;
			acc_say(a, 0, _("Not accepted: nothing was changed."));
		}
		return SCR_HANDLED | SCR_REDRAW;
	default:
		break;
	}
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		return SCR_HANDLED | SCR_NEXT;
	case 'r':
		start_call(w, AC_RECHECK, 0);
		return SCR_HANDLED | SCR_REDRAW;
	case 'a':
		if (cur == WLIST_NONE || a->job != NULL)
			return SCR_HANDLED;
		a->offer_for = cur;
		start_call(w, AC_OFFERS, cur);
		return SCR_HANDLED | SCR_REDRAW;
	case 'f':
		if (a->job != NULL)
			return SCR_HANDLED;
		a->mode = AM_FORM;
		a->at = 0;
		a->message[0] = '\0';
		return SCR_HANDLED | SCR_REDRAW;
	default:
		return wlist_key(&as->list, key);
	}
}

static const struct keyhint *
acc_hints_now(const struct wizard *w, const void *state)
{
	(void)state;
	if (w->acc == NULL)
		return NULL;
	switch (w->acc->mode) {
	case AM_FORM:
		return form_hints;
	case AM_FORM_CONFIRM:
	case AM_OFFER:
		return ask_hints;
	default:
		return NULL;
	}
}

static int
acc_tick(struct wizard *w, void *state)
{
	(void)state;
	return w->acc != NULL && w->acc->job != NULL ? SCR_REDRAW : 0;
}

static void
draw_offer(const struct wizard *w, const struct wiz_acc *a, WINDOW *win,
    int y, int x, int width, int maxy)
{
	const struct bedrock_offer	*o = &a->offers.v[0];
	char				 line[1200];
	size_t				 i;

	snprintf(line, sizeof line, _("The agreement offer for %s:"),
	    a->offers.model_id != NULL ? a->offers.model_id : "?");
	draw_clipped(win, y++, x, width, line, theme_attr(TH_ACCENT));
	snprintf(line, sizeof line, _("Terms (EULA): %s"), o->legal_url !=
	    NULL ? o->legal_url : _("not given"));
	y += draw_wrapped(win, y, x + 1, width - 1, maxy, line, A_NORMAL);
	draw_clipped(win, y++, x + 1, width - 1, _("Prices:"), A_NORMAL);
	for (i = 0; i < o->nrates && y < maxy - 4; i++) {
		snprintf(line, sizeof line, "  %s: %s %s%s%s", o->rates[i].
		    dimension != NULL ? o->rates[i].dimension : "?",
		    o->rates[i].price != NULL ? o->rates[i].price : "?",
		    o->rates[i].unit != NULL ? o->rates[i].unit : "",
		    o->rates[i].description != NULL ? " - " : "",
		    o->rates[i].description != NULL ?
		    o->rates[i].description : "");
		y += draw_wrapped(win, y, x + 1, width - 1, maxy, line,
		    A_NORMAL);
	}
	if (o->refund_policy != NULL && y < maxy - 3) {
		snprintf(line, sizeof line, _("Refunds: %s"),
		    o->refund_policy);
		y += draw_wrapped(win, y, x + 1, width - 1, maxy, line,
		    theme_attr(TH_DIM));
	}
	y++;
	/* L10N: asked before CreateFoundationModelAgreement; y/N are keys. */
	snprintf(line, sizeof line, _("Accept this offer for account %s? It "
	    "subscribes the account through AWS Marketplace; calls are then "
	    "billed at the prices above. y accepts, any other key cancels."),
	    w->identity_ok ? w->account : "?");
	draw_wrapped(win, y, x, width, maxy, line, theme_attr(TH_WARN));
}

static void
draw_form(const struct wizard *w, const struct wiz_acc *a, WINDOW *win,
    int y, int x, int width, int maxy)
{
	int	 i, lw = 28;
	char	 line[512];

	/* As many rows as the text takes: translations run longer. */
	y += draw_wrapped(win, y, x, width, maxy, _("Anthropic asks every "
	    "account once what its models are for (a personal site is fine "
	    "for individuals). Tab moves between fields; Enter on the last "
	    "one reviews; Esc cancels."), theme_attr(TH_DIM));
	for (i = 0; i < F_COUNT && y < maxy - 3; i++, y += 2) {
		draw_clipped(win, y, x, lw, _(field_labels[i]), i == a->at ?
		    theme_attr(TH_ACCENT) : A_NORMAL);
		if (i == F_USERS) {
			snprintf(line, sizeof line, "< %s >",
			    _(users_labels[a->users]));
			draw_clipped(win, y, x + lw, width - lw, line,
			    i == a->at ? A_REVERSE : A_NORMAL);
		} else
			winput_draw(&a->field[i], win, y, x + lw, width - lw,
			    i == a->at, A_UNDERLINE);
	}
	if (a->mode == AM_FORM_CONFIRM) {
		/* L10N: asked before PutUseCaseForModelAccess. */
		snprintf(line, sizeof line, _("Submit this form to AWS for "
		    "account %s? It is sent once and counts for every Anthropic "
		    "model in this Region. y submits, any other key returns "
		    "to the form."), w->identity_ok ? w->account : "?");
		draw_wrapped(win, y, x, width, maxy, line,
		    theme_attr(TH_WARN));
	}
}

static void
acc_draw(const struct wizard *w, const void *state, WINDOW *win)
{
	struct astate		*as = (struct astate *)state;
	const struct wiz_acc	*a = w->acc;
	const struct wiz_choice	*c;
	struct diagnose_result	 d;
	struct diagnose_ctx	 ctx;
	struct err		 e;
	const char		*code = NULL;
	size_t			 row, ready = 0, i;
	int			 rows, cols, x = 2, y = 1, width;
	char			 line[1400];

	getmaxyx(win, rows, cols);
	width = cols - 2 * x;
	if (a->mode == AM_FORM || a->mode == AM_FORM_CONFIRM) {
		draw_form(w, a, win, y, x, width, rows - 1);
		goto footer;
	}
	if (a->mode == AM_OFFER && a->have_offers && a->offers.n > 0) {
		draw_offer(w, a, win, y, x, width, rows - 1);
		goto footer;
	}
	for (i = 0; i < w->nchoices; i++)
		ready += is_ready(&w->choices[i]);
	if (w->nchoices == 0)
		snprintf(line, sizeof line, "%s", _("No model is chosen: Esc "
		    "goes back to the models."));
	else if (ready == w->nchoices)
		snprintf(line, sizeof line, ngettext("The chosen model is "
		    "ready to call. Press Enter.", "All %zu chosen models are "
		    "ready to call. Press Enter.", w->nchoices), w->nchoices);
	else
		snprintf(line, sizeof line, _("%zu of %zu chosen models need "
		    "a step before they answer:"), w->nchoices - ready,
		    w->nchoices);
	y += draw_wrapped(win, y, x, width, rows, line, ready == w->nchoices ?
	    theme_attr(TH_OK) : theme_attr(TH_ACCENT));
	y++;
	wlist_draw(&as->list, win, y, x, (int)w->nchoices + 1 < rows / 2 ?
	    (int)w->nchoices + 1 : rows / 2, width, 1);
	y += (int)w->nchoices + 1 < rows / 2 ? (int)w->nchoices + 1 :
	    rows / 2;
	if ((row = wlist_current(&as->list)) == WLIST_NONE)
		goto footer;
	c = &w->choices[row];
	if (!is_ready(c)) {
		/* L10N: above a model's details: what to do next. */
		snprintf(line, sizeof line, _("Next: %s"), next_step(c));
		y += draw_wrapped(win, y, x, width, rows - 1, line,
		    theme_attr(TH_ACCENT));
	}
	if (c->access_detail[0] != '\0')
		y += draw_wrapped(win, y, x, width, rows - 1, c->access_detail,
		    A_NORMAL);
	switch (c->access) {
	case ACCESS_PENDING:
		code = DIAGNOSE_CODE_AGREEMENT_PENDING;
		break;
	case ACCESS_NEEDS_FORM:
		code = DIAGNOSE_CODE_USE_CASE_MISSING;
		break;
	case ACCESS_NEEDS_AGREEMENT:
		code = DIAGNOSE_CODE_AGREEMENT_MISSING;
		break;
	case ACCESS_NEEDS_SUBSCRIPTION:
		code = DIAGNOSE_CODE_NOT_ENTITLED;
		break;
	case ACCESS_NOT_IN_REGION:
		code = DIAGNOSE_CODE_REGION_UNAVAILABLE;
		break;
	case ACCESS_DENIED:
		code = DIAGNOSE_CODE_NOT_AUTHORIZED;
		break;
	default:
		break;
	}
	if (code != NULL && y < rows - 3) {
		err_clear(&e);
		err_set_aws(&e, 0, code, code, NULL);
		memset(&ctx, 0, sizeof ctx);
		ctx.op = DIAGNOSE_OP_AVAILABILITY;
		ctx.region = w->region;
		ctx.model_id = c->how.model_id;
		ctx.account = w->identity_ok ? w->account : NULL;
		ctx.identity_arn = w->identity_ok ? w->arn : NULL;
		diagnose_err(&e, &ctx, &d);
		snprintf(line, sizeof line, "%s: %s",
		    _(diagnose_gate_name(d.gate)), d.cause);
		y += draw_wrapped(win, y, x, width, rows - 1, line,
		    theme_attr(TH_WARN));
		for (const char *p = d.fix, *nl; *p != '\0' && y < rows - 2;
		    p = nl + 1) {
			nl = strchr(p, '\n');
			snprintf(line, sizeof line, "- %.*s", (int)(nl != NULL ?
			    nl - p : (long)strlen(p)), p);
			y += draw_wrapped(win, y, x + 1, width - 1, rows - 1,
			    line, A_NORMAL);
			if (nl == NULL)
				break;
		}
	}
footer:
	if (a->job != NULL) {
		snprintf(line, sizeof line, "%s %s", wizard_spinner(w),
		    a->busy);
		draw_clipped(win, rows - 1, x, width, line, A_NORMAL);
	} else
		draw_wrapped(win, rows - 2, x, width, rows, a->message,
		    a->message_bad ? theme_attr(TH_FAIL) : theme_attr(TH_OK));
}

const struct screen_ops screen_access = {
	N_("Access"),
	4,
	acc_enter,
	acc_leave,
	acc_key,
	acc_draw,
	acc_tick,
	hints,
	0,
	acc_hints_now
};
