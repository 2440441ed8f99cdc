/*
 * test_bedrock_parse.c: the Bedrock control-plane and runtime modules
 * without a network: parsing of canned answers, the use-case form, model
 * ids and paths, request bodies, the ConverseStream state machine fed
 * with encoded frames, and the CLI / boto3 equivalents of a request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bedrock.h"
#include "buf.h"
#include "crypto.h"
#include "err.h"
#include "eventstream.h"
#include "json.h"
#include "resolve.h"
#include "runtime.h"
#include "tap.h"

/* Facts 2.1: the second model is profile-only (INFERENCE_PROFILE). */
static const char list_fm[] =
    "{\"modelSummaries\":["
    "{\"modelArn\":\"arn:aws:bedrock:us-east-1::foundation-model/"
    "anthropic.claude-3-haiku-20240307-v1:0\","
    "\"modelId\":\"anthropic.claude-3-haiku-20240307-v1:0\","
    "\"modelName\":\"Claude 3 Haiku\",\"providerName\":\"Anthropic\","
    "\"inputModalities\":[\"TEXT\",\"IMAGE\"],\"outputModalities\":[\"TEXT\"],"
    "\"responseStreamingSupported\":true,\"customizationsSupported\":[],"
    "\"inferenceTypesSupported\":[\"ON_DEMAND\"],"
    "\"modelLifecycle\":{\"status\":\"ACTIVE\"}},"
    "{\"modelArn\":\"arn:aws:bedrock:us-east-1::foundation-model/"
    "anthropic.claude-sonnet-4-5-20250929-v1:0\","
    "\"modelId\":\"anthropic.claude-sonnet-4-5-20250929-v1:0\","
    "\"modelName\":\"Claude Sonnet 4.5\",\"providerName\":\"Anthropic\","
    "\"inputModalities\":[\"TEXT\",\"IMAGE\"],\"outputModalities\":[\"TEXT\"],"
    "\"responseStreamingSupported\":true,"
    "\"inferenceTypesSupported\":[\"INFERENCE_PROFILE\"],"
    "\"modelLifecycle\":{\"status\":\"ACTIVE\"}}]}";

static const char list_fm_odd[] =
    "{\"modelSummaries\":["
    "{\"modelId\":\"anthropic.claude-v2:1\",\"providerName\":\"Anthropic\","
    "\"inferenceTypesSupported\":[\"ON_DEMAND\",\"BATCH_SOMEDAY\"],"
    "\"modelLifecycle\":{\"status\":\"LEGACY\","
    "\"startOfLifeTime\":\"2023-11-21T00:00:00Z\","
    "\"endOfLifeTime\":\"2026-12-01T00:00:00Z\","
    "\"legacyTime\":\"2025-06-01T00:00:00Z\","
    "\"publicExtendedAccessTime\":\"2026-03-01T00:00:00Z\"},"
    "\"somethingNew\":{\"x\":1}},"
    "{\"modelArn\":\"arn:aws:bedrock:us-east-1::foundation-model/x\"},"
    "{\"modelId\":\"amazon.titan-embed-text-v2:0\","
    "\"responseStreamingSupported\":false,"
    "\"modelLifecycle\":{\"status\":\"SUNSETTING\"}}]}";

static const char get_fm[] =
    "{\"modelDetails\":{\"modelArn\":\"arn:aws:bedrock:eu-west-1::"
    "foundation-model/amazon.nova-micro-v1:0\",\"modelId\":"
    "\"amazon.nova-micro-v1:0\",\"modelName\":\"Nova Micro\","
    "\"providerName\":\"Amazon\",\"inferenceTypesSupported\":"
    "[\"ON_DEMAND\",\"INFERENCE_PROFILE\"],\"customizationsSupported\":"
    "[\"FINE_TUNING\",\"DISTILLATION\"]}}";

static const char avail[] =
    "{\"modelId\":\"anthropic.claude-sonnet-4-20250514-v1:0\","
    "\"agreementAvailability\":{\"status\":\"ERROR\",\"errorMessage\":"
    "\"The agreement could not be created.\"},"
    "\"authorizationStatus\":\"NOT_AUTHORIZED\","
    "\"entitlementAvailability\":\"AVAILABLE\","
    "\"regionAvailability\":\"SOMETHING_NEW\"}";

#define EU_FM(r) "{\"modelArn\":\"arn:aws:bedrock:" r "::foundation-model/" \
    "anthropic.claude-sonnet-4-5-20250929-v1:0\"}"
