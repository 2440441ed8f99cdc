/*
 * doctor.c: "bedrock-setup doctor": check the gates in the order a person
 * would fix them and say which one fails, why, and how to fix it.
 *
 * The gates, per model: credentials (the chain, then STS
 * GetCallerIdentity), region (the Region offers the model, on demand or
 * through a profile), model_access and terms (GetFoundationModelAvailability,
 * the Anthropic use-case form), iam (SimulatePrincipalPolicy on the exact
 * actions and ARNs, when the identity may simulate), and invoke (a real,
 * tiny Converse call).  A failure is marked on the gate the diagnosis
 * names, whichever step revealed it; a gate that cannot be checked says
 * skip, with why, never pass.
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access.h"
#include "atomicfile.h"
#include "bedrock.h"
#include "buf.h"
#include "catalog.h"
#include "cli/cli.h"
#include "cli/doctor.h"
#include "cli/output.h"
#include "creds.h"
#include "demo.h"
#include "diagnose.h"
#include "endpoint.h"
#include "err.h"
#include "gettext.h"
#include "http.h"
#include "iam.h"
#include "json.h"
#include "resolve.h"
#include "runtime.h"
#include "session.h"
#include "sts.h"
#include "xalloc.h"

#define MAX_MODELS	16
#define MAX_GATES	(1 + 5 * MAX_MODELS)

/* The gates of one model, after credentials, in the order they are fixed. */
enum { MG_REGION, MG_ACCESS, MG_TERMS, MG_IAM, MG_INVOKE, MG_COUNT };

static const char *const model_gate_ids[MG_COUNT] = {
	"region", "model_access", "terms", "iam", "invoke"
};

struct doctor {
	struct global_opts	*g;
	int			 json;
	const char		*report_path;	/* --report */
	int			 force;
	const char		*models[MAX_MODELS];
	size_t			 nmodels;
	struct catalog		*cat;
	struct session		*s;
	struct err		 open_err;	/* session_open failed */
	struct sts_identity	 id;
	int			 have_id;
	/* No AWS credentials but a Bedrock API key: the Bedrock gates are
	   checked with the key; STS and IAM cannot be. */
	int			 bearer_only;
	struct gate		 gates[MAX_GATES];
	const char		*gate_model[MAX_GATES];	/* NULL: not per model */
	char			*keys[MAX_MODELS];	/* models checked */
	size_t			 nkeys;
	size_t			 ngates;
	int			 could_not_run;
};

static void
doctor_usage(FILE *f)
{
	fprintf(f, _("Usage: %s doctor [--model ID]... [--json] "
	    "[--report FILE.md] [OPTION]...\n"), PACKAGE);
	fputs(_(
"Check the gates a Bedrock call must pass, in the order you would fix them:\n"
"credentials, region, model_access, terms, iam, invoke.  Say which one fails,\n"
"why, and how to fix it.\n"
"\n"
"  --model ID         check this model (repeatable; a model id, an inference\n"
"                     profile id such as us.X, or an ARN); default: the\n"
"                     Region's recommended low-cost text model\n"
"  --json             print one JSON object instead of text\n"
"  --report FILE.md   also write a Markdown report (no secrets in it) to\n"
"                     hand to an instructor; --force replaces a file\n"
"  -h, --help         show this help\n"
"\n"
"Global options (--profile, --region, --endpoint-url, --demo, --debug,\n"
"--no-color) work here too.\n"
"\n"
"Exit status: 0 every gate checked passed, 1 a gate failed, 2 usage error,\n"
"3 the check could not run (network, configuration).\n"), f);
}

/* A new gate of model m (NULL for the credentials gate). */
static struct gate *
new_gate(struct doctor *d, const char *id, const char *model)
{
	struct gate	*g = &d->gates[d->ngates];

	memset(g, 0, sizeof *g);
	g->id = id;
	d->gate_model[d->ngates++] = model;
	return g;
}

static void
append_line(char *dst, size_t size, const char *line)
{
	size_t	 len = strlen(dst);

	if (len > 0 && len + 1 < size)
		dst[len++] = '\n';
	snprintf(dst + len, size - len, "%s", line);
}

/* Fill g from a diagnosis of e. */
static void
gate_from_err(struct doctor *d, struct gate *g, const struct err *e,
    enum diagnose_op op)
{
	struct diagnose_ctx	 ctx;
	struct diagnose_result	 r;
	long			 off;

	memset(&ctx, 0, sizeof ctx);
	ctx.op = op;
	if (d->s != NULL) {
		ctx.region = d->s->region.value;
		ctx.aws_profile = d->s->cfg->profile;
		if (http_client_clock_offset(d->s->http, &off)) {
			ctx.clock_known = 1;
			ctx.clock_offset = -off;	/* local minus AWS */
		}
		if (d->s->report != NULL && d->s->report->used ==
		    CREDS_SRC_SSO)
			ctx.sso = 1;
	}
	diagnose_err(e, &ctx, &r);
	g->status = r.could_not_check ? GATE_SKIP : GATE_FAIL;
	snprintf(g->summary, sizeof g->summary, "%s", r.cause);
	snprintf(g->fix, sizeof g->fix, "%s", r.fix);
	/* Without the credentials gate no other gate runs. */
	if (r.could_not_check)
		d->could_not_run = 1;
	if (r.network) {
		/* Our own words (host, what failed): they hold no secret. */
		d->could_not_run = 1;
		append_line(g->detail, sizeof g->detail, e->message);
	}
}

