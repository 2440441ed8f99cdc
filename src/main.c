/*
 * main.c: locale and translations, global options, and the choice between
 * the wizard (no subcommand) and a subcommand.
 */
#include <config.h>

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "gettext.h"
#include "i18n.h"
#include "tui/app.h"

static void
usage(void)
{
	printf(_("Usage: %s [OPTION]... [COMMAND [ARG]...]\n"), PACKAGE);
	fputs(_(
"Take an AWS account to a first live answer from an Amazon Bedrock model,\n"
"and leave a least-privilege IAM policy behind.  Without a COMMAND, open\n"
"the interactive wizard.\n"), stdout);
	fputs(_("\nCommands:\n"), stdout);
	cli_print_subcommands();
	fputs(_(
"\nOptions:\n"
"      --profile NAME       use the named profile of ~/.aws/config\n"
"      --region NAME        use this Region (e.g. us-east-1)\n"
"      --endpoint-url URL   send every AWS request to URL\n"
"      --demo[=SCENARIO]    use the built-in simulated account: no network,\n"
"                           no credentials ('--demo=list' lists scenarios)\n"
"      --debug              trace every request on stderr (secrets redacted)\n"
"      --no-color           do not use colours (NO_COLOR is honoured too)\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"), stdout);
	printf(_("\n'%s COMMAND --help' describes a command.\n"), PACKAGE);
	printf(_("Report bugs at <%s>.\n"), PACKAGE_BUGREPORT);
}

static void
version(void)
{
	printf("%s %s\n", PACKAGE, PACKAGE_VERSION);
}

#if ENABLE_NLS
static const char *
translate(const char *msgid)
{
	return gettext(msgid);
}
#endif

static void
setup_locale(void)
{
	setlocale(LC_ALL, "");
#if ENABLE_NLS
	{
		/* An uninstalled build points here at its own catalogs. */
		const char *dir = getenv("BEDROCK_SETUP_LOCALEDIR");

		bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ?
		    dir : LOCALEDIR);
		bind_textdomain_codeset(PACKAGE, "UTF-8");
		textdomain(PACKAGE);
		core_set_translator(translate);
	}
#endif
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_LONGOPTS,
		{ "help",    no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct global_opts	 g;
	const char		*nc;
	int			 c, r;

	setup_locale();
	memset(&g, 0, sizeof g);
	nc = getenv("NO_COLOR");
	g.color = nc == NULL || *nc == '\0';

	opterr = 0;
	/* "+": stop at the first non-option, the subcommand. */
	while ((c = getopt_long(argc, argv, "+:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage();
			return EXIT_PASS;
		case 'V':
			version();
			return EXIT_PASS;
		case '?':
		case ':':
			cli_bad_option(argc, argv, c);
			return EXIT_USAGE;
		default:
			r = cli_global_opt(&g, c, optarg);
			if (r < 0)
				return EXIT_USAGE;
			if (r == 0) {
				cli_bad_option(argc, argv, '?');
				return EXIT_USAGE;
			}
			break;
		}
	}

	if (g.demo != NULL && strcmp(g.demo, "list") == 0) {
		cli_print_demo_scenarios();
		return EXIT_PASS;
	}
	if (optind < argc) {
		int	 first = optind;

		/*
		 * Subcommands parse their own options from argv[0], their
		 * name; optind = 0 makes glibc's getopt start afresh.
		 */
		optind = 0;
		return cli_dispatch(&g, argc - first, argv + first);
	}
	return tui_run(&g);
}
