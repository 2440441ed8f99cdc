/*
 * s_region.c: step 2, the Region.  Every Region of the catalog grouped by
 * geography with its data-residency note, latency measured live (all at
 * once, filled in as answers arrive), how many of the catalog's text
 * models it offers, opt-in status and the cross-Region profiles it can
 * use.  Sort by latency or name; '/' filters; the current Region is
 * preselected.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "creds.h"
#include "gettext.h"
#include "http.h"
#include "probe.h"
#include "session.h"
#include "tui/draw.h"
#include "tui/job.h"
#include "tui/screen.h"
#include "tui/theme.h"
#include "tui/w_list.h"
#include "xalloc.h"

struct rstate {
	struct wlist		 list;
	size_t			*order;		/* list row -> catalog Region */
	size_t			 n;
	int			 by_latency;
	const struct wizard	*w;
	char			 search_buf[256];
};

/* One latency answer, posted from the worker. */
struct lat_msg {
	size_t	 index;
	int	 ok;
	double	 ms;
};

struct probe_job {
	struct session		*s;
	struct creds		*creds;		/* a copy, or NULL */
	const char		**ids;
	size_t			 n;
	struct job		*job;
};

static const struct keyhint hints[] = {
	{ "Enter", N_("use this Region"), 0 },
	{ "s", N_("sort by latency/name"), 0 },
	{ "/", N_("filter"), 0 },
	{ "Esc", N_("back"), 0 },
	{ NULL, NULL, 0 }
};

static void
lat_deliver(struct wizard *w, void *data)
{
	struct lat_msg	*m = data;

	w->latency[m->index].state = m->ok ? LAT_OK : LAT_FAILED;
	w->latency[m->index].ms = m->ms;
	free(m);
}

static void
probe_one_done(void *arg, const struct probe_result *r)
{
	struct probe_job	*pj = arg;
	struct lat_msg		*m = xcalloc(1, sizeof *m);
	size_t			 i;

	for (i = 0; i < pj->n; i++)
		if (strcmp(pj->ids[i], r->region) == 0)
			m->index = i;
	m->ok = r->ok;
	m->ms = r->connect_ms;	/* connection set-up, as `regions` shows */
	job_post(pj->job, lat_deliver, m);
}

static void
probe_work(struct job *job, void *arg)
{
	struct probe_job	*pj = arg;
	struct probe_result	*res = xcalloc(pj->n + 1, sizeof *res);
	struct http_config	 hc = pj->s->hc;
	struct http_client	*http;

	/* One connection per Region, even when an endpoint override sends
	   every Region to one host (a proxy, the test stand-in). */
	hc.cancelled = job_cancelled_cb;
	hc.cancelled_arg = job;
	hc.max_host_connections = (long)pj->n;
	http = http_client_new(&hc);

	pj->job = job;
	probe_regions(http, pj->ids, pj->n, &pj->s->eps, pj->creds, 5000,
	    res, probe_one_done, pj);
	http_client_free(http);
	free(res);
}

static void
probe_end(struct wizard *w, void *arg)
{
	struct probe_job	*pj = arg;
	size_t			 i;

	for (i = 0; i < pj->n; i++)
		if (w->latency[i].state == LAT_MEASURING)
			w->latency[i].state = LAT_FAILED;
	creds_free(pj->creds);
	free(pj->ids);
	free(pj);
}

static void
start_probe(struct wizard *w)
{
	struct probe_job	*pj;
	size_t			 i, n = catalog_region_count(w->cat);

	if (w->latency_started || w->session == NULL)
		return;
	pj = xcalloc(1, sizeof *pj);
	pj->s = w->session;
	pj->creds = w->report != NULL ? creds_dup(w->report->creds) : NULL;
	pj->n = n;
	pj->ids = xcalloc(n + 1, sizeof *pj->ids);
	for (i = 0; i < n; i++) {
		pj->ids[i] = catalog_region_at(w->cat, i)->id;
		w->latency[i].state = LAT_MEASURING;
	}
	w->latency_started = 1;
	if (job_start(probe_work, pj, probe_end) == NULL) {
		for (i = 0; i < n; i++)
			w->latency[i].state = LAT_UNKNOWN;
		w->latency_started = 0;
		creds_free(pj->creds);
		free(pj->ids);
		free(pj);
	}
}

static size_t
text_models(const struct wizard *w, const char *region)
{
	return catalog_models_in_region(w->cat, region,
	    CATALOG_TEXT_ONLY | CATALOG_NO_LEGACY, NULL, 0);
}

/*
 * Widths of the name, latency, model-count and opt-in columns, in display
 * columns.  A translated head, or "no answer" once a Region has not
 * answered, may be wider than a figure; the name column, whose text the
 * detail line below repeats in full, gives up what they take.
 */
struct rcols {
	int	 name, lat, models, opt;
};

static int
widest(int w, const char *s)
{
	return draw_width(s) > w ? draw_width(s) : w;
}