/* The chain's report, for people: which source won, what was looked at. */
static void
sources_detail(const struct creds_report *rep, char *dst, size_t size)
{
	char	 line[600];
	size_t	 i;
	int	 w = 0;

	if (rep == NULL)
		return;
	for (i = 0; i < CREDS_SRC_COUNT; i++)
		if (out_width(rep->rows[i].label) > w)
			w = out_width(rep->rows[i].label);
	for (i = 0; i < CREDS_SRC_COUNT; i++) {
		const struct creds_row *row = &rep->rows[i];

		if (row->state == CREDS_NOT_CONFIGURED && rep->used >= 0)
			continue;
		/* Padded by display columns: a label may not be ASCII. */
		snprintf(line, sizeof line, "%s %s%*s  %s%s%s",
		    row->state == CREDS_USED ? "*" : "-", row->label,
		    w - out_width(row->label), "",
		    _(creds_state_name(row->state)),
		    row->detail != NULL ? ": " : "",
		    row->detail != NULL ? row->detail : "");
		append_line(dst, size, line);
	}
	for (i = 0; i < rep->nwarnings; i++) {
		/* L10N: a warning about the credentials, e.g. a bearer token. */
		snprintf(line, sizeof line, _("warning: %s"),
		    rep->warnings[i]);
		append_line(dst, size, line);
	}
}

/*
 * A Bedrock API key and no AWS credentials: enough for Bedrock, so the
 * model gates go on with the key; STS cannot name the account and IAM
 * cannot be simulated, which the gate says as a warning.
 */
static void
bearer_only(struct doctor *d, struct gate *g)
{
	d->bearer_only = 1;
	g->status = GATE_WARN;
	snprintf(g->summary, sizeof g->summary, "%s", _("a Bedrock API key "
	    "(AWS_BEARER_TOKEN_BEDROCK) signs the Bedrock calls; with no AWS "
	    "credentials, STS cannot say which account this is"));
	snprintf(g->fix, sizeof g->fix, "%s", _("Nothing to do for Bedrock "
	    "calls. To check the account and IAM as well, set up AWS "
	    "credentials too: `aws configure`, or `aws configure sso`."));
	sources_detail(d->s->report, g->detail, sizeof g->detail);
}

static void
check_credentials(struct doctor *d)
{
	struct gate		*g = new_gate(d, "credentials", NULL);
	struct err		 e;
	struct endpoint		 ep;
	const struct creds	*cr;
	const char		*sts_region;

	err_clear(&e);
	if (d->s == NULL) {
		gate_from_err(d, g, &d->open_err, DIAGNOSE_OP_CREDENTIALS);
		if (d->open_err.where[0] != '\0') {
			char	 w[600];

			/* L10N: where a configuration problem is. */
			snprintf(w, sizeof w, _("in %s"), d->open_err.where);
			append_line(g->detail, sizeof g->detail, w);
		}
		return;
	}
	if (session_resolve_creds(d->s, time(NULL), &e) != 0) {
		if (e.kind == ERR_CREDENTIALS && d->s->report != NULL &&
		    d->s->report->bearer != NULL) {
			bearer_only(d, g);
			return;
		}
		gate_from_err(d, g, &e, DIAGNOSE_OP_CREDENTIALS);
		sources_detail(d->s->report, g->detail, sizeof g->detail);
		return;
	}
	cr = session_creds(d->s);
	/* Regional STS, as the SDKs do; us-east-1 when no Region is set. */
	sts_region = d->s->region.value != NULL ? d->s->region.value :
	    "us-east-1";
	if (session_endpoint(d->s, EP_STS, sts_region, &ep, &e) != 0 ||
	    sts_get_caller_identity(d->s->http, &ep, cr, &d->id, &e) != 0) {
		gate_from_err(d, g, &e, DIAGNOSE_OP_CALLER_IDENTITY);
		sources_detail(d->s->report, g->detail, sizeof g->detail);
		return;
	}
	d->have_id = 1;
	g->status = GATE_PASS;
	/* L10N: the credentials gate passed; %s is an ARN, then an account. */
	snprintf(g->summary, sizeof g->summary, _("signed in as %s "
	    "(account %s)"), d->id.arn, d->id.account);
	sources_detail(d->s->report, g->detail, sizeof g->detail);
}

/* What one model's checks know, for the diagnosis. */
struct mcheck {
	const char		*input;		/* as the user named it */
	const char		*region;
	struct resolve_result	 how;
	int			 resolved;
	const struct catalog_model *cm;
	struct gate		*gate[MG_COUNT];
	const char		*diag_model;	/* the id to name, if not ours */
	char			**regions;	/* Regions that offer it */
	size_t			 nregions;
};

