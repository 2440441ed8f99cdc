/*
 * models.c: "bedrock-setup models": the models a Region offers, how each
 * is called there, and whether this account may call it yet.
 *
 * The list (modellist.h, shared with the wizard) is live
 * (ListFoundationModels and ListInferenceProfiles) or, when listing is
 * refused or there are no credentials, the built-in catalog's view of the
 * Region; stderr says which.  Each model is resolved to the id to call
 * from the Region, and its access state fetched for every listed model
 * at once.  Legacy models are hidden unless --all.
 *
 * Exit status: 0 when the list was produced (live or from the catalog,
 * whatever the access states), 2 usage error, 3 when neither AWS nor the
 * catalog could list the Region's models.
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "access.h"
#include "bedrock.h"
#include "buf.h"
#include "catalog.h"
#include "cli/cli.h"
#include "cli/models.h"
#include "cli/output.h"
#include "creds.h"
#include "diagnose.h"
#include "endpoint.h"
#include "err.h"
#include "gettext.h"
#include "json.h"
#include "modellist.h"
#include "resolve.h"
#include "session.h"
#include "xalloc.h"

#define TEXT_WIDTH	80	/* wrap details and the legend here */
#define NAME_WIDTH_MAX	30	/* longer names push their row */
#define DETAIL_INDENT	6

enum {
	OPT_PROVIDER = OPT_FIRST_LOCAL,
	OPT_ALL,
	OPT_JSON
};

struct models {
	struct global_opts	*g;
	int			 json;
	int			 all;
	const char		*provider;	/* --provider */
	struct catalog		*cat;
	struct session		*s;
	const char		*region;
	struct endpoint		 ep;
	struct bedrock_ctx	 bc;
	struct modellist	 list;
	struct err		 list_err;	/* why it is not live */
	int			 list_op;	/* enum diagnose_op of it */
	int			 skip_access;	/* list_err: no access calls */
	int			 listing_live;	/* keep_row: note providers */
	char			**others;	/* live providers the catalog
						   does not know */
	size_t			 nothers;
	size_t			 matched;	/* --provider's, legacy too */
	size_t			 hidden;	/* legacy rows left out */
};

static void
models_usage(FILE *f)
{
	fprintf(f, _("Usage: %s models [--region R] [--provider P] [--all] "
	    "[--json] [OPTION]...\n"), PACKAGE);
	fputs(_(
"List the models a Region offers: provider, name, id, modalities,\n"
"streaming, lifecycle, how each is called there (on demand, or the\n"
"inference profile id to use), and whether this account may call it yet\n"
"(GetFoundationModelAvailability and Anthropic's use-case form, asked for\n"
"every model at once).  Without credentials, or when listing is refused,\n"
"the built-in catalog is shown instead, as stderr says.\n"
"\n"
"  --region R         the Region to list (default: the profile's)\n"
"  --provider P       only this provider, by name or id prefix, ignoring\n"
"                     case: Anthropic, anthropic, \"mistral ai\", mistral\n"
"  --all              also list Legacy models\n"
"  --json             print a JSON array instead of a table\n"
"  -h, --help         show this help\n"
"\n"
"Access states: granted, pending (terms being processed or to accept),\n"
"needs-form, needs-subscription, not-in-region, denied, unknown.  IAM\n"
"permission to invoke is checked by 'bedrock-setup doctor --model ID'.\n"
"\n"
"Global options (--profile, --region, --endpoint-url, --demo, --debug,\n"
"--no-color) work here too.\n"
"\n"
"Exit status: 0 the list was produced (whatever the access states),\n"
"2 usage error, 3 neither AWS nor the built-in catalog could list the\n"
"Region's models.\n"), f);
}

