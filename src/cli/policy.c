/*
 * policy.c: "bedrock-setup policy": print (or write) the least-privilege
 * IAM policy for calling chosen models from one Region, in the format a
 * person deploys with, lint it, and optionally explain it and have IAM
 * Access Analyzer validate it.
 *
 * Offline, models are resolved against a resolve_view filled from the
 * shipped catalog.  With credentials, the view is the Region's live one
 * (ListFoundationModels and ListInferenceProfiles, so a profile's
 * destination Regions are AWS's current list); when that cannot be read
 * (no permission, no network) the catalog is used, with a warning.  The
 * network is also used for the account id (STS, when credentials exist
 * and no --account is given) and for --validate.
 *
 * Streams: the policy goes to stdout, or to the -o file.  Everything for
 * people (lint findings, the placeholder note, --explain, Access
 * Analyzer's findings) goes to stderr while stdout carries the policy, so
 * "policy > file" and pipes stay clean; with -o, stdout is free and the
 * explanation and findings go there.
 */
#include <config.h>

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atomicfile.h"
#include "bedrock.h"
#include "buf.h"
#include "catalog.h"
#include "cli/cli.h"
#include "cli/output.h"
#include "cli/policy.h"
#include "creds.h"
#include "diagnose.h"
#include "endpoint.h"
#include "err.h"
#include "gettext.h"
#include "hdr.h"
#include "http.h"
#include "json.h"
#include "core/policy.h"	/* not cli/policy.h, found first */
#include "policy_format.h"
#include "resolve.h"
#include "session.h"
#include "sts.h"
#include "xalloc.h"

#define VALIDATE_MAX_PAGES	50

enum {
	OPT_MODEL = OPT_FIRST_LOCAL,
	OPT_ACCOUNT,
	OPT_NO_STREAM,
	OPT_WITH_DISCOVERY,
	OPT_WITH_ENABLEMENT,
	OPT_WITH_API_KEYS,
	OPT_RESTRICT_REGION,
	OPT_FORMAT,
	OPT_FORCE,
	OPT_VALIDATE,
	OPT_EXPLAIN,
	OPT_NAME
};

enum account_from { ACCOUNT_PLACEHOLDER, ACCOUNT_FLAG, ACCOUNT_STS,
    ACCOUNT_CREDS };

struct pol {
	struct global_opts	*g;
	const char		**models;
	size_t			 nmodels;
	const char		*account_opt;
	enum policy_format_kind	 format;
	const char		*out_path;
	const char		*name;
	int			 no_stream, discovery, enablement, api_keys;
	int			 restrict_region, force, validate, explain;

	struct catalog		*cat;
	struct session		*s;
	struct err		 open_err;
	int			 creds_tried, creds_ok;
	char			 region[64];
	char			 account[16];	/* "" when unknown */
	enum account_from	 account_from;
	FILE			*side;	/* for people: stderr or stdout */
};

static void
policy_usage(FILE *f)
{
	fprintf(f, _("Usage: %s policy [--model ID]... [OPTION]...\n"),
	    PACKAGE);
	fputs(_(
"Print the least-privilege IAM policy for calling the chosen Bedrock\n"
"models from one Region, in the format you deploy with.  Works offline\n"
"from the shipped catalog; no credentials are needed.  With credentials,\n"
"the Region's live model and inference-profile lists are used.\n"
"\n"
"  --region REGION     the Region you call Bedrock in (else your config)\n"
"  --model ID          a model id, an inference profile id (us.X, global.X),\n"
"                      or an application inference profile or provisioned\n"
"                      model ARN; repeat for several models (default: the\n"
"                      Region's recommended low-cost model)\n"
"  --account ID        the 12-digit account id (default: from your\n"
"                      credentials through STS, else <ACCOUNT_ID>)\n"
"  --no-stream         leave out bedrock:InvokeModelWithResponseStream\n"
"                      (ConverseStream will be denied)\n"
"  --with-discovery    add the read-only listing actions\n"
"  --with-enablement   add the one-time model enablement actions (admins)\n"
"  --with-api-keys     add bedrock:CallWithBearerToken (Bedrock API keys)\n"
"  --restrict-region   add aws:RequestedRegion conditions\n"
"  --format FORMAT     json (default), cloudformation, terraform, cli, scp\n"
"  --name NAME         the managed policy's name (default BedrockSetupPolicy)\n"
"  -o, --output FILE   write to FILE (mode 0644) instead of stdout\n"
"  --force             replace FILE if it exists\n"
"  --explain           say why each statement is there\n"
"  --validate          check the policy with IAM Access Analyzer\n"
"                      (needs credentials and the network)\n"
"  -h, --help          show this help\n"
"\n"
"Global options (--profile, --region, --endpoint-url, --demo, --debug,\n"
"--no-color) work here too.\n"
"\n"
"Exit status: 0 done, 1 the policy has errors (lint or Access Analyzer),\n"
"2 usage error (unknown model, Region or format), 3 could not run\n"
"(network, credentials for --validate, the file could not be written).\n"),
	    f);
}