/* Fill gate from e as diagnosed in m's context; returns the gate named. */
static enum diagnose_gate
diagnose_model(struct doctor *d, struct mcheck *m, const struct err *e,
    enum diagnose_op op, struct gate *fallback)
{
	struct diagnose_ctx	 ctx;
	struct diagnose_result	 r;
	struct gate		*g = fallback;
	long			 off;
	int			 i;

	memset(&ctx, 0, sizeof ctx);
	ctx.op = op;
	ctx.region = m->region;
	ctx.model_id = m->diag_model != NULL ? m->diag_model :
	    m->resolved ? m->how.invoke_id : m->input;
	ctx.identity_arn = d->have_id ? d->id.arn : NULL;
	ctx.account = d->have_id ? d->id.account : NULL;
	ctx.aws_profile = d->s->cfg->profile;
	if (m->how.profile_id != NULL)
		ctx.profile_id = m->how.profile_id;
	ctx.regions = (const char *const *)m->regions;
	ctx.nregions = m->nregions;
	if (http_client_clock_offset(d->s->http, &off)) {
		ctx.clock_known = 1;
		ctx.clock_offset = -off;
	}
	diagnose_err(e, &ctx, &r);
	for (i = 0; i < MG_COUNT; i++)
		if (r.gate_id != NULL &&
		    strcmp(r.gate_id, model_gate_ids[i]) == 0)
			g = m->gate[i];
	if (g == NULL)
		g = fallback;
	if (g->status == GATE_FAIL)	/* the first cause found stays */
		return r.gate;
	g->status = r.could_not_check ? GATE_SKIP : GATE_FAIL;
	snprintf(g->summary, sizeof g->summary, "%s", r.cause);
	snprintf(g->fix, sizeof g->fix, "%s", r.fix);
	if (r.network) {
		d->could_not_run = 1;
		append_line(g->detail, sizeof g->detail, e->message);
	}
	return g == fallback ? DIAGNOSE_GATE_NONE : r.gate;
}

/* A finding of ours (a DIAGNOSE_CODE_*), diagnosed like an AWS answer. */
static void
finding(struct doctor *d, struct mcheck *m, const char *code,
    enum diagnose_op op, struct gate *fallback)
{
	struct err	 e;

	err_clear(&e);
	err_set_aws(&e, 0, code, code, NULL);
	diagnose_model(d, m, &e, op, fallback);
}

static void
skip_rest(struct mcheck *m, int from, const char *why)
{
	int	 i;

	for (i = from; i < MG_COUNT; i++)
		if (m->gate[i]->status == GATE_PASS &&
		    m->gate[i]->summary[0] == '\0') {
			m->gate[i]->status = GATE_SKIP;
			snprintf(m->gate[i]->summary,
			    sizeof m->gate[i]->summary, "%s", why);
		}
}

/* Whether the model's provider needs Anthropic's use-case form. */
static int
needs_form(const struct doctor *d, const struct mcheck *m)
{
	return access_needs_form(d->cat, m->resolved &&
	    m->how.model_id != NULL ? m->how.model_id : m->input);
}

/* Region: is the model offered here, and how is it called? */
static int
check_region(struct doctor *d, struct mcheck *m, const struct bedrock_ctx *bc)
{
	struct gate		*g = m->gate[MG_REGION];
	struct resolve_view	 view;
	struct err		 e;
	const char		*origin;
	size_t			 i;
	int			 live, r;

	err_clear(&e);
	r = bedrock_region_view(bc, d->cat, d->id.account, &view, &e);
	live = r == 0;
	if (!live) {
		enum diagnose_gate dg = diagnose_model(d, m, &e,
		    DIAGNOSE_OP_LIST_MODELS, g);

		if (r < 0 || d->could_not_run || (g->status == GATE_FAIL &&
		    dg != DIAGNOSE_GATE_NONE)) {
			resolve_view_free(&view);
			return -1;
		}
		/* Not allowed to list: the catalog's view stands in. */
		memset(g, 0, sizeof *g);
		g->id = "region";
	}
	origin = live ? _("ListFoundationModels") : _("the built-in catalog");
	if (resolve_model(&view, d->cat, m->input, &m->how, &e) != 0 ||
	    m->how.kind == RESOLVE_NONE) {
		for (i = 0; i < m->how.noffered_in; i++) {
			m->regions = xreallocarray(m->regions, m->nregions + 1,
			    sizeof *m->regions);
			m->regions[m->nregions++] =
			    xstrdup(m->how.offered_in[i]);
		}
		if (e.kind != ERR_NONE && e.kind != ERR_CONFIG)
			diagnose_model(d, m, &e, DIAGNOSE_OP_RESOLVE, g);
		else
			finding(d, m, DIAGNOSE_CODE_REGION_UNAVAILABLE,
			    DIAGNOSE_OP_RESOLVE, g);
		g->status = GATE_FAIL;
		resolve_view_free(&view);
		return -1;
	}
	m->resolved = 1;
	resolve_view_free(&view);
	if (resolve_is_substitution(&m->how, m->input)) {
		/* A bare id that only works through a profile here. */
		err_clear(&e);
		err_set_aws(&e, 400, "ValidationException", NULL, NULL);
		snprintf(e.message, sizeof e.message, "Invocation of model ID "
		    "%s with on-demand throughput isn\u2019t supported. Retry "
		    "your request with the ID or ARN of an inference profile "
		    "that contains this model.", m->input);
		m->diag_model = m->input;
		diagnose_model(d, m, &e, DIAGNOSE_OP_CONVERSE, g);
		m->diag_model = NULL;
		g->status = GATE_FAIL;
		return -1;
	}
	g->status = GATE_PASS;
	if (m->how.kind == RESOLVE_ON_DEMAND)
		/* L10N: region gate passed: model, Region, where we know it from. */
		snprintf(g->summary, sizeof g->summary, _("%s is offered on "
		    "demand in %s (per %s)"), m->how.invoke_id, m->region,
		    origin);
	else {
		char	 dest[512] = "";

		for (i = 0; i < m->how.ndestinations; i++) {
			size_t l = strlen(dest);

			snprintf(dest + l, sizeof dest - l, "%s%s",
			    i > 0 ? ", " : "", m->how.destinations[i]);
		}
		snprintf(g->summary, sizeof g->summary, _("called as %s from "
		    "%s (per %s)"), m->how.invoke_id, m->region, origin);
		if (m->how.region_less)
			append_line(g->detail, sizeof g->detail, _("a global "
			    "profile: AWS may route a request to any commercial "
			    "Region"));
		else if (dest[0] != '\0') {
			char	 line[700];

			snprintf(line, sizeof line, _("routes to: %s"), dest);
			append_line(g->detail, sizeof g->detail, line);
		}
	}
	return 0;
}

