/*
 * policy.h: the least-privilege IAM policy for calling chosen Bedrock
 * models, its explanation for people, and a lint for any policy document.
 *
 * policy_build() turns models that resolve.h already resolved into a
 * policy document (Version 2012-10-17), one statement per purpose with a
 * fixed Sid, in a fixed order, ARNs and condition values sorted and unique:
 * equal input gives a byte-identical json_print_pretty(doc, 2).
 * There is no bedrock:Converse action: Converse needs bedrock:InvokeModel
 * and ConverseStream bedrock:InvokeModelWithResponseStream.
 *
 * policy_explain() says, per statement, why it is there; policy_lint()
 * checks a document (built here or by hand) against the catalog.  Their
 * text is English from N_() templates, translated through core_tr().
 */
#ifndef BS_POLICY_H
#define BS_POLICY_H

#include <stddef.h>

#include "resolve.h"

struct buf;
struct catalog;
struct err;
struct json;

/* IAM's limit for a managed policy, counted without white space. */
#define POLICY_MANAGED_MAX	6144

/* The Sids, in the order statements appear. */
#define POLICY_SID_ON_DEMAND	"InvokeOnDemandModels"
#define POLICY_SID_PROVISIONED	"InvokeProvisionedModels"
#define POLICY_SID_PROFILES	"InvokeThroughInferenceProfiles"
#define POLICY_SID_PROFILE_FMS	"InvokeModelsInProfileRegions"
#define POLICY_SID_GLOBAL	"InvokeThroughGlobalProfiles"
#define POLICY_SID_GLOBAL_SRC	"InvokeGlobalProfileModelsInSourceRegion"
#define POLICY_SID_GLOBAL_FMS	"InvokeGlobalProfileModels"
#define POLICY_SID_DISCOVER	"DiscoverModels"
#define POLICY_SID_DESCRIBE_FM	"DescribeFoundationModels"
#define POLICY_SID_DESCRIBE_IP	"DescribeInferenceProfiles"
#define POLICY_SID_ENABLE	"EnableModelsOnce"
#define POLICY_SID_API_KEYS	"UseBedrockApiKeys"

/*
 * One chosen model, as resolve_model() decided to call it.  Every pointer
 * is borrowed: it must stay valid until policy_build() returns.
 */
struct policy_model {
	enum resolve_kind	  kind;
	/* Bare foundation-model id; NULL for a provisioned model or an
	 * application profile whose model is unknown.  For a system profile
	 * NULL means "the part of profile_id after the first dot". */
	const char		 *model_id;
	/* System-defined profile id ("us.x", "global.x"); the policy builds
	 * its ARN from it with the policy's account.  NULL otherwise. */
	const char		 *profile_id;
	/* Application-profile or provisioned-model ARN, used as given; for a
	 * system profile only when profile_id is NULL. */
	const char		 *arn;
	const char		 *region;	/* source; NULL: the policy's */
	/* Where a geographic or application profile routes (sorted or not;
	 * the source Region is always added).  Unused for global profiles. */
	const char *const	 *destinations;
	size_t			  ndestinations;
};

struct policy_input {
	const char		 *partition;	/* NULL: from region */
	const char		 *region;	/* default source Region */
	const char		 *account;	/* NULL: "<ACCOUNT_ID>" */
	const struct policy_model *models;
	size_t			  nmodels;
	int			  streaming;	/* add ...WithResponseStream */
	int			  with_discovery;
	int			  with_enablement;
	int			  with_api_keys;
	/* aws:RequestedRegion on the invoke statements: the source and
	 * destination Regions (and "unspecified" when a global profile is
	 * used); on discovery and API keys: the source Regions; none on
	 * enablement (AWS Marketplace is not a Regional service). */
	int			  restrict_region;
	/* bedrock:InferenceProfileArn on the FM statements of profiles. */
	int			  profile_condition;
};

/* Defaults: streaming and profile_condition on, every extra off. */
void		 policy_input_init(struct policy_input *, const char *region,
		    const char *account);
/*
 * A view of a resolve_result as a policy_model.  Borrows r's strings: r
 * must outlive m's use.
 */
void		 policy_model_from_resolve(struct policy_model *m,
		    const struct resolve_result *r);

/*
 * Build the policy.  Returns a new document (free with json_free), or
 * NULL with err set (ERR_USAGE) when the input cannot give a policy: no
 * Region, a model without the ids its kind needs, an account that is not
 * 12 digits.  With no model and no extra the document has no statement.
 */
struct json	*policy_build(const struct policy_input *, struct err *);

/* One statement's explanation. */
struct policy_note {
	char		*sid;
	char		*text;		/* translated, one paragraph */
};

struct policy_notes {
	struct policy_note *v;
	size_t		 n;
};

/*
 * Explain each statement of doc, in order; statements without a Sid get
 * sid "".  A first note with sid "" says when doc still holds the
 * "<ACCOUNT_ID>" placeholder.  Free with policy_notes_free.
 */
void		 policy_explain(const struct json *doc, struct policy_notes *);
/* The notes as "Sid: text" paragraphs into out.  0, or -1 at out's cap. */
int		 policy_notes_format(const struct policy_notes *,
		    struct buf *out);
void		 policy_notes_free(struct policy_notes *);

enum policy_severity {
	POLICY_INFO = 0,
	POLICY_WARNING,
	POLICY_ERROR
};

struct policy_finding {
	enum policy_severity  severity;
	char		     *sid;	/* "" when not about one statement */
	char		     *message;	/* translated */
};

struct policy_findings {
	struct policy_finding *v;
	size_t		 n;
	size_t		 errors;
	size_t		 warnings;
};

/*
 * Lint doc against the catalog's IAM actions and resource types: Version,
 * Effect, Sids, unknown or wildcard actions (bedrock:Converse is not an
 * action), ARN formats (partition, Region, account), Resource "*" only
 * for actions without resource types, condition keys, the managed-policy
 * size.  Fills out (free with policy_findings_free) and returns the
 * number of errors.
 */
size_t		 policy_lint(const struct catalog *, const struct json *doc,
		    struct policy_findings *out);
void		 policy_findings_free(struct policy_findings *);
/* "error", "warning", "info" (N_()-marked: translate them for people). */
const char	*policy_severity_name(enum policy_severity);
/* Characters of doc as IAM counts them (no white space outside strings). */
size_t		 policy_size(const struct json *doc);

#endif
