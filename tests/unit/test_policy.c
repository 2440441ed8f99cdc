/*
 * test_policy.c: the least-privilege policy engine, its explanations and
 * its lint.
 *
 * Usage: test_policy GOLDEN_DIR   (tests/golden/policy in the source tree)
 *
 * Each golden case builds a policy, compares json_print_pretty(doc, 2)
 * byte for byte with GOLDEN_DIR/<case>.json, then parses the golden file
 * and checks it statement by statement against the expectations written
 * below (from bedrock-facts.md 1.3 to 1.5), so a wrong golden file fails
 * too.  To rewrite the golden files after a deliberate change:
 *
 *     BS_UPDATE_GOLDEN=1 tests/unit/test_policy tests/golden/policy
 *
 * then read the diff by hand before committing it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "catalog.h"
#include "err.h"
#include "json.h"
#include "policy.h"
#include "resolve.h"
#include "tap.h"

#define ACCOUNT		"111122223333"
#define PH		RESOLVE_ACCOUNT_PLACEHOLDER
#define MICRO		"amazon.nova-micro-v1:0"
#define LITE		"amazon.nova-lite-v1:0"
#define SONNET45	"anthropic.claude-sonnet-4-5-20250929-v1:0"
#define SONNET46	"anthropic.claude-sonnet-4-6"
#define HAIKU45		"anthropic.claude-haiku-4-5-20251001-v1:0"
#define FM(r, m)	"arn:aws:bedrock:" r "::foundation-model/" m
#define GOVFM(r, m)	"arn:aws-us-gov:bedrock:" r "::foundation-model/" m
#define IP(r, a, p)	"arn:aws:bedrock:" r ":" a ":inference-profile/" p
#define APP_ARN		"arn:aws:bedrock:us-east-1:" ACCOUNT \
			":application-inference-profile/aaa1234"
#define PROV_ARN	"arn:aws:bedrock:us-east-1:" ACCOUNT \
			":provisioned-model/abcdefgh1234"
#define INVOKE		"bedrock:InvokeModel " \
			"bedrock:InvokeModelWithResponseStream"

static const struct catalog	*cat;
static const char		*golden_dir;
static int			 update_golden;

static const char *const us3[] = { "us-east-1", "us-east-2", "us-west-2" };

/* What one statement must hold; lists are space-separated. */
struct want {
	const char	*sid;
	const char	*actions;
	const char	*resources;	/* "*" for the string "*" */
	const char	*regions;	/* aws:RequestedRegion, or NULL */
	const char	*profiles;	/* InferenceProfileArn or NULL */
};

/* A string or array of strings joined with spaces; NULL when absent. */
static char *
joined(const struct json *v)
{
	struct buf	 b;
	size_t		 i;

	if (v == NULL)
		return NULL;
	buf_init(&b, 0);
	if (json_is_string(v))
		buf_addstr(&b, json_str(v));
	for (i = 0; json_is_array(v) && i < json_len(v); i++)
		buf_printf(&b, "%s%s", i > 0 ? " " : "",
		    json_str(json_at(v, i)) ? json_str(json_at(v, i)) : "?");
	return buf_take(&b, NULL);
}

static void
is_joined(const struct json *v, const char *want, const char *what,
    const char *name, const char *sid)
{
	char	*got = joined(v);

	is_str(got, want, "%s %s: %s", name, sid, what);
	free(got);
}

/* Check a parsed document against the expected statements. */
static void
check_doc(const char *name, const struct json *doc, const struct want *w,
    size_t nw)
{
	const struct json	*sts = json_get(doc, "Statement");
	size_t			 i;

	is_str(json_get_str(doc, "Version"), "2012-10-17", "%s: Version",
	    name);
	is_int(json_len(sts), nw, "%s: %zu statements", name, nw);
	for (i = 0; i < nw && i < json_len(sts); i++) {
		const struct json *st = json_at(sts, i);
		const struct json *eq = json_path(st, "Condition",
		    "StringEquals", NULL);
		const struct json *cond = json_get(st, "Condition");

		is_str(json_get_str(st, "Sid"), w[i].sid, "%s: statement %zu "
		    "Sid", name, i + 1);
		is_str(json_get_str(st, "Effect"), "Allow", "%s %s: Allow",
		    name, w[i].sid);
		is_joined(json_get(st, "Action"), w[i].actions, "actions",
		    name, w[i].sid);
		if (strcmp(w[i].resources, "*") == 0)
			is_str(json_get_str(st, "Resource"), "*",
			    "%s %s: Resource \"*\"", name, w[i].sid);
		else
			ok(json_is_array(json_get(st, "Resource")),
			    "%s %s: Resource is a list", name, w[i].sid);
		is_joined(json_get(st, "Resource"), w[i].resources,
		    "resources", name, w[i].sid);
		is_joined(json_get(eq, "aws:RequestedRegion"), w[i].regions,
		    "aws:RequestedRegion", name, w[i].sid);
		is_joined(json_get(eq, "bedrock:InferenceProfileArn"),
		    w[i].profiles, "bedrock:InferenceProfileArn", name,
		    w[i].sid);
		is_int(json_len(eq), (w[i].regions != NULL) +
		    (w[i].profiles != NULL), "%s %s: no other condition key",
		    name, w[i].sid);
		is_int(json_len(cond), eq != NULL, "%s %s: no other "
		    "condition operator", name, w[i].sid);
	}
}

static char *
read_text(const char *path)
{
	FILE		*f = fopen(path, "rb");
	struct buf	 b;
	char		 chunk[4096];
	size_t		 n;

	if (f == NULL)
		return NULL;
	buf_init(&b, 1024 * 1024);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_add(&b, chunk, n) == -1)
			break;
	fclose(f);
	if (b.data == NULL)
		buf_addstr(&b, "");
	return buf_take(&b, NULL);
}

