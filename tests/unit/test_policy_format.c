/*
 * test_policy_format.c: the policy's output formats.
 *
 * Usage: test_policy_format GOLDEN_DIR  (tests/golden/policy-formats)
 *
 * Policies (a geographic profile, an on-demand model, a global profile, an
 * application inference profile, a GovCloud policy, six models of every
 * kind with and without an account) are rendered in every format and
 * compared byte for byte with GOLDEN_DIR/<case>.<ext>; then the text is
 * checked for what it must mean: every ARN is in the policy's partition
 * with an empty account field for foundation models, no action is called
 * "Converse", global profiles get their three statements with
 * aws:RequestedRegion "unspecified" on the Region-less model, the CLI
 * command's quoted JSON is
 * unquoted as sh would and re-parsed, the SCP's NotResource holds every
 * ARN the identity policy lets be invoked, the YAML and HCL quote every
 * string and replace the placeholder.  (The YAML is parsed as YAML, the
 * HCL by Terraform, in tests/e2e/test_policy_cmd.py when those tools
 * exist.)  To rewrite the golden files after a deliberate change:
 *
 *     BS_UPDATE_GOLDEN=1 tests/unit/test_policy_format \
 *         tests/golden/policy-formats
 *
 * and read the diff before committing it.
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
#include "policy_format.h"
#include "resolve.h"
#include "tap.h"

#define ACCOUNT		"111122223333"
#define PH		RESOLVE_ACCOUNT_PLACEHOLDER
#define MICRO		"amazon.nova-micro-v1:0"
#define SONNET45	"anthropic.claude-sonnet-4-5-20250929-v1:0"
#define SONNET46	"anthropic.claude-sonnet-4-6"
#define HAIKU45		"anthropic.claude-haiku-4-5-20251001-v1:0"
#define APP_ARN		"arn:aws:bedrock:us-east-1:" ACCOUNT \
			":application-inference-profile/aaa1234"
#define PROV_ARN	"arn:aws:bedrock:us-east-1:" ACCOUNT \
			":provisioned-model/abcdefgh1234"
#define GLOBAL_ARN	"arn:aws:bedrock:us-east-1:" PH \
			":inference-profile/global." SONNET46
#define GOV_PROFILE_ARN	"arn:aws-us-gov:bedrock:us-gov-west-1:" PH \
			":inference-profile/us-gov." SONNET45
#define KEY_REGION	"aws:RequestedRegion"
#define KEY_PROFILE	"bedrock:InferenceProfileArn"

static const char	*golden_dir;
static int		 update_golden;

static const char *const us3[] = { "us-east-1", "us-east-2", "us-west-2" };
static const char *const gov2[] = { "us-gov-east-1", "us-gov-west-1" };

static const struct {
	enum policy_format_kind	 kind;
	const char		*ext;
} formats[] = {
	{ POLICY_FORMAT_JSON,		"json" },
	{ POLICY_FORMAT_CLOUDFORMATION,	"yaml" },
	{ POLICY_FORMAT_TERRAFORM,	"tf" },
	{ POLICY_FORMAT_CLI,		"sh" },
	{ POLICY_FORMAT_SCP,		"scp.json" },
};
#define NFORMATS	(sizeof formats / sizeof formats[0])

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

static char *
render(const struct json *doc, enum policy_format_kind k, const char *name)
{
	struct policy_format_opts	 o = { name };
	struct buf			 b;
	struct err			 e;

	buf_init(&b, 0);
	err_clear(&e);
	if (policy_format_render(doc, k, &o, &b, &e) != 0) {
		printf("#   render %s: %s\n", policy_format_name(k), e.message);
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b, NULL);
}

/*
 * The words of a shell command line, as sh splits them: blanks separate,
 * '...' quotes anything but ', \x outside quotes is x.  Only what the CLI
 * format uses; anything else ($, ", `, ;) fails the test.
 */
static size_t
sh_words(const char *s, char **w, size_t max)
{
	struct buf	 cur;
	size_t		 n = 0;
	int		 in_word = 0;

	buf_init(&cur, 0);
	for (;; s++) {
		if (*s == '\0' || *s == ' ' || *s == '\n') {
			if (in_word && n < max)
				w[n++] = buf_take(&cur, NULL);
			buf_reset(&cur);
			in_word = 0;
			if (*s == '\0')
				break;
			continue;
		}
		in_word = 1;
		if (*s == '\'') {
			const char *end = strchr(s + 1, '\'');

			if (end == NULL)
				break;
			buf_add(&cur, s + 1, (size_t)(end - s - 1));
			if (cur.data == NULL)
				buf_addstr(&cur, "");
			s = end;
		} else if (*s == '\\' && s[1] != '\0') {
			buf_addc(&cur, *++s);
		} else if (strchr("$\"`;&|<>(){}*?", *s) != NULL) {
			buf_free(&cur);
			printf("#   unsafe character '%c' outside quotes\n", *s);
			return (size_t)-1;
		} else {
			buf_addc(&cur, *s);
		}
	}
	buf_free(&cur);
	return n;
}

