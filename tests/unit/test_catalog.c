/*
 * test_catalog.c: the embedded catalog (data/catalog.json compiled in by
 * tools/embed.sh) and its look-ups.  Checks the data against the fact
 * sheet and AWS's own patterns independently of the loader's validation,
 * and that a broken file is refused with an error naming the bad entry.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "catalog.h"
#include "err.h"
#include "tap.h"
#include "xalloc.h"

extern const unsigned char catalog_embedded[];
extern const size_t catalog_embedded_len;

/* botocore bedrock FoundationModelArn, the model-id part, anchored. */
#define MODEL_ID_RE \
	"^[a-z0-9-]{1,63}[.]{1}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}" \
	"([:][a-z0-9-]{1,63}){0,2}$"
/* botocore bedrock FoundationModelArn, anchored. */
#define FM_ARN_RE \
	"^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}::foundation-model/" \
	"[a-z0-9-]{1,63}[.]{1}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}" \
	"([:][a-z0-9-]{1,63}){0,2}$"
/* botocore bedrock InferenceProfileId (1..64 chars). */
#define PROFILE_ID_RE	"^[a-zA-Z0-9:.-]{1,64}$"
/* An IAM ARN format with ${Placeholders}. */
#define ARN_FMT_RE \
	"^arn:\\$\\{Partition\\}:(bedrock|iam):(|\\$\\{Region\\}):" \
	"(|\\$\\{Account\\}):[a-z-]+/([A-Za-z0-9/-]|\\$\\{[A-Za-z]+\\})+$"

/* Fact sheet section 6: the 33 commercial Regions and their geography. */
static const struct {
	const char	*id;
	const char	*geo;
	int		 opt_in;
} facts_regions[] = {
	{ "us-east-1", "United States", 0 }, { "us-east-2", "United States", 0 },
	{ "us-west-1", "United States", 0 }, { "us-west-2", "United States", 0 },
	{ "ca-central-1", "Canada", 0 }, { "ca-west-1", "Canada", 1 },
	{ "mx-central-1", "Mexico", 1 }, { "sa-east-1", "South America", 0 },
	{ "eu-central-1", "Europe", 0 }, { "eu-central-2", "Europe", 1 },
	{ "eu-north-1", "Europe", 0 }, { "eu-south-1", "Europe", 1 },
	{ "eu-south-2", "Europe", 1 }, { "eu-west-1", "Europe", 0 },
	{ "eu-west-2", "Europe", 0 }, { "eu-west-3", "Europe", 0 },
	{ "ap-northeast-1", "Asia Pacific", 0 },
	{ "ap-northeast-2", "Asia Pacific", 0 },
	{ "ap-northeast-3", "Asia Pacific", 0 },
	{ "ap-south-1", "Asia Pacific", 0 }, { "ap-south-2", "Asia Pacific", 1 },
	{ "ap-southeast-1", "Asia Pacific", 0 },
	{ "ap-southeast-2", "Asia Pacific", 0 },
	{ "ap-southeast-3", "Asia Pacific", 1 },
	{ "ap-southeast-4", "Asia Pacific", 1 },
	{ "ap-southeast-5", "Asia Pacific", 1 },
	{ "ap-southeast-6", "Asia Pacific", 1 },
	{ "ap-southeast-7", "Asia Pacific", 1 },
	{ "ap-east-2", "Asia Pacific", 1 },
	{ "me-central-1", "Middle East", 1 }, { "me-south-1", "Middle East", 1 },
	{ "il-central-1", "Middle East", 1 }, { "af-south-1", "Africa", 1 },
};

static int
matches(const char *pattern, const char *s)
{
	regex_t	 re;
	int	 rc;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return -1;
	rc = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return rc;
}

static int
strs_has(const struct catalog_strs *l, const char *s)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

/* Replace the first occurrence of from in the embedded JSON. */
static char *
mutate(const char *from, const char *to)
{
	const char	*text = (const char *)catalog_embedded;
	const char	*at = strstr(text, from);
	struct buf	 b = BUF_INIT;

	if (at == NULL)
		return NULL;
	buf_add(&b, text, (size_t)(at - text));
	buf_addstr(&b, to);
	buf_addstr(&b, at + strlen(from));
	return buf_take(&b, NULL);
}

