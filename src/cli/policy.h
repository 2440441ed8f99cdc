/*
 * policy.h: the policy subcommand.
 */
#ifndef BS_CLI_POLICY_H
#define BS_CLI_POLICY_H

struct global_opts;

/* "bedrock-setup policy ...": argv[0] is "policy".  Returns an exit status. */
int	 cmd_policy(struct global_opts *, int argc, char **argv);

#endif
