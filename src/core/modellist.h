/*
 * modellist.h: the models a Region offers, each resolved to how it is
 * called there, in one order, with its access state.  What the `models`
 * command and the wizard's models screen both show.
 *
 * A list is built in one of two ways:
 *
 *	modellist_live()		ListFoundationModels and every
 *					ListInferenceProfiles page, read into
 *					a live resolve view (resolve.h)
 *	modellist_from_catalog()	the built-in catalog's view of the
 *					Region and its models
 *
 * Each model is resolved with resolve_model() against the list's view;
 * the rows are then sorted: providers in the catalog's order (those it
 * does not know last, by name), active models before legacy ones within
 * a provider, then by name and id.  A model the Region cannot call is
 * known at once to be ACCESS_NOT_IN_REGION; the access of the others is
 * fetched afterwards, all at once (access_check_many(), access.h):
 *
 *	modellist_check_access()	on the same thread, or in steps that
 *					let another thread own the rows while
 *					AWS is asked:
 *	modellist_access_init()		copy what to ask out of the list
 *	modellist_access_fetch()	ask AWS (touches no list)
 *	modellist_access_apply()	give the answers to the list's rows
 *
 * The module holds no state and no user text: a list owns every string
 * it holds and can be handed to another thread whole.
 */
#ifndef BS_MODELLIST_H
#define BS_MODELLIST_H

#include <stddef.h>

#include "access.h"
#include "bedrock.h"
#include "resolve.h"

struct catalog;
struct err;

/* Flags of struct modellist_opts. */
/*
 * Chat models only, text in and text out: live, the modalities AWS gives
 * include TEXT both ways; from the catalog, its "text" mark
 * (CATALOG_TEXT_ONLY).
 */
#define MODELLIST_CHAT_ONLY	0x1

/* A list holds at most this many rows (the view holds as many models). */
#define MODELLIST_MAX_ROWS	RESOLVE_MAX_FMS

struct modellist_row {
	char			*id;		/* the bare model id */
	/* As AWS or the catalog names it; the id when neither does. */
	char			*name;
	/* As ListFoundationModels says, else the catalog's name of the
	 * provider of the id's first part, else the id. */
	char			*provider;
	/* The provider's place in the catalog's order; after them all
	 * when the catalog does not know it. */
	size_t			 provider_order;
	struct bedrock_strv	 input;		/* modalities, as given: */
	struct bedrock_strv	 output;	/* "TEXT", "IMAGE", ... */
	int			 streaming;	/* 1, 0, -1 not said */
	char			*lifecycle;	/* "ACTIVE", "LEGACY", NULL */
	int			 legacy;	/* lifecycle is LEGACY */
	/* resolve_model()'s answer for id, kept even when not callable
	 * (then offered_in may say where it is). */
	struct resolve_result	 how;
	int			 callable;	/* how.invoke_id may be sent */
	/*
	 * The access state.  access_known is 0 until it is fetched for a
	 * callable row; a row that is not callable is known at once to be
	 * ACCESS_NOT_IN_REGION, with the detail access_check_many() gives.
	 */
	struct access_info	 access;
	int			 access_known;
};

struct modellist {
	char			*region;
	int			 live;		/* 1 from AWS, 0 the catalog */
	struct resolve_view	 view;		/* what the rows resolved
						   against: pass it to
						   resolve_model() again */
	struct modellist_row	*rows;		/* sorted, see above */
	size_t			 n;
	/* After modellist_live() failed: the DIAGNOSE_OP_* (diagnose.h) of
	 * the call that did, for diagnose_err(). */
	int			 failed_op;
};

struct modellist_opts {
	const char	*account;	/* for ARNs in the view; NULL unknown */
	int		 flags;		/* MODELLIST_* */
	/*
	 * Called for every model the flags let through, in the order the
	 * source lists them, once it is resolved (access is not known yet):
	 * 0 leaves it out of the list.  NULL keeps every model.
	 */
	int		(*keep)(const struct modellist_row *, void *arg);
	void		*keep_arg;
};

/*
 * The context's Region (bc->region, else its endpoint's signing Region)
 * listed live: ListFoundationModels, then ListInferenceProfiles (pages of
 * 1000) into a view of origin "live".  opts may be NULL.  *out is
 * overwritten (free a previous list first).  0 with the rows sorted; -1
 * with err set and failed_op naming the call, out holding no rows and no
 * view (modellist_free() is still allowed).
 */
int		 modellist_live(const struct bedrock_ctx *,
		    const struct catalog *, const struct modellist_opts *,
		    struct modellist *out, struct err *);
/*
 * The catalog's view of region and the models it says region can call
 * (live 0).  opts may be NULL; *out is overwritten.  0, or -1 with err
 * set when the catalog does not know the Region (out then has no rows).
 */
int		 modellist_from_catalog(const struct catalog *,
		    const char *region, const struct modellist_opts *,
		    struct modellist *out, struct err *);
/* Free what the list holds and leave it empty; NULL is allowed. */
void		 modellist_free(struct modellist *);

/*
 * Fetch the access of every callable row (access_check_many() with the
 * context of the list's Region) and set it, access_known 1.  Returns how
 * many ended ACCESS_UNKNOWN.
 */
size_t		 modellist_check_access(const struct bedrock_ctx *,
		    const struct catalog *, struct modellist *);
/*
 * Without asking AWS: every callable row ACCESS_UNKNOWN because of e
 * (enum diagnose_op op, as access_unknown_many()), access_known 1.
 * Returns how many that is.
 */
size_t		 modellist_unknown_access(struct modellist *,
		    const struct err *e, int op);

/* The callable rows' ids, copied, and their answers once fetched. */
struct modellist_access {
	char			**ids;
	size_t			  n;
	struct access_info	 *info;		/* n entries */
	int			  fetched;	/* modellist_access_fetch() ran */
};

/* Copy what modellist_access_fetch() will ask about list's rows; free it
 * with modellist_access_free(). */
void		 modellist_access_init(struct modellist_access *,
		    const struct modellist *);
/* Ask AWS (access_check_many()); reads no list.  Returns how many ended
 * ACCESS_UNKNOWN. */
size_t		 modellist_access_fetch(const struct bedrock_ctx *,
		    const struct catalog *, struct modellist_access *);
/*
 * Give fetched answers to the callable rows of list with the same id.
 * Call it where list is owned (the wizard asks on a worker, after the
 * list went to the main thread).  Nothing happens before a fetch.
 */
void		 modellist_access_apply(struct modellist *,
		    const struct modellist_access *);
void		 modellist_access_free(struct modellist_access *);

#endif
