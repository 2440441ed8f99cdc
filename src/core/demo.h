/*
 * demo.h: the demo account, a simulated AWS behind the HTTP layer.
 *
 * With --demo the program runs unchanged, but its http_client has
 * cfg.simulate = demo_simulate: every request is still built and signed,
 * and the demo answers it as AWS would (status, headers, AWS error codes
 * and messages, JSON / XML bodies, event-stream frames arriving over time,
 * a time to first byte per Region).  The world (Regions, models, inference
 * profiles) comes from the shipped catalog; the demo adds one account,
 * 111122223333, one identity, its permissions, the Anthropic use-case form
 * and Marketplace agreements, and changes them as calls are made (a valid
 * PutUseCaseForModelAccess counts for the rest of the run).
 *
 * Hosts answered: sts[.REGION].amazonaws.com (GetCallerIdentity),
 * iam.amazonaws.com (SimulatePrincipalPolicy), bedrock.REGION...
 * (ListFoundationModels, GetFoundationModel, GetFoundationModelAvailability,
 * ListInferenceProfiles, GetInferenceProfile,
 * ListFoundationModelAgreementOffers, CreateFoundationModelAgreement,
 * Get/PutUseCaseForModelAccess), bedrock-runtime.REGION... (Converse,
 * ConverseStream), access-analyzer.REGION... (ValidatePolicy: JSON syntax,
 * Version, Statement, Effect, Action, Resource and duplicate-action
 * checks) and portal.sso.REGION... (no SSO: 401).  Any other host fails
 * like a DNS failure (ERR_NETWORK).
 *
 * Every SigV4 request is verified: a missing Authorization header gets
 * MissingAuthenticationToken(Exception), a malformed one
 * IncompleteSignature(Exception), an unknown key or token
 * UnrecognizedClientException / InvalidClientTokenId, and a scope naming
 * the wrong Region, service or date, or a signature that does not match
 * the request, InvalidSignatureException / SignatureDoesNotMatch.  The
 * clock is not checked.  GovCloud Regions reject the demo's keys.
 *
 * Scenarios (demo_scenarios.h), each failing exactly one gate:
 *   happy           us-east-1, amazon.nova-micro-v1:0; user
 *                   workshop-participant may do everything; the use-case
 *                   form is submitted and agreements are in place.
 *   no-credentials  as happy, but demo_credentials() finds nothing: every
 *                   source of the chain is "not configured".
 *   wrong-region    eu-central-1 with mistral.mistral-large-2402-v1:0,
 *                   which that Region does not offer: ListFoundationModels
 *                   there lacks it, Converse gives 400 ValidationException
 *                   "The provided model identifier is invalid."
 *   iam-denied      us-east-1, amazon.nova-micro-v1:0, as the assumed role
 *                   WorkshopReadOnly (session credentials) whose policy
 *                   allows everything but bedrock:InvokeModel and
 *                   bedrock:InvokeModelWithResponseStream: Converse and
 *                   ConverseStream get 403 AccessDeniedException ("User:
 *                   arn:aws:sts::111122223333:assumed-role/... is not
 *                   authorized to perform: ACTION on resource: ARN because
 *                   no identity-based policy allows the ACTION action",
 *                   body key "Message"); SimulatePrincipalPolicy says
 *                   implicitDeny for those two actions.
 *   terms-pending   us-east-1, anthropic.claude-haiku-4-5-20251001-v1:0;
 *                   the use-case form was never submitted:
 *                   GetUseCaseForModelAccess 404, Marketplace agreements
 *                   NOT_AVAILABLE (PENDING once created), Anthropic calls
 *                   404 ResourceNotFoundException "Model use case details
 *                   have not been submitted for this account. Fill out the
 *                   Anthropic use case details form before using the
 *                   model." until a valid PutUseCaseForModelAccess.
 *   needs-profile   us-east-1, anthropic.claude-sonnet-4-5-20250929-v1:0 by
 *                   its bare id, which is INFERENCE_PROFILE-only there:
 *                   Converse gives 400 ValidationException "Invocation of
 *                   model ID ... with on-demand throughput isn’t supported.
 *                   Retry your request with the ID or ARN of an inference
 *                   profile that contains this model."; us./global. ids
 *                   and their ARNs work.
 *   throttled       as happy, but every Converse / ConverseStream gets 429
 *                   ThrottlingException "Too many tokens per day, please
 *                   wait before trying again." (so retries run out).
 *
 * A demo is used by one thread; demo_simulate() keeps its state in it.
 */
#ifndef BS_DEMO_H
#define BS_DEMO_H

#include <time.h>

struct awsconfig_setting;
struct creds;
struct creds_report;
struct err;
struct http_sim_reply;
struct http_sim_request;

struct demo;

#define DEMO_ACCOUNT	"111122223333"

/*
 * A demo account for a scenario (NULL: "happy"), its world loaded from
 * the embedded catalog.  NULL with err set (ERR_USAGE) for an unknown
 * scenario, or the catalog's error.  Free with demo_free (NULL is fine).
 */
struct demo	*demo_new(const char *scenario, struct err *);
void		 demo_free(struct demo *);

/* The scenario's name ("happy"); static. */
const char	*demo_scenario_name(const struct demo *);
/* The account's Region and the model the workshop asks for; owned. */
const char	*demo_region(const struct demo *);
const char	*demo_model(const struct demo *);
/*
 * The Region as a setting: value the Region, source "demo account"
 * (translated).  out is overwritten; clear it with
 * awsconfig_setting_clear().
 */
void		 demo_region_setting(const struct demo *,
		     struct awsconfig_setting *out);
/* The identity's ARN as GetCallerIdentity says it; owned. */
const char	*demo_identity_arn(const struct demo *);

/*
 * The credential chain of the demo.  *report always gets a report (free
 * with creds_report_free()): its keys-in-the-credentials-file row is the
 * one used, the rest "not configured".  Returns 0 with *out set to new
 * credentials (free with creds_free(); source "demo account
 * (simulated)"; the secret is random, made in demo_new, and lives only in
 * memory; session credentials in iam-denied expire an hour after now).
 * In no-credentials: -1, *out NULL, err ERR_CREDENTIALS, every row "not
 * configured".
 */
int		 demo_credentials(const struct demo *, time_t now,
		     struct creds **out, struct creds_report **report,
		     struct err *);

/*
 * The simulator for http_config.simulate; arg is the struct demo.  Fills
 * reply (status, headers, ttfb_ms, timed body pieces, or fail).
 */
void		 demo_simulate(void *arg, const struct http_sim_request *,
		     struct http_sim_reply *);

/*
 * The simulated network time to first byte of a Region, in ms: from the
 * distance between the Region and a workshop room in New York.  Regions
 * not in the table get 180 ms.
 */
double		 demo_region_latency_ms(const char *region);

/*
 * Scale every simulated wait (time to first byte, gaps between pieces) by
 * pace: 1 (the default) is real time, 0.2 five times faster (tests).
 */
void		 demo_set_pace(struct demo *, double pace);

/* Whether the Anthropic use-case form counts as submitted. */
int		 demo_form_submitted(const struct demo *);

#endif
