/*
 * access.h: is a model ready to call in a Region, and if not, what is the
 * next step?
 *
 * Since 2025 every serverless model is enabled by default; what can still
 * stand between an account and a model is, in the order a person fixes
 * it (bedrock-facts.md 1.6, 2.3, 2.5):
 *
 *   1. the Region does not offer it (ListFoundationModels, the inference
 *      profiles, regionAvailability);
 *   2. Anthropic's use-case form was never submitted
 *      (GetUseCaseForModelAccess answers 404);
 *   3. the Marketplace agreement is pending, or its offer not accepted
 *      (agreementAvailability.status);
 *   4. the account has no Marketplace entitlement: subscription or payment
 *      method missing (entitlementAvailability);
 *   5. the identity is not authorized (authorizationStatus).
 *
 * access_classify() applies that order to what AWS said; the table behind
 * it (access.c) is also what doctor's model_access and terms gates read,
 * through access_findings(), so both say the same about the same facts.
 * access_check_many() fetches the facts for many models of one Region at
 * once.  IAM permission to invoke is not part of this state: doctor's iam
 * gate checks it.
 *
 * User text (the detail sentences) is English from N_() templates,
 * translated through core_tr().
 */
#ifndef BS_ACCESS_H
#define BS_ACCESS_H

#include <stddef.h>

#include "err.h"

struct bedrock_availability;
struct bedrock_ctx;
struct catalog;

enum access_state {
	ACCESS_UNKNOWN = 0,		/* could not tell (the detail says) */
	ACCESS_GRANTED,			/* callable now */
	ACCESS_PENDING,			/* agreement/subscription being
					   processed */
	ACCESS_NEEDS_FORM,		/* Anthropic use-case form not
					   submitted */
	ACCESS_NEEDS_AGREEMENT,		/* an agreement offer must be
					   accepted */
	ACCESS_NEEDS_SUBSCRIPTION,	/* Marketplace subscription / payment
					   method missing */
	ACCESS_NOT_IN_REGION,		/* not offered in this Region */
	ACCESS_DENIED,			/* refused for this identity (not
					   authorized) */
	ACCESS_STATE_COUNT
};

/* The state of the Anthropic use-case form, for one model. */
#define ACCESS_FORM_NOT_NEEDED	0	/* the provider needs no form */
#define ACCESS_FORM_SUBMITTED	1
#define ACCESS_FORM_NEVER	2	/* GetUseCaseForModelAccess: 404 */
#define ACCESS_FORM_UNKNOWN	3	/* needed, but could not be read */

#define ACCESS_DETAIL_MAX	512

struct access_info {
	char			 model_id[256];
	enum access_state	 state;
	char			 detail[ACCESS_DETAIL_MAX]; /* a sentence */
	struct err		 err;		/* behind UNKNOWN, if any */
};

/* One blocking fact, as access_findings() lists them. */
struct access_finding {
	enum access_state	 state;
	/* The DIAGNOSE_CODE_* (diagnose.h) that reports it as a gate. */
	const char		*code;
};

/*
 * The id used in JSON and in the models table: "granted", "pending",
 * "needs-form", "needs-subscription", "not-in-region", "denied",
 * "unknown".  ACCESS_NEEDS_AGREEMENT is "pending" (pending terms): the
 * detail says which.  Static strings.
 */
const char	*access_state_id(enum access_state);
/* The state's meaning for people, N_()-marked English: translate it. */
const char	*access_state_name(enum access_state);

/*
 * Pure: classify one model from what AWS said.  av NULL: availability not
 * known.  form: ACCESS_FORM_*.  offered: 1 offered here (on demand or
 * through a profile), 0 not, -1 unknown.  The first blocking fact in the
 * order above wins; with none, a fact that could not be read gives
 * ACCESS_UNKNOWN, else ACCESS_GRANTED.  detail (size bytes, may be NULL)
 * gets one sentence for people.
 */
enum access_state access_classify(const struct bedrock_availability *av,
		    int form, int offered, char *detail, size_t size);

/*
 * Every blocking fact, in the order above, into out[0..max); returns how
 * many there are (may exceed max, like snprintf).  Same inputs as
 * access_classify(); facts not known are not listed.
 */
size_t		 access_findings(const struct bedrock_availability *av,
		    int form, int offered, struct access_finding *out,
		    size_t max);

/*
 * Whether calling model_id (a model id, profile id or ARN) needs the
 * Anthropic use-case form: its provider says so in the catalog
 * (needs_use_case_form), or the bare id starts with "anthropic.".  cat
 * may be NULL.
 */
int		 access_needs_form(const struct catalog *,
		    const char *model_id);

/*
 * Fetch and classify n models of the context's Region at once: one
 * GetUseCaseForModelAccess when any model that may be offered needs the
 * form, then GetFoundationModelAvailability for every model not known to
 * be absent (offered[i] != 0), all in parallel
 * (bedrock_get_availability_many).  offered as for access_classify (NULL:
 * all unknown); an availability answer of 404 ResourceNotFoundException
 * counts as "not offered" unless offered[i] is 1.  out has n entries, all
 * filled; for ACCESS_UNKNOWN, err holds the failure and detail its
 * diagnosis (e.g. naming the missing read permission).  Returns how many
 * ended ACCESS_UNKNOWN.
 */
size_t		 access_check_many(const struct bedrock_ctx *,
		    const struct catalog *, const char *const *model_ids,
		    const int *offered, size_t n, struct access_info *out);

/*
 * Mark n entries ACCESS_UNKNOWN without asking AWS, because of e (no
 * credentials, the network): detail is e's diagnosis for op
 * (enum diagnose_op, e.g. DIAGNOSE_OP_CREDENTIALS).  offered as above:
 * a model known to be absent is still ACCESS_NOT_IN_REGION.  Returns how
 * many ended ACCESS_UNKNOWN.
 */
size_t		 access_unknown_many(const struct err *e, int op,
		    const char *region, const char *const *model_ids,
		    const int *offered, size_t n, struct access_info *out);

#endif