static int
parse_args(struct models *m, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_LONGOPTS,
		{ "provider", required_argument, NULL, OPT_PROVIDER },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int	 c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PROVIDER:
			if (*optarg == '\0') {
				cli_usage_error(_("--provider needs a provider "
				    "name, such as Anthropic"));
				return EXIT_USAGE;
			}
			m->provider = optarg;
			break;
		case OPT_ALL:
			m->all = 1;
			break;
		case OPT_JSON:
			m->json = 1;
			break;
		case 'h':
			models_usage(stdout);
			return -1;
		default:		/* '?', ':' and the global options */
			if ((r = cli_other_opt(m->g, argc, argv, c,
			    optarg)) != 0)
				return r > 0 ? -1 : EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_usage_error(_("models takes no argument '%s'"),
		    argv[optind]);
		return EXIT_USAGE;
	}
	return EXIT_PASS;
}

/* ---- providers ---- */

/*
 * Whether --provider want names this model's provider: its name or the
 * catalog's id for it, ignoring case, or the first part of its id.
 */
static int
provider_matches(const struct catalog *cat, const char *want,
    const char *name, const char *id)
{
	const struct catalog_provider	*p = catalog_provider(cat, want);
	size_t				 n = strlen(want);

	if (name != NULL && (strcasecmp(want, name) == 0 ||
	    (p != NULL && strcasecmp(p->name, name) == 0)))
		return 1;
	return id != NULL && strncasecmp(id, want, n) == 0 && id[n] == '.';
}

/* "Anthropic (anthropic), Amazon (amazon), ..." and live-only names. */
static void
known_providers(const struct models *m, struct buf *b)
{
	size_t	 i;

	for (i = 0; i < catalog_provider_count(m->cat); i++) {
		const struct catalog_provider *p = catalog_provider_at(m->cat,
		    i);

		buf_printf(b, "%s%s (%s)", i > 0 ? ", " : "", p->name, p->id);
	}
	for (i = 0; i < m->nothers; i++)
		buf_printf(b, ", %s", m->others[i]);
}

/* A live provider the catalog does not know, once, in the list's order. */
static void
note_provider(struct models *m, const struct modellist_row *r)
{
	size_t	 i;

	/* AWS named no provider: the row's is the id's (see modellist.h). */
	if (strcmp(r->provider, r->id) == 0 ||
	    catalog_provider(m->cat, r->provider) != NULL)
		return;
	for (i = 0; i < m->nothers; i++)
		if (strcmp(m->others[i], r->provider) == 0)
			return;
	m->others = xreallocarray(m->others, m->nothers + 1,
	    sizeof *m->others);
	m->others[m->nothers++] = xstrdup(r->provider);
}

/* Whether a model is listed: --provider's, and not legacy unless --all. */
static int
keep_row(const struct modellist_row *r, void *arg)
{
	struct models	*m = arg;

	if (m->listing_live)
		note_provider(m, r);
	if (m->provider != NULL && !provider_matches(m->cat, m->provider,
	    r->provider, r->id))
		return 0;
	m->matched++;
	if (r->legacy && !m->all) {
		m->hidden++;
		return 0;
	}
	return 1;
}

static void
list_opts(struct models *m, struct modellist_opts *o)
{
	memset(o, 0, sizeof *o);
	o->keep = keep_row;
	o->keep_arg = m;
}

/* ---- fetching ---- */

static void
diagnose_list(const struct models *m, const struct err *e, int op,
    struct diagnose_result *r)
{
	struct diagnose_ctx	 ctx;
	long			 off;

	memset(&ctx, 0, sizeof ctx);
	ctx.op = (enum diagnose_op)op;
	ctx.region = m->region;
	if (http_client_clock_offset(m->s->http, &off)) {
		ctx.clock_known = 1;
		ctx.clock_offset = -off;	/* local minus AWS */
	}
	ctx.aws_profile = m->s->cfg->profile;
	ctx.bearer = m->bc.bearer != NULL;
	if (m->s->report != NULL && m->s->report->used == CREDS_SRC_SSO)
		ctx.sso = 1;
	diagnose_err(e, &ctx, r);
}

