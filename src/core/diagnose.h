/*
 * diagnose.h: turn any failure into the gate that fails, why, and the fix.
 *
 * A Bedrock call works only when five gates pass: credentials, region,
 * model_access (Marketplace subscription, payment method), terms (EULA
 * offer, Anthropic use-case form) and iam (identity policies and the
 * organization's SCPs).  A sixth id, invoke, stands for "the call failed
 * and no gate explains it" (throttling, capacity, a model error).
 *
 * diagnose_err() matches a struct err and what was being done against a
 * static table of rules (first match wins) and fills a struct
 * diagnose_result with the gate, one sentence of cause and the fix as
 * concrete steps.  The texts are English templates marked N_(), passed
 * through core_tr(), and filled in from the context.
 *
 * Network failures (kind ERR_NETWORK, ERR_TIMEOUT, ERR_TLS) are not a
 * gate: they are reported under the gate of the step that failed (the
 * credentials gate for the credential chain and STS, region for model
 * lists, ..., invoke for Converse), with network and could_not_check
 * set, since that gate could not be checked.
 *
 * Secrets: cause and fix never quote err->message.  They take from it
 * only the IAM action and resource ARN of a denial (restricted to the
 * characters those can hold) and a number of minutes; the text of our
 * own non-AWS errors is used as the cause.  Any string listed in
 * ctx->secrets is replaced by "****" wherever it would appear.  Note that
 * err->message itself may hold secrets echoed by AWS (a signature
 * mismatch echoes the canonical request, session token included).
 */
#ifndef BS_DIAGNOSE_H
#define BS_DIAGNOSE_H

#include <stddef.h>

struct err;
struct secret;

enum diagnose_gate {
	DIAGNOSE_GATE_NONE = 0,		/* nothing to diagnose */
	DIAGNOSE_GATE_CREDENTIALS,
	DIAGNOSE_GATE_REGION,
	DIAGNOSE_GATE_MODEL_ACCESS,
	DIAGNOSE_GATE_TERMS,
	DIAGNOSE_GATE_IAM,
	DIAGNOSE_GATE_INVOKE,
	DIAGNOSE_GATE_COUNT
};

/* What was being done when the failure happened. */
enum diagnose_op {
	DIAGNOSE_OP_UNKNOWN = 0,
	DIAGNOSE_OP_CREDENTIALS,	/* resolving the credential chain */
	DIAGNOSE_OP_CALLER_IDENTITY,	/* sts:GetCallerIdentity */
	DIAGNOSE_OP_RESOLVE,		/* choosing the id to call (local) */
	DIAGNOSE_OP_LIST_MODELS,	/* ListFoundationModels */
	DIAGNOSE_OP_GET_MODEL,		/* GetFoundationModel */
	DIAGNOSE_OP_LIST_PROFILES,	/* List/GetInferenceProfile(s) */
	DIAGNOSE_OP_AVAILABILITY,	/* GetFoundationModelAvailability */
	DIAGNOSE_OP_USE_CASE_GET,	/* GetUseCaseForModelAccess */
	DIAGNOSE_OP_USE_CASE_PUT,	/* PutUseCaseForModelAccess */
	DIAGNOSE_OP_AGREEMENT_LIST,	/* ListFoundationModelAgreementOffers */
	DIAGNOSE_OP_AGREEMENT_CREATE,	/* CreateFoundationModelAgreement */
	DIAGNOSE_OP_CONVERSE,
	DIAGNOSE_OP_CONVERSE_STREAM,
	DIAGNOSE_OP_IAM_SIMULATE,	/* iam:SimulatePrincipalPolicy */
	DIAGNOSE_OP_COUNT
};

/*
 * Codes a caller may put in err->code (kind ERR_AWS, http_status 0) to
 * report what a check found rather than what failed, e.g. the fields of
 * GetFoundationModelAvailability.
 */
