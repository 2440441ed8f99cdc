/*
 * creds.h: AWS credentials and where they came from.
 *
 * A struct creds is what the signer needs (key id, secret, optional session
 * token) plus what the user is shown: the source, in words ("profile dev in
 * ~/.aws/credentials"), and when the credentials expire.
 *
 * creds_resolve() walks the chain the AWS SDKs use (botocore's order) for
 * the profile chosen in a struct awsconfig: environment, assume role, web
 * identity, IAM Identity Center (SSO), the credentials file, console login,
 * credential_process, the config file, container, EC2 instance metadata.
 * An explicit profile (--profile, the picker) makes it skip the environment
 * keys, as the SDKs do.  Like the SDKs it stops at the first source that is
 * set up, whether that source works or fails, and reports every source with
 * its state for the credentials screen.  Steps that need the network go
 * through struct creds_net; the current time is passed in.
 */
#ifndef BS_CREDS_H
#define BS_CREDS_H

#include <stddef.h>
#include <time.h>

#include "secret.h"

struct awsconfig;
struct err;

struct creds {
	char		*access_key_id;
	struct secret	*secret_access_key;
	struct secret	*session_token;	/* NULL for long-term keys */
	time_t		 expiration;	/* 0: does not expire */
	char		*account_id;	/* when the source says, else NULL */
	char		*source;	/* for people; never holds a secret */
};

/* A new set of credentials; token may be NULL.  Copies everything. */
struct creds	*creds_new(const char *access_key_id, const char *secret,
		     const char *token, const char *source);
struct creds	*creds_dup(const struct creds *);
/* Wipe and free; NULL is allowed. */
void		 creds_free(struct creds *);

/* The sources, in the order the chain tries them. */
enum creds_source {
	CREDS_SRC_BEARER,		/* AWS_BEARER_TOKEN_BEDROCK */
	CREDS_SRC_ENV,
	CREDS_SRC_ASSUME_ROLE,
	CREDS_SRC_WEB_IDENTITY,
	CREDS_SRC_SSO,
	CREDS_SRC_CREDENTIALS_FILE,
	CREDS_SRC_LOGIN,
	CREDS_SRC_PROCESS,
	CREDS_SRC_CONFIG_FILE,
	CREDS_SRC_CONTAINER,
	CREDS_SRC_IMDS,
	CREDS_SRC_COUNT
};

enum creds_state {
	CREDS_NOT_CONFIGURED,		/* nothing set up for this source */
	CREDS_SKIPPED,			/* set up, but not used: see detail */
	CREDS_FAILED,			/* tried and failed: see detail */
	CREDS_USED			/* the credentials in use */
};

/* What an STS AssumeRole call needs.  Strings are NULL when unset. */
struct creds_assume_params {
	const char	*role_arn;
	const char	*role_session_name;	/* never NULL */
	const char	*external_id;
	const char	*mfa_serial;
	const char	*mfa_code;		/* set when mfa_serial is */
	int		 duration_seconds;	/* 0: the STS default */
	const char	*region;		/* STS Region; NULL: global */
	const char	*profile;		/* the profile naming the role */
};

/* What an STS AssumeRoleWithWebIdentity call needs. */
struct creds_web_identity_params {
	const char		*role_arn;
	const char		*role_session_name;	/* never NULL */
	const struct secret	*token;		/* the token file's bytes */
	const char		*token_file;
	const char		*region;	/* STS Region; NULL: global */
};

/*
 * The network steps, filled in by the caller (fakes in tests).  Each
 * returns 0 with *out set to new credentials, or -1 with the error set; imds
 * may also return 1 when no metadata service or no role is there.  The
 * resolver replaces (*out)->source with its own words.  A NULL member (or a
 * NULL struct) means the step is not taken: the report says the network is
 * needed.  mfa_code writes a code for mfa_serial into code (size bytes).
 */
struct creds_net {
	int	(*assume_role)(void *arg, const struct creds *source,
		    const struct creds_assume_params *, struct creds **out,
		    struct err *);
	int	(*assume_role_web_identity)(void *arg,
		    const struct creds_web_identity_params *,
		    struct creds **out, struct err *);
	/* GET portal.sso.{sso_region}.amazonaws.com/federation/credentials */
	int	(*sso_get_role_credentials)(void *arg, const char *sso_region,
		    const struct secret *access_token, const char *account_id,
		    const char *role_name, struct creds **out, struct err *);
	/* GET url with "Authorization: <authorization>" when not NULL. */
	int	(*container)(void *arg, const char *url,
		    const struct secret *authorization, struct creds **out,
		    struct err *);
	/* IMDSv2 at endpoint ("http://169.254.169.254", no slash). */
	int	(*imds)(void *arg, const char *endpoint, struct creds **out,
		    struct err *);
	int	(*mfa_code)(void *arg, const char *mfa_serial,
		    const char *profile, char *code, size_t size,
		    struct err *);
	void	*arg;
};

struct creds_opts {
	const struct awsconfig	*cfg;		/* files, env and profile */
	const struct creds_net	*net;		/* NULL: no network steps */
	time_t			 now;		/* for expiry checks */
	const char		*region;	/* for STS calls; may be NULL */
	int			 process_timeout_ms;	/* 0: 30000 */
	size_t			 process_output_max;	/* 0: 64 KiB */
};

struct creds_row {
	enum creds_source	 source;
	const char		*label;		/* translated, static */
	enum creds_state	 state;
	char			*detail;	/* translated, or NULL */
};

/* What the chain found.  Nothing in it holds a secret except where said. */
struct creds_report {
	char			*profile;	/* the profile walked */
	struct creds_row	 rows[CREDS_SRC_COUNT];	/* in chain order */
	int			 used;		/* source of creds, or -1 */
	struct creds		*creds;		/* SigV4 credentials, or NULL */
	/*
	 * AWS_BEARER_TOKEN_BEDROCK, or NULL.  When set, AWS's SDKs send it
	 * for Bedrock calls instead of signing with creds (creds are still
	 * needed for STS and IAM); rows[CREDS_SRC_BEARER] says so.
	 */
	struct secret		*bearer;
	char			**warnings;	/* for people */
	size_t			 nwarnings;
};

/*
 * Walk the chain.  *out always gets a report (free it with
 * creds_report_free()).  Returns 0 when SigV4 credentials were found
 * (report->creds), else -1 with e set: ERR_CONFIG for a broken setting,
 * ERR_CREDENTIALS when nothing usable was found or a source failed, or the
 * error of the network step that failed.
 */
int		 creds_resolve(const struct creds_opts *,
		     struct creds_report **out, struct err *e);
void		 creds_report_free(struct creds_report *);
/* "not configured", "skipped", "failed", "used" (N_()-marked). */
const char	*creds_state_name(enum creds_state);

/*
 * Parse an ISO 8601 time as AWS writes it ("2026-11-25T10:00:00Z", with
 * optional fraction, "+hh:mm" offset or "UTC" suffix).  0, or -1 if bad.
 */
int		 creds_parse_time(const char *, time_t *);
/*
 * The SSO token cache file for a session name (or a legacy start URL):
 * $HOME/.aws/sso/cache/<sha1 hex of key>.json.  Caller frees; NULL when
 * HOME is not set (or hashing fails).
 */
char		*creds_sso_cache_file(const struct awsconfig *, const char *key);

#endif
