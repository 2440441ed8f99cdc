/*
 * test_diagnose.c: the five-gate diagnosis, one or more checks per rule.
 *
 * The AWS messages are the verbatim ones of the fact sheet (sections 1.7,
 * 3.3, 3.4, 4, 5), curly apostrophes included.  Every diagnosis is also
 * checked for leftover template tags and for the test secret, which the
 * context always lists and which several messages echo.
 */
#include <stdio.h>
#include <string.h>

#include "diagnose.h"
#include "err.h"
#include "i18n.h"
#include "secret.h"
#include "tap.h"

#define SECRET	"FwoGZXIvYXdzEXAMPLESESSIONTOKENdoNotPrint+/="
/* A Bedrock API key as AWS_BEARER_TOKEN_BEDROCK holds it (made up). */
#define BEARER	"ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlLW5vdC1hLXJlYWwta2V5MTIzNA=="

#define FM_HAIKU	"anthropic.claude-3-haiku-20240307-v1:0"
#define FM_37		"anthropic.claude-3-7-sonnet-20250219-v1:0"
#define PROF_37		"us.anthropic.claude-3-7-sonnet-20250219-v1:0"

static struct secret	*secret;

static const char *const us_regions[] = { "us-east-1", "us-east-2",
    "us-west-2" };

/* Whether s holds a template tag that was not expanded. */
static int
has_tag(const char *s)
{
	const char	*p, *q;

	for (p = strchr(s, '{'); p != NULL; p = strchr(p + 1, '{')) {
		q = p + 1;
		if (*q == '?' || *q == '!' || *q == '/')
			q++;
		while ((*q >= 'a' && *q <= 'z') || *q == '_')
			q++;
		if (*q == '}' && q > p + 1)
			return 1;
	}
	return 0;
}

static void
base_ctx(struct diagnose_ctx *c, enum diagnose_op op)
{
	static const struct secret *secrets[1];

	memset(c, 0, sizeof *c);
	secrets[0] = secret;
	c->op = op;
	c->region = "us-east-1";
	c->secrets = secrets;
	c->nsecrets = 1;
}

/* Diagnose, and check what must hold for every diagnosis. */
static struct diagnose_result
run(const char *name, enum err_kind kind, long status, const char *code,
    const char *msg, const struct diagnose_ctx *c)
{
	struct diagnose_result	 r;
	struct err		 e;

	err_clear(&e);
	if (kind == ERR_AWS)
		err_set_aws(&e, status, code, msg, "req-1234");
	else
		err_set(&e, kind, "%s", msg);
	is_int(diagnose_err(&e, c, &r), 0, "%s: diagnosed", name);
	ok(r.cause[0] != '\0' && r.fix[0] != '\0' && !has_tag(r.cause) &&
	    !has_tag(r.fix), "%s: cause and fix filled, no tags left", name);
	ok(strstr(r.cause, SECRET) == NULL && strstr(r.fix, SECRET) == NULL,
	    "%s: the secret is not shown", name);
	if (has_tag(r.cause) || has_tag(r.fix) || r.cause[0] == '\0')
		printf("#   cause: %s\n#   fix: %s\n", r.cause, r.fix);
	return r;
}

#define has(s, sub)	(strstr((s), (sub)) != NULL)

static void
expect(const struct diagnose_result *r, const char *name, const char *gate,
    const char *rule)
{
	is_str(r->gate_id, gate, "%s: gate %s", name, gate);
	is_str(r->rule, rule, "%s: rule %s", name, rule);
	is_str(diagnose_gate_id(r->gate), gate, "%s: gate enum agrees", name);
}

static void
test_iam(void)
{
	struct diagnose_ctx	 c;
	struct diagnose_result	 r;
	const char *verbatim = "User: arn:aws:sts::…:assumed-role/…/"
	    "log_classifier is not authorized to perform: bedrock:InvokeModel "
	    "on resource: arn:aws:bedrock:us-east-1::foundation-model/"
	    "anthropic.claude-3-haiku-20240307-v1:0 because no identity-based "
	    "policy allows the bedrock:InvokeModel action";
	const char *concrete = "User: arn:aws:sts::123456789012:assumed-role/"
	    "ci-role/log_classifier is not authorized to perform: "
	    "bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock"
	    ":us-east-1:123456789012:inference-profile/" PROF_37 " because no "
	    "identity-based policy allows the "
	    "bedrock:InvokeModelWithResponseStream action";

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	r = run("iam verbatim", ERR_AWS, 403, "AccessDeniedException",
	    verbatim, &c);
	expect(&r, "iam verbatim", "iam", "iam-denied");
	ok(has(r.cause, "bedrock:InvokeModel on resource") == 0 &&
	    has(r.cause, "bedrock:InvokeModel") && has(r.cause,
	    "arn:aws:bedrock:us-east-1::foundation-model/" FM_HAIKU),
	    "iam verbatim: cause names the action and the resource ARN");
	ok(has(r.fix, "\"Action\": [\"bedrock:InvokeModel\", "
	    "\"bedrock:InvokeModelWithResponseStream\"]") && has(r.fix,
	    "\"Resource\": \"arn:aws:bedrock:us-east-1::foundation-model/"
	    FM_HAIKU "\"") && has(r.fix, "\"Effect\": \"Allow\""),
	    "iam verbatim: fix gives the statement to add");
	ok(has(r.fix, "the identity:") && !has(r.fix, "arn:aws:sts::"),
	    "iam verbatim: an elided principal is not quoted");

	base_ctx(&c, DIAGNOSE_OP_CONVERSE_STREAM);
	c.model_id = PROF_37;
	c.regions = us_regions;
	c.nregions = 3;
	r = run("iam profile", ERR_AWS, 403, "AccessDeniedException",
	    concrete, &c);
	expect(&r, "iam profile", "iam", "iam-denied");
	ok(has(r.fix, "arn:aws:iam::123456789012:role/ci-role"),
	    "iam profile: the statement goes on the role");
	ok(has(r.fix, "every destination Region (us-east-1, us-east-2, "
	    "us-west-2)") && has(r.fix, "bedrock:InferenceProfileArn"),
	    "iam profile: destinations and the condition key are named");

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	c.identity_arn = "arn:aws:iam::123456789012:user/bob";
	r = run("iam explicit deny", ERR_AWS, 403, "AccessDeniedException",
	    "User: arn:aws:iam::123456789012:user/bob is not authorized to "
	    "perform: bedrock:InvokeModel on resource: arn:aws:bedrock:"
	    "us-east-1::foundation-model/" FM_HAIKU " with an explicit deny in "
	    "an identity-based policy", &c);
	expect(&r, "iam explicit deny", "iam", "iam-explicit-deny");
	ok(has(r.fix, "--policy-source-arn arn:aws:iam::123456789012:user/bob")
	    && has(r.fix, "--action-names bedrock:InvokeModel "),
	    "iam explicit deny: fix finds the Deny with the simulator");
}

