/*
 * resolve.h: decide how to call a model from a Region.
 *
 * Input is a source-agnostic view of one Region: the foundation-model
 * summaries and inference profiles known there.  The view is filled from
 * the catalog (offline, demo) with resolve_view_from_catalog(), or from
 * live ListFoundationModels / ListInferenceProfiles answers by another
 * module through the resolve_view_add_* calls.  Enumerated AWS values
 * (inference types, lifecycle, profile type) are kept as open strings:
 * unknown ones are stored, never rejected.
 *
 * resolve_model() takes what the user chose (a bare model id, a profile
 * id such as "us.x" or "global.x", or an inference-profile, application
 * inference-profile, provisioned-model or foundation-model ARN) and says
 * what to pass as modelId, what kind of call that is, and which Regions
 * an IAM policy must cover.
 */
#ifndef BS_RESOLVE_H
#define BS_RESOLVE_H

#include <stddef.h>

struct catalog;
struct err;

/* Stands for the account id in ARNs when the account is not known. */
#define RESOLVE_ACCOUNT_PLACEHOLDER	"<ACCOUNT_ID>"

/* Caps on what a view holds, whatever the source says. */
#define RESOLVE_MAX_FMS		4096
#define RESOLVE_MAX_PROFILES	4096
#define RESOLVE_MAX_TYPES	32
#define RESOLVE_MAX_MODELS	256

/* One ListFoundationModels summary. */
struct resolve_fm {
	char		 *id;
	char		 *arn;		/* may be NULL */
	char		 *provider;	/* may be NULL */
	char		 *lifecycle;	/* "ACTIVE", "LEGACY", other, NULL */
	int		  streaming;	/* 1, 0, or -1 when unknown */
	char		**types;	/* inferenceTypesSupported, as given */
	size_t		  ntypes;
};

/* One ListInferenceProfiles summary. */
struct resolve_profile {
	char		 *id;
	char		 *arn;		/* may be NULL */
	char		 *type;		/* "SYSTEM_DEFINED", "APPLICATION", ... */
	char		**models;	/* models[].modelArn */
	size_t		  nmodels;
};

/*
 * What is known about one Region.  The view owns every string and entry;
 * entry pointers stay valid until resolve_view_free().
 */
struct resolve_view {
	char			 *region;
	char			 *partition;
	char			 *account;	/* NULL when unknown */
	char			 *origin;	/* "catalog", "live", ... */
	struct resolve_fm	**fms;
	size_t			  nfms;
	struct resolve_profile	**profiles;
	size_t			  nprofiles;
};

enum resolve_kind {
	RESOLVE_NONE = 0,	/* cannot be called here */
	RESOLVE_ON_DEMAND,	/* bare foundation-model id */
	RESOLVE_GEO_PROFILE,	/* us., eu., apac., jp., au., us-gov., ... */
	RESOLVE_GLOBAL_PROFILE,	/* global. */
	RESOLVE_APP_PROFILE,	/* application inference profile ARN */
	RESOLVE_PROVISIONED	/* provisioned-model ARN */
};

struct resolve_result {
	enum resolve_kind	  kind;
	char			 *invoke_id;	/* the modelId to send */
	char			 *model_id;	/* bare FM id, NULL if unknown */
	char			 *profile_id;	/* NULL unless a profile */
	/*
	 * The profile or provisioned-model ARN (RESOLVE_ACCOUNT_PLACEHOLDER
	 * for an unknown account); NULL for an on-demand call.
	 */
	char			 *arn;
	char			 *region;	/* source Region */
	char			 *partition;
	char			**destinations;	/* sorted, unique */
	size_t			  ndestinations;
	int			  destinations_known;
	int			  region_less;	/* routes to any Region */
	int			  legacy;	/* the FM is LEGACY */
	int			  streaming;	/* 1, 0, -1 unknown */
	/* When the model is not offered here: Regions that offer it. */
	char			**offered_in;
	size_t			  noffered_in;
};

/* Start an empty view (account may be NULL; origin e.g. "live"). */
void		 resolve_view_init(struct resolve_view *, const char *region,
		    const char *account, const char *origin);
void		 resolve_view_free(struct resolve_view *);
/*
 * Add a model or profile; the strings are copied and any may be NULL but
 * id.  Returns the new entry, or NULL when the view is full.
 */
struct resolve_fm *resolve_view_add_fm(struct resolve_view *, const char *id,
		    const char *arn, const char *provider,
		    const char *lifecycle, int streaming);
/* 0, or -1 when the list is full. */
int		 resolve_fm_add_type(struct resolve_fm *, const char *type);
int		 resolve_fm_has_type(const struct resolve_fm *,
		    const char *type);
struct resolve_profile *resolve_view_add_profile(struct resolve_view *,
		    const char *id, const char *arn, const char *type);
int		 resolve_profile_add_model(struct resolve_profile *,
		    const char *model_arn);
/* Look-ups; NULL when absent.  A profile matches on id or ARN. */
const struct resolve_fm *resolve_view_fm(const struct resolve_view *,
		    const char *id);
const struct resolve_profile *resolve_view_profile(
		    const struct resolve_view *, const char *id_or_arn);
/*
 * Fill a fresh view with what the catalog says about a Region (profile
 * ARNs carry the account, or the placeholder).  0, or -1 with err set
 * when the catalog does not know the Region; the view is then empty but
 * initialised, and must be freed either way.
 */
int		 resolve_view_from_catalog(struct resolve_view *,
		    const struct catalog *, const char *region,
		    const char *account, struct err *);

/*
 * Resolve input against the view; cat (may be NULL) only names the
 * Regions that offer a model when this one does not.  Returns 0 when the
 * model can be called, -1 otherwise with err set: ERR_USAGE for input
 * that is not a model id or a supported ARN, ERR_CONFIG when it is not
 * callable in this Region (then noffered_in may list where it is).
 * Free result with resolve_result_free() in both cases.
 */
int		 resolve_model(const struct resolve_view *,
		    const struct catalog *, const char *input,
		    struct resolve_result *, struct err *);
void		 resolve_result_free(struct resolve_result *);
/*
 * Whether input, a bare foundation-model id, resolved to an inference
 * profile because the model cannot be called on demand here: the
 * profile's id (r->invoke_id) must be sent instead of what was named.
 */
int		 resolve_is_substitution(const struct resolve_result *,
		    const char *input);
/* A stable lower-case name: "on-demand", "geo-profile", ... */
const char	*resolve_kind_name(enum resolve_kind);

#endif
