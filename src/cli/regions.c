/*
 * regions.c: "bedrock-setup regions": every Region of the catalog with its
 * measured latency and, with credentials, how many text models it offers.
 *
 * Two sweeps run at the same time: the latency probes (probe.h, one curl
 * multi handle on this thread) and ListFoundationModels in every Region
 * (bedrock_list_foundation_models_many(), on a worker thread with its own
 * HTTP client), so the whole run takes about as long as the slowest
 * Region.  Latency is the connection set-up time (TCP and TLS) to the
 * Region's bedrock-runtime endpoint.
 *
 * A "text model" is one ListFoundationModels lists in the Region whose
 * output modalities include TEXT, whose lifecycle is not LEGACY, and that
 * can be called on demand or through an inference profile (variants
 * offered only as provisioned throughput are not counted again): the
 * catalog's "text" models, less the legacy ones, as the wizard counts them.
 */
#include <config.h>

#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <wchar.h>

#include "bedrock.h"
#include "buf.h"
#include "catalog.h"
#include "cli/cli.h"
#include "cli/output.h"
#include "cli/regions.h"
#include "creds.h"
#include "diagnose.h"
#include "endpoint.h"
#include "err.h"
#include "gettext.h"
#include "http.h"
#include "json.h"
#include "probe.h"
#include "session.h"
#include "xalloc.h"

#define DEFAULT_TIMEOUT_MS	5000
#define MAX_TIMEOUT_S		60.0

struct row {
	const struct catalog_region	*r;
	size_t				 idx;		/* catalog order */
	struct probe_result		 probe;
	int				 counted;	/* models is known */
	size_t				 models;
	struct err			 merr;		/* when asked, !counted */
};

struct regions {
	struct global_opts	*g;
	int			 json;
	const char		*geography;	/* the catalog's name, or NULL */
	long			 timeout_ms;
	struct catalog		*cat;
	struct session		*s;
	struct row		*rows;
	size_t			 n;
	int			 asked;		/* models were asked for */
	struct err		 cred_err;	/* why not, when !asked */
	int			 clock_known;	/* from the model lists' Date */
	long			 clock_offset;	/* AWS minus local, seconds */
};

/* The model-count sweep, run on a worker thread. */
struct count_job {
	struct bedrock_ctx		 bc;
	struct http_client		*http;
	struct endpoint			*eps;
	size_t				 n;
	struct bedrock_region_models	*out;
};

static void
regions_usage(FILE *f)
{
	fprintf(f, _("Usage: %s regions [--json] [--geography GEO] "
	    "[--timeout SEC] [OPTION]...\n"), PACKAGE);
	fputs(_(
"List every Region of the catalog with its display name, geography and\n"
"opt-in status, the latency measured now to its Bedrock runtime endpoint\n"
"(connection set-up: TCP and TLS), and, with credentials, how many text\n"
"models ListFoundationModels lists there (TEXT output, not legacy).  All\n"
"Regions are measured at once.  The table is sorted by latency, Regions\n"
"that did not answer last.\n"
"\n"
"  --json             print a JSON array: region, name, geography, opt_in,\n"
"                     latency_ms (null when unreachable, with error),\n"
"                     models (null when not counted)\n"
"  --geography GEO    only the Regions of GEO (e.g. Europe; any case)\n"
"  --timeout SEC      give up on a Region after SEC seconds (each request;\n"
"                     default 5, at most 60)\n"
"  -h, --help         show this help\n"
"\n"
"Global options (--profile, --region, --endpoint-url, --demo, --debug,\n"
"--no-color) work here too; --region marks the Region in use.\n"
"\n"
"Exit status: 0 the sweep ran (even if some Regions did not answer),\n"
"1 every model count was refused (the credentials or IAM), 2 usage error,\n"
"3 no Region answered at all, or the configuration is broken.\n"), f);
}

/* The catalog's name of a geography, matched ignoring case, or NULL. */
static const char *
find_geography(const struct catalog *cat, const char *name)
{
	size_t	 i;

	for (i = 0; i < catalog_geography_count(cat); i++)
		if (strcasecmp(catalog_geography_at(cat, i)->name, name) == 0)
			return catalog_geography_at(cat, i)->name;
	return NULL;
}