static int
write_text(const char *path, const char *text)
{
	FILE	*f = fopen(path, "wb");
	int	 rc;

	if (f == NULL)
		return -1;
	rc = fputs(text, f) < 0 ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/*
 * Build, compare with (or rewrite) the golden file, check the golden file
 * and the built document against the expectations, lint and explain.
 */
static void
golden(const char *name, const struct policy_input *in, const struct want *w,
    size_t nw, size_t want_warnings)
{
	struct policy_findings	 f;
	struct policy_notes	 notes;
	struct json		*doc, *gdoc;
	struct err		 e;
	char			 path[1024], *text, *gold;
	size_t			 i, first;

	snprintf(path, sizeof path, "%s/%s.json", golden_dir, name);
	err_clear(&e);
	doc = policy_build(in, &e);
	if (!ok(doc != NULL, "%s: builds", name)) {
		printf("#   %s\n", e.message);
		return;
	}
	text = json_print_pretty(doc, 2);
	if (update_golden) {
		ok(write_text(path, text) == 0, "%s: golden file rewritten "
		    "(%s)", name, path);
	}
	gold = read_text(path);
	if (!ok(gold != NULL, "%s: golden file %s readable", name, path)) {
		printf("#   %s\n", strerror(errno));
	} else if (!ok(strcmp(gold, text) == 0, "%s: output equals the "
	    "golden file byte for byte", name)) {
		printf("# got:\n%s", text);
	}
	gdoc = gold != NULL ? json_parse(gold, 0, &e) : NULL;
	ok(gdoc != NULL, "%s: golden file parses", name);
	if (gdoc != NULL)
		check_doc(name, gdoc, w, nw);
	json_free(gdoc);
	check_doc(name, doc, w, nw);

	policy_lint(cat, doc, &f);
	is_int(f.errors, 0, "%s: lint finds no error", name);
	is_int(f.warnings, want_warnings, "%s: lint warnings", name);
	for (i = 0; i < f.n; i++)
		if (f.v[i].severity != POLICY_INFO)
			printf("#   %s [%s] %s\n", policy_severity_name(
			    f.v[i].severity), f.v[i].sid, f.v[i].message);
	policy_findings_free(&f);

	policy_explain(doc, &notes);
	first = in->account == NULL ? 1 : 0;
	is_int(notes.n, nw + first, "%s: one note per statement%s", name,
	    first ? " and one for the placeholder" : "");
	if (first && notes.n > 0)
		ok(strstr(notes.v[0].text, PH) != NULL, "%s: the first note "
		    "calls out %s", name, PH);
	for (i = 0; i < nw && i + first < notes.n; i++)
		ok(strcmp(notes.v[i + first].sid, w[i].sid) == 0 &&
		    strlen(notes.v[i + first].text) > 40, "%s: note for %s",
		    name, w[i].sid);
	policy_notes_free(&notes);

	free(gold);
	free(text);
	json_free(doc);
}

#define NW(w)	(sizeof (w) / sizeof (w)[0])

/* ------------------------------------------------------------------ */

static void
test_golden_on_demand(void)
{
	struct policy_model	 m = { .kind = RESOLVE_ON_DEMAND,
	    .model_id = MICRO };
	struct policy_input	 in;
	static const struct want w[] = {
		{ "InvokeOnDemandModels", INVOKE, FM("us-east-1", MICRO),
		    NULL, NULL },
	};

	policy_input_init(&in, "us-east-1", ACCOUNT);
	in.models = &m;
	in.nmodels = 1;
	golden("on_demand", &in, w, NW(w), 0);
}

/* Facts 1.5's AWS example, with the streaming action added. */
static void
test_golden_geo(void)
{
	struct policy_model	 m = { .kind = RESOLVE_GEO_PROFILE,
	    .model_id = SONNET45, .profile_id = "us." SONNET45,
	    .destinations = us3, .ndestinations = 3 };
	struct policy_input	 in;
	static const struct want w[] = {
		{ "InvokeThroughInferenceProfiles", INVOKE,
		    IP("us-east-1", PH, "us." SONNET45), NULL, NULL },
		{ "InvokeModelsInProfileRegions", INVOKE,
		    FM("us-east-1", SONNET45) " " FM("us-east-2", SONNET45)
		    " " FM("us-west-2", SONNET45), NULL,
		    IP("us-east-1", PH, "us." SONNET45) },
	};

	policy_input_init(&in, "us-east-1", NULL);
	in.models = &m;
	in.nmodels = 1;
	golden("geo_profile", &in, w, NW(w), 0);
}

/* Facts 1.5's three-part global policy. */
static void
test_golden_global(void)
{
	struct policy_model	 m = { .kind = RESOLVE_GLOBAL_PROFILE,
	    .model_id = SONNET45, .profile_id = "global." SONNET45 };
	struct policy_input	 in;
	static const struct want w[] = {
		{ "InvokeThroughGlobalProfiles", INVOKE,
		    IP("us-east-1", ACCOUNT, "global." SONNET45),
		    "us-east-1", NULL },
		{ "InvokeGlobalProfileModelsInSourceRegion", INVOKE,
		    FM("us-east-1", SONNET45), "us-east-1",
		    IP("us-east-1", ACCOUNT, "global." SONNET45) },
		{ "InvokeGlobalProfileModels", INVOKE,
		    "arn:aws:bedrock:::foundation-model/" SONNET45,
		    "unspecified",
		    IP("us-east-1", ACCOUNT, "global." SONNET45) },
	};

	policy_input_init(&in, "us-east-1", ACCOUNT);
	in.models = &m;
	in.nmodels = 1;
	golden("global_profile", &in, w, NW(w), 0);
}

static void
test_golden_app_profile(void)
{
	struct policy_model	 m = { .kind = RESOLVE_APP_PROFILE,
	    .model_id = HAIKU45, .arn = APP_ARN,
	    .destinations = us3, .ndestinations = 3 };
	struct policy_input	 in;
	static const struct want w[] = {
		{ "InvokeThroughInferenceProfiles", INVOKE, APP_ARN, NULL,
		    NULL },
		{ "InvokeModelsInProfileRegions", INVOKE,
		    FM("us-east-1", HAIKU45) " " FM("us-east-2", HAIKU45)
		    " " FM("us-west-2", HAIKU45), NULL, APP_ARN },
	};

	policy_input_init(&in, "us-east-1", ACCOUNT);
	in.models = &m;
	in.nmodels = 1;
	golden("app_profile", &in, w, NW(w), 0);
}

/* Several models at once, given in a messy order with duplicates. */
static const char *const us_messy[] = { "us-west-2", "us-east-1",
    "us-east-2", "us-west-2" };
static const struct policy_model several[] = {
	{ .kind = RESOLVE_GLOBAL_PROFILE, .profile_id = "global." SONNET46 },
	{ .kind = RESOLVE_ON_DEMAND, .model_id = MICRO },
	{ .kind = RESOLVE_GEO_PROFILE, .model_id = HAIKU45,
	    .profile_id = "us." HAIKU45, .destinations = us_messy,
	    .ndestinations = 4 },
	{ .kind = RESOLVE_PROVISIONED, .arn = PROV_ARN },
	{ .kind = RESOLVE_ON_DEMAND, .model_id = LITE },
	{ .kind = RESOLVE_GEO_PROFILE, .model_id = SONNET45,
	    .profile_id = "us." SONNET45, .destinations = us3,
	    .ndestinations = 3 },
	{ .kind = RESOLVE_ON_DEMAND, .model_id = MICRO },
};

static const struct want several_w[] = {
	{ "InvokeOnDemandModels", INVOKE,
	    FM("us-east-1", LITE) " " FM("us-east-1", MICRO), NULL, NULL },
	{ "InvokeProvisionedModels", INVOKE, PROV_ARN, NULL, NULL },
	{ "InvokeThroughInferenceProfiles", INVOKE,
	    IP("us-east-1", ACCOUNT, "us." HAIKU45) " "
	    IP("us-east-1", ACCOUNT, "us." SONNET45), NULL, NULL },
	{ "InvokeModelsInProfileRegions", INVOKE,
	    FM("us-east-1", HAIKU45) " " FM("us-east-1", SONNET45) " "
	    FM("us-east-2", HAIKU45) " " FM("us-east-2", SONNET45) " "
	    FM("us-west-2", HAIKU45) " " FM("us-west-2", SONNET45), NULL,
	    IP("us-east-1", ACCOUNT, "us." HAIKU45) " "
	    IP("us-east-1", ACCOUNT, "us." SONNET45) },
	{ "InvokeThroughGlobalProfiles", INVOKE,
	    IP("us-east-1", ACCOUNT, "global." SONNET46), "us-east-1", NULL },
	{ "InvokeGlobalProfileModelsInSourceRegion", INVOKE,
	    FM("us-east-1", SONNET46), "us-east-1",
	    IP("us-east-1", ACCOUNT, "global." SONNET46) },
	{ "InvokeGlobalProfileModels", INVOKE,
	    "arn:aws:bedrock:::foundation-model/" SONNET46, "unspecified",
	    IP("us-east-1", ACCOUNT, "global." SONNET46) },
};

static void
test_golden_several(void)
{
	struct policy_input	 in;

	policy_input_init(&in, "us-east-1", ACCOUNT);
	in.models = several;
	in.nmodels = sizeof several / sizeof several[0];
	golden("several_models", &in, several_w, NW(several_w), 0);
}

static void
test_golden_govcloud(void)
{
	static const char *const gov[] = { "us-gov-west-1", "us-gov-east-1" };
	struct policy_model	 m[] = {
		{ .kind = RESOLVE_GEO_PROFILE, .model_id = SONNET45,
		    .profile_id = "us-gov." SONNET45, .destinations = gov,
		    .ndestinations = 2 },
		{ .kind = RESOLVE_ON_DEMAND, .model_id = LITE },
	};
	struct policy_input	 in;
	static const struct want w[] = {
		{ "InvokeOnDemandModels", INVOKE, GOVFM("us-gov-west-1", LITE),
		    NULL, NULL },
		{ "InvokeThroughInferenceProfiles", INVOKE,
		    "arn:aws-us-gov:bedrock:us-gov-west-1:" ACCOUNT
		    ":inference-profile/us-gov." SONNET45, NULL, NULL },
		{ "InvokeModelsInProfileRegions", INVOKE,
		    GOVFM("us-gov-east-1", SONNET45) " "
		    GOVFM("us-gov-west-1", SONNET45), NULL,
		    "arn:aws-us-gov:bedrock:us-gov-west-1:" ACCOUNT
		    ":inference-profile/us-gov." SONNET45 },
	};

	policy_input_init(&in, "us-gov-west-1", ACCOUNT);
	in.models = m;
	in.nmodels = 2;
	golden("govcloud", &in, w, NW(w), 0);
}

static void
test_golden_streaming_off(void)
{
	struct policy_model	 m = { .kind = RESOLVE_ON_DEMAND,
	    .model_id = MICRO };
	struct policy_input	 in;
	static const struct want w[] = {
		{ "InvokeOnDemandModels", "bedrock:InvokeModel",
		    FM("eu-west-2", MICRO), NULL, NULL },
	};

	policy_input_init(&in, "eu-west-2", ACCOUNT);
	in.models = &m;
	in.nmodels = 1;
	in.streaming = 0;
	/* The lint warns that ConverseStream will be denied. */
	golden("streaming_off", &in, w, NW(w), 1);
}

static void
test_golden_all_extras(void)
{
	struct policy_model	 m[] = {
		{ .kind = RESOLVE_GEO_PROFILE, .model_id = SONNET45,
		    .profile_id = "us." SONNET45, .destinations = us3,
		    .ndestinations = 3 },
		{ .kind = RESOLVE_GLOBAL_PROFILE, .model_id = HAIKU45,
		    .profile_id = "global." HAIKU45 },
	};
	struct policy_input	 in;
#define ALL_REGIONS	"unspecified us-east-1 us-east-2 us-west-2"
	static const struct want w[] = {
		{ "InvokeThroughInferenceProfiles", INVOKE,
		    IP("us-east-1", PH, "us." SONNET45), ALL_REGIONS, NULL },
		{ "InvokeModelsInProfileRegions", INVOKE,
		    FM("us-east-1", SONNET45) " " FM("us-east-2", SONNET45)
		    " " FM("us-west-2", SONNET45), ALL_REGIONS,
		    IP("us-east-1", PH, "us." SONNET45) },
		{ "InvokeThroughGlobalProfiles", INVOKE,
		    IP("us-east-1", PH, "global." HAIKU45), "us-east-1", NULL },
		{ "InvokeGlobalProfileModelsInSourceRegion", INVOKE,
		    FM("us-east-1", HAIKU45), "us-east-1",
		    IP("us-east-1", PH, "global." HAIKU45) },
		{ "InvokeGlobalProfileModels", INVOKE,
		    "arn:aws:bedrock:::foundation-model/" HAIKU45,
		    "unspecified", IP("us-east-1", PH, "global." HAIKU45) },
		{ "DiscoverModels", "bedrock:GetFoundationModelAvailability "
		    "bedrock:GetUseCaseForModelAccess "
		    "bedrock:ListFoundationModelAgreementOffers "
		    "bedrock:ListFoundationModels "
		    "bedrock:ListInferenceProfiles", "*", "us-east-1", NULL },
		{ "DescribeFoundationModels", "bedrock:GetFoundationModel",
		    "arn:aws:bedrock:*::foundation-model/*", "us-east-1",
		    NULL },
		{ "DescribeInferenceProfiles", "bedrock:GetInferenceProfile",
		    "arn:aws:bedrock:*:" PH ":application-inference-profile/* "
		    "arn:aws:bedrock:*:" PH ":inference-profile/*", "us-east-1",
		    NULL },
		{ "EnableModelsOnce", "aws-marketplace:Subscribe "
		    "aws-marketplace:Unsubscribe "
		    "aws-marketplace:ViewSubscriptions "
		    "bedrock:CreateFoundationModelAgreement "
		    "bedrock:PutUseCaseForModelAccess", "*", NULL, NULL },
		{ "UseBedrockApiKeys", "bedrock:CallWithBearerToken", "*",
		    "us-east-1", NULL },
	};

	policy_input_init(&in, "us-east-1", NULL);
	in.models = m;
	in.nmodels = 2;
	in.with_discovery = in.with_enablement = in.with_api_keys = 1;
	in.restrict_region = 1;
	golden("all_extras", &in, w, NW(w), 0);
}

/* ------------------------------------------------------------------ */

static char *
build_text(const struct policy_input *in)
{
	struct err	 e;
	struct json	*doc = policy_build(in, &e);
	char		*t;

	if (doc == NULL)
		return NULL;
	t = json_print_pretty(doc, 2);
	json_free(doc);
	return t;
}

static void
test_deterministic(void)
{
	struct policy_model	 rev[sizeof several / sizeof several[0]];
	struct policy_input	 in;
	size_t			 i, n = sizeof several / sizeof several[0];
	char			*a, *b, *c;

	for (i = 0; i < n; i++)
		rev[i] = several[n - 1 - i];
	policy_input_init(&in, "us-east-1", ACCOUNT);
	in.models = several;
	in.nmodels = n;
	a = build_text(&in);
	b = build_text(&in);
	in.models = rev;
	c = build_text(&in);
	ok(a != NULL && b != NULL && strcmp(a, b) == 0,
	    "equal input gives byte-identical output");
	ok(a != NULL && c != NULL && strcmp(a, c) == 0,
	    "the order of the models does not matter");
	free(a);
	free(b);
	free(c);
}

static void
test_build_options(void)
{
	struct policy_model	 m = { .kind = RESOLVE_GEO_PROFILE,
	    .model_id = SONNET45, .profile_id = "us." SONNET45,
	    .destinations = us3, .ndestinations = 3 };
	struct policy_model	 g = { .kind = RESOLVE_GLOBAL_PROFILE,
	    .profile_id = "global." SONNET45 };
	struct policy_input	 in;
	struct json		*doc;
	struct err		 e;
	char			*t;

	policy_input_init(&in, "us-east-1", ACCOUNT);
	in.models = &m;
	in.nmodels = 1;
	in.profile_condition = 0;
	doc = policy_build(&in, &e);
	t = doc != NULL ? json_print(doc) : NULL;
	ok(t != NULL && strstr(t, "bedrock:InferenceProfileArn") == NULL &&
	    strstr(t, "Condition") == NULL,
	    "profile_condition off: no condition on the FM statement");
	free(t);
	json_free(doc);

	in.models = &g;
	doc = policy_build(&in, &e);
	t = doc != NULL ? json_print(doc) : NULL;
	ok(t != NULL && strstr(t, "bedrock:InferenceProfileArn") == NULL &&
	    strstr(t, "\"aws:RequestedRegion\":\"unspecified\"") != NULL,
	    "global without the profile condition keeps "
	    "aws:RequestedRegion = unspecified");
	ok(t != NULL && strstr(t, "arn:aws:bedrock:::foundation-model/"
	    SONNET45) != NULL, "global without model_id takes the FM id from "
	    "the profile id");
	free(t);
	json_free(doc);

	policy_input_init(&in, "us-east-1", ACCOUNT);
	doc = policy_build(&in, &e);
	ok(doc != NULL && json_len(json_get(doc, "Statement")) == 0,
	    "no model and no extra: no statement");
	json_free(doc);
	in.with_api_keys = 1;
	in.restrict_region = 1;
	doc = policy_build(&in, &e);
	is_str(doc != NULL ? json_get_str(json_path(json_at(json_get(doc,
	    "Statement"), 0), "Condition", "StringEquals", NULL),
	    "aws:RequestedRegion") : NULL, "us-east-1",
	    "restrict_region with no model: the policy's Region");
	json_free(doc);
}

static void
test_build_errors(void)
{
	struct policy_model	 m = { .kind = RESOLVE_ON_DEMAND,
	    .model_id = MICRO };
	static const char *const bad[] = { "us-east-1", "us-gov-east-1" };
	struct policy_model	 g = { .kind = RESOLVE_GEO_PROFILE,
	    .profile_id = "us." MICRO, .destinations = bad,
	    .ndestinations = 2 };
	struct policy_input	 in;
	struct err		 e;

	policy_input_init(&in, "us-east-1", "1234");
	in.models = &m;
	in.nmodels = 1;
	err_clear(&e);
	ok(policy_build(&in, &e) == NULL && e.kind == ERR_USAGE,
	    "an account that is not 12 digits is refused");
	in.account = "11112222333a";
	ok(policy_build(&in, &e) == NULL, "an account with a letter is "
	    "refused");

	policy_input_init(&in, "us-east-1", ACCOUNT);
	in.models = &g;
	in.nmodels = 1;
	ok(policy_build(&in, &e) == NULL && strstr(e.message, "us-gov-east-1")
	    != NULL, "a destination in another partition is refused");
	policy_input_init(&in, "us-east-1", ACCOUNT);
	in.partition = "aws-us-gov";
	ok(policy_build(&in, &e) == NULL, "a Region outside the given "
	    "partition is refused");

	policy_input_init(&in, "nowhere", ACCOUNT);
	ok(policy_build(&in, &e) == NULL, "a bad Region is refused");
	policy_input_init(&in, NULL, ACCOUNT);
	ok(policy_build(&in, &e) == NULL, "no Region is refused");

	policy_input_init(&in, "us-east-1", ACCOUNT);
	in.models = &m;
	in.nmodels = 1;
	m.region = "us-gov-west-1";
	err_clear(&e);
	ok(policy_build(&in, &e) == NULL && strstr(e.message,
	    "partition") != NULL, "a model in another partition is refused");
	m.region = NULL;
	m.kind = RESOLVE_NONE;
	ok(policy_build(&in, &e) == NULL, "a model that cannot be called is "
	    "refused");
	m.kind = RESOLVE_ON_DEMAND;
	m.model_id = NULL;
	ok(policy_build(&in, &e) == NULL, "an on-demand model without id is "
	    "refused");
	m.kind = RESOLVE_GEO_PROFILE;
	ok(policy_build(&in, &e) == NULL, "a profile without id or ARN is "
	    "refused");
	m.kind = RESOLVE_PROVISIONED;
	ok(policy_build(&in, &e) == NULL, "a provisioned model without ARN "
	    "is refused");
}

/* Through resolve.h: the catalog view of us-east-1 and eu-west-1. */
static void
test_from_resolve(void)
{
	struct resolve_view	 v;
	struct resolve_result	 r;
	struct policy_model	 m;
	struct policy_input	 in;
	struct policy_findings	 f;
	struct json		*doc;
	struct err		 e;
	char			*t;
	size_t			 i;
	int			 all = 1;

	if (!ok(resolve_view_from_catalog(&v, cat, "eu-west-1", ACCOUNT,
	    &e) == 0, "catalog view of eu-west-1")) {
		resolve_view_free(&v);
		return;
	}
	ok(resolve_model(&v, cat, SONNET45, &r, &e) == 0 &&
	    r.kind == RESOLVE_GEO_PROFILE, "Sonnet 4.5 resolves to a "
	    "geographic profile in eu-west-1");
	policy_model_from_resolve(&m, &r);
	policy_input_init(&in, "eu-west-1", ACCOUNT);
	in.models = &m;
	in.nmodels = 1;
	doc = policy_build(&in, &e);
	t = doc != NULL ? json_print(doc) : NULL;
	ok(t != NULL && strstr(t, IP("eu-west-1", ACCOUNT, "eu." SONNET45))
	    != NULL, "the eu. profile ARN in the source Region");
	for (i = 0; t != NULL && i < r.ndestinations; i++) {
		char arn[256];

		snprintf(arn, sizeof arn, "arn:aws:bedrock:%s::"
		    "foundation-model/%s", r.destinations[i], SONNET45);
		if (strstr(t, arn) == NULL)
			all = 0;
	}
	ok(t != NULL && r.ndestinations >= 6 && all,
	    "the FM in every one of the %zu destinations", r.ndestinations);
	policy_lint(cat, doc, &f);
	is_int(f.errors, 0, "the resolved policy lints clean");
	policy_findings_free(&f);
	free(t);
	json_free(doc);
	resolve_result_free(&r);
	resolve_view_free(&v);
}

/* ------------------------------------------------------------------ */
/* Lint: one check per rule, on documents written by hand. */

/* Lint text; whether a finding of sev whose message holds needle exists. */
static int
lint_has(const char *text, enum policy_severity sev, const char *needle,
    size_t *errors)
{
	struct policy_findings	 f;
	struct json		*doc;
	struct err		 e;
	size_t			 i;
	int			 found = 0;

	if ((doc = json_parse(text, 0, &e)) == NULL) {
		printf("#   test document does not parse: %s\n", e.message);
		return 0;
	}
	policy_lint(cat, doc, &f);
	for (i = 0; i < f.n; i++)
		if (f.v[i].severity == sev && strstr(f.v[i].message, needle))
			found = 1;
	if (!found)
		for (i = 0; i < f.n; i++)
			printf("#   have %s [%s] %s\n", policy_severity_name(
			    f.v[i].severity), f.v[i].sid, f.v[i].message);
	if (errors != NULL)
		*errors = f.errors;
	policy_findings_free(&f);
	json_free(doc);
	return found;
}

#define DOC(stmts)	"{\"Version\":\"2012-10-17\",\"Statement\":[" stmts "]}"
#define ST(sid, act, res) "{\"Sid\":\"" sid "\",\"Effect\":\"Allow\"," \
			"\"Action\":" act ",\"Resource\":" res "}"
#define BOTH		"[\"bedrock:InvokeModel\"," \
			"\"bedrock:InvokeModelWithResponseStream\"]"

static void
test_lint_rules(void)
{
	size_t	 errs;

	ok(lint_has(DOC(ST("A", BOTH, "[\"" FM("us-east-1", MICRO) "\"]")),
	    POLICY_ERROR, "", &errs) == 0 && errs == 0,
	    "a correct hand-written policy has no error");
	ok(lint_has(DOC(ST("App", BOTH, "[\"arn:aws:bedrock:us-east-1:"
	    "111122223333:application-inference-profile/aaa1234\"]")),
	    POLICY_WARNING, "need the foundation models it routes to", NULL),
	    "an application profile without any foundation model: warning");
	ok(!lint_has(DOC(ST("App", BOTH, "[\"arn:aws:bedrock:us-east-1:"
	    "111122223333:application-inference-profile/aaa1234\",\""
	    FM("us-east-1", MICRO) "\"]")), POLICY_WARNING,
	    "need the foundation models it routes to", NULL),
	    "an application profile with its foundation model: no warning");
	ok(!lint_has(DOC(ST("App", BOTH, "[\"arn:aws:bedrock:us-east-1:"
	    "111122223333:application-inference-profile/aaa1234\","
	    "\"arn:aws:bedrock:*:*:*\"]")), POLICY_WARNING,
	    "need the foundation models it routes to", NULL) &&
	    !lint_has(DOC(ST("App", BOTH, "[\"arn:aws:bedrock:us-east-1:"
	    "111122223333:application-inference-profile/aaa1234\",\"*\"]")),
	    POLICY_WARNING, "need the foundation models it routes to", NULL),
	    "an application profile beside a wildcard that covers every "
	    "foundation model: no warning");
	ok(lint_has(DOC(ST("Conv", "[\"bedrock:Converse\","
	    "\"bedrock:InvokeModelWithResponseStream\"]",
	    "[\"" FM("us-east-1", MICRO) "\"]")), POLICY_ERROR,
	    "bedrock:Converse is not an IAM action", &errs) && errs >= 1,
	    "bedrock:Converse is an error");
	ok(lint_has(DOC(ST("Conv", "\"bedrock:ConverseStream\"",
	    "\"" FM("us-east-1", MICRO) "\"")), POLICY_ERROR,
	    "ConverseStream is not an IAM action", NULL),
	    "bedrock:ConverseStream is an error");
	ok(lint_has(DOC(ST("W", "[\"bedrock:Invoke*\"]",
	    "[\"" FM("us-east-1", MICRO) "\"]")), POLICY_ERROR,
	    "wildcard action", NULL), "a wildcard action is an error");
	ok(lint_has(DOC(ST("W", "\"*\"", "\"*\"")), POLICY_ERROR,
	    "wildcard action", NULL), "Action \"*\" is an error");
	ok(lint_has(DOC(ST("U", "[\"bedrock:InvokeAgent\"]", "\"*\"")),
	    POLICY_ERROR, "not in the catalog", NULL),
	    "an action the catalog does not list is an error");
	ok(lint_has("{\"Version\":\"2008-10-17\",\"Statement\":[" ST("A", BOTH,
	    "[\"" FM("us-east-1", MICRO) "\"]") "]}", POLICY_ERROR,
	    "Version must be", NULL), "an old Version is an error");
	ok(lint_has(DOC("{\"Sid\":\"A\",\"Effect\":\"allow\",\"Action\":"
	    BOTH ",\"Resource\":[\"" FM("us-east-1", MICRO) "\"]}"),
	    POLICY_ERROR, "Effect must be", NULL),
	    "Effect other than Allow/Deny is an error");
	ok(lint_has(DOC(ST("My-Sid", BOTH, "[\"" FM("us-east-1", MICRO)
	    "\"]")), POLICY_ERROR, "letters and digits", NULL),
	    "a Sid with a dash is an error");
	ok(lint_has(DOC(ST("A", BOTH, "[\"" FM("us-east-1", MICRO) "\"]") ","
	    ST("A", BOTH, "[\"" FM("us-east-2", MICRO) "\"]")), POLICY_ERROR,
	    "used by another statement", NULL), "a repeated Sid is an error");
	ok(lint_has(DOC(""), POLICY_ERROR, "no statement", NULL),
	    "a policy without statements is an error");

	/* ARN forms. */
	ok(lint_has(DOC(ST("A", BOTH, "[\"arn:aws:bedrock:us-east-1:" ACCOUNT
	    ":foundation-model/" MICRO "\"]")), POLICY_ERROR,
	    "empty account field", NULL),
	    "a foundation-model ARN with an account is an error");
	ok(lint_has(DOC(ST("A", BOTH, "[\"arn:aws:bedrock:us-east-1::"
	    "inference-profile/us." MICRO "\"]")), POLICY_ERROR,
	    "needs your account id", NULL),
	    "an inference-profile ARN without account is an error");
	ok(lint_has(DOC(ST("A", BOTH, "[\"arn:aws:bedrock::" ACCOUNT
	    ":inference-profile/us." MICRO "\"]")), POLICY_ERROR,
	    "needs a Region", NULL),
	    "an inference-profile ARN without Region is an error");
	ok(lint_has(DOC(ST("A", BOTH, "[\"" IP("us-east-1", "12345",
	    "us." MICRO) "\"]")), POLICY_ERROR, "not an account id", NULL),
	    "a short account id is an error");
	ok(lint_has(DOC(ST("A", BOTH, "[\"" IP("us-east-1", PH, "us." MICRO)
	    "\"]")), POLICY_INFO, PH, &errs) && errs == 0,
	    "the placeholder account is an info, not an error");
	ok(lint_has(DOC(ST("A", BOTH, "[\"" IP("us-east-1", "*", "us." MICRO)
	    "\"]")), POLICY_WARNING, "every account", NULL),
	    "account '*' is a warning");
	ok(lint_has(DOC(ST("A", BOTH, "[\"" FM("useast1", MICRO) "\"]")),
	    POLICY_ERROR, "not a Region name", NULL),
	    "a malformed Region is an error");
	ok(lint_has(DOC(ST("A", BOTH, "[\"" FM("us-gov-west-1", MICRO)
	    "\"]")), POLICY_ERROR, "not in the partition aws", NULL),
	    "a GovCloud Region in an aws ARN is an error");
	ok(lint_has(DOC(ST("A", BOTH, "[\"arn:aws-xx:bedrock:us-east-1::"
	    "foundation-model/" MICRO "\"]")), POLICY_ERROR,
	    "unknown partition", NULL), "an unknown partition is an error");
	ok(lint_has(DOC(ST("A", BOTH, "[\"arn:aws:bedrock:us-east-1:"
	    ACCOUNT ":agent/ABC\"]")), POLICY_ERROR, "matches no resource type",
	    NULL), "an ARN of an unknown resource type is an error");
	ok(lint_has(DOC(ST("A", BOTH, "[\"foundation-model/" MICRO "\"]")),
	    POLICY_ERROR, "is not an ARN", NULL),
	    "a resource that is not an ARN is an error");
	ok(lint_has(DOC(ST("A", BOTH, "[\"arn:aws:bedrock:::"
	    "foundation-model/" MICRO "\"]")), POLICY_ERROR, "", &errs) == 0 &&
	    errs == 0, "the Region-less global FM ARN is valid");

	/* Resource "*" and resource types. */
	ok(lint_has(DOC(ST("A", BOTH, "\"*\"")), POLICY_ERROR,
	    "grants bedrock:InvokeModel on every resource", NULL),
	    "Resource \"*\" for InvokeModel is an error");
	ok(lint_has(DOC(ST("A", "[\"bedrock:ListFoundationModels\"]",
	    "[\"" FM("us-east-1", MICRO) "\"]")), POLICY_ERROR,
	    "must be \"*\"", NULL),
	    "an action without resource types on an ARN is an error");
	ok(lint_has(DOC(ST("A", "[\"bedrock:ListFoundationModels\"]", "\"*\"")),
	    POLICY_ERROR, "", &errs) == 0 && errs == 0,
	    "ListFoundationModels on \"*\" is fine");
	ok(lint_has(DOC(ST("A", "[\"bedrock:GetInferenceProfile\"]",
	    "[\"" FM("us-east-1", MICRO) "\"]")), POLICY_ERROR,
	    "applies to none of this statement's resources", NULL),
	    "an action that takes none of the resources is an error");
	ok(lint_has(DOC(ST("A", BOTH, "[\"" FM("us-east-1", MICRO) "\","
	    "\"arn:aws:iam::" ACCOUNT ":role/x\"]")), POLICY_WARNING,
	    "no action of this statement applies to arn:aws:iam", NULL),
	    "a resource no action uses is a warning");

	/* Conditions. */
	ok(lint_has(DOC("{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":" BOTH
	    ",\"Resource\":[\"" IP("us-east-1", ACCOUNT, "us." MICRO) "\"],"
	    "\"Condition\":{\"StringEquals\":{\"bedrock:InferenceProfileArn\":"
	    "\"" IP("us-east-1", ACCOUNT, "us." MICRO) "\"}}}"), POLICY_ERROR,
	    "not set when IAM checks an inference profile", NULL),
	    "bedrock:InferenceProfileArn on a profile statement is an error");
	ok(lint_has(DOC("{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":" BOTH
	    ",\"Resource\":[\"" FM("us-east-1", MICRO) "\"],"
	    "\"Condition\":{\"StringEquals\":{\"bedrock:ModelArn\":\"x\"}}}"),
	    POLICY_WARNING, "unknown condition key bedrock:ModelArn", NULL),
	    "an unknown condition key is a warning");
	ok(lint_has(DOC("{\"Sid\":\"G\",\"Effect\":\"Allow\",\"Action\":" BOTH
	    ",\"Resource\":[\"arn:aws:bedrock:::foundation-model/" MICRO "\"],"
	    "\"Condition\":{\"StringEquals\":{\"aws:RequestedRegion\":"
	    "[\"us-east-1\"]}}}"), POLICY_ERROR, "never matches", NULL),
	    "the Region-less FM under a RequestedRegion without "
	    "\"unspecified\" is an error");

	/* Profile coverage: the FM in every destination Region. */
	ok(lint_has(DOC(ST("P", BOTH, "[\"" IP("us-east-1", ACCOUNT,
	    "us." SONNET45) "\"]") "," ST("F", BOTH, "[\""
	    FM("us-east-1", SONNET45) "\",\"" FM("us-east-2", SONNET45) "\"]")),
	    POLICY_WARNING, "foundation model: us-west-2;", NULL),
	    "a geographic profile without its FM in us-west-2 is a warning");
	ok(lint_has(DOC(ST("P", BOTH, "[\"" IP("us-east-1", ACCOUNT,
	    "global." SONNET45) "\"]") "," ST("F", BOTH, "[\""
	    FM("us-east-1", SONNET45) "\"]")), POLICY_WARNING,
	    "foundation model: no Region (the Region-less ARN);", NULL),
	    "a global profile without the Region-less FM is a warning");
	ok(lint_has(DOC(ST("P", BOTH, "[\"" IP("us-east-1", ACCOUNT,
	    "us." SONNET45) "\"]") "," ST("F", BOTH,
	    "[\"arn:aws:bedrock:*::foundation-model/*\"]")), POLICY_WARNING,
	    "can route", NULL) == 0,
	    "FM wildcards cover every destination");

	ok(lint_has(DOC(ST("A", "\"bedrock:InvokeModel\"",
	    "\"" FM("us-east-1", MICRO) "\"")), POLICY_WARNING,
	    "ConverseStream is denied", NULL),
	    "InvokeModel without the streaming action is a warning");
	ok(lint_has(DOC("{\"Sid\":\"D\",\"Effect\":\"Deny\",\"Action\":"
	    "\"bedrock:*\",\"Resource\":\"*\"}"), POLICY_ERROR, "", &errs) == 0
	    && errs == 0, "a Deny on bedrock:* and \"*\" is not an error");
	ok(lint_has(DOC("{\"Sid\":\"A\",\"Effect\":\"Allow\",\"NotAction\":"
	    "\"bedrock:InvokeModel\",\"Resource\":\"*\"}"), POLICY_WARNING,
	    "NotAction", NULL), "NotAction is a warning");
}

/* Documents of the wrong shape give errors, not crashes. */
static void
test_lint_odd_shapes(void)
{
	static const char *const docs[] = {
		"{\"Version\":\"2012-10-17\",\"Statement\":5}",
		"{\"Version\":\"2012-10-17\",\"Statement\":[1,{\"Effect\":"
		    "\"Allow\"}]}",
		"{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
		    "\"Allow\",\"Action\":[1,null],\"Resource\":[\"arn:\","
		    "\"arn:aws:bedrock:us-east-1::foundation-model/\"],"
		    "\"Condition\":[]}}",
		"[]",
	};
	struct policy_findings	 f;
	struct policy_notes	 notes;
	struct json		*doc;
	struct err		 e;
	size_t			 i;

	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		memset(&f, 0, sizeof f);
		doc = json_parse(docs[i], 0, &e);
		ok(doc != NULL && policy_lint(cat, doc, &f) > 0,
		    "odd document %zu: lint reports errors", i + 1);
		policy_findings_free(&f);
		policy_explain(doc, &notes);
		policy_notes_free(&notes);
		json_free(doc);
	}
}