/* The command's --policy-document, parsed; NULL when it is not there. */
static struct json *
cli_document(const char *cmd, char *name_out, size_t name_len)
{
	char		*w[16];
	size_t		 n, i;
	struct json	*doc = NULL;
	struct err	 e;

	n = sh_words(cmd, w, 16);
	if (n == (size_t)-1)
		return NULL;
	if (n == 7 && strcmp(w[0], "aws") == 0 && strcmp(w[1], "iam") == 0 &&
	    strcmp(w[2], "create-policy") == 0 &&
	    strcmp(w[3], "--policy-name") == 0 &&
	    strcmp(w[5], "--policy-document") == 0) {
		snprintf(name_out, name_len, "%s", w[4]);
		doc = json_parse(w[6], 0, &e);
	}
	for (i = 0; i < n; i++)
		free(w[i]);
	return doc;
}

/* Whether s occurs in arr (an array of strings). */
static int
has(const struct json *arr, const char *s)
{
	return json_array_has_str(arr, s);
}

/* An ARN's account field made "*", in place. */
static void
any_account(char *arn)
{
	char	*p = arn, *end;
	int	 colons = 0;

	while (*p != '\0' && colons < 4)
		if (*p++ == ':')
			colons++;
	if ((end = strchr(p, ':')) == NULL)
		return;
	*p = '*';
	memmove(p + 1, end, strlen(end) + 1);
}

/* Every ARN the identity policy lets be invoked is in the SCP's NotResource. */
static void
check_scp(const char *name, const struct json *doc, const char *text)
{
	struct json		*scp;
	const struct json	*st, *nr, *sts = json_get(doc, "Statement");
	struct err		 e;
	size_t			 i, j, missing = 0, arns = 0;
	int			 sorted = 1, regionless = 0;

	scp = json_parse(text, 0, &e);
	if (!ok(scp != NULL, "%s scp: parses as JSON", name))
		return;
	is_int(json_len(json_get(scp, "Statement")), 1, "%s scp: one "
	    "statement", name);
	st = json_at(json_get(scp, "Statement"), 0);
	is_str(json_get_str(st, "Effect"), "Deny", "%s scp: Deny", name);
	ok(json_get(st, "Resource") == NULL && json_get(st, "Condition") ==
	    NULL, "%s scp: no Resource, no Condition", name);
	ok(json_len(json_get(st, "Action")) == 2 &&
	    has(json_get(st, "Action"), "bedrock:InvokeModel") &&
	    has(json_get(st, "Action"),
	    "bedrock:InvokeModelWithResponseStream"),
	    "%s scp: denies both invoke actions", name);
	nr = json_get(st, "NotResource");
	for (i = 0; i < json_len(sts); i++) {
		const struct json *s = json_at(sts, i);
		const struct json *res = json_get(s, "Resource");
		const struct json *act = json_get(s, "Action");

		if (!has(act, "bedrock:InvokeModel") &&
		    !has(act, "bedrock:InvokeModelWithResponseStream"))
			continue;
		for (j = 0; j < json_len(res); j++) {
			const char	*arn = json_str(json_at(res, j));
			char		 want[512];
			const char	*p = strstr(arn, PH);

			if (p != NULL)
				snprintf(want, sizeof want, "%.*s*%s",
				    (int)(p - arn), arn, p + strlen(PH));
			else
				snprintf(want, sizeof want, "%s", arn);
			/* A system profile is allowed in every account the
			   SCP is attached to: its account field is "*". */
			if (strstr(want, ":inference-profile/") != NULL &&
			    strstr(want, ":application-") == NULL)
				any_account(want);
			arns++;
			if (!has(nr, want)) {
				missing++;
				printf("#   missing %s\n", want);
			}
			if (strncmp(arn, "arn:aws:bedrock:::", 18) == 0)
				regionless = 1;
		}
	}
	ok(arns > 0 && missing == 0, "%s scp: NotResource holds all %zu "
	    "invoke ARNs", name, arns);
	for (i = 1; i < json_len(nr); i++)
		if (strcmp(json_str(json_at(nr, i - 1)),
		    json_str(json_at(nr, i))) >= 0)
			sorted = 0;
	ok(sorted, "%s scp: NotResource sorted and unique", name);
	ok(strstr(text, PH) == NULL, "%s scp: no placeholder left", name);
	if (regionless)
		ok(has(nr, "arn:aws:bedrock:::foundation-model/" SONNET46) ||
		    has(nr, "arn:aws:bedrock:::foundation-model/" SONNET45),
		    "%s scp: keeps the Region-less global FM ARN", name);
	json_free(scp);
}

