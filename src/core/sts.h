/*
 * sts.h: the AWS STS calls the credentials gate needs (query protocol,
 * XML answers): who am I, and the role assumptions of the credential chain.
 */
#ifndef BS_STS_H
#define BS_STS_H

#include <time.h>

struct creds;
struct endpoint;
struct err;
struct http_client;

struct sts_identity {
	char	 account[16];
	char	 arn[512];
	char	 user_id[256];
	char	 request_id[96];
};

struct sts_assume_params {
	const char	*role_arn;
	const char	*session_name;		/* NULL: bedrock-setup-<epoch> */
	const char	*external_id;		/* or NULL */
	const char	*mfa_serial;		/* or NULL */
	const char	*mfa_code;		/* with mfa_serial */
	long		 duration_seconds;	/* 0: the role's default */
	const char	*web_identity_token;	/* AssumeRoleWithWebIdentity */
};

/* GetCallerIdentity, signed with creds.  0, or -1 with err set. */
int	 sts_get_caller_identity(struct http_client *, const struct endpoint *,
	     const struct creds *, struct sts_identity *, struct err *);
/*
 * AssumeRole with source credentials; *out gets new credentials whose
 * source reads "assumed role ARN" (callers may replace it).  now is used
 * for the default session name.
 */
int	 sts_assume_role(struct http_client *, const struct endpoint *,
	     const struct creds *source, const struct sts_assume_params *,
	     time_t now, struct creds **out, struct err *);
/* AssumeRoleWithWebIdentity (unsigned: the token is the proof). */
int	 sts_assume_role_web_identity(struct http_client *,
	     const struct endpoint *, const struct sts_assume_params *,
	     time_t now, struct creds **out, struct err *);
/* Parse an ISO-8601 UTC time ("2026-11-25T06:59:17Z"); -1 if malformed. */
time_t	 sts_parse_time(const char *);

#endif