/* Write text to a temporary file; returns its malloc'd path. */
static char *
write_temp(const char *text)
{
	const char	*dir = getenv("TMPDIR");
	char		*path;
	size_t		 len = strlen(text);
	FILE		*f;
	int		 fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	path = xmalloc(strlen(dir) + 32);
	snprintf(path, strlen(dir) + 32, "%s/test_catalog.XXXXXX", dir);
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		free(path);
		return NULL;
	}
	if (fwrite(text, 1, len, f) != len) {
		fclose(f);
		unlink(path);
		free(path);
		return NULL;
	}
	fclose(f);
	return path;
}

static void
test_load(const struct catalog *cat)
{
	is_str(catalog_date(cat), "2026-11-25", "catalog is dated 2026-11-25");
	ok(strstr(catalog_sources(cat), "botocore") != NULL,
	    "sources note names its sources");
	ok(catalog_embedded_len > 1000 &&
	    catalog_embedded[catalog_embedded_len] == '\0',
	    "embedded bytes are there and NUL-terminated past _len");
	ok(catalog_embedded_len < 200 * 1024, "catalog under 200 KB (%zu)",
	    (size_t)catalog_embedded_len);
}

static void
test_regions(const struct catalog *cat)
{
	const struct catalog_region	*eu[16];
	size_t				 i, n, commercial = 0, missing = 0;
	size_t				 badgeo = 0, badopt = 0;

	for (i = 0; i < sizeof facts_regions / sizeof facts_regions[0]; i++) {
		const struct catalog_region *r = catalog_region(cat,
		    facts_regions[i].id);

		if (r == NULL) {
			missing++;
			printf("# missing Region %s\n", facts_regions[i].id);
			continue;
		}
		if (strcmp(r->geography, facts_regions[i].geo) != 0) {
			badgeo++;
			printf("# %s: geography %s\n", r->id, r->geography);
		}
		if (r->opt_in != facts_regions[i].opt_in) {
			badopt++;
			printf("# %s: opt_in %d\n", r->id, r->opt_in);
		}
	}
	is_int(sizeof facts_regions / sizeof facts_regions[0], 33,
	    "the fact sheet lists 33 commercial Regions");
	is_int(missing, 0, "every fact-sheet Region is in the catalog");
	is_int(badgeo, 0, "every Region has the fact sheet's geography");
	is_int(badopt, 0, "opt-in follows the March-2019 rule");
	ok(catalog_region(cat, "us-gov-west-1") != NULL &&
	    catalog_region(cat, "us-gov-east-1") != NULL,
	    "both GovCloud Regions are present");
	ok(catalog_region(cat, "ap-east-1") == NULL,
	    "Hong Kong (no Bedrock) is absent");
	for (i = 0; i < catalog_region_count(cat); i++)
		commercial += strcmp(catalog_region_at(cat, i)->partition,
		    "aws") == 0;
	is_int(commercial, 33, "33 Regions in the aws partition");
	is_int(catalog_region_count(cat), 35, "35 Regions in all");

	n = catalog_regions_in_geography(cat, "Europe", eu, 16);
	is_int(n, 8, "8 Regions in Europe");
	ok(n == 8 && strncmp(eu[0]->id, "eu-", 3) == 0 &&
	    strncmp(eu[7]->id, "eu-", 3) == 0, "Europe look-up returns eu-*");
	is_int(catalog_regions_in_geography(cat, "Europe", eu, 2), 8,
	    "a short output array still reports the total");
	is_int(catalog_regions_in_geography(cat, "Atlantis", eu, 16), 0,
	    "unknown geography matches nothing");
	is_str(catalog_region(cat, "eu-central-2")->name, "Europe (Zurich)",
	    "Region display name");
	ok(catalog_geography(cat, "GovCloud") != NULL &&
	    strlen(catalog_geography(cat, "GovCloud")->residency) > 20,
	    "GovCloud has a residency note");
	for (i = 0, n = 0; i < catalog_geography_count(cat); i++)
		n += strlen(catalog_geography_at(cat, i)->residency) > 20 &&
		    strchr(catalog_geography_at(cat, i)->residency,
		    '\n') == NULL;
	is_int(n, catalog_geography_count(cat),
	    "every geography has a one-line residency note");
}

