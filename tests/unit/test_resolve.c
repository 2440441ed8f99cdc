/*
 * test_resolve.c: from (Region, model) to invoke id, call kind and the
 * Regions a policy must cover, with views built from the embedded catalog
 * and by hand the way the live ListFoundationModels / ListInferenceProfiles
 * filler will build them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "catalog.h"
#include "err.h"
#include "resolve.h"
#include "tap.h"

#define HAIKU45		"anthropic.claude-haiku-4-5-20251001-v1:0"
#define SONNET45	"anthropic.claude-sonnet-4-5-20250929-v1:0"
#define MICRO		"amazon.nova-micro-v1:0"
#define ACCOUNT		"111122223333"

static const struct catalog *cat;

/* The destinations joined with commas, for compact comparisons. */
static const char *
dests(const struct resolve_result *r)
{
	static char	 out[1024];
	struct buf	 b;
	size_t		 i;

	buf_init(&b, sizeof out - 1);
	for (i = 0; i < r->ndestinations; i++)
		buf_printf(&b, "%s%s", i > 0 ? "," : "", r->destinations[i]);
	snprintf(out, sizeof out, "%s", buf_str(&b));
	buf_free(&b);
	return out;
}

static int
sorted_unique(const struct resolve_result *r)
{
	size_t	 i;

	for (i = 1; i < r->ndestinations; i++)
		if (strcmp(r->destinations[i - 1], r->destinations[i]) >= 0)
			return 0;
	return 1;
}

/* Resolve input in a catalog view of region. */
static int
cat_resolve(const char *region, const char *account, const char *input,
    struct resolve_result *r, struct err *e)
{
	struct resolve_view	 v;
	int			 rc;

	err_clear(e);
	if (resolve_view_from_catalog(&v, cat, region, account, e) == -1) {
		resolve_view_free(&v);
		memset(r, 0, sizeof *r);
		return -2;
	}
	rc = resolve_model(&v, cat, input, r, e);
	resolve_view_free(&v);
	return rc;
}

static void
test_on_demand(void)
{
	struct resolve_result	 r;
	struct err		 e;

	is_int(cat_resolve("us-east-1", NULL, MICRO, &r, &e), 0,
	    "Nova Micro in us-east-1 resolves");
	is_int(r.kind, RESOLVE_ON_DEMAND, "bare on-demand call");
	is_str(r.invoke_id, MICRO, "invoke id is the bare model id");
	is_str(r.model_id, MICRO, "FM id");
	ok(r.arn == NULL && r.profile_id == NULL, "no profile");
	is_str(dests(&r), "us-east-1", "the only destination is the source");
	is_str(r.region, "us-east-1", "source Region");
	ok(!r.region_less && r.destinations_known && r.streaming == 1 &&
	    !r.legacy, "flags");
	resolve_result_free(&r);

	is_int(cat_resolve("us-east-1", NULL, "arn:aws:bedrock:us-east-1::"
	    "foundation-model/" MICRO, &r, &e), 0, "an FM ARN resolves");
	ok(r.kind == RESOLVE_ON_DEMAND && strcmp(r.invoke_id,
	    "arn:aws:bedrock:us-east-1::foundation-model/" MICRO) == 0 &&
	    strcmp(r.model_id, MICRO) == 0, "an FM ARN is invoked as given");
	resolve_result_free(&r);

	is_int(cat_resolve("us-east-1", NULL, "arn:aws:bedrock:eu-west-1::"
	    "foundation-model/" MICRO, &r, &e), -1,
	    "an FM ARN of another Region is refused");
	is_int(e.kind, ERR_CONFIG, "as a configuration mismatch");
	resolve_result_free(&r);
}

static void
test_geo_us(void)
{
	struct resolve_result	 r;
	struct err		 e;

	is_int(cat_resolve("us-east-1", NULL, SONNET45, &r, &e), 0,
	    "profile-only Sonnet 4.5 in us-east-1 resolves");
	is_int(r.kind, RESOLVE_GEO_PROFILE, "through a geographic profile");
	is_str(r.invoke_id, "us." SONNET45, "invoke id is the us. profile");
	is_str(r.profile_id, "us." SONNET45, "profile id");
	is_str(r.model_id, SONNET45, "FM id is the bare model");
	is_str(r.arn, "arn:aws:bedrock:us-east-1:" RESOLVE_ACCOUNT_PLACEHOLDER
	    ":inference-profile/us." SONNET45,
	    "profile ARN with the account placeholder");
	is_str(dests(&r), "us-east-1,us-east-2,us-west-2",
	    "destinations us-east-1, us-east-2, us-west-2");
	ok(!r.region_less, "not Region-less");
	resolve_result_free(&r);

	cat_resolve("us-east-1", ACCOUNT, SONNET45, &r, &e);
	is_str(r.arn, "arn:aws:bedrock:us-east-1:111122223333:"
	    "inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
	    "with a known account: the fact sheet's example ARN");
	resolve_result_free(&r);
}

