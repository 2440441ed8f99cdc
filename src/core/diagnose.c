/*
 * diagnose.c: the five-gate diagnosis (see diagnose.h).
 *
 * The knowledge is the rules[] table below: each row says which failures
 * it matches (error kinds, AWS codes, HTTP status, message substrings,
 * the operation, facts of the context) and what to say (gate, cause and
 * fix templates).  The first matching row wins; the last rows are the
 * fallbacks.  The rest of the file is the matcher and a small template
 * expander:
 *
 *   {name}		the value of a variable; a placeholder such as
 *			"<REGION>" when it is unset
 *   {?name}...{/}	the text only when name is set (may nest)
 *   {!name}...{/}	the text only when name is unset
 *
 * Any other "{" is literal, so JSON policy statements need no escaping.
 * Fix templates put one step per line.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diagnose.h"
#include "err.h"
#include "i18n.h"
#include "secret.h"
#include "xalloc.h"

#define K(kind)		(1u << (kind))
#define OPB(op)		(1u << (op))

/* Predicates on the context a row may require. */
#define NEED_SSO		0x01u	/* credentials came from SSO */
#define NEED_BEARER		0x02u	/* a Bedrock API key was used */
#define NEED_OPT_IN		0x04u	/* the Region is opt-in */
#define NEED_NOT_OFFERED	0x08u	/* Regions known, this one not among */
#define NEED_OFFERED		0x10u	/* Regions known, this one among */
#define NEED_SKEW		0x20u	/* measured clock offset >= 5 min */

/* What a row sets in the result besides the texts. */
#define F_COULD_NOT_CHECK	0x01u
#define F_NETWORK		0x02u
#define F_RETRY			0x04u

/* The gate of the step that failed. */
#define GATE_OF_OP		(-1)

#define SKEW_LIMIT		300	/* seconds SigV4 tolerates */
#define EXPAND_MAX		(16u * 1024)
#define VALUE_MAX		2048

struct rule {
	const char	*id;
	unsigned	 kinds;		/* K() bits; 0: any kind */
	const char	*codes;		/* "A|B", case-insensitive; NULL: any */
	long		 status;	/* with codes: or, when err has no code,
					   this status; alone: this status */
	const char	*msg;		/* "a|b": any, case-insensitive */
	unsigned	 ops;		/* OPB() bits; 0: any operation */
	unsigned	 need;		/* NEED_* */
	int		 gate;		/* enum diagnose_gate or GATE_OF_OP */
	unsigned	 flags;		/* F_* */
	const char	*cause;		/* N_() template, one sentence */
	const char	*fix;		/* N_() template, one step a line */
};

/* Variables of the templates. */
enum var {
	V_REGION, V_MODEL, V_FM, V_PROFILE_ID, V_REGIONS, V_CLOCK, V_ACCOUNT,
	V_IDENTITY, V_PRINCIPAL, V_AWS_PROFILE, V_ACTION, V_RESOURCE, V_PAIR,
	V_WAIT, V_OP, V_OP_ACTION, V_GATE, V_CODE, V_STATUS, V_REQUEST_ID,
	V_DETAIL, V_WHERE, V_OPT_IN, V_CRIS, V_GLOBAL, V_RES_PROFILE,
	V_RES_GLOBAL_FM, V_CRIS_FM, V_BOUNDARY, V_SESSION_POLICY,
	V_COUNT
};

static const char *const var_names[V_COUNT] = {
	[V_REGION] = "region",
	[V_MODEL] = "model",
	[V_FM] = "fm",
	[V_PROFILE_ID] = "profile_id",
	[V_REGIONS] = "regions",
	[V_CLOCK] = "clock",
	[V_ACCOUNT] = "account",
	[V_IDENTITY] = "identity",
	[V_PRINCIPAL] = "principal",
	[V_AWS_PROFILE] = "aws_profile",
	[V_ACTION] = "action",
	[V_RESOURCE] = "resource",
	[V_PAIR] = "pair",
	[V_WAIT] = "wait",
	[V_OP] = "op",
	[V_OP_ACTION] = "op_action",
	[V_GATE] = "gate",
	[V_CODE] = "code",
	[V_STATUS] = "status",
	[V_REQUEST_ID] = "request_id",
	[V_DETAIL] = "detail",
	[V_WHERE] = "where",
	[V_OPT_IN] = "opt_in",
	[V_CRIS] = "cris",
	[V_GLOBAL] = "global",
	[V_RES_PROFILE] = "res_profile",
	[V_RES_GLOBAL_FM] = "res_global_fm",
	[V_CRIS_FM] = "cris_fm",
	[V_BOUNDARY] = "boundary",
	[V_SESSION_POLICY] = "session_policy",
};

/* What stands for an unset variable; NULL: "<NAME>" from its name. */
static const char *const var_holders[V_COUNT] = {
	[V_MODEL] = "<MODEL_ID>",
	[V_FM] = "<MODEL_ID>",
	[V_AWS_PROFILE] = "<PROFILE>",
	[V_PRINCIPAL] = "<PRINCIPAL_ARN>",
	[V_RESOURCE] = "<RESOURCE_ARN>",
	[V_ACCOUNT] = "<ACCOUNT_ID>",
};

/* Values are copies, so that derived ones need no other storage. */
struct vars {
	char	*v[V_COUNT];
};

struct op_info {
	const char		*name;	/* API or step, not translated */
	const char		*action; /* IAM action it needs, or NULL */
	enum diagnose_gate	 gate;		/* the gate it checks */
};

static const struct op_info ops[DIAGNOSE_OP_COUNT] = {
	[DIAGNOSE_OP_UNKNOWN] = { "Bedrock", NULL, DIAGNOSE_GATE_INVOKE },
	[DIAGNOSE_OP_CREDENTIALS] = { "credential chain", NULL,
	    DIAGNOSE_GATE_CREDENTIALS },
	[DIAGNOSE_OP_CALLER_IDENTITY] = { "GetCallerIdentity",
	    "sts:GetCallerIdentity", DIAGNOSE_GATE_CREDENTIALS },
	[DIAGNOSE_OP_RESOLVE] = { "model selection", NULL,
	    DIAGNOSE_GATE_REGION },
	[DIAGNOSE_OP_LIST_MODELS] = { "ListFoundationModels",
	    "bedrock:ListFoundationModels", DIAGNOSE_GATE_REGION },
	[DIAGNOSE_OP_GET_MODEL] = { "GetFoundationModel",
	    "bedrock:GetFoundationModel", DIAGNOSE_GATE_REGION },
	[DIAGNOSE_OP_LIST_PROFILES] = { "ListInferenceProfiles",
	    "bedrock:ListInferenceProfiles", DIAGNOSE_GATE_REGION },
	[DIAGNOSE_OP_AVAILABILITY] = { "GetFoundationModelAvailability",
	    "bedrock:GetFoundationModelAvailability",
	    DIAGNOSE_GATE_MODEL_ACCESS },
	[DIAGNOSE_OP_USE_CASE_GET] = { "GetUseCaseForModelAccess",
	    "bedrock:GetUseCaseForModelAccess", DIAGNOSE_GATE_TERMS },
	[DIAGNOSE_OP_USE_CASE_PUT] = { "PutUseCaseForModelAccess",
	    "bedrock:PutUseCaseForModelAccess", DIAGNOSE_GATE_TERMS },
	[DIAGNOSE_OP_AGREEMENT_LIST] = { "ListFoundationModelAgreementOffers",
	    "bedrock:ListFoundationModelAgreementOffers", DIAGNOSE_GATE_TERMS },
	[DIAGNOSE_OP_AGREEMENT_CREATE] = { "CreateFoundationModelAgreement",
	    "bedrock:CreateFoundationModelAgreement", DIAGNOSE_GATE_TERMS },
	[DIAGNOSE_OP_CONVERSE] = { "Converse", "bedrock:InvokeModel",
	    DIAGNOSE_GATE_INVOKE },
	[DIAGNOSE_OP_CONVERSE_STREAM] = { "ConverseStream",
	    "bedrock:InvokeModelWithResponseStream", DIAGNOSE_GATE_INVOKE },
	[DIAGNOSE_OP_IAM_SIMULATE] = { "SimulatePrincipalPolicy",
	    "iam:SimulatePrincipalPolicy", DIAGNOSE_GATE_IAM },
};

static const char *const gate_ids[DIAGNOSE_GATE_COUNT] = {
	[DIAGNOSE_GATE_NONE] = "none",
	[DIAGNOSE_GATE_CREDENTIALS] = "credentials",
	[DIAGNOSE_GATE_REGION] = "region",
	[DIAGNOSE_GATE_MODEL_ACCESS] = "model_access",
	[DIAGNOSE_GATE_TERMS] = "terms",
	[DIAGNOSE_GATE_IAM] = "iam",
	[DIAGNOSE_GATE_INVOKE] = "invoke",
};

static const char *const gate_names[DIAGNOSE_GATE_COUNT] = {
	[DIAGNOSE_GATE_NONE] = N_("No gate"),
	[DIAGNOSE_GATE_CREDENTIALS] = N_("Credentials"),
	[DIAGNOSE_GATE_REGION] = N_("Region"),
	[DIAGNOSE_GATE_MODEL_ACCESS] = N_("Model access"),
	[DIAGNOSE_GATE_TERMS] = N_("Provider terms"),
	[DIAGNOSE_GATE_IAM] = N_("IAM permission"),
	[DIAGNOSE_GATE_INVOKE] = N_("Invocation"),
};