static struct rcols
region_cols(const struct wizard *w)
{
	struct rcols	 c;
	size_t		 i, n = catalog_region_count(w->cat);

	c.lat = widest(9, _("Latency"));
	for (i = 0; w->latency != NULL && i < n; i++)
		if (w->latency[i].state == LAT_FAILED)
			c.lat = widest(c.lat, _("no answer"));
	c.models = widest(4, _("Models"));
	c.opt = widest(6, _("opt-in"));
	c.name = 22 - (c.lat - 9) - (c.models - 4) - (c.opt - 6);
	if (c.name < 14)
		c.name = 14;
	return c;
}

/* s padded to width display columns, on the left (right-aligned) or not. */
static void
pad(char *dst, size_t size, const char *s, int width, int right)
{
	int	 n = width - draw_width(s);

	if (n < 0)
		n = 0;
	if (right)
		snprintf(dst, size, "%*s%s", n, "", s);
	else
		snprintf(dst, size, "%s%*s", s, n, "");
}

static void
region_row(const void *ctx, size_t i, int width, char *buf, size_t size,
    attr_t *attr)
{
	const struct rstate		*rs = ctx;
	const struct wizard		*w = rs->w;
	const struct catalog_region	*r = catalog_region_at(w->cat,
	    rs->order[i]);
	const struct wiz_latency	*l = &w->latency[rs->order[i]];
	struct rcols			 c = region_cols(w);
	char				 ms[32], lat[64], count[32], models[64];
	char				 opt[64], prof[96] = "";
	const char			*v = ms;
	size_t				 k;

	(void)width;
	switch (l->state) {
	case LAT_OK:
		snprintf(ms, sizeof ms, "%.0f ms", l->ms);
		break;
	case LAT_MEASURING:
		v = wizard_spinner(w);
		break;
	case LAT_FAILED:
		/* L10N: latency column: the Region did not answer. */
		v = _("no answer");
		break;
	default:
		v = "-";
	}
	pad(lat, sizeof lat, v, c.lat, 1);
	snprintf(count, sizeof count, "%zu", text_models(w, r->id));
	pad(models, sizeof models, count, c.models, 1);
	pad(opt, sizeof opt, r->opt_in ? _("opt-in") : "", c.opt, 0);
	for (k = 0; k < r->profile_prefixes.n; k++) {
		size_t len = strlen(prof);

		snprintf(prof + len, sizeof prof - len, "%s%s",
		    k > 0 ? "," : "", r->profile_prefixes.v[k]);
	}
	snprintf(buf, size, "%-15s %-*.*s %s %s  %s %s", r->id, c.name, c.name,
	    r->name, lat, models, opt, prof);
	if (w->region != NULL && strcmp(w->region, r->id) == 0)
		*attr = A_BOLD;
}

static const char *
region_group(const void *ctx, size_t i)
{
	const struct rstate	*rs = ctx;

	if (rs->by_latency)
		return NULL;
	return catalog_region_at(rs->w->cat, rs->order[i])->geography;
}

static const char *
region_search(const void *ctx, size_t i)
{
	struct rstate			*rs = (struct rstate *)ctx;
	const struct catalog_region	*r = catalog_region_at(rs->w->cat,
	    rs->order[i]);

	snprintf(rs->search_buf, sizeof rs->search_buf, "%s %s %s", r->id,
	    r->name, r->geography);
	return rs->search_buf;
}

static double
sort_key(const struct wizard *w, size_t i)
{
	const struct wiz_latency *l = &w->latency[i];

	return l->state == LAT_OK ? l->ms : 1e12;
}

static int
cmp_latency(const void *a, const void *b, void *arg)
{
	const struct wizard	*w = arg;
	size_t			 i = *(const size_t *)a, j = *(const size_t *)b;
	double			 x = sort_key(w, i), y = sort_key(w, j);

	if (x != y)
		return x < y ? -1 : 1;
	return strcmp(catalog_region_at(w->cat, i)->id,
	    catalog_region_at(w->cat, j)->id);
}

/* Rebuild the order: by geography (catalog order) or by latency. */
static void
reorder(struct rstate *rs, int keep)
{
	size_t	 i, g, k = 0, cur = WLIST_NONE;

	if (keep && wlist_current(&rs->list) != WLIST_NONE)
		cur = rs->order[wlist_current(&rs->list)];
	if (rs->by_latency) {
		for (i = 0; i < rs->n; i++)
			rs->order[i] = i;
		qsort_r(rs->order, rs->n, sizeof *rs->order, cmp_latency,
		    (void *)rs->w);
	} else {
		/* Grouped by geography, in the catalog's geography order. */
		for (g = 0; g < catalog_geography_count(rs->w->cat); g++) {
			const char *geo =
			    catalog_geography_at(rs->w->cat, g)->name;

			for (i = 0; i < rs->n; i++)
				if (strcmp(catalog_region_at(rs->w->cat,
				    i)->geography, geo) == 0)
					rs->order[k++] = i;
		}
		for (i = 0; i < rs->n && k < rs->n; i++) {
			size_t j;

			for (j = 0; j < k && rs->order[j] != i; j++)
				;
			if (j == k)
				rs->order[k++] = i;
		}
	}
	wlist_refilter(&rs->list);
	for (i = 0; i < rs->n; i++)
		if (rs->order[i] == cur ||
		    (cur == WLIST_NONE && rs->w->region != NULL &&
		    strcmp(catalog_region_at(rs->w->cat, rs->order[i])->id,
		    rs->w->region) == 0))
			wlist_select_row(&rs->list, i);
}

