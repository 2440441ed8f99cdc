/*
 * s_models.c: step 3, the models.  Every chat model the Region offers,
 * grouped by provider, one row per model id (each tier is its own grant),
 * with its modalities, streaming, how it is called here (on demand or
 * through which inference profile), lifecycle and live access state.
 * Space selects several; a detail pane says what the provider's terms
 * involve.  The Region's recommended low-cost model is preselected.
 *
 * The list (modellist.h, shared with the models command) comes from
 * ListFoundationModels and ListInferenceProfiles when the credentials may
 * call them, else from the built-in catalog (said on screen); the access
 * column fills in as GetFoundationModelAvailability answers arrive.  All
 * of it runs on a worker and lives in the wizard (struct wiz_models), so
 * leaving the screen loses nothing.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "access.h"
#include "bedrock.h"
#include "catalog.h"
#include "creds.h"
#include "demo.h"
#include "diagnose.h"
#include "endpoint.h"
#include "err.h"
#include "gettext.h"
#include "http.h"
#include "modellist.h"
#include "resolve.h"
#include "secret.h"
#include "session.h"
#include "tui/draw.h"
#include "tui/job.h"
#include "tui/screen.h"
#include "tui/theme.h"
#include "tui/w_list.h"
#include "xalloc.h"

enum ml_state { ML_IDLE, ML_LOADING, ML_READY, ML_FAILED };

struct wiz_models {
	char			*region;	/* what the rows are for */
	enum ml_state		 state;
	int			 checking;	/* access being fetched */
	char			 note[512];	/* why the catalog, or "" */
	char			 missing[768];	/* the expected model is not
						   offered here, or "" */
	struct modellist	 list;		/* rows, view, live */
	struct job		*job;
};

/* What the worker found: rows first, then their access. */
struct list_msg {
	struct modellist	 list;
	char			 note[512];
};

struct models_job {
	struct session		*s;
	const struct catalog	*cat;
	struct creds		*creds;
	struct secret		*bearer;
	char			*region;
	char			*account;
	struct job		*job;
};

struct mstate {
	struct wlist		 list;
	unsigned		 list_version;	/* models_version seen */
	const struct wizard	*w;
	char			 search_buf[512];
};

static const struct keyhint hints[] = {
	{ "Space", N_("select"), 0 },
	{ "Enter", N_("use the selected"), 0 },
	{ "/", N_("filter"), 0 },
	{ "r", N_("check again"), 0 },
	{ "Esc", N_("back"), 0 },
	{ NULL, NULL, 0 }
};

void
models_state_free(struct wiz_models *m)
{
	if (m == NULL)
		return;
	modellist_free(&m->list);
	free(m->region);
	free(m);
}

/* A modality in a few letters, so that a row fits 80 columns. */
static const char *
short_modality(const char *m)
{
	static const struct {
		const char	*aws, *shown;
	} names[] = {
		{ "TEXT", "txt" }, { "IMAGE", "img" }, { "VIDEO", "vid" },
		{ "DOCUMENT", "doc" }, { "SPEECH", "aud" },
		{ "AUDIO", "aud" }, { "EMBEDDING", "emb" },
	};
	size_t	 i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(m, names[i].aws) == 0)
			return names[i].shown;
	return m;
}

/*
 * "txt+img+vid": what a model takes in; what comes out follows a '>' only
 * when it is more than text (the list holds chat models).
 */
static void
join_modalities(char *dst, size_t size, const struct modellist_row *r)
{
	size_t	 i, len;

	dst[0] = '\0';
	for (i = 0; i < r->input.n; i++) {
		len = strlen(dst);
		snprintf(dst + len, size - len, "%s%s", i > 0 ? "+" : "",
		    short_modality(r->input.v[i]));
	}
	if (r->output.n == 1 && strcmp(r->output.v[0], "TEXT") == 0)
		return;
	len = strlen(dst);
	snprintf(dst + len, size - len, ">");
	for (i = 0; i < r->output.n; i++) {
		len = strlen(dst);
		snprintf(dst + len, size - len, "%s%s", i > 0 ? "+" : "",
		    short_modality(r->output.v[i]));
	}
}

