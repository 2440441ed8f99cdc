/*
 * app.c: the wizard's loop: terminal set-up and restore, the screen in
 * front, key dispatch, resize, the help overlay, and one render pass per
 * iteration.
 */
#include <config.h>

#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "gettext.h"
#include "buf.h"
#include "catalog.h"
#include "creds.h"
#include "crypto.h"
#include "session.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/job.h"
#include "tui/screen.h"
#include "tui/theme.h"
#include "xalloc.h"

#define MIN_COLS	80
#define MIN_ROWS	24
#define TICK_MS		100
#define KEY_CTRL_C	3
#define KEY_ESC		27

/* The journey, in order. */
static const struct screen_ops *const journey[] = {
	&screen_welcome,
	&screen_credentials,
	&screen_region,
	&screen_models,
	&screen_access,
	&screen_policy,
	&screen_chat,
	&screen_summary,
};
#define NJOURNEY	(sizeof journey / sizeof journey[0])

struct app {
	struct wizard		 w;
	size_t			 at;		/* index in journey */
	const struct screen_ops	*screen;
	void			*state;
	WINDOW			*body;
	int			 rows, cols;
	int			 help;		/* help overlay shown */
	int			 confirm_quit;	/* "quit? y/N" shown */
	int			 dirty;
	int			 quit;
};

static volatile sig_atomic_t got_term;
static SCREEN *term_screen;

const char *
wizard_spinner(const struct wizard *w)
{
	static const char *const ascii[] = { "|", "/", "-", "\\" };
	static const char *const fancy[] = {
		"\xe2\xa0\x8b", "\xe2\xa0\x99", "\xe2\xa0\xb9",
		"\xe2\xa0\xb8", "\xe2\xa0\xbc", "\xe2\xa0\xb4",
		"\xe2\xa0\xa6", "\xe2\xa0\xa7", "\xe2\xa0\x87",
		"\xe2\xa0\x8f"
	};

	if (w->utf8)
		return fancy[w->tick % 10];
	return ascii[w->tick % 4];
}

void
wizard_status(struct wizard *w, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(w->status, sizeof w->status, fmt, ap);
	va_end(ap);
}

void
wizard_clear_choices(struct wizard *w)
{
	size_t	 i;

	for (i = 0; i < w->nchoices; i++) {
		free(w->choices[i].name);
		free(w->choices[i].provider);
		resolve_result_free(&w->choices[i].how);
	}
	free(w->choices);
	w->choices = NULL;
	w->nchoices = 0;
	w->chat_model = 0;
}

struct wiz_choice *
wizard_add_choice(struct wizard *w, const char *name, const char *provider,
    struct resolve_result *how)
{
	struct wiz_choice	*c;

	w->choices = xreallocarray(w->choices, w->nchoices + 1,
	    sizeof *w->choices);
	c = &w->choices[w->nchoices++];
	memset(c, 0, sizeof *c);
	c->name = xstrdup(name != NULL ? name : "");
	c->provider = xstrdup(provider != NULL ? provider : "");
	c->how = *how;
	memset(how, 0, sizeof *how);
	return c;
}

const char *
wizard_access_word(enum access_state s)
{
	static const char *const words[ACCESS_STATE_COUNT] = {
		[ACCESS_UNKNOWN] = N_("unknown"),
		[ACCESS_GRANTED] = N_("ready"),
		[ACCESS_PENDING] = N_("pending"),
		[ACCESS_NEEDS_FORM] = N_("needs form"),
		[ACCESS_NEEDS_AGREEMENT] = N_("accept terms"),
		[ACCESS_NEEDS_SUBSCRIPTION] = N_("subscribe"),
		[ACCESS_NOT_IN_REGION] = N_("not here"),
		[ACCESS_DENIED] = N_("denied"),
	};

	if ((unsigned)s >= ACCESS_STATE_COUNT)
		s = ACCESS_UNKNOWN;
	return _(words[s]);
}

/*
 * The gates the chosen models' access speaks for: a missing form or
 * agreement fails terms, a pending one warns; a missing subscription or
 * Region fails model access; a refusal fails IAM; not knowing warns.
 */
