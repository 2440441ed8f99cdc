/*
 * cli.c: global options, usage errors, and the subcommand table.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/chat.h"
#include "cli/cli.h"
#include "cli/doctor.h"
#include "cli/models.h"
#include "cli/output.h"
#include "cli/policy.h"
#include "cli/regions.h"
#include "demo_scenarios.h"
#include "gettext.h"
#include "session.h"

struct subcommand {
	const char	*name;
	const char	*summary;	/* N_() */
	int		(*run)(struct global_opts *, int, char **);
};

static const struct subcommand subcommands[] = {
	{ "doctor",  N_("check the five gates and say which one fails"),
	  cmd_doctor },
	{ "policy",  N_("print a least-privilege IAM policy"), cmd_policy },
	{ "models",  N_("list the models of a Region and their access state"),
	  cmd_models },
	{ "regions", N_("list Regions with measured latency"), cmd_regions },
	{ "chat",    N_("send a prompt and stream the answer"), cmd_chat },
	{ NULL, NULL, NULL }
};

void
cli_say(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "%s: ", PACKAGE);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_usage_error(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "%s: ", PACKAGE);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	/* L10N: ends a one-line usage error; %s is the program name. */
	fprintf(stderr, _(" (see '%s --help')\n"), PACKAGE);
}

void
cli_bad_option(int argc, char **argv, int opt)
{
	const char	*arg = optind > 0 && optind <= argc ?
	    argv[optind - 1] : "?";

	if (opt == ':' || (opt != '?' && opt != 0))
		cli_usage_error(_("option '%s' needs a value"), arg);
	else if (optopt != 0 && optopt < 0x100 && arg[0] == '-' &&
	    arg[1] != '-')
		cli_usage_error(_("unknown option '-%c'"), optopt);
	else
		cli_usage_error(_("unknown option '%s'"), arg);
}

int
cli_global_opt(struct global_opts *g, int c, const char *arg)
{
	switch (c) {
	case OPT_PROFILE:
		if (arg == NULL || *arg == '\0') {
			cli_usage_error(_("--profile needs a profile name"));
			return -1;
		}
		g->profile = arg;
		return 1;
	case OPT_REGION:
		if (arg == NULL || *arg == '\0') {
			cli_usage_error(_("--region needs a Region name, "
			    "such as us-east-1"));
			return -1;
		}
		g->region = arg;
		return 1;
	case OPT_ENDPOINT_URL:
		if (arg == NULL || (strncmp(arg, "https://", 8) != 0 &&
		    strncmp(arg, "http://", 7) != 0)) {
			cli_usage_error(_("--endpoint-url needs a URL that "
			    "starts with https:// (or http:// for a loopback "
			    "address)"));
			return -1;
		}
		g->endpoint_url = arg;
		return 1;
	case OPT_DEMO:
		if (arg == NULL || *arg == '\0')
			arg = "happy";
		if (strcmp(arg, "list") != 0 &&
		    demo_scenario_find(arg) == NULL) {
			cli_usage_error(_("unknown demo scenario '%s'; "
			    "'--demo=list' shows them"), arg);
			return -1;
		}
		g->demo = arg;
		return 1;
	case OPT_DEBUG:
		g->debug = 1;
		return 1;
	case OPT_NO_COLOR:
		g->color = 0;
		return 1;
	default:
		return 0;
	}
}

int
cli_other_opt(struct global_opts *g, int argc, char **argv, int c,
    const char *arg)
{
	int	 r;

	if (c == '?' || c == ':') {
		cli_bad_option(argc, argv, c);
		return -1;
	}
	if ((r = cli_global_opt(g, c, arg)) < 0)
		return -1;
	if (r == 0) {
		cli_bad_option(argc, argv, '?');
		return -1;
	}
	if (c == OPT_DEMO && strcmp(g->demo, "list") == 0) {
		cli_print_demo_scenarios();
		return 1;
	}
	return 0;
}

void
cli_session_opts(const struct global_opts *g, struct session_opts *so)
{
	memset(so, 0, sizeof *so);
	so->demo = g->demo;
	so->profile = g->profile;
	so->region = g->region;
	so->endpoint_url = g->endpoint_url;
	if (g->debug)
		so->trace = out_trace;
}

int
cli_is_subcommand(const char *name)
{
	const struct subcommand	*s;

	for (s = subcommands; s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			return 1;
	return 0;
}

void
cli_print_subcommands(void)
{
	const struct subcommand	*s;

	for (s = subcommands; s->name != NULL; s++)
		printf("  %-9s %s\n", s->name, _(s->summary));
}

void
cli_print_demo_scenarios(void)
{
	const struct demo_scenario	*s;

	for (s = demo_scenarios(); s->name != NULL; s++)
		printf("%-16s %-12s %s\n", s->name,
		    s->gate != NULL ? s->gate : "-", _(s->summary));
}

int
cli_dispatch(struct global_opts *g, int argc, char **argv)
{
	const struct subcommand	*s;

	for (s = subcommands; s->name != NULL; s++) {
		if (strcmp(s->name, argv[0]) != 0)
			continue;
		return s->run(g, argc, argv);
	}
	cli_usage_error(_("unknown command '%s'"), argv[0]);
	return EXIT_USAGE;
}