static void
list_deliver(struct wizard *w, void *data)
{
	struct list_msg		*lm = data;
	struct wiz_models	*m = w->models;

	if (m == NULL || m->region == NULL) {
		modellist_free(&lm->list);
		free(lm);
		return;
	}
	modellist_free(&m->list);
	m->list = lm->list;
	snprintf(m->note, sizeof m->note, "%s", lm->note);
	m->state = ML_READY;
	m->checking = 1;
	free(lm);
	w->models_version++;
}

static void
access_deliver(struct wizard *w, void *data)
{
	struct modellist_access	*am = data;

	if (w->models != NULL)
		modellist_access_apply(&w->models->list, am);
	modellist_access_free(am);
	free(am);
}

/*
 * On the worker: the list, posted to the main thread (which owns it from
 * then on), then the access of its callable rows, asked from copies of
 * their ids and posted after it.
 */
static void
models_work(struct job *job, void *arg)
{
	struct models_job	*mj = arg;
	struct http_client	*http = session_http_new(mj->s, job_cancelled_cb,
	    job);
	struct modellist_opts	 opts;
	struct modellist_access	*am = xcalloc(1, sizeof *am);
	struct list_msg		*lm = xcalloc(1, sizeof *lm);
	struct bedrock_ctx	 bc;
	struct endpoint		 ep;
	struct err		 e;
	int			 ok = 0;

	mj->job = job;
	memset(&opts, 0, sizeof opts);
	opts.account = mj->account;
	opts.flags = MODELLIST_CHAT_ONLY;
	err_clear(&e);
	memset(&bc, 0, sizeof bc);
	if (endpoint_resolve(EP_BEDROCK, mj->region, &mj->s->eps, &ep,
	    &e) == 0) {
		bc.http = http;
		bc.ep = &ep;
		bc.creds = mj->creds;
		bc.bearer = mj->bearer;
		bc.region = mj->region;
		ok = modellist_live(&bc, mj->cat, &opts, &lm->list, &e) == 0;
	}
	if (!ok) {
		/* L10N: why the model list comes from the catalog. */
		char	 why[256];

		/* An AWS code says enough; a message may echo the request. */
		if (e.code[0] != '\0')
			snprintf(why, sizeof why, "%s", e.code);
		else
			diagnose_safe_message(&e, NULL, why, sizeof why);
		snprintf(lm->note, sizeof lm->note, _("From the built-in "
		    "catalog: the live list could not be read (%s)."), why);
		modellist_from_catalog(mj->cat, mj->region, &opts, &lm->list,
		    NULL);
	}
	modellist_access_init(am, &lm->list);
	job_post(job, list_deliver, lm);
	if (am->n > 0 && bc.http != NULL && !job_cancelled(job))
		modellist_access_fetch(&bc, mj->cat, am);
	job_post(job, access_deliver, am);
	http_client_free(http);
}

static void
models_done(struct wizard *w, void *arg)
{
	struct models_job	*mj = arg;

	if (w->models != NULL && w->models->job != NULL) {
		w->models->job = NULL;
		w->models->checking = 0;
		if (w->models->state == ML_LOADING)
			w->models->state = ML_FAILED;
	}
	creds_free(mj->creds);
	secret_free(mj->bearer);
	free(mj->region);
	free(mj->account);
	free(mj);
}

static void
start_load(struct wizard *w)
{
	struct wiz_models	*m;
	struct models_job	*mj;

	if (w->models == NULL)
		w->models = xcalloc(1, sizeof *w->models);
	m = w->models;
	if (m->job != NULL || w->region == NULL || w->session == NULL)
		return;
	free(m->region);
	m->region = xstrdup(w->region);
	m->state = ML_LOADING;
	mj = xcalloc(1, sizeof *mj);
	mj->s = w->session;
	mj->cat = w->cat;
	mj->creds = w->report != NULL && w->report->creds != NULL ?
	    creds_dup(w->report->creds) : NULL;
	mj->bearer = w->report != NULL && w->report->bearer != NULL ?
	    secret_dup(w->report->bearer) : NULL;
	mj->region = xstrdup(w->region);
	mj->account = w->identity_ok ? xstrdup(w->account) : NULL;
	if ((m->job = job_start(models_work, mj, models_done)) == NULL) {
		m->state = ML_FAILED;
		snprintf(m->note, sizeof m->note, "%s", _("could not start "
		    "the look-up"));
		models_done(w, mj);
	}
}