static void
test_geo_eu(void)
{
	struct resolve_result	 r;
	struct err		 e;

	is_int(cat_resolve("eu-west-1", NULL, SONNET45, &r, &e), 0,
	    "Sonnet 4.5 in eu-west-1 resolves");
	is_int(r.kind, RESOLVE_GEO_PROFILE, "geographic profile");
	is_str(r.invoke_id, "eu." SONNET45, "eu. profile");
	ok(r.ndestinations >= 6, "6 or more EU destinations (%zu)",
	    r.ndestinations);
	ok(sorted_unique(&r), "destinations sorted and unique");
	ok(strstr(dests(&r), "eu-west-1") != NULL &&
	    strstr(dests(&r), "eu-central-1") != NULL &&
	    strstr(dests(&r), "us-") == NULL, "EU Regions only");
	resolve_result_free(&r);

	is_int(cat_resolve("ap-northeast-1", NULL, SONNET45, &r, &e), 0,
	    "Sonnet 4.5 from Tokyo");
	is_str(r.invoke_id, "jp." SONNET45, "uses jp.");
	is_str(dests(&r), "ap-northeast-1,ap-northeast-3", "Tokyo and Osaka");
	resolve_result_free(&r);

	is_int(cat_resolve("us-gov-east-1", NULL, "openai.gpt-oss-20b-1:0",
	    &r, &e), 0, "gpt-oss-20b in us-gov-east-1");
	is_str(r.invoke_id, "us-gov.openai.gpt-oss-20b-1:0", "us-gov. profile");
	is_str(r.partition, "aws-us-gov", "GovCloud partition");
	ok(r.arn != NULL && strncmp(r.arn, "arn:aws-us-gov:bedrock:"
	    "us-gov-east-1:", 37) == 0, "GovCloud profile ARN");
	is_str(dests(&r), "us-gov-east-1,us-gov-west-1", "GovCloud Regions");
	resolve_result_free(&r);
}

static void
test_global(void)
{
	struct resolve_result	 r;
	struct err		 e;

	is_int(cat_resolve("sa-east-1", NULL, HAIKU45, &r, &e), 0,
	    "Haiku 4.5 in sa-east-1 (global only) resolves");
	is_int(r.kind, RESOLVE_GLOBAL_PROFILE, "global profile");
	is_str(r.invoke_id, "global." HAIKU45, "global. id");
	ok(r.region_less, "marked Region-less");
	is_int(r.ndestinations, 0, "no enumerated destinations");
	is_str(r.arn, "arn:aws:bedrock:sa-east-1:" RESOLVE_ACCOUNT_PLACEHOLDER
	    ":inference-profile/global." HAIKU45, "global profile ARN");
	resolve_result_free(&r);

	is_int(cat_resolve("us-east-1", NULL, "global." HAIKU45, &r, &e), 0,
	    "a global. id given directly");
	ok(r.kind == RESOLVE_GLOBAL_PROFILE && r.region_less &&
	    strcmp(r.model_id, HAIKU45) == 0, "is a global call of Haiku 4.5");
	resolve_result_free(&r);

	is_int(cat_resolve("us-east-2", NULL, "us." HAIKU45, &r, &e), 0,
	    "a us. id given directly");
	is_int(r.kind, RESOLVE_GEO_PROFILE, "is a geographic call");
	resolve_result_free(&r);
}