void
wizard_access_gates(struct wizard *w)
{
	size_t	 i;
	int	 access = WGS_PASS, terms = WGS_PASS, unknown = 0;

	for (i = 0; i < w->nchoices; i++)
		switch (w->choices[i].access) {
		case ACCESS_GRANTED:
			break;
		case ACCESS_PENDING:
			if (terms == WGS_PASS)
				terms = WGS_WARN;
			break;
		case ACCESS_NEEDS_FORM:
		case ACCESS_NEEDS_AGREEMENT:
			terms = WGS_FAIL;
			break;
		case ACCESS_NEEDS_SUBSCRIPTION:
		case ACCESS_NOT_IN_REGION:
			access = WGS_FAIL;
			break;
		case ACCESS_DENIED:
			w->gates[WG_IAM] = WGS_FAIL;
			break;
		default:
			unknown = 1;
		}
	w->gates[WG_MODEL_ACCESS] = unknown && access == WGS_PASS ?
	    WGS_WARN : access;
	w->gates[WG_TERMS] = unknown && terms == WGS_PASS ? WGS_WARN : terms;
}

int
wizard_copy(const char *text)
{
	struct buf	 b = BUF_INIT;

	buf_addstr(&b, "\033]52;c;");
	if (crypto_base64_encode(text, strlen(text), &b) != 0 ||
	    buf_addstr(&b, "\a") != 0) {
		buf_free(&b);
		return -1;
	}
	fwrite(buf_str(&b), 1, b.len, stdout);
	fflush(stdout);
	buf_free(&b);
	return 0;
}

void
wizard_add_file(struct wizard *w, const char *path)
{
	w->files = xreallocarray(w->files, w->nfiles + 1, sizeof *w->files);
	w->files[w->nfiles++] = xstrdup(path);
}

static void
restore_terminal(void)
{
	if (term_screen != NULL && !isendwin())
		endwin();
}

static void
on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

static const struct keyhint global_hints[] = {
	{ "?", N_("help"), 0 },
	{ "q", N_("quit"), 0 },
	{ NULL, NULL, 0 }
};

/* The same on screens where printable keys are text. */
static const struct keyhint text_hints[] = {
	{ "F1", N_("help"), 0 },
	{ "C-d", N_("quit"), 0 },
	{ "F10", N_("quit"), 1 },
	{ NULL, NULL, 0 }
};

static void
draw_header(const struct app *a)
{
	char	 right[64];
	int	 rw;

	attron(theme_attr(TH_TITLE));
	mvhline(0, 0, ' ', a->cols);
	mvprintw(0, 1, "%s %s", PACKAGE, PACKAGE_VERSION);
	if (a->screen->step > 0)
		/* L10N: the step indicator in the header: "step 2/6 Region". */
		snprintf(right, sizeof right, _("step %d/6 %s"),
		    a->screen->step, _(a->screen->name));
	else
		snprintf(right, sizeof right, "%s", _(a->screen->name));
	rw = draw_width(right);
	mvaddstr(0, a->cols - rw - 1, right);
	attroff(theme_attr(TH_TITLE));
	if (a->w.g.demo != NULL) {
		char	 demo[96];

		/* L10N: shown in the header in demo mode; %s is a scenario. */
		snprintf(demo, sizeof demo, _("DEMO: %s"), a->w.g.demo);
		attron(theme_attr(TH_TITLE) | A_BOLD);
		mvaddstr(0, (a->cols - draw_width(demo)) / 2, demo);
		attroff(theme_attr(TH_TITLE) | A_BOLD);
	}
}

static const char *const gate_names[WG_COUNT] = {
	N_("Credentials"), N_("Region"), N_("Model access"),
	N_("Provider terms"), N_("IAM permission"),
};

/* The five gates as a checklist that fills in as the journey goes. */
static void
draw_gates(const struct app *a)
{
	static const char *const mark_utf8[] = {
		"\xe2\x97\x8b", "", "\xe2\x9c\x93", "!", "\xe2\x9c\x97" };
	static const char *const mark_ascii[] = { "o", "", "+", "!", "x" };
	static const enum theme_role role[] = {
		TH_DIM, TH_DIM, TH_OK, TH_WARN, TH_FAIL };
	int	 x = 1, i;

	move(1, 0);
	clrtoeol();
	for (i = 0; i < WG_COUNT; i++) {
		enum wiz_gate_state st = a->w.gates[i];
		const char *m = st == WGS_CHECKING ? wizard_spinner(&a->w) :
		    a->w.utf8 ? mark_utf8[st] : mark_ascii[st];
		int	 need = draw_width(_(gate_names[i])) + 4;

		if (x + need > a->cols)
			break;
		attron(theme_attr(role[st]));
		mvaddstr(1, x, m);
		attroff(theme_attr(role[st]));
		mvaddstr(1, x + 2, _(gate_names[i]));
		x += need;
	}
}