static void
bad_geography(const struct catalog *cat, const char *name)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < catalog_geography_count(cat); i++)
		buf_printf(&b, "%s%s", i > 0 ? ", " : "",
		    catalog_geography_at(cat, i)->name);
	/* L10N: %s: what was given, then the list of geographies. */
	cli_usage_error(_("unknown geography '%s'; use one of: %s"), name,
	    buf_str(&b));
	buf_free(&b);
}

/* SEC as milliseconds: a number in (0, 60].  -1 when it is not one. */
static long
parse_timeout(const char *arg)
{
	char	*end;
	double	 sec;

	if (arg == NULL || *arg == '\0')
		return -1;
	sec = strtod(arg, &end);
	if (*end != '\0' || !(sec > 0) || sec > MAX_TIMEOUT_S)
		return -1;
	return sec * 1000 < 1 ? 1 : (long)(sec * 1000 + 0.5);
}

/* Whether ListFoundationModels's model counts as a text model here. */
static int
is_text_model(const struct bedrock_model *m)
{
	const struct bedrock_strv	*t = &m->inference_types;

	if (m->lifecycle.status != NULL &&
	    strcmp(m->lifecycle.status, "LEGACY") == 0)
		return 0;
	return bedrock_strv_has(&m->output_modalities, "TEXT") &&
	    (t->n == 0 || bedrock_strv_has(t, "ON_DEMAND") ||
	    bedrock_strv_has(t, "INFERENCE_PROFILE"));
}

static void *
count_work(void *arg)
{
	struct count_job		*cj = arg;
	static const struct bedrock_fm_filter text = { NULL, "TEXT", NULL,
	    NULL };

	cj->bc.http = cj->http;
	bedrock_list_foundation_models_many(&cj->bc, cj->eps, cj->n, &text,
	    cj->out);
	return NULL;
}

/* Fill the rows' model counts from the sweep's answers. */
static void
take_counts(struct regions *d, const size_t *row_of,
    struct bedrock_region_models *out, size_t n)
{
	size_t	 i, k;

	for (i = 0; i < n; i++) {
		struct row *w = &d->rows[row_of[i]];

		if (out[i].failed)
			err_copy(&w->merr, &out[i].err);
		else {
			w->counted = 1;
			for (k = 0; k < out[i].models.n; k++)
				if (is_text_model(&out[i].models.v[k]))
					w->models++;
		}
		bedrock_model_list_free(&out[i].models);
	}
}

/*
 * An HTTP client like the session's that may open one connection per
 * Region to a single host: with an endpoint override every Region goes to
 * the same host, and the sweep must not queue behind a per-host limit.
 */
static struct http_client *
sweep_client(const struct regions *d)
{
	struct http_config	 hc = d->s->hc;

	hc.max_host_connections = (long)d->n;
	return http_client_new(&hc);
}

/*
 * Both sweeps at once: the model counts on a worker thread (when asked),
 * the probes on this one, each with its own HTTP client.  The
 * control-plane endpoints are resolved here first, since resolving reads
 * the session's configuration: the worker touches nothing of the session.
 */
static void
sweep(struct regions *d)
{
	struct count_job	 cj;
	struct probe_result	*pr = xcalloc(d->n + 1, sizeof *pr);
	const char		**ids = xcalloc(d->n + 1, sizeof *ids);
	size_t			*row_of = xcalloc(d->n + 1, sizeof *row_of);
	const struct creds	*cr = session_creds(d->s);
	struct http_client	*http = sweep_client(d);
	pthread_t		 th;
	size_t			 i;
	int			 threaded = 0;

	memset(&cj, 0, sizeof cj);
	for (i = 0; i < d->n; i++)
		ids[i] = d->rows[i].r->id;
	if (d->asked) {
		cj.eps = xcalloc(d->n + 1, sizeof *cj.eps);
		cj.out = xcalloc(d->n + 1, sizeof *cj.out);
		for (i = 0; i < d->n; i++) {
			err_clear(&d->rows[i].merr);
			if (session_endpoint(d->s, EP_BEDROCK, ids[i],
			    &cj.eps[cj.n], &d->rows[i].merr) == 0)
				row_of[cj.n++] = i;
		}
		cj.bc.creds = cr;
		cj.bc.bearer = d->s->report != NULL ? d->s->report->bearer :
		    NULL;
		cj.http = sweep_client(d);
		threaded = pthread_create(&th, NULL, count_work, &cj) == 0;
	}
	probe_regions(http, ids, d->n, &d->s->eps, cr, d->timeout_ms, pr, NULL,
	    NULL);
	http_client_free(http);
	for (i = 0; i < d->n; i++)
		d->rows[i].probe = pr[i];
	if (d->asked) {
		if (threaded)
			pthread_join(th, NULL);
		else
			count_work(&cj);	/* no thread: one after the other */
		take_counts(d, row_of, cj.out, cj.n);
		d->clock_known = http_client_clock_offset(cj.http,
		    &d->clock_offset);
		http_client_free(cj.http);
	}
	free(cj.eps);
	free(cj.out);
	free(row_of);
	free(ids);
	free(pr);
}

