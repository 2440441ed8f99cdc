/*
 * bedrock.h: the Bedrock control-plane calls the wizard needs to show what
 * an account can use: models, their availability, inference profiles,
 * Marketplace offers and agreements, and the Anthropic use-case form.
 *
 * Every call goes through the HTTP layer (http.h) to the control-plane
 * endpoint (EP_BEDROCK, signing name "bedrock") and parses the JSON answer
 * into plain structs owned by the caller, freed with the matching
 * bedrock_*_free().  Enumerated AWS values (inference types, lifecycle,
 * statuses, profile types) stay open strings: unknown ones are kept as
 * given, never rejected.  Strings absent from an answer are NULL.
 *
 * Calls return 0 on success and -1 with the err filled (ERR_AWS with the
 * AWS code for an error answer, ERR_PROTOCOL for an answer that cannot be
 * read, ERR_USAGE for bad arguments, or the transport's error).
 */
#ifndef BS_BEDROCK_H
#define BS_BEDROCK_H

#include <stddef.h>

#include "err.h"

struct catalog;
struct creds;
struct endpoint;
struct http_client;
struct resolve_view;
struct secret;

/*
 * Where and as whom to call.  Nothing is copied: every pointer must stay
 * valid during a call.  With bearer set, requests carry "Authorization:
 * Bearer" instead of a SigV4 signature (AWS_BEARER_TOKEN_BEDROCK).
 */
struct bedrock_ctx {
	struct http_client	*http;
	const struct endpoint	*ep;		/* control plane, EP_BEDROCK */
	const struct creds	*creds;		/* SigV4; NULL with bearer */
	const struct secret	*bearer;	/* or NULL */
	const char		*region;	/* NULL: ep->signing_region */
};

/* The Region a context calls: region, else the endpoint's signing Region;
 * NULL when neither is known or ctx is NULL. */
const char	*bedrock_ctx_region(const struct bedrock_ctx *);

/* A list of strings, as given by AWS. */
struct bedrock_strv {
	char		**v;
	size_t		  n;
};

struct bedrock_lifecycle {
	char	*status;		/* ACTIVE, LEGACY, other; NULL */
	char	*start_of_life;		/* ISO 8601 times, or NULL */
	char	*end_of_life;
	char	*legacy_time;
	char	*public_extended_access_time;
};

/* A ListFoundationModels summary or GetFoundationModel's modelDetails. */
struct bedrock_model {
	char			*id;		/* never NULL once parsed */
	char			*arn;
	char			*name;
	char			*provider;
	struct bedrock_strv	 input_modalities;
	struct bedrock_strv	 output_modalities;
	struct bedrock_strv	 customizations;
	struct bedrock_strv	 inference_types; /* may hold INFERENCE_PROFILE */
	int			 streaming;	/* 1, 0, -1 when not said */
	struct bedrock_lifecycle lifecycle;
};

struct bedrock_model_list {
	struct bedrock_model	*v;
	size_t			 n;
};

/* ListFoundationModels filters; NULL members are not sent. */
struct bedrock_fm_filter {
	const char	*provider;		/* byProvider */
	const char	*output_modality;	/* byOutputModality */
	const char	*inference_type;	/* byInferenceType */
	const char	*customization_type;	/* byCustomizationType */
};

/* GetFoundationModelAvailability; every member as AWS wrote it. */
struct bedrock_availability {
	char	*model_id;
	char	*agreement;		/* agreementAvailability.status */
	char	*agreement_error;	/* agreementAvailability.errorMessage */
	char	*authorization;		/* authorizationStatus */
	char	*entitlement;		/* entitlementAvailability */
	char	*region;		/* regionAvailability */
};

struct bedrock_profile {
	char			*id;
	char			*arn;
	char			*name;
	char			*description;
	char			*status;
	char			*type;		/* SYSTEM_DEFINED, APPLICATION */
	char			*created_at;
	char			*updated_at;
	struct bedrock_strv	 models;	/* models[].modelArn, no cap */
};

struct bedrock_profile_list {
	struct bedrock_profile	*v;
	size_t			 n;
	int			 pages;		/* answers read */
};

struct bedrock_rate {
	char	*dimension;
	char	*price;
	char	*description;
	char	*unit;
};

/* One Marketplace offer.  The offer token is opaque but not a secret. */
struct bedrock_offer {
	char			*offer_id;
	char			*offer_token;
	struct bedrock_rate	*rates;		/* the rate card */
	size_t			 nrates;
	char			*legal_url;	/* legalTerm.url: the EULA */
	char			*refund_policy;
	char			*agreement_duration;
};