static const char profiles_p1[] =
    "{\"inferenceProfileSummaries\":["
    "{\"inferenceProfileName\":\"EU Claude Sonnet 4.5\","
    "\"description\":\"Routes requests in the EU.\","
    "\"createdAt\":\"2025-09-29T00:00:00Z\","
    "\"updatedAt\":\"2025-10-01T00:00:00Z\","
    "\"inferenceProfileArn\":\"arn:aws:bedrock:eu-west-1:111122223333:"
    "inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0\","
    "\"inferenceProfileId\":\"eu.anthropic.claude-sonnet-4-5-20250929-v1:0\","
    "\"status\":\"ACTIVE\",\"type\":\"SYSTEM_DEFINED\",\"models\":["
    EU_FM("eu-central-1") "," EU_FM("eu-north-1") "," EU_FM("eu-south-1") ","
    EU_FM("eu-south-2") "," EU_FM("eu-west-1") "," EU_FM("eu-west-3") "]}],"
    "\"nextToken\":\"tok+1/=\"}";

static const char profiles_p2[] =
    "{\"inferenceProfileSummaries\":["
    "{\"inferenceProfileName\":\"team-chat\","
    "\"inferenceProfileArn\":\"arn:aws:bedrock:eu-west-1:111122223333:"
    "application-inference-profile/abc123\","
    "\"inferenceProfileId\":\"abc123\",\"status\":\"ACTIVE\","
    "\"type\":\"APPLICATION\",\"models\":[{\"modelArn\":\"arn:aws:bedrock:"
    "eu-west-1::foundation-model/amazon.nova-micro-v1:0\"}]}]}";

static const char get_profile[] =
    "{\"inferenceProfileName\":\"team-chat\","
    "\"inferenceProfileArn\":\"arn:aws:bedrock:eu-west-1:111122223333:"
    "application-inference-profile/abc123\","
    "\"inferenceProfileId\":\"abc123\",\"status\":\"ACTIVE\","
    "\"type\":\"APPLICATION\",\"models\":[{\"modelArn\":\"arn:aws:bedrock:"
    "eu-west-1::foundation-model/amazon.nova-micro-v1:0\"}]}";

static const char offers[] =
    "{\"modelId\":\"anthropic.claude-3-5-sonnet-20240620-v1:0\",\"offers\":["
    "{\"offerId\":\"offer-abc\",\"offerToken\":\"b3BhcXVl\","
    "\"termDetails\":{\"usageBasedPricingTerm\":{\"rateCard\":["
    "{\"dimension\":\"input_tokens\",\"price\":\"0.003\","
    "\"description\":\"Per 1K input tokens\",\"unit\":\"1K tokens\"},"
    "{\"dimension\":\"output_tokens\",\"price\":\"0.015\"}]},"
    "\"legalTerm\":{\"url\":\"https://example.com/EULA\"},"
    "\"supportTerm\":{\"refundPolicyDescription\":\"No refunds.\"},"
    "\"validityTerm\":{\"agreementDuration\":\"P1Y\"}}}]}";