static void
test_not_offered(void)
{
	struct resolve_result	 r;
	struct err		 e;

	is_int(cat_resolve("eu-west-1", NULL, "amazon.nova-premier-v1:0", &r,
	    &e), -1, "Nova Premier is not offered in eu-west-1");
	is_int(r.kind, RESOLVE_NONE, "kind none");
	is_int(e.kind, ERR_CONFIG, "a configuration error");
	is_int(r.noffered_in, 3, "three Regions offer it");
	ok(r.noffered_in == 3 && strcmp(r.offered_in[0], "us-east-1") == 0 &&
	    strcmp(r.offered_in[1], "us-east-2") == 0 &&
	    strcmp(r.offered_in[2], "us-west-2") == 0,
	    "they are us-east-1, us-east-2, us-west-2");
	ok(strstr(e.message, "eu-west-1") != NULL &&
	    strstr(e.message, "us-east-2") != NULL,
	    "the reason names the Region and where it is offered");
	resolve_result_free(&r);

	is_int(cat_resolve("us-east-1", NULL, "eu." HAIKU45, &r, &e), -1,
	    "an eu. profile is not callable from us-east-1");
	ok(r.noffered_in >= 6 && strncmp(r.offered_in[0], "eu-", 3) == 0,
	    "the reason lists the EU source Regions");
	resolve_result_free(&r);

	is_int(cat_resolve("us-east-1", NULL, "acme.unknown-model-v1:0", &r,
	    &e), -1, "an unknown model is not offered");
	ok(e.kind == ERR_CONFIG && r.noffered_in == 0 &&
	    strstr(e.message, "acme.unknown-model-v1:0") != NULL,
	    "and the catalog knows no Region for it");
	resolve_result_free(&r);

	is_int(cat_resolve("us-east-1", NULL, "", &r, &e), -1, "empty input");
	is_int(e.kind, ERR_USAGE, "is a usage error");
	resolve_result_free(&r);
	is_int(cat_resolve("us-east-1", NULL, "not a model", &r, &e), -1,
	    "garbage input");
	is_int(e.kind, ERR_USAGE, "is a usage error");
	resolve_result_free(&r);
	is_int(cat_resolve("us-east-1", NULL, "arn:aws:s3:::bucket", &r, &e),
	    -1, "a non-Bedrock ARN");
	is_int(e.kind, ERR_USAGE, "is a usage error");
	resolve_result_free(&r);
	is_int(cat_resolve("xx-nowhere-1", NULL, MICRO, &r, &e), -2,
	    "the catalog view of an unknown Region fails");
	is_int(e.kind, ERR_USAGE, "with a usage error");
}

static void
test_app_and_provisioned(void)
{
	struct resolve_view	 v;
	struct resolve_profile	*p;
	struct resolve_result	 r;
	struct err		 e;
	const char		*app = "arn:aws:bedrock:us-east-1:" ACCOUNT
	    ":application-inference-profile/aaa1234bcd56";
	const char		*prov = "arn:aws:bedrock:us-east-1:" ACCOUNT
	    ":provisioned-model/abcdef123456";

	resolve_view_init(&v, "us-east-1", ACCOUNT, "live");
	p = resolve_view_add_profile(&v, "aaa1234bcd56", app, "APPLICATION");
	resolve_profile_add_model(p, "arn:aws:bedrock:us-west-2::"
	    "foundation-model/" HAIKU45);
	resolve_profile_add_model(p, "arn:aws:bedrock:us-east-1::"
	    "foundation-model/" HAIKU45);
	resolve_profile_add_model(p, "arn:aws:bedrock:us-east-2::"
	    "foundation-model/" HAIKU45);

	err_clear(&e);
	is_int(resolve_model(&v, cat, app, &r, &e), 0,
	    "an application profile ARN resolves");
	is_int(r.kind, RESOLVE_APP_PROFILE, "application profile");
	is_str(r.invoke_id, app, "invoked by its ARN");
	is_str(r.arn, app, "ARN kept");
	is_str(r.model_id, HAIKU45, "FM id from the profile's models");
	is_str(dests(&r), "us-east-1,us-east-2,us-west-2",
	    "destinations from the model ARNs, sorted");
	resolve_result_free(&r);

	is_int(resolve_model(&v, cat, "arn:aws:bedrock:us-east-1:" ACCOUNT
	    ":application-inference-profile/zzz999", &r, &e), 0,
	    "an application profile unknown to the view");
	ok(r.kind == RESOLVE_APP_PROFILE && !r.destinations_known &&
	    r.model_id == NULL, "is callable but its targets are unknown");
	resolve_result_free(&r);

	is_int(resolve_model(&v, cat, "arn:aws:bedrock:eu-west-1:" ACCOUNT
	    ":application-inference-profile/aaa", &r, &e), -1,
	    "an application profile of another Region is refused");
	resolve_result_free(&r);

	is_int(resolve_model(&v, cat, prov, &r, &e), 0,
	    "a provisioned-model ARN resolves");
	is_int(r.kind, RESOLVE_PROVISIONED, "provisioned");
	is_str(r.invoke_id, prov, "invoked by its ARN");
	is_str(dests(&r), "us-east-1", "runs in its own Region");
	ok(r.model_id == NULL, "the FM behind it is not known");
	resolve_result_free(&r);
	resolve_view_free(&v);
}