static int
region_enter(struct wizard *w, void **statep)
{
	struct rstate	*rs = xcalloc(1, sizeof *rs);

	rs->w = w;
	rs->n = catalog_region_count(w->cat);
	rs->order = xcalloc(rs->n + 1, sizeof *rs->order);
	rs->list.ctx = rs;
	rs->list.format = region_row;
	rs->list.group = region_group;
	rs->list.search = region_search;
	wlist_init(&rs->list, rs->n);
	reorder(rs, 0);
	start_probe(w);
	*statep = rs;
	return 0;
}

static void
region_leave(struct wizard *w, void *state)
{
	struct rstate	*rs = state;

	(void)w;
	wlist_free(&rs->list);
	free(rs->order);
	free(rs);
}

static int
region_key(struct wizard *w, void *state, int key)
{
	struct rstate			*rs = state;
	const struct catalog_region	*r;
	size_t				 row;
	int				 f;

	if (!rs->list.filtering &&
	    (key == '\n' || key == '\r' || key == KEY_ENTER)) {
		if ((row = wlist_current(&rs->list)) == WLIST_NONE)
			return SCR_HANDLED;
		r = catalog_region_at(w->cat, rs->order[row]);
		/* Models chosen elsewhere are called differently here. */
		if (w->region != NULL && strcmp(w->region, r->id) != 0)
			wizard_clear_choices(w);
		free(w->region);
		w->region = xstrdup(r->id);
		w->gates[WG_REGION] = text_models(w, r->id) > 0 ? WGS_PASS :
		    WGS_WARN;
		return SCR_HANDLED | SCR_NEXT;
	}
	if (!rs->list.filtering && key == 's') {
		rs->by_latency = !rs->by_latency;
		reorder(rs, 1);
		return SCR_HANDLED | SCR_REDRAW;
	}
	f = wlist_key(&rs->list, key);
	return f;
}

static int
region_tick(struct wizard *w, void *state)
{
	(void)w;
	(void)state;
	return w->latency_started && job_running() ? SCR_REDRAW : 0;
}

static void
region_draw(const struct wizard *w, const void *state, WINDOW *win)
{
	struct rstate			*rs = (struct rstate *)state;
	const struct catalog_region	*r;
	const struct catalog_geography	*geo;
	struct rcols			 c = region_cols(w);
	size_t				 row;
	int				 rows, cols, y = 1, x = 2, foot = 4;
	char				 line[512], lat[64], models[64], opt[64];
	char				 region[64], name[64];

	getmaxyx(win, rows, cols);
	pad(region, sizeof region, _("Region"), 15, 0);
	pad(name, sizeof name, _("Name"), c.name, 0);
	pad(lat, sizeof lat, _("Latency"), c.lat, 1);
	pad(models, sizeof models, _("Models"), c.models, 1);
	pad(opt, sizeof opt, "", c.opt, 0);
	/* One column in, as the list draws its rows. */
	snprintf(line, sizeof line, " %s %s %s %s  %s %s", region, name,
	    lat, models, opt, _("Profiles"));
	draw_clipped(win, y++, x, cols - 4, line, theme_attr(TH_DIM));
	wlist_draw(&rs->list, win, y, x, rows - y - foot, cols - 2 * x, 1);
	row = wlist_current(&rs->list);
	if (row == WLIST_NONE)
		return;
	r = catalog_region_at(w->cat, rs->order[row]);
	geo = catalog_geography(w->cat, r->geography);
	y = rows - foot + 1;
	draw_hrule(win, y - 1, x, cols - 2 * x, w->utf8);
	/* The catalog's notes are English; data/catalog-text.c marks them. */
	snprintf(line, sizeof line, "%s (%s): %s", r->name, r->geography,
	    geo != NULL && geo->residency != NULL ? _(geo->residency) : "");
	y += draw_wrapped(win, y, x, cols - 2 * x, rows, line, A_NORMAL);
	if (r->opt_in && y < rows)
		draw_wrapped(win, y, x, cols - 2 * x, rows, _("Opt-in Region: "
		    "enable it in the account first; Anthropic's use-case form "
		    "must be sent again here, and session tokens from the global "
		    "STS endpoint do not work here."), theme_attr(TH_WARN));
}

const struct screen_ops screen_region = {
	N_("Region"),
	2,
	region_enter,
	region_leave,
	region_key,
	region_draw,
	region_tick,
	hints,
	0,
	NULL
};