/*
 * What e says, safe to print: its first line, cut where AWS echoes the
 * signed request (a signature mismatch quotes the session token), with
 * signatures masked (diagnose_safe_message()).
 */
static const char *
safe_message(const struct err *e, char *buf, size_t size)
{
	diagnose_safe_message(e, NULL, buf, size);
	return buf;
}

static int
account_valid(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return i == 12;
}

/* The Regions the catalog knows, for an error message. */
static void
known_regions(const struct catalog *cat, struct buf *b)
{
	size_t	 i;

	for (i = 0; i < catalog_region_count(cat); i++)
		buf_printf(b, "%s%s", i > 0 ? ", " : "",
		    catalog_region_at(cat, i)->id);
}

/* Settle the Region: --region, or the config's (the demo's with --demo). */
static int
find_region(struct pol *p)
{
	const char	*r = p->g->region;
	struct buf	 b;

	if (r == NULL && p->s != NULL)
		r = p->s->region.value;
	if (r == NULL && p->s == NULL && p->open_err.kind != ERR_NONE) {
		out_config_error(&p->open_err, p->g->profile);
		return EXIT_CANNOT_RUN;
	}
	if (r == NULL) {
		cli_usage_error(_("no Region: pass --region (for example "
		    "--region us-east-1) or set AWS_REGION"));
		return EXIT_USAGE;
	}
	if (!endpoint_region_valid(r) || strlen(r) >= sizeof p->region ||
	    catalog_region(p->cat, r) == NULL) {
		buf_init(&b, 0);
		known_regions(p->cat, &b);
		cli_say(_("unknown Region '%s'; the catalog knows: %s"), r,
		    buf_str(&b));
		buf_free(&b);
		return EXIT_USAGE;
	}
	snprintf(p->region, sizeof p->region, "%s", r);
	return EXIT_PASS;
}

/* Whether the session has credentials; the chain runs once. */
static int
have_creds(struct pol *p)
{
	struct err	 e;

	if (p->s == NULL)
		return 0;
	if (!p->creds_tried) {
		p->creds_tried = 1;
		err_clear(&e);
		p->creds_ok = session_resolve_creds(p->s, time(NULL), &e) == 0;
	}
	return p->creds_ok;
}

/*
 * The account: --account, the credentials' own, STS; else unknown (the
 * placeholder).  With --demo the session's chain and STS are the demo
 * account's.  Failing to ask STS is not fatal.
 */
static void
find_account(struct pol *p)
{
	struct sts_identity	 id;
	struct endpoint		 ep;
	const struct creds	*cr;
	struct err		 e;
	char			 why[512];

	p->account_from = ACCOUNT_PLACEHOLDER;
	if (p->account_opt != NULL) {
		snprintf(p->account, sizeof p->account, "%s", p->account_opt);
		p->account_from = ACCOUNT_FLAG;
		return;
	}
	err_clear(&e);
	if (p->s == NULL) {
		if (p->open_err.kind != ERR_NONE)
			cli_say(_("warning: cannot read the AWS configuration "
			    "(%s); the policy uses %s"), p->open_err.message,
			    RESOLVE_ACCOUNT_PLACEHOLDER);
		return;
	}
	if (!have_creds(p))
		return;		/* no credentials: the placeholder */
	cr = session_creds(p->s);
	if (cr->account_id != NULL && account_valid(cr->account_id)) {
		snprintf(p->account, sizeof p->account, "%s", cr->account_id);
		p->account_from = ACCOUNT_CREDS;
		return;
	}
	if (session_endpoint(p->s, EP_STS, p->region, &ep, &e) != 0 ||
	    sts_get_caller_identity(p->s->http, &ep, cr, &id, &e) != 0 ||
	    !account_valid(id.account)) {
		/* L10N: %s is why STS failed. */
		cli_say(_("warning: could not learn the account id from STS "
		    "(%s); the policy uses %s"),
		    safe_message(&e, why, sizeof why),
		    RESOLVE_ACCOUNT_PLACEHOLDER);
		return;
	}
	snprintf(p->account, sizeof p->account, "%s", id.account);
	p->account_from = ACCOUNT_STS;
}