static void
test_scp(void)
{
	struct diagnose_ctx	 c;
	struct diagnose_result	 r;
	static const char *const eu[] = { "eu-central-1", "eu-north-1",
	    "eu-west-1", "eu-west-3" };

	base_ctx(&c, DIAGNOSE_OP_CONVERSE_STREAM);
	c.model_id = "global.anthropic.claude-opus-4-6-v1";
	r = run("scp global", ERR_AWS, 403, "AccessDeniedException",
	    "…is not authorized to perform: bedrock:"
	    "InvokeModelWithResponseStream on resource: arn:aws:bedrock:::"
	    "foundation-model/anthropic.claude-opus-4-6-v1 with an explicit "
	    "deny in a service control policy…", &c);
	expect(&r, "scp global", "iam", "iam-scp-deny");
	ok(has(r.cause, "service control policy") && has(r.cause,
	    "bedrock:InvokeModelWithResponseStream"),
	    "scp global: cause names the SCP and the action");
	ok(has(r.fix, "organization's administrator") && has(r.fix,
	    "\"unspecified\"") && has(r.fix, "destination Region"),
	    "scp global: fix says who changes it, destinations, unspecified");
	ok(has(r.fix, "arn:aws:bedrock:::foundation-model/"
	    "anthropic.claude-opus-4-6-v1"), "scp global: Region-less ARN");

	base_ctx(&c, DIAGNOSE_OP_CONVERSE_STREAM);
	c.region = "eu-central-1";
	c.model_id = "eu.amazon.nova-pro-v1:0";
	c.regions = eu;
	c.nregions = 4;
	r = run("scp geo", ERR_AWS, 403, "AccessDeniedException",
	    "User: arn:aws:sts::047000000000:assumed-role/app/fn is not "
	    "authorized to perform: bedrock:InvokeModelWithResponseStream on "
	    "resource: arn:aws:bedrock:eu-west-3::foundation-model/"
	    "amazon.nova-pro-v1:0 with an explicit deny in a service control "
	    "policy", &c);
	expect(&r, "scp geo", "iam", "iam-scp-deny");
	ok(has(r.fix, "eu-central-1, eu-north-1, eu-west-1, eu-west-3") &&
	    !has(r.fix, "unspecified"),
	    "scp geo: names the destination Regions, no global advice");
}

static void
test_model_access(void)
{
	struct diagnose_ctx	 c;
	struct diagnose_result	 r;
	static const char *const west[] = { "us-west-2" };
	const char *mp = "Model access is denied due to IAM user or service "
	    "role is not authorized to perform the required AWS Marketplace "
	    "actions (aws-marketplace:ViewSubscriptions, aws-marketplace:"
	    "Subscribe) to enable access to this model. Refer to the Amazon "
	    "Bedrock documentation for further details. Your AWS Marketplace "
	    "subscription for this model cannot be completed at this time. If "
	    "you recently fixed this issue, try again after 5 minutes.";
	const char *mp2 = "Model access is denied due to IAM user or service "
	    "role is not authorized to perform the required AWS Marketplace "
	    "actions (aws-marketplace:ViewSubscriptions, aws-marketplace:"
	    "Subscribe) to enable access to this model. Refer to the Amazon "
	    "Bedrock documentation for further details. Your AWS Marketplace "
	    "subscription for this model cannot be completed at this time. If "
	    "you recently fixed this issue, try again after 2 minutes.";

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	c.model_id = FM_HAIKU;
	r = run("no access", ERR_AWS, 403, "AccessDeniedException",
	    "You don't have access to the model with the specified model ID.",
	    &c);
	expect(&r, "no access", "model_access", "no-model-access");
	ok(has(r.cause, "Region") && has(r.fix, "list-foundation-models "
	    "--region us-east-1"), "no access: mentions a Region mismatch");
	r = run("no access curly", ERR_AWS, 403, "AccessDeniedException",
	    "You don’t have access to the model with the specified model ID.",
	    &c);
	expect(&r, "no access curly", "model_access", "no-model-access");
	c.regions = west;
	c.nregions = 1;
	r = run("no access elsewhere", ERR_AWS, 403, "AccessDeniedException",
	    "You don't have access to the model with the specified model ID.",
	    &c);
	expect(&r, "no access elsewhere", "region", "model-not-in-region");
	ok(has(r.cause, "us-west-2") && has(r.fix, "us-west-2"),
	    "no access elsewhere: names the Region that offers it");

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	r = run("marketplace", ERR_AWS, 403, "AccessDeniedException", mp, &c);
	expect(&r, "marketplace", "model_access", "marketplace-permissions");
	ok(has(r.fix, "aws-marketplace:Subscribe") && has(r.fix,
	    "aws-marketplace:ViewSubscriptions") && has(r.fix,
	    "payment method") && has(r.fix, "call the model once"),
	    "marketplace: permissions, payment, invoke once");
	ok(has(r.fix, "wait 5 minutes"), "marketplace: waits 5 minutes");
	r = run("marketplace 2 min", ERR_AWS, 403, "AccessDeniedException",
	    mp2, &c);
	expect(&r, "marketplace 2 min", "model_access",
	    "marketplace-permissions");
	ok(has(r.fix, "wait 2 minutes"), "marketplace 2 min: waits 2 minutes");
	r = run("marketplace no time", ERR_AWS, 403, "AccessDeniedException",
	    "Model access is denied due to IAM user or service role is not "
	    "authorized to perform the required AWS Marketplace actions.", &c);
	ok(has(r.fix, "2 to 5 minutes"), "marketplace no time: 2 to 5 "
	    "minutes");

	r = run("mp processing", ERR_AWS, 403, "MPAgreementBeingCreated",
	    "Your account is not authorized to access this model. Your AWS "
	    "Marketplace subscription for this model is still being processed",
	    &c);
	expect(&r, "mp processing", "model_access", "marketplace-processing");
	ok(has(r.fix, "15 minutes") && r.retry, "mp processing: wait 15 min");
	r = run("mp processing msg", ERR_AWS, 403, "AccessDeniedException",
	    "Your account is not authorized to access this model. Your AWS "
	    "Marketplace subscription for this model is still being processed",
	    &c);
	expect(&r, "mp processing msg", "model_access",
	    "marketplace-processing");

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	c.model_id = FM_HAIKU;
	r = run("legacy", ERR_AWS, 404, "ResourceNotFoundException",
	    "Access denied. This Model is marked by provider as Legacy and you "
	    "have not been actively using the model in the last 30 days. "
	    "Please upgrade to an active model on Amazon Bedrock", &c);
	expect(&r, "legacy", "model_access", "model-legacy");
	ok(has(r.cause, FM_HAIKU) && has(r.fix, "ACTIVE"),
	    "legacy: names the model, suggests an active one");
	r = run("legacy 15 days", ERR_AWS, 404, "ResourceNotFoundException",
	    "Access denied. This Model is marked by provider as Legacy and you "
	    "have not been actively using the model in the last 15 days. "
	    "Please upgrade to an active model on Amazon Bedrock", &c);
	expect(&r, "legacy 15 days", "model_access", "model-legacy");
	r = run("end of life", ERR_AWS, 404, "ResourceNotFoundException",
	    "This model version has reached the end of its life. Please refer "
	    "to the AWS documentation for more details.", &c);
	expect(&r, "end of life", "model_access", "model-end-of-life");
	ok(has(r.cause, "end of life") && has(r.fix, "active model"),
	    "end of life: upgrade");

	r = run("not entitled", ERR_AWS, 0, DIAGNOSE_CODE_NOT_ENTITLED, "",
	    &c);
	expect(&r, "not entitled", "model_access", "not-entitled");
	ok(has(r.cause, FM_HAIKU) && has(r.cause, "us-east-1"),
	    "not entitled: names the model and the Region");
	r = run("not authorized", ERR_AWS, 0, DIAGNOSE_CODE_NOT_AUTHORIZED, "",
	    &c);
	expect(&r, "not authorized", "model_access", "not-entitled");
	r = run("payment", ERR_AWS, 403, "AccessDeniedException",
	    "Your AWS Marketplace subscription could not be completed: the "
	    "account has no valid payment method.", &c);
	expect(&r, "payment", "model_access", "payment-method");
	ok(has(r.fix, "Payment preferences"), "payment: the console path");
}