/* Fastest first; Regions that did not answer last, in catalog order. */
static int
row_cmp(const void *a, const void *b)
{
	const struct row	*x = a, *y = b;

	if (x->probe.ok != y->probe.ok)
		return x->probe.ok ? -1 : 1;
	if (x->probe.ok && x->probe.connect_ms != y->probe.connect_ms)
		return x->probe.connect_ms < y->probe.connect_ms ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int
max_width(int w, const char *s)
{
	int	 t = out_width(s);

	return t > w ? t : w;
}

static const char *
latency_color(const struct row *w)
{
	if (!w->probe.ok)
		return "\033[31m";
	if (w->probe.connect_ms <= 80)
		return "\033[32m";
	return w->probe.connect_ms <= 200 ? "\033[33m" : "\033[31m";
}

static int
in_use(const struct regions *d, const struct row *w)
{
	return d->s->region.value != NULL &&
	    strcmp(d->s->region.value, w->r->id) == 0;
}

static void
print_text(const struct regions *d)
{
	/* L10N: column heads of the regions table. */
	const char	*h_region = _("REGION"), *h_name = _("NAME"),
			*h_geo = _("GEOGRAPHY"), *h_opt = _("OPT-IN"),
			*h_lat = _("LATENCY"), *h_models = _("MODELS");
	/* L10N: the opt-in column of the regions table. */
	const char	*yes = _("yes"), *no = _("no");
	int		 color = out_color(stdout, d->g->color);
	int		 wr, wn, wg, wo, wl, wm;
	char		 lat[32], models[32];
	size_t		 i;

	wr = out_width(h_region);
	wn = out_width(h_name);
	wg = out_width(h_geo);
	wo = max_width(max_width(out_width(h_opt), yes), no);
	wl = max_width(9, h_lat);
	wm = max_width(6, h_models);
	for (i = 0; i < d->n; i++) {
		wr = max_width(wr, d->rows[i].r->id);
		wn = max_width(wn, d->rows[i].r->name);
		wg = max_width(wg, d->rows[i].r->geography);
	}
	fputs("  ", stdout);
	out_cell(stdout, h_region, wr + 2, 0, NULL);
	out_cell(stdout, h_name, wn + 2, 0, NULL);
	out_cell(stdout, h_geo, wg + 2, 0, NULL);
	out_cell(stdout, h_opt, wo, 0, NULL);
	out_cell(stdout, h_lat, wl + 2, 1, NULL);
	out_cell(stdout, h_models, wm + 2, 1, NULL);
	putchar('\n');
	for (i = 0; i < d->n; i++) {
		const struct row *w = &d->rows[i];
		int bold = color && in_use(d, w);

		if (w->probe.ok)
			/* L10N: a latency in milliseconds. */
			snprintf(lat, sizeof lat, _("%.0f ms"),
			    w->probe.connect_ms);
		else
			snprintf(lat, sizeof lat, "-");
		if (w->counted)
			snprintf(models, sizeof models, "%zu", w->models);
		else
			snprintf(models, sizeof models, "-");
		fputs(in_use(d, w) ? "* " : "  ", stdout);
		out_cell(stdout, w->r->id, wr + 2, 0, bold ? "\033[1m" :
		    NULL);
		out_cell(stdout, w->r->name, wn + 2, 0, NULL);
		out_cell(stdout, w->r->geography, wg + 2, 0, NULL);
		out_cell(stdout, w->r->opt_in ? yes : no, wo, 0, NULL);
		out_cell(stdout, lat, wl + 2, 1, color ? latency_color(w) :
		    NULL);
		out_cell(stdout, models, wm + 2, 1, color && !w->counted ?
		    "\033[2m" : NULL);
		if (!w->probe.ok) {
			fputs("  ", stdout);
			/* L10N: after a Region that did not answer: why. */
			printf(_("unreachable: %s"), w->probe.err.message);
		}
		putchar('\n');
	}
	putchar('\n');
	fputs(_("Latency: connection set-up (TCP and TLS) to each Region's "
	    "bedrock-runtime endpoint, measured now from here.\n"), stdout);
	if (d->asked)
		fputs(_("Models: text models (TEXT output, not legacy) that "
		    "ListFoundationModels lists in the Region.\n"), stdout);
	if (d->s->region.value != NULL)
		/* L10N: %s: where the Region setting came from. */
		printf(_("* the Region in use (%s).\n"), d->s->region.source);
}

static void
print_json(const struct regions *d)
{
	struct json	*a = json_new_array(), *o;
	size_t		 i;

	for (i = 0; i < d->n; i++) {
		const struct row *w = &d->rows[i];

		o = json_new_object();
		json_set_str(o, "region", w->r->id);
		json_set_str(o, "name", w->r->name);
		json_set_str(o, "geography", w->r->geography);
		json_set_bool(o, "opt_in", w->r->opt_in);
		if (w->probe.ok)
			/* Tenths of a millisecond are all a probe can tell. */
			json_set_num(o, "latency_ms",
			    (double)(long long)(w->probe.connect_ms * 10 +
			    0.5) / 10);
		else {
			json_set_null(o, "latency_ms");
			json_set_str(o, "error", w->probe.err.message);
		}
		if (w->counted)
			json_set_num(o, "models", (double)w->models);
		else
			json_set_null(o, "models");
		json_push(a, o);
	}
	out_json(a);
	json_free(a);
}

/* Why a Region's models could not be counted, for the notes. */
enum why { WHY_NOT_ENABLED, WHY_PARTITION, WHY_OTHER };

static int
key_refused(const struct err *e)
{
	return e->kind == ERR_AWS &&
	    (strcmp(e->code, "UnrecognizedClientException") == 0 ||
	    strcmp(e->code, "InvalidClientTokenId") == 0);
}

/* Whether models were counted in some Region of the partition. */
static int
counted_in(const struct regions *d, const char *partition, int same)
{
	size_t	 i;

	for (i = 0; i < d->n; i++)
		if (d->rows[i].counted &&
		    (strcmp(d->rows[i].r->partition, partition) == 0) == same)
			return 1;
	return 0;
}

/*
 * A key that works elsewhere in the partition but is refused in an opt-in
 * Region: the Region is not enabled.  A key that works only in another
 * partition: GovCloud or China need their own.  Else: what AWS said.
 */
static enum why
why_not(const struct regions *d, const struct row *w)
{
	if (key_refused(&w->merr) && counted_in(d, w->r->partition, 1) &&
	    w->r->opt_in)
		return WHY_NOT_ENABLED;
	if (key_refused(&w->merr) && !counted_in(d, w->r->partition, 1) &&
	    counted_in(d, w->r->partition, 0))
		return WHY_PARTITION;
	return WHY_OTHER;
}

/* Whether two failures are the same, for grouping. */
static int
same_failure(const struct row *a, const struct row *b)
{
	return a->merr.kind == b->merr.kind &&
	    a->merr.http_status == b->merr.http_status &&
	    strcmp(a->merr.code, b->merr.code) == 0;
}

/*
 * The diagnosis of a group of Regions that failed alike, in the context
 * of one of them: the Region in use if it is there, else the first one
 * enabled by default (a Region-specific rule, such as opt-in tokens, is
 * only right when every Region of the group is such a Region).
 */
static void
diagnose_group(const struct regions *d, const size_t *members, size_t n,
    struct diagnose_result *dr)
{
	struct diagnose_ctx	 ctx;
	const struct row	*w = &d->rows[members[0]];
	size_t			 i;

	for (i = 0; i < n; i++)
		if (!d->rows[members[i]].r->opt_in) {
			w = &d->rows[members[i]];
			break;
		}
	for (i = 0; i < n; i++)
		if (in_use(d, &d->rows[members[i]]))
			w = &d->rows[members[i]];
	memset(&ctx, 0, sizeof ctx);
	ctx.op = DIAGNOSE_OP_LIST_MODELS;
	ctx.region = w->r->id;
	ctx.region_opt_in = w->r->opt_in;
	ctx.aws_profile = d->s->cfg->profile;
	ctx.bearer = d->s->report != NULL && d->s->report->bearer != NULL;
	ctx.sso = d->s->report != NULL &&
	    d->s->report->used == CREDS_SRC_SSO;
	if (d->clock_known) {
		ctx.clock_known = 1;
		ctx.clock_offset = -d->clock_offset;	/* local minus AWS */
	}
	diagnose_err(&w->merr, &ctx, dr);
}

static int
idx_cmp(const void *a, const void *b)
{
	const struct row *const *x = a, *const *y = b;

	return (*x)->idx < (*y)->idx ? -1 : (*x)->idx > (*y)->idx;
}

/*
 * On stderr: why models were not counted, one line per group of Regions
 * that failed alike (catalog order), then the fix.
 */
static void
print_count_notes(const struct regions *d)
{
	struct diagnose_result	 dr;
	const struct row	**by_idx;
	enum why		*why;
	size_t			*members, *pos;
	int			*done;
	size_t			 i, k, n;

	by_idx = xcalloc(d->n + 1, sizeof *by_idx);
	for (i = 0; i < d->n; i++)
		by_idx[i] = &d->rows[i];
	qsort(by_idx, d->n, sizeof *by_idx, idx_cmp);
	why = xcalloc(d->n + 1, sizeof *why);
	done = xcalloc(d->n + 1, sizeof *done);
	members = xcalloc(d->n + 1, sizeof *members);
	pos = xcalloc(d->n + 1, sizeof *pos);
	for (i = 0; i < d->n; i++) {
		pos[i] = (size_t)(by_idx[i] - d->rows);
		if (!by_idx[i]->counted)
			why[i] = why_not(d, by_idx[i]);
	}
	for (i = 0; i < d->n; i++) {
		struct buf	 list = BUF_INIT;

		if (by_idx[i]->counted || done[i])
			continue;
		for (k = i, n = 0; k < d->n; k++) {
			if (by_idx[k]->counted || done[k] || why[k] != why[i] ||
			    !same_failure(by_idx[k], by_idx[i]))
				continue;
			done[k] = 1;
			members[n++] = pos[k];
			buf_printf(&list, "%s%s", list.len > 0 ? ", " : "",
			    by_idx[k]->r->id);
		}
		if (n == d->n && n > 1) {
			buf_free(&list);
			/* L10N: stands for the list of Regions. */
			buf_printf(&list, _("every Region"));
		}
		switch (why[i]) {
		case WHY_NOT_ENABLED:
			fprintf(stderr, _("%s: models not counted in %s: "
			    "opt-in Regions not enabled for this account "
			    "(enable them in the console: Account, AWS "
			    "Regions)\n"), PACKAGE, buf_str(&list));
			break;
		case WHY_PARTITION:
			/* L10N: the last %s is a partition: aws-us-gov. */
			fprintf(stderr, _("%s: models not counted in %s: these "
			    "credentials do not work in the %s partition, "
			    "which needs its own account and credentials\n"),
			    PACKAGE, buf_str(&list), by_idx[i]->r->partition);
			break;
		case WHY_OTHER:
			diagnose_group(d, members, n, &dr);
			fprintf(stderr, _("%s: models not counted in %s: %s\n"),
			    PACKAGE, buf_str(&list), dr.cause);
			out_lines(stderr, dr.fix, 2);
			break;
		}
		buf_free(&list);
	}
	free(pos);
	free(members);
	free(done);
	free(why);
	free(by_idx);
}

static int
exit_status(const struct regions *d)
{
	size_t	 i, reached = 0, counted = 0, refused = 0;

	for (i = 0; i < d->n; i++) {
		reached += d->rows[i].probe.ok;
		counted += d->rows[i].counted;
		refused += d->rows[i].merr.kind == ERR_AWS;
	}
	if (reached == 0)
		return EXIT_CANNOT_RUN;
	if (d->asked && counted == 0 && refused > 0)
		return EXIT_CHECK_FAILED;
	return EXIT_PASS;
}

/* Credentials for the counts: SigV4, or a Bedrock API key. */
static void
resolve_creds(struct regions *d)
{
	err_clear(&d->cred_err);
	if (session_resolve_creds(d->s, time(NULL), &d->cred_err) == 0 ||
	    (d->s->report != NULL && d->s->report->bearer != NULL))
		d->asked = 1;
}

/* One line: no counts, why, and how to get them. */
static void
print_no_creds(const struct regions *d)
{
	struct diagnose_ctx	 ctx;
	struct diagnose_result	 dr;

	memset(&ctx, 0, sizeof ctx);
	ctx.op = DIAGNOSE_OP_CREDENTIALS;
	ctx.aws_profile = d->s->cfg->profile;
	diagnose_err(&d->cred_err, &ctx, &dr);
	fprintf(stderr, _("%s: latency only, models not counted: %s To count "
	    "the text models in each Region, set up credentials (`aws "
	    "configure`, `aws sso login`, or --profile NAME) and run "
	    "again.\n"), PACKAGE, dr.cause);
}

static void
print_unreachable(const struct regions *d)
{
	fprintf(stderr, _("%s: no Region answered (%s: %s)\n"), PACKAGE,
	    d->rows[0].r->id, d->rows[0].probe.err.message);
	out_lines(stderr, _("Check the network connection, the firewall and "
	    "the proxy settings (https_proxy, no_proxy).\n"
	    "Retry with a longer --timeout if the network is slow."), 2);
}

static int
parse_args(struct regions *d, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_LONGOPTS,
		{ "json", no_argument, NULL, 'j' },
		{ "geography", required_argument, NULL, 'G' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int	 c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			d->json = 1;
			break;
		case 'G':
			if ((d->geography = find_geography(d->cat, optarg)) ==
			    NULL) {
				bad_geography(d->cat, optarg);
				return -1;
			}
			break;
		case 't':
			if ((d->timeout_ms = parse_timeout(optarg)) < 0) {
				cli_usage_error(_("--timeout needs a number of "
				    "seconds above 0 and at most %g, not '%s'"),
				    MAX_TIMEOUT_S, optarg);
				return -1;
			}
			break;
		case 'h':
			regions_usage(stdout);
			return 1;
		default:		/* '?', ':' and the global options */
			if ((r = cli_other_opt(d->g, argc, argv, c,
			    optarg)) != 0)
				return r;
		}
	}
	if (optind < argc) {
		cli_usage_error(_("regions takes no argument '%s'"),
		    argv[optind]);
		return -1;
	}
	return 0;
}

