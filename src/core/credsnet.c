/*
 * credsnet.c: the credential chain's network steps (see credsnet.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "creds.h"
#include "credsnet.h"
#include "endpoint.h"
#include "err.h"
#include "hdr.h"
#include "http.h"
#include "i18n.h"
#include "json.h"
#include "secret.h"
#include "sts.h"
#include "xalloc.h"

#define IMDS_DEFAULT	"http://169.254.169.254"
#define IMDS_TIMEOUT_MS	2000

static int
sts_endpoint(struct credsnet *cn, const char *region, struct endpoint *ep,
    struct err *e)
{
	return endpoint_resolve(EP_STS, region != NULL ? region : "us-east-1",
	    cn->endpoints, ep, e);
}

static int
net_assume_role(void *arg, const struct creds *source,
    const struct creds_assume_params *p, struct creds **out, struct err *e)
{
	struct credsnet		*cn = arg;
	struct endpoint		 ep;
	struct sts_assume_params sp;

	if (sts_endpoint(cn, p->region, &ep, e) != 0)
		return -1;
	memset(&sp, 0, sizeof sp);
	sp.role_arn = p->role_arn;
	sp.session_name = p->role_session_name;
	sp.external_id = p->external_id;
	sp.mfa_serial = p->mfa_serial;
	sp.mfa_code = p->mfa_code;
	sp.duration_seconds = p->duration_seconds;
	return sts_assume_role(cn->http, &ep, source, &sp, time(NULL), out, e);
}

static int
net_web_identity(void *arg, const struct creds_web_identity_params *p,
    struct creds **out, struct err *e)
{
	struct credsnet		*cn = arg;
	struct endpoint		 ep;
	struct sts_assume_params sp;

	if (sts_endpoint(cn, p->region, &ep, e) != 0)
		return -1;
	memset(&sp, 0, sizeof sp);
	sp.role_arn = p->role_arn;
	sp.session_name = p->role_session_name;
	sp.web_identity_token = secret_reveal(p->token);
	return sts_assume_role_web_identity(cn->http, &ep, &sp, time(NULL),
	    out, e);
}

/* GET url (with extra headers); on success *jp holds the JSON answer. */
static int
get_json(struct credsnet *cn, const char *op, const char *url,
    const struct hdr_list *h, int link_local, struct json **jp,
    struct err *e)
{
	struct http_request	 req;
	struct http_response	 resp;
	int			 r;

	*jp = NULL;
	memset(&req, 0, sizeof req);
	req.op = op;
	req.method = "GET";
	req.url = url;
	req.headers = h;
	req.allow_link_local = link_local;
	if (link_local) {
		req.timeout_ms = IMDS_TIMEOUT_MS;
		req.max_attempts = 2;
	}
	http_response_init(&resp);
	r = http_do(cn->http, &req, &resp, e);
	if (r == 0 && (*jp = json_parse(resp.body.data, resp.body.len,
	    e)) == NULL) {
		err_set(e, ERR_PROTOCOL, N_("%s answered with something that "
		    "is not JSON"), op);
		r = -1;
	}
	http_response_free(&resp);
	return r;
}

/* Credentials from a JSON object with the given member names. */
static int
creds_from_json(const struct json *o, const char *akid_k, const char *sec_k,
    const char *tok_k, const char *op, const char *source,
    struct creds **out, struct err *e)
{
	const char	*akid = json_get_str(o, akid_k);
	const char	*sec = json_get_str(o, sec_k);
	const char	*tok = json_get_str(o, tok_k);

	if (akid == NULL || sec == NULL || *akid == '\0' || *sec == '\0') {
		err_set(e, ERR_PROTOCOL, N_("%s answered without credentials"),
		    op);
		return -1;
	}
	*out = creds_new(akid, sec, tok, source);
	return 0;
}

static int
net_sso(void *arg, const char *sso_region, const struct secret *token,
    const char *account, const char *role, struct creds **out,
    struct err *e)
{
	struct credsnet	*cn = arg;
	struct endpoint	 ep;
	struct hdr_list	 h = HDR_LIST_INIT;
	struct buf	 url = BUF_INIT, src = BUF_INIT;
	struct json	*j, *rc;
	double		 ms;
	int		 r;

	*out = NULL;
	if (endpoint_resolve(EP_SSO, sso_region, cn->endpoints, &ep, e) != 0)
		return -1;
	buf_printf(&url, "%s/federation/credentials?role_name=%s&"
	    "account_id=%s", ep.url, role, account);
	hdr_list_add(&h, "x-amz-sso_bearer_token", secret_reveal(token));
	r = get_json(cn, "GetRoleCredentials", buf_str(&url), &h, 0, &j, e);
	hdr_list_free(&h);
	buf_free(&url);
	if (r != 0) {
		if (e != NULL && (strcmp(e->code, "UnauthorizedException") ==
		    0 || e->http_status == 401))
			e->kind = ERR_CREDENTIALS;
		return -1;
	}
	rc = json_get(j, "roleCredentials");
	buf_printf(&src, "SSO role %s in account %s", role, account);
	r = creds_from_json(rc, "accessKeyId", "secretAccessKey",
	    "sessionToken", "GetRoleCredentials", buf_str(&src), out, e);
	if (r == 0) {
		ms = json_get_num(rc, "expiration", 0);
		(*out)->expiration = (time_t)(ms / 1000.0);
		(*out)->account_id = xstrdup(account);
	}
	buf_free(&src);
	json_free(j);
	return r;
}