static void
test_account_not_authorized(void)
{
	struct diagnose_ctx	 c;
	struct diagnose_result	 r;
	static const char *const here[] = { "us-east-1", "us-west-2" };
	static const char *const there[] = { "eu-central-1" };
	const char *msg = "Your account is not authorized to invoke this API "
	    "operation.";

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	c.model_id = FM_HAIKU;
	r = run("account", ERR_AWS, 403,
	    "AccessDeniedException:http://internal.amazon.com/coral/"
	    "com.amazon.bedrock/", msg, &c);
	expect(&r, "account", "region", "account-not-authorized");
	ok(has(r.cause, "us-east-1") && has(r.fix, "list-foundation-models"),
	    "account: says it is often the Region");
	c.regions = here;
	c.nregions = 2;
	r = run("account offered", ERR_AWS, 403, "AccessDeniedException", msg,
	    &c);
	expect(&r, "account offered", "model_access", "account-not-authorized");
	ok(has(r.fix, "get-foundation-model-availability --model-id " FM_HAIKU),
	    "account offered: check access");
	c.regions = there;
	c.nregions = 1;
	r = run("account elsewhere", ERR_AWS, 403, "AccessDeniedException", msg,
	    &c);
	expect(&r, "account elsewhere", "region", "model-not-in-region");
	ok(has(r.cause, "eu-central-1"), "account elsewhere: names the Region");
}

static void
test_terms(void)
{
	struct diagnose_ctx	 c;
	struct diagnose_result	 r;
	const char *ftu = "Model use case details have not been submitted for "
	    "this account. Fill out the Anthropic use case details form before "
	    "using the model.";

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	c.model_id = FM_37;
	r = run("ftu", ERR_AWS, 404, "ResourceNotFoundException", ftu, &c);
	expect(&r, "ftu", "terms", "use-case-form");
	ok(has(r.fix, "Access step") && has(r.fix,
	    "put-use-case-for-model-access") && has(r.fix, "--region "
	    "us-east-1"), "ftu: wizard step and the API");
	ok(!has(r.cause, "opt-in"), "ftu: no opt-in note in a default Region");

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	c.region = "eu-south-2";
	c.region_opt_in = 1;
	r = run("ftu opt-in", ERR_AWS, 404, "ResourceNotFoundException",
	    "Model use case details have not been submitted for this account. "
	    "Fill out the Anthropic use case details form before using the "
	    "model. If you have already filled out the form, try again in 15 "
	    "minutes.", &c);
	expect(&r, "ftu opt-in", "terms", "use-case-form");
	ok(has(r.cause, "opt-in Region eu-south-2"),
	    "ftu opt-in: refill for the opt-in Region");
	ok(has(r.fix, "wait 15 minutes"), "ftu opt-in: wait 15 minutes");
	r = run("ftu code", ERR_AWS, 404, "FTUFormNotFilled", "", &c);
	expect(&r, "ftu code", "terms", "use-case-form");

	base_ctx(&c, DIAGNOSE_OP_AVAILABILITY);
	c.model_id = PROF_37;
	r = run("agreement pending", ERR_AWS, 0,
	    DIAGNOSE_CODE_AGREEMENT_PENDING, "", &c);
	expect(&r, "agreement pending", "terms", "agreement-pending");
	ok(r.retry && has(r.fix, "--model-id " FM_37 " "),
	    "agreement pending: retry, bare model id in the command");
	r = run("agreement missing", ERR_AWS, 0,
	    DIAGNOSE_CODE_AGREEMENT_MISSING, "", &c);
	expect(&r, "agreement missing", "terms", "agreement-missing");
	ok(has(r.fix, "create-foundation-model-agreement --model-id " FM_37),
	    "agreement missing: create the agreement");
	base_ctx(&c, DIAGNOSE_OP_AGREEMENT_CREATE);
	r = run("agreement conflict", ERR_AWS, 409, "ConflictException",
	    "An agreement already exists or is being created", &c);
	expect(&r, "agreement conflict", "terms", "agreement-pending");
}