/* Every scalar after "key:" or "- " is quoted, !Sub, !Ref, or a block. */
static void
check_yaml(const char *name, const char *text, int placeholder)
{
	const char	*line = text, *nl;
	size_t		 bad = 0, subs = 0;

	for (; *line != '\0'; line = nl + 1) {
		const char	*p = line, *v;

		nl = strchr(line, '\n');
		if (nl == NULL)
			break;
		while (*p == ' ')
			p++;
		if (*p == '#' || p == nl)
			continue;
		if ((p - line) % 2 != 0)
			bad++;
		if (strncmp(p, "- ", 2) == 0) {
			p += 2;
			if (strncmp(p, "!Sub \"", 6) == 0) {
				subs++;
				continue;	/* a list item */
			}
		}
		if (*p == '"') {	/* a quoted key or a list item */
			v = p + 1;
			while (v < nl && *v != '"')
				v += *v == '\\' ? 2 : 1;
			p = v + 1;
		} else {
			while (p < nl && *p != ':')
				p++;
		}
		if (p >= nl || *p != ':')
			continue;		/* a quoted list item */
		v = p + 1;
		if (v == nl)
			continue;		/* a block follows */
		if (*v != ' ') {
			bad++;
			continue;
		}
		v++;
		if (strncmp(v, "!Sub \"", 6) == 0)
			subs++;
		else if (*v != '"' && strncmp(v, "!Ref ", 5) != 0 &&
		    strncmp(v, "[]", 2) != 0 && strncmp(v, "{}", 2) != 0) {
			printf("#   unquoted: %.*s\n", (int)(nl - line), line);
			bad++;
		}
	}
	is_int(bad, 0, "%s yaml: every scalar quoted, even indentation", name);
	ok(strstr(text, "\nResources:\n  BedrockSetupPolicy:\n    Type: "
	    "\"AWS::IAM::ManagedPolicy\"\n") != NULL,
	    "%s yaml: an AWS::IAM::ManagedPolicy", name);
	/* Without it CloudFormation refuses a ManagedPolicyName:
	 * "Requires capabilities : [CAPABILITY_NAMED_IAM]". */
	ok(strstr(text, "      ManagedPolicyName: ") != NULL &&
	    strstr(text, "\n#   aws cloudformation deploy ") != NULL &&
	    strstr(text, "\n#     --capabilities CAPABILITY_NAMED_IAM\n") !=
	    NULL, "%s yaml: the deploy command has CAPABILITY_NAMED_IAM for "
	    "the named policy", name);
	ok(strstr(text, "        Version: \"2012-10-17\"\n") != NULL,
	    "%s yaml: the policy's Version is a string, not a date", name);
	ok(strstr(text, PH) == NULL, "%s yaml: no placeholder left", name);
	ok(placeholder ? subs > 0 && strstr(text, "${AWS::AccountId}") !=
	    NULL : subs == 0, "%s yaml: !Sub ${AWS::AccountId} %s", name,
	    placeholder ? "for the account" : "not needed");
}

/* Brackets balance outside strings; the placeholder is the data source. */
static void
check_hcl(const char *name, const char *text, int placeholder)
{
	const char	*p;
	int		 depth = 0, in_str = 0, bad = 0, comment = 0;

	for (p = text; *p != '\0'; p++) {
		if (comment) {
			comment = *p != '\n';
			continue;
		}
		if (in_str) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				in_str = 0;
			continue;
		}
		if (*p == '#')
			comment = 1;
		else if (*p == '"')
			in_str = 1;
		else if (*p == '{' || *p == '[' || *p == '(')
			depth++;
		else if (*p == '}' || *p == ']' || *p == ')')
			if (--depth < 0)
				bad = 1;
	}
	ok(!bad && depth == 0 && !in_str, "%s tf: brackets balance", name);
	ok(strstr(text, "resource \"aws_iam_policy\" \"bedrock_setup\" {\n") !=
	    NULL && strstr(text, "  policy = jsonencode({\n") != NULL,
	    "%s tf: aws_iam_policy with jsonencode", name);
	ok(strstr(text, PH) == NULL, "%s tf: no placeholder left", name);
	ok((strstr(text, "data \"aws_caller_identity\" \"current\" {}") !=
	    NULL) == placeholder, "%s tf: aws_caller_identity %s", name,
	    placeholder ? "used for the account" : "not needed");
}