/* The keys of the screen in front, in its current mode. */
static const struct keyhint *
screen_hints(const struct app *a)
{
	const struct keyhint	*h = NULL;

	if (a->screen->hints_now != NULL)
		h = a->screen->hints_now(&a->w, a->state);
	return h != NULL ? h : a->screen->hints;
}

static int
draw_hints(int y, int x, int maxx, const struct keyhint *h)
{
	for (; h != NULL && h->key != NULL; h++) {
		/* A key's name is its own msgid only when it is words. */
		const char	*key = _(h->key);
		int		 need = draw_width(key) + 1 +
		    draw_width(_(h->what)) + 3;

		if (h->help_only)
			continue;
		if (x + need > maxx)
			break;
		attron(theme_attr(TH_KEY));
		mvaddstr(y, x, key);
		attroff(theme_attr(TH_KEY));
		x += draw_width(key) + 1;
		mvaddstr(y, x, _(h->what));
		x += draw_width(_(h->what)) + 3;
	}
	return x;
}

static void
draw_footer(const struct app *a)
{
	int	 x = 1;

	draw_hrule(stdscr, a->rows - 2, 0, a->cols, a->w.utf8);
	move(a->rows - 1, 0);
	clrtoeol();
	x = draw_hints(a->rows - 1, x, a->cols, screen_hints(a));
	draw_hints(a->rows - 1, x, a->cols, a->screen->takes_text ?
	    text_hints : global_hints);
	/* The status line sits in the rule above the key hints. */
	if (a->w.status[0] != '\0') {
		char	 st[300];

		snprintf(st, sizeof st, " %s ", a->w.status);
		draw_clipped(stdscr, a->rows - 2, 2, a->cols - 4, st,
		    theme_attr(TH_WARN));
	}
}

static int
help_rows(const struct keyhint *h)
{
	int	 n = 0;

	for (; h != NULL && h->key != NULL; h++)
		n++;
	return n;
}

static void
help_lines(WINDOW *win, int *y, int maxy, const struct keyhint *h)
{
	for (; h != NULL && h->key != NULL && *y < maxy; h++, (*y)++) {
		wattron(win, theme_attr(TH_KEY));
		mvwaddnstr(win, *y, 3, _(h->key), -1);
		wattroff(win, theme_attr(TH_KEY));
		draw_clipped(win, *y, 15, getmaxx(win) - 17, _(h->what),
		    A_NORMAL);
	}
}

static void
draw_help(const struct app *a)
{
	WINDOW	*win;
	int	 width = 66, height, y;

	height = 6 + help_rows(screen_hints(a)) + help_rows(global_hints);
	if (height > a->rows - 4)
		height = a->rows - 4;
	if (height > a->rows - 2)
		height = a->rows - 2;
	win = derwin(stdscr, height, width, 2, (a->cols - width) / 2);
	if (win == NULL)
		return;
	werase(win);
	box(win, 0, 0);
	wattron(win, theme_attr(TH_ACCENT));
	/* L10N: title of the help overlay; %s is the screen's name. */
	mvwprintw(win, 1, 2, _("Keys on this screen: %s"), _(a->screen->name));
	wattroff(win, theme_attr(TH_ACCENT));
	y = 3;
	help_lines(win, &y, height - 3, screen_hints(a));
	help_lines(win, &y, height - 3, a->screen->takes_text ? text_hints :
	    global_hints);
	wattron(win, theme_attr(TH_DIM));
	mvwaddstr(win, height - 2, 3, _("Esc or ? closes this help."));
	wattroff(win, theme_attr(TH_DIM));
	delwin(win);
}

static void
draw_confirm_quit(const struct app *a)
{
	const char	*q = a->w.unsaved ?
	    /* L10N: asked on q; y and N are keys. */
	    _("The policy changes are not saved. Quit anyway? y/N") :
	    _("A change to the account is being sent. Quit anyway? y/N");
	int		 width = draw_width(q) + 6, y = a->rows / 2 - 2;
	WINDOW		*win;

	if (width > a->cols - 2)
		width = a->cols - 2;
	win = derwin(stdscr, 3, width, y, (a->cols - width) / 2);
	if (win == NULL)
		return;
	werase(win);
	box(win, 0, 0);
	wattron(win, theme_attr(TH_WARN));
	mvwaddnstr(win, 1, 3, q, width - 6);
	wattroff(win, theme_attr(TH_WARN));
	delwin(win);
}

