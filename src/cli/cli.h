/*
 * cli.h: the command line shared by the wizard and the subcommands.
 *
 * Global options may stand before or after the subcommand; every
 * subcommand's parser hands the ones it does not know to cli_global_opt().
 * Exit statuses are the same everywhere (see enum cli_exit).
 */
#ifndef BS_CLI_H
#define BS_CLI_H

#include <getopt.h>

struct session_opts;

enum cli_exit {
	EXIT_PASS = 0,		/* success */
	EXIT_CHECK_FAILED = 1,	/* a check failed or the call was refused */
	EXIT_USAGE = 2,		/* the command line is wrong */
	EXIT_CANNOT_RUN = 3	/* network, configuration: could not run */
};

struct global_opts {
	const char	*profile;	/* --profile, or NULL */
	const char	*region;	/* --region, or NULL */
	const char	*endpoint_url;	/* --endpoint-url, or NULL */
	const char	*demo;		/* scenario name when --demo, else NULL */
	int		 debug;		/* --debug */
	int		 color;		/* 0 with --no-color or NO_COLOR */
};

/* getopt_long values of the global options (above the char range). */
enum {
	OPT_PROFILE = 0x100,
	OPT_REGION,
	OPT_ENDPOINT_URL,
	OPT_DEMO,
	OPT_DEBUG,
	OPT_NO_COLOR,
	OPT_HELP,
	OPT_VERSION,
	OPT_FIRST_LOCAL		/* subcommands number their own from here */
};

/* The global long options, for splicing into a subcommand's table. */
#define CLI_GLOBAL_LONGOPTS						\
	{ "profile",      required_argument, NULL, OPT_PROFILE },	\
	{ "region",       required_argument, NULL, OPT_REGION },	\
	{ "endpoint-url", required_argument, NULL, OPT_ENDPOINT_URL },	\
	{ "demo",         optional_argument, NULL, OPT_DEMO },		\
	{ "debug",        no_argument,       NULL, OPT_DEBUG },		\
	{ "no-color",     no_argument,       NULL, OPT_NO_COLOR },	\
	{ "no-colour",    no_argument,       NULL, OPT_NO_COLOR }

/*
 * Apply one global option.  Returns 1 when c was a global option, 0 when it
 * was not, and -1 (after printing a usage error) when its value is bad.
 */
int	 cli_global_opt(struct global_opts *, int c, const char *arg);
/*
 * What a subcommand's getopt loop does with an option it does not know
 * itself (its default, '?' and ':' cases): apply a global option, or print
 * the usage error.  Returns 0; 1 for --demo=list, after listing the
 * scenarios (the subcommand then ends with EXIT_PASS, as after --help);
 * or -1 after a usage error.
 */
int	 cli_other_opt(struct global_opts *, int argc, char **argv, int c,
	     const char *arg);
/* Print "bedrock-setup: <message>" on stderr, one line. */
void	 cli_say(const char *fmt, ...)
	     __attribute__((format(printf, 1, 2)));
/* Print "bedrock-setup: <message>" and the --help hint on one line. */
void	 cli_usage_error(const char *fmt, ...)
	     __attribute__((format(printf, 1, 2)));
/* The option getopt choked on, named for a usage error. */
void	 cli_bad_option(int argc, char **argv, int optopt_value);
/*
 * The session options (session.h) the global options ask for: profile,
 * Region, endpoint URL, demo scenario, and the --debug trace (out_trace).
 * The rest of *so is zeroed.
 */
void	 cli_session_opts(const struct global_opts *, struct session_opts *so);
/* Run a subcommand; argv[0] is its name.  Returns an exit status. */
int	 cli_dispatch(struct global_opts *, int argc, char **argv);
/* Whether name is a subcommand. */
int	 cli_is_subcommand(const char *name);
/* Print the subcommand list (for --help). */
void	 cli_print_subcommands(void);
/* Print the demo scenarios (for --demo=list). */
void	 cli_print_demo_scenarios(void);

#endif