/* The statement with this Sid, or NULL. */
static const struct json *
find_sid(const struct json *doc, const char *sid)
{
	const struct json	*sts = json_get(doc, "Statement");
	size_t			 i;

	for (i = 0; i < json_len(sts); i++) {
		const char *s = json_get_str(json_at(sts, i), "Sid");

		if (s != NULL && strcmp(s, sid) == 0)
			return json_at(sts, i);
	}
	return NULL;
}

/* The value of StringEquals[key] in a statement's Condition, or NULL. */
static const struct json *
cond_eq(const struct json *st, const char *key)
{
	return json_get(json_path(st, "Condition", "StringEquals", NULL), key);
}

/* Whether v is the string s, or an array holding only s. */
static int
only_str(const struct json *v, const char *s)
{
	if (json_is_array(v) && json_len(v) == 1)
		v = json_at(v, 0);
	return json_is_string(v) && strcmp(json_str(v), s) == 0;
}

/*
 * One ARN of the policy: in partition, service bedrock; a foundation
 * model's account field is empty, any other resource's is 12 digits or the
 * placeholder.  Returns 0 when it is right, else prints why.
 */
static int
arn_bad(const char *arn, const char *partition)
{
	char		 prefix[64];
	const char	*p, *acct, *res;
	size_t		 i, alen;

	snprintf(prefix, sizeof prefix, "arn:%s:bedrock:", partition);
	if (strncmp(arn, prefix, strlen(prefix)) != 0) {
		printf("#   not arn:%s:bedrock: %s\n", partition, arn);
		return 1;
	}
	p = arn + strlen(prefix);		/* Region:account:resource */
	if ((acct = strchr(p, ':')) == NULL ||
	    (res = strchr(++acct, ':')) == NULL) {
		printf("#   not six ARN fields: %s\n", arn);
		return 1;
	}
	alen = (size_t)(res++ - acct);
	if (strncmp(res, "foundation-model/", 17) == 0) {
		if (alen == 0)
			return 0;
		printf("#   a foundation model with an account: %s\n", arn);
		return 1;
	}
	if (alen == strlen(PH) && strncmp(acct, PH, alen) == 0)
		return 0;
	for (i = 0; i < alen; i++)
		if (acct[i] < '0' || acct[i] > '9')
			break;
	if (alen == 12 && i == 12)
		return 0;
	printf("#   a bad account field: %s\n", arn);
	return 1;
}

/*
 * What every policy must mean, whatever it holds: ARNs in its partition
 * (checked in the document and in every rendering), the account field
 * empty for foundation models, no bedrock:Converse action.
 */
static void
check_arns(const char *name, const struct json *doc, const char *partition)
{
	const struct json	*sts = json_get(doc, "Statement");
	size_t			 i, j, bad = 0, arns = 0, converse = 0;

	for (i = 0; i < json_len(sts); i++) {
		const struct json *st = json_at(sts, i);
		const struct json *res = json_get(st, "Resource");
		const struct json *act = json_get(st, "Action");
		const struct json *pa = cond_eq(st, KEY_PROFILE);

		for (j = 0; j < json_len(act); j++)
			if (strstr(json_str(json_at(act, j)), "Converse") !=
			    NULL)
				converse++;
		for (j = 0; json_is_array(res) && j < json_len(res); j++) {
			arns++;
			bad += arn_bad(json_str(json_at(res, j)), partition);
		}
		if (json_is_string(pa)) {
			arns++;
			bad += arn_bad(json_str(pa), partition);
		}
		for (j = 0; json_is_array(pa) && j < json_len(pa); j++) {
			arns++;
			bad += arn_bad(json_str(json_at(pa, j)), partition);
		}
	}
	ok(arns > 0 && bad == 0, "%s: all %zu ARNs are arn:%s:bedrock:, "
	    "foundation models without an account", name, arns, partition);
	is_int(converse, 0, "%s: no bedrock:Converse action (Converse needs "
	    "InvokeModel)", name);
}

/* Every "arn:" of a rendering is in the partition; no Converse action. */
static void
check_text_arns(const char *name, const char *ext, const char *text,
    const char *partition)
{
	char		 want[64];
	const char	*p;
	size_t		 n = 0, other = 0;

	snprintf(want, sizeof want, "arn:%s:", partition);
	for (p = text; (p = strstr(p, "arn:")) != NULL; p += 4) {
		n++;
		if (strncmp(p, want, strlen(want)) != 0) {
			other++;
			printf("#   %.40s\n", p);
		}
	}
	ok(n > 0 && other == 0, "%s %s: its %zu ARNs are all %s", name, ext,
	    n, want);
	ok(strstr(text, "bedrock:Converse") == NULL, "%s %s: no "
	    "bedrock:Converse", name, ext);
}