static void
test_region(void)
{
	struct diagnose_ctx	 c;
	struct diagnose_result	 r;
	static const char *const eu[] = { "eu-central-1", "eu-west-3" };
	const char *curly = "Invocation of model ID " FM_37 " with on-demand "
	    "throughput isn’t supported. Retry your request with the ID or ARN "
	    "of an inference profile that contains this model.";
	const char *straight = "Invocation of model ID " FM_37 " with "
	    "on-demand throughput isn't supported. Retry your request with the "
	    "ID or ARN of an inference profile that contains this model.";

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	c.model_id = FM_37;
	c.profile_id = PROF_37;
	r = run("on-demand", ERR_AWS, 400, "ValidationException", curly, &c);
	expect(&r, "on-demand", "region", "needs-inference-profile");
	ok(has(r.fix, "Call the inference profile id " PROF_37 " instead of "
	    FM_37), "on-demand: the profile id, named exactly");
	r = run("on-demand straight", ERR_AWS, 400, "ValidationException",
	    straight, &c);
	expect(&r, "on-demand straight", "region", "needs-inference-profile");
	c.profile_id = NULL;
	r = run("on-demand old", ERR_AWS, 400, "ValidationException",
	    "The provided model doesn't support on-demand throughput.", &c);
	expect(&r, "on-demand old", "region", "needs-inference-profile");
	ok(has(r.fix, "list-inference-profiles --region us-east-1"),
	    "on-demand without a known profile: how to find one");

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	c.region = "eu-west-1";
	c.model_id = "eu.anthropic.claude-3-5-sonnet-20240620-v1:0";
	c.regions = eu;
	c.nregions = 2;
	r = run("invalid id", ERR_AWS, 400, "ValidationException",
	    "The provided model identifier is invalid.", &c);
	expect(&r, "invalid id", "region", "invalid-model-id");
	ok(has(r.cause, "eu-west-1") && has(r.cause, "inference profile") &&
	    has(r.fix, "eu-central-1, eu-west-3"),
	    "invalid id: the Region, the profile, the Regions that have it");

	base_ctx(&c, DIAGNOSE_OP_CONVERSE_STREAM);
	c.model_id = "anthropic.claude-v2";
	r = run("not resolved", ERR_AWS, 404, "ResourceNotFoundException",
	    "Could not resolve the foundation model from the provided model "
	    "identifier.", &c);
	expect(&r, "not resolved", "region", "model-not-in-region");

	base_ctx(&c, DIAGNOSE_OP_RESOLVE);
	c.region = "eu-south-2";
	c.model_id = FM_HAIKU;
	c.regions = us_regions;
	c.nregions = 3;
	r = run("not offered", ERR_CONFIG, 0, NULL, FM_HAIKU " is not offered "
	    "in eu-south-2. Regions that offer it: us-east-1, us-east-2, "
	    "us-west-2.", &c);
	expect(&r, "not offered", "region", "region-not-offered");
	ok(has(r.cause, "not offered in eu-south-2") && has(r.fix,
	    "us-east-1, us-east-2, us-west-2"),
	    "not offered: our message, and the Regions to use");
	r = run("region unavailable", ERR_AWS, 0,
	    DIAGNOSE_CODE_REGION_UNAVAILABLE, "", &c);
	expect(&r, "region unavailable", "region", "region-unavailable");
	ok(has(r.cause, "us-west-2"), "region unavailable: names Regions");
}

static void
test_credentials(void)
{
	struct diagnose_ctx	 c;
	struct diagnose_result	 r;
	const char *invalid = "The security token included in the request is "
	    "invalid.";
	const char *sig = "The request signature we calculated does not match "
	    "the signature you provided. Check your AWS Secret Access Key and "
	    "signing method. Consult the service documentation for details.";

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	r = run("unrecognized", ERR_AWS, 403, "UnrecognizedClientException",
	    invalid, &c);
	expect(&r, "unrecognized", "credentials", "token-invalid");
	ok(!has(r.cause, "opt-in"), "unrecognized: no opt-in story");

	base_ctx(&c, DIAGNOSE_OP_CALLER_IDENTITY);
	c.region = "af-south-1";
	c.region_opt_in = 1;
	r = run("sts opt-in", ERR_AWS, 403, "InvalidClientTokenId",
	    "The security token included in the request is invalid", &c);
	expect(&r, "sts opt-in", "credentials", "token-opt-in-region");
	ok(has(r.cause, "af-south-1") && has(r.cause, "version 1") &&
	    has(r.fix, "AWS_STS_REGIONAL_ENDPOINTS=regional") &&
	    has(r.fix, "GlobalEndpointTokenVersion") && has(r.fix, "v2Token"),
	    "sts opt-in: the v1-token trap and both fixes");

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	r = run("expired", ERR_AWS, 403, "ExpiredTokenException",
	    "The security token included in the request is expired", &c);
	expect(&r, "expired", "credentials", "token-expired");
	c.sso = 1;
	c.aws_profile = "dev-sso";
	r = run("expired sso", ERR_AWS, 403, "ExpiredTokenException",
	    "The security token included in the request is expired", &c);
	expect(&r, "expired sso", "credentials", "token-expired-sso");
	ok(has(r.fix, "`aws sso login --profile dev-sso`"),
	    "expired sso: aws sso login with the profile name");
	base_ctx(&c, DIAGNOSE_OP_CALLER_IDENTITY);
	c.sso = 1;
	r = run("sts expired sso", ERR_AWS, 403, "ExpiredToken",
	    "The security token included in the request is expired", &c);
	expect(&r, "sts expired sso", "credentials", "token-expired-sso");
	ok(has(r.fix, "--profile <PROFILE>"),
	    "sts expired sso: a placeholder when the profile is unknown");

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	r = run("signature", ERR_AWS, 403, "InvalidSignatureException", sig,
	    &c);
	expect(&r, "signature", "credentials", "signature-mismatch");
	ok(has(r.fix, "secret access key") && !has(r.fix, "measured"),
	    "signature: check the secret key");
	c.clock_known = 1;
	c.clock_offset = 42;
	r = run("signature clock", ERR_AWS, 403, "InvalidSignatureException",
	    sig, &c);
	expect(&r, "signature clock", "credentials", "signature-mismatch");
	ok(has(r.fix, "measured offset: 42 s ahead of AWS"),
	    "signature clock: shows the measured offset");
	c.clock_offset = 900;
	r = run("signature skew", ERR_AWS, 403, "InvalidSignatureException",
	    sig, &c);
	expect(&r, "signature skew", "credentials", "clock-skew");
	ok(has(r.cause, "900 s ahead of AWS") && has(r.fix, "timedatectl"),
	    "signature skew: a big offset is the clock");
	c.clock_offset = -660;
	r = run("signature expired", ERR_AWS, 403, "InvalidSignatureException",
	    "Signature expired: 20250101T000000Z is now earlier than "
	    "20250101T000600Z (20250101T001100Z - 5 min.)", &c);
	expect(&r, "signature expired", "credentials", "clock-skew");
	ok(has(r.cause, "660 s behind AWS") && has(r.cause, "5 minutes"),
	    "signature expired: offset and the 5-minute window");
	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	r = run("signature expired unmeasured", ERR_AWS, 403,
	    "InvalidSignatureException", "Signature expired: 20250101T000000Z "
	    "is now earlier than 20250101T000600Z (20250101T001100Z - 5 min.)",
	    &c);
	expect(&r, "signature expired unmeasured", "credentials", "clock-skew");
	ok(!has(r.cause, "AWS)"), "signature expired unmeasured: no offset");
	base_ctx(&c, DIAGNOSE_OP_CALLER_IDENTITY);
	r = run("request expired", ERR_AWS, 400, "RequestExpired",
	    "Request has expired.", &c);
	expect(&r, "request expired", "credentials", "clock-skew");
	r = run("sts signature", ERR_AWS, 403, "SignatureDoesNotMatch", sig,
	    &c);
	expect(&r, "sts signature", "credentials", "signature-mismatch");

	base_ctx(&c, DIAGNOSE_OP_CREDENTIALS);
	c.aws_profile = "default";
	r = run("no credentials", ERR_CREDENTIALS, 0, NULL, "no AWS "
	    "credentials found for profile default; set up keys with `aws "
	    "configure --profile default`, or IAM Identity Center with `aws "
	    "configure sso`", &c);
	expect(&r, "no credentials", "credentials", "credentials-missing");
	ok(has(r.cause, "no AWS credentials found for profile default") &&
	    has(r.fix, "`aws configure --profile default`") && has(r.fix,
	    "`aws configure sso`") && has(r.fix, "aws sso login") &&
	    has(r.fix, "`aws login`") && has(r.fix,
	    "AWS_BEARER_TOKEN_BEDROCK"),
	    "no credentials: every way to configure them");
	c.sso = 1;
	c.aws_profile = "work";
	r = run("sso missing", ERR_CREDENTIALS, 0, NULL, "the SSO login for "
	    "work expired at 2026-11-25 07:00:00 UTC; run `aws sso login "
	    "--profile work`", &c);
	expect(&r, "sso missing", "credentials", "credentials-sso");
	ok(has(r.fix, "aws sso login --profile work"), "sso missing: login");
	r = run("sso portal", ERR_AWS, 401, "UnauthorizedException",
	    "Session token not found or invalid", &c);
	expect(&r, "sso portal", "credentials", "sso-session-invalid");
	ok(has(r.fix, "aws sso login --profile work"), "sso portal: login");
	c.sso = 0;
	r = run("assume role", ERR_AWS, 403, "AccessDenied",
	    "User: arn:aws:iam::123456789012:user/bob is not authorized to "
	    "perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:"
	    "role/bedrock-dev", &c);
	expect(&r, "assume role", "credentials", "assume-role-denied");
	ok(has(r.fix, "Allow sts:AssumeRole on arn:aws:iam::123456789012:"
	    "role/bedrock-dev for arn:aws:iam::123456789012:user/bob") &&
	    has(r.fix, "trust policy"), "assume role: permission and trust");
	{
		struct err		 e;

		err_clear(&e);
		err_set(&e, ERR_CONFIG, "profile %s has no region", "work");
		err_where(&e, "~/.aws/config line 12");
		diagnose_err(&e, &c, &r);
		expect(&r, "config", "credentials", "credentials-config");
		ok(has(r.fix, "Fix ~/.aws/config line 12") && has(r.cause,
		    "profile work has no region"), "config: says where");
	}
}

