/*
 * creds.h: AWS credentials and where they came from.
 *
 * A struct creds is what the signer needs (key id, secret, optional session
 * token) plus what the user is shown: the source, in words ("profile dev in
 * ~/.aws/credentials"), and when the credentials expire.
 */
#ifndef BS_CREDS_H
#define BS_CREDS_H

#include <time.h>

#include "secret.h"

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

#endif