/*
 * Render every format, compare with the golden files, check meaning.
 * Returns the policy for more checks (free with json_free), or NULL.
 */
static struct json *
golden(const char *name, const struct policy_input *in)
{
	struct json	*doc, *cdoc;
	struct err	 e;
	char		 path[1024], pname[256], *text, *again, *gold, *want;
	size_t		 i;
	int		 ph = in->account == NULL;
	const char	*partition = catalog_partition_of(NULL, in->region);

	doc = policy_build(in, &e);
	if (!ok(doc != NULL, "%s: builds", name)) {
		printf("#   %s\n", e.message);
		return NULL;
	}
	check_arns(name, doc, partition);
	for (i = 0; i < NFORMATS; i++) {
		snprintf(path, sizeof path, "%s/%s.%s", golden_dir, name,
		    formats[i].ext);
		text = render(doc, formats[i].kind, NULL);
		if (!ok(text != NULL, "%s %s: renders", name, formats[i].ext))
			continue;
		again = render(doc, formats[i].kind, NULL);
		ok(again != NULL && strcmp(text, again) == 0, "%s %s: "
		    "byte-stable", name, formats[i].ext);
		free(again);
		if (update_golden)
			ok(write_text(path, text) == 0, "%s %s: golden file "
			    "rewritten", name, formats[i].ext);
		gold = read_text(path);
		if (!ok(gold != NULL, "%s: golden file %s readable", name,
		    path))
			printf("#   %s\n", strerror(errno));
		else if (!ok(strcmp(gold, text) == 0, "%s %s: equals the "
		    "golden file byte for byte", name, formats[i].ext))
			printf("# got:\n%s", text);
		free(gold);
		check_text_arns(name, formats[i].ext, text, partition);

		switch (formats[i].kind) {
		case POLICY_FORMAT_JSON:
			want = json_print_pretty(doc, 2);
			is_str(text, want, "%s json: the engine's pretty "
			    "print", name);
			free(want);
			break;
		case POLICY_FORMAT_CLI:
			cdoc = cli_document(text, pname, sizeof pname);
			ok(cdoc != NULL, "%s cli: aws iam create-policy with "
			    "one quoted JSON document", name);
			if (cdoc != NULL) {
				char *a = json_print(cdoc), *b = json_print(doc);

				is_str(a, b, "%s cli: the unquoted document is "
				    "the policy", name);
				is_str(pname, POLICY_FORMAT_DEFAULT_NAME,
				    "%s cli: the policy name", name);
				free(a);
				free(b);
			}
			json_free(cdoc);
			ok(strchr(text, '\n') == text + strlen(text) - 1,
			    "%s cli: one line", name);
			break;
		case POLICY_FORMAT_SCP:
			check_scp(name, doc, text);
			break;
		case POLICY_FORMAT_CLOUDFORMATION:
			check_yaml(name, text, ph);
			break;
		case POLICY_FORMAT_TERRAFORM:
			check_hcl(name, text, ph);
			break;
		default:
			break;
		}
		free(text);
	}
	return doc;
}

static void
test_golden_geo(void)
{
	struct policy_model	 m = { .kind = RESOLVE_GEO_PROFILE,
	    .model_id = SONNET45, .profile_id = "us." SONNET45,
	    .destinations = us3, .ndestinations = 3 };
	struct policy_input	 in;

	policy_input_init(&in, "us-east-1", NULL);
	in.models = &m;
	in.nmodels = 1;
	json_free(golden("geo_profile", &in));
}

static void
test_golden_several(void)
{
	static const struct policy_model several[] = {
		{ .kind = RESOLVE_GLOBAL_PROFILE,
		    .profile_id = "global." SONNET46 },
		{ .kind = RESOLVE_ON_DEMAND, .model_id = MICRO },
		{ .kind = RESOLVE_GEO_PROFILE, .model_id = HAIKU45,
		    .profile_id = "us." HAIKU45, .destinations = us3,
		    .ndestinations = 3 },
		{ .kind = RESOLVE_PROVISIONED, .arn = PROV_ARN },
		{ .kind = RESOLVE_APP_PROFILE, .model_id = SONNET45,
		    .arn = APP_ARN, .destinations = us3, .ndestinations = 3 },
		{ .kind = RESOLVE_GEO_PROFILE, .model_id = SONNET45,
		    .profile_id = "us." SONNET45, .destinations = us3,
		    .ndestinations = 3 },
	};
	struct policy_input	 in;

	policy_input_init(&in, "us-east-1", ACCOUNT);
	in.models = several;
	in.nmodels = sizeof several / sizeof several[0];
	in.with_discovery = 1;
	in.restrict_region = 1;
	json_free(golden("several_models", &in));

	/* The same with the placeholder: the SCP puts "*" for the account. */
	in.account = NULL;
	json_free(golden("several_models_placeholder", &in));
}