/* Read-only look-ups whose failure means "could not check". */
#define CHECK_OPS	(OPB(DIAGNOSE_OP_LIST_MODELS) | \
	OPB(DIAGNOSE_OP_GET_MODEL) | OPB(DIAGNOSE_OP_LIST_PROFILES) | \
	OPB(DIAGNOSE_OP_AVAILABILITY) | OPB(DIAGNOSE_OP_USE_CASE_GET) | \
	OPB(DIAGNOSE_OP_AGREEMENT_LIST) | OPB(DIAGNOSE_OP_IAM_SIMULATE))
#define CRED_OPS	(OPB(DIAGNOSE_OP_CREDENTIALS) | \
	OPB(DIAGNOSE_OP_CALLER_IDENTITY))

#define AUTH_BAD	"UnrecognizedClientException|InvalidClientTokenId"
#define EXPIRED		"ExpiredTokenException|ExpiredToken"
#define SIG_BAD		"InvalidSignatureException|SignatureDoesNotMatch|" \
			"IncompleteSignature"
#define THROTTLED	"ThrottlingException|Throttling|" \
			"TooManyRequestsException"
#define ACCESS_DENIED	"AccessDeniedException|AccessDenied"

/*
 * Templates shared by several rows.
 * L10N: in all diagnosis templates keep {name}, {?name}, {!name} and {/}
 * exactly as they are, and keep commands and JSON untranslated.
 */
#define T_WAYS_TO_SIGN_IN	N_( \
    "Set up an access key: `aws configure{?aws_profile} --profile " \
    "{aws_profile}{/}`.\n" \
    "Or use IAM Identity Center (SSO): `aws configure sso`, then " \
    "`aws sso login --profile {aws_profile}`.\n" \
    "Or sign in with your console credentials: `aws login` (a recent AWS " \
    "CLI v2).\n" \
    "Or use a Bedrock API key: export AWS_BEARER_TOKEN_BEDROCK=<key> (a key " \
    "works only in the Region it was made in; short-term keys last at most " \
    "12 hours).\n" \
    "Check what is found: `aws sts get-caller-identity{?aws_profile} " \
    "--profile {aws_profile}{/}`.")

#define T_BEARER_CAUSE	N_( \
    "AWS rejected the Bedrock API key{?region} for {region}{/}.")
#define T_BEARER_FIX	N_( \
    "An API key works only in the Region it was generated in: generate one " \
    "in {region}, or call the Region where this one was made.\n" \
    "Short-term keys expire after at most 12 hours: generate a new key in " \
    "the Bedrock console (API keys).\n" \
    "Check that AWS_BEARER_TOKEN_BEDROCK holds the whole key, without " \
    "quotes or spaces.\n" \
    "If you meant to sign with IAM credentials, unset " \
    "AWS_BEARER_TOKEN_BEDROCK: it takes precedence over them.\n" \
    "The identity that made the key needs bedrock:CallWithBearerToken on " \
    "\"*\".")

#define T_CLOCK_CAUSE	N_( \
    "AWS rejected the time of the request: this computer's clock is " \
    "off{?clock} ({clock}){/}, and a signature is valid for only 5 " \
    "minutes.")
#define T_CLOCK_FIX	N_( \
    "Sync the clock: `sudo timedatectl set-ntp true` (or start chronyd or " \
    "systemd-timesyncd).\n" \
    "Check the date, time and time zone with `timedatectl`.\n" \
    "Retry once the clock is right.")

#define T_EXPIRED_FIX_SSO	N_( \
    "Sign in again: `aws sso login --profile {aws_profile}`.\n" \
    "Then run `bedrock-setup doctor` again.")

#define T_NOT_OFFERED_CAUSE	N_( \
    "{?model}{model}{/}{!model}The model{/} is not offered in " \
    "{region}{?regions}; Regions that offer it: {regions}{/}.")
#define T_NOT_OFFERED_FIX	N_( \
    "{?regions}Call one of the Regions that offer it: {regions}.\n{/}" \
    "{?profile_id}Or call it through the inference profile " \
    "{profile_id}.\n{/}" \
    "See what {region} offers: `aws bedrock list-foundation-models " \
    "--region {region}`.")

#define T_MARKETPLACE_FIX	N_( \
    "Have an administrator allow the Marketplace actions: {\"Effect\": " \
    "\"Allow\", \"Action\": [\"aws-marketplace:Subscribe\", " \
    "\"aws-marketplace:Unsubscribe\", \"aws-marketplace:ViewSubscriptions\"]," \
    " \"Resource\": \"*\"}.\n" \
    "Or have an administrator call the model once{?region} in {region}{/}: " \
    "after that every role in the account can call it without Marketplace " \
    "permissions.\n" \
    "Check that the account has a valid payment method: console, Billing " \
    "and Cost Management, Payment preferences.\n" \
    "Then wait {?wait}{wait} minutes{/}{!wait}2 to 5 minutes{/} and try " \
    "again.")

#define T_LIFECYCLE_FIX	N_( \
    "Switch to an active model: `aws bedrock list-foundation-models " \
    "--region {region} --query \"modelSummaries[?modelLifecycle.status==" \
    "'ACTIVE'].modelId\"`.\n" \
    "Pick a newer model of the same family in the wizard's Models step.")

#define T_FTU_CAUSE	N_( \
    "Anthropic models need the use-case form (first-time use) submitted " \
    "once for the account{?opt_in}, and again for the opt-in Region " \
    "{region}{/}, and it has not been.")
#define T_FTU_FIX	N_( \
    "Fill in the form in the Access step of `bedrock-setup`, or in the " \
    "Bedrock console by opening an Anthropic model in the model catalog.\n" \
    "Or submit it with the API: `aws bedrock put-use-case-for-model-access " \
    "--form-data fileb://use-case.json --region {region}`.\n" \
    "In an AWS Organization, submitting it once in the management account " \
    "covers the member accounts.\n" \
    "If it was already submitted, wait {?wait}{wait}{/}{!wait}15{/} minutes " \
    "and try again.")

#define T_CAPACITY_CAUSE	N_( \
    "Bedrock has no capacity for this model{?region} in {region}{/} right " \
    "now; this is capacity, not your quota.")
#define T_CAPACITY_FIX	N_( \
    "Retry in a little while, with backoff.\n" \
    "Or use a cross-Region inference profile{?profile_id} ({profile_id}){/} " \
    "or another Region.")

#define T_MODEL_FAIL_FIX	N_( \
    "Retry; if it fails again, change the request (prompt, parameters) or " \
    "use another model.")

#define T_CHECK_CAUSE	N_( \
    "The {gate} check could not run: {op} failed{?code} with {code}{/}" \
    "{?status} (HTTP {status}){/}{?detail}: {detail}{/}.")
#define T_FALLBACK_FIX	N_( \
    "Retry; if it keeps failing, read the full error message from AWS.\n" \
    "If it persists, contact AWS Support{?request_id} with the request id " \
    "{request_id}{/}.")

#define T_NETWORK_FIX	N_( \
    "Check the network connection, the firewall and the proxy settings " \
    "(https_proxy, no_proxy).\n" \
    "Retry; the failure may be temporary.")

