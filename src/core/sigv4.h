/*
 * sigv4.h: AWS Signature Version 4, and bearer tokens for Bedrock API keys.
 *
 * The caller describes the request as it will go on the wire; the signer
 * returns what to add to it.  Time is passed in, never read from the clock.
 *
 *	struct sigv4_signer *s = sigv4_signer_new();
 *	struct sigv4_out out;
 *	sigv4_out_init(&out);
 *	if (sigv4_sign(s, &req, &params, &out, &err) == 0)
 *		sigv4_out_headers(&out, &headers);
 *	...
 *	sigv4_out_free(&out);
 *	sigv4_signer_free(s);
 *
 * Canonical form (AWS SigV4, as botocore's SigV4Auth does it):
 *  - path: dot segments removed and runs of '/' collapsed (unless
 *    SIGV4_NO_NORMALIZE), then every byte but A-Za-z0-9-._~ and '/'
 *    percent-encoded again (so "%3A" becomes "%253A"); SIGV4_NO_DOUBLE_ENCODE
 *    keeps existing "%XX" escapes instead (S3 style).
 *  - query: each name and value percent-decoded, then encoded with the
 *    unreserved set; pairs sorted by encoded name, then encoded value.
 *  - headers: names lower-cased and sorted; values trimmed, runs of white
 *    space (space, tab, CR, LF, so also obs-fold line breaks) folded to one
 *    space; repeated names joined with ',' in request order.
 *
 * Which headers get signed: every header in req->headers except
 * Authorization, the ones the signer adds itself, and (unless
 * SIGV4_SIGN_ALL_HEADERS) those botocore never signs: connection, expect,
 * keep-alive, proxy-authenticate, proxy-authorization, te, trailer,
 * transfer-encoding, upgrade, user-agent, x-amzn-trace-id.  Real requests
 * can pass all their headers; the AWS test suite signs everything it is
 * given and uses SIGV4_SIGN_ALL_HEADERS.
 */
#ifndef BS_SIGV4_H
#define BS_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

struct creds;
struct err;
struct hdr_list;
struct secret;

/* Flags for sigv4_params.flags; 0 gives what Bedrock needs. */
#define SIGV4_NO_DOUBLE_ENCODE		0x01u	/* keep "%XX" in the path */
#define SIGV4_NO_NORMALIZE		0x02u	/* keep "." "..", "//" */
#define SIGV4_SIGN_BODY			0x04u	/* add, sign x-amz-content-sha256 */
#define SIGV4_OMIT_SESSION_TOKEN	0x08u	/* send the token, don't sign it */
#define SIGV4_SIGN_ALL_HEADERS		0x10u	/* no botocore skip list */
#define SIGV4_KEEP_CANONICAL		0x20u	/* fill canonical_request etc. */

/* The request, as sent.  Nothing here is kept after the call. */
struct sigv4_request {
	const char		*method;	/* "POST" */
	const char		*path;		/* wire form, encoded once, "/..."; NULL or "" is "/" */
	const char		*query;		/* wire form, without '?'; NULL or "" for none */
	const struct hdr_list	*headers;	/* must hold Host */
	const void		*body;		/* may be NULL when body_len is 0 */
	size_t			 body_len;
	const char		*payload_hash;	/* hex SHA-256 of the body, or NULL to hash body */
};

struct sigv4_params {
	const char		*region;	/* "us-east-1" */
	const char		*service;	/* signing name: "bedrock" */
	const struct creds	*creds;
	time_t			 now;		/* signing time, 1970..9999 */
	unsigned int		 flags;		/* SIGV4_* */
	long			 expires;	/* sigv4_presign: seconds, 1..604800; 0: 3600 */
};

/*
 * What a signature produced.  Initialise once, reuse for many signatures
 * (the buffers keep their memory), free once; freeing wipes it, since the
 * signature, the token and the presigned query are credentials.
 */
struct sigv4_out {
	char		 amz_date[17];		/* "20250101T000000Z" */
	char		 payload_hash[65];	/* last line of the canonical request */
	char		 signature[65];		/* hex; never print it */
	int		 sign_body;		/* x-amz-content-sha256 is to be added */
	struct buf	 token;			/* X-Amz-Security-Token value or "" */
	struct buf	 authorization;		/* sigv4_sign: the header value */
	struct buf	 query;			/* sigv4_presign: "X-Amz-Algorithm=...&X-Amz-Signature=..." */
	struct buf	 signed_headers;	/* "content-type;host;x-amz-date" */
	struct buf	 canonical_request;	/* with SIGV4_KEEP_CANONICAL, else "" */
	struct buf	 string_to_sign;	/* with SIGV4_KEEP_CANONICAL, else "" */
};

void	 sigv4_out_init(struct sigv4_out *);
void	 sigv4_out_free(struct sigv4_out *);

/*
 * Set, in dst, the headers of a header signature, in this order:
 * X-Amz-Security-Token (when there is a token), X-Amz-Date,
 * x-amz-content-sha256 (with SIGV4_SIGN_BODY), Authorization.  Lines of the
 * same names already in dst are replaced.  After sigv4_presign it adds
 * nothing.
 */
void	 sigv4_out_headers(const struct sigv4_out *, struct hdr_list *dst);

/*
 * A signer keeps the derived signing key of the last (date, region,
 * service, key id, secret) it saw, and scratch buffers, so that signing in
 * a loop derives no key and allocates nothing.  One per thread.  The key is
 * wiped when replaced and when the signer is freed.
 */
struct sigv4_signer;

struct sigv4_signer	*sigv4_signer_new(void);
void			 sigv4_signer_free(struct sigv4_signer *);
/* How many signing keys this signer has derived (for tests). */
unsigned long		 sigv4_signer_derivations(const struct sigv4_signer *);

/*
 * Sign with the Authorization header.  0 on success; -1 with err set
 * (ERR_USAGE: malformed request, no Host header, time out of range;
 * ERR_CREDENTIALS: no key id or secret; ERR_INTERNAL: libcrypto failed).
 * out is overwritten either way.
 */
int	 sigv4_sign(struct sigv4_signer *, const struct sigv4_request *,
	     const struct sigv4_params *, struct sigv4_out *, struct err *);
/*
 * Sign in the query string (a presigned URL): out->query holds the
 * parameters to append to the request's query (after '&', or after '?'
 * when it had none).  SIGV4_SIGN_BODY does not apply.  Errors as above.
 */
int	 sigv4_presign(struct sigv4_signer *, const struct sigv4_request *,
	     const struct sigv4_params *, struct sigv4_out *, struct err *);

/*
 * Set "Authorization: Bearer <token>" in dst for a Bedrock API key
 * (AWS_BEARER_TOKEN_BEDROCK).  -1 with ERR_CREDENTIALS if the token is
 * empty or holds anything but visible ASCII.
 */
int	 sigv4_bearer_header(const struct secret *token, struct hdr_list *dst,
	     struct err *);

/*
 * An Authorization value fit to show: the algorithm, Credential and
 * SignedHeaders stay, every other value becomes "****"; "Bearer x" becomes
 * "Bearer ****"; anything not understood becomes "****".  Control
 * characters are replaced by '?'.  The result is the caller's to free().
 */
char	*sigv4_redact(const char *authorization);

#endif