static int
net_container(void *arg, const char *url, const struct secret *auth,
    struct creds **out, struct err *e)
{
	struct credsnet	*cn = arg;
	struct hdr_list	 h = HDR_LIST_INIT;
	struct json	*j;
	const char	*exp;
	int		 r;

	*out = NULL;
	if (auth != NULL)
		hdr_list_add(&h, "Authorization", secret_reveal(auth));
	r = get_json(cn, "ContainerCredentials", url, &h, 1, &j, e);
	hdr_list_free(&h);
	if (r != 0)
		return -1;
	r = creds_from_json(j, "AccessKeyId", "SecretAccessKey", "Token",
	    "ContainerCredentials", "container credentials", out, e);
	if (r == 0 && (exp = json_get_str(j, "Expiration")) != NULL)
		(*out)->expiration = sts_parse_time(exp) > 0 ?
		    sts_parse_time(exp) : 0;
	json_free(j);
	return r;
}

/* One IMDS step: method on path with headers; the body in *out. */
static int
imds_call(struct credsnet *cn, const char *method, const char *base,
    const char *path, const struct hdr_list *h, char **out, struct err *e)
{
	struct http_request	 req;
	struct http_response	 resp;
	struct buf		 url = BUF_INIT;
	int			 r;

	*out = NULL;
	buf_printf(&url, "%s%s", base, path);
	memset(&req, 0, sizeof req);
	req.op = "InstanceMetadata";
	req.method = method;
	req.url = buf_str(&url);
	req.headers = h;
	req.allow_link_local = 1;
	req.timeout_ms = IMDS_TIMEOUT_MS;
	req.max_attempts = 2;
	http_response_init(&resp);
	r = http_do(cn->http, &req, &resp, e);
	if (r == 0)
		*out = buf_take(&resp.body, NULL);
	http_response_free(&resp);
	buf_free(&url);
	return r;
}

static int
net_imds(void *arg, const char *endpoint, struct creds **out, struct err *e)
{
	struct credsnet	*cn = arg;
	struct hdr_list	 h = HDR_LIST_INIT;
	struct json	*j = NULL;
	struct buf	 path = BUF_INIT;
	char		*token = NULL, *role = NULL, *doc = NULL, *nl;
	const char	*base = endpoint != NULL ? endpoint :
	    cn->imds_endpoint != NULL ? cn->imds_endpoint : IMDS_DEFAULT;
	const char	*exp;
	int		 r = -1;

	*out = NULL;
	hdr_list_add(&h, "x-aws-ec2-metadata-token-ttl-seconds", "21600");
	if (imds_call(cn, "PUT", base, "/latest/api/token", &h, &token, e)) {
		/* Nothing answers: not on EC2, not an error of the chain. */
		if (e != NULL && (e->kind == ERR_NETWORK ||
		    e->kind == ERR_TIMEOUT))
			r = 1;
		goto done;
	}
	hdr_list_free(&h);
	hdr_list_add(&h, "x-aws-ec2-metadata-token", token);
	if (imds_call(cn, "GET", base,
	    "/latest/meta-data/iam/security-credentials/", &h, &role, e)) {
		/* No role attached: not an error of the chain. */
		if (e != NULL && e->http_status == 404)
			r = 1;
		goto done;
	}
	if ((nl = strchr(role, '\n')) != NULL)
		*nl = '\0';
	if (*role == '\0') {
		r = 1;
		goto done;
	}
	buf_printf(&path, "/latest/meta-data/iam/security-credentials/%s",
	    role);
	if (imds_call(cn, "GET", base, buf_str(&path), &h, &doc, e))
		goto done;
	if ((j = json_parse(doc, 0, e)) == NULL)
		goto done;
	r = creds_from_json(j, "AccessKeyId", "SecretAccessKey", "Token",
	    "InstanceMetadata", "EC2 instance metadata", out, e);
	if (r == 0 && (exp = json_get_str(j, "Expiration")) != NULL)
		(*out)->expiration = sts_parse_time(exp) > 0 ?
		    sts_parse_time(exp) : 0;
done:
	json_free(j);
	if (token != NULL)
		explicit_bzero(token, strlen(token));
	if (doc != NULL)
		explicit_bzero(doc, strlen(doc));
	free(token);
	free(role);
	free(doc);
	buf_free(&path);
	hdr_list_free(&h);
	return r;
}

void
credsnet_bind(struct credsnet *cn, struct creds_net *net)
{
	memset(net, 0, sizeof *net);
	net->assume_role = net_assume_role;
	net->assume_role_web_identity = net_web_identity;
	net->sso_get_role_credentials = net_sso;
	net->container = net_container;
	net->imds = net_imds;
	net->arg = cn;
}
