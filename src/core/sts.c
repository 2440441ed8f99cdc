/*
 * sts.c: STS GetCallerIdentity, AssumeRole, AssumeRoleWithWebIdentity.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "creds.h"
#include "endpoint.h"
#include "err.h"
#include "hdr.h"
#include "http.h"
#include "query.h"
#include "i18n.h"
#include "sts.h"
#include "xalloc.h"
#include "xml.h"

int
sts_get_caller_identity(struct http_client *c, const struct endpoint *ep,
    const struct creds *creds, struct sts_identity *id, struct err *e)
{
	struct buf		 form = BUF_INIT;
	struct xml_doc		*d;
	const struct xml_node	*res;
	const char		*acct, *arn, *uid, *rid;
	int			 r;

	memset(id, 0, sizeof *id);
	query_form_add(&form, "Action", "GetCallerIdentity");
	query_form_add(&form, "Version", "2011-06-15");
	r = query_call(c, ep, creds, "sts", "GetCallerIdentity", &form, &d,
	    e);
	buf_free(&form);
	if (r != 0)
		return -1;
	res = xml_path(xml_root(d), "GetCallerIdentityResult");
	acct = xml_path_text(res, "Account");
	arn = xml_path_text(res, "Arn");
	uid = xml_path_text(res, "UserId");
	rid = xml_find_text(d, "RequestId");
	if (acct == NULL || arn == NULL || *acct == '\0' || *arn == '\0') {
		err_set(e, ERR_PROTOCOL, N_("STS GetCallerIdentity answered "
		    "without an account or ARN"));
		xml_free(d);
		return -1;
	}
	snprintf(id->account, sizeof id->account, "%s", acct);
	snprintf(id->arn, sizeof id->arn, "%s", arn);
	snprintf(id->user_id, sizeof id->user_id, "%s", uid ? uid : "");
	snprintf(id->request_id, sizeof id->request_id, "%s", rid ? rid : "");
	xml_free(d);
	return 0;
}

time_t
sts_parse_time(const char *s)
{
	struct tm	 tm;
	const char	*end;

	if (s == NULL)
		return -1;
	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end == NULL)
		return -1;
	if (*end == '.')
		while (isdigit((unsigned char)*++end))
			;
	if (*end != 'Z' && strcmp(end, "+00:00") != 0 && *end != '\0')
		return -1;
	return timegm(&tm);
}

/* Read <Credentials> of an AssumeRole* answer into new creds. */
static int
creds_from_result(const struct xml_node *res, const char *op,
    const char *role_arn, struct creds **out, struct err *e)
{
	const struct xml_node	*cr = xml_child(res, "Credentials");
	const char		*akid, *secret, *token, *exp, *arn;
	struct buf		 src = BUF_INIT;

	akid = xml_path_text(cr, "AccessKeyId");
	secret = xml_path_text(cr, "SecretAccessKey");
	token = xml_path_text(cr, "SessionToken");
	exp = xml_path_text(cr, "Expiration");
	arn = xml_path_text(res, "AssumedRoleUser/Arn");
	if (akid == NULL || secret == NULL || token == NULL || *akid == '\0'
	    || *secret == '\0') {
		err_set(e, ERR_PROTOCOL, N_("STS %s answered without "
		    "credentials"), op);
		return -1;
	}
	buf_printf(&src, "assumed role %s", role_arn);
	*out = creds_new(akid, secret, token, buf_str(&src));
	buf_free(&src);
	(*out)->expiration = exp != NULL ? sts_parse_time(exp) : 0;
	if ((*out)->expiration < 0)
		(*out)->expiration = 0;
	/* arn:aws:sts::ACCOUNT:assumed-role/... */
	if (arn != NULL && strncmp(arn, "arn:", 4) == 0) {
		const char *p = arn;
		int	    i;

		for (i = 0; i < 4 && p != NULL; i++)
			p = strchr(p + 1, ':');
		if (p != NULL) {
			const char *q = strchr(p + 1, ':');

			if (q != NULL && q - p - 1 == 12)
				(*out)->account_id = xstrndup(p + 1, 12);
		}
	}
	return 0;
}

static void
session_name(const struct sts_assume_params *p, time_t now, char *out,
    size_t n)
{
	if (p->session_name != NULL && *p->session_name != '\0')
		snprintf(out, n, "%s", p->session_name);
	else
		snprintf(out, n, "bedrock-setup-%lld", (long long)now);
}

int
sts_assume_role(struct http_client *c, const struct endpoint *ep,
    const struct creds *source, const struct sts_assume_params *p,
    time_t now, struct creds **out, struct err *e)
{
	struct buf	 form = BUF_INIT;
	struct xml_doc	*d;
	char		 name[128], dur[32];
	int		 r;

	*out = NULL;
	session_name(p, now, name, sizeof name);
	query_form_add(&form, "Action", "AssumeRole");
	query_form_add(&form, "Version", "2011-06-15");
	query_form_add(&form, "RoleArn", p->role_arn);
	query_form_add(&form, "RoleSessionName", name);
	if (p->external_id != NULL && *p->external_id != '\0')
		query_form_add(&form, "ExternalId", p->external_id);
	if (p->duration_seconds > 0) {
		snprintf(dur, sizeof dur, "%ld", p->duration_seconds);
		query_form_add(&form, "DurationSeconds", dur);
	}
	if (p->mfa_serial != NULL && *p->mfa_serial != '\0') {
		query_form_add(&form, "SerialNumber", p->mfa_serial);
		query_form_add(&form, "TokenCode",
		    p->mfa_code != NULL ? p->mfa_code : "");
	}
	r = query_call(c, ep, source, "sts", "AssumeRole", &form, &d, e);
	buf_free(&form);
	if (r != 0)
		return -1;
	r = creds_from_result(xml_path(xml_root(d), "AssumeRoleResult"),
	    "AssumeRole", p->role_arn, out, e);
	xml_free(d);
	return r;
}

int
sts_assume_role_web_identity(struct http_client *c, const struct endpoint *ep,
    const struct sts_assume_params *p, time_t now, struct creds **out,
    struct err *e)
{
	struct buf	 form = BUF_INIT;
	struct xml_doc	*d;
	char		 name[128], dur[32];
	int		 r;

	*out = NULL;
	session_name(p, now, name, sizeof name);
	query_form_add(&form, "Action", "AssumeRoleWithWebIdentity");
	query_form_add(&form, "Version", "2011-06-15");
	query_form_add(&form, "RoleArn", p->role_arn);
	query_form_add(&form, "RoleSessionName", name);
	query_form_add(&form, "WebIdentityToken",
	    p->web_identity_token != NULL ? p->web_identity_token : "");
	if (p->duration_seconds > 0) {
		snprintf(dur, sizeof dur, "%ld", p->duration_seconds);
		query_form_add(&form, "DurationSeconds", dur);
	}
	r = query_call(c, ep, NULL, "sts", "AssumeRoleWithWebIdentity", &form,
	    &d, e);
	buf_wipe_free(&form);
	if (r != 0)
		return -1;
	r = creds_from_result(xml_path(xml_root(d),
	    "AssumeRoleWithWebIdentityResult"), "AssumeRoleWithWebIdentity",
	    p->role_arn, out, e);
	xml_free(d);
	return r;
}