struct bedrock_offer_list {
	char			*model_id;
	struct bedrock_offer	*v;
	size_t			 n;
};

/*
 * The Anthropic use-case form, with the keys AWS documents.  NULL members
 * are left out of the form.  intended_users is "0" (internal), "1"
 * (external) or "2" (both).
 */
struct bedrock_use_case {
	char	*company_name;			/* required, <= 128 chars */
	char	*company_website;		/* required, <= 128 */
	char	*intended_users;		/* required: "0", "1", "2" */
	char	*industry_option;		/* required, <= 128 */
	char	*other_industry_option;		/* optional, <= 128 */
	char	*use_cases;			/* required, <= 8192 */
};

/* GetUseCaseForModelAccess outcomes besides -1. */
#define BEDROCK_USE_CASE_SUBMITTED	0
#define BEDROCK_USE_CASE_NEVER		1	/* 404: never submitted */

/* One Region of a parallel ListFoundationModels. */
struct bedrock_region_models {
	char				 region[64];
	int				 failed;
	struct err			 err;	/* when failed */
	struct bedrock_model_list	 models;
};

/* ListFoundationModels (not paginated).  *out is replaced. */
int	 bedrock_list_foundation_models(const struct bedrock_ctx *,
	     const struct bedrock_fm_filter *, struct bedrock_model_list *out,
	     struct err *);
/*
 * ListFoundationModels in n Regions at once, one endpoint each (the
 * caller resolves them; each is signed for its own Region).  out has n
 * entries, all replaced; free each models list.  Returns how many failed.
 */
size_t	 bedrock_list_foundation_models_many(const struct bedrock_ctx *,
	     const struct endpoint *eps, size_t n,
	     const struct bedrock_fm_filter *,
	     struct bedrock_region_models *out);
/* GetFoundationModel by id or foundation-model ARN. */
int	 bedrock_get_foundation_model(const struct bedrock_ctx *,
	     const char *id_or_arn, struct bedrock_model *out, struct err *);
/*
 * GetFoundationModelAvailability.  id may be a profile id or ARN: the
 * bare model id is asked for (bedrock_bare_model_id()).
 */
int	 bedrock_get_availability(const struct bedrock_ctx *, const char *id,
	     struct bedrock_availability *out, struct err *);
/* The same for n models at once; out and errs have n entries.  Returns
 * how many failed. */
size_t	 bedrock_get_availability_many(const struct bedrock_ctx *,
	     const char *const *ids, size_t n,
	     struct bedrock_availability *out, struct err *errs);
/*
 * ListInferenceProfiles, following nextToken to the end.  type is
 * "SYSTEM_DEFINED", "APPLICATION" or NULL (sent as the query "type");
 * max_results (1..1000) is the page size asked for, 0 to let AWS choose.
 */
int	 bedrock_list_inference_profiles(const struct bedrock_ctx *,
	     const char *type, int max_results,
	     struct bedrock_profile_list *out, struct err *);
/* GetInferenceProfile by id or ARN. */
int	 bedrock_get_inference_profile(const struct bedrock_ctx *,
	     const char *id_or_arn, struct bedrock_profile *out, struct err *);
/* ListFoundationModelAgreementOffers; all: offerType ALL, else PUBLIC. */
int	 bedrock_list_agreement_offers(const struct bedrock_ctx *,
	     const char *model_id, int all, struct bedrock_offer_list *out,
	     struct err *);
/* CreateFoundationModelAgreement (202). */
int	 bedrock_create_agreement(const struct bedrock_ctx *,
	     const char *model_id, const char *offer_token, struct err *);
/*
 * GetUseCaseForModelAccess.  BEDROCK_USE_CASE_SUBMITTED with *out filled
 * from the decoded form (members absent from it stay NULL);
 * BEDROCK_USE_CASE_NEVER when AWS answers 404 ResourceNotFoundException
 * (err is then left clear); -1 on failure.
 */
int	 bedrock_get_use_case(const struct bedrock_ctx *,
	     struct bedrock_use_case *out, struct err *);
/* PutUseCaseForModelAccess (201); the form is validated first. */
int	 bedrock_put_use_case(const struct bedrock_ctx *,
	     const struct bedrock_use_case *, struct err *);

/*
 * The form checks AWS makes: required members, lengths in characters,
 * intended_users.  0, or -1 with ERR_USAGE and err->where naming the key.
 */
int	 bedrock_use_case_validate(const struct bedrock_use_case *,
	     struct err *);
/* The form as formData: base64 of its JSON.  Caller frees; NULL (err
 * set) when the form is not valid. */