/* The table.  Order matters: the first row that matches wins. */
static const struct rule rules[] = {
	/* Failures before AWS answered. */
	{ "cancelled", K(ERR_CANCELLED), NULL, 0, NULL, 0, 0, GATE_OF_OP,
	  F_COULD_NOT_CHECK,
	  N_("{op} was stopped before it finished, so the {gate} check did "
	     "not run."),
	  N_("Run the step again.") },
	{ "endpoint-refused", K(ERR_USAGE) | K(ERR_CONFIG), NULL, 0,
	  "plain http:// is only accepted|unsupported URL scheme", 0, 0,
	  GATE_OF_OP, F_COULD_NOT_CHECK,
	  N_("The endpoint URL{?where} from {where}{/} cannot be used, so the "
	     "{gate} check could not run: {detail}."),
	  N_("Use an https:// URL{?where} in {where}{/}, or plain http:// "
	     "only to a loopback address (127.0.0.1, localhost, [::1]) for a "
	     "local test server.\n"
	     "Or remove the setting to use the AWS endpoint.") },
	{ "tls-ca-bundle", K(ERR_TLS), NULL, 0, "the CA bundle", 0, 0,
	  GATE_OF_OP, F_COULD_NOT_CHECK,
	  N_("The CA bundle could not be used during {op}, so the {gate} "
	     "check could not run: {detail}."),
	  N_("Point AWS_CA_BUNDLE (or ca_bundle in the profile) at a file of "
	     "PEM certificates: the CA of a proxy or firewall that inspects "
	     "TLS, or a copy of the system's bundle with it added.\n"
	     "Or unset it to use the system's certificates.") },
	{ "network-tls", K(ERR_TLS), NULL, 0, NULL, 0, 0, GATE_OF_OP,
	  F_COULD_NOT_CHECK | F_NETWORK,
	  N_("A secure (TLS) connection to AWS could not be set up during "
	     "{op}, so the {gate} check could not run."),
	  N_("If a proxy or firewall inspects TLS, point AWS_CA_BUNDLE (or "
	     "ca_bundle in the profile) at its certificate bundle.\n"
	     "Check that this computer's date and time are right: "
	     "certificates fail when the clock is far off.\n"
	     "Then run `bedrock-setup doctor` again.") },
	{ "credentials-process-timeout", K(ERR_TIMEOUT), NULL, 0,
	  "credential_process", OPB(DIAGNOSE_OP_CREDENTIALS), 0,
	  DIAGNOSE_GATE_CREDENTIALS, 0,
	  N_("No usable AWS credentials: {detail}."),
	  N_("Run the command by hand to see what it waits for (a prompt, a "
	     "browser sign-in, the network){?where}; it is set in {where}{/}.\n"
	     "Check the result with `aws configure list{?aws_profile} "
	     "--profile {aws_profile}{/}`.") },
	{ "network-timeout", K(ERR_TIMEOUT), NULL, 0, NULL, 0, 0, GATE_OF_OP,
	  F_COULD_NOT_CHECK | F_NETWORK | F_RETRY,
	  N_("AWS did not answer in time during {op}, so the {gate} check "
	     "could not run."),
	  N_("Check the network connection and any proxy (https_proxy).\n"
	     "Retry in a moment{?region}; if it keeps failing, look at the "
	     "AWS Health Dashboard for {region}{/}.") },
	{ "network-proxy-dns", K(ERR_NETWORK), NULL, 0,
	  "resolve the proxy|resolve proxy", 0, 0, GATE_OF_OP,
	  F_COULD_NOT_CHECK | F_NETWORK,
	  N_("The name of the proxy could not be resolved (DNS) during {op}, "
	     "so the {gate} check could not run."),
	  N_("Check the proxy URL in https_proxy (or HTTPS_PROXY, ALL_PROXY): "
	     "its host name is wrong or unknown on this network.\n"
	     "If this network needs no proxy, unset it; hosts that must be "
	     "reached directly go in no_proxy.") },
	{ "network-dns", K(ERR_NETWORK), NULL, 0, "resolve|DNS", 0, 0,
	  GATE_OF_OP, F_COULD_NOT_CHECK | F_NETWORK,
	  N_("The name of an AWS endpoint could not be resolved (DNS) during "
	     "{op}, so the {gate} check could not run."),
	  N_("Check the network connection and DNS.\n"
	     "{?region}Check that the Region name {region} is right (names "
	     "look like eu-west-1).\n{/}"
	     "If you use a proxy, check https_proxy and no_proxy.") },
	{ "network", K(ERR_NETWORK), NULL, 0, NULL, 0, 0, GATE_OF_OP,
	  F_COULD_NOT_CHECK | F_NETWORK | F_RETRY,
	  N_("The connection to AWS failed during {op}, so the {gate} check "
	     "could not run."),
	  T_NETWORK_FIX },

	/* Local failures with our own message. */
	{ "bearer-unusable", K(ERR_CREDENTIALS), NULL, 0, NULL, 0,
	  NEED_BEARER, DIAGNOSE_GATE_CREDENTIALS, 0,
	  N_("The Bedrock API key cannot be used: {detail}."),
	  T_BEARER_FIX },
	{ "credentials-sso", K(ERR_CREDENTIALS), NULL, 0, NULL, 0, NEED_SSO,
	  DIAGNOSE_GATE_CREDENTIALS, 0,
	  N_("The IAM Identity Center (SSO) sign-in cannot be used: "
	     "{detail}."),
	  N_("Sign in again: `aws sso login --profile {aws_profile}`.\n"
	     "If the profile is not set up yet: `aws configure sso "
	     "--profile {aws_profile}`.") },
	{ "credentials-missing", K(ERR_CREDENTIALS), NULL, 0, NULL, 0, 0,
	  DIAGNOSE_GATE_CREDENTIALS, 0,
	  N_("No usable AWS credentials: {detail}."),
	  T_WAYS_TO_SIGN_IN },
	{ "credentials-no-profile", K(ERR_CONFIG), NULL, 0, "was not found",
	  OPB(DIAGNOSE_OP_CREDENTIALS), 0, DIAGNOSE_GATE_CREDENTIALS, 0,
	  N_("The AWS configuration cannot be used: {detail}."),
	  N_("Name a profile that exists{?where} in {where}{/}, or create "
	     "{?aws_profile}profile {aws_profile}{/}{!aws_profile}it{/}: "
	     "`aws configure{?aws_profile} --profile {aws_profile}{/}` "
	     "(access keys) or `aws configure sso{?aws_profile} --profile "
	     "{aws_profile}{/}` (IAM Identity Center).\n"
	     "List the profiles with `aws configure list-profiles`.") },
	{ "credentials-config", K(ERR_CONFIG) | K(ERR_IO) | K(ERR_USAGE),
	  NULL, 0, NULL, OPB(DIAGNOSE_OP_CREDENTIALS), 0,
	  DIAGNOSE_GATE_CREDENTIALS, 0,
	  N_("The AWS configuration cannot be used: {detail}."),
	  N_("{?where}Fix {where}.\n{/}"
	     "Check the result with `aws configure list{?aws_profile} "
	     "--profile {aws_profile}{/}`.") },
	{ "region-not-offered", K(ERR_CONFIG) | K(ERR_USAGE), NULL, 0, NULL,
	  OPB(DIAGNOSE_OP_RESOLVE), 0, DIAGNOSE_GATE_REGION, 0,
	  N_("{detail}."),
	  T_NOT_OFFERED_FIX },

	/* Bedrock API keys. */
	{ "bearer-rejected", K(ERR_AWS), NULL, 0, "API key", 0, 0,
	  DIAGNOSE_GATE_CREDENTIALS, 0, T_BEARER_CAUSE, T_BEARER_FIX },
	{ "bearer-invalid", K(ERR_AWS), AUTH_BAD "|" EXPIRED, 0, NULL, 0,
	  NEED_BEARER, DIAGNOSE_GATE_CREDENTIALS, 0, T_BEARER_CAUSE,
	  T_BEARER_FIX },

	/* Clock and signature. */
	{ "clock-skew", K(ERR_AWS), NULL, 0,
	  "Signature expired|request has expired|time too skewed", 0, 0,
	  DIAGNOSE_GATE_CREDENTIALS, 0, T_CLOCK_CAUSE, T_CLOCK_FIX },
	{ "clock-skew", K(ERR_AWS), "RequestExpired|RequestTimeTooSkewed", 0,
	  NULL, 0, 0, DIAGNOSE_GATE_CREDENTIALS, 0, T_CLOCK_CAUSE,
	  T_CLOCK_FIX },
	{ "clock-skew", K(ERR_AWS), SIG_BAD, 0, NULL, 0, NEED_SKEW,
	  DIAGNOSE_GATE_CREDENTIALS, 0, T_CLOCK_CAUSE, T_CLOCK_FIX },
	{ "signature-mismatch", K(ERR_AWS), SIG_BAD, 0, NULL, 0, 0,
	  DIAGNOSE_GATE_CREDENTIALS, 0,
	  N_("AWS computed a different request signature, which almost always "
	     "means the secret access key does not belong to the access key "
	     "id."),
	  N_("Check the secret access key: run `aws configure{?aws_profile} "
	     "--profile {aws_profile}{/}` and paste it again, without quotes "
	     "or spaces.\n"
	     "Make sure AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are a "
	     "pair: environment variables override the files.\n"
	     "Keep the clock in sync{?clock} (measured offset: {clock}){/}: "
	     "`timedatectl`.") },

	/* Session tokens. */
	{ "token-expired-sso", K(ERR_AWS), EXPIRED, 0, NULL, 0, NEED_SSO,
	  DIAGNOSE_GATE_CREDENTIALS, 0,
	  N_("The temporary credentials from IAM Identity Center (SSO) have "
	     "expired."),
	  T_EXPIRED_FIX_SSO },
	{ "token-expired", K(ERR_AWS), EXPIRED, 0, NULL, 0, 0,
	  DIAGNOSE_GATE_CREDENTIALS, 0,
	  N_("The session token of the temporary credentials has expired."),
	  N_("Get fresh credentials from where these came from: run the "
	     "assume-role or sign-in command again, or refresh the "
	     "environment variables.\n"
	     "With IAM Identity Center: `aws sso login --profile "
	     "{aws_profile}`.\n"
	     "Retrying with the same token never helps.\n"
	     "Check the clock{?clock} (measured offset: {clock}){/}: "
	     "`timedatectl`.") },
	{ "token-opt-in-region", K(ERR_AWS), AUTH_BAD, 0, NULL, 0,
	  NEED_OPT_IN, DIAGNOSE_GATE_CREDENTIALS, 0,
	  N_("{region} is an opt-in Region, and the session token was "
	     "probably issued by the global STS endpoint as a version 1 "
	     "token, which works only in Regions enabled by default."),
	  N_("Get new credentials from the regional STS endpoint: set "
	     "AWS_STS_REGIONAL_ENDPOINTS=regional (or sts_regional_endpoints "
	     "= regional in the profile).\n"
	     "Or have an administrator switch the account to version 2 "
	     "tokens (GlobalEndpointTokenVersion): `aws iam "
	     "set-security-token-service-preferences "
	     "--global-endpoint-token-version v2Token`.\n"
	     "Make sure {region} is enabled for the account: console, "
	     "Account, AWS Regions.") },
	{ "token-invalid", K(ERR_AWS), AUTH_BAD, 0, NULL, 0, 0,
	  DIAGNOSE_GATE_CREDENTIALS, 0,
	  N_("AWS does not recognise the access key or the session token: it "
	     "may be mistyped, deleted, deactivated, or from another "
	     "partition."),
	  N_("See which credentials are used: `aws configure "
	     "list{?aws_profile} --profile {aws_profile}{/}`.\n"
	     "Temporary keys need their own AWS_SESSION_TOKEN; a leftover "
	     "token breaks long-term keys.\n"
	     "If the key was deleted or deactivated, create a new access key "
	     "in the IAM console (Users, Security credentials), then run "
	     "`aws configure`.\n"
	     "If {region} is an opt-in Region, make sure it is enabled: "
	     "console, Account, AWS Regions.") },

	/* Getting credentials through SSO or a role. */
	{ "sso-session-invalid", K(ERR_AWS),
	  "UnauthorizedException|ForbiddenException", 0, NULL, CRED_OPS,
	  NEED_SSO, DIAGNOSE_GATE_CREDENTIALS, 0,
	  N_("The IAM Identity Center (SSO) session is no longer valid."),
	  T_EXPIRED_FIX_SSO },
	{ "assume-role-denied", K(ERR_AWS), NULL, 0,
	  "is not authorized to perform", CRED_OPS, 0,
	  DIAGNOSE_GATE_CREDENTIALS, 0,
	  N_("The credentials could not be obtained: the source identity may "
	     "not call {action} on {resource}."),
	  N_("Allow {action} on {resource} for {?principal}{principal}{/}"
	     "{!principal}the source identity{/}.\n"
	     "Check that the trust policy of the role names that identity as "
	     "a principal.\n"
	     "Check role_arn and source_profile in the profile: `aws configure "
	     "list{?aws_profile} --profile {aws_profile}{/}`.") },

	/* Read-only look-ups that may not run: skip the gate, say why. */
	{ "check-denied", K(ERR_AWS), ACCESS_DENIED, 403, NULL, CHECK_OPS, 0,
	  GATE_OF_OP, F_COULD_NOT_CHECK,
	  N_("The {gate} check could not run: this identity may not call "
	     "{op_action}."),
	  N_("To let bedrock-setup check it, ask an administrator to allow "
	     "{op_action} (read-only) for "
	     "{?principal}{principal}{/}{!principal}this identity{/}.\n"
	     "Otherwise the first test call will show whether this gate "
	     "passes.") },

	/* IAM and organization policies. */
	{ "iam-scp-deny", K(ERR_AWS), NULL, 0,
	  "explicit deny in a service control policy|"
	  "explicit deny in a resource control policy", 0, 0,
	  DIAGNOSE_GATE_IAM, 0,
	  N_("A service control policy of your AWS Organization explicitly "
	     "denies {action} on {resource}, and no policy in this account "
	     "can override it."),
	  N_("Ask the organization's administrator (management account) to "
	     "change the SCP so that it allows {action} on {resource}.\n"
	     "{?cris}Cross-Region inference profiles send requests to other "
	     "Regions: a Region allow-list SCP must include every destination "
	     "Region of the profile{?regions} ({regions}){/}, or make an "
	     "exception keyed on bedrock:InferenceProfileArn.\n{/}"
	     "{?global}Global profiles are checked on the Region-less model "
	     "ARN arn:aws:bedrock:::foundation-model/{fm} with "
	     "aws:RequestedRegion = \"unspecified\": the SCP must allow "
	     "\"unspecified\" as well.\n{/}"
	     "Adding an Allow in this account will not help: an explicit deny "
	     "always wins.") },
	{ "marketplace-processing", K(ERR_AWS), "MPAgreementBeingCreated", 0,
	  NULL, 0, 0, DIAGNOSE_GATE_MODEL_ACCESS, F_RETRY,
	  N_("The AWS Marketplace subscription for this model is still being "
	     "processed."),
	  N_("Wait up to 15 minutes, then try again.\n"
	     "Nothing else is needed unless the error changes.") },
	{ "marketplace-processing", K(ERR_AWS), NULL, 0,
	  "still being processed", 0, 0, DIAGNOSE_GATE_MODEL_ACCESS, F_RETRY,
	  N_("The AWS Marketplace subscription for this model is still being "
	     "processed."),
	  N_("Wait up to 15 minutes, then try again.\n"
	     "Nothing else is needed unless the error changes.") },
	{ "marketplace-permissions", K(ERR_AWS), NULL, 0,
	  "AWS Marketplace actions|aws-marketplace:", 0, 0,
	  DIAGNOSE_GATE_MODEL_ACCESS, 0,
	  N_("The first call to a third-party model starts its AWS "
	     "Marketplace subscription, and that failed: the identity may not "
	     "use aws-marketplace:ViewSubscriptions and aws-marketplace:"
	     "Subscribe, or the account has no valid payment method."),
	  T_MARKETPLACE_FIX },
	{ "payment-method", K(ERR_AWS), NULL, 0,
	  "payment method|payment instrument", 0, 0,
	  DIAGNOSE_GATE_MODEL_ACCESS, 0,
	  N_("The AWS Marketplace subscription for this model needs a valid "
	     "payment method on the account."),
	  T_MARKETPLACE_FIX },
	{ "iam-explicit-deny", K(ERR_AWS), NULL, 0, "with an explicit deny",
	  0, 0, DIAGNOSE_GATE_IAM, 0,
	  N_("An explicit Deny in a policy that applies to this identity "
	     "(identity-based policy, permissions boundary or session policy) "
	     "blocks {action} on {resource}."),
	  N_("Find the Deny: `aws iam simulate-principal-policy "
	     "--policy-source-arn {principal} --action-names {action} "
	     "--resource-arns {resource}` names the statement.\n"
	     "Remove or narrow that Deny statement; adding an Allow will not "
	     "help.") },
	{ "iam-denied", K(ERR_AWS), NULL, 0, "is not authorized to perform",
	  0, 0, DIAGNOSE_GATE_IAM, 0,
	  N_("This identity has no permission for {action} on {resource}"
	     "{?boundary} (its permissions boundary does not allow it){/}"
	     "{?session_policy} (its session policy does not allow it){/}."),
	  N_("Add this statement to a policy attached to {?principal}"
	     "{principal}{/}{!principal}the identity{/}: {\"Effect\": "
	     "\"Allow\", \"Action\": [\"{action}\"{?pair}, \"{pair}\"{/}], "
	     "\"Resource\": \"{resource}\"}.\n"
	     "{?pair}Allow both bedrock:InvokeModel and "
	     "bedrock:InvokeModelWithResponseStream: Converse needs the first, "
	     "ConverseStream the second.\n{/}"
	     "{?res_profile}For an inference profile, also allow the "
	     "foundation model in the source Region and in every destination "
	     "Region{?regions} ({regions}){/}, with the condition "
	     "bedrock:InferenceProfileArn.\n{/}"
	     "{?res_global_fm}This is the Region-less model ARN of a global "
	     "profile: allow it with the condition \"aws:RequestedRegion\": "
	     "\"unspecified\".\n{/}"
	     "{?cris_fm}The model was called through a cross-Region profile: "
	     "calls routed to a Region missing from the policy fail, so allow "
	     "the foundation model in every destination Region.\n{/}"
	     "{?boundary}Allow it in the permissions boundary as well.\n{/}"
	     "`bedrock-setup policy` prints a complete least-privilege "
	     "policy.") },

	/* Model access (Marketplace, lifecycle) and provider terms. */
	{ "model-legacy", K(ERR_AWS), NULL, 0, "marked by provider as Legacy",
	  0, 0, DIAGNOSE_GATE_MODEL_ACCESS, 0,
	  N_("{?model}{model}{/}{!model}This model{/} is a Legacy model that "
	     "this account has not used recently, so AWS no longer serves it "
	     "to the account."),
	  T_LIFECYCLE_FIX },
	{ "model-end-of-life", K(ERR_AWS), NULL, 0, "end of its life", 0, 0,
	  DIAGNOSE_GATE_MODEL_ACCESS, 0,
	  N_("{?model}{model}{/}{!model}This model version{/} has reached its "
	     "end of life and can no longer be called."),
	  T_LIFECYCLE_FIX },
	{ "use-case-form", K(ERR_AWS), NULL, 0, "use case details", 0, 0,
	  DIAGNOSE_GATE_TERMS, 0, T_FTU_CAUSE, T_FTU_FIX },
	{ "use-case-form", K(ERR_AWS),
	  "FTUFormNotFilled|" DIAGNOSE_CODE_USE_CASE_MISSING, 0, NULL, 0, 0,
	  DIAGNOSE_GATE_TERMS, 0, T_FTU_CAUSE, T_FTU_FIX },
	{ "agreement-pending", K(ERR_AWS), DIAGNOSE_CODE_AGREEMENT_PENDING, 0,
	  NULL, 0, 0, DIAGNOSE_GATE_TERMS, F_RETRY,
	  N_("The agreement to the model's end-user license (its Marketplace "
	     "offer) is still pending for this account."),
	  N_("Wait a few minutes and check again: `aws bedrock "
	     "get-foundation-model-availability --model-id {fm} --region "
	     "{region}`.\n"
	     "If it stays pending, accept the offer again in the Access step "
	     "of `bedrock-setup`.") },
	{ "agreement-pending", K(ERR_AWS), "ConflictException", 0, NULL,
	  OPB(DIAGNOSE_OP_AGREEMENT_CREATE), 0, DIAGNOSE_GATE_TERMS, F_RETRY,
	  N_("An agreement to the model's end-user license is already being "
	     "created for this account."),
	  N_("Wait a few minutes and check again: `aws bedrock "
	     "get-foundation-model-availability --model-id {fm} --region "
	     "{region}`.") },
	{ "agreement-missing", K(ERR_AWS), DIAGNOSE_CODE_AGREEMENT_MISSING, 0,
	  NULL, 0, 0, DIAGNOSE_GATE_TERMS, 0,
	  N_("This account has not accepted the model's end-user license (its "
	     "Marketplace offer) yet."),
	  N_("Accept it in the Access step of `bedrock-setup`.\n"
	     "Or with the CLI: `aws bedrock "
	     "list-foundation-model-agreement-offers --model-id {fm} --region "
	     "{region}`, then `aws bedrock create-foundation-model-agreement "
	     "--model-id {fm} --offer-token <OFFER_TOKEN> --region "
	     "{region}`.\n"
	     "Or call the model once: the first call accepts the license and "
	     "subscribes, if the caller has the Marketplace permissions.") },
	{ "not-entitled", K(ERR_AWS), DIAGNOSE_CODE_NOT_ENTITLED "|"
	  DIAGNOSE_CODE_NOT_AUTHORIZED, 0, NULL, 0, 0,
	  DIAGNOSE_GATE_MODEL_ACCESS, 0,
	  N_("AWS reports that this account is not entitled or authorized to "
	     "use {?model}{model}{/}{!model}the model{/}{?region} in "
	     "{region}{/} yet."),
	  T_MARKETPLACE_FIX },
	{ "region-unavailable", K(ERR_AWS), DIAGNOSE_CODE_REGION_UNAVAILABLE,
	  0, NULL, 0, 0, DIAGNOSE_GATE_REGION, 0,
	  T_NOT_OFFERED_CAUSE, T_NOT_OFFERED_FIX },

	/* Access denied that often means the wrong Region. */
	{ "model-not-in-region", K(ERR_AWS), NULL, 0,
	  "access to the model with the specified model ID|"
	  "your account is not authorized to invoke this API operation", 0,
	  NEED_NOT_OFFERED, DIAGNOSE_GATE_REGION, 0,
	  T_NOT_OFFERED_CAUSE, T_NOT_OFFERED_FIX },
	{ "no-model-access", K(ERR_AWS), NULL, 0,
	  "access to the model with the specified model ID", 0, 0,
	  DIAGNOSE_GATE_MODEL_ACCESS, 0,
	  N_("AWS says this account has no access to {?model}{model}{/}"
	     "{!model}the model{/}{?region} in {region}{/}: the Region may not "
	     "offer it under this id, or its Marketplace subscription is "
	     "missing."),
	  N_("Check the Region first: `aws bedrock list-foundation-models "
	     "--region {region}` must list it{?regions} (it is offered in "
	     "{regions}){/}.\n"
	     "{?profile_id}If it is only offered through a profile, call "
	     "{profile_id}.\n{/}"
	     "Check access: `aws bedrock get-foundation-model-availability "
	     "--model-id {fm} --region {region}`.\n"
	     "If the Marketplace subscription is missing, have an "
	     "administrator with aws-marketplace:Subscribe call the model "
	     "once, then wait 2 to 5 minutes.") },
	{ "account-not-authorized", K(ERR_AWS), NULL, 0,
	  "your account is not authorized to invoke this API operation", 0,
	  NEED_OFFERED, DIAGNOSE_GATE_MODEL_ACCESS, 0,
	  N_("{region} offers the model, but AWS says this account may not "
	     "call it there: access to it is not set up in {region}."),
	  N_("Check access: `aws bedrock get-foundation-model-availability "
	     "--model-id {fm} --region {region}`.\n"
	     "If the Marketplace subscription is missing, have an "
	     "administrator with aws-marketplace:Subscribe call the model "
	     "once, then wait 2 to 5 minutes.\n"
	     "For Anthropic models, submit the use-case form in the Access "
	     "step of `bedrock-setup`.") },
	{ "account-not-authorized", K(ERR_AWS), NULL, 0,
	  "your account is not authorized to invoke this API operation", 0, 0,
	  DIAGNOSE_GATE_REGION, 0,
	  N_("AWS says the account may not call this operation here, which "
	     "most often means the model is not offered in {region} or access "
	     "was set up in another Region."),
	  N_("Check that {region} offers the model: `aws bedrock "
	     "list-foundation-models --region {region}`{?regions} (it is "
	     "offered in {regions}){/}.\n"
	     "Call the Region where model access was set up.\n"
	     "Then check access there: `aws bedrock "
	     "get-foundation-model-availability --model-id {fm} --region "
	     "{region}`.") },

	/* Region and model id. */
	{ "needs-inference-profile", K(ERR_AWS), NULL, 0,
	  "on-demand throughput", 0, 0, DIAGNOSE_GATE_REGION, 0,
	  N_("{?model}{model}{/}{!model}This model{/} cannot be called on "
	     "demand by its model id{?region} in {region}{/}: it must be "
	     "called through an inference profile."),
	  N_("{?profile_id}Call the inference profile id {profile_id} instead "
	     "of {model}.\n{/}"
	     "{!profile_id}Find the inference profiles that contain it: `aws "
	     "bedrock list-inference-profiles --region {region}`, and call "
	     "the profile id (it starts with a geography such as us., eu., "
	     "apac. or global.).\n{/}"
	     "Allow the profile and the model in every destination Region in "
	     "the IAM policy: `bedrock-setup policy` writes it.") },
	{ "invalid-model-id", K(ERR_AWS), NULL, 0,
	  "provided model identifier is invalid", 0, 0, DIAGNOSE_GATE_REGION,
	  0,
	  N_("{?model}{model}{/}{!model}The model id{/} is not a valid id in "
	     "{region}{?cris}: this inference profile is not offered from this "
	     "source Region{/}."),
	  N_("{?regions}Regions that offer it: {regions}; call one of them.\n"
	     "{/}"
	     "{?profile_id}In {region}, use the profile id {profile_id}.\n{/}"
	     "Take ids from `aws bedrock list-foundation-models --region "
	     "{region}` and `aws bedrock list-inference-profiles --region "
	     "{region}`; never build them by hand.") },
	{ "model-not-in-region", K(ERR_AWS), NULL, 0,
	  "could not resolve the foundation model", 0, 0,
	  DIAGNOSE_GATE_REGION, 0, T_NOT_OFFERED_CAUSE, T_NOT_OFFERED_FIX },

	/* The call itself. */
	{ "model-not-ready", K(ERR_AWS), "ModelNotReadyException", 0, NULL,
	  0, 0, DIAGNOSE_GATE_INVOKE, F_RETRY,
	  N_("The model is not ready to serve requests yet; this is not "
	     "throttling."),
	  N_("Wait a minute and retry; the AWS SDKs retry this up to 5 "
	     "times.\n"
	     "If it persists, try later or use another Region.") },
	{ "throttled-api", K(ERR_AWS), THROTTLED, 429, NULL,
	  CRED_OPS | CHECK_OPS, 0, GATE_OF_OP, F_COULD_NOT_CHECK | F_RETRY,
	  N_("AWS throttled {op} (too many requests in a short time), so the "
	     "{gate} check could not run."),
	  N_("Wait a minute and run the check again.\n"
	     "If it keeps happening, something else in the account calls "
	     "{op} very often: look for it in CloudTrail.") },
	{ "throttled-daily-tokens", K(ERR_AWS), THROTTLED, 429,
	  "tokens per day", 0, 0, DIAGNOSE_GATE_INVOKE, F_RETRY,
	  N_("The account used up its daily token quota for this model"
	     "{?region} in {region}{/}."),
	  N_("Wait until the daily quota resets, then try again.\n"
	     "Ask for more: console, Service Quotas, AWS services, Amazon "
	     "Bedrock, the model's tokens-per-day quota{?region} in "
	     "{region}{/}, Request increase.\n"
	     "Use a cross-Region inference profile{?profile_id} such as "
	     "{profile_id}{/} for more throughput.") },
	{ "throttled-tokens", K(ERR_AWS), THROTTLED, 429, "too many tokens",
	  0, 0, DIAGNOSE_GATE_INVOKE, F_RETRY,
	  N_("The tokens-per-minute quota for this model{?region} in "
	     "{region}{/} is reached."),
	  N_("Wait a minute and retry with backoff; send shorter prompts or "
	     "a smaller maxTokens.\n"
	     "Ask for more: console, Service Quotas, AWS services, Amazon "
	     "Bedrock, the model's tokens-per-minute quota, Request "
	     "increase.\n"
	     "Use a cross-Region inference profile{?profile_id} such as "
	     "{profile_id}{/} for more throughput.") },
	{ "throttled-requests", K(ERR_AWS), THROTTLED, 429, NULL, 0, 0,
	  DIAGNOSE_GATE_INVOKE, F_RETRY,
	  N_("Too many requests per minute for this model{?region} in "
	     "{region}{/}: the requests-per-minute quota is reached."),
	  N_("Wait and retry with exponential backoff and jitter.\n"
	     "Ask for more: console, Service Quotas, AWS services, Amazon "
	     "Bedrock, the model's requests-per-minute quota, Request "
	     "increase.\n"
	     "Use a cross-Region inference profile{?profile_id} such as "
	     "{profile_id}{/} for more throughput.") },
	{ "quota-exceeded", K(ERR_AWS), "ServiceQuotaExceededException", 0,
	  NULL, 0, 0, DIAGNOSE_GATE_INVOKE, 0,
	  N_("A Bedrock service quota of the account is exceeded."),
	  N_("See the quotas: console, Service Quotas, AWS services, Amazon "
	     "Bedrock{?region} (Region {region}){/}.\n"
	     "Request an increase there, or lower the usage.") },
	{ "service-unavailable", K(ERR_AWS), "ServiceUnavailableException|"
	  "ServiceUnavailable", 503, NULL, 0, 0, DIAGNOSE_GATE_INVOKE,
	  F_RETRY, T_CAPACITY_CAUSE, T_CAPACITY_FIX },
	{ "service-unavailable", K(ERR_AWS), "overloaded_error", 529, NULL, 0,
	  0, DIAGNOSE_GATE_INVOKE, F_RETRY, T_CAPACITY_CAUSE, T_CAPACITY_FIX },
	{ "model-timeout", K(ERR_AWS), "ModelTimeoutException", 408, NULL, 0,
	  0, DIAGNOSE_GATE_INVOKE, F_RETRY,
	  N_("The model took too long to answer."),
	  N_("Retry; ask for fewer output tokens (maxTokens) or send a "
	     "shorter prompt.\n"
	     "For long answers use ConverseStream.") },
	{ "model-error", K(ERR_AWS), "ModelErrorException", 424, NULL, 0, 0,
	  DIAGNOSE_GATE_INVOKE, F_RETRY,
	  N_("The model failed while processing the request."),
	  T_MODEL_FAIL_FIX },
	{ "model-stream-error", K(ERR_AWS), "ModelStreamErrorException", 0,
	  NULL, 0, 0, DIAGNOSE_GATE_INVOKE, F_RETRY,
	  N_("The model failed while streaming its answer."),
	  T_MODEL_FAIL_FIX },
	{ "internal-error", K(ERR_AWS), "InternalServerException|"
	  "InternalFailure|InternalError", 500, NULL, 0, 0,
	  DIAGNOSE_GATE_INVOKE, F_RETRY,
	  N_("Bedrock had an internal error."),
	  T_FALLBACK_FIX },
	{ "conversation-order", K(ERR_AWS), "ValidationException", 400,
	  "conversation must start with a user message|"
	  "conversation must alternate", 0, 0, DIAGNOSE_GATE_INVOKE, 0,
	  N_("The messages are in an order Bedrock does not accept: a "
	     "conversation starts with a user message and alternates between "
	     "user and assistant."),
	  N_("Start the conversation with a user message.\n"
	     "Make user and assistant messages alternate; merge consecutive "
	     "messages of the same role.") },
	{ "invalid-request", K(ERR_AWS), "ValidationException", 0, NULL, 0,
	  0, DIAGNOSE_GATE_INVOKE, 0,
	  N_("Bedrock rejected the request to {op} as invalid."),
	  N_("Check the request parameters against the model (maxTokens, "
	     "temperature, content types).\n"
	     "Try a minimal request, one short user message, to find the "
	     "parameter at fault.") },

	/* Fallbacks. */
	{ "credentials-failed", 0, NULL, 0, NULL, CRED_OPS, 0,
	  DIAGNOSE_GATE_CREDENTIALS, 0,
	  N_("The credentials could not be used: {op} failed{?code} with "
	     "{code}{/}{?status} (HTTP {status}){/}{?detail}: {detail}{/}."),
	  T_WAYS_TO_SIGN_IN },
	{ "check-failed", 0, NULL, 0, NULL, CHECK_OPS, 0, GATE_OF_OP,
	  F_COULD_NOT_CHECK, T_CHECK_CAUSE, T_FALLBACK_FIX },
	{ "unexplained", 0, NULL, 0, NULL, 0, 0, DIAGNOSE_GATE_INVOKE, 0,
	  N_("The call to {op} failed{?code} with {code}{/}{?status} (HTTP "
	     "{status}){/}{?detail}: {detail}{/}, and no gate explains it."),
	  T_FALLBACK_FIX },
};