/* Facts 3.2 with a reasoning block first and two text blocks. */
static const char converse_out[] =
    "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":["
    "{\"reasoningContent\":{\"reasoningText\":{\"text\":\"Let me think\","
    "\"signature\":\"sig\"}}},"
    "{\"text\":\"Hello there, \"},{\"text\":\"nice meeting you.\"}]}},"
    "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":19,"
    "\"outputTokens\":9,\"totalTokens\":28},\"metrics\":{\"latencyMs\":412}}";

static void
test_models(void)
{
	struct bedrock_model_list	 l;
	struct bedrock_model		 m;
	struct err			 e;

	ok(bedrock_parse_models(list_fm, strlen(list_fm), &l, &e) == 0,
	    "ListFoundationModels example parses");
	is_int(l.n, 2, "two models");
	is_str(l.v[0].id, "anthropic.claude-3-haiku-20240307-v1:0", "id");
	is_str(l.v[0].provider, "Anthropic", "provider");
	is_str(l.v[0].name, "Claude 3 Haiku", "name");
	is_int(l.v[0].input_modalities.n, 2, "input modalities");
	is_int(l.v[0].customizations.n, 0, "empty customizations");
	is_int(l.v[0].streaming, 1, "streaming");
	is_str(l.v[0].lifecycle.status, "ACTIVE", "lifecycle");
	is_int(l.v[1].inference_types.n, 1, "one inference type");
	is_str(l.v[1].inference_types.v[0], "INFERENCE_PROFILE",
	    "INFERENCE_PROFILE kept although botocore's enum lacks it");
	ok(!bedrock_strv_has(&l.v[1].inference_types, "ON_DEMAND"),
	    "profile-only model has no ON_DEMAND");
	bedrock_model_list_free(&l);
	is_int(l.n, 0, "free empties the list");

	ok(bedrock_parse_models(list_fm_odd, strlen(list_fm_odd), &l, &e) == 0,
	    "odd answer parses");
	is_int(l.n, 2, "an entry without modelId is skipped");
	is_str(l.v[0].lifecycle.status, "LEGACY", "LEGACY lifecycle");
	is_str(l.v[0].lifecycle.end_of_life, "2026-12-01T00:00:00Z",
	    "endOfLifeTime");
	is_str(l.v[0].lifecycle.legacy_time, "2025-06-01T00:00:00Z",
	    "legacyTime");
	is_str(l.v[0].lifecycle.public_extended_access_time,
	    "2026-03-01T00:00:00Z", "publicExtendedAccessTime");
	is_str(l.v[0].lifecycle.start_of_life, "2023-11-21T00:00:00Z",
	    "startOfLifeTime");
	ok(bedrock_strv_has(&l.v[0].inference_types, "BATCH_SOMEDAY"),
	    "unknown inference type kept");
	is_int(l.v[0].streaming, -1, "streaming unknown when not said");
	ok(l.v[0].arn == NULL, "absent ARN is NULL");
	is_int(l.v[1].streaming, 0, "streaming false");
	is_str(l.v[1].lifecycle.status, "SUNSETTING",
	    "unknown lifecycle status kept");
	bedrock_model_list_free(&l);

	ok(bedrock_parse_models("{}", 2, &l, &e) == 0 && l.n == 0,
	    "no modelSummaries: empty list");
	bedrock_model_list_free(&l);
	err_clear(&e);
	ok(bedrock_parse_models("{\"modelSummaries\":{}}", 21, &l, &e) == -1 &&
	    e.kind == ERR_PROTOCOL, "modelSummaries not a list: protocol");
	bedrock_model_list_free(&l);
	err_clear(&e);
	ok(bedrock_parse_models("[1]", 3, &l, &e) == -1 &&
	    e.kind == ERR_PROTOCOL, "not an object: protocol");
	err_clear(&e);
	ok(bedrock_parse_models("{\"modelSumm", 11, &l, &e) == -1 &&
	    e.kind == ERR_PROTOCOL, "cut JSON: protocol");

	ok(bedrock_parse_model_details(get_fm, strlen(get_fm), &m, &e) == 0,
	    "GetFoundationModel parses");
	is_str(m.id, "amazon.nova-micro-v1:0", "modelDetails id");
	is_int(m.inference_types.n, 2, "two types");
	ok(bedrock_strv_has(&m.customizations, "DISTILLATION"),
	    "customizations");
	bedrock_model_free(&m);
	err_clear(&e);
	ok(bedrock_parse_model_details(list_fm, strlen(list_fm), &m, &e) ==
	    -1 && e.kind == ERR_PROTOCOL, "no modelDetails: protocol");
}

static void
test_availability(void)
{
	struct bedrock_availability	 a;
	struct err			 e;

	ok(bedrock_parse_availability(avail, strlen(avail), &a, &e) == 0,
	    "availability parses");
	is_str(a.model_id, "anthropic.claude-sonnet-4-20250514-v1:0", "id");
	is_str(a.agreement, "ERROR", "agreement status");
	is_str(a.agreement_error, "The agreement could not be created.",
	    "agreement error message");
	is_str(a.authorization, "NOT_AUTHORIZED", "authorization");
	is_str(a.entitlement, "AVAILABLE", "entitlement");
	is_str(a.region, "SOMETHING_NEW", "unknown region status kept");
	bedrock_availability_free(&a);
	err_clear(&e);
	ok(bedrock_parse_availability("{\"authorizationStatus\":\"X\"}", 28,
	    &a, &e) == -1 && e.kind == ERR_PROTOCOL, "no modelId: protocol");
}

static void
test_profiles(void)
{
	struct bedrock_profile_list	 l;
	struct bedrock_profile		 p;
	struct err			 e;
	char				*next = NULL, *r;

	memset(&l, 0, sizeof l);
	ok(bedrock_parse_profiles(profiles_p1, strlen(profiles_p1), &l, &next,
	    &e) == 0, "profiles page 1 parses");
	is_str(next, "tok+1/=", "nextToken given back");
	free(next);
	is_int(l.n, 1, "one profile");
	is_int(l.v[0].models.n, 6, "six EU destinations (no cap at 5)");
	is_str(l.v[0].type, "SYSTEM_DEFINED", "type");
	is_str(l.v[0].status, "ACTIVE", "status");
	is_str(l.v[0].created_at, "2025-09-29T00:00:00Z", "createdAt");
	is_str(l.v[0].description, "Routes requests in the EU.", "description");
	r = bedrock_arn_region(l.v[0].models.v[5]);
	is_str(r, "eu-west-3", "destination Region from the model ARN");
	free(r);
	ok(bedrock_parse_profiles(profiles_p2, strlen(profiles_p2), &l, &next,
	    &e) == 0, "profiles page 2 appends");
	ok(next == NULL, "no nextToken on the last page");
	is_int(l.n, 2, "two profiles after two pages");
	is_int(l.pages, 2, "two pages counted");
	is_str(l.v[1].type, "APPLICATION", "application profile");
	is_str(l.v[0].id, "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
	    "first page kept");
	bedrock_profile_list_free(&l);

	ok(bedrock_parse_profile(get_profile, strlen(get_profile), &p, &e) == 0,
	    "GetInferenceProfile (un-wrapped) parses");
	is_str(p.arn, "arn:aws:bedrock:eu-west-1:111122223333:"
	    "application-inference-profile/abc123", "profile ARN");
	is_int(p.models.n, 1, "one model");
	bedrock_profile_free(&p);
	err_clear(&e);
	ok(bedrock_parse_profile("{\"models\":[]}", 13, &p, &e) == -1 &&
	    e.kind == ERR_PROTOCOL, "no inferenceProfileId: protocol");
}

static void
test_offers(void)
{
	struct bedrock_offer_list	 l;
	struct err			 e;

	ok(bedrock_parse_offers(offers, strlen(offers), &l, &e) == 0,
	    "offers parse");
	is_str(l.model_id, "anthropic.claude-3-5-sonnet-20240620-v1:0",
	    "offers model id");
	is_int(l.n, 1, "one offer");
	is_str(l.v[0].offer_token, "b3BhcXVl", "offer token");
	is_str(l.v[0].offer_id, "offer-abc", "offer id");
	is_int(l.v[0].nrates, 2, "two rate-card lines");
	is_str(l.v[0].rates[0].price, "0.003", "price");
	is_str(l.v[0].rates[0].unit, "1K tokens", "unit");
	ok(l.v[0].rates[1].description == NULL, "absent description NULL");
	is_str(l.v[0].legal_url, "https://example.com/EULA", "EULA URL");
	is_str(l.v[0].refund_policy, "No refunds.", "refund policy");
	is_str(l.v[0].agreement_duration, "P1Y", "agreement duration");
	bedrock_offer_list_free(&l);
}

static void
test_ids(void)
{
	static const struct {
		const char	*in, *want;
	} bare[] = {
		{ "us.anthropic.claude-3-5-haiku-20241022-v1:0",
		  "anthropic.claude-3-5-haiku-20241022-v1:0" },
		{ "global.anthropic.claude-opus-4-6-v1",
		  "anthropic.claude-opus-4-6-v1" },
		{ "apac.amazon.nova-micro-v1:0", "amazon.nova-micro-v1:0" },
		{ "us-gov.meta.llama3-8b-instruct-v1:0",
		  "meta.llama3-8b-instruct-v1:0" },
		{ "xx.cohere.command-r-v1:0", "cohere.command-r-v1:0" },
		{ "anthropic.claude-3-haiku-20240307-v1:0",
		  "anthropic.claude-3-haiku-20240307-v1:0" },
		{ "meta.llama3-8b-instruct-v1:0",
		  "meta.llama3-8b-instruct-v1:0" },
		{ "anthropic.claude-sonnet-4-6", "anthropic.claude-sonnet-4-6" },
		{ "arn:aws:bedrock:us-east-1::foundation-model/"
		  "amazon.nova-micro-v1:0", "amazon.nova-micro-v1:0" },
		{ "arn:aws:bedrock:us-east-1:111122223333:inference-profile/"
		  "eu.amazon.nova-lite-v1:0", "amazon.nova-lite-v1:0" },
	};
	size_t	 i;
	char	*s;

	for (i = 0; i < sizeof bare / sizeof bare[0]; i++) {
		s = bedrock_bare_model_id(bare[i].in);
		is_str(s, bare[i].want, "bare id of %s", bare[i].in);
		free(s);
	}
	s = bedrock_path_escape("arn:aws:bedrock:us-east-1:111122223333:"
	    "inference-profile/us.x-v1:0");
	is_str(s, "arn%3Aaws%3Abedrock%3Aus-east-1%3A111122223333%3A"
	    "inference-profile%2Fus.x-v1%3A0", "path segment encoded once");
	free(s);
	s = runtime_request_path("us.anthropic.claude-3-5-haiku-20241022-v1:0",
	    1);
	is_str(s, "/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/"
	    "converse-stream", "ConverseStream path");
	free(s);
	s = runtime_request_path("a b~_", 0);
	is_str(s, "/model/a%20b~_/converse", "Converse path");
	free(s);
	ok(bedrock_arn_region("arn:aws:bedrock:::foundation-model/x") == NULL,
	    "Region-less ARN has no Region");
	ok(bedrock_arn_region("us.x") == NULL, "not an ARN");
}

static void
test_form(void)
{
	struct bedrock_use_case	 u, d;
	struct err		 e;
	struct buf		 raw = BUF_INIT;
	char			 long_name[300], accents[300];
	char			*fd;
	struct json		*j;
	int			 i;

	memset(&u, 0, sizeof u);
	u.company_name = (char *)"Example Corp";
	u.company_website = (char *)"https://example.com";
	u.intended_users = (char *)"0";
	u.industry_option = (char *)"Technology";
	u.use_cases = (char *)"Internal \"assistant\" for engineers.";
	ok(bedrock_use_case_validate(&u, &e) == 0, "valid form");
	fd = bedrock_use_case_form_data(&u, &e);
	ok(fd != NULL, "form data built");
	ok(fd != NULL && crypto_base64_decode(fd, strlen(fd), &raw) == 0,
	    "form data is base64");
	j = json_parse(raw.data, raw.len, NULL);
	is_str(json_get_str(j, "companyName"), "Example Corp",
	    "companyName in the JSON");
	is_str(json_get_str(j, "useCases"),
	    "Internal \"assistant\" for engineers.", "useCases escaped");
	is_str(json_get_str(j, "intendedUsers"), "0", "intendedUsers string");
	ok(json_get(j, "otherIndustryOption") == NULL,
	    "unset optional key left out");
	is_int(json_len(j), 5, "five keys");
	json_free(j);
	buf_free(&raw);
	ok(bedrock_use_case_decode(fd, &d, &e) == 0, "form data decodes");
	is_str(d.company_website, "https://example.com", "round trip website");
	is_str(d.use_cases, u.use_cases, "round trip use cases");
	ok(d.other_industry_option == NULL, "round trip: absent stays NULL");
	bedrock_use_case_free(&d);
	free(fd);

	u.company_name = NULL;
	err_clear(&e);
	ok(bedrock_use_case_validate(&u, &e) == -1 && e.kind == ERR_USAGE,
	    "missing companyName rejected");
	is_str(e.where, "companyName", "where names the key");
	ok(bedrock_use_case_form_data(&u, &e) == NULL, "no form data then");
	memset(long_name, 'x', 129);
	long_name[129] = '\0';
	u.company_name = long_name;
	err_clear(&e);
	ok(bedrock_use_case_validate(&u, &e) == -1, "129 characters rejected");
	long_name[128] = '\0';
	ok(bedrock_use_case_validate(&u, &e) == 0, "128 characters accepted");
	for (i = 0; i < 128; i++)
		memcpy(accents + 2 * i, "\xc3\xa9", 2);
	accents[256] = '\0';
	u.industry_option = accents;
	ok(bedrock_use_case_validate(&u, &e) == 0,
	    "128 two-byte characters count as 128");
	u.other_industry_option = (char *)"";
	ok(bedrock_use_case_validate(&u, &e) == 0, "empty optional key ok");
	u.intended_users = (char *)"3";
	err_clear(&e);
	ok(bedrock_use_case_validate(&u, &e) == -1 &&
	    strcmp(e.where, "intendedUsers") == 0, "intendedUsers 3 rejected");
	u.intended_users = (char *)"2";
	ok(bedrock_use_case_validate(&u, &e) == 0, "intendedUsers 2 ok");
	err_clear(&e);
	ok(bedrock_use_case_decode("not base64!", &d, &e) == -1 &&
	    e.kind == ERR_PROTOCOL, "bad base64 rejected");
	bedrock_use_case_free(&d);
}

static void
test_converse_parse(void)
{
	struct runtime_reply	 r;
	struct err		 e;

	ok(runtime_parse_reply(converse_out, strlen(converse_out), &r, &e) == 0,
	    "Converse answer parses");
	is_str(r.text, "Hello there, nice meeting you.",
	    "text blocks joined, reasoning block skipped");
	is_int(r.text_len, strlen("Hello there, nice meeting you."),
	    "text length");
	is_str(r.stop_reason, "end_turn", "stopReason");
	is_int(r.input_tokens, 19, "inputTokens");
	is_int(r.output_tokens, 9, "outputTokens");
	is_int(r.total_tokens, 28, "totalTokens");
	is_int(r.latency_ms, 412, "latencyMs");
	runtime_reply_free(&r);
	err_clear(&e);
	ok(runtime_parse_reply("{\"stopReason\":\"end_turn\"}", 25, &r, &e) ==
	    -1 && e.kind == ERR_PROTOCOL, "no output: protocol");
	ok(r.text != NULL && *r.text == '\0', "reply text empty, not NULL");
	runtime_reply_free(&r);
}

static void
test_request_body(void)
{
	struct runtime_request	 q;
	struct runtime_message	 m[3] = {
		{ "user", "Hi" }, { "assistant", "Hello!" },
		{ "user", "Say \"it's\" twice" }
	};
	const char		*stops[] = { "END" };
	struct err		 e;
	struct json		*j;
	char			*b;

	runtime_request_init(&q);
	q.model_id = "amazon.nova-micro-v1:0";
	q.messages = m;
	q.nmessages = 1;
	b = runtime_request_body(&q, &e);
	is_str(b, "{\"messages\":[{\"role\":\"user\",\"content\":"
	    "[{\"text\":\"Hi\"}]}]}", "minimal body: unset members omitted");
	free(b);
	q.nmessages = 3;
	q.system = "You are terse.";
	q.max_tokens = 256;
	q.temperature = 0;
	q.stop_sequences = stops;
	q.nstop_sequences = 1;
	b = runtime_request_body(&q, &e);
	j = json_parse(b, 0, NULL);
	is_int(json_len(json_get(j, "messages")), 3, "three turns");
	is_str(json_get_str(json_at(json_get(j, "messages"), 1), "role"),
	    "assistant", "history keeps roles");
	is_str(json_str(json_path(json_at(json_get(j, "system"), 0), "text",
	    NULL)), "You are terse.", "system prompt");
	is_int(json_get_int(json_get(j, "inferenceConfig"), "maxTokens", -1),
	    256, "maxTokens");
	ok(json_get(json_get(j, "inferenceConfig"), "temperature") != NULL,
	    "temperature 0 is sent");
	ok(json_get(json_get(j, "inferenceConfig"), "topP") == NULL,
	    "unset topP omitted");
	ok(json_array_has_str(json_get(json_get(j, "inferenceConfig"),
	    "stopSequences"), "END"), "stopSequences");
	json_free(j);
	free(b);
	m[1].role = "system";
	err_clear(&e);
	ok(runtime_request_body(&q, &e) == NULL && e.kind == ERR_USAGE,
	    "bad role rejected");
	m[1].role = "assistant";
	q.model_id = "";
	ok(runtime_request_body(&q, &e) == NULL, "empty model id rejected");
}

/* Run cmd (the aws CLI line with "aws" replaced) through sh. */
static char *
shell_words(const char *cli)
{
	struct buf	 cmd = BUF_INIT, out = BUF_INIT;
	FILE		*p;
	char		 chunk[512];
	size_t		 n;

	buf_printf(&cmd, "printf '<%%s>\\n' %s", cli + strlen("aws "));
	p = popen(buf_str(&cmd), "r");
	buf_free(&cmd);
	if (p == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_add(&out, chunk, n);
	pclose(p);
	return buf_take(&out, NULL);
}

static void
test_snippets(void)
{
	struct runtime_request	 q;
	struct runtime_message	 m[1] = { { "user", "It's a 'test' $HOME `x`" } };
	char			*cli, *words, *py, *want;
	struct buf		 w = BUF_INIT;

	runtime_request_init(&q);
	q.model_id = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
	q.messages = m;
	q.nmessages = 1;
	q.max_tokens = 64;
	q.top_p = 0.5;
	cli = runtime_cli_command(&q, "us-east-1", "my profile");
	ok(cli != NULL && strncmp(cli, "aws bedrock-runtime converse ", 29) == 0,
	    "CLI command starts right");
	ok(cli != NULL && strstr(cli, "'\\''") != NULL,
	    "single quotes escaped as '\\''");
	words = cli != NULL ? shell_words(cli) : NULL;
	buf_printf(&w, "<bedrock-runtime>\n<converse>\n<--model-id>\n<%s>\n"
	    "<--messages>\n<[{\"role\":\"user\",\"content\":[{\"text\":"
	    "\"It's a 'test' $HOME `x`\"}]}]>\n<--inference-config>\n"
	    "<{\"maxTokens\":64,\"topP\":0.5}>\n<--region>\n<us-east-1>\n"
	    "<--profile>\n<my profile>\n", q.model_id);
	want = buf_take(&w, NULL);
	is_str(words, want, "the shell splits the command into the "
	    "intended arguments");
	free(want);
	free(words);
	free(cli);
	cli = runtime_shell_quote("");
	is_str(cli, "''", "empty argument quoted");
	free(cli);
	cli = runtime_shell_quote("eu-west-1");
	is_str(cli, "eu-west-1", "plain argument left bare");
	free(cli);

	py = runtime_boto3_snippet(&q, "us-east-1", NULL);
	ok(py != NULL && strstr(py, "boto3.Session(region_name=\"us-east-1\")")
	    != NULL, "boto3 session with Region");
	ok(py != NULL && strstr(py, "    modelId=\"us.anthropic.claude-3-5-"
	    "haiku-20241022-v1:0\",\n") != NULL, "boto3 modelId");
	ok(py != NULL && strstr(py, "inferenceConfig={\"maxTokens\":64,"
	    "\"topP\":0.5},") != NULL, "boto3 inferenceConfig");
	ok(py != NULL && strstr(py, "system=") == NULL,
	    "no system argument when unset");
	free(py);
	q.model_id = NULL;
	ok(runtime_cli_command(&q, NULL, NULL) == NULL,
	    "no command for a bad request");
}

/* Streams built from frames. */

struct pieces {
	int	 n;
	char	 text[256];
	int	 stop_after;	/* ask to stop after this many, 0: never */
};

static int
collect(void *arg, const char *text, size_t len)
{
	struct pieces	*p = arg;
	size_t		 l = strlen(p->text);

	if (l + len < sizeof p->text) {
		memcpy(p->text + l, text, len);
		p->text[l + len] = '\0';
	}
	p->n++;
	return p->stop_after > 0 && p->n >= p->stop_after;
}

static void
frame(struct buf *out, const char *mtype, const char *tname,
    const char *type, const char *payload)
{
	struct es_header	 h[3];

	h[0] = es_hdr_string(tname, type);
	h[1] = es_hdr_string(":content-type", "application/json");
	h[2] = es_hdr_string(":message-type", mtype);
	es_encode(h, 3, payload, strlen(payload), out);
}

static void
event(struct buf *out, const char *type, const char *payload)
{
	frame(out, "event", ":event-type", type, payload);
}

static void
good_stream(struct buf *b)
{
	event(b, "messageStart", "{\"role\":\"assistant\"}");
	event(b, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":"
	    "{\"reasoningContent\":{\"text\":\"hmm\"}}}");
	event(b, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":"
	    "{\"text\":\"Hel\"},\"p\":\"abcdefgh\"}");
	event(b, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":"
	    "{\"text\":\"lo!\"}}");
	event(b, "contentBlockStop", "{\"contentBlockIndex\":0}");
	event(b, "messageStop", "{\"stopReason\":\"max_tokens\"}");
	event(b, "metadata", "{\"usage\":{\"inputTokens\":3,\"outputTokens\":2,"
	    "\"totalTokens\":5},\"metrics\":{\"latencyMs\":77}}");
}

/* Push len bytes of data one byte at a time, then end. */
static int
run_stream(const char *data, size_t len, struct pieces *p,
    struct runtime_reply *r, struct err *e)
{
	struct runtime_stream	*s = runtime_stream_new(collect, p);
	size_t			 i;

	for (i = 0; i < len; i++)
		if (runtime_stream_push(s, data + i, 1) != 0)
			break;
	err_clear(e);
	return runtime_stream_end(s, 0, r, e);
}

static int
hexval(int c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

static void
test_stream(void)
{
	/* Facts 3.3, test vector 2: a throttlingException frame. */
	static const char vec2[] =
	    "000000b0000000614f5086b30f3a657863657074696f6e2d74797065070013"
	    "7468726f74746c696e67457863657074696f6e0d3a636f6e74656e742d7479"
	    "70650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d"
	    "74797065070009657863657074696f6e7b226d657373616765223a22546f6f"
	    "206d616e7920746f6b656e732c20706c656173652077616974206265666f72"
	    "6520747279696e6720616761696e2e227df70ae57f";
	struct buf		 b = BUF_INIT, ex = BUF_INIT;
	struct pieces		 p;
	struct runtime_reply	 r;
	struct err		 e;
	char			 code[64];
	size_t			 i;

	runtime_exception_code("throttlingException", code, sizeof code);
	is_str(code, "ThrottlingException", "throttlingException mapped");
	runtime_exception_code("modelStreamErrorException", code, sizeof code);
	is_str(code, "ModelStreamErrorException", "modelStreamError mapped");
	runtime_exception_code("validationException", code, 5);
	is_str(code, "Vali", "mapping truncates to the buffer");

	good_stream(&b);
	memset(&p, 0, sizeof p);
	ok(run_stream(b.data, b.len, &p, &r, &e) == 0,
	    "whole stream fed byte by byte succeeds");
	is_int(p.n, 2, "two text pieces reached the callback");
	is_str(p.text, "Hello!", "callback text");
	is_str(r.text, "Hello!", "reply text");
	is_str(r.stop_reason, "max_tokens", "stop reason from messageStop");
	is_int(r.output_tokens, 2, "usage from metadata");
	is_int(r.latency_ms, 77, "latency from metadata");
	ok(r.first_text_ms >= 0, "time to first text measured");
	runtime_reply_free(&r);

	/* The same with an exception after the first text. */
	buf_reset(&b);
	event(&b, "messageStart", "{\"role\":\"assistant\"}");
	event(&b, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":"
	    "{\"text\":\"Par\"}}");
	for (i = 0; i + 1 < sizeof vec2; i += 2)
		buf_addc(&ex, (char)(hexval(vec2[i]) << 4 |
		    hexval(vec2[i + 1])));
	buf_add(&b, ex.data, ex.len);
	memset(&p, 0, sizeof p);
	ok(run_stream(b.data, b.len, &p, &r, &e) == -1,
	    "exception frame inside HTTP 200 fails the call");
	is_int(e.kind, ERR_AWS, "kind ERR_AWS");
	is_str(e.code, "ThrottlingException", "code in the non-stream form");
	is_str(e.message, "Too many tokens, please wait before trying again.",
	    "message from the payload");
	is_str(r.text, "Par", "text before the exception kept");
	runtime_reply_free(&r);

	buf_reset(&b);
	frame(&b, "error", ":error-code", "InternalFailure", "");
	memset(&p, 0, sizeof p);
	ok(run_stream(b.data, b.len, &p, &r, &e) == -1 && e.kind == ERR_AWS &&
	    strcmp(e.code, "InternalFailure") == 0, "error frame fails");
	runtime_reply_free(&r);

	buf_reset(&b);
	good_stream(&b);
	memset(&p, 0, sizeof p);
	ok(run_stream(b.data, b.len - 10, &p, &r, &e) == -1 &&
	    e.kind == ERR_PROTOCOL, "stream cut inside a frame fails");
	runtime_reply_free(&r);

	buf_reset(&b);
	event(&b, "messageStart", "{\"role\":\"assistant\"}");
	event(&b, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":"
	    "{\"text\":\"Hi\"}}");
	event(&b, "messageStop", "{\"stopReason\":\"end_turn\"}");
	memset(&p, 0, sizeof p);
	ok(run_stream(b.data, b.len, &p, &r, &e) == -1 &&
	    e.kind == ERR_PROTOCOL && strstr(e.message, "metadata") != NULL,
	    "stream without metadata is truncated");
	is_str(r.stop_reason, "end_turn", "stop reason still reported");
	runtime_reply_free(&r);

	buf_reset(&b);
	good_stream(&b);
	b.data[b.len - 1] ^= 0x01;
	memset(&p, 0, sizeof p);
	ok(run_stream(b.data, b.len, &p, &r, &e) == -1 &&
	    e.kind == ERR_PROTOCOL, "corrupt CRC fails");
	runtime_reply_free(&r);

	buf_reset(&b);
	event(&b, "contentBlockDelta", "{\"delta\":{\"text\":");
	memset(&p, 0, sizeof p);
	ok(run_stream(b.data, b.len, &p, &r, &e) == -1 &&
	    e.kind == ERR_PROTOCOL, "broken JSON payload fails");
	runtime_reply_free(&r);

	buf_reset(&b);
	good_stream(&b);
	memset(&p, 0, sizeof p);
	p.stop_after = 1;
	ok(run_stream(b.data, b.len, &p, &r, &e) == -1 &&
	    e.kind == ERR_CANCELLED, "callback stop cancels");
	ok(r.cancelled, "reply marked cancelled");
	is_str(r.text, "Hel", "text so far kept");
	runtime_reply_free(&r);
	buf_free(&b);
	buf_free(&ex);
}

static void
test_fill_view(void)
{
	struct bedrock_model_list	 ml;
	struct bedrock_profile_list	 pl;
	struct resolve_view		 v;
	const struct resolve_fm		*fm;
	const struct resolve_profile	*rp;
	struct err			 e;
	char				*next;

	bedrock_parse_models(list_fm, strlen(list_fm), &ml, &e);
	memset(&pl, 0, sizeof pl);
	bedrock_parse_profiles(profiles_p1, strlen(profiles_p1), &pl, &next,
	    &e);
	free(next);
	resolve_view_init(&v, "eu-west-1", "111122223333", "live");
	ok(bedrock_fill_view(&v, &ml, &pl, &e) == 0, "view filled");
	fm = resolve_view_fm(&v, "anthropic.claude-sonnet-4-5-20250929-v1:0");
	ok(fm != NULL && resolve_fm_has_type(fm, "INFERENCE_PROFILE") &&
	    !resolve_fm_has_type(fm, "ON_DEMAND"), "model types in the view");
	ok(fm != NULL && fm->streaming == 1, "streaming in the view");
	rp = resolve_view_profile(&v,
	    "eu.anthropic.claude-sonnet-4-5-20250929-v1:0");
	ok(rp != NULL && rp->nmodels == 6, "profile with six destinations");
	resolve_view_free(&v);
	bedrock_model_list_free(&ml);
	bedrock_profile_list_free(&pl);
}

int
main(void)
{
	test_models();
	test_availability();
	test_profiles();
	test_offers();
	test_ids();
	test_form();
	test_converse_parse();
	test_request_body();
	test_snippets();
	test_stream();
	test_fill_view();
	return tap_done();
}