/* A policy over IAM's managed-policy size gets a split suggestion. */
static void
test_lint_size(void)
{
	struct policy_findings	 f;
	struct json		*doc, *sts, *st, *res;
	struct err		 e;
	char			 arn[256], sid[16];
	size_t			 i, j, size;
	int			 found = 0;

	doc = json_parse("{ \"a\" : \"b c\" ,\n \"d\": [ 1, 2 ] }", 0, &e);
	is_int(policy_size(doc), strlen("{\"a\":\"b c\",\"d\":[1,2]}"),
	    "the size counts no white space outside strings");
	json_free(doc);

	doc = json_new_object();
	json_set_str(doc, "Version", "2012-10-17");
	sts = json_new_array();
	for (i = 0; i < 4; i++) {
		st = json_new_object();
		snprintf(sid, sizeof sid, "S%zu", i);
		json_set_str(st, "Sid", sid);
		json_set_str(st, "Effect", "Allow");
		res = json_new_array();
		json_push_str(res, "bedrock:InvokeModel");
		json_push_str(res, "bedrock:InvokeModelWithResponseStream");
		json_set(st, "Action", res);
		res = json_new_array();
		for (j = 0; j < 30; j++) {
			snprintf(arn, sizeof arn, "arn:aws:bedrock:us-east-1::"
			    "foundation-model/amazon.model-%zu-%zu-v1:0", i, j);
			json_push_str(res, arn);
		}
		json_set(st, "Resource", res);
		json_push(sts, st);
	}
	json_set(doc, "Statement", sts);
	size = policy_size(doc);
	ok(size > POLICY_MANAGED_MAX, "the test policy is over the limit "
	    "(%zu)", size);
	policy_lint(cat, doc, &f);
	is_int(f.errors, 0, "a large policy is not an error");
	for (i = 0; i < f.n; i++)
		if (f.v[i].severity == POLICY_WARNING &&
		    strstr(f.v[i].message, "6144") != NULL &&
		    strstr(f.v[i].message, "over 2 policies (1: S0 S1; "
		    "2: S2 S3)") != NULL)
			found = 1;
	ok(found, "size warning with a split into 2 policies");
	if (!found)
		for (i = 0; i < f.n; i++)
			printf("#   have %s\n", f.v[i].message);
	policy_findings_free(&f);

	/* Drop one statement: under the limit, no warning. */
	json_free(doc);
	doc = json_parse(DOC(ST("A", BOTH, "[\"" FM("us-east-1", MICRO)
	    "\"]")), 0, &e);
	policy_lint(cat, doc, &f);
	is_int(f.warnings, 0, "a small policy has no size warning");
	policy_findings_free(&f);
	json_free(doc);
}