/* Model access and terms: the Anthropic form, then the availability. */
static void
check_access(struct doctor *d, struct mcheck *m, const struct bedrock_ctx *bc)
{
	struct gate			*ga = m->gate[MG_ACCESS];
	struct gate			*gt = m->gate[MG_TERMS];
	struct bedrock_availability	 av;
	struct bedrock_use_case		 uc;
	struct access_finding		 f[8];
	struct err			 e;
	size_t				 nf, i;
	int				 r, form_ok = 0;

	err_clear(&e);
	if (needs_form(d, m)) {
		/* The form blocks every call until it is sent: check it first. */
		memset(&uc, 0, sizeof uc);
		r = bedrock_get_use_case(bc, &uc, &e);
		if (r == BEDROCK_USE_CASE_NEVER)
			finding(d, m, DIAGNOSE_CODE_USE_CASE_MISSING,
			    DIAGNOSE_OP_USE_CASE_GET, gt);
		else if (r < 0)
			diagnose_model(d, m, &e, DIAGNOSE_OP_USE_CASE_GET, gt);
		else
			form_ok = 1;
		bedrock_use_case_free(&uc);
	}
	memset(&av, 0, sizeof av);
	err_clear(&e);
	if (bedrock_get_availability(bc, m->how.model_id, &av, &e) != 0) {
		diagnose_model(d, m, &e, DIAGNOSE_OP_AVAILABILITY, ga);
		if (ga->status == GATE_SKIP && gt->status == GATE_PASS &&
		    gt->summary[0] == '\0') {
			gt->status = GATE_SKIP;
			snprintf(gt->summary, sizeof gt->summary, "%s",
			    ga->summary);
		}
		return;
	}
	/* The facts in the order they are fixed (access.h); the form was
	 * checked above. */
	nf = access_findings(&av, ACCESS_FORM_NOT_NEEDED, -1, f,
	    sizeof f / sizeof f[0]);
	for (i = 0; i < nf && i < sizeof f / sizeof f[0]; i++) {
		int terms = f[i].state == ACCESS_PENDING ||
		    f[i].state == ACCESS_NEEDS_AGREEMENT;

		if (terms && gt->status == GATE_FAIL)
			/* The form comes first; say the agreement too. */
			append_line(gt->detail, sizeof gt->detail,
			    f[i].state == ACCESS_PENDING ?
			    _("also: the Marketplace agreement is still being "
			    "processed") :
			    _("also: the model's agreement offer is not "
			    "accepted yet (the first call accepts it)"));
		else
			finding(d, m, f[i].code, DIAGNOSE_OP_AVAILABILITY,
			    terms ? gt : ga);
	}
	if (ga->status == GATE_PASS && ga->summary[0] == '\0')
		/* L10N: the three fields of GetFoundationModelAvailability. */
		snprintf(ga->summary, sizeof ga->summary, _("enabled for the "
		    "account (entitlement %s, authorization %s, Region %s)"),
		    av.entitlement ? av.entitlement : "?",
		    av.authorization ? av.authorization : "?",
		    av.region ? av.region : "?");
	if (gt->status == GATE_PASS && gt->summary[0] == '\0')
		snprintf(gt->summary, sizeof gt->summary, "%s", form_ok ?
		    _("agreement in place; Anthropic's use-case form was "
		    "submitted") : _("agreement in place; no use-case form for "
		    "this provider"));
	bedrock_availability_free(&av);
}