static void
test_live_view(void)
{
	struct resolve_view	 v;
	struct resolve_fm	*fm;
	struct resolve_profile	*p;
	struct resolve_result	 r;
	struct err		 e;
	const char		*us1 = "arn:aws:bedrock:us-east-1::"
	    "foundation-model/" MICRO;

	resolve_view_init(&v, "us-east-1", ACCOUNT, "live");
	/* Live says: Nova Micro only through a profile, with 4 Regions. */
	fm = resolve_view_add_fm(&v, MICRO, us1, "Amazon", "ACTIVE", 1);
	resolve_fm_add_type(fm, "INFERENCE_PROFILE");
	resolve_fm_add_type(fm, "SOMETHING_NEW");
	p = resolve_view_add_profile(&v, "us." MICRO, "arn:aws:bedrock:"
	    "us-east-1:" ACCOUNT ":inference-profile/us." MICRO,
	    "SYSTEM_DEFINED");
	resolve_profile_add_model(p, "arn:aws:bedrock:us-west-2::"
	    "foundation-model/" MICRO);
	resolve_profile_add_model(p, us1);
	resolve_profile_add_model(p, "arn:aws:bedrock:us-west-1::"
	    "foundation-model/" MICRO);
	resolve_profile_add_model(p, "arn:aws:bedrock:us-east-2::"
	    "foundation-model/" MICRO);
	resolve_profile_add_model(p, us1);
	/* Live says: Sonnet 4.5 on demand here (the catalog says no). */
	fm = resolve_view_add_fm(&v, SONNET45, NULL, NULL, "FUTURE_STATE", -1);
	resolve_fm_add_type(fm, "ON_DEMAND");
	/* A model with only an unknown inference type. */
	fm = resolve_view_add_fm(&v, "acme.model-x-v1:0", NULL, NULL, NULL, 0);
	resolve_fm_add_type(fm, "BATCH_ONLY_SOMEDAY");

	ok(resolve_fm_has_type(resolve_view_fm(&v, MICRO), "SOMETHING_NEW"),
	    "an unknown inference type string is kept");
	is_str(resolve_view_fm(&v, SONNET45)->lifecycle, "FUTURE_STATE",
	    "an unknown lifecycle string is kept");

	err_clear(&e);
	is_int(resolve_model(&v, cat, MICRO, &r, &e), 0,
	    "Nova Micro resolves from the live view");
	is_int(r.kind, RESOLVE_GEO_PROFILE,
	    "live view wins: a profile, not on demand");
	is_str(dests(&r), "us-east-1,us-east-2,us-west-1,us-west-2",
	    "live destinations, sorted and de-duplicated");
	is_str(r.arn, "arn:aws:bedrock:us-east-1:" ACCOUNT
	    ":inference-profile/us." MICRO, "the live ARN with the account");
	resolve_result_free(&r);

	is_int(resolve_model(&v, cat, SONNET45, &r, &e), 0,
	    "Sonnet 4.5 resolves from the live view");
	ok(r.kind == RESOLVE_ON_DEMAND && r.streaming == -1 && !r.legacy,
	    "on demand because live says so; streaming unknown");
	resolve_result_free(&r);

	is_int(resolve_model(&v, cat, "acme.model-x-v1:0", &r, &e), -1,
	    "a model with only an unknown inference type is not callable");
	is_int(e.kind, ERR_CONFIG, "configuration error");
	resolve_result_free(&r);

	is_int(resolve_model(&v, cat, HAIKU45, &r, &e), -1,
	    "a catalog model absent from the live view is not offered");
	ok(r.noffered_in > 0, "the catalog still says where it is offered");
	resolve_result_free(&r);
	resolve_view_free(&v);

	/* Several profiles: the narrowest geographic one wins. */
	resolve_view_init(&v, "ap-northeast-1", NULL, "live");
	fm = resolve_view_add_fm(&v, HAIKU45, NULL, NULL, "ACTIVE", 1);
	resolve_fm_add_type(fm, "INFERENCE_PROFILE");
	p = resolve_view_add_profile(&v, "global." HAIKU45, NULL,
	    "SYSTEM_DEFINED");
	resolve_profile_add_model(p, "arn:aws:bedrock:::foundation-model/"
	    HAIKU45);
	p = resolve_view_add_profile(&v, "apac." HAIKU45, NULL, NULL);
	resolve_profile_add_model(p, "arn:aws:bedrock:ap-northeast-1::"
	    "foundation-model/" HAIKU45);
	resolve_profile_add_model(p, "arn:aws:bedrock:ap-south-1::"
	    "foundation-model/" HAIKU45);
	resolve_profile_add_model(p, "arn:aws:bedrock:ap-southeast-1::"
	    "foundation-model/" HAIKU45);
	p = resolve_view_add_profile(&v, "jp." HAIKU45, NULL, "SYSTEM_DEFINED");
	resolve_profile_add_model(p, "arn:aws:bedrock:ap-northeast-3::"
	    "foundation-model/" HAIKU45);
	resolve_profile_add_model(p, "arn:aws:bedrock:ap-northeast-1::"
	    "foundation-model/" HAIKU45);
	is_int(resolve_model(&v, NULL, HAIKU45, &r, &e), 0,
	    "several profiles, no catalog");
	is_str(r.invoke_id, "jp." HAIKU45, "the narrowest geography wins");
	is_str(r.arn, "arn:aws:bedrock:ap-northeast-1:"
	    RESOLVE_ACCOUNT_PLACEHOLDER ":inference-profile/jp." HAIKU45,
	    "a missing ARN is built with the placeholder");
	resolve_result_free(&r);
	is_int(resolve_model(&v, NULL, "global." HAIKU45, &r, &e), 0,
	    "the global one by id, no catalog");
	ok(r.kind == RESOLVE_GLOBAL_PROFILE && r.region_less &&
	    r.ndestinations == 0, "Region-less global call");
	resolve_result_free(&r);
	resolve_view_free(&v);
}

