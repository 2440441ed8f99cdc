/*
 * iam.c: SimulatePrincipalPolicy (see iam.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "iam.h"
#include "query.h"
#include "xalloc.h"
#include "xml.h"

#define IAM_MAX_PAGES	50

char *
iam_principal_of(const char *arn)
{
	const char	*p, *acct, *rest, *slash;
	struct buf	 b = BUF_INIT;
	char		 part[32];
	size_t		 n;

	/* arn:PARTITION:SERVICE::ACCOUNT:RESOURCE */
	if (arn == NULL || strncmp(arn, "arn:", 4) != 0)
		return NULL;
	p = strchr(arn + 4, ':');
	if (p == NULL || (size_t)(p - arn - 4) >= sizeof part)
		return NULL;
	n = (size_t)(p - arn - 4);
	memcpy(part, arn + 4, n);
	part[n] = '\0';
	acct = strchr(p + 1, ':');		/* after the service */
	if (acct == NULL || acct[1] != ':')
		return NULL;
	acct += 2;
	rest = strchr(acct, ':');
	if (rest == NULL || rest - acct != 12)
		return NULL;
	rest++;
	if (strncmp(p + 1, "iam:", 4) == 0 &&
	    (strncmp(rest, "user/", 5) == 0 || strncmp(rest, "role/", 5) == 0))
		return xstrdup(arn);
	if (strncmp(p + 1, "sts:", 4) == 0 &&
	    strncmp(rest, "assumed-role/", 13) == 0) {
		slash = strchr(rest + 13, '/');
		if (slash == NULL)
			slash = rest + strlen(rest);
		buf_printf(&b, "arn:%s:iam::%.12s:role/%.*s", part, acct,
		    (int)(slash - rest - 13), rest + 13);
		return buf_take(&b, NULL);
	}
	return NULL;
}

static void
add_members(struct buf *form, const char *name, const char *const *v,
    size_t n)
{
	char	 key[64];
	size_t	 i;

	for (i = 0; i < n; i++) {
		snprintf(key, sizeof key, "%s.member.%zu", name, i + 1);
		query_form_add(form, key, v[i]);
	}
}

int
iam_simulate(struct http_client *c, const struct endpoint *ep,
    const struct creds *cr, const char *principal,
    const char *const *actions, size_t na, const char *const *resources,
    size_t nr, const struct iam_context *ctx, size_t nctx,
    struct iam_eval **out, size_t *np, struct err *e)
{
	char			 key[96];
	size_t			 k;
	struct buf		 form = BUF_INIT;
	struct xml_doc		*d;
	const struct xml_node	*res, *m;
	char			*marker = NULL;
	const char		*v;
	size_t			 n = 0, pages;
	int			 more = 1;

	*out = NULL;
	*np = 0;
	for (pages = 0; more && pages < IAM_MAX_PAGES; pages++) {
		buf_reset(&form);
		query_form_add(&form, "Action", "SimulatePrincipalPolicy");
		query_form_add(&form, "Version", "2010-05-08");
		query_form_add(&form, "PolicySourceArn", principal);
		add_members(&form, "ActionNames", actions, na);
		add_members(&form, "ResourceArns", resources, nr);
		for (k = 0; k < nctx; k++) {
			snprintf(key, sizeof key, "ContextEntries.member.%zu."
			    "ContextKeyName", k + 1);
			query_form_add(&form, key, ctx[k].key);
			snprintf(key, sizeof key, "ContextEntries.member.%zu."
			    "ContextKeyValues.member.1", k + 1);
			query_form_add(&form, key, ctx[k].value);
			snprintf(key, sizeof key, "ContextEntries.member.%zu."
			    "ContextKeyType", k + 1);
			query_form_add(&form, key, "string");
		}
		query_form_add(&form, "MaxItems", "1000");
		if (marker != NULL)
			query_form_add(&form, "Marker", marker);
		if (query_call(c, ep, cr, "iam", "SimulatePrincipalPolicy",
		    &form, &d, e) != 0) {
			free(marker);
			buf_free(&form);
			free(*out);
			*out = NULL;
			return -1;
		}
		res = xml_path(xml_root(d), "SimulatePrincipalPolicyResult");
		for (m = xml_child(xml_child(res, "EvaluationResults"),
		    "member"); m != NULL; m = xml_next(m, "member")) {
			struct iam_eval *ev;

			*out = xreallocarray(*out, n + 1, sizeof **out);
			ev = &(*out)[n++];
			memset(ev, 0, sizeof *ev);
			snprintf(ev->action, sizeof ev->action, "%s",
			    xml_text(xml_child(m, "EvalActionName")));
			snprintf(ev->resource, sizeof ev->resource, "%s",
			    xml_text(xml_child(m, "EvalResourceName")));
			snprintf(ev->decision, sizeof ev->decision, "%s",
			    xml_text(xml_child(m, "EvalDecision")));
			v = xml_path_text(m, "OrganizationsDecisionDetail/"
			    "AllowedByOrganizations");
			ev->scp_denied = v != NULL && strcmp(v, "false") == 0;
		}
		v = xml_path_text(res, "IsTruncated");
		more = v != NULL && strcmp(v, "true") == 0;
		free(marker);
		marker = more && xml_path_text(res, "Marker") != NULL ?
		    xstrdup(xml_path_text(res, "Marker")) : NULL;
		more = more && marker != NULL;
		xml_free(d);
	}
	free(marker);
	buf_free(&form);
	*np = n;
	return 0;
}