/*
 * What is known about the Region: with credentials, AWS's live answers;
 * else, or when they cannot be read, the catalog.
 */
static int
build_view(struct pol *p, struct resolve_view *v, struct err *e)
{
	struct bedrock_ctx	 bc;
	struct endpoint		 ep;
	struct err		 le;
	char			 why[512];
	const char		*account = p->account[0] != '\0' ?
	    p->account : NULL;

	err_clear(&le);
	if (have_creds(p) &&
	    session_endpoint(p->s, EP_BEDROCK, p->region, &ep, &le) == 0) {
		memset(&bc, 0, sizeof bc);
		bc.http = p->s->http;
		bc.ep = &ep;
		bc.creds = session_creds(p->s);
		bc.bearer = p->s->report != NULL ? p->s->report->bearer : NULL;
		bc.region = p->region;
		if (bedrock_live_view(&bc, account, v, &le) == 0)
			return 0;
		resolve_view_free(v);
	}
	if (le.kind != ERR_NONE)
		/* L10N: %s is why the live lists could not be read. */
		cli_say(_("warning: could not read the Region's models and "
		    "inference profiles (%s); the policy uses the built-in "
		    "catalog"), safe_message(&le, why, sizeof why));
	return resolve_view_from_catalog(v, p->cat, p->region, account, e);
}

/* Resolve every --model (or the default) into results[]. */
static int
resolve_models(struct pol *p, const struct resolve_view *v,
    struct resolve_result *res, size_t *nres)
{
	const struct catalog_model	*dm;
	const char			*dflt[1];
	const char			**ids = p->models;
	size_t				 n = p->nmodels, i;
	struct err			 e;

	*nres = 0;
	if (n == 0) {
		if ((dm = catalog_default_model(p->cat, p->region)) == NULL) {
			cli_usage_error(_("the catalog has no recommended "
			    "model for %s: pass --model"), p->region);
			return EXIT_USAGE;
		}
		dflt[0] = dm->id;
		ids = dflt;
		n = 1;
		/* L10N: %s is a model id, then a Region. */
		cli_say(_("no --model given: using %s, the recommended "
		    "low-cost model of %s"), dm->id, p->region);
	}
	for (i = 0; i < n; i++) {
		err_clear(&e);
		if (resolve_model(v, p->cat, ids[i], &res[i], &e) != 0) {
			resolve_result_free(&res[i]);
			/* L10N: an unknown model; %s: the id, the reason,
			   then the Region twice. */
			cli_say(_("cannot use model '%s': %s  Find model ids "
			    "with 'aws bedrock list-foundation-models "
			    "--region %s' and profile ids with 'aws bedrock "
			    "list-inference-profiles --region %s'."), ids[i],
			    e.message, p->region, p->region);
			return EXIT_USAGE;
		}
		(*nres)++;
		if (res[i].legacy)
			cli_say(_("warning: %s is a legacy model; it may stop "
			    "working soon"), ids[i]);
	}
	return EXIT_PASS;
}

/* Print lint findings on stderr; returns the number of errors. */
static size_t
lint(struct pol *p, const struct json *doc)
{
	struct policy_findings	 f;
	size_t			 i, errors;

	errors = policy_lint(p->cat, doc, &f);
	for (i = 0; i < f.n; i++) {
		const struct policy_finding *x = &f.v[i];

		/* L10N: a lint finding: severity, [Sid], message. */
		fprintf(stderr, _("policy lint: %s: %s%s%s%s\n"),
		    _(policy_severity_name(x->severity)),
		    x->sid[0] != '\0' ? "[" : "", x->sid,
		    x->sid[0] != '\0' ? "] " : "", x->message);
	}
	policy_findings_free(&f);
	return errors;
}