static void
test_partitions(const struct catalog *cat)
{
	const struct catalog_partition *p;

	is_str(catalog_partition_of(cat, "us-gov-west-1"), "aws-us-gov",
	    "us-gov-west-1 is GovCloud");
	is_str(catalog_partition_of(cat, "us-gov-north-7"), "aws-us-gov",
	    "an unknown us-gov-* Region is GovCloud");
	is_str(catalog_partition_of(cat, "cn-north-1"), "aws-cn",
	    "cn-north-1 is China");
	is_str(catalog_partition_of(cat, "cn-northwest-1"), "aws-cn",
	    "cn-northwest-1 is China");
	is_str(catalog_partition_of(cat, "eu-west-9"), "aws",
	    "an unknown eu-* Region is standard");
	is_str(catalog_partition_of(cat, "us-east-1"), "aws",
	    "us-east-1 is standard, not GovCloud");
	is_str(catalog_partition_of(cat, "zz-mars-1"), "aws",
	    "anything else is standard");
	is_str(catalog_partition_of(NULL, "us-gov-east-1"), "aws-us-gov",
	    "without a catalog: us-gov-*");
	is_str(catalog_partition_of(NULL, "cn-north-1"), "aws-cn",
	    "without a catalog: cn-*");
	is_str(catalog_partition_of(NULL, NULL), "aws",
	    "without a catalog or Region: aws");
	p = catalog_partition(cat, "aws-cn");
	ok(p != NULL && strcmp(p->dns_suffix, "amazonaws.com.cn") == 0,
	    "aws-cn dnsSuffix is amazonaws.com.cn");
	p = catalog_partition(cat, "aws-us-gov");
	ok(p != NULL && strcmp(p->dns_suffix, "amazonaws.com") == 0,
	    "aws-us-gov dnsSuffix is amazonaws.com");
	is_int(catalog_partition_count(cat), 3, "three partitions");
}

static void
test_prefixes(const struct catalog *cat)
{
	const struct catalog_prefix	*p;
	size_t				 i, j, bad = 0;

	p = catalog_prefix(cat, "us");
	ok(p != NULL && p->destinations.n == 3 &&
	    strs_has(&p->destinations, "us-east-1") &&
	    strs_has(&p->destinations, "us-east-2") &&
	    strs_has(&p->destinations, "us-west-2"),
	    "us. goes to us-east-1, us-east-2, us-west-2");
	p = catalog_prefix(cat, "eu");
	ok(p != NULL && p->destinations.n >= 6,
	    "eu. has 6 or more destinations (%zu)",
	    p != NULL ? p->destinations.n : 0);
	p = catalog_prefix(cat, "apac");
	ok(p != NULL && strs_has(&p->destinations, "me-central-1"),
	    "apac. includes me-central-1");
	p = catalog_prefix(cat, "global");
	ok(p != NULL && p->region_less && p->destinations.n == 0,
	    "global. is Region-less with no enumerated destinations");
	p = catalog_prefix(cat, "us-gov");
	ok(p != NULL && strcmp(p->partition, "aws-us-gov") == 0 &&
	    p->destinations.n == 2, "us-gov. stays in GovCloud");
	ok(catalog_prefix(cat, "jp") != NULL &&
	    catalog_prefix(cat, "au") != NULL, "jp. and au. exist");
	ok(catalog_prefix_of_profile(cat, "us-gov.x.y-v1:0") ==
	    catalog_prefix(cat, "us-gov"), "us-gov.x resolves to us-gov");
	ok(catalog_prefix_of_profile(cat, "us.x.y-v1:0") ==
	    catalog_prefix(cat, "us"), "us.x resolves to us");
	ok(catalog_prefix_of_profile(cat, "amazon.nova-micro-v1:0") == NULL,
	    "a model id has no profile prefix");

	for (i = 0; i < catalog_prefix_count(cat); i++) {
		p = catalog_prefix_at(cat, i);
		for (j = 0; j < p->destinations.n; j++) {
			const struct catalog_region *r = catalog_region(cat,
			    p->destinations.v[j]);

			if (r == NULL || strcmp(r->partition,
			    p->partition) != 0) {
				bad++;
				printf("# %s: destination %s\n", p->prefix,
				    p->destinations.v[j]);
			}
		}
	}
	is_int(bad, 0, "every prefix destination is a Region of its "
	    "partition");
}