char	*bedrock_use_case_form_data(const struct bedrock_use_case *,
	     struct err *);
/* Decode formData into *out.  0, or -1 (ERR_PROTOCOL) if malformed. */
int	 bedrock_use_case_decode(const char *form_data,
	     struct bedrock_use_case *out, struct err *);

/*
 * The foundation-model id inside a model id, profile id ("us.x",
 * "global.x") or ARN (foundation-model/x, inference-profile/us.x).  An
 * application-profile ARN gives its own id, which names no model.
 * Caller frees.
 */
char	*bedrock_bare_model_id(const char *id);
/* A path segment percent-encoded once (":" → %3A, "/" → %2F). */
char	*bedrock_path_escape(const char *);
/* The Region field of an ARN, or NULL (caller frees). */
char	*bedrock_arn_region(const char *arn);

/*
 * Parsers of the JSON answers, for the calls above and for tests.  Each
 * replaces *out; on -1 (ERR_PROTOCOL) *out is empty but must still be
 * freed.  bedrock_parse_profiles() appends one page to *out and stores the
 * page's nextToken in *next (caller frees; NULL when it was the last).
 */
int	 bedrock_parse_models(const char *json, size_t len,
	     struct bedrock_model_list *out, struct err *);
int	 bedrock_parse_model_details(const char *json, size_t len,
	     struct bedrock_model *out, struct err *);
int	 bedrock_parse_availability(const char *json, size_t len,
	     struct bedrock_availability *out, struct err *);
int	 bedrock_parse_profiles(const char *json, size_t len,
	     struct bedrock_profile_list *out, char **next, struct err *);
int	 bedrock_parse_profile(const char *json, size_t len,
	     struct bedrock_profile *out, struct err *);
int	 bedrock_parse_offers(const char *json, size_t len,
	     struct bedrock_offer_list *out, struct err *);

/*
 * Fill a view (resolve.h; the caller has run resolve_view_init(), origin
 * "live") from live answers; either list may be NULL.  0, or -1 with
 * ERR_LIMIT when the view is full.
 */
int	 bedrock_fill_view(struct resolve_view *,
	     const struct bedrock_model_list *,
	     const struct bedrock_profile_list *, struct err *);

/*
 * A live view of the context's Region: ListFoundationModels and every
 * ListInferenceProfiles page, read into a view initialised here (origin
 * "live"; account may be NULL).  0, or -1 with err set; the view must be
 * freed with resolve_view_free() either way.
 */
int	 bedrock_live_view(const struct bedrock_ctx *, const char *account,
	     struct resolve_view *out, struct err *);
/*
 * The rest of bedrock_live_view() for a caller that read
 * ListFoundationModels itself (to keep what it says of each model):
 * every ListInferenceProfiles page, then models and profiles into v, which
 * the caller initialised.  0, or -1 with err set.
 */
int	 bedrock_fill_view_live(const struct bedrock_ctx *,
	     const struct bedrock_model_list *models, struct resolve_view *v,
	     struct err *);
/*
 * The view to resolve a model against in the context's Region: the live
 * one when AWS lets the identity list, else the catalog's (cat, may be
 * NULL) when AWS refused or garbled the listing.  Returns 0 (live), 1
 * (the catalog's; *why says why listing failed), or -1 with *why set
 * when the listing could not run at all (network, timeout, TLS, cancel),
 * which the catalog must not hide.  The view is initialised in every
 * case and must be freed with resolve_view_free(); after -1 it is empty.
 */
int	 bedrock_region_view(const struct bedrock_ctx *,
	     const struct catalog *cat, const char *account,
	     struct resolve_view *out, struct err *why);

/* A copy of n strings into *out, which is replaced. */
void	 bedrock_strv_copy(struct bedrock_strv *out, const char *const *v,
	     size_t n);
/* Whether one of the strings is s. */
int	 bedrock_strv_has(const struct bedrock_strv *, const char *s);

/* Free the contents (the structs themselves are the caller's); the
 * struct is left empty.  NULL is allowed. */
void	 bedrock_strv_free(struct bedrock_strv *);
void	 bedrock_model_free(struct bedrock_model *);
void	 bedrock_model_list_free(struct bedrock_model_list *);
void	 bedrock_availability_free(struct bedrock_availability *);
void	 bedrock_profile_free(struct bedrock_profile *);
void	 bedrock_profile_list_free(struct bedrock_profile_list *);
void	 bedrock_offer_list_free(struct bedrock_offer_list *);
void	 bedrock_use_case_free(struct bedrock_use_case *);

#endif