static int
write_output(struct pol *p, const struct buf *text)
{
	struct err	 e;

	if (p->out_path == NULL) {
		if (fwrite(buf_str(text), 1, text->len, stdout) != text->len ||
		    fflush(stdout) != 0) {
			cli_say(_("could not write the policy to stdout"));
			return EXIT_CANNOT_RUN;
		}
		return EXIT_PASS;
	}
	err_clear(&e);
	if (atomicfile_write(p->out_path, buf_str(text), text->len, 0644,
	    p->force, &e) != 0) {
		cli_say("%s", e.message);
		return EXIT_CANNOT_RUN;
	}
	/* L10N: %s is a format name, then a file name. */
	cli_say(_("wrote the policy (%s) to %s"), policy_format_name(p->format),
	    p->out_path);
	return EXIT_PASS;
}

static void
explain(struct pol *p, const struct json *doc)
{
	struct policy_notes	 notes;
	struct buf		 b;

	policy_explain(doc, &notes);
	buf_init(&b, 0);
	policy_notes_format(&notes, &b);
	fprintf(p->side, "\n%s\n%s", _("Why each statement is there:"),
	    buf_str(&b));
	if (b.len > 0 && b.data[b.len - 1] != '\n')
		fputc('\n', p->side);
	buf_free(&b);
	policy_notes_free(&notes);
}

/* ------------------------------------------------------------ validate */

static void
url_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		if (isalnum((unsigned char)*s) || strchr("-._~", *s) != NULL)
			buf_addc(b, *s);
		else
			buf_printf(b, "%%%02X", (unsigned char)*s);
}

/* A finding's location as Statement[0].Action[1]. */
static void
location_text(const struct json *f, struct buf *b)
{
	const struct json	*path = json_get(json_at(json_get(f,
	    "locations"), 0), "path");
	size_t			 i;

	for (i = 0; i < json_len(path); i++) {
		const struct json	*el = json_at(path, i);
		const char		*key = json_get_str(el, "key");

		if (key != NULL)
			buf_printf(b, "%s%s", b->len > 0 ? "." : "", key);
		else if (json_get(el, "index") != NULL)
			buf_printf(b, "[%lld]", json_get_int(el, "index", 0));
		else if (json_get_str(el, "value") != NULL)
			buf_printf(b, "(%s)", json_get_str(el, "value"));
	}
}

struct tally {
	size_t	 n, errors, security, warnings, suggestions;
};

static void
print_finding(struct pol *p, const struct json *f, struct tally *t)
{
	const char	*type = json_get_str(f, "findingType");
	struct buf	 loc;

	t->n++;
	if (type == NULL)
		type = "?";
	if (strcmp(type, "ERROR") == 0)
		t->errors++;
	else if (strcmp(type, "SECURITY_WARNING") == 0)
		t->security++;
	else if (strcmp(type, "WARNING") == 0)
		t->warnings++;
	else
		t->suggestions++;
	buf_init(&loc, 4096);
	location_text(f, &loc);
	/*
	 * L10N: one Access Analyzer finding: its type (ERROR, WARNING...),
	 * its issue code, where it is (" at " and a location, or nothing),
	 * and AWS's explanation (in English).
	 */
	fprintf(p->side, _("access analyzer: %s %s%s%s: %s\n"), type,
	    json_get_str(f, "issueCode") ? json_get_str(f, "issueCode") : "",
	    /* L10N: before a finding's location, as in "ERROR CODE at X". */
	    loc.len > 0 ? _(" at ") : "", buf_str(&loc),
	    json_get_str(f, "findingDetails") ?
	    json_get_str(f, "findingDetails") : "");
	if (json_get_str(f, "learnMoreLink") != NULL)
		fprintf(p->side, "  %s\n", json_get_str(f, "learnMoreLink"));
	buf_free(&loc);
}

/*
 * Send the document to Access Analyzer ValidatePolicy (every page) and
 * print the findings.  EXIT_PASS, EXIT_CHECK_FAILED (an ERROR finding),
 * or EXIT_CANNOT_RUN.
 */
