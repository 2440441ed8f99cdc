/*
 * screen.h: what a wizard screen is, and the state screens share.
 *
 * Each screen is one file exporting a const struct screen_ops.  Its key
 * handler changes state and returns SCR_* flags; it never paints.  Its
 * draw function only reads state and paints into the body window it is
 * given.  The loop in app.c acts on the flags and repaints when dirty.
 */
#ifndef BS_TUI_SCREEN_H
#define BS_TUI_SCREEN_H

#include <curses.h>

#include "access.h"
#include "cli/cli.h"
#include "resolve.h"

enum {
	SCR_UNHANDLED = 0,
	SCR_HANDLED = 1 << 0,	/* the key meant something here */
	SCR_REDRAW = 1 << 1,	/* state changed: repaint */
	SCR_NEXT = 1 << 2,	/* go on to the next step */
	SCR_BACK = 1 << 3,	/* go back one step */
	SCR_QUIT = 1 << 4	/* leave the wizard */
};

/*
 * Keys reach handlers as ncurses KEY_* codes, characters below 0x100 as
 * themselves, and other characters as their code point | SCR_WCHAR (so
 * that no letter can be mistaken for a KEY_* code).
 */
#define SCR_WCHAR	0x1000000
#define SCR_KEY_CHAR(k)	((k) & ~SCR_WCHAR)

struct keyhint {
	const char	*key;		/* as shown: "Enter", "q"; N_() if words */
	const char	*what;		/* N_() */
	int		 help_only;	/* in the help overlay, not the bar */
};

/* The five gates, in the journey's order, as the header shows them. */
enum wiz_gate {
	WG_CREDENTIALS,
	WG_REGION,
	WG_MODEL_ACCESS,
	WG_TERMS,
	WG_IAM,
	WG_COUNT
};

enum wiz_gate_state { WGS_UNKNOWN, WGS_CHECKING, WGS_PASS, WGS_WARN,
	WGS_FAIL };

/* A chosen model and how it is called in the chosen Region. */
struct wiz_choice {
	char			*name;		/* for people */
	char			*provider;
	struct resolve_result	 how;		/* how it is called here */
	enum access_state	 access;	/* ACCESS_UNKNOWN: not
						   checked (yet) */
	char			 access_detail[512];
};

/* The policy step's choices (s_policy.c). */
struct wiz_policy {
	int		 streaming;		/* default on */
	int		 discovery;
	int		 enablement;
	int		 api_keys;
	int		 restrict_region;
	int		 format;		/* 0 JSON, 1 CloudFormation, 2
						   Terraform, 3 CLI, 4 SCP */
};

struct session;
struct catalog;
struct wiz_models;
struct wiz_acc;
struct wiz_chat;
struct creds_report;
struct diagnose_result;

/*
 * State every screen may read; owned by app.c.  Choices live here, not
 * in screens, so going back and forth keeps them.
 */
struct wizard {
	struct global_opts	 g;
	int			 utf8;		/* the terminal takes UTF-8 */
	int			 color;		/* colours are in use */
	char			 status[256];	/* one-line status, or "" */
	unsigned		 tick;		/* spinner frame */
	enum wiz_gate_state	 gates[WG_COUNT];

	struct session		*session;	/* NULL until opened */
	char			 open_error[2048]; /* why it could not open */
	/* The credentials gate's answer (s_credentials.c). */
	int			 cred_checking;
	struct creds_report	*report;	/* the chain, or NULL */
	struct diagnose_result	*cred_diag;	/* why it failed, or NULL */
	int			 identity_ok;
	/* No AWS credentials, but a Bedrock API key: Bedrock calls work,
	   STS and IAM cannot say who this is. */
	int			 bearer_only;
	char			 account[16];
	char			 arn[512];
	char			*region;	/* the chosen Region */

	const struct catalog	*cat;		/* the shipped catalog */
	/* Measured latency per catalog Region (s_region.c). */
	struct wiz_latency {
		enum { LAT_UNKNOWN, LAT_MEASURING, LAT_OK, LAT_FAILED } state;
		double	 ms;
	}			*latency;
	int			 latency_started;

	/* The models of the chosen Region and their access (s_models.c),
	   bumped version when a new list arrives. */
	struct wiz_models	*models;
	unsigned		 models_version;
	/* Models chosen in s_models.c, resolved for the chosen Region. */
	struct wiz_choice	*choices;
	size_t			 nchoices;
	struct wiz_policy	 policy;
	/* The access step's calls and form (s_access.c). */
	struct wiz_acc		*acc;
	/* The first call (s_chat.c): the conversation, kept when leaving. */
	struct wiz_chat		*chat;
	int			 chat_ok;	/* a streamed answer arrived */
	size_t			 chat_model;	/* index in choices */
	double			 chat_first_ms;	/* time to first token */
	double			 chat_total_ms;
	/* Files the wizard wrote, for the summary (owned). */
	char			**files;
	size_t			 nfiles;
	/* Set while something the user would lose is unsaved. */
	int			 unsaved;
	/* Set while a call that changes the account runs (s_access.c). */
	int			 committing;
};

/* Drop every choice (when the Region changes, say). */
void		 wizard_clear_choices(struct wizard *);
/* The access state in a word or two, for lists (translated). */
const char	*wizard_access_word(enum access_state);
/* Set the model-access, terms and IAM gates from the choices' access. */
void		 wizard_access_gates(struct wizard *);
/* Add a choice; takes ownership of how's contents.  Returns it. */
struct wiz_choice *wizard_add_choice(struct wizard *, const char *name,
		     const char *provider, struct resolve_result *how);
/*
 * Put text on the terminal's clipboard with OSC 52 (xterm, tmux, kitty,
 * iTerm2...: the terminal must allow it).  0, or -1 when it is too large.
 */
int		 wizard_copy(const char *text);
/* Remember a file written (for the summary). */
void		 wizard_add_file(struct wizard *, const char *path);

/* Free what s_models.c, s_access.c and s_chat.c keep in the wizard. */
void		 models_state_free(struct wiz_models *);
void		 acc_state_free(struct wiz_acc *);
void		 chat_state_free(struct wiz_chat *);

/* A spinner glyph for the current tick. */
const char	*wizard_spinner(const struct wizard *);
/* Set the status line (printf-style). */
void		 wizard_status(struct wizard *, const char *fmt, ...)
		     __attribute__((format(printf, 2, 3)));

struct screen_ops {
	const char		*name;		/* N_(): the step's title */
	int			 step;		/* 1..6; 0 for the welcome */
	int			(*enter)(struct wizard *, void **state);
	void			(*leave)(struct wizard *, void *state);
	int			(*key)(struct wizard *, void *state, int key);
	void			(*draw)(const struct wizard *, const void *state,
				    WINDOW *body);
	int			(*tick)(struct wizard *, void *state);
	const struct keyhint	*hints;		/* ended by a NULL key */
	/* Printable keys are text here: help is F1, quit F10. */
	int			 takes_text;
	/* Optional: the keys that matter now, when a screen has modes (a
	   form, a question); NULL from it, or no function, means hints. */
	const struct keyhint	*(*hints_now)(const struct wizard *,
				    const void *state);
};

extern const struct screen_ops screen_welcome;
extern const struct screen_ops screen_credentials;
extern const struct screen_ops screen_region;
extern const struct screen_ops screen_models;
extern const struct screen_ops screen_access;
extern const struct screen_ops screen_policy;
extern const struct screen_ops screen_chat;
extern const struct screen_ops screen_summary;

#endif