/* One model in its own Region: one statement, no condition. */
static void
test_golden_on_demand(void)
{
	struct policy_model	 m = { .kind = RESOLVE_ON_DEMAND,
	    .model_id = MICRO };
	struct policy_input	 in;
	struct json		*doc;
	const struct json	*st;

	policy_input_init(&in, "us-east-1", ACCOUNT);
	in.models = &m;
	in.nmodels = 1;
	if ((doc = golden("on_demand", &in)) == NULL)
		return;
	st = find_sid(doc, "InvokeOnDemandModels");
	is_int(json_len(json_get(doc, "Statement")), 1, "on_demand: one "
	    "statement");
	ok(st != NULL && only_str(json_get(st, "Resource"),
	    "arn:aws:bedrock:us-east-1::foundation-model/" MICRO) &&
	    json_get(st, "Condition") == NULL, "on_demand: the model in "
	    "us-east-1, account field empty, no condition");
	json_free(doc);
}

/*
 * A global. profile: the three statements of the AWS guide.  The profile
 * in the source Region; the model in the source Region; the Region-less
 * model with aws:RequestedRegion "unspecified"; both model statements
 * only through the profile.  No destination Region is listed.
 */
static void
test_golden_global(void)
{
	struct policy_model	 m = { .kind = RESOLVE_GLOBAL_PROFILE,
	    .profile_id = "global." SONNET46 };
	struct policy_input	 in;
	struct json		*doc;
	const struct json	*p, *src, *fms;

	policy_input_init(&in, "us-east-1", NULL);
	in.models = &m;
	in.nmodels = 1;
	if ((doc = golden("global_profile", &in)) == NULL)
		return;
	p = find_sid(doc, "InvokeThroughGlobalProfiles");
	src = find_sid(doc, "InvokeGlobalProfileModelsInSourceRegion");
	fms = find_sid(doc, "InvokeGlobalProfileModels");
	is_int(json_len(json_get(doc, "Statement")), 3, "global: three "
	    "statements");
	ok(p != NULL && only_str(json_get(p, "Resource"), GLOBAL_ARN) &&
	    only_str(cond_eq(p, KEY_REGION), "us-east-1") &&
	    cond_eq(p, KEY_PROFILE) == NULL, "global: the profile, called "
	    "in us-east-1 (no InferenceProfileArn: not set for profiles)");
	ok(src != NULL && only_str(json_get(src, "Resource"),
	    "arn:aws:bedrock:us-east-1::foundation-model/" SONNET46) &&
	    only_str(cond_eq(src, KEY_REGION), "us-east-1") &&
	    only_str(cond_eq(src, KEY_PROFILE), GLOBAL_ARN),
	    "global: the model in the source Region, through the profile");
	ok(fms != NULL && only_str(json_get(fms, "Resource"),
	    "arn:aws:bedrock:::foundation-model/" SONNET46) &&
	    only_str(cond_eq(fms, KEY_REGION), "unspecified") &&
	    only_str(cond_eq(fms, KEY_PROFILE), GLOBAL_ARN),
	    "global: the Region-less model, aws:RequestedRegion "
	    "\"unspecified\", through the profile");
	json_free(doc);
}

/*
 * An application inference profile ARN, used as given (it has the
 * account), and the model in every Region it routes to, only through it.
 */
static void
test_golden_app_profile(void)
{
	struct policy_model	 m = { .kind = RESOLVE_APP_PROFILE,
	    .model_id = SONNET45, .arn = APP_ARN, .destinations = us3,
	    .ndestinations = 3 };
	struct policy_input	 in;
	struct json		*doc;
	const struct json	*p, *fms;
	size_t			 i;
	int			 all = 1;

	policy_input_init(&in, "us-east-1", ACCOUNT);
	in.models = &m;
	in.nmodels = 1;
	if ((doc = golden("app_profile", &in)) == NULL)
		return;
	p = find_sid(doc, "InvokeThroughInferenceProfiles");
	fms = find_sid(doc, "InvokeModelsInProfileRegions");
	ok(p != NULL && only_str(json_get(p, "Resource"), APP_ARN) &&
	    json_get(p, "Condition") == NULL, "app_profile: the profile "
	    "ARN as given");
	for (i = 0; i < 3; i++) {
		char	 want[256];

		snprintf(want, sizeof want, "arn:aws:bedrock:%s::"
		    "foundation-model/" SONNET45, us3[i]);
		if (fms == NULL || !has(json_get(fms, "Resource"), want))
			all = 0;
	}
	ok(all && json_len(json_get(fms, "Resource")) == 3 &&
	    only_str(cond_eq(fms, KEY_PROFILE), APP_ARN), "app_profile: the "
	    "model in its three Regions, only through the profile");
	json_free(doc);
}