static void
test_references(const struct catalog *cat)
{
	size_t	 i, j, k, bad = 0, badid = 0, badpid = 0, badtype = 0;

	for (i = 0; i < catalog_region_count(cat); i++) {
		const struct catalog_region *r = catalog_region_at(cat, i);

		if (catalog_geography(cat, r->geography) == NULL ||
		    catalog_partition(cat, r->partition) == NULL) {
			bad++;
			printf("# region %s: bad reference\n", r->id);
		}
		for (j = 0; j < r->profile_prefixes.n; j++) {
			if (catalog_prefix(cat, r->profile_prefixes.v[j]) ==
			    NULL) {
				bad++;
				printf("# region %s: prefix %s\n", r->id,
				    r->profile_prefixes.v[j]);
			}
		}
	}
	for (i = 0; i < catalog_model_count(cat); i++) {
		const struct catalog_model *m = catalog_model_at(cat, i);
		int on_demand = strs_has(&m->inference_types, "ON_DEMAND");
		int profile = strs_has(&m->inference_types,
		    "INFERENCE_PROFILE");

		if (matches(MODEL_ID_RE, m->id) != 1) {
			badid++;
			printf("# model id %s\n", m->id);
		}
		if (catalog_provider(cat, m->provider) == NULL) {
			bad++;
			printf("# model %s: provider %s\n", m->id,
			    m->provider);
		}
		if (on_demand != (m->regions.n > 0) ||
		    profile != (m->nprofiles > 0)) {
			badtype++;
			printf("# model %s: inference types\n", m->id);
		}
		for (j = 0; j < m->regions.n; j++) {
			if (catalog_region(cat, m->regions.v[j]) == NULL) {
				bad++;
				printf("# model %s: Region %s\n", m->id,
				    m->regions.v[j]);
			}
		}
		for (j = 0; j < m->nprofiles; j++) {
			const struct catalog_model_profile *mp =
			    &m->profiles[j];
			char id[128];

			if (catalog_prefix(cat, mp->prefix) == NULL) {
				bad++;
				printf("# model %s: prefix %s\n", m->id,
				    mp->prefix);
			}
			catalog_profile_id(mp->prefix, m->id, id, sizeof id);
			if (matches(PROFILE_ID_RE, id) != 1) {
				badpid++;
				printf("# profile id %s\n", id);
			}
			for (k = 0; k < mp->sources.n; k++) {
				const struct catalog_region *r =
				    catalog_region(cat, mp->sources.v[k]);

				if (r == NULL || !strs_has(&r->profile_prefixes,
				    mp->prefix)) {
					bad++;
					printf("# model %s: %s source %s\n",
					    m->id, mp->prefix,
					    mp->sources.v[k]);
				}
			}
		}
	}
	is_int(bad, 0, "every Region, model and profile reference resolves");
	is_int(badid, 0, "every model id matches AWS's model id pattern");
	is_int(badpid, 0, "every profile id matches AWS's profile id pattern");
	is_int(badtype, 0, "inference types agree with Regions and profiles");
	ok(catalog_model_count(cat) >= 25, "at least 25 models (%zu)",
	    catalog_model_count(cat));
}

static void
test_model_id_check(void)
{
	static const char *const ids[] = {
		"anthropic.claude-3-haiku-20240307-v1:0",
		"anthropic.claude-sonnet-4-6", "anthropic.claude-opus-4-6-v1",
		"amazon.titan-text-lite-v1:0:4k", "deepseek.v3.2",
		"a.b.c.d", "a.b.c.d.e", "nodot", "Upper.case", "a..b",
		"a.b:", "a.b:1:2:3", ".a", "a.", "us.amazon.nova-lite-v1:0",
		"a.b c", "",
	};
	size_t	 i, bad = 0;

	for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		if (catalog_model_id_valid(ids[i]) !=
		    matches(MODEL_ID_RE, ids[i])) {
			bad++;
			printf("# disagree on \"%s\"\n", ids[i]);
		}
	}
	is_int(bad, 0, "catalog_model_id_valid agrees with the AWS regex");
	ok(!catalog_model_id_valid(NULL), "NULL is not a model id");
}