static void
test_bearer(void)
{
	struct diagnose_ctx	 c;
	struct diagnose_result	 r;

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	c.region = "eu-west-1";
	c.bearer = 1;
	r = run("bearer", ERR_AWS, 403, "AccessDeniedException",
	    "Authentication failed: Please make sure your API Key is valid.",
	    &c);
	expect(&r, "bearer", "credentials", "bearer-rejected");
	ok(has(r.cause, "eu-west-1") && has(r.fix, "12 hours") && has(r.fix,
	    "Region it was generated in"), "bearer: Region-bound, 12 h");
	r = run("bearer token", ERR_AWS, 403, "UnrecognizedClientException",
	    "The security token included in the request is invalid.", &c);
	expect(&r, "bearer token", "credentials", "bearer-invalid");
	r = run("bearer local", ERR_CREDENTIALS, 0, NULL, "the Bedrock API key "
	    "is empty or holds characters that cannot go in a header", &c);
	expect(&r, "bearer local", "credentials", "bearer-unusable");
	ok(has(r.cause, "holds characters") && has(r.fix,
	    "AWS_BEARER_TOKEN_BEDROCK"), "bearer local: our message, key fix");
}

static void
test_invoke(void)
{
	struct diagnose_ctx	 c;
	struct diagnose_result	 r;

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	c.profile_id = PROF_37;
	r = run("throttle requests", ERR_AWS, 429, "ThrottlingException",
	    "Too many requests, please wait before trying again. You have sent "
	    "too many requests. Wait before trying again.", &c);
	expect(&r, "throttle requests", "invoke", "throttled-requests");
	ok(r.retry && has(r.fix, "Service Quotas") && has(r.fix,
	    "requests-per-minute") && has(r.fix, PROF_37),
	    "throttle requests: quota path and a cross-Region profile");
	r = run("throttle tokens", ERR_AWS, 429, "ThrottlingException",
	    "Too many tokens, please wait before trying again.", &c);
	expect(&r, "throttle tokens", "invoke", "throttled-tokens");
	ok(has(r.fix, "tokens-per-minute"), "throttle tokens: per minute");
	r = run("throttle day", ERR_AWS, 429, "ThrottlingException",
	    "Too many tokens per day, please wait before trying again.", &c);
	expect(&r, "throttle day", "invoke", "throttled-daily-tokens");
	ok(has(r.cause, "daily") && has(r.fix, "tokens-per-day"),
	    "throttle day: the daily quota");
	base_ctx(&c, DIAGNOSE_OP_CONVERSE_STREAM);
	r = run("stream throttle", ERR_AWS, 200, "throttlingException",
	    "Too many tokens, please wait before trying again.", &c);
	expect(&r, "stream throttle", "invoke", "throttled-tokens");
	r = run("bare 429", ERR_AWS, 429, "", "", &c);
	expect(&r, "bare 429", "invoke", "throttled-requests");

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	r = run("not ready", ERR_AWS, 429, "ModelNotReadyException",
	    "Model is not ready.", &c);
	expect(&r, "not ready", "invoke", "model-not-ready");
	ok(has(r.cause, "not throttling") && r.retry, "not ready: not a quota");
	r = run("unavailable", ERR_AWS, 503, "ServiceUnavailableException",
	    "Service unavailable", &c);
	expect(&r, "unavailable", "invoke", "service-unavailable");
	ok(has(r.cause, "capacity") && has(r.fix, "another Region"),
	    "unavailable: capacity, retry or another Region");
	r = run("bare 503", ERR_AWS, 503, "", "", &c);
	expect(&r, "bare 503", "invoke", "service-unavailable");
	r = run("overloaded", ERR_AWS, 529, "overloaded_error", "Overloaded",
	    &c);
	expect(&r, "overloaded", "invoke", "service-unavailable");
	r = run("model timeout", ERR_AWS, 408, "ModelTimeoutException",
	    "Model has timed out", &c);
	expect(&r, "model timeout", "invoke", "model-timeout");
	r = run("model error", ERR_AWS, 424, "ModelErrorException",
	    "The model failed", &c);
	expect(&r, "model error", "invoke", "model-error");
	r = run("stream error", ERR_AWS, 200, "modelStreamErrorException",
	    "boom", &c);
	expect(&r, "stream error", "invoke", "model-stream-error");
	r = run("internal", ERR_AWS, 500, "InternalServerException", "oops",
	    &c);
	expect(&r, "internal", "invoke", "internal-error");
	ok(has(r.fix, "req-1234"), "internal: quotes the request id");
	r = run("quota", ERR_AWS, 400, "ServiceQuotaExceededException",
	    "quota exceeded", &c);
	expect(&r, "quota", "invoke", "quota-exceeded");
	r = run("starts with user", ERR_AWS, 400, "ValidationException",
	    "A conversation must start with a user message. Try again with a "
	    "conversation that starts with a user message.", &c);
	expect(&r, "starts with user", "invoke", "conversation-order");
	r = run("alternate", ERR_AWS, 400, "ValidationException",
	    "A conversation must alternate between user and assistant roles. "
	    "Make sure the conversation alternates between user and assistant "
	    "roles and try again.", &c);
	expect(&r, "alternate", "invoke", "conversation-order");
	r = run("validation", ERR_AWS, 400, "ValidationException",
	    "maxTokens must be at least 1", &c);
	expect(&r, "validation", "invoke", "invalid-request");
}