static void
test_explain(void)
{
	struct policy_model	 m = { .kind = RESOLVE_GLOBAL_PROFILE,
	    .model_id = SONNET45, .profile_id = "global." SONNET45 };
	struct policy_input	 in;
	struct policy_notes	 notes;
	struct json		*doc;
	struct buf		 b;
	struct err		 e;
	size_t			 i;
	int			 unspecified = 0, regionless = 0;

	policy_input_init(&in, "us-east-1", ACCOUNT);
	in.models = &m;
	in.nmodels = 1;
	in.streaming = 0;
	doc = policy_build(&in, &e);
	policy_explain(doc, &notes);
	ok(notes.n == 3 && strcmp(notes.v[0].sid,
	    POLICY_SID_GLOBAL) == 0, "with a known account, no placeholder "
	    "note comes first");
	for (i = 0; i < notes.n; i++) {
		if (strstr(notes.v[i].text, "unspecified") != NULL)
			unspecified = 1;
		if (strstr(notes.v[i].text, "Region-less") != NULL)
			regionless = 1;
	}
	ok(unspecified && regionless, "the global FM note explains the "
	    "Region-less ARN and \"unspecified\"");
	ok(notes.n > 1 && strstr(notes.v[1].text, "ConverseStream") != NULL,
	    "with streaming off the notes say ConverseStream is denied");
	ok(notes.n > 1 && strstr(notes.v[1].text, "us-east-1") != NULL,
	    "the source-Region note names us-east-1");
	buf_init(&b, 0);
	ok(policy_notes_format(&notes, &b) == 0 && strncmp(buf_str(&b),
	    POLICY_SID_GLOBAL ": ", strlen(POLICY_SID_GLOBAL) + 2) == 0,
	    "formatted as \"Sid: text\"");
	buf_free(&b);
	policy_notes_free(&notes);
	json_free(doc);

	doc = json_parse(DOC(ST("Mine", BOTH, "[\"" FM("eu-west-1", MICRO)
	    "\"]")), 0, &e);
	policy_explain(doc, &notes);
	ok(notes.n == 1 && strcmp(notes.v[0].sid, "Mine") == 0 &&
	    strstr(notes.v[0].text, "not made by bedrock-setup") != NULL &&
	    strstr(notes.v[0].text, "eu-west-1") != NULL,
	    "a foreign statement is explained as such, with its Region");
	policy_notes_free(&notes);
	json_free(doc);
}

int
main(int argc, char **argv)
{
	struct catalog	*c;
	struct err	 e;
	const char	*u = getenv("BS_UPDATE_GOLDEN");

	golden_dir = argc > 1 ? argv[1] : "tests/golden/policy";
	update_golden = u != NULL && strcmp(u, "1") == 0;
	if ((c = catalog_load_embedded(&e)) == NULL) {
		ok(0, "embedded catalog loads: %s", e.message);
		return tap_done();
	}
	cat = c;

	test_golden_on_demand();
	test_golden_geo();
	test_golden_global();
	test_golden_app_profile();
	test_golden_several();
	test_golden_govcloud();
	test_golden_streaming_off();
	test_golden_all_extras();
	test_deterministic();
	test_build_options();
	test_build_errors();
	test_from_resolve();
	test_lint_rules();
	test_lint_odd_shapes();
	test_lint_size();
	test_explain();

	catalog_free(c);
	return tap_done();
}