/* The ARNs a call of m needs, as the policy generator would grant them. */
static size_t
needed_arns(const struct mcheck *m, const char *partition, char **out,
    size_t max)
{
	size_t	 n = 0, i;
	char	 buf[1024];

	if (m->how.arn != NULL && n < max)
		out[n++] = xstrdup(m->how.arn);
	if (m->how.model_id == NULL)
		return n;
	if (m->how.kind == RESOLVE_ON_DEMAND ||
	    m->how.kind == RESOLVE_GLOBAL_PROFILE) {
		snprintf(buf, sizeof buf, "arn:%s:bedrock:%s::foundation-model/"
		    "%s", partition, m->region, m->how.model_id);
		if (n < max)
			out[n++] = xstrdup(buf);
	}
	if (m->how.kind == RESOLVE_GLOBAL_PROFILE) {
		snprintf(buf, sizeof buf, "arn:%s:bedrock:::foundation-model/%s",
		    partition, m->how.model_id);
		if (n < max)
			out[n++] = xstrdup(buf);
	} else if (m->how.kind != RESOLVE_ON_DEMAND)
		for (i = 0; i < m->how.ndestinations && n < max; i++) {
			snprintf(buf, sizeof buf, "arn:%s:bedrock:%s::"
			    "foundation-model/%s", partition,
			    m->how.destinations[i], m->how.model_id);
			out[n++] = xstrdup(buf);
		}
	return n;
}

/* IAM: would the identity's policies allow the call? */
static void
check_iam(struct doctor *d, struct mcheck *m, int streaming)
{
	static const char *const actions[] = {
		"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"
	};
	struct gate		*g = m->gate[MG_IAM];
	struct endpoint		 ep;
	struct iam_eval		*ev = NULL;
	struct iam_context	 ctx[2];
	struct err		 e;
	char			*arns[64], *principal;
	struct buf		 msg = BUF_INIT;
	size_t			 narns, nev = 0, i, nctx = 0;

	if (d->bearer_only) {
		g->status = GATE_SKIP;
		snprintf(g->summary, sizeof g->summary, "%s", _("IAM policy "
		    "simulation needs AWS credentials, and only a Bedrock API "
		    "key is set; the invoke check below tells instead"));
		return;
	}
	principal = iam_principal_of(d->id.arn);
	if (principal == NULL) {
		g->status = GATE_SKIP;
		snprintf(g->summary, sizeof g->summary, "%s", _("IAM cannot "
		    "simulate this identity (the root user or a federated "
		    "user); the invoke check below tells instead"));
		return;
	}
	narns = needed_arns(m, d->s->cfg != NULL && m->how.partition != NULL ?
	    m->how.partition : "aws", arns, sizeof arns / sizeof arns[0]);
	if (m->how.arn != NULL && m->how.kind != RESOLVE_PROVISIONED) {
		ctx[nctx].key = "bedrock:InferenceProfileArn";
		ctx[nctx++].value = m->how.arn;
	}
	ctx[nctx].key = "aws:RequestedRegion";
	ctx[nctx++].value = m->region;
	err_clear(&e);
	if (session_endpoint(d->s, EP_IAM, m->region, &ep, &e) != 0 ||
	    iam_simulate(d->s->http, &ep, session_creds(d->s), principal,
	    actions, streaming ? 2 : 1, (const char *const *)arns, narns, ctx,
	    nctx, &ev, &nev, &e) != 0) {
		diagnose_model(d, m, &e, DIAGNOSE_OP_IAM_SIMULATE, g);
		if (g->status == GATE_FAIL && strcmp(e.code, "AccessDenied") == 0)
			g->status = GATE_SKIP;
		goto out;
	}
	for (i = 0; i < nev; i++) {
		if (strcmp(ev[i].decision, "allowed") == 0)
			continue;
		/* Diagnose it as the denial AWS would send for the call. */
		buf_printf(&msg, "User: %s is not authorized to perform: %s "
		    "on resource: %s %s", d->id.arn, ev[i].action,
		    ev[i].resource, ev[i].scp_denied ? "with an explicit deny "
		    "in a service control policy" : strcmp(ev[i].decision,
		    "explicitDeny") == 0 ? "with an explicit deny in an "
		    "identity-based policy" : "because no identity-based "
		    "policy allows the action");
		err_clear(&e);
		err_set_aws(&e, 403, "AccessDeniedException", buf_str(&msg),
		    NULL);
		diagnose_model(d, m, &e, DIAGNOSE_OP_CONVERSE_STREAM, g);
		break;
	}
	if (g->status == GATE_PASS)
		/* L10N: iam gate passed: the count of ARNs simulated. */
		snprintf(g->summary, sizeof g->summary, ngettext("%s allowed "
		    "on the %zu ARN the call needs (IAM policy simulation)",
		    "%s allowed on all %zu ARNs the call needs (IAM policy "
		    "simulation)", narns),
		    streaming ? "bedrock:InvokeModel, "
		    "bedrock:InvokeModelWithResponseStream" :
		    "bedrock:InvokeModel", narns);
out:
	for (i = 0; i < narns; i++)
		free(arns[i]);
	buf_free(&msg);
	free(ev);
	free(principal);
}