/* Credentials, then the Region's models and profiles, live. */
static int
fetch_live(struct models *m)
{
	struct modellist_opts	 o;
	struct err		 e;
	int			 r;

	err_clear(&e);
	m->list_op = DIAGNOSE_OP_CREDENTIALS;
	r = session_resolve_creds(m->s, time(NULL), &e);
	/* A Bedrock API key is enough for Bedrock's own calls. */
	if (r != 0 && (m->s->report == NULL || m->s->report->bearer == NULL))
		goto fail;
	err_clear(&e);
	if (session_endpoint(m->s, EP_BEDROCK, m->region, &m->ep, &e) != 0) {
		m->list_op = DIAGNOSE_OP_RESOLVE;
		goto fail;
	}
	m->bc.http = m->s->http;
	m->bc.ep = &m->ep;
	m->bc.creds = session_creds(m->s);
	m->bc.bearer = m->s->report->bearer;
	m->bc.region = m->region;
	list_opts(m, &o);
	m->listing_live = 1;
	r = modellist_live(&m->bc, m->cat, &o, &m->list, &e);
	m->listing_live = 0;
	if (r != 0) {
		m->list_op = m->list.failed_op;
		goto fail;
	}
	return 0;
fail:
	err_copy(&m->list_err, &e);
	return -1;
}

/* The first line of a fix. */
static void
first_line(const char *text, char *dst, size_t size)
{
	size_t	 n = strcspn(text, "\n");

	snprintf(dst, size, "%.*s", (int)(n < size ? n : size - 1), text);
}

/* Say why the list is not live; list the catalog's instead. */
static int
use_catalog(struct models *m)
{
	struct modellist_opts	 o;
	struct diagnose_result	 r;
	struct err		 e;
	char			 fix[512];

	diagnose_list(m, &m->list_err, m->list_op, &r);
	m->skip_access = r.gate == DIAGNOSE_GATE_CREDENTIALS || r.network ||
	    m->bc.http == NULL;
	err_clear(&e);
	first_line(r.fix, fix, sizeof fix);
	list_opts(m, &o);
	if (modellist_from_catalog(m->cat, m->region, &o, &m->list,
	    &e) != 0) {
		/* L10N: %s is a Region, then why listing it failed. */
		cli_say(_("cannot list the models of %s: %s"), m->region,
		    r.cause);
		cli_say(_("the built-in catalog does not know %s either"),
		    m->region);
		if (fix[0] != '\0')
			/* L10N: the first step of the fix of a failure. */
			cli_say(_("fix: %s"), fix);
		return -1;
	}
	cli_say(_("could not list the models of %s live: %s"), m->region,
	    r.cause);
	if (m->skip_access)
		/* L10N: %s is the date of the built-in catalog. */
		cli_say(_("showing the built-in catalog (%s) instead; access "
		    "states are unknown"), catalog_date(m->cat));
	else
		cli_say(_("showing the built-in catalog (%s) instead; access "
		    "states are checked live"), catalog_date(m->cat));
	if (fix[0] != '\0')
		cli_say(_("fix: %s"), fix);
	return 0;
}

/* ---- output ---- */