static const char *
access_label(const struct wizard *w, const struct modellist_row *r)
{
	if (!r->access_known)
		return w->models->checking ? wizard_spinner(w) : "?";
	return wizard_access_word(r->access.state);
}

static const char *
call_label(const struct modellist_row *r, char *buf, size_t size)
{
	if (!r->callable)
		return "-";
	switch (r->how.kind) {
	case RESOLVE_ON_DEMAND:
		return _("on demand");
	case RESOLVE_GEO_PROFILE:
	case RESOLVE_GLOBAL_PROFILE:
		if (r->how.profile_id != NULL &&
		    strchr(r->how.profile_id, '.') != NULL) {
			/* L10N: how a model is called: "us. profile". */
			snprintf(buf, size, _("%.*s. profile"),
			    (int)(strchr(r->how.profile_id, '.') -
			    r->how.profile_id), r->how.profile_id);
			return buf;
		}
		return _("profile");
	case RESOLVE_APP_PROFILE:
		return _("app profile");
	case RESOLVE_PROVISIONED:
		return _("provisioned");
	default:
		return resolve_kind_name(r->how.kind);
	}
}

/* The streaming column: as wide as its head and its translated yes/no. */
static int
stream_width(void)
{
	int	 w = 3;

	if (draw_width(_("Str")) > w)
		w = draw_width(_("Str"));
	if (draw_width(_("yes")) > w)
		w = draw_width(_("yes"));
	if (draw_width(_("no")) > w)
		w = draw_width(_("no"));
	return w;
}

/* Column widths: the name gets what is left, the modalities shrink first. */
static void
columns(int width, int *nw, int *mw)
{
	int	 rest = width - stream_width() - 13 - 12 - 4;

	*mw = rest - 28 < 15 ? rest - 28 : 15;
	if (*mw < 11)
		*mw = 11;
	*nw = rest - *mw;
	if (*nw < 12)
		*nw = 12;
}

static void
model_row(const void *ctx, size_t i, int width, char *buf, size_t size,
    attr_t *attr)
{
	const struct mstate		*ms = ctx;
	const struct modellist_row	*r = &ms->w->models->list.rows[i];
	char				 call[32], name[128], mods[64];
	int				 mw, nw;

	columns(width, &nw, &mw);
	if (nw > (int)sizeof name - 1)
		nw = (int)sizeof name - 1;
	snprintf(name, sizeof name, "%s%s", r->name, r->legacy ?
	    _(" (Legacy)") : "");
	join_modalities(mods, sizeof mods, r);
	snprintf(buf, size, "%-*.*s %-*.*s %-*s %-13.13s %s",
	    nw, nw, name, mw, mw, mods, stream_width(),
	    r->streaming == 1 ? _("yes") : r->streaming == 0 ? _("no") : "?",
	    call_label(r, call, sizeof call), access_label(ms->w, r));
	if (r->legacy || !r->callable)
		*attr = theme_attr(TH_DIM);
	else if (r->access_known && r->access.state == ACCESS_GRANTED)
		*attr = A_NORMAL;
	else if (r->access_known && r->access.state != ACCESS_UNKNOWN)
		*attr = theme_attr(TH_WARN);
}

static const char *
model_group(const void *ctx, size_t i)
{
	const struct mstate	*ms = ctx;

	return ms->w->models->list.rows[i].provider;
}

static const char *
model_search(const void *ctx, size_t i)
{
	struct mstate			*ms = (struct mstate *)ctx;
	const struct modellist_row	*r = &ms->w->models->list.rows[i];
	char				 mods[64];

	join_modalities(mods, sizeof mods, r);
	snprintf(ms->search_buf, sizeof ms->search_buf, "%s %s %s %s",
	    r->provider, r->name, r->id, mods);
	return ms->search_buf;
}

/* The model to preselect when nothing was chosen in this Region yet. */
static const char *
default_model(const struct wizard *w)
{
	const struct catalog_model	*cm;

	if (w->session != NULL && w->session->demo != NULL &&
	    demo_model(w->session->demo) != NULL)
		return demo_model(w->session->demo);
	cm = catalog_default_model(w->cat, w->region);
	return cm != NULL ? cm->id : NULL;
}