static int
validate(struct pol *p, const struct json *doc, int scp)
{
	struct endpoint		 ep;
	struct err		 e;
	struct json		*body, *ans;
	struct hdr_list		 hdrs;
	struct tally		 t;
	char			*text, *payload, *token = NULL;
	char			 why[512];
	int			 page, rc = EXIT_PASS;

	err_clear(&e);
	if (p->s == NULL) {
		cli_say(_("--validate cannot run: %s"), p->open_err.message);
		return EXIT_CANNOT_RUN;
	}
	if (session_creds(p->s) == NULL &&
	    session_resolve_creds(p->s, time(NULL), &e) != 0) {
		cli_say(_("--validate needs AWS credentials: %s"),
		    safe_message(&e, why, sizeof why));
		return EXIT_CANNOT_RUN;
	}
	if (session_endpoint(p->s, EP_ACCESS_ANALYZER, p->region, &ep,
	    &e) != 0) {
		cli_say(_("--validate cannot run: %s"), e.message);
		return EXIT_CANNOT_RUN;
	}
	text = json_print(doc);
	body = json_new_object();
	json_set_str(body, "policyDocument", text);
	json_set_str(body, "policyType", scp ? "SERVICE_CONTROL_POLICY" :
	    "IDENTITY_POLICY");
	payload = json_print(body);
	json_free(body);
	free(text);
	hdr_list_init(&hdrs);
	hdr_list_add(&hdrs, "Content-Type", "application/json");
	memset(&t, 0, sizeof t);

	for (page = 0; page < VALIDATE_MAX_PAGES; page++) {
		struct http_request	 req;
		struct http_response	 resp;
		struct buf		 url;
		const struct json	*fs;
		size_t			 i;

		buf_init(&url, 8192);
		buf_printf(&url, "%s/policy/validation", ep.url);
		if (token != NULL) {
			buf_addstr(&url, "?nextToken=");
			url_escape(&url, token);
		}
		memset(&req, 0, sizeof req);
		req.op = "ValidatePolicy";
		req.method = "POST";
		req.url = buf_str(&url);
		req.headers = &hdrs;
		req.body = payload;
		req.body_len = strlen(payload);
		req.auth.kind = HTTP_AUTH_SIGV4;
		req.auth.creds = session_creds(p->s);
		req.auth.region = ep.signing_region;
		req.auth.service = ep.signing_name;
		http_response_init(&resp);
		err_clear(&e);
		if (http_do(p->s->http, &req, &resp, &e) != 0) {
			/* L10N: %s is the AWS error code or a network cause. */
			cli_say(_("--validate: IAM Access Analyzer could not "
			    "be asked: %s%s%s"), e.code, e.code[0] != '\0' ?
			    ": " : "", safe_message(&e, why, sizeof why));
			http_response_free(&resp);
			buf_free(&url);
			rc = EXIT_CANNOT_RUN;
			break;
		}
		ans = json_parse(buf_str(&resp.body), resp.body.len, &e);
		http_response_free(&resp);
		buf_free(&url);
		if (ans == NULL) {
			cli_say(_("--validate: IAM Access Analyzer's answer "
			    "could not be read: %s"), e.message);
			rc = EXIT_CANNOT_RUN;
			break;
		}
		fs = json_get(ans, "findings");
		for (i = 0; i < json_len(fs); i++)
			print_finding(p, json_at(fs, i), &t);
		free(token);
		token = json_get_str(ans, "nextToken") != NULL ?
		    xstrdup(json_get_str(ans, "nextToken")) : NULL;
		json_free(ans);
		if (token == NULL || *token == '\0')
			break;
	}
	free(token);
	free(payload);
	hdr_list_free(&hdrs);
	if (rc != EXIT_PASS)
		return rc;
	if (t.n == 0)
		fprintf(p->side, "%s\n", _("access analyzer: no findings."));
	else
		/* L10N: counts of Access Analyzer findings by type. */
		fprintf(p->side, _("access analyzer: %zu findings: %zu errors, "
		    "%zu security warnings, %zu warnings, %zu suggestions.\n"),
		    t.n, t.errors, t.security, t.warnings, t.suggestions);
	return t.errors > 0 ? EXIT_CHECK_FAILED : EXIT_PASS;
}

/* ------------------------------------------------------------ main */

