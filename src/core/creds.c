/*
 * creds.c: AWS credentials (see creds.h).
 */
#include <stdlib.h>

#include "creds.h"
#include "xalloc.h"

struct creds *
creds_new(const char *akid, const char *secret, const char *token,
    const char *source)
{
	struct creds	*c = xcalloc(1, sizeof *c);

	c->access_key_id = xstrdup(akid == NULL ? "" : akid);
	c->secret_access_key = secret_from_str(secret == NULL ? "" : secret);
	c->session_token = secret_from_str(token);
	c->source = xstrdup(source == NULL ? "" : source);
	return c;
}

struct creds *
creds_dup(const struct creds *src)
{
	struct creds	*c;

	if (src == NULL)
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->access_key_id = xstrdup(src->access_key_id);
	c->secret_access_key = secret_dup(src->secret_access_key);
	c->session_token = secret_dup(src->session_token);
	c->expiration = src->expiration;
	c->account_id = src->account_id == NULL ? NULL :
	    xstrdup(src->account_id);
	c->source = xstrdup(src->source);
	return c;
}

void
creds_free(struct creds *c)
{
	if (c == NULL)
		return;
	free(c->access_key_id);
	secret_free(c->secret_access_key);
	secret_free(c->session_token);
	free(c->account_id);
	free(c->source);
	free(c);
}