/*
 * The model to preselect is not offered here.  When the run expects it
 * (the demo scenario's model) the Region gate fails and the screen says
 * where the model is offered; the catalog's recommendation missing from a
 * live list is only a note.
 */
static void
say_missing(struct wizard *w, const char *id, int expected)
{
	const struct catalog_region	*rv[64];
	struct wiz_models		*m = w->models;
	char				 where[512] = "";
	size_t				 n, i;

	n = catalog_model_regions(w->cat, id, rv, 64);
	for (i = 0; i < n && i < 64; i++) {
		size_t l = strlen(where);

		snprintf(where + l, sizeof where - l, "%s%s", i > 0 ? ", " :
		    "", rv[i]->id);
	}
	if (!expected)
		/* L10N: the catalog's recommended model is not in the live
		   list; a model id, then a Region. */
		snprintf(m->missing, sizeof m->missing, _("The recommended "
		    "model %s is not listed in %s: pick one here."), id,
		    m->region);
	else if (n > 0)
		/* L10N: a model id, a Region, then the Regions that offer it. */
		snprintf(m->missing, sizeof m->missing, _("%s is not offered "
		    "in %s. Regions that offer it: %s. Press Esc to choose "
		    "one of them, or pick another model here."), id, m->region,
		    where);
	else
		snprintf(m->missing, sizeof m->missing, _("%s is not offered "
		    "in %s. Pick another model here."), id, m->region);
	/* Only the model the run was set up for makes the Region wrong. */
	if (expected)
		w->gates[WG_REGION] = WGS_FAIL;
}

/* Select the rows of the current choices, or the default model. */
static void
preselect(struct wizard *w, struct mstate *ms)
{
	struct wiz_models	*m = w->models;
	const char		*dflt;
	char			*bare;
	size_t			 i, j, first = WLIST_NONE;

	for (i = 0; i < m->list.n; i++) {
		for (j = 0; j < w->nchoices; j++)
			if (w->choices[j].how.model_id != NULL &&
			    strcmp(w->choices[j].how.model_id,
			    m->list.rows[i].id) ==
			    0 && w->choices[j].how.region != NULL &&
			    strcmp(w->choices[j].how.region, m->region) == 0)
				ms->list.selected[i] = 1;
		if (ms->list.selected[i] && first == WLIST_NONE)
			first = i;
	}
	if (first == WLIST_NONE && (dflt = default_model(w)) != NULL) {
		bare = bedrock_bare_model_id(dflt);
		for (i = 0; i < m->list.n; i++)
			if (strcmp(m->list.rows[i].id, bare) == 0 &&
			    m->list.rows[i].callable) {
				ms->list.selected[i] = 1;
				first = i;
				break;
			}
		if (first == WLIST_NONE)
			say_missing(w, bare, w->session != NULL &&
			    w->session->demo != NULL);
		free(bare);
	}
	if (first != WLIST_NONE)
		wlist_select_row(&ms->list, first);
}

static void
setup_list(struct wizard *w, struct mstate *ms)
{
	ms->list.ctx = ms;
	ms->list.format = model_row;
	ms->list.group = model_group;
	ms->list.search = model_search;
	ms->list.multi = 1;
	wlist_init(&ms->list, w->models->list.n);
	ms->list_version = w->models_version;
	if (w->models->state == ML_READY)
		preselect(w, ms);
}

static int
models_enter(struct wizard *w, void **statep)
{
	struct mstate	*ms = xcalloc(1, sizeof *ms);

	ms->w = w;
	*statep = ms;
	if (w->models == NULL || w->models->region == NULL ||
	    w->region == NULL || strcmp(w->models->region, w->region) != 0 ||
	    w->models->state == ML_FAILED) {
		if (w->models != NULL && w->models->job == NULL) {
			models_state_free(w->models);
			w->models = NULL;
		}
		start_load(w);
	}
	if (w->models != NULL)
		setup_list(w, ms);
	return 0;
}

static void
models_leave(struct wizard *w, void *state)
{
	struct mstate	*ms = state;

	(void)w;
	wlist_free(&ms->list);
	free(ms);
}