static void
render(struct app *a)
{
	erase();
	if (a->cols < MIN_COLS || a->rows < MIN_ROWS) {
		char	 need[128];

		/* L10N: shown instead of the screen when it is too small. */
		mvaddstr(0, 0, _("Terminal too small."));
		snprintf(need, sizeof need, _("Needs %dx%d, has %dx%d."),
		    MIN_COLS, MIN_ROWS, a->cols, a->rows);
		mvaddstr(1, 0, need);
		mvaddstr(2, 0, _("Enlarge the window, or press q to quit."));
		refresh();
		return;
	}
	draw_header(a);
	draw_gates(a);
	if (a->body != NULL)
		delwin(a->body);
	a->body = derwin(stdscr, a->rows - 4, a->cols, 2, 0);
	if (a->body != NULL)
		a->screen->draw(&a->w, a->state, a->body);
	draw_footer(a);
	if (a->help)
		draw_help(a);
	if (a->confirm_quit)
		draw_confirm_quit(a);
	refresh();
}

/* Quit, or ask first when something would be lost. */
static void
ask_quit(struct app *a)
{
	if (a->w.unsaved || a->w.committing) {
		a->confirm_quit = 1;
		a->dirty = 1;
	} else
		a->quit = 1;
}

/* Keys the wizard handles when the screen does not. */
static void
global_key(struct app *a, int key)
{
	switch (key) {
	case 'q':
	case 'Q':
		ask_quit(a);
		break;
	case KEY_F(10):
		ask_quit(a);
		break;
	case '?':
	case KEY_F(1):
		a->help = !a->help;
		a->dirty = 1;
		break;
	case KEY_ESC:
		if (a->help) {
			a->help = 0;
			a->dirty = 1;
		}
		break;
	default:
		break;
	}
}

static void
go_to(struct app *a, size_t at)
{
	if (at >= NJOURNEY || at == a->at)
		return;
	if (a->screen->leave != NULL)
		a->screen->leave(&a->w, a->state);
	a->state = NULL;
	a->at = at;
	a->screen = journey[at];
	a->w.status[0] = '\0';
	if (a->screen->enter != NULL)
		a->screen->enter(&a->w, &a->state);
	a->dirty = 1;
}

static void
handle_key(struct app *a, int key)
{
	int	 r = SCR_UNHANDLED;

	if (key == KEY_RESIZE) {
		getmaxyx(stdscr, a->rows, a->cols);
		a->dirty = 1;
		return;
	}
	if (a->confirm_quit) {
		a->confirm_quit = 0;
		a->dirty = 1;
		if (key == 'y' || key == 'Y')
			a->quit = 1;
		return;
	}
	if (a->help) {
		if (key == KEY_ESC || key == '?' || key == KEY_F(1)) {
			a->help = 0;
			a->dirty = 1;
		} else if (key == 'q' || key == 'Q' || key == KEY_F(10))
			ask_quit(a);
		return;
	}
	if (a->cols >= MIN_COLS && a->rows >= MIN_ROWS &&
	    a->screen->key != NULL)
		r = a->screen->key(&a->w, a->state, key);
	if (r & SCR_REDRAW)
		a->dirty = 1;
	if (r & SCR_QUIT) {
		if (a->screen == &screen_summary)
			a->quit = 1;
		else
			ask_quit(a);
	}
	if (r & SCR_NEXT)
		go_to(a, a->at + 1);
	else if (r & SCR_BACK && a->at > 0)
		go_to(a, a->at - 1);
	if (r & SCR_HANDLED)
		return;
	if ((key == KEY_ESC || key == KEY_BACKSPACE || key == 127) &&
	    !a->help && a->at > 0) {
		go_to(a, a->at - 1);
		return;
	}
	global_key(a, key);
}

/* Read every key waiting; wide characters arrive as their code point. */
static void
read_keys(struct app *a)
{
	wint_t	 ch;
	int	 r;

	while (!a->quit && (r = get_wch(&ch)) != ERR) {
		if (r == KEY_CODE_YES || ch < 0x100)
			handle_key(a, (int)ch);
		else
			handle_key(a, (int)ch | SCR_WCHAR);
	}
}