/*
 * Invoke: a real, tiny ConverseStream call, the call the wizard and chat
 * make (it needs bedrock:InvokeModelWithResponseStream, which a plain
 * Converse would not show missing).
 */
static void
check_invoke(struct doctor *d, struct mcheck *m, const struct endpoint *rep)
{
	struct gate		*g = m->gate[MG_INVOKE];
	struct runtime_ctx	 rc;
	struct runtime_request	 rq;
	struct runtime_reply	 rr;
	struct runtime_message	 msg = { "user",
	    "Reply with the single word: connected." };
	struct err		 e;
	enum diagnose_gate	 dg;
	size_t			 i;

	memset(&rc, 0, sizeof rc);
	rc.http = d->s->http;
	rc.ep = rep;
	rc.creds = session_creds(d->s);
	rc.bearer = d->s->report != NULL ? d->s->report->bearer : NULL;
	runtime_request_init(&rq);
	rq.model_id = m->how.invoke_id;
	rq.messages = &msg;
	rq.nmessages = 1;
	rq.max_tokens = 16;
	/* runtime_converse_stream() initialises the reply itself. */
	err_clear(&e);
	if (runtime_converse_stream(&rc, &rq, NULL, NULL, &rr, &e) == 0) {
		for (i = 0; rr.text[i] != '\0'; i++)
			if (rr.text[i] == '\n' || rr.text[i] == '\r')
				rr.text[i] = ' ';
		/* L10N: invoke passed: the reply, then its latency. */
		snprintf(g->summary, sizeof g->summary, _("answered \"%.60s\" "
		    "in %.0f ms"), rr.text, rr.total_ms);
		g->status = GATE_PASS;
		runtime_reply_free(&rr);
		return;
	}
	runtime_reply_free(&rr);
	dg = diagnose_model(d, m, &e, DIAGNOSE_OP_CONVERSE_STREAM, g);
	if (dg != DIAGNOSE_GATE_NONE && dg != DIAGNOSE_GATE_INVOKE &&
	    g->status != GATE_FAIL) {
		/* Another gate explains it: that gate fails, not invoke. */
		g->status = GATE_SKIP;
		snprintf(g->summary, sizeof g->summary, _("the call was "
		    "refused: see the %s gate"), diagnose_gate_id(dg));
	}
}

static void
check_model(struct doctor *d, const char *input)
{
	struct mcheck		 m;
	struct bedrock_ctx	 bc;
	struct endpoint		 cep, rep;
	struct err		 e;
	size_t			 i;
	char			*key = xstrdup(input);

	d->keys[d->nkeys++] = key;
	memset(&m, 0, sizeof m);
	m.input = key;
	m.region = d->s->region.value;
	for (i = 0; i < MG_COUNT; i++)
		m.gate[i] = new_gate(d, model_gate_ids[i], key);
	if (m.region == NULL) {
		err_clear(&e);
		err_set(&e, ERR_CONFIG, N_("no Region is set"));
		diagnose_model(d, &m, &e, DIAGNOSE_OP_RESOLVE,
		    m.gate[MG_REGION]);
		m.gate[MG_REGION]->status = GATE_FAIL;
		skip_rest(&m, MG_ACCESS, _("needs a Region"));
		return;
	}
	if (!d->have_id && !d->bearer_only) {
		for (i = 0; i < MG_COUNT; i++) {
			m.gate[i]->status = GATE_SKIP;
			snprintf(m.gate[i]->summary, sizeof m.gate[i]->summary,
			    "%s", _("needs working credentials first"));
		}
		return;
	}
	err_clear(&e);
	if (session_endpoint(d->s, EP_BEDROCK, m.region, &cep, &e) != 0 ||
	    session_endpoint(d->s, EP_BEDROCK_RUNTIME, m.region, &rep,
	    &e) != 0) {
		diagnose_model(d, &m, &e, DIAGNOSE_OP_RESOLVE,
		    m.gate[MG_REGION]);
		skip_rest(&m, MG_ACCESS, _("needs the region gate"));
		return;
	}
	memset(&bc, 0, sizeof bc);
	bc.http = d->s->http;
	bc.ep = &cep;
	bc.creds = session_creds(d->s);
	bc.bearer = d->s->report != NULL ? d->s->report->bearer : NULL;
	bc.region = m.region;
	if (check_region(d, &m, &bc) != 0) {
		skip_rest(&m, MG_ACCESS, _("needs the region gate"));
		goto out;
	}
	check_access(d, &m, &bc);
	check_iam(d, &m, 1);
	check_invoke(d, &m, &rep);
	/* Gates nothing spoke about: an earlier failure explains them. */
	skip_rest(&m, MG_ACCESS, _("not checked"));
out:
	resolve_result_free(&m.how);
	for (i = 0; i < m.nregions; i++)
		free(m.regions[i]);
	free(m.regions);
}

