/*
 * app.h: the wizard's entry point.
 */
#ifndef BS_TUI_APP_H
#define BS_TUI_APP_H

struct global_opts;

/* Run the ncurses wizard until the user quits.  Returns an exit status. */
int	 tui_run(const struct global_opts *);

#endif