static int
setup_terminal(struct app *a)
{
	struct sigaction	 sa;
	const char		*cs;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, _("%s: the wizard needs a terminal; "
		    "run a command instead (see '%s --help').\n"),
		    PACKAGE, PACKAGE);
		return -1;
	}
	cs = nl_langinfo(CODESET);
	a->w.utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	if ((term_screen = newterm(NULL, stdout, stdin)) == NULL) {
		fprintf(stderr, _("%s: cannot use terminal type '%s'; "
		    "set TERM to one your system knows, such as xterm.\n"),
		    PACKAGE, getenv("TERM") != NULL ? getenv("TERM") : "");
		return -1;
	}
	xalloc_set_fatal_hook(restore_terminal);
	raw();		/* Ctrl-C arrives as a key: it cancels, not kills */
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	a->w.color = theme_init(a->w.g.color);
	getmaxyx(stdscr, a->rows, a->cols);
	return 0;
}

/* After the terminal is restored: one line, when something was done. */
static void
print_summary(const struct wizard *w)
{
	if (w->chat_ok && w->chat_model < w->nchoices) {
		/* L10N: printed after the wizard: model, Region, latency. */
		printf(_("%s: %s answered in %s (first token after %.0f ms)"),
		    PACKAGE, w->choices[w->chat_model].how.invoke_id,
		    w->region != NULL ? w->region : "?", w->chat_first_ms);
		if (w->nfiles > 0)
			/* L10N: continues the line above; %s is a file. */
			printf(_("; policy saved to %s"), w->files[0]);
		printf("\n");
	} else if (w->nfiles > 0)
		printf(_("%s: policy saved to %s\n"), PACKAGE, w->files[0]);
	fflush(stdout);
}

int
tui_run(const struct global_opts *g)
{
	struct app	 a;
	struct pollfd	 pfd[2];
	struct catalog	*cat;
	struct err	 e;

	memset(&a, 0, sizeof a);
	a.w.g = *g;
	if ((cat = catalog_load_embedded(&e)) == NULL) {
		fprintf(stderr, _("%s: the built-in catalog is damaged: %s\n"),
		    PACKAGE, e.message);
		return EXIT_CANNOT_RUN;
	}
	a.w.cat = cat;
	a.w.policy.streaming = 1;
	a.w.latency = xcalloc(catalog_region_count(cat) + 1,
	    sizeof *a.w.latency);
	if (job_init() != 0) {
		fprintf(stderr, _("%s: cannot start: %s\n"), PACKAGE,
		    strerror(errno));
		free(a.w.latency);
		catalog_free(cat);
		return EXIT_CANNOT_RUN;
	}
	if (setup_terminal(&a) != 0) {
		free(a.w.latency);
		catalog_free(cat);
		return EXIT_CANNOT_RUN;
	}
	a.at = 0;
	a.screen = journey[0];
	if (a.screen->enter != NULL)
		a.screen->enter(&a.w, &a.state);
	a.dirty = 1;

	while (!a.quit && !got_term) {
		if (a.dirty) {
			render(&a);
			a.dirty = 0;
		}
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = job_fd();
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, TICK_MS) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents & POLLIN && job_dispatch(&a.w) > 0)
			a.dirty = 1;
		read_keys(&a);
		if (job_running()) {
			a.w.tick++;
			a.dirty = 1;
		}
		if (a.screen->tick != NULL &&
		    (a.screen->tick(&a.w, a.state) & SCR_REDRAW))
			a.dirty = 1;
	}

	job_shutdown(&a.w);
	if (a.screen->leave != NULL)
		a.screen->leave(&a.w, a.state);
	restore_terminal();
	print_summary(&a.w);
	models_state_free(a.w.models);
	acc_state_free(a.w.acc);
	chat_state_free(a.w.chat);
	session_close(a.w.session);
	free(a.w.region);
	free(a.w.latency);
	wizard_clear_choices(&a.w);
	for (size_t i = 0; i < a.w.nfiles; i++)
		free(a.w.files[i]);
	free(a.w.files);
	creds_report_free(a.w.report);
	free(a.w.cred_diag);
	catalog_free(cat);
	if (a.body != NULL)
		delwin(a.body);
	xalloc_set_fatal_hook(NULL);
	delscreen(term_screen);
	term_screen = NULL;
	return EXIT_PASS;
}