/* The model to check when none was named: the demo's, or the Region's. */
static const char *
default_model(const struct doctor *d)
{
	const struct catalog_model	*cm;

	if (d->s->demo != NULL)
		return demo_model(d->s->demo);
	if (d->s->region.value == NULL)
		return NULL;
	cm = catalog_default_model(d->cat, d->s->region.value);
	return cm != NULL ? cm->id : NULL;
}

static int
exit_status(const struct doctor *d)
{
	size_t	 i;
	int	 failed = 0;

	for (i = 0; i < d->ngates; i++)
		if (d->gates[i].status == GATE_FAIL)
			failed = 1;
	if (d->could_not_run)
		return EXIT_CANNOT_RUN;
	return failed ? EXIT_CHECK_FAILED : EXIT_PASS;
}

static void
print_text(const struct doctor *d)
{
	int	 color = out_color(stdout, d->g->color), st;
	size_t	 warned = 0;
	size_t	 i, passed = 0;

	if (d->s != NULL) {
		printf(_("Profile: %s\n"), d->s->cfg->profile != NULL ?
		    d->s->cfg->profile : "default");
		if (d->s->region.value != NULL)
			/* L10N: the Region and where it came from. */
			printf(_("Region:  %s (%s)\n"), d->s->region.value,
			    d->s->region.source);
		else
			printf(_("Region:  none set\n"));
		putchar('\n');
	}
	for (i = 0; i < d->ngates; i++) {
		if (d->gate_model[i] != NULL && (i == 0 ||
		    d->gate_model[i - 1] != d->gate_model[i]))
			/* L10N: heads the gates of one model in doctor's output. */
			printf(_("\nModel %s:\n"), d->gate_model[i]);
		gate_print(stdout, &d->gates[i], color);
		if (d->gates[i].status == GATE_PASS)
			passed++;
		else if (d->gates[i].status == GATE_WARN)
			warned++;
	}
	putchar('\n');
	st = exit_status(d);
	if (st == EXIT_PASS && warned > 0)
		/* L10N: doctor's verdict; counts of gates. */
		printf(ngettext("Verdict: %zu gates checked passed, %zu with "
		    "a warning: read it above.\n", "Verdict: %zu gates checked "
		    "passed, %zu with warnings: read them above.\n", warned),
		    passed, warned);
	else if (st == EXIT_PASS)
		/* L10N: doctor's verdict; %zu is a count of gates. */
		printf(_("Verdict: all %zu gates checked passed.\n"),
		    passed);
	else if (st == EXIT_CANNOT_RUN)
		printf(_("Verdict: the check could not run to the end; "
		    "see the fix above.\n"));
	else
		printf(_("Verdict: %zu of %zu gates checked passed; fix the "
		    "first failing gate and run doctor again.\n"), passed,
		    d->ngates);
}

static void
print_json(const struct doctor *d)
{
	struct json	*o = json_new_object(), *a = json_new_array(), *x;
	size_t		 i;

	for (i = 0; i < d->ngates; i++) {
		x = gate_json(&d->gates[i]);
		if (d->gate_model[i] != NULL)
			json_set_str(x, "model", d->gate_model[i]);
		json_push(a, x);
	}
	json_set(o, "gates", a);
	x = json_new_object();
	json_set_str(x, "account", d->have_id ? d->id.account : NULL);
	json_set_str(x, "arn", d->have_id ? d->id.arn : NULL);
	json_set_str(x, "source", d->s != NULL && session_creds(d->s) !=
	    NULL ? session_creds(d->s)->source : NULL);
	json_set(o, "identity", x);
	x = json_new_object();
	json_set_str(x, "name", d->s != NULL ? d->s->region.value : NULL);
	json_set_str(x, "source", d->s != NULL ? d->s->region.source : NULL);
	json_set(o, "region", x);
	json_set_str(o, "profile", d->s != NULL ? d->s->cfg->profile : NULL);
	if (d->s != NULL && d->s->report != NULL) {
		const struct creds_report *rep = d->s->report;

		a = json_new_array();
		for (i = 0; i < CREDS_SRC_COUNT; i++) {
			x = json_new_object();
			json_set_str(x, "source", rep->rows[i].label);
			json_set_str(x, "state",
			    creds_state_name(rep->rows[i].state));
			json_set_str(x, "detail", rep->rows[i].detail);
			json_push(a, x);
		}
		json_set(o, "sources", a);
		a = json_new_array();
		for (i = 0; i < rep->nwarnings; i++)
			json_push_str(a, rep->warnings[i]);
		json_set(o, "warnings", a);
	}
	json_set_str(o, "verdict", exit_status(d) == EXIT_PASS ? "pass" :
	    exit_status(d) == EXIT_CANNOT_RUN ? "could-not-run" : "fail");
	out_json(o);
	json_free(o);
}

