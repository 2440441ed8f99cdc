/*
 * iam.h: IAM SimulatePrincipalPolicy, to check the IAM gate without
 * making the call: would the identity's policies (and the organization's
 * SCPs) allow these actions on these ARNs?
 */
#ifndef BS_IAM_H
#define BS_IAM_H

#include <stddef.h>

struct creds;
struct endpoint;
struct err;
struct http_client;

struct iam_eval {
	char	 action[128];
	char	 resource[1024];
	char	 decision[32];		/* allowed, explicitDeny, implicitDeny */
	int	 scp_denied;		/* denied by the organization's SCPs */
};

/*
 * The principal to simulate for a caller ARN from GetCallerIdentity: a
 * user stays as it is; an assumed role ("arn:aws:sts::A:assumed-role/R/s")
 * becomes its role ("arn:aws:iam::A:role/R").  NULL for the root user
 * and federated users, which IAM cannot simulate.  Caller frees.
 */
char	*iam_principal_of(const char *caller_arn);
/*
 * Simulate every action on every resource, with the condition keys a
 * real call would carry (context, ncontext; may be empty).  *out gets one result per
 * (action, resource) pair (free()), *n their count.  -1 with err set
 * (an AccessDenied here means the caller may not simulate: the gate
 * cannot be checked, which is not a failure of the gate).
 */
struct iam_context {
	const char	*key;		/* "bedrock:InferenceProfileArn" */
	const char	*value;		/* a string value */
};

int	 iam_simulate(struct http_client *, const struct endpoint *,
	     const struct creds *, const char *principal_arn,
	     const char *const *actions, size_t nactions,
	     const char *const *resources, size_t nresources,
	     const struct iam_context *context, size_t ncontext,
	     struct iam_eval **out, size_t *n, struct err *);

#endif