/* ASCII upper case to lower, whatever the locale. */
static char
lower(char c)
{
	return (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

/* Modalities as "text,image", lower case; the caller frees. */
static char *
join_lower(const struct bedrock_strv *sv)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, k;

	for (i = 0; i < sv->n; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		for (k = 0; sv->v[i][k] != '\0'; k++)
			buf_addc(&b, lower(sv->v[i][k]));
	}
	return buf_take(&b, NULL);
}

static const char *
call_label(const struct modellist_row *r, char *buf, size_t size)
{
	size_t	 n;

	switch (r->callable ? r->how.kind : RESOLVE_NONE) {
	case RESOLVE_ON_DEMAND:
		/* L10N: how a model is called: by its own id. */
		return _("on-demand");
	case RESOLVE_GEO_PROFILE:
		n = strcspn(r->how.invoke_id, ".");
		/* L10N: called through a geographic inference profile;
		   %.*s is its prefix, such as "us" or "eu". */
		snprintf(buf, size, _("%.*s profile"), (int)n,
		    r->how.invoke_id);
		return buf;
	case RESOLVE_GLOBAL_PROFILE:
		return _("global profile");
	case RESOLVE_APP_PROFILE:
		return _("app profile");
	case RESOLVE_PROVISIONED:
		return _("provisioned");
	default:
		/* L10N: the model cannot be called from this Region. */
		return _("none");
	}
}

static const char *
state_color(enum access_state s)
{
	switch (s) {
	case ACCESS_GRANTED:
		return "\033[32m";
	case ACCESS_NOT_IN_REGION:
	case ACCESS_DENIED:
		return "\033[31m";
	case ACCESS_UNKNOWN:
		return "\033[2m";
	default:
		return "\033[33m";
	}
}

/* text wrapped at TEXT_WIDTH, every line indented by indent. */
static void
wrap(const char *text, int indent)
{
	const char	*p = text;
	int		 col = 0, len;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		len = (int)strcspn(p, " ");
		if (len == 0)
			break;
		if (col > indent && col + 1 + len > TEXT_WIDTH) {
			putchar('\n');
			col = 0;
		}
		if (col == 0) {
			printf("%*s", indent, "");
			col = indent;
		} else {
			putchar(' ');
			col++;
		}
		fwrite(p, 1, (size_t)len, stdout);
		col += len;
		p += len;
	}
	if (col > 0)
		putchar('\n');
}

/* Nothing to list: say so, and where else the catalog has the provider. */
static void
empty(const struct models *m, FILE *f)
{
	const struct catalog_provider	*p;
	const struct catalog_model	*cm[256];
	const struct catalog_region	*cr[64];
	const char			*seen[8];
	struct buf			 b;
	size_t				 n, i, k, j, nr, nseen = 0;
	int				 more = 0;

	if (m->provider == NULL) {
		fprintf(f, _("No models are offered in %s.\n"), m->region);
		return;
	}
	p = catalog_provider(m->cat, m->provider);
	/* L10N: a provider, then the Region. */
	fprintf(f, _("No %s models are offered in %s.\n"), p != NULL ?
	    p->name : m->provider, m->region);
	if (p == NULL)
		return;
	n = catalog_models_by_provider(m->cat, p->name, cm,
	    sizeof cm / sizeof cm[0]);
	for (i = 0; i < n && i < sizeof cm / sizeof cm[0]; i++) {
		nr = catalog_model_regions(m->cat, cm[i]->id, cr,
		    sizeof cr / sizeof cr[0]);
		for (k = 0; k < nr && k < sizeof cr / sizeof cr[0]; k++) {
			if (strcmp(cr[k]->id, m->region) == 0)
				continue;
			for (j = 0; j < nseen; j++)
				if (strcmp(seen[j], cr[k]->id) == 0)
					break;
			if (j < nseen)
				continue;
			if (nseen == sizeof seen / sizeof seen[0]) {
				more = 1;
				break;
			}
			seen[nseen++] = cr[k]->id;
		}
	}
	if (nseen == 0)
		return;
	buf_init(&b, 0);
	for (j = 0; j < nseen; j++)
		buf_printf(&b, "%s%s", j > 0 ? ", " : "", seen[j]);
	if (more)
		/* L10N: after a list of Regions cut short. */
		fprintf(f, _("The built-in catalog lists them in %s and "
		    "more.\n"), buf_str(&b));
	else
		fprintf(f, _("The built-in catalog lists them in %s.\n"),
		    buf_str(&b));
	buf_free(&b);
}