#define DIAGNOSE_CODE_AGREEMENT_PENDING	"BedrockSetup.AgreementPending"
#define DIAGNOSE_CODE_AGREEMENT_MISSING	"BedrockSetup.AgreementNotAvailable"
#define DIAGNOSE_CODE_NOT_ENTITLED	"BedrockSetup.EntitlementNotAvailable"
#define DIAGNOSE_CODE_NOT_AUTHORIZED	"BedrockSetup.NotAuthorized"
#define DIAGNOSE_CODE_REGION_UNAVAILABLE "BedrockSetup.RegionNotAvailable"
#define DIAGNOSE_CODE_USE_CASE_MISSING	"BedrockSetup.UseCaseNotSubmitted"

/*
 * The context.  Every pointer may be NULL and is only read during the
 * call.  A zeroed struct is valid and means "nothing known".
 */
struct diagnose_ctx {
	enum diagnose_op	 op;
	const char		*region;	/* the Region called */
	const char		*model_id;	/* the id or ARN called */
	const char		*identity_arn;	/* from GetCallerIdentity */
	const char		*account;	/* 12 digits */
	const char		*aws_profile;	/* the config profile name */
	const char		*profile_id;	/* an inference profile id that
						   contains the model here */
	const char *const	*regions;	/* Regions offering the model */
	size_t			 nregions;
	int			 region_opt_in;	/* 1 if the Region is opt-in */
	int			 clock_known;	/* clock_offset was measured */
	long long		 clock_offset;	/* seconds, local minus AWS */
	int			 sso;		/* creds from Identity Center */
	int			 bearer;	/* a Bedrock API key was used */
	const struct secret *const *secrets;	/* never shown, see above */
	size_t			 nsecrets;
};

#define DIAGNOSE_CAUSE_MAX	1024
#define DIAGNOSE_FIX_MAX	4096

/*
 * The diagnosis.  Self-contained: the texts live in the struct, gate_id
 * and rule are static strings; nothing to free.
 */
struct diagnose_result {
	enum diagnose_gate	 gate;
	const char		*gate_id;	/* "credentials" ... "invoke" */
	const char		*rule;		/* stable id of the rule that
						   matched, e.g. "iam-denied" */
	int			 could_not_check; /* the gate's check could
						   not run: report it skipped */
	int			 network;	/* the cause is the network */
	int			 retry;		/* retrying later may work */
	char			 cause[DIAGNOSE_CAUSE_MAX]; /* one sentence */
	char			 fix[DIAGNOSE_FIX_MAX];	/* steps, one per line,
						   no numbers, no final '\n' */
};

/*
 * Diagnose e in the context ctx (NULL: nothing known) into *out.
 * Returns 0, or -1 when there is nothing to diagnose (e NULL or of kind
 * ERR_NONE): then out->gate is DIAGNOSE_GATE_NONE and the texts are "".
 */
int		 diagnose_err(const struct err *e,
		     const struct diagnose_ctx *ctx,
		     struct diagnose_result *out);
/*
 * err->message made safe to show (at most size bytes, cut on a character):
 * its first line only, cut where AWS starts to echo the request (the
 * canonical request and string to sign of a signature mismatch, an
 * Authorization header or its Signature, a security token), every
 * string of ctx->secrets masked, runs of 40 or more hex or base64
 * characters (a signature, a session or bearer token, even with ctx
 * NULL) masked, control characters made spaces.  "" for no error.
 */
void		 diagnose_safe_message(const struct err *e,
		     const struct diagnose_ctx *ctx, char *out, size_t size);
/* The stable id of a gate, for JSON ("model_access"); "none" otherwise. */
const char	*diagnose_gate_id(enum diagnose_gate);
/* The gate's name for people, N_()-marked English: translate it. */
const char	*diagnose_gate_name(enum diagnose_gate);
/* The gate whose id is id, or DIAGNOSE_GATE_NONE. */
enum diagnose_gate diagnose_gate_from_id(const char *id);
/* The API (or step) an op stands for, e.g. "ListFoundationModels". */
const char	*diagnose_op_name(enum diagnose_op);

#endif