static void
test_network_and_checks(void)
{
	struct diagnose_ctx	 c;
	struct diagnose_result	 r;
	struct err		 e;

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	r = run("dns", ERR_NETWORK, 0, NULL, "cannot resolve bedrock-runtime."
	    "us-east-1.amazonaws.com (DNS): check the network connection and "
	    "the Region name", &c);
	expect(&r, "dns", "invoke", "network-dns");
	ok(r.network && r.could_not_check, "dns: network, not checked");
	r = run("proxy dns", ERR_NETWORK, 0, NULL, "cannot resolve the proxy "
	    "(check https_proxy): Could not resolve proxy: proxy.example",
	    &c);
	expect(&r, "proxy dns", "invoke", "network-proxy-dns");
	ok(r.network && r.could_not_check && has(r.cause, "proxy") &&
	    !has(r.cause, "AWS endpoint") && has(r.fix, "https_proxy") &&
	    !has(r.fix, "Region name"), "proxy dns: the proxy is blamed, not "
	    "the Region");
	base_ctx(&c, DIAGNOSE_OP_CALLER_IDENTITY);
	r = run("refused", ERR_NETWORK, 0, NULL, "cannot connect to "
	    "sts.us-east-1.amazonaws.com: Connection refused", &c);
	expect(&r, "refused", "credentials", "network");
	ok(r.network && r.retry, "refused: network, retry");
	base_ctx(&c, DIAGNOSE_OP_LIST_MODELS);
	r = run("timeout", ERR_TIMEOUT, 0, NULL, "no answer from "
	    "bedrock.us-east-1.amazonaws.com in time", &c);
	expect(&r, "timeout", "region", "network-timeout");
	base_ctx(&c, DIAGNOSE_OP_CREDENTIALS);
	c.aws_profile = "nope";
	err_clear(&e);
	err_set(&e, ERR_CONFIG, "profile nope (from AWS_PROFILE) was not "
	    "found in ~/.aws/config or ~/.aws/credentials; the profiles there "
	    "are: default, dev");
	err_where(&e, "AWS_PROFILE");
	is_int(diagnose_err(&e, &c, &r), 0, "no profile: diagnosed");
	expect(&r, "no profile", "credentials", "credentials-no-profile");
	ok(has(r.cause, "the profiles there are: default, dev") &&
	    has(r.fix, "Name a profile that exists in AWS_PROFILE") &&
	    has(r.fix, "`aws configure --profile nope`") &&
	    has(r.fix, "`aws configure sso --profile nope`") &&
	    !has_tag(r.fix), "no profile: use one that exists, or create it");
	base_ctx(&c, DIAGNOSE_OP_CALLER_IDENTITY);
	c.aws_profile = "dev";
	err_clear(&e);
	err_set(&e, ERR_USAGE, "plain http:// is only accepted for loopback "
	    "addresses, not for '10.0.0.1'; use https://");
	err_where(&e, "AWS_ENDPOINT_URL");
	is_int(diagnose_err(&e, &c, &r), 0, "http endpoint: diagnosed");
	expect(&r, "http endpoint", "credentials", "endpoint-refused");
	ok(has(r.cause, "The endpoint URL from AWS_ENDPOINT_URL cannot be "
	    "used") && has(r.cause, "'10.0.0.1'") && has(r.fix,
	    "https:// URL in AWS_ENDPOINT_URL") && !has(r.fix,
	    "aws configure") && r.could_not_check && !has_tag(r.cause) &&
	    !has_tag(r.fix), "http endpoint: the setting is blamed, not the "
	    "credentials");
	base_ctx(&c, DIAGNOSE_OP_CALLER_IDENTITY);
	r = run("sts throttled", ERR_AWS, 400, "Throttling", "Rate exceeded",
	    &c);
	expect(&r, "sts throttled", "credentials", "throttled-api");
	ok(r.could_not_check && r.retry && has(r.cause, "GetCallerIdentity") &&
	    !has(r.cause, "model") && !has(r.fix, "Service Quotas") &&
	    !has(r.fix, "inference profile"),
	    "sts throttled: not a model quota; the check could not run");
	base_ctx(&c, DIAGNOSE_OP_AVAILABILITY);
	r = run("availability throttled", ERR_AWS, 429, "ThrottlingException",
	    "Too many requests, please wait before trying again.", &c);
	expect(&r, "availability throttled", "model_access", "throttled-api");
	base_ctx(&c, DIAGNOSE_OP_CREDENTIALS);
	c.aws_profile = "dev";
	r = run("process hangs", ERR_TIMEOUT, 0, NULL, "credential_process "
	    "of profile dev did not finish within 30 seconds and was stopped; "
	    "check the command, or whether it waits for input", &c);
	expect(&r, "process hangs", "credentials",
	    "credentials-process-timeout");
	ok(has(r.cause, "credential_process of profile dev did not finish") &&
	    !has(r.cause, "AWS did not answer") && has(r.fix,
	    "Run the command by hand") && has(r.fix, "--profile dev") &&
	    !r.network && !r.could_not_check,
	    "process hangs: the command is blamed, not the network");
	base_ctx(&c, DIAGNOSE_OP_CREDENTIALS);
	r = run("question", ERR_CONFIG, 0, NULL, "~/.aws/config line 2: the "
	    "line contains a NUL byte; is this a text file?", &c);
	ok(has(r.cause, "is this a text file?") && !has(r.cause, "?.") &&
	    r.cause[strlen(r.cause) - 1] == '?', "a detail that asks a "
	    "question takes no period after its question mark");
	r = run("sentence", ERR_CONFIG, 0, NULL, "the file is damaged.", &c);
	ok(has(r.cause, "the file is damaged.") && !has(r.cause, ".."),
	    "a detail that ends with a period gets one period");
	base_ctx(&c, DIAGNOSE_OP_AVAILABILITY);
	r = run("tls", ERR_TLS, 0, NULL, "TLS failure talking to "
	    "bedrock.us-east-1.amazonaws.com: certificate", &c);
	expect(&r, "tls", "model_access", "network-tls");
	ok(has(r.fix, "AWS_CA_BUNDLE") && r.could_not_check,
	    "tls: CA bundle advice");
	r = run("bad bundle", ERR_TLS, 0, NULL, "the CA bundle /etc/x.pem "
	    "holds no certificate that can be used (error setting "
	    "certificate file: /etc/x.pem): it must be a file of PEM "
	    "certificates", &c);
	expect(&r, "bad bundle", "model_access", "tls-ca-bundle");
	ok(has(r.cause, "/etc/x.pem") && has(r.fix, "PEM") && has(r.fix,
	    "unset it") && !r.network && r.could_not_check, "bad bundle: "
	    "the file is named, not the network blamed");

	base_ctx(&c, DIAGNOSE_OP_AVAILABILITY);
	r = run("availability denied", ERR_AWS, 403, "AccessDeniedException",
	    "User: arn:aws:iam::123456789012:user/bob is not authorized to "
	    "perform: bedrock:GetFoundationModelAvailability on resource: * "
	    "because no identity-based policy allows the "
	    "bedrock:GetFoundationModelAvailability action", &c);
	expect(&r, "availability denied", "model_access", "check-denied");
	ok(r.could_not_check && has(r.cause, "could not run") && has(r.fix,
	    "bedrock:GetFoundationModelAvailability") && has(r.fix,
	    "arn:aws:iam::123456789012:user/bob"),
	    "availability denied: skipped, with the action to allow");
	base_ctx(&c, DIAGNOSE_OP_IAM_SIMULATE);
	r = run("simulate denied", ERR_AWS, 403, "AccessDenied",
	    "User: arn:aws:iam::123456789012:user/bob is not authorized to "
	    "perform: iam:SimulatePrincipalPolicy on resource: user bob", &c);
	expect(&r, "simulate denied", "iam", "check-denied");
	ok(r.could_not_check && has(r.fix, "iam:SimulatePrincipalPolicy"),
	    "simulate denied: skipped, names the action");
}