static void
print_text(const struct models *m)
{
	const char	*h_model = _("MODEL"), *h_access = _("ACCESS");
	const char	*h_call = _("CALL"), *h_mod = _("INPUT > OUTPUT");
	int		 color = out_color(stdout, m->g->color);
	int		 wn, wa, wc;
	size_t		 i;
	char		 cb[64], *in, *out;

	if (m->list.n == 0)
		empty(m, stdout);
	else
		/* L10N: the Region, the count, where the list comes from. */
		printf(ngettext("%s: %zu model, from %s.\n",
		    "%s: %zu models, from %s.\n", m->list.n), m->region,
		    m->list.n, m->list.live ? _("ListFoundationModels and "
		    "ListInferenceProfiles") : _("the built-in catalog"));
	wn = out_width(h_model);
	wa = out_width(h_access);
	wc = out_width(h_call);
	for (i = 0; i < m->list.n; i++) {
		const struct modellist_row *r = &m->list.rows[i];
		int w = out_width(r->name);

		if (w > wn && w <= NAME_WIDTH_MAX)
			wn = w;
		if ((w = out_width(access_state_id(r->access.state))) > wa)
			wa = w;
		if ((w = out_width(call_label(r, cb, sizeof cb))) > wc)
			wc = w;
	}
	if (m->list.n > 0) {
		printf("\n  ");
		out_cell(stdout, h_model, wn + 2, 0, NULL);
		out_cell(stdout, h_access, wa + 2, 0, NULL);
		out_cell(stdout, h_call, wc + 2, 0, NULL);
		printf("%s\n", h_mod);
	}
	for (i = 0; i < m->list.n; i++) {
		const struct modellist_row *r = &m->list.rows[i];
		const struct modellist_row *prev = i > 0 ?
		    &m->list.rows[i - 1] : NULL;

		if (prev == NULL || strcmp(r->provider, prev->provider) != 0)
			printf("%s%s%s\n", color ? "\033[1m" : "",
			    r->provider, color ? "\033[0m" : "");
		printf("  ");
		out_cell(stdout, r->name, wn + 2, 0, NULL);
		out_cell(stdout, access_state_id(r->access.state), wa + 2, 0,
		    color ? state_color(r->access.state) : NULL);
		out_cell(stdout, call_label(r, cb, sizeof cb), wc + 2, 0,
		    NULL);
		in = join_lower(&r->input);
		out = join_lower(&r->output);
		printf("%s > %s", in != NULL && in[0] != '\0' ? in : "?",
		    out != NULL && out[0] != '\0' ? out : "?");
		free(in);
		free(out);
		putchar('\n');
		/* The id in full, never cut: it is what scripts copy. */
		printf("%*s%s", DETAIL_INDENT, "", r->callable ?
		    r->how.invoke_id : r->id);
		if (!r->callable)
			printf("  %s", _("(not callable here)"));
		if (r->streaming == 0)
			/* L10N: marks a model that cannot stream its answer. */
			printf("  %s", _("(no streaming)"));
		if (r->legacy)
			printf("  %s", _("[legacy]"));
		putchar('\n');
		/* The same next step as the row above: said once. */
		if (r->access.state != ACCESS_GRANTED && (prev == NULL ||
		    strcmp(r->provider, prev->provider) != 0 ||
		    strcmp(r->access.detail, prev->access.detail) != 0))
			wrap(r->access.detail, DETAIL_INDENT);
	}
	if (m->hidden > 0) {
		putchar('\n');
		/* L10N: %zu legacy models were left out of the list. */
		printf(ngettext("%zu legacy model is hidden; --all lists it.\n",
		    "%zu legacy models are hidden; --all lists them.\n",
		    m->hidden), m->hidden);
	}
	if (m->list.n > 0) {
		putchar('\n');
		/* L10N: keep the state ids (granted, pending, needs-form, ...)
		   as they are: they are what the ACCESS column shows. */
		wrap(_("Access: granted = enabled for this account; pending = "
		    "Marketplace terms being processed or waiting to be "
		    "accepted; needs-form = Anthropic's use-case form not "
		    "submitted; needs-subscription = Marketplace subscription "
		    "or payment method missing; not-in-region = not offered "
		    "here; denied = this identity is not authorized; unknown = "
		    "could not tell.  IAM permission to invoke: see "
		    "'bedrock-setup doctor --model ID'."), 0);
	}
}