/*
 * GovCloud: every ARN in aws-us-gov, the us-gov. profile's two Regions,
 * an on-demand model, the discovery statements in the same partition.
 */
static void
test_golden_govcloud(void)
{
	static const struct policy_model gov[] = {
		{ .kind = RESOLVE_GEO_PROFILE, .profile_id = "us-gov." SONNET45,
		    .destinations = gov2, .ndestinations = 2 },
		{ .kind = RESOLVE_ON_DEMAND, .model_id = MICRO },
	};
	struct policy_input	 in;
	struct json		*doc;
	const struct json	*p, *fms;

	policy_input_init(&in, "us-gov-west-1", NULL);
	in.models = gov;
	in.nmodels = sizeof gov / sizeof gov[0];
	in.with_discovery = 1;
	in.restrict_region = 1;
	if ((doc = golden("govcloud", &in)) == NULL)
		return;
	p = find_sid(doc, "InvokeThroughInferenceProfiles");
	fms = find_sid(doc, "InvokeModelsInProfileRegions");
	ok(p != NULL && only_str(json_get(p, "Resource"), GOV_PROFILE_ARN),
	    "govcloud: the us-gov. profile in us-gov-west-1");
	ok(fms != NULL && json_len(json_get(fms, "Resource")) == 2 &&
	    has(json_get(fms, "Resource"), "arn:aws-us-gov:bedrock:"
	    "us-gov-east-1::foundation-model/" SONNET45) &&
	    has(json_get(fms, "Resource"), "arn:aws-us-gov:bedrock:"
	    "us-gov-west-1::foundation-model/" SONNET45) &&
	    only_str(cond_eq(fms, KEY_PROFILE), GOV_PROFILE_ARN),
	    "govcloud: the model in both GovCloud Regions, through the "
	    "profile");
	ok(only_str(json_get(find_sid(doc, "InvokeOnDemandModels"),
	    "Resource"), "arn:aws-us-gov:bedrock:us-gov-west-1::"
	    "foundation-model/" MICRO), "govcloud: the on-demand model");
	json_free(doc);
}

/* Strings that YAML, HCL and sh would misread unless escaped. */
static void
test_escaping(void)
{
	static const char doc_text[] =
	    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"S1\","
	    "\"Effect\":\"Allow\",\"Action\":\"bedrock:InvokeModel\","
	    "\"Resource\":[\"it's\",\"a\\\"b\\\\c\",\"x: y # z\",\"yes\","
	    "\"line\\nbreak\",\"${aws:username}\",\"%{if}\","
	    "\"arn:aws:bedrock:us-east-1:" PH ":inference-profile/us.${x}\"],"
	    "\"Condition\":{\"NumericLessThan\":{\"k\":5},\"Bool\":{\"b\":true}"
	    "}}]}";
	struct json	*doc, *cdoc;
	struct err	 e;
	char		*t, pname[256];

	doc = json_parse(doc_text, 0, &e);
	if (!ok(doc != NULL, "escaping: test document parses"))
		return;

	t = render(doc, POLICY_FORMAT_CLI, "Name+=,.@_-1");
	cdoc = t != NULL ? cli_document(t, pname, sizeof pname) : NULL;
	ok(cdoc != NULL && strstr(t, "'\\''") != NULL, "cli: a single "
	    "quote is written '\\''");
	if (cdoc != NULL) {
		char *a = json_print(cdoc), *b = json_print(doc);

		is_str(a, b, "cli: sh gets back the exact document");
		is_str(pname, "Name+=,.@_-1", "cli: the policy name");
		free(a);
		free(b);
	}
	json_free(cdoc);
	free(t);

	t = render(doc, POLICY_FORMAT_CLOUDFORMATION, NULL);
	ok(t != NULL && strstr(t, "- \"it's\"\n") != NULL &&
	    strstr(t, "- \"a\\\"b\\\\c\"\n") != NULL &&
	    strstr(t, "- \"x: y # z\"\n") != NULL &&
	    strstr(t, "- \"yes\"\n") != NULL &&
	    strstr(t, "- \"line\\nbreak\"\n") != NULL &&
	    strstr(t, "- \"${aws:username}\"\n") != NULL,
	    "yaml: quotes, backslashes, ': ', '#', yes, newlines escaped");
	ok(t != NULL && strstr(t, "- !Sub \"arn:aws:bedrock:us-east-1:"
	    "${AWS::AccountId}:inference-profile/us.${!x}\"\n") != NULL,
	    "yaml: !Sub keeps a literal ${x} as ${!x}");
	ok(t != NULL && strstr(t, "\"k\": 5\n") == NULL &&
	    strstr(t, "k: 5\n") != NULL && strstr(t, "b: true\n") != NULL,
	    "yaml: numbers and booleans stay numbers and booleans");
	free(t);

	t = render(doc, POLICY_FORMAT_TERRAFORM, NULL);
	ok(t != NULL && strstr(t, "\"$${aws:username}\",\n") != NULL &&
	    strstr(t, "\"%%{if}\",\n") != NULL &&
	    strstr(t, "\"a\\\"b\\\\c\",\n") != NULL &&
	    strstr(t, "\"line\\nbreak\",\n") != NULL,
	    "tf: ${ and %%{ doubled, quotes and newlines escaped");
	ok(t != NULL && strstr(t, ":${data.aws_caller_identity.current."
	    "account_id}:inference-profile/us.$${x}\",\n") != NULL,
	    "tf: the placeholder is the caller's account, ${x} stays literal");
	ok(t != NULL && strstr(t, "k = 5\n") != NULL &&
	    strstr(t, "b = true\n") != NULL, "tf: numbers and booleans");
	free(t);
	json_free(doc);
}

