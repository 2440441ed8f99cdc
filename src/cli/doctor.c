/*
 * doctor.c: "bedrock-setup doctor": check the gates in the order a person
 * would fix them and say which one fails, why, and how to fix it.
 *
 * This version checks the credentials gate: the credential chain, then
 * STS GetCallerIdentity.  The gates after it arrive with the Bedrock core.
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/doctor.h"
#include "cli/output.h"
#include "creds.h"
#include "diagnose.h"
#include "endpoint.h"
#include "err.h"
#include "gettext.h"
#include "http.h"
#include "json.h"
#include "session.h"
#include "sts.h"

struct doctor {
	struct global_opts	*g;
	int			 json;
	struct session		*s;
	struct err		 open_err;	/* session_open failed */
	struct sts_identity	 id;
	int			 have_id;
	struct gate		 gates[6];
	size_t			 ngates;
	int			 could_not_run;
};

static void
doctor_usage(FILE *f)
{
	fprintf(f, _("Usage: %s doctor [--json] [OPTION]...\n"), PACKAGE);
	fputs(_(
"Check the gates a Bedrock call must pass, in the order you would fix them,\n"
"and say which one fails, why, and how to fix it.\n"
"\n"
"  --json        print one JSON object instead of text\n"
"  -h, --help    show this help\n"
"\n"
"Global options (--profile, --region, --endpoint-url, --demo, --debug,\n"
"--no-color) work here too.\n"
"\n"
"Exit status: 0 every gate checked passed, 1 a gate failed, 2 usage error,\n"
"3 the check could not run (network, configuration).\n"), f);
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
		if ((int)strlen(rep->rows[i].label) > w)
			w = (int)strlen(rep->rows[i].label);
	for (i = 0; i < CREDS_SRC_COUNT; i++) {
		const struct creds_row *row = &rep->rows[i];

		if (row->state == CREDS_NOT_CONFIGURED && rep->used >= 0)
			continue;
		snprintf(line, sizeof line, "%s %-*s  %s%s%s",
		    row->state == CREDS_USED ? "*" : "-", w, row->label,
		    creds_state_name(row->state),
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

static void
check_credentials(struct doctor *d)
{
	struct gate		*g = &d->gates[d->ngates++];
	struct err		 e;
	struct endpoint		 ep;
	const struct creds	*cr;
	const char		*sts_region;

	memset(g, 0, sizeof *g);
	g->id = "credentials";
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
		gate_print(stdout, &d->gates[i], color);
		if (d->gates[i].status == GATE_PASS)
			passed++;
	}
	putchar('\n');
	st = exit_status(d);
	if (st == EXIT_PASS)
		/* L10N: doctor's verdict; %zu is a count of gates. */
		printf(_("Verdict: all %zu gates checked passed.\n"),
		    d->ngates);
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

	for (i = 0; i < d->ngates; i++)
		json_push(a, gate_json(&d->gates[i]));
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

int
cmd_doctor(struct global_opts *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_LONGOPTS,
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct doctor		 d;
	struct session_opts	 so;
	int			 c, r;

	memset(&d, 0, sizeof d);
	d.g = g;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			d.json = 1;
			break;
		case 'h':
			doctor_usage(stdout);
			return EXIT_PASS;
		case '?':
		case ':':
			cli_bad_option(argc, argv, c);
			return EXIT_USAGE;
		default:
			if ((r = cli_global_opt(g, c, optarg)) < 0)
				return EXIT_USAGE;
			if (r == 0) {
				cli_bad_option(argc, argv, '?');
				return EXIT_USAGE;
			}
		}
	}
	if (optind < argc) {
		cli_usage_error(_("doctor takes no argument '%s'"),
		    argv[optind]);
		return EXIT_USAGE;
	}
	memset(&so, 0, sizeof so);
	so.demo = g->demo;
	so.profile = g->profile;
	so.region = g->region;
	so.endpoint_url = g->endpoint_url;
	if (g->debug)
		so.trace = out_trace;
	if (session_open(&so, &d.s, &d.open_err) != 0)
		d.s = NULL;
	check_credentials(&d);

	if (d.json)
		print_json(&d);
	else
		print_text(&d);
	r = exit_status(&d);
	session_close(d.s);
	return r;
}