static void
test_models(const struct catalog *cat)
{
	const struct catalog_model	*out[64], *m;
	const struct catalog_prefix	*pf[8];
	const struct catalog_region	*rs[64];
	size_t				 i, n, want;
	char				 buf[96];
	int				 has_micro = 0, has_embed = 0;

	n = catalog_models_in_region(cat, "us-east-1", CATALOG_TEXT_ONLY, out,
	    64);
	for (i = 0; i < n && i < 64; i++) {
		has_micro |= strcmp(out[i]->id, "amazon.nova-micro-v1:0") == 0;
		has_embed |= !out[i]->text;
	}
	ok(has_micro && !has_embed,
	    "us-east-1 text models include Nova Micro and no embeddings");
	n = catalog_models_in_region(cat, "us-east-1", 0, out, 64);
	for (i = 0, has_embed = 0; i < n && i < 64; i++)
		has_embed |= strcmp(out[i]->id,
		    "amazon.titan-embed-text-v2:0") == 0;
	ok(has_embed, "without the filter embeddings are listed too");
	n = catalog_models_in_region(cat, "us-east-1", CATALOG_NO_LEGACY, out,
	    64);
	for (i = 0, want = 0; i < n && i < 64; i++)
		want += catalog_model_is_legacy(out[i]);
	is_int(want, 0, "CATALOG_NO_LEGACY drops legacy models");
	ok(catalog_model_is_legacy(catalog_model(cat,
	    "anthropic.claude-opus-4-1-20250805-v1:0")),
	    "Claude Opus 4.1 is legacy");

	for (i = 0, want = 0; i < catalog_model_count(cat); i++)
		want += strcmp(catalog_model_at(cat, i)->provider,
		    "Anthropic") == 0;
	is_int(catalog_models_by_provider(cat, "anthropic", out, 64), want,
	    "models by provider (matched by id, any case)");
	ok(want >= 5, "several Anthropic models");

	n = catalog_model_profiles_for(cat, "us-east-1",
	    "anthropic.claude-sonnet-4-5-20250929-v1:0", pf, 8);
	ok(n == 2 && strcmp(pf[0]->prefix, "us") == 0 &&
	    strcmp(pf[1]->prefix, "global") == 0,
	    "Sonnet 4.5 from us-east-1: us., then global.");
	n = catalog_model_profiles_for(cat, "ap-northeast-1",
	    "anthropic.claude-haiku-4-5-20251001-v1:0", pf, 8);
	ok(n >= 1 && strcmp(pf[0]->prefix, "jp") == 0,
	    "Haiku 4.5 from Tokyo: jp. first");
	is_int(catalog_model_profiles_for(cat, "eu-west-1",
	    "amazon.nova-premier-v1:0", pf, 8), 0,
	    "Nova Premier has no profile from eu-west-1");
	n = catalog_model_regions(cat, "amazon.nova-premier-v1:0", rs, 64);
	ok(n == 3 && strcmp(rs[0]->id, "us-east-1") == 0,
	    "Nova Premier is callable from three US Regions");

	is_int(catalog_profile_id("us", "amazon.nova-lite-v1:0", buf,
	    sizeof buf), 24, "profile id length");
	is_str(buf, "us.amazon.nova-lite-v1:0", "profile id text");
	is_int(catalog_profile_id(NULL, "x", buf, sizeof buf), -1,
	    "profile id needs a prefix");

	m = catalog_model(cat, "anthropic.claude-haiku-4-5-20251001-v1:0");
	ok(m != NULL && m->text && m->streaming &&
	    strs_has(&m->input, "IMAGE"), "Haiku 4.5 facts");
	ok(catalog_model_profile(m, "global") != NULL &&
	    catalog_model_profile(m, "global")->sources.n == 33,
	    "Haiku 4.5 global. from all 33 commercial Regions");

	for (i = 0, n = 0; i < catalog_region_count(cat); i++) {
		const struct catalog_region *r = catalog_region_at(cat, i);

		m = catalog_default_model(cat, r->id);
		if (m == NULL || !m->text || (!catalog_model_in_region(m,
		    r->id) && catalog_model_profiles_for(cat, r->id, m->id,
		    pf, 8) == 0)) {
			n++;
			printf("# %s: default model\n", r->id);
		}
	}
	is_int(n, 0, "every Region has a callable default text model");
	ok(catalog_default_model(cat, "nowhere-1") == NULL,
	    "no default model for an unknown Region");
}

