/*
 * policy_format.c: render a built policy as JSON, CloudFormation YAML,
 * Terraform HCL, an AWS CLI command, or an organization SCP (see
 * policy_format.h).
 *
 * The YAML and HCL are written by hand, so every scalar is quoted the one
 * way that cannot be misread: YAML double-quoted strings (an unquoted
 * 2012-10-17 would be a date, "no" a boolean, ": " a mapping), HCL quoted
 * strings with "${" and "%{" doubled so Terraform does not read them as
 * template sequences.  The HCL layout is what "terraform fmt" writes, so
 * the file passes "terraform fmt -check" as it is.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "json.h"
#include "policy.h"
#include "policy_format.h"
#include "resolve.h"
#include "xalloc.h"

#define PH		RESOLVE_ACCOUNT_PLACEHOLDER
#define SCP_SID		"DenyInvokeOfOtherModels"
#define CFN_LOGICAL_ID	"BedrockSetupPolicy"
#define TF_RESOURCE	"bedrock_setup"
#define TF_ACCOUNT	"${data.aws_caller_identity.current.account_id}"
#define POLICY_DESCRIPTION \
	"Least-privilege access to Amazon Bedrock models (bedrock-setup)"

static const char *const format_names[POLICY_FORMAT_COUNT] = {
	"json", "cloudformation", "terraform", "cli", "scp"
};

static const char *const invoke_actions[] = {
	"bedrock:InvokeModel",
	"bedrock:InvokeModelWithResponseStream"
};

const char *
policy_format_name(enum policy_format_kind k)
{
	return (unsigned)k < POLICY_FORMAT_COUNT ? format_names[k] : "?";
}

int
policy_format_parse(const char *name, enum policy_format_kind *out)
{
	static const struct {
		const char		*alias;
		enum policy_format_kind	 kind;
	} aliases[] = {
		{ "cfn", POLICY_FORMAT_CLOUDFORMATION },
		{ "tf", POLICY_FORMAT_TERRAFORM },
	};
	size_t	 i;

	if (name == NULL)
		return -1;
	for (i = 0; i < POLICY_FORMAT_COUNT; i++)
		if (strcasecmp(name, format_names[i]) == 0) {
			*out = (enum policy_format_kind)i;
			return 0;
		}
	for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcasecmp(name, aliases[i].alias) == 0) {
			*out = aliases[i].kind;
			return 0;
		}
	return -1;
}

int
policy_format_name_valid(const char *s)
{
	size_t	 n;

	if (s == NULL)
		return 0;
	for (n = 0; s[n] != '\0'; n++)
		if (!isalnum((unsigned char)s[n]) &&
		    strchr("+=,.@_-", s[n]) == NULL)
			return 0;
	return n >= 1 && n <= 128;
}

/* s with every occurrence of from replaced by to.  Caller frees. */
static char *
replace_all(const char *s, const char *from, const char *to)
{
	struct buf	 b;
	const char	*p;
	size_t		 flen = strlen(from);

	buf_init(&b, 0);
	while ((p = strstr(s, from)) != NULL) {
		buf_add(&b, s, (size_t)(p - s));
		buf_addstr(&b, to);
		s = p + flen;
	}
	buf_addstr(&b, s);
	return buf_take(&b, NULL);
}

/*
 * An ARN as the SCP keeps it.  An SCP is written for every account it is
 * attached to: a system-defined inference profile exists in each of them
 * under its own account id, so that field becomes "*" (as does the
 * placeholder anywhere).  Caller frees.
 */
static char *
scp_arn(const char *arn)
{
	const char	*p = arn, *acct, *end;
	struct buf	 b;
	int		 colons = 0;

	if (strstr(arn, ":inference-profile/") == NULL ||
	    strstr(arn, ":application-inference-profile/") != NULL)
		return replace_all(arn, PH, "*");
	/* arn:PARTITION:bedrock:REGION:ACCOUNT:inference-profile/ID */
	while (*p != '\0' && colons < 4)
		if (*p++ == ':')
			colons++;
	acct = p;
	if ((end = strchr(acct, ':')) == NULL)
		return replace_all(arn, PH, "*");
	buf_init(&b, 0);
	buf_add(&b, arn, (size_t)(acct - arn));
	buf_addc(&b, '*');
	buf_addstr(&b, end);
	return buf_take(&b, NULL);
}

static int
is_invoke_action(const char *a)
{
	size_t	 i;

	for (i = 0; i < sizeof invoke_actions / sizeof invoke_actions[0]; i++)
		if (a != NULL && strcasecmp(a, invoke_actions[i]) == 0)
			return 1;
	return 0;
}

