/*
 * demo_world.h: what demo.c (the account, its requests, signatures, STS
 * and IAM) and demo_world.c (Bedrock, the runtime, Access Analyzer) share.
 * Private to the demo: nothing else includes it.
 */
#ifndef BS_DEMO_WORLD_H
#define BS_DEMO_WORLD_H

#include <stddef.h>
#include <time.h>

struct catalog;
struct catalog_model;
struct creds;
struct http_sim_reply;
struct http_sim_request;
struct json;
struct sigv4_signer;

enum demo_kind {
	DEMO_HAPPY,
	DEMO_NO_CREDENTIALS,
	DEMO_WRONG_REGION,
	DEMO_IAM_DENIED,
	DEMO_TERMS_PENDING,
	DEMO_NEEDS_PROFILE,
	DEMO_THROTTLED
};

enum demo_agreement {
	DEMO_AGR_AVAILABLE,
	DEMO_AGR_PENDING,
	DEMO_AGR_NOT_AVAILABLE
};

struct demo_agreement_state {
	char			*model;
	enum demo_agreement	 state;
};

struct demo {
	const char		*name;		/* scenario */
	enum demo_kind		 kind;
	struct catalog		*cat;
	const char		*region;
	const char		*model;
	struct creds		*creds;		/* NULL: no-credentials */
	const char		*arn;		/* as GetCallerIdentity says */
	const char		*principal;	/* the IAM user or role ARN */
	const char		*user_id;
	struct sigv4_signer	*signer;	/* to verify signatures */
	int			 form_submitted;
	char			*form_b64;
	struct demo_agreement_state *agreements;
	size_t			 nagreements;
	unsigned long		 calls;
	double			 pace;		/* time scale, 1: real */
};

/* One request being answered. */
struct demo_call {
	struct demo			*d;
	const struct http_sim_request	*req;
	struct http_sim_reply		*r;
	const char			*service;	/* signing name */
	char				 region[64];
	char				*path;		/* raw, no query */
	char				*query;		/* raw, or NULL */
	char				 request_id[40];
	time_t				 date;		/* for Date: */
	double				 net_ms;	/* Region's latency */
};

/* Answers (demo.c).  extra_ms is added to the time to first byte. */
void	 demo_reply_json(struct demo_call *, long status,
	     const struct json *body, double extra_ms);
/* A rest-json error: x-amzn-ErrorType CODE:<bedrock namespace>. */
void	 demo_reply_error(struct demo_call *, long status, const char *code,
	     const char *message);
/* The same with the body key "Message", as IAM denials have. */
void	 demo_reply_error_key(struct demo_call *, long status,
	     const char *code, const char *message, const char *key);
/* Add the usual response headers (request id, Date) and a Content-Type. */
void	 demo_reply_headers(struct demo_call *, const char *content_type);

/* The value of a query parameter, percent-decoded; caller frees. */
char	*demo_query_param(const char *query, const char *name);
/* Percent-decode n bytes (plus_space: '+' is a space); caller frees. */
char	*demo_decode(const char *s, size_t n, int plus_space);
/* Whether the identity may do action (IAM, ignoring resources). */
int	 demo_allowed(const struct demo *, const char *action);
/* The IAM denial message for action on resource; caller frees. */
char	*demo_denial(const struct demo *, const char *action,
	     const char *resource);
/* A small deterministic hash (FNV-1a). */
unsigned long demo_hash(const char *s, unsigned long seed);

/* The Bedrock control plane, the runtime, Access Analyzer (demo_world.c). */
void	 demo_world_bedrock(struct demo_call *);
void	 demo_world_runtime(struct demo_call *);
void	 demo_world_analyzer(struct demo_call *);
/* The agreement state of a model in this account. */
enum demo_agreement demo_world_agreement(const struct demo *,
	     const struct catalog_model *);

#endif