static void
test_providers(const struct catalog *cat)
{
	static const char *const free_ones[] = {
		"Amazon", "DeepSeek", "Mistral AI", "Meta", "Qwen", "OpenAI",
	};
	static const char *const paid[] = {
		"Anthropic", "Cohere", "AI21 Labs", "Writer",
	};
	size_t	 i, bad = 0, forms = 0;

	for (i = 0; i < sizeof free_ones / sizeof free_ones[0]; i++) {
		const struct catalog_provider *p = catalog_provider(cat,
		    free_ones[i]);

		if (p == NULL || p->needs_marketplace)
			bad++;
	}
	for (i = 0; i < sizeof paid / sizeof paid[0]; i++) {
		const struct catalog_provider *p = catalog_provider(cat,
		    paid[i]);

		if (p == NULL || !p->needs_marketplace)
			bad++;
	}
	is_int(bad, 0, "Marketplace flags follow fact sheet 1.6");
	for (i = 0; i < catalog_provider_count(cat); i++)
		forms += catalog_provider_at(cat, i)->needs_use_case_form;
	ok(forms == 1 && catalog_provider(cat, "Anthropic")->
	    needs_use_case_form, "only Anthropic needs the use-case form");
	ok(strstr(catalog_provider(cat, "Anthropic")->terms, "15 minutes") !=
	    NULL, "the terms note mentions the 15-minute subscription");
	ok(catalog_provider(cat, "MISTRAL") != NULL,
	    "providers match ignoring case");
}