/* The Markdown report: what a participant hands to an instructor. */
static int
write_report(const struct doctor *d)
{
	struct buf	 b = BUF_INIT;
	struct err	 e;
	char		 when[64];
	time_t		 now = time(NULL);
	size_t		 i;
	int		 r;

	strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&now));
	/* L10N: the report's Markdown title; %s is the program name. */
	buf_printf(&b, _("# %s doctor report\n\n"), PACKAGE);
	buf_printf(&b, "- %s: %s\n", _("Date"), when);
	buf_printf(&b, "- %s: %s %s\n", _("Version"), PACKAGE, VERSION);
	if (d->s != NULL) {
		buf_printf(&b, "- %s: %s\n", _("Profile"),
		    d->s->cfg->profile != NULL ? d->s->cfg->profile :
		    "default");
		buf_printf(&b, "- %s: %s (%s)\n", _("Region"),
		    d->s->region.value != NULL ? d->s->region.value : "-",
		    d->s->region.source != NULL ? d->s->region.source : "-");
	}
	if (d->have_id)
		buf_printf(&b, "- %s: `%s` (%s %s)\n", _("Identity"), d->id.arn,
		    _("account"), d->id.account);
	buf_printf(&b, "\n| %s | %s | %s | %s |\n|---|---|---|---|\n",
	    _("Gate"), _("Model"), _("Status"), _("Summary"));
	for (i = 0; i < d->ngates; i++)
		buf_printf(&b, "| %s | %s | %s | %s |\n", d->gates[i].id,
		    d->gate_model[i] != NULL ? d->gate_model[i] : "",
		    gate_status_id(d->gates[i].status), d->gates[i].summary);
	for (i = 0; i < d->ngates; i++) {
		if (d->gates[i].fix[0] == '\0')
			continue;
		buf_printf(&b, "\n## %s%s%s: %s\n\n%s\n\n", d->gates[i].id,
		    d->gate_model[i] != NULL ? " / " : "",
		    d->gate_model[i] != NULL ? d->gate_model[i] : "",
		    _("how to fix it"), d->gates[i].summary);
		buf_printf(&b, "```\n%s\n```\n", d->gates[i].fix);
	}
	buf_printf(&b, "\n%s: %s\n", _("Verdict"),
	    exit_status(d) == EXIT_PASS ? _("every gate checked passed") :
	    exit_status(d) == EXIT_CANNOT_RUN ? _("the check could not run") :
	    _("a gate failed"));
	err_clear(&e);
	r = atomicfile_write(d->report_path, b.data, b.len, 0644, d->force, &e);
	if (r != 0)
		fprintf(stderr, "%s: %s\n", PACKAGE, e.message);
	else
		fprintf(stderr, _("%s: wrote the report to %s\n"), PACKAGE,
		    d->report_path);
	buf_free(&b);
	return r;
}

int
cmd_doctor(struct global_opts *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_LONGOPTS,
		{ "json", no_argument, NULL, 'j' },
		{ "model", required_argument, NULL, 'm' },
		{ "report", required_argument, NULL, 'r' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct doctor		 d;
	struct session_opts	 so;
	struct err		 e;
	const char		*dm;
	size_t			 i;
	int			 c, r;

	memset(&d, 0, sizeof d);
	d.g = g;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			d.json = 1;
			break;
		case 'm':
			if (d.nmodels == MAX_MODELS) {
				cli_usage_error(_("at most %d --model options"),
				    MAX_MODELS);
				return EXIT_USAGE;
			}
			d.models[d.nmodels++] = optarg;
			break;
		case 'r':
			d.report_path = optarg;
			break;
		case 'f':
			d.force = 1;
			break;
		case 'h':
			doctor_usage(stdout);
			return EXIT_PASS;
		default:		/* '?', ':' and the global options */
			if ((r = cli_other_opt(g, argc, argv, c, optarg)) != 0)
				return r > 0 ? EXIT_PASS : EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_usage_error(_("doctor takes no argument '%s'"),
		    argv[optind]);
		return EXIT_USAGE;
	}
	cli_session_opts(g, &so);
	if ((d.cat = catalog_load_embedded(&e)) == NULL) {
		fprintf(stderr, _("%s: the built-in catalog is damaged: %s\n"),
		    PACKAGE, e.message);
		return EXIT_CANNOT_RUN;
	}
	if (session_open(&so, &d.s, &d.open_err) != 0)
		d.s = NULL;
	check_credentials(&d);
	if (d.s != NULL && d.nmodels == 0 && (dm = default_model(&d)) != NULL)
		d.models[d.nmodels++] = dm;
	for (i = 0; d.s != NULL && i < d.nmodels; i++)
		check_model(&d, d.models[i]);

	if (d.json)
		print_json(&d);
	else
		print_text(&d);
	r = exit_status(&d);
	if (d.report_path != NULL && write_report(&d) != 0 && r == EXIT_PASS)
		r = EXIT_CANNOT_RUN;
	session_close(d.s);
	catalog_free(d.cat);
	for (i = 0; i < d.nkeys; i++)
		free(d.keys[i]);
	return r;
}
