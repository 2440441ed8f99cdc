/*
 * chat.h: the chat subcommand: one prompt, the answer streamed to stdout.
 */
#ifndef BS_CLI_CHAT_H
#define BS_CLI_CHAT_H

struct global_opts;

/* Exit status when Ctrl-C (SIGINT) stopped the call: 128 + SIGINT. */
#define CHAT_EXIT_INTERRUPTED	130

int	 cmd_chat(struct global_opts *, int argc, char **argv);

#endif