static void
test_errors(void)
{
	struct policy_input	 in;
	struct json		*doc, *scp;
	struct buf		 b;
	struct err		 e;
	enum policy_format_kind	 k;
	struct policy_format_opts o = { "bad name" };
	size_t			 i;
	int			 all = 1;

	for (i = 0; i < POLICY_FORMAT_COUNT; i++)
		if (policy_format_parse(policy_format_name(
		    (enum policy_format_kind)i), &k) != 0 || k != i)
			all = 0;
	ok(all, "every format name parses back to its kind");
	ok(policy_format_parse("CFN", &k) == 0 &&
	    k == POLICY_FORMAT_CLOUDFORMATION && policy_format_parse("tf",
	    &k) == 0 && k == POLICY_FORMAT_TERRAFORM, "aliases cfn and tf");
	ok(policy_format_parse("yaml", &k) == -1 &&
	    policy_format_parse(NULL, &k) == -1, "unknown formats refused");
	ok(!policy_format_name_valid("") && !policy_format_name_valid("a b") &&
	    !policy_format_name_valid("it's") &&
	    policy_format_name_valid("Bedrock.Invoke@team_1"),
	    "policy names: IAM's characters only");

	/* Discovery only: no model to keep, so no SCP. */
	policy_input_init(&in, "us-east-1", ACCOUNT);
	in.with_discovery = 1;
	doc = policy_build(&in, &e);
	err_clear(&e);
	scp = policy_format_scp(doc, &e);
	ok(scp == NULL && e.kind == ERR_USAGE, "no SCP for a policy that "
	    "allows no model");
	json_free(scp);

	buf_init(&b, 0);
	err_clear(&e);
	ok(policy_format_render(doc, POLICY_FORMAT_CLI, &o, &b, &e) == -1 &&
	    e.kind == ERR_USAGE && strstr(e.message, "bad name") != NULL,
	    "a bad policy name is refused, named");
	buf_free(&b);

	buf_init(&b, 64);
	err_clear(&e);
	ok(policy_format_render(doc, POLICY_FORMAT_JSON, NULL, &b, &e) ==
	    -1 && e.kind == ERR_LIMIT && b.len == 0, "the output's cap is "
	    "kept, and out is left as it was");
	buf_free(&b);
	json_free(doc);
}

int
main(int argc, char **argv)
{
	const char	*u = getenv("BS_UPDATE_GOLDEN");

	if (argc != 2) {
		fprintf(stderr, "usage: %s GOLDEN_DIR\n", argv[0]);
		return 2;
	}
	golden_dir = argv[1];
	update_golden = u != NULL && strcmp(u, "1") == 0;

	test_golden_geo();
	test_golden_several();
	test_golden_on_demand();
	test_golden_global();
	test_golden_app_profile();
	test_golden_govcloud();
	test_escaping();
	test_errors();
	return tap_done();
}