static void
test_fallbacks(void)
{
	struct diagnose_ctx	 c;
	struct diagnose_result	 r;
	struct err		 e;

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	r = run("unknown", ERR_AWS, 418, "TeapotException", "short and stout",
	    &c);
	expect(&r, "unknown", "invoke", "unexplained");
	ok(has(r.cause, "TeapotException") && has(r.cause, "HTTP 418") &&
	    has(r.cause, "Converse") && !has(r.cause, "short and stout"),
	    "unknown: code and status, not the raw message");
	r = run("protocol", ERR_PROTOCOL, 0, NULL, "malformed event stream",
	    &c);
	expect(&r, "protocol", "invoke", "unexplained");
	ok(has(r.cause, "malformed event stream"), "protocol: our message");
	base_ctx(&c, DIAGNOSE_OP_CALLER_IDENTITY);
	r = run("sts unknown", ERR_AWS, 400, "OddError", "odd", &c);
	expect(&r, "sts unknown", "credentials", "credentials-failed");
	base_ctx(&c, DIAGNOSE_OP_LIST_PROFILES);
	r = run("list unknown", ERR_AWS, 400, "OddError", "odd", &c);
	expect(&r, "list unknown", "region", "check-failed");
	ok(r.could_not_check, "list unknown: could not check");
	r = run("cancelled", ERR_CANCELLED, 0, NULL, "stopped", &c);
	expect(&r, "cancelled", "region", "cancelled");

	r = run("no context", ERR_AWS, 403, "AccessDeniedException",
	    "You don't have access to the model with the specified model ID.",
	    NULL);
	expect(&r, "no context", "model_access", "no-model-access");
	ok(has(r.fix, "--region <REGION>") && has(r.fix,
	    "--model-id <MODEL_ID>"), "no context: placeholders");

	err_clear(&e);
	is_int(diagnose_err(&e, &c, &r), -1, "ERR_NONE: nothing to diagnose");
	is_str(r.gate_id, "none", "ERR_NONE: gate none");
	is_int(diagnose_err(NULL, &c, &r), -1, "NULL: nothing to diagnose");
}

static void
test_secrets(void)
{
	struct diagnose_ctx	 c;
	struct diagnose_result	 r;
	struct err		 e;

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	/* A signature mismatch echoes the canonical request, token and all. */
	r = run("echo", ERR_AWS, 403, "InvalidSignatureException",
	    "The request signature we calculated does not match the signature "
	    "you provided. The Canonical String for this request should have "
	    "been 'POST\n/model/x/converse\n\nhost:bedrock-runtime.us-east-1."
	    "amazonaws.com\nx-amz-security-token:" SECRET "\n'", &c);
	expect(&r, "echo", "credentials", "signature-mismatch");
	/* Even when a caller puts it where text is copied. */
	c.aws_profile = SECRET;
	c.sso = 1;
	r = run("profile", ERR_AWS, 403, "ExpiredTokenException", "expired",
	    &c);
	ok(has(r.fix, "--profile ****"), "profile: masked, not dropped");
	base_ctx(&c, DIAGNOSE_OP_CREDENTIALS);
	r = run("detail", ERR_CREDENTIALS, 0, NULL, "token " SECRET
	    " was refused", &c);
	ok(has(r.cause, "token **** was refused"), "detail: masked");
	c.op = DIAGNOSE_OP_CONVERSE;
	r = run("iam resource", ERR_AWS, 403, "AccessDeniedException",
	    "User: x is not authorized to perform: bedrock:InvokeModel on "
	    "resource: " SECRET, &c);
	expect(&r, "iam resource", "iam", "iam-denied");

	/* Without the secret in the context, nothing is masked. */
	c.nsecrets = 0;
	err_clear(&e);
	err_set(&e, ERR_CREDENTIALS, "%s", "token T0KEN was refused");
	diagnose_err(&e, &c, &r);
	ok(has(r.cause, "T0KEN"), "no secrets listed: text unchanged");
}