static void
test_iam(const struct catalog *cat)
{
	const struct catalog_action	*a;
	const char			*f;
	char				 arn[256];
	size_t				 i, j, bad = 0, badfmt = 0;
	static const char *const needed[] = {
		"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream",
		"bedrock:ListFoundationModels", "bedrock:ListInferenceProfiles",
		"bedrock:GetFoundationModelAvailability",
		"bedrock:GetUseCaseForModelAccess",
		"bedrock:PutUseCaseForModelAccess",
		"bedrock:CreateFoundationModelAgreement",
		"bedrock:CallWithBearerToken", "aws-marketplace:Subscribe",
		"aws-marketplace:Unsubscribe",
		"aws-marketplace:ViewSubscriptions", "sts:GetCallerIdentity",
		"iam:SimulatePrincipalPolicy",
		"access-analyzer:ValidatePolicy",
	};

	for (i = 0; i < sizeof needed / sizeof needed[0]; i++) {
		if (catalog_action(cat, needed[i]) == NULL) {
			bad++;
			printf("# missing %s\n", needed[i]);
		}
	}
	is_int(bad, 0, "the policy generator's actions are all there");
	ok(catalog_action(cat, "BEDROCK:invokemodel") != NULL,
	    "actions match ignoring case");
	for (i = 0, bad = 0; i < catalog_action_count(cat); i++)
		bad += strstr(catalog_action_at(cat, i)->action,
		    "Converse") != NULL;
	is_int(bad, 0, "there is no Converse action");
	ok(catalog_action_accepts(cat, "bedrock:InvokeModel",
	    "inference-profile") && catalog_action_accepts(cat,
	    "bedrock:InvokeModel", "foundation-model") &&
	    catalog_action_accepts(cat, "bedrock:InvokeModel",
	    "application-inference-profile"),
	    "InvokeModel takes profiles and foundation models");
	ok(catalog_action_accepts(cat, "bedrock:InvokeModel", "async-invoke") &&
	    !catalog_action_accepts(cat,
	    "bedrock:InvokeModelWithResponseStream", "async-invoke"),
	    "only InvokeModel takes async-invoke");
	a = catalog_action(cat, "bedrock:ListFoundationModels");
	ok(a != NULL && a->resources.n == 0, "ListFoundationModels is on *");
	a = catalog_action(cat, "sts:GetCallerIdentity");
	ok(a != NULL && a->resources.n == 0, "GetCallerIdentity is on *");

	for (i = 0, bad = 0; i < catalog_action_count(cat); i++) {
		a = catalog_action_at(cat, i);
		for (j = 0; j < a->resources.n; j++)
			bad += catalog_arn_format(cat, a->resources.v[j]) ==
			    NULL;
	}
	is_int(bad, 0, "every resource type an action takes has an ARN "
	    "format");
	for (i = 0; i < catalog_resource_type_count(cat); i++) {
		const struct catalog_resource_type *t =
		    catalog_resource_type_at(cat, i);

		if (matches(ARN_FMT_RE, t->arn) != 1) {
			badfmt++;
			printf("# ARN format %s\n", t->arn);
		}
	}
	is_int(badfmt, 0, "every ARN format is well formed");

	f = catalog_arn_format(cat, "foundation-model");
	ok(f != NULL && strstr(f, "::foundation-model/") != NULL,
	    "foundation-model ARNs have an empty account");
	if (f != NULL) {
		/* Expand the placeholders and check against botocore. */
		struct buf b = BUF_INIT;
		const char *p = f;

		while (*p != '\0') {
			if (strncmp(p, "${Partition}", 12) == 0) {
				buf_addstr(&b, "aws");
				p += 12;
			} else if (strncmp(p, "${Region}", 9) == 0) {
				buf_addstr(&b, "us-east-1");
				p += 9;
			} else if (strncmp(p, "${ModelId}", 10) == 0) {
				buf_addstr(&b, "anthropic.claude-3-haiku-"
				    "20240307-v1:0");
				p += 10;
			} else
				buf_addc(&b, *p++);
		}
		snprintf(arn, sizeof arn, "%s", buf_str(&b));
		buf_free(&b);
		is_str(arn, "arn:aws:bedrock:us-east-1::foundation-model/"
		    "anthropic.claude-3-haiku-20240307-v1:0",
		    "expanded foundation-model ARN");
		is_int(matches(FM_ARN_RE, arn), 1,
		    "expanded ARN matches botocore's FoundationModelArn");
	}
	f = catalog_arn_format(cat, "inference-profile");
	ok(f != NULL && strstr(f, ":${Account}:inference-profile/") != NULL,
	    "inference-profile ARNs carry the account");
	f = catalog_arn_format(cat, "foundation-model-global");
	ok(f != NULL && strstr(f, "bedrock:::foundation-model/") != NULL,
	    "the global foundation-model ARN has no Region and no account");
	ok(catalog_condition_key(cat, "bedrock:InferenceProfileArn") !=
	    NULL && catalog_condition_key(cat, "aws:RequestedRegion") != NULL,
	    "both policy condition keys are listed");
	ok(catalog_arn_format(cat, "no-such-type") == NULL,
	    "unknown resource type has no format");
}

/* A broken copy must be refused, naming what is wrong. */
static void
bad_file(const char *from, const char *to, const char *expect1,
    const char *expect2, const char *name)
{
	struct err	 e;
	struct catalog	*cat;
	char		*text = mutate(from, to), *path = NULL;

	err_clear(&e);
	if (text == NULL || (path = write_temp(text)) == NULL) {
		ok(0, "%s: could not prepare the file", name);
		free(text);
		return;
	}
	cat = catalog_load_file(path, &e);
	ok(cat == NULL && e.kind == ERR_CONFIG &&
	    strstr(e.message, expect1) != NULL &&
	    (expect2 == NULL || strstr(e.message, expect2) != NULL) &&
	    strcmp(e.where, path) == 0, "%s", name);
	if (cat != NULL || strstr(e.message, expect1) == NULL)
		printf("#   message: %s\n", e.message);
	catalog_free(cat);
	unlink(path);
	free(path);
	free(text);
}