/* Enter: the selected rows (or the current one) become the choices. */
static int
choose(struct wizard *w, struct mstate *ms)
{
	struct wiz_models	*m = w->models;
	struct wiz_choice	*c;
	struct resolve_result	 how;
	struct err		 e;
	size_t			 i, cur = wlist_current(&ms->list);

	if (wlist_count_selected(&ms->list) == 0 && cur != WLIST_NONE)
		ms->list.selected[cur] = 1;
	for (i = 0; i < m->list.n; i++)
		if (ms->list.selected[i] && !m->list.rows[i].callable) {
			wizard_status(w, _("%s cannot be called from %s: "
			    "unselect it"), m->list.rows[i].id, m->region);
			return SCR_HANDLED | SCR_REDRAW;
		}
	if (wlist_count_selected(&ms->list) == 0) {
		wizard_status(w, "%s", _("select a model with Space"));
		return SCR_HANDLED | SCR_REDRAW;
	}
	wizard_clear_choices(w);
	for (i = 0; i < m->list.n; i++) {
		const struct modellist_row *r = &m->list.rows[i];

		if (!ms->list.selected[i])
			continue;
		memset(&how, 0, sizeof how);
		err_clear(&e);
		if (resolve_model(&m->list.view, w->cat, r->id, &how,
		    &e) != 0) {
			resolve_result_free(&how);
			continue;
		}
		c = wizard_add_choice(w, r->name, r->provider, &how);
		c->access = r->access_known ? r->access.state : ACCESS_UNKNOWN;
		snprintf(c->access_detail, sizeof c->access_detail, "%s",
		    r->access.detail);
	}
	wizard_access_gates(w);
	return SCR_HANDLED | SCR_NEXT;
}

static int
models_key(struct wizard *w, void *state, int key)
{
	struct mstate	*ms = state;

	if (w->models == NULL || w->models->state != ML_READY) {
		if (key == 'r' && (w->models == NULL ||
		    w->models->job == NULL)) {
			models_state_free(w->models);
			w->models = NULL;
			start_load(w);
			return SCR_HANDLED | SCR_REDRAW;
		}
		return SCR_UNHANDLED;
	}
	if (ms->list_version != w->models_version)
		setup_list(w, ms);
	if (!ms->list.filtering) {
		switch (key) {
		case '\n':
		case '\r':
		case KEY_ENTER:
			return choose(w, ms);
		case 'r':
			if (w->models->job == NULL) {
				free(w->models->region);
				w->models->region = NULL;
				models_state_free(w->models);
				w->models = NULL;
				start_load(w);
			}
			return SCR_HANDLED | SCR_REDRAW;
		default:
			break;
		}
	}
	return wlist_key(&ms->list, key);
}

static int
models_tick(struct wizard *w, void *state)
{
	struct mstate	*ms = state;

	/* The Region changed while a look-up ran: look again. */
	if (w->models != NULL && w->models->job == NULL &&
	    w->models->region != NULL && w->region != NULL &&
	    strcmp(w->models->region, w->region) != 0) {
		models_state_free(w->models);
		w->models = NULL;
		start_load(w);
		setup_list(w, ms);
		return SCR_REDRAW;
	}

	if (w->models != NULL && w->models->state == ML_READY &&
	    ms->list_version != w->models_version) {
		setup_list(w, ms);
		return SCR_REDRAW;
	}
	return w->models != NULL && w->models->job != NULL ? SCR_REDRAW : 0;
}