/* Whether s is one of the '|'-separated words of list, ignoring case. */
static int
in_list(const char *list, const char *s)
{
	const char	*p = list, *bar;
	size_t		 n, len = strlen(s);

	for (;;) {
		bar = strchr(p, '|');
		n = bar != NULL ? (size_t)(bar - p) : strlen(p);
		if (n == len && strncasecmp(p, s, n) == 0)
			return 1;
		if (bar == NULL)
			return 0;
		p = bar + 1;
	}
}

/* Whether hay holds the n bytes of needle, ignoring case. */
static int
has_n(const char *hay, const char *needle, size_t n)
{
	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

/* Whether hay holds one of the '|'-separated substrings, ignoring case. */
static int
has_any(const char *list, const char *hay)
{
	const char	*p = list, *bar;
	size_t		 n;

	for (;;) {
		bar = strchr(p, '|');
		n = bar != NULL ? (size_t)(bar - p) : strlen(p);
		if (n > 0 && has_n(hay, p, n))
			return 1;
		if (bar == NULL)
			return 0;
		p = bar + 1;
	}
}

/* The bare code: "ns#Code:http://..." gives "Code". */
static void
clean_code(const char *raw, char *out, size_t size)
{
	const char	*p = raw, *hash;
	size_t		 n;

	hash = strrchr(p, '#');
	if (hash != NULL)
		p = hash + 1;
	n = strcspn(p, ":");
	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static int
region_offered(const struct diagnose_ctx *c)
{
	size_t	 i;

	if (c->region == NULL || c->regions == NULL || c->nregions == 0)
		return -1;
	for (i = 0; i < c->nregions; i++)
		if (c->regions[i] != NULL &&
		    strcmp(c->regions[i], c->region) == 0)
			return 1;
	return 0;
}

static int
need_ok(unsigned need, const struct diagnose_ctx *c)
{
	long long	 off = c->clock_offset < 0 ? -c->clock_offset :
	    c->clock_offset;

	if ((need & NEED_SSO) && !c->sso)
		return 0;
	if ((need & NEED_BEARER) && !c->bearer)
		return 0;
	if ((need & NEED_OPT_IN) && c->region_opt_in != 1)
		return 0;
	if ((need & NEED_NOT_OFFERED) && region_offered(c) != 0)
		return 0;
	if ((need & NEED_OFFERED) && region_offered(c) != 1)
		return 0;
	if ((need & NEED_SKEW) && (!c->clock_known || off < SKEW_LIMIT))
		return 0;
	return 1;
}

static int
rule_matches(const struct rule *r, const struct err *e, const char *code,
    const struct diagnose_ctx *c)
{
	if (r->kinds != 0 && (r->kinds & K(e->kind)) == 0)
		return 0;
	if (r->codes != NULL) {
		if (code[0] != '\0' ? !in_list(r->codes, code) :
		    r->status == 0 || e->http_status != r->status)
			return 0;
	} else if (r->status != 0 && e->http_status != r->status)
		return 0;
	/* Our own messages are matched in English, as written (msgid). */
	if (r->msg != NULL && !has_any(r->msg, e->message) &&
	    (e->msgid == NULL || !has_any(r->msg, e->msgid)))
		return 0;
	if (r->ops != 0 && (r->ops & OPB(c->op)) == 0)
		return 0;
	return need_ok(r->need, c);
}

static void
set_var(struct vars *v, enum var k, const char *s)
{
	free(v->v[k]);
	v->v[k] = s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

static void
set_varn(struct vars *v, enum var k, const char *s, size_t n)
{
	free(v->v[k]);
	v->v[k] = n > 0 ? xstrndup(s, n) : NULL;
}

/* Characters an IAM action or an ARN may hold. */
static int
arn_char(int ch)
{
	return isalnum(ch) || strchr(":/._-*+=,@$", ch) != NULL;
}

/*
 * Copy the run of arn_char() after marker in msg into var k; when follow
 * is not NULL, only if the run is followed by it (a whole token).
 */
static void
take_after(struct vars *v, enum var k, const char *msg, const char *marker,
    const char *follow)
{
	const char	*p = strcasestr(msg, marker);
	size_t		 n = 0;

	if (p == NULL)
		return;
	p += strlen(marker);
	while (p[n] != '\0' && n < VALUE_MAX && arn_char((unsigned char)p[n]))
		n++;
	if (follow != NULL && strncmp(p + n, follow, strlen(follow)) != 0)
		return;
	while (n > 0 && (p[n - 1] == '.' || p[n - 1] == ','))
		n--;
	set_varn(v, k, p, n);
}

/* The number N in "again after N minutes" or "again in N minutes". */
static void
take_wait(struct vars *v, const char *msg)
{
	static const char *const marks[] = { "again after ", "again in " };
	const char	*p;
	char		*end, num[24];
	long		 n;
	size_t		 i;

	for (i = 0; i < sizeof marks / sizeof marks[0]; i++) {
		if ((p = strcasestr(msg, marks[i])) == NULL)
			continue;
		p += strlen(marks[i]);
		if (!isdigit((unsigned char)*p))
			continue;
		n = strtol(p, &end, 10);
		if (n <= 0 || n > 24 * 60 ||
		    strncasecmp(end, " minute", 7) != 0)
			continue;
		snprintf(num, sizeof num, "%ld", n);
		set_var(v, V_WAIT, num);
		return;
	}
}

/* Whether id is an inference-profile id or ARN (not a bare model id). */
static int
is_profile(const char *id)
{
	const char	*colon, *dot;

	if (id == NULL)
		return 0;
	if (strncmp(id, "arn:", 4) == 0)
		return strstr(id, ":inference-profile/") != NULL ||
		    strstr(id, ":application-inference-profile/") != NULL;
	/* "us.anthropic.x-v1:0": a geography label before the provider. */
	colon = strchr(id, ':');
	dot = strchr(id, '.');
	return dot != NULL && (colon == NULL || dot < colon) &&
	    (dot = strchr(dot + 1, '.')) != NULL && (colon == NULL ||
	    dot < colon);
}

/* The foundation-model id inside a model id, profile id or ARN. */
static void
set_fm(struct vars *v, const char *id)
{
	const char	*p = id, *slash;

	if (id == NULL)
		return;
	if (strncmp(p, "arn:", 4) == 0) {
		if ((slash = strrchr(p, '/')) == NULL)
			return;
		if (strstr(p, ":application-inference-profile/") != NULL ||
		    strstr(p, ":provisioned-model/") != NULL)
			return;
		p = slash + 1;
	}
	if (is_profile(p))
		p = strchr(p, '.') + 1;
	set_var(v, V_FM, p);
}

/* arn:aws:sts::A:assumed-role/R/S gives arn:aws:iam::A:role/R. */
static void
set_principal(struct vars *v, const char *arn)
{
	char		 out[VALUE_MAX];
	const char	*ar, *role, *slash;
	size_t		 plen;

	if (arn == NULL)
		return;
	ar = strstr(arn, ":assumed-role/");
	slash = strncmp(arn, "arn:", 4) == 0 ? strchr(arn + 4, ':') : NULL;
	if (ar == NULL || slash == NULL || strncmp(slash, ":sts::", 6) != 0 ||
	    ar < slash + 6) {
		set_var(v, V_PRINCIPAL, arn);
		return;
	}
	plen = (size_t)(slash - arn);		/* "arn:aws" */
	role = ar + strlen(":assumed-role/");
	slash = strchr(role, '/');
	/* ":sts::" sits between the partition and the account. */
	snprintf(out, sizeof out, "%.*s:iam::%.*s:role/%.*s", (int)plen, arn,
	    (int)(ar - (arn + plen + 6)), arn + plen + 6,
	    (int)(slash != NULL ? (size_t)(slash - role) : strlen(role)), role);
	set_var(v, V_PRINCIPAL, out);
}

static void
fill_vars(struct vars *v, const struct err *e, const char *code,
    const struct diagnose_ctx *c, enum diagnose_gate gate)
{
	struct buf	 b;
	char		 num[96];
	size_t		 i;
	long long	 off;
	const char	*pair = NULL, *a, *res;

	set_var(v, V_REGION, c->region);
	set_var(v, V_MODEL, c->model_id);
	set_fm(v, c->model_id);
	set_var(v, V_PROFILE_ID, c->profile_id);
	set_var(v, V_ACCOUNT, c->account);
	set_var(v, V_IDENTITY, c->identity_arn);
	set_var(v, V_AWS_PROFILE, c->aws_profile);
	set_var(v, V_OP, ops[c->op].name);
	set_var(v, V_OP_ACTION, ops[c->op].action);
	set_var(v, V_GATE, core_tr(gate_names[gate]));
	set_var(v, V_REQUEST_ID, e->request_id);
	if (c->region_opt_in == 1)
		set_var(v, V_OPT_IN, "1");
	if (is_profile(c->model_id)) {
		set_var(v, V_CRIS, "1");
		if (strncmp(c->model_id, "global.", 7) == 0 ||
		    strstr(c->model_id, "/global.") != NULL)
			set_var(v, V_GLOBAL, "1");
	}
	if (c->nregions > 0 && c->regions != NULL) {
		buf_init(&b, VALUE_MAX);
		for (i = 0; i < c->nregions; i++) {
			if (c->regions[i] == NULL)
				continue;
			if (b.len > 0)
				buf_addstr(&b, ", ");
			buf_addstr(&b, c->regions[i]);
		}
		set_var(v, V_REGIONS, buf_str(&b));
		buf_free(&b);
	}
	if (c->clock_known) {
		off = c->clock_offset;
		if (off > 0)
			snprintf(num, sizeof num, core_tr(N_("%lld s ahead of "
			    "AWS")), off);
		else if (off < 0)
			snprintf(num, sizeof num, core_tr(N_("%lld s behind "
			    "AWS")), -off);
		else
			snprintf(num, sizeof num, "%s",
			    core_tr(N_("in step with AWS")));
		set_var(v, V_CLOCK, num);
	}
	if (e->kind == ERR_AWS) {
		set_var(v, V_CODE, code);
		if (e->http_status > 0) {
			snprintf(num, sizeof num, "%ld", e->http_status);
			set_var(v, V_STATUS, num);
		}
		take_after(v, V_ACTION, e->message,
		    "not authorized to perform: ", NULL);
		take_after(v, V_RESOURCE, e->message, " on resource: ", NULL);
		take_wait(v, e->message);
		if (c->identity_arn != NULL)
			set_principal(v, c->identity_arn);
		else if (strncmp(e->message, "User: arn:", 10) == 0) {
			take_after(v, V_IDENTITY, e->message, "User: ",
			    " is not authorized");
			set_principal(v, v->v[V_IDENTITY]);
		}
		if (strcasestr(e->message, "permissions boundary") != NULL)
			set_var(v, V_BOUNDARY, "1");
		if (strcasestr(e->message, "session policy") != NULL)
			set_var(v, V_SESSION_POLICY, "1");
	} else {
		/* Our own text: one sentence, without its final period. */
		i = strlen(e->message);
		while (i > 0 && (e->message[i - 1] == '.' ||
		    isspace((unsigned char)e->message[i - 1])))
			i--;
		set_varn(v, V_DETAIL, e->message, i);
		set_var(v, V_WHERE, e->where);
	}
	if ((a = v->v[V_ACTION]) != NULL) {
		if (strcasecmp(a, "bedrock:InvokeModel") == 0)
			pair = "bedrock:InvokeModelWithResponseStream";
		else if (strcasecmp(a,
		    "bedrock:InvokeModelWithResponseStream") == 0)
			pair = "bedrock:InvokeModel";
		set_var(v, V_PAIR, pair);
	}
	if ((res = v->v[V_RESOURCE]) != NULL) {
		if (strstr(res, ":inference-profile/") != NULL)
			set_var(v, V_RES_PROFILE, "1");
		else if (strstr(res, ":::foundation-model/") != NULL) {
			set_var(v, V_RES_GLOBAL_FM, "1");
			set_var(v, V_GLOBAL, "1");
			if (v->v[V_FM] == NULL)
				set_var(v, V_FM, strrchr(res, '/') + 1);
		} else if (strstr(res, ":foundation-model/") != NULL &&
		    v->v[V_CRIS] != NULL)
			set_var(v, V_CRIS_FM, "1");
		if (v->v[V_GLOBAL] != NULL || v->v[V_RES_PROFILE] != NULL)
			set_var(v, V_CRIS, "1");
	}
}

static void
free_vars(struct vars *v)
{
	size_t	 i;

	for (i = 0; i < V_COUNT; i++) {
		free(v->v[i]);
		v->v[i] = NULL;
	}
}

/*
 * If p starts a tag ("{name}", "{?name}", "{!name}", "{/}"), return its
 * type ('=', '?', '!', '/'), the variable and the length of the tag.
 */
static int
tag_at(const char *p, const char *end, enum var *k, size_t *taglen)
{
	const char	*q = p + 1, *name;
	int		 type = '=';
	size_t		 i, n;

	if (q < end && (*q == '?' || *q == '!' || *q == '/'))
		type = *q++;
	if (type == '/') {
		if (q < end && *q == '}') {
			*taglen = 3;
			return '/';
		}
		return 0;
	}
	name = q;
	while (q < end && (islower((unsigned char)*q) || *q == '_'))
		q++;
	if (q == name || q >= end || *q != '}')
		return 0;
	n = (size_t)(q - name);
	for (i = 0; i < V_COUNT; i++) {
		if (strlen(var_names[i]) == n &&
		    strncmp(var_names[i], name, n) == 0) {
			*k = (enum var)i;
			*taglen = (size_t)(q + 1 - p);
			return type;
		}
	}
	return 0;
}

/* The end of a {?x} or {!x} body starting at p: the matching {/}. */
static const char *
body_end(const char *p, const char *end, const char **after)
{
	int		 depth = 1, t;
	enum var	 k;
	size_t		 tl;

	while (p < end) {
		if (*p == '{' && (t = tag_at(p, end, &k, &tl)) != 0) {
			if (t == '?' || t == '!')
				depth++;
			else if (t == '/' && --depth == 0) {
				*after = p + tl;
				return p;
			}
			p += tl;
			continue;
		}
		p++;
	}
	*after = end;
	return end;
}

/*
 * Literal template text.  A value that ends its sentence itself ("is this
 * a text file?") takes no period from the template after it.
 */
static void
add_literal(struct buf *out, const char *s, size_t n)
{
	char	 last = out->len > 0 ? out->data[out->len - 1] : '\0';

	if (n > 0 && s[0] == '.' && (last == '?' || last == '!') &&
	    (n == 1 || s[1] == ' ' || s[1] == '\n')) {
		s++;
		n--;
	}
	buf_add(out, s, n);
}

static void
expand(struct buf *out, const char *p, const char *end,
    const struct vars *v)
{
	const char	*run = p, *bend, *after;
	enum var	 k;
	size_t		 tl, i;
	int		 t;

	while (p < end) {
		if (*p != '{' || (t = tag_at(p, end, &k, &tl)) == 0) {
			p++;
			continue;
		}
		add_literal(out, run, (size_t)(p - run));
		if (t == '=') {
			if (v->v[k] != NULL)
				buf_addstr(out, v->v[k]);
			else if (var_holders[k] != NULL)
				buf_addstr(out, var_holders[k]);
			else {
				buf_addc(out, '<');
				for (i = 0; var_names[k][i] != '\0'; i++)
					buf_addc(out, (char)toupper(
					    (unsigned char)var_names[k][i]));
				buf_addc(out, '>');
			}
			p += tl;
		} else if (t == '/')
			p += tl;	/* a stray close: drop it */
		else {
			bend = body_end(p + tl, end, &after);
			if ((t == '?') == (v->v[k] != NULL))
				expand(out, p + tl, bend, v);
			p = after;
		}
		run = p;
	}
	add_literal(out, run, (size_t)(p - run));
}

/* Replace every secret of the context in b by the mask. */
static void
redact(struct buf *b, const struct diagnose_ctx *c)
{
	struct buf	 t;
	const char	*s, *hit, *p;
	size_t		 i, n;

	for (i = 0; i < c->nsecrets; i++) {
		if (c->secrets == NULL || c->secrets[i] == NULL)
			continue;
		s = secret_reveal(c->secrets[i]);
		n = secret_len(c->secrets[i]);
		if (s == NULL || n == 0 || b->len == 0 ||
		    memmem(b->data, b->len, s, n) == NULL)
			continue;
		buf_init(&t, b->max);
		p = b->data;
		while ((hit = memmem(p, b->len - (size_t)(p - b->data), s,
		    n)) != NULL) {
			buf_add(&t, p, (size_t)(hit - p));
			buf_addstr(&t, secret_mask());
			p = hit + n;
		}
		buf_add(&t, p, b->len - (size_t)(p - b->data));
		buf_wipe_free(b);
		*b = t;
	}
}

/* Copy s into dst, cutting on a UTF-8 character boundary. */
static void
copy_text(char *dst, size_t size, const char *s)
{
	size_t	 n = strlen(s);

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void
render(char *dst, size_t size, const char *tmpl, const struct vars *v,
    const struct diagnose_ctx *c)
{
	struct buf	 b;
	const char	*t = core_tr(tmpl);

	buf_init(&b, EXPAND_MAX);
	expand(&b, t, t + strlen(t), v);
	redact(&b, c);
	copy_text(dst, size, buf_str(&b));
	buf_wipe_free(&b);
}

int
diagnose_err(const struct err *e, const struct diagnose_ctx *ctx,
    struct diagnose_result *out)
{
	static const struct diagnose_ctx empty;
	const struct rule	*r = NULL;
	struct diagnose_ctx	 c;
	struct vars		 v;
	char			 code[sizeof e->code];
	size_t			 i;
	enum diagnose_gate	 gate;

	memset(out, 0, sizeof *out);
	out->gate_id = gate_ids[DIAGNOSE_GATE_NONE];
	out->rule = "none";
	if (e == NULL || e->kind == ERR_NONE)
		return -1;
	c = ctx != NULL ? *ctx : empty;
	if ((unsigned)c.op >= DIAGNOSE_OP_COUNT)
		c.op = DIAGNOSE_OP_UNKNOWN;
	clean_code(e->code, code, sizeof code);

	for (i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (rule_matches(&rules[i], e, code, &c)) {
			r = &rules[i];
			break;
		}
	/* The last row matches everything, so r is set. */
	gate = r->gate == GATE_OF_OP ? ops[c.op].gate :
	    (enum diagnose_gate)r->gate;
	out->gate = gate;
	out->gate_id = gate_ids[gate];
	out->rule = r->id;
	out->could_not_check = (r->flags & F_COULD_NOT_CHECK) != 0;
	out->network = (r->flags & F_NETWORK) != 0;
	out->retry = (r->flags & F_RETRY) != 0;

	memset(&v, 0, sizeof v);
	fill_vars(&v, e, code, &c, gate);
	render(out->cause, sizeof out->cause, r->cause, &v, &c);
	render(out->fix, sizeof out->fix, r->fix, &v, &c);
	free_vars(&v);
	return 0;
}

/* Where AWS starts to echo what was signed: cut the message there. */
static const char *const echo_marks[] = {
	"The Canonical String", "The String-to-Sign", "Authorization=",
	"Authorization:", "Signature=", "x-amz-security-token", "Credential=",
};

/* A run this long of these is a signature, a session token or a bearer
 * token (hex or base64), never words or ids (which hold '.', ':', '-'). */
#define TOKEN_RUN	40
#define TOKEN_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
			"0123456789+/="

void
diagnose_safe_message(const struct err *e, const struct diagnose_ctx *ctx,
    char *out, size_t size)
{
	static const struct diagnose_ctx empty;
	struct buf	 b, t;
	const char	*m, *hit;
	size_t		 n, i, run;

	if (size == 0)
		return;
	out[0] = '\0';
	if (e == NULL || e->kind == ERR_NONE)
		return;
	m = e->message;
	n = strcspn(m, "\r\n");
	for (i = 0; i < sizeof echo_marks / sizeof echo_marks[0]; i++)
		if ((hit = strcasestr(m, echo_marks[i])) != NULL &&
		    (size_t)(hit - m) < n)
			n = (size_t)(hit - m);
	while (n > 0 && isspace((unsigned char)m[n - 1]))
		n--;
	buf_init(&b, EXPAND_MAX);
	buf_add(&b, m, n);
	redact(&b, ctx != NULL ? ctx : &empty);
	buf_init(&t, EXPAND_MAX);
	for (i = 0; i < b.len; i += run > 0 ? run : 1) {
		run = strspn(b.data + i, TOKEN_CHARS);
		if (run >= TOKEN_RUN)
			buf_addstr(&t, secret_mask());
		else if (run > 0)
			buf_add(&t, b.data + i, run);
		else
			buf_addc(&t, (unsigned char)b.data[i] < 0x20 ||
			    b.data[i] == 0x7f ? ' ' : b.data[i]);
	}
	copy_text(out, size, buf_str(&t));
	buf_wipe_free(&t);
	buf_wipe_free(&b);
}

const char *
diagnose_gate_id(enum diagnose_gate g)
{
	if ((unsigned)g >= DIAGNOSE_GATE_COUNT)
		return gate_ids[DIAGNOSE_GATE_NONE];
	return gate_ids[g];
}

const char *
diagnose_gate_name(enum diagnose_gate g)
{
	if ((unsigned)g >= DIAGNOSE_GATE_COUNT)
		return gate_names[DIAGNOSE_GATE_NONE];
	return gate_names[g];
}

enum diagnose_gate
diagnose_gate_from_id(const char *id)
{
	size_t	 i;

	if (id == NULL)
		return DIAGNOSE_GATE_NONE;
	for (i = 1; i < DIAGNOSE_GATE_COUNT; i++)
		if (strcmp(gate_ids[i], id) == 0)
			return (enum diagnose_gate)i;
	return DIAGNOSE_GATE_NONE;
}

const char *
diagnose_op_name(enum diagnose_op op)
{
	if ((unsigned)op >= DIAGNOSE_OP_COUNT)
		op = DIAGNOSE_OP_UNKNOWN;
	return ops[op].name;
}