static void
test_bad(void)
{
	struct err	 e;
	struct catalog	*cat;
	char		*path;

	bad_file("\"geography\": \"Africa\"", "\"geography\": \"Moon\"",
	    "af-south-1", "Moon", "unknown geography names the Region");
	bad_file("\"provider\": \"Writer\"", "\"provider\": \"Nobody\"",
	    "writer.palmyra-x5-v1:0", "Nobody",
	    "unknown provider names the model");
	bad_file("\"id\": \"deepseek.r1-v1:0\"", "\"id\": \"deepseek.R1\"",
	    "deepseek.R1", "foundation-model id", "bad model id is named");
	bad_file("\"schema\": 1", "\"schema\": 2", "schema 2", NULL,
	    "another schema is refused");
	bad_file("\"resources\": [\"foundation-model\"]",
	    "\"resources\": [\"no-such-type\"]", "no-such-type",
	    "bedrock:CountTokens", "unknown resource type names the action");
	bad_file("\"default_model\": \"amazon.nova-micro-v1:0\"",
	    "\"default_model\": \"amazon.titan-embed-text-v2:0\"",
	    "us-east-1", "titan-embed", "a default that is no text model is "
	    "refused");
	bad_file("\"default_model\": \"amazon.nova-lite-v1:0\"",
	    "\"default_model\": \"amazon.nova-premier-v1:0\"", "us-west-1",
	    "nova-premier", "a default model not callable there is refused");
	bad_file("\"opt_in\": false", "\"opt_in\": \"no\"", "opt_in",
	    "us-east-1", "a wrong type is refused");
	bad_file("\"arn\": \"arn:${Partition}:bedrock:${Region}::foundation-"
	    "model/${ModelId}\"", "\"arn\": \"arn:${Partition}:bedrock:"
	    "${Region}::foundation-model/${ModelId\"", "bad ARN format",
	    NULL, "a broken ARN format is refused");
	bad_file("\"date\": \"2026-11-25\"", "\"date\": \"late 2026\"",
	    "late 2026", NULL, "a bad date is refused");
	bad_file("\"us\": [\"us-east-1\"", "\"us\": [\"eu-west-1\"",
	    "eu-west-1", NULL, "a profile source that lacks the prefix");

	err_clear(&e);
	path = write_temp("{\"schema\": 1, \"date\": ");
	cat = path != NULL ? catalog_load_file(path, &e) : NULL;
	ok(path != NULL && cat == NULL && e.kind == ERR_CONFIG &&
	    strstr(e.message, "malformed JSON") != NULL,
	    "truncated JSON is refused");
	if (path != NULL)
		unlink(path);
	free(path);

	err_clear(&e);
	cat = catalog_load_file("/nonexistent/catalog.json", &e);
	ok(cat == NULL && e.kind == ERR_IO, "a missing file is an I/O error");
	err_clear(&e);
	ok(catalog_load_buf(NULL, 0, "x", &e) == NULL && e.kind == ERR_CONFIG,
	    "an empty buffer is refused");
	ok(catalog_load_buf("[]", 2, "x", NULL) == NULL,
	    "a NULL err is allowed");
	catalog_free(NULL);
	ok(1, "catalog_free(NULL) is harmless");
}

static void
test_file_roundtrip(void)
{
	struct err	 e;
	struct catalog	*cat;
	char		*path = write_temp((const char *)catalog_embedded);

	err_clear(&e);
	cat = path != NULL ? catalog_load_file(path, &e) : NULL;
	ok(cat != NULL && catalog_model_count(cat) > 0,
	    "the same JSON loads from a file");
	if (cat == NULL)
		printf("#   %s\n", e.message);
	catalog_free(cat);
	if (path != NULL)
		unlink(path);
	free(path);
}

int
main(void)
{
	struct err	 e;
	struct catalog	*cat;

	err_clear(&e);
	cat = catalog_load_embedded(&e);
	if (!ok(cat != NULL, "the embedded catalog loads")) {
		printf("#   %s (%s)\n", e.message, e.where);
		return tap_done();
	}
	test_load(cat);
	test_regions(cat);
	test_partitions(cat);
	test_prefixes(cat);
	test_references(cat);
	test_model_id_check();
	test_models(cat);
	test_providers(cat);
	test_iam(cat);
	test_bad();
	test_file_roundtrip();
	catalog_free(cat);
	return tap_done();
}