/* Modalities as ["text", "image"], lower case. */
static struct json *
modalities_json(const struct bedrock_strv *sv)
{
	struct json	*a = json_new_array();
	size_t		 i, k;
	char		 one[64];

	for (i = 0; i < sv->n; i++) {
		for (k = 0; sv->v[i][k] != '\0' && k < sizeof one - 1; k++)
			one[k] = lower(sv->v[i][k]);
		one[k] = '\0';
		json_push_str(a, one);
	}
	return a;
}

static void
print_json(const struct models *m)
{
	struct json	*a = json_new_array(), *o;
	size_t		 i;

	for (i = 0; i < m->list.n; i++) {
		const struct modellist_row *r = &m->list.rows[i];

		o = json_new_object();
		json_set_str(o, "modelId", r->id);
		json_set_str(o, "provider", r->provider);
		json_set_str(o, "name", r->name);
		json_set_str(o, "invoke_id", r->callable ?
		    r->how.invoke_id : NULL);
		json_set_str(o, "call", r->callable ?
		    resolve_kind_name(r->how.kind) : NULL);
		if (r->streaming < 0)
			json_set_null(o, "streaming");
		else
			json_set_bool(o, "streaming", r->streaming);
		json_set_str(o, "lifecycle", r->lifecycle);
		json_set(o, "input_modalities", modalities_json(&r->input));
		json_set(o, "output_modalities", modalities_json(&r->output));
		json_set_str(o, "access", access_state_id(r->access.state));
		json_set_str(o, "access_detail", r->access.detail);
		json_push(a, o);
	}
	out_json(a);
	json_free(a);
}

/* ---- the command ---- */

static int
run(struct models *m)
{
	struct session_opts	 so;
	struct err		 e;
	struct buf		 b;

	cli_session_opts(m->g, &so);
	err_clear(&e);
	if (session_open(&so, &m->s, &e) != 0) {
		m->s = NULL;
		out_config_error(&e, m->g->profile);
		return EXIT_CANNOT_RUN;
	}
	if ((m->region = m->s->region.value) == NULL) {
		cli_say(_("no Region is set, so there is no list to show"));
		cli_say(_("fix: pass --region (e.g. --region us-east-1), set "
		    "AWS_REGION, or add 'region = us-east-1' to the profile"));
		return EXIT_CANNOT_RUN;
	}
	if (fetch_live(m) != 0 && use_catalog(m) != 0)
		return EXIT_CANNOT_RUN;
	if (m->provider != NULL && m->matched == 0 &&
	    catalog_provider(m->cat, m->provider) == NULL) {
		buf_init(&b, 0);
		known_providers(m, &b);
		cli_usage_error(_("unknown provider '%s'; known: %s"),
		    m->provider, buf_str(&b));
		buf_free(&b);
		return EXIT_USAGE;
	}
	if (m->skip_access)
		modellist_unknown_access(&m->list, &m->list_err, m->list_op);
	else
		modellist_check_access(&m->bc, m->cat, &m->list);
	if (m->json) {
		print_json(m);
		if (m->list.n == 0)
			empty(m, stderr);
	}
	else
		print_text(m);
	return EXIT_PASS;
}

int
cmd_models(struct global_opts *g, int argc, char **argv)
{
	struct models	 m;
	struct err	 e;
	int		 rc;

	memset(&m, 0, sizeof m);
	m.g = g;
	err_clear(&m.list_err);
	if ((rc = parse_args(&m, argc, argv)) != EXIT_PASS)
		return rc < 0 ? EXIT_PASS : rc;
	if ((m.cat = catalog_load_embedded(&e)) == NULL) {
		cli_say(_("the built-in catalog is damaged: %s"), e.message);
		return EXIT_CANNOT_RUN;
	}
	rc = run(&m);
	modellist_free(&m.list);
	while (m.nothers > 0)
		free(m.others[--m.nothers]);
	free(m.others);
	session_close(m.s);
	catalog_free(m.cat);
	return rc;
}