static int
parse_args(struct pol *p, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_LONGOPTS,
		{ "model",           required_argument, NULL, OPT_MODEL },
		{ "account",         required_argument, NULL, OPT_ACCOUNT },
		{ "no-stream",       no_argument,       NULL, OPT_NO_STREAM },
		{ "with-discovery",  no_argument,       NULL,
		  OPT_WITH_DISCOVERY },
		{ "with-enablement", no_argument,       NULL,
		  OPT_WITH_ENABLEMENT },
		{ "with-api-keys",   no_argument,       NULL,
		  OPT_WITH_API_KEYS },
		{ "restrict-region", no_argument,       NULL,
		  OPT_RESTRICT_REGION },
		{ "format",          required_argument, NULL, OPT_FORMAT },
		{ "name",            required_argument, NULL, OPT_NAME },
		{ "output",          required_argument, NULL, 'o' },
		{ "force",           no_argument,       NULL, OPT_FORCE },
		{ "validate",        no_argument,       NULL, OPT_VALIDATE },
		{ "explain",         no_argument,       NULL, OPT_EXPLAIN },
		{ "help",            no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int	 c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:ho:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_MODEL:
			if (*optarg == '\0') {
				cli_usage_error(_("--model needs a model id, "
				    "profile id or ARN"));
				return EXIT_USAGE;
			}
			if (p->nmodels >= RESOLVE_MAX_MODELS) {
				cli_usage_error(_("too many --model options "
				    "(at most %d)"), RESOLVE_MAX_MODELS);
				return EXIT_USAGE;
			}
			p->models[p->nmodels++] = optarg;
			break;
		case OPT_ACCOUNT:
			if (!account_valid(optarg)) {
				cli_usage_error(_("--account needs a 12-digit "
				    "AWS account id, not '%s'"), optarg);
				return EXIT_USAGE;
			}
			p->account_opt = optarg;
			break;
		case OPT_NO_STREAM:
			p->no_stream = 1;
			break;
		case OPT_WITH_DISCOVERY:
			p->discovery = 1;
			break;
		case OPT_WITH_ENABLEMENT:
			p->enablement = 1;
			break;
		case OPT_WITH_API_KEYS:
			p->api_keys = 1;
			break;
		case OPT_RESTRICT_REGION:
			p->restrict_region = 1;
			break;
		case OPT_FORMAT:
			if (policy_format_parse(optarg, &p->format) != 0) {
				cli_usage_error(_("unknown format '%s': use "
				    "json, cloudformation, terraform, cli or "
				    "scp"), optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_NAME:
			if (!policy_format_name_valid(optarg)) {
				cli_usage_error(_("'%s' cannot be an IAM "
				    "policy name: use 1 to 128 letters, digits "
				    "and +=,.@_-"), optarg);
				return EXIT_USAGE;
			}
			p->name = optarg;
			break;
		case 'o':
			if (*optarg == '\0') {
				cli_usage_error(_("-o needs a file name"));
				return EXIT_USAGE;
			}
			p->out_path = optarg;
			break;
		case OPT_FORCE:
			p->force = 1;
			break;
		case OPT_VALIDATE:
			p->validate = 1;
			break;
		case OPT_EXPLAIN:
			p->explain = 1;
			break;
		case 'h':
			policy_usage(stdout);
			return -1;
		default:		/* '?', ':' and the global options */
			if ((r = cli_other_opt(p->g, argc, argv, c,
			    optarg)) != 0)
				return r > 0 ? -1 : EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_usage_error(_("policy takes no argument '%s' (models go "
		    "after --model)"), argv[optind]);
		return EXIT_USAGE;
	}
	if (p->force && p->out_path == NULL) {
		cli_usage_error(_("--force only makes sense with -o FILE"));
		return EXIT_USAGE;
	}
	return EXIT_PASS;
}

/* Resolve, build, lint, render, write, explain, validate. */
static int
run(struct pol *p)
{
	struct resolve_view	 view;
	struct resolve_result	*res;
	struct policy_model	*pm;
	struct policy_input	 in;
	struct policy_format_opts fo;
	struct json		*doc = NULL, *scp = NULL;
	struct buf		 text;
	struct err		 e;
	size_t			 nres = 0, i, lint_errors;
	int			 rc, vrc = EXIT_PASS;

	err_clear(&e);
	if ((rc = find_region(p)) != EXIT_PASS)
		return rc;
	find_account(p);
	if (build_view(p, &view, &e) != 0) {
		cli_say("%s", e.message);
		resolve_view_free(&view);
		return EXIT_USAGE;
	}
	res = xcalloc(p->nmodels > 0 ? p->nmodels : 1, sizeof *res);
	pm = xcalloc(p->nmodels > 0 ? p->nmodels : 1, sizeof *pm);
	if ((rc = resolve_models(p, &view, res, &nres)) != EXIT_PASS)
		goto out;
	for (i = 0; i < nres; i++)
		policy_model_from_resolve(&pm[i], &res[i]);
	policy_input_init(&in, p->region, p->account[0] != '\0' ?
	    p->account : NULL);
	in.models = pm;
	in.nmodels = nres;
	in.streaming = !p->no_stream;
	in.with_discovery = p->discovery;
	in.with_enablement = p->enablement;
	in.with_api_keys = p->api_keys;
	in.restrict_region = p->restrict_region;
	if ((doc = policy_build(&in, &e)) == NULL) {
		cli_say("%s", e.message);
		rc = EXIT_USAGE;
		goto out;
	}
	lint_errors = lint(p, doc);

	buf_init(&text, 0);
	memset(&fo, 0, sizeof fo);
	fo.name = p->name;
	if (policy_format_render(doc, p->format, &fo, &text, &e) != 0) {
		cli_say("%s", e.message);
		buf_free(&text);
		rc = e.kind == ERR_USAGE ? EXIT_USAGE : EXIT_CANNOT_RUN;
		goto out;
	}
	rc = write_output(p, &text);
	buf_free(&text);
	if (rc != EXIT_PASS)
		goto out;

	if (p->account_from == ACCOUNT_PLACEHOLDER &&
	    (p->format == POLICY_FORMAT_JSON || p->format == POLICY_FORMAT_CLI))
		cli_say(_("note: the account id is not known (no credentials): "
		    "pass --account ID, or replace %s in the policy"),
		    RESOLVE_ACCOUNT_PLACEHOLDER);
	else if (p->account_from == ACCOUNT_STS)
		cli_say(_("account %s (from STS GetCallerIdentity)"),
		    p->account);
	if (p->format == POLICY_FORMAT_SCP) {
		struct buf	 notes;

		scp = policy_format_scp(doc, NULL);
		buf_init(&notes, 0);
		if (scp != NULL)
			policy_format_scp_notes(scp, &notes);
		fprintf(p->side, "\n%s\n%s", _("About this SCP:"),
		    buf_str(&notes));
		buf_free(&notes);
	}
	if (p->explain)
		explain(p, doc);
	if (p->validate)
		vrc = validate(p, scp != NULL ? scp : doc, scp != NULL);
	if (vrc == EXIT_CANNOT_RUN)
		rc = EXIT_CANNOT_RUN;
	else if (lint_errors > 0 || vrc == EXIT_CHECK_FAILED)
		rc = EXIT_CHECK_FAILED;

out:
	json_free(scp);
	json_free(doc);
	for (i = 0; i < nres; i++)
		resolve_result_free(&res[i]);
	free(res);
	free(pm);
	resolve_view_free(&view);
	return rc;
}

int
cmd_policy(struct global_opts *g, int argc, char **argv)
{
	struct pol		 p;
	struct session_opts	 so;
	struct err		 e;
	int			 rc;

	memset(&p, 0, sizeof p);
	p.g = g;
	p.format = POLICY_FORMAT_JSON;
	p.models = xcalloc((size_t)argc + 1, sizeof *p.models);
	if ((rc = parse_args(&p, argc, argv)) != EXIT_PASS) {
		free(p.models);
		return rc < 0 ? EXIT_PASS : rc;
	}
	p.side = p.out_path != NULL ? stdout : stderr;
	err_clear(&e);
	if ((p.cat = catalog_load_embedded(&e)) == NULL) {
		cli_say("%s", e.message);
		free(p.models);
		return EXIT_CANNOT_RUN;
	}
	/* No network here: files, variables, the demo's world. */
	cli_session_opts(g, &so);
	if (session_open(&so, &p.s, &p.open_err) != 0)
		p.s = NULL;
	rc = run(&p);
	session_close(p.s);
	catalog_free(p.cat);
	free(p.models);
	return rc;
}