/* Whether a statement allows one of the invoke actions. */
static int
allows_invoke(const struct json *st)
{
	const struct json	*act = json_get(st, "Action");
	const char		*eff = json_get_str(st, "Effect");
	size_t			 i;

	if (eff == NULL || strcmp(eff, "Allow") != 0)
		return 0;
	if (json_is_string(act))
		return is_invoke_action(json_str(act));
	for (i = 0; i < json_len(act); i++)
		if (is_invoke_action(json_str(json_at(act, i))))
			return 1;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ------------------------------------------------------------ SCP */

struct json *
policy_format_scp(const struct json *doc, struct err *e)
{
	const struct json	*sts = json_get(doc, "Statement");
	struct json		*scp, *st, *arr;
	char			**arns = NULL;
	size_t			 n = 0, i, j;

	for (i = 0; i < json_len(sts); i++) {
		const struct json *s = json_at(sts, i);
		const struct json *res = json_get(s, "Resource");
		size_t nres = json_is_string(res) ? 1 : json_len(res);

		if (!allows_invoke(s))
			continue;
		for (j = 0; j < nres; j++) {
			const char *arn = json_is_string(res) ?
			    json_str(res) : json_str(json_at(res, j));

			if (arn == NULL || strcmp(arn, "*") == 0)
				continue;
			arns = xreallocarray(arns, n + 1, sizeof *arns);
			arns[n++] = scp_arn(arn);
		}
	}
	if (n == 0) {
		free(arns);
		err_set(e, ERR_USAGE, N_("the policy allows no model to be "
		    "invoked, so there is nothing for an SCP to keep "
		    "allowed: choose a model"));
		return NULL;
	}
	qsort(arns, n, sizeof *arns, cmp_str);

	scp = json_new_object();
	json_set_str(scp, "Version", "2012-10-17");
	arr = json_new_array();
	st = json_new_object();
	json_set_str(st, "Sid", SCP_SID);
	json_set_str(st, "Effect", "Deny");
	{
		struct json *act = json_new_array();

		for (i = 0; i < sizeof invoke_actions /
		    sizeof invoke_actions[0]; i++)
			json_push_str(act, invoke_actions[i]);
		json_set(st, "Action", act);
	}
	{
		struct json *nr = json_new_array();

		for (i = 0; i < n; i++)
			if (i == 0 || strcmp(arns[i], arns[i - 1]) != 0)
				json_push_str(nr, arns[i]);
		json_set(st, "NotResource", nr);
	}
	for (i = 0; i < n; i++)
		free(arns[i]);
	free(arns);
	json_push(arr, st);
	json_set(scp, "Statement", arr);
	return scp;
}

int
policy_format_scp_notes(const struct json *scp, struct buf *out)
{
	const struct json	*nr = json_path(scp, "Statement", NULL);
	size_t			 i, size;
	int			 regionless = 0, anyaccount = 0, rc = 0;

	nr = json_get(json_at(nr, 0), "NotResource");
	for (i = 0; i < json_len(nr); i++) {
		const char *a = json_str(json_at(nr, i));

		if (a == NULL)
			continue;
		if (strstr(a, ":bedrock:::foundation-model/") != NULL)
			regionless = 1;
		if (strstr(a, ":*:inference-profile/") != NULL)
			anyaccount = 1;
	}
	rc |= buf_printf(out, "- %s\n", core_tr(N_("This SCP denies "
	    "bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream "
	    "(what Converse and ConverseStream need) on every model, "
	    "inference profile and ARN that is not listed under NotResource, "
	    "in every account it is attached to.  It grants nothing: "
	    "identities still need an IAM policy that allows these models.")));
	rc |= buf_printf(out, "- %s\n", core_tr(N_("A call through a "
	    "cross-Region inference profile is checked against the profile "
	    "ARN and against the foundation model in the Region the request "
	    "is routed to, so NotResource lists the model in every "
	    "destination Region.  Leaving one out makes only the calls "
	    "routed there fail, now and then.")));
	if (regionless)
		rc |= buf_printf(out, "- %s\n", core_tr(N_("Global profiles "
		    "are also checked against the Region-less model ARN "
		    "(arn:aws:bedrock:::foundation-model/...), with "
		    "aws:RequestedRegion set to \"unspecified\"; it is listed "
		    "too.")));
	if (anyaccount)
		rc |= buf_printf(out, "- %s\n", core_tr(N_("Inference-profile "
		    "ARNs carry the calling account; \"*\" in their account "
		    "field matches every member account.")));
	rc |= buf_printf(out, "- %s\n", core_tr(N_("If the organization also "
	    "restricts Regions with an SCP on aws:RequestedRegion, that SCP "
	    "must allow every destination Region listed here (and "
	    "\"unspecified\" for global profiles), or exempt calls that "
	    "carry bedrock:InferenceProfileArn; otherwise cross-Region calls "
	    "are denied.")));
	size = policy_size(scp);
	if (size > POLICY_FORMAT_SCP_MAX)
		rc |= buf_printf(out, "- %s\n", core_tr(N_("This SCP is over "
		    "the 5120 characters (without white space) that AWS "
		    "Organizations accepts: split the models over two SCPs.")));
	rc |= buf_printf(out, "- %s\n", core_tr(N_("Attach it to a test "
	    "organizational unit first, and call each model from there.")));
	return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------ YAML */

/* A YAML double-quoted scalar. */
static void
yaml_quote(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		unsigned char	 c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\n')
			buf_addstr(b, "\\n");
		else if (c == '\t')
			buf_addstr(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\x%02X", c);
		else
			buf_addc(b, (char)c);
	}
	buf_addc(b, '"');
}

/* A mapping key: plain when it is a simple word, else quoted. */
static void
yaml_key(struct buf *b, const char *k)
{
	size_t	 i;
	int	 plain = isalpha((unsigned char)k[0]);

	for (i = 0; plain && k[i] != '\0'; i++)
		if (!isalnum((unsigned char)k[i]))
			plain = 0;
	if (plain)
		buf_addstr(b, k);
	else
		yaml_quote(b, k);
	buf_addc(b, ':');
}

/*
 * A string scalar in CloudFormation: one that holds the account
 * placeholder becomes !Sub with ${AWS::AccountId} ("${" already there is
 * written "${!" so !Sub leaves it alone).
 */
static void
yaml_cfn_string(struct buf *b, const char *s)
{
	char	*t, *u;

	if (strstr(s, PH) == NULL) {
		yaml_quote(b, s);
		return;
	}
	t = replace_all(s, "${", "${!");
	u = replace_all(t, PH, "${AWS::AccountId}");
	buf_addstr(b, "!Sub ");
	yaml_quote(b, u);
	free(u);
	free(t);
}

static void
yaml_scalar(struct buf *b, const struct json *v)
{
	char	*leaf;

	if (json_is_string(v)) {
		yaml_cfn_string(b, json_str(v));
		return;
	}
	leaf = json_print(v);		/* number, true, false, null */
	buf_addstr(b, leaf);
	free(leaf);
}

static int
yaml_inline(const struct json *v)
{
	return !(json_is_object(v) || json_is_array(v)) || json_len(v) == 0;
}

static void yaml_node(struct buf *, const struct json *, int indent);

/* After "key:" or "-": the rest of the line and any nested lines. */
static void
yaml_after(struct buf *b, const struct json *v, int indent)
{
	if (yaml_inline(v)) {
		buf_addc(b, ' ');
		if (json_is_object(v))
			buf_addstr(b, "{}");
		else if (json_is_array(v))
			buf_addstr(b, "[]");
		else
			yaml_scalar(b, v);
		buf_addc(b, '\n');
		return;
	}
	buf_addc(b, '\n');
	yaml_node(b, v, indent);
}

/*
 * A non-empty mapping or sequence whose lines start at indent.  With
 * first_inline the first line's indentation was already written ("- ").
 */
static void
yaml_block(struct buf *b, const struct json *v, int indent, int first_inline)
{
	size_t	 i;

	for (i = 0; i < json_len(v); i++) {
		const struct json	*c = json_at(v, i);

		if (i > 0 || !first_inline)
			buf_printf(b, "%*s", indent, "");
		if (json_is_object(v)) {
			yaml_key(b, json_key(c));
			yaml_after(b, c, indent + 2);
		} else if (json_is_object(c) && json_len(c) > 0) {
			buf_addstr(b, "- ");
			yaml_block(b, c, indent + 2, 1);
		} else {
			buf_addc(b, '-');
			yaml_after(b, c, indent + 2);
		}
	}
}

static void
yaml_node(struct buf *b, const struct json *v, int indent)
{
	yaml_block(b, v, indent, 0);
}

static void
render_cloudformation(const struct json *doc, const char *name,
    struct buf *b)
{
	int	 sub = 0;
	char	*text = json_print(doc);

	sub = strstr(text, PH) != NULL;
	free(text);
	buf_addstr(b,
	    "# CloudFormation template written by bedrock-setup: one IAM\n"
	    "# managed policy for calling the chosen Amazon Bedrock models.\n"
	    "# Deploy (a named IAM policy needs CAPABILITY_NAMED_IAM):\n"
	    "#   aws cloudformation deploy --template-file FILE "
	    "--stack-name bedrock-setup-policy \\\n"
	    "#     --capabilities CAPABILITY_NAMED_IAM\n"
	    "# Attach it by adding Roles, Users or Groups under Properties,\n"
	    "# or use the PolicyArn output.\n");
	if (sub)
		buf_addstr(b, "# ARNs of your own resources use !Sub with "
		    "${AWS::AccountId}: the account\n# the stack is deployed "
		    "in.\n");
	buf_addstr(b, "AWSTemplateFormatVersion: \"2010-09-09\"\n"
	    "Description: ");
	yaml_quote(b, POLICY_DESCRIPTION);
	buf_addstr(b, "\nResources:\n  " CFN_LOGICAL_ID ":\n"
	    "    Type: \"AWS::IAM::ManagedPolicy\"\n"
	    "    Properties:\n      ManagedPolicyName: ");
	yaml_quote(b, name);
	buf_addstr(b, "\n      Description: ");
	yaml_quote(b, POLICY_DESCRIPTION);
	buf_addstr(b, "\n      PolicyDocument:");
	yaml_after(b, doc, 8);
	buf_addstr(b, "Outputs:\n  PolicyArn:\n"
	    "    Description: \"The ARN of the managed policy\"\n"
	    "    Value: !Ref " CFN_LOGICAL_ID "\n");
}

/* ------------------------------------------------------------ HCL */

/* An HCL quoted string; the placeholder becomes the data source. */
static void
hcl_quote(struct buf *b, const char *s)
{
	size_t	 phlen = strlen(PH);

	buf_addc(b, '"');
	while (*s != '\0') {
		unsigned char	 c = (unsigned char)*s;

		if (strncmp(s, PH, phlen) == 0) {
			buf_addstr(b, TF_ACCOUNT);
			s += phlen;
			continue;
		}
		if ((c == '$' || c == '%') && s[1] == '{')
			buf_printf(b, "%c%c{", c, c);
		else if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\n')
			buf_addstr(b, "\\n");
		else if (c == '\r')
			buf_addstr(b, "\\r");
		else if (c == '\t')
			buf_addstr(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\u%04X", c);
		else
			buf_addc(b, (char)c);
		s += (c == '$' || c == '%') && s[1] == '{' ? 2 : 1;
	}
	buf_addc(b, '"');
}

/* Object keys: bare when an HCL identifier, else quoted. */
static size_t
hcl_key(struct buf *b, const char *k)
{
	size_t	 i, start = b->len;
	int	 bare = isalpha((unsigned char)k[0]) || k[0] == '_';

	for (i = 0; bare && k[i] != '\0'; i++)
		if (!isalnum((unsigned char)k[i]) && k[i] != '_' &&
		    k[i] != '-')
			bare = 0;
	if (bare)
		buf_addstr(b, k);
	else
		hcl_quote(b, k);
	return b->len - start;
}

static int
hcl_single_line(const struct json *v)
{
	return !(json_is_object(v) || json_is_array(v)) || json_len(v) == 0;
}

static void
hcl_value(struct buf *b, const struct json *v, int indent)
{
	size_t	 i, j, w, klen;
	char	*leaf;

	if (json_is_string(v)) {
		hcl_quote(b, json_str(v));
		return;
	}
	if (!json_is_object(v) && !json_is_array(v)) {
		leaf = json_print(v);
		buf_addstr(b, leaf);
		free(leaf);
		return;
	}
	if (json_len(v) == 0) {
		buf_addstr(b, json_is_object(v) ? "{}" : "[]");
		return;
	}
	if (json_is_array(v)) {
		buf_addstr(b, "[\n");
		for (i = 0; i < json_len(v); i++) {
			buf_printf(b, "%*s", indent + 2, "");
			hcl_value(b, json_at(v, i), indent + 2);
			buf_addstr(b, ",\n");
		}
		buf_printf(b, "%*s]", indent, "");
		return;
	}
	/*
	 * terraform fmt aligns the "=" of a run of attributes whose values
	 * fit on one line; an attribute with a multi-line value ends the
	 * run and is written with one space.
	 */
	buf_addstr(b, "{\n");
	for (i = 0; i < json_len(v); i++) {
		const struct json	*c = json_at(v, i);
		struct buf		 k;

		w = 0;
		if (hcl_single_line(c))
			for (j = i; j < json_len(v) &&
			    hcl_single_line(json_at(v, j)); j++) {
				buf_init(&k, 0);
				klen = hcl_key(&k, json_key(json_at(v, j)));
				buf_free(&k);
				if (klen > w)
					w = klen;
			}
		for (;;) {
			c = json_at(v, i);
			buf_printf(b, "%*s", indent + 2, "");
			klen = hcl_key(b, json_key(c));
			buf_printf(b, "%*s = ", (int)(w > klen ? w - klen : 0),
			    "");
			hcl_value(b, c, indent + 2);
			buf_addc(b, '\n');
			if (!hcl_single_line(c) || i + 1 >= json_len(v) ||
			    !hcl_single_line(json_at(v, i + 1)))
				break;
			i++;
		}
	}
	buf_printf(b, "%*s}", indent, "");
}

static void
render_terraform(const struct json *doc, const char *name, struct buf *b)
{
	char	*text = json_print(doc);
	int	 data = strstr(text, PH) != NULL;

	free(text);
	buf_addstr(b,
	    "# Terraform written by bedrock-setup: one IAM managed policy for\n"
	    "# calling the chosen Amazon Bedrock models.  The policy is HCL\n"
	    "# inside jsonencode(), so Terraform checks its syntax at plan "
	    "time\n# and plans show no white-space changes.  Attach it with\n"
	    "# aws_iam_role_policy_attachment (policy_arn = "
	    "aws_iam_policy." TF_RESOURCE ".arn).\n\n");
	if (data)
		buf_addstr(b, "# ARNs of your own resources use the account "
		    "Terraform runs in.\n"
		    "data \"aws_caller_identity\" \"current\" {}\n\n");
	buf_addstr(b, "resource \"aws_iam_policy\" \"" TF_RESOURCE "\" {\n"
	    "  name        = ");
	hcl_quote(b, name);
	buf_addstr(b, "\n  description = ");
	hcl_quote(b, POLICY_DESCRIPTION);
	buf_addstr(b, "\n  policy = jsonencode(");
	hcl_value(b, doc, 2);
	buf_addstr(b, ")\n}\n");
}

/* ------------------------------------------------------------ CLI */

static void
render_cli(const struct json *doc, const char *name, struct buf *b)
{
	char		*text = json_print(doc);
	const char	*p;

	buf_printf(b, "aws iam create-policy --policy-name %s "
	    "--policy-document '", name);
	for (p = text; *p != '\0'; p++)
		if (*p == '\'')
			buf_addstr(b, "'\\''");	/* close, quoted ', reopen */
		else
			buf_addc(b, *p);
	buf_addstr(b, "'\n");
	free(text);
}

/* ------------------------------------------------------------ all */

int
policy_format_render(const struct json *doc, enum policy_format_kind kind,
    const struct policy_format_opts *o, struct buf *out, struct err *e)
{
	const char	*name = o != NULL && o->name != NULL ? o->name :
	    POLICY_FORMAT_DEFAULT_NAME;
	struct buf	 b;
	struct json	*scp;
	char		*text;
	int		 rc;

	if (!policy_format_name_valid(name)) {
		err_set(e, ERR_USAGE, N_("'%s' cannot be an IAM policy name: "
		    "use 1 to 128 letters, digits and +=,.@_-"), name);
		return -1;
	}
	buf_init(&b, 0);
	switch (kind) {
	case POLICY_FORMAT_JSON:
		text = json_print_pretty(doc, 2);
		buf_addstr(&b, text);
		free(text);
		break;
	case POLICY_FORMAT_CLOUDFORMATION:
		render_cloudformation(doc, name, &b);
		break;
	case POLICY_FORMAT_TERRAFORM:
		render_terraform(doc, name, &b);
		break;
	case POLICY_FORMAT_CLI:
		render_cli(doc, name, &b);
		break;
	case POLICY_FORMAT_SCP:
		if ((scp = policy_format_scp(doc, e)) == NULL) {
			buf_free(&b);
			return -1;
		}
		text = json_print_pretty(scp, 2);
		buf_addstr(&b, text);
		free(text);
		json_free(scp);
		break;
	default:
		buf_free(&b);
		err_set(e, ERR_USAGE, N_("unknown policy format"));
		return -1;
	}
	rc = buf_add(out, buf_str(&b), b.len);
	buf_free(&b);
	if (rc != 0) {
		err_set(e, ERR_LIMIT, N_("the %s text of the policy is too "
		    "large"), policy_format_name(kind));
		return -1;
	}
	return 0;
}
