/*
 * policy_format.h: a built IAM policy (policy.h) as something a person can
 * deploy: the policy JSON, a CloudFormation template, a Terraform resource,
 * an "aws iam create-policy" command, or an organization SCP that denies
 * every other model.
 *
 * Every renderer is a pure function of its input: equal documents and
 * options give byte-identical text (no dates, no host names).  Where a
 * format can say "this account" by itself, the "<ACCOUNT_ID>" placeholder
 * becomes that: ${AWS::AccountId} in CloudFormation (!Sub), the
 * aws_caller_identity data source in Terraform, "*" in the SCP (which is
 * written for every account of an organization, so a system-defined
 * inference profile's account field is "*" there even when the account is
 * known).  JSON and the CLI command keep the placeholder for the person to
 * replace.
 */
#ifndef BS_POLICY_FORMAT_H
#define BS_POLICY_FORMAT_H

struct buf;
struct err;
struct json;

enum policy_format_kind {
	POLICY_FORMAT_JSON = 0,
	POLICY_FORMAT_CLOUDFORMATION,
	POLICY_FORMAT_TERRAFORM,
	POLICY_FORMAT_CLI,
	POLICY_FORMAT_SCP,
	POLICY_FORMAT_COUNT
};

/* The name of the managed policy when none is given. */
#define POLICY_FORMAT_DEFAULT_NAME	"BedrockSetupPolicy"
/* AWS Organizations' size limit of an SCP, counted without white space. */
#define POLICY_FORMAT_SCP_MAX		5120

struct policy_format_opts {
	const char	*name;		/* managed policy name; NULL: default */
};

/* "json", "cloudformation", "terraform", "cli", "scp". */
const char	*policy_format_name(enum policy_format_kind);
/* The kind called name (also "cfn", "tf"); 0, or -1 when unknown. */
int		 policy_format_parse(const char *name,
		    enum policy_format_kind *out);
/* Whether s can be an IAM policy name: 1 to 128 of [A-Za-z0-9+=,.@_-]. */
int		 policy_format_name_valid(const char *s);

/*
 * Append doc, rendered as kind, to out.  0, or -1 with err set: ERR_USAGE
 * for a bad name or an SCP asked of a policy that allows no model,
 * ERR_LIMIT when out's cap is reached.  doc is not changed.
 */
int		 policy_format_render(const struct json *doc,
		    enum policy_format_kind kind,
		    const struct policy_format_opts *, struct buf *out,
		    struct err *);

/*
 * The organization SCP for doc: one Deny of bedrock:InvokeModel and
 * bedrock:InvokeModelWithResponseStream on NotResource, the sorted, unique
 * ARNs of doc's Allow statements for those actions (placeholder account
 * as "*", and any account in a system-defined inference-profile ARN).
 * NULL with err set (ERR_USAGE) when doc allows no invoke on any ARN.
 * Free with json_free.
 */
struct json	*policy_format_scp(const struct json *doc, struct err *);
/*
 * Why the SCP looks as it does and what else an organization must check,
 * as "- " lines, English from N_() templates translated through core_tr().
 * Appended to out; 0, or -1 at out's cap.
 */
int		 policy_format_scp_notes(const struct json *scp,
		    struct buf *out);

#endif