static void
test_every_default(void)
{
	struct resolve_result	 r;
	struct err		 e;
	size_t			 i, bad = 0;

	for (i = 0; i < catalog_region_count(cat); i++) {
		const struct catalog_region *reg = catalog_region_at(cat, i);

		if (cat_resolve(reg->id, NULL, reg->default_model, &r,
		    &e) != 0 || r.kind == RESOLVE_NONE ||
		    (r.kind != RESOLVE_GLOBAL_PROFILE &&
		    r.ndestinations == 0)) {
			bad++;
			printf("# %s %s: %s\n", reg->id, reg->default_model,
			    e.message);
		}
		resolve_result_free(&r);
	}
	is_int(bad, 0, "every Region's default model resolves there");

	cat_resolve("us-east-1", NULL,
	    "anthropic.claude-opus-4-1-20250805-v1:0", &r, &e);
	ok(r.kind == RESOLVE_GEO_PROFILE && r.legacy,
	    "a legacy model is flagged");
	resolve_result_free(&r);
	is_str(resolve_kind_name(RESOLVE_GLOBAL_PROFILE), "global-profile",
	    "kind names");
	is_str(resolve_kind_name((enum resolve_kind)99), "none",
	    "out-of-range kind");
}

static void
test_caps(void)
{
	struct resolve_view	 v;
	struct resolve_fm	*fm;
	size_t			 i;
	int			 full = 0;

	resolve_view_init(&v, "us-east-1", NULL, "live");
	fm = resolve_view_add_fm(&v, MICRO, NULL, NULL, NULL, 1);
	for (i = 0; i < RESOLVE_MAX_TYPES + 3; i++)
		full += resolve_fm_add_type(fm, "T") == -1;
	is_int(full, 3, "inference types are capped");
	ok(resolve_view_add_fm(&v, NULL, NULL, NULL, NULL, 0) == NULL,
	    "an entry needs an id");
	resolve_view_free(&v);
	resolve_view_free(&v);
	ok(1, "freeing a view twice is harmless");
}

int
main(void)
{
	struct err	 e;
	struct catalog	*c;

	err_clear(&e);
	if (!ok((c = catalog_load_embedded(&e)) != NULL,
	    "the embedded catalog loads")) {
		printf("#   %s\n", e.message);
		return tap_done();
	}
	cat = c;
	test_on_demand();
	test_geo_us();
	test_geo_eu();
	test_global();
	test_not_offered();
	test_app_and_provisioned();
	test_live_view();
	test_every_default();
	test_caps();
	catalog_free(c);
	return tap_done();
}