/* The message made safe to show: what AWS echoes of a request goes. */
static void
test_safe_message(void)
{
	struct diagnose_ctx	 c;
	struct err		 e;
	char			 out[256];

	base_ctx(&c, DIAGNOSE_OP_CONVERSE_STREAM);
	err_clear(&e);
	diagnose_safe_message(&e, &c, out, sizeof out);
	is_str(out, "", "safe message: nothing for no error");
	err_set_aws(&e, 403, "InvalidSignatureException", "The request "
	    "signature we calculated does not match the signature you "
	    "provided. The Canonical String for this request should have "
	    "been 'POST\n/model/x/converse\nx-amz-security-token:" SECRET
	    "\n'", NULL);
	diagnose_safe_message(&e, &c, out, sizeof out);
	is_str(out, "The request signature we calculated does not match the "
	    "signature you provided.", "safe message: the echo is cut");
	err_set_aws(&e, 400, "IncompleteSignatureException", "Authorization "
	    "header requires 'SignedHeaders'. Authorization=AWS4-HMAC-SHA256 "
	    "Credential=AKIDEXAMPLE/20250101/us-east-1/bedrock/aws4_request",
	    NULL);
	diagnose_safe_message(&e, &c, out, sizeof out);
	is_str(out, "Authorization header requires 'SignedHeaders'.",
	    "safe message: an echoed Authorization header is cut");
	err_set_aws(&e, 403, "X", "token " SECRET " and sig "
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	    " end\tx", NULL);
	diagnose_safe_message(&e, &c, out, sizeof out);
	is_str(out, "token **** and sig **** end x",
	    "safe message: secrets and signatures masked, tabs made spaces");
	err_set_aws(&e, 429, "ThrottlingException", "Too many tokens per day, "
	    "please wait before trying again.", NULL);
	diagnose_safe_message(&e, &c, out, 20);
	is_str(out, "Too many tokens per", "safe message: cut to the size");

	/* Without a context: tokens are still masked by their look. */
	err_set_aws(&e, 403, "UnrecognizedClientException", "The security "
	    "token included in the request is invalid: Bearer " BEARER
	    ", or " SECRET, NULL);
	diagnose_safe_message(&e, NULL, out, sizeof out);
	is_str(out, "The security token included in the request is invalid: "
	    "Bearer ****, or ****", "safe message: a bearer or session token "
	    "is masked with no secrets listed");
	err_set_aws(&e, 400, "ValidationException", "Bad request. "
	    "Authorization: Bearer short-key", NULL);
	diagnose_safe_message(&e, NULL, out, sizeof out);
	is_str(out, "Bad request.", "safe message: an echoed Authorization "
	    "header line is cut");
	err_set_aws(&e, 400, "ValidationException", "The provided model "
	    "identifier arn:aws:bedrock:us-east-1::foundation-model/"
	    FM_37 " is invalid (request 0a1b2c3d-4e5f-6789-abcd-ef0123456789)",
	    NULL);
	diagnose_safe_message(&e, NULL, out, sizeof out);
	is_str(out, e.message, "safe message: ARNs, model ids and request "
	    "ids are kept");
}

static const char *
fake_tr(const char *msgid)
{
	if (strncmp(msgid, "Anthropic models need", 21) == 0)
		return "[tr] form missing in {region}{?opt_in} (opt-in){/}";
	if (strcmp(msgid, "Provider terms") == 0)
		return "[tr] terms";
	if (strncmp(msgid, "profile %s (from %s) was not found", 34) == 0)
		return "[tr] Profil %s (aus %s) fehlt";
	return msgid;
}

static void
test_translation_and_ids(void)
{
	struct diagnose_ctx	 c;
	struct diagnose_result	 r;
	int			 g;

	base_ctx(&c, DIAGNOSE_OP_CONVERSE);
	core_set_translator(fake_tr);
	r = run("translated", ERR_AWS, 404, "FTUFormNotFilled", "", &c);
	core_set_translator(NULL);
	is_str(r.cause, "[tr] form missing in us-east-1",
	    "translated: the template goes through core_tr");

	/* Our own message in another language still meets its rule: rules
	   match the English template (err->msgid), not only the text. */
	{
		struct err	 e;

		base_ctx(&c, DIAGNOSE_OP_CREDENTIALS);
		core_set_translator(fake_tr);
		err_clear(&e);
		err_set(&e, ERR_CONFIG, N_("profile %s (from %s) was not found "
		    "in the config files"), "nope", "AWS_PROFILE");
		diagnose_err(&e, &c, &r);
		core_set_translator(NULL);
		is_str(e.message, "[tr] Profil nope (aus AWS_PROFILE) fehlt",
		    "translated: the message is in the user's language");
		is_str(r.rule, "credentials-no-profile",
		    "translated: the rule still matches the English template");
	}

	for (g = DIAGNOSE_GATE_CREDENTIALS; g < DIAGNOSE_GATE_COUNT; g++)
		is_int(diagnose_gate_from_id(diagnose_gate_id(
		    (enum diagnose_gate)g)), g, "gate id %s round-trips",
		    diagnose_gate_id((enum diagnose_gate)g));
	is_int(diagnose_gate_from_id("nope"), DIAGNOSE_GATE_NONE,
	    "unknown gate id");
	is_str(diagnose_gate_name(DIAGNOSE_GATE_TERMS), "Provider terms",
	    "gate name");
	is_str(diagnose_op_name(DIAGNOSE_OP_AVAILABILITY),
	    "GetFoundationModelAvailability", "op name");
	is_str(diagnose_op_name((enum diagnose_op)999), "Bedrock",
	    "op name out of range");
}

int
main(void)
{
	secret = secret_from_str(SECRET);
	test_iam();
	test_scp();
	test_model_access();
	test_account_not_authorized();
	test_terms();
	test_region();
	test_credentials();
	test_bearer();
	test_invoke();
	test_network_and_checks();
	test_fallbacks();
	test_secrets();
	test_safe_message();
	test_translation_and_ids();
	secret_free(secret);
	return tap_done();
}