static void
draw_detail(const struct wizard *w, const struct modellist_row *r, WINDOW *win,
    int y, int x, int width, int maxy)
{
	const struct catalog_provider	*p = catalog_provider(w->cat,
	    r->provider);
	char				 line[1400], dest[600] = "";
	size_t				 i;

	snprintf(line, sizeof line, "%s  %s", r->id, r->legacy ?
	    _("Legacy: AWS will retire it; prefer a newer model.") : "");
	y += draw_wrapped(win, y, x, width, maxy, line, r->legacy ?
	    theme_attr(TH_WARN) : A_BOLD);
	if (r->callable && r->how.kind == RESOLVE_ON_DEMAND)
		snprintf(line, sizeof line, _("Called on demand as %s."),
		    r->how.invoke_id);
	else if (r->callable) {
		for (i = 0; i < r->how.ndestinations; i++) {
			size_t l = strlen(dest);

			snprintf(dest + l, sizeof dest - l, "%s%s",
			    i > 0 ? ", " : "", r->how.destinations[i]);
		}
		/* L10N: a profile id, then where it sends requests. */
		snprintf(line, sizeof line, _("Called through the inference "
		    "profile %s, which routes to %s."), r->how.invoke_id,
		    r->how.region_less ? _("any commercial Region") :
		    dest[0] != '\0' ? dest : _("Regions AWS chooses"));
	} else
		snprintf(line, sizeof line, "%s", _("Not callable from this "
		    "Region."));
	if (y < maxy)
		y += draw_wrapped(win, y, x, width, maxy, line, A_NORMAL);
	/* Not callable: the line above says all there is to say. */
	if (r->callable && r->access_known && r->access.detail[0] != '\0' &&
	    y < maxy)
		y += draw_wrapped(win, y, x, width, maxy, r->access.detail,
		    r->access.state == ACCESS_GRANTED ? theme_attr(TH_OK) :
		    theme_attr(TH_WARN));
	if (p != NULL && p->terms != NULL && y < maxy) {
		/* English in the catalog; data/catalog-text.c marks it. */
		snprintf(line, sizeof line, "%s%s%s", _(p->terms),
		    p->terms_url != NULL ? " " : "",
		    p->terms_url != NULL ? p->terms_url : "");
		draw_wrapped(win, y, x, width, maxy, line, theme_attr(TH_DIM));
	}
}

static void
models_draw(const struct wizard *w, const void *state, WINDOW *win)
{
	struct mstate		*ms = (struct mstate *)state;
	const struct wiz_models	*m = w->models;
	int			 rows, cols, x = 2, y = 1, foot = 6, nw, mw;
	size_t			 row;
	char			 line[700];

	getmaxyx(win, rows, cols);
	if (m == NULL || m->state == ML_LOADING || m->state == ML_IDLE) {
		snprintf(line, sizeof line, "%s %s", wizard_spinner(w),
		    _("Asking Bedrock which models this Region offers..."));
		draw_clipped(win, y, x, cols - 2 * x, line, A_NORMAL);
		return;
	}
	if (m->state == ML_FAILED) {
		draw_wrapped(win, y, x, cols - 2 * x, rows, m->note[0] != '\0' ?
		    m->note : _("The models could not be listed. Press r to "
		    "try again."), theme_attr(TH_FAIL));
		return;
	}
	/* L10N: above the model list: the Region, where the list is from. */
	snprintf(line, sizeof line, _("Chat models in %s (%s). Each row is "
	    "its own grant; Space selects several."), m->region, m->list.live ?
	    _("live from Bedrock") : _("from the catalog"));
	draw_clipped(win, y++, x, cols - 2 * x, line, theme_attr(TH_DIM));
	if (m->note[0] != '\0')
		draw_clipped(win, y++, x, cols - 2 * x, m->note,
		    theme_attr(TH_WARN));
	if (m->missing[0] != '\0')
		y += draw_wrapped(win, y, x, cols - 2 * x, rows, m->missing,
		    theme_attr(TH_FAIL));
	/* As the list lays out its rows: after "[x] ", 4 columns less. */
	columns(cols - 2 * x - 4, &nw, &mw);
	snprintf(line, sizeof line, "%-*s %-*s %-*s %-13s %s", nw,
	    _("Model"), mw, _("Input"), stream_width(), _("Str"), _("Called"),
	    _("Access"));
	draw_clipped(win, y++, x + 5, cols - 2 * x - 6, line,
	    theme_attr(TH_DIM));
	if (ms->list_version != w->models_version)
		return;		/* the tick sets the list up */
	wlist_draw(&ms->list, win, y, x, rows - y - foot, cols - 2 * x, 1);
	row = wlist_current(&ms->list);
	draw_hrule(win, rows - foot, x, cols - 2 * x, w->utf8);
	if (row != WLIST_NONE)
		draw_detail(w, &m->list.rows[row], win, rows - foot + 1, x,
		    cols - 2 * x, rows);
}

const struct screen_ops screen_models = {
	N_("Models"),
	3,
	models_enter,
	models_leave,
	models_key,
	models_draw,
	models_tick,
	hints,
	0,
	NULL
};