int
cmd_regions(struct global_opts *g, int argc, char **argv)
{
	struct regions		 d;
	struct session_opts	 so;
	struct err		 e;
	size_t			 i, n;
	int			 r;

	memset(&d, 0, sizeof d);
	d.g = g;
	d.timeout_ms = DEFAULT_TIMEOUT_MS;
	if ((d.cat = catalog_load_embedded(&e)) == NULL) {
		fprintf(stderr, _("%s: the built-in catalog is damaged: %s\n"),
		    PACKAGE, e.message);
		return EXIT_CANNOT_RUN;
	}
	if ((r = parse_args(&d, argc, argv)) != 0) {
		catalog_free(d.cat);
		return r > 0 ? EXIT_PASS : EXIT_USAGE;
	}
	cli_session_opts(g, &so);
	so.timeout_ms = d.timeout_ms;
	err_clear(&e);
	if (session_open(&so, &d.s, &e) != 0) {
		out_config_error(&e, g->profile);
		catalog_free(d.cat);
		return EXIT_CANNOT_RUN;
	}
	n = catalog_region_count(d.cat);
	d.rows = xcalloc(n + 1, sizeof *d.rows);
	for (i = 0; i < n; i++) {
		const struct catalog_region *cr = catalog_region_at(d.cat, i);

		if (d.geography != NULL && strcmp(cr->geography,
		    d.geography) != 0)
			continue;
		d.rows[d.n].r = cr;
		d.rows[d.n].idx = i;
		d.n++;
	}
	resolve_creds(&d);
	sweep(&d);
	qsort(d.rows, d.n, sizeof *d.rows, row_cmp);
	if (d.json)
		print_json(&d);
	else
		print_text(&d);
	fflush(stdout);
	r = exit_status(&d);
	if (r == EXIT_CANNOT_RUN)
		print_unreachable(&d);	/* says it all */
	else if (!d.asked)
		print_no_creds(&d);
	else
		print_count_notes(&d);
	session_close(d.s);
	catalog_free(d.cat);
	free(d.rows);
	return r;
}
