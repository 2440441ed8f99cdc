/*
 * regions.h: the regions subcommand.
 */
#ifndef BS_CLI_REGIONS_H
#define BS_CLI_REGIONS_H

struct global_opts;

int	 cmd_regions(struct global_opts *, int argc, char **argv);

#endif
