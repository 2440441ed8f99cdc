/*
 * models.h: the models subcommand.
 */
#ifndef BS_CLI_MODELS_H
#define BS_CLI_MODELS_H

struct global_opts;

/* "bedrock-setup models ...": argv[0] is "models".  Returns an exit status. */
int	 cmd_models(struct global_opts *, int argc, char **argv);

#endif
