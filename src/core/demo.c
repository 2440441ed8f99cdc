/*
 * demo.c: the demo account (see demo.h): scenarios, the account's
 * credentials, reading requests, verifying SigV4, answering in AWS's
 * formats, and the STS, IAM and SSO hosts.  The Bedrock hosts and Access
 * Analyzer are in demo_world.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "awsconfig.h"
#include "buf.h"
#include "catalog.h"
#include "creds.h"
#include "crypto.h"
#include "demo.h"
#include "demo_scenarios.h"
#include "demo_world.h"
#include "err.h"
#include "hdr.h"
#include "http.h"
#include "i18n.h"
#include "json.h"
#include "secret.h"
#include "sigv4.h"
#include "xalloc.h"

#define DEMO_KEY_ID		"AKIADEMOWORKSHOP0001"
#define DEMO_SESSION_KEY_ID	"ASIADEMOWORKSHOP0001"
#define BEDROCK_NS	"http://internal.amazon.com/coral/com.amazon.bedrock/"
#define AUTH_NS		"http://internal.amazon.com/coral/com.amazon.coral.service/"
#define STS_XMLNS	"https://sts.amazonaws.com/doc/2011-06-15/"
#define IAM_XMLNS	"https://iam.amazonaws.com/doc/2010-05-08/"
#define SIG_MISMATCH	"The request signature we calculated does not match " \
	"the signature you provided. Check your AWS Secret Access Key and " \
	"signing method. Consult the service documentation for details."
#define BAD_TOKEN	"The security token included in the request is invalid."

static const struct {
	const char	*name;
	enum demo_kind	 kind;
	const char	*region;
	const char	*model;
	int		 role;		/* session credentials of a role */
} worlds[] = {
	{ "happy", DEMO_HAPPY, "us-east-1", "amazon.nova-micro-v1:0", 0 },
	{ "no-credentials", DEMO_NO_CREDENTIALS, "us-east-1",
	  "amazon.nova-micro-v1:0", 0 },
	{ "wrong-region", DEMO_WRONG_REGION, "eu-central-1",
	  "mistral.mistral-large-2402-v1:0", 0 },
	{ "iam-denied", DEMO_IAM_DENIED, "us-east-1",
	  "amazon.nova-micro-v1:0", 1 },
	{ "terms-pending", DEMO_TERMS_PENDING, "us-east-1",
	  "anthropic.claude-haiku-4-5-20251001-v1:0", 0 },
	{ "needs-profile", DEMO_NEEDS_PROFILE, "us-east-1",
	  "anthropic.claude-sonnet-4-5-20250929-v1:0", 0 },
	{ "throttled", DEMO_THROTTLED, "us-east-1", "amazon.nova-micro-v1:0",
	  0 },
};

/*
 * Time to first byte: 35 ms plus 1.2 ms per 100 km between a workshop
 * room in New York and the Region's city (great-circle distance).
 */
static const struct {
	const char	*region;
	int		 ms;
} latencies[] = {
	{ "us-east-1", 39 },		/*   353 km */
	{ "us-east-2", 44 },		/*   766 km */
	{ "us-west-1", 84 },		/*  4101 km */
	{ "us-west-2", 79 },		/*  3693 km */
	{ "ca-central-1", 41 },		/*   534 km */
	{ "ca-west-1", 74 },		/*  3262 km */
	{ "mx-central-1", 75 },		/*  3348 km */
	{ "sa-east-1", 127 },		/*  7681 km */
	{ "eu-central-1", 109 },	/*  6204 km */
	{ "eu-central-2", 111 },	/*  6320 km */
	{ "eu-north-1", 111 },		/*  6323 km */
	{ "eu-south-1", 113 },		/*  6463 km */
	{ "eu-south-2", 106 },		/*  5925 km */
	{ "eu-west-1", 96 },		/*  5113 km */
	{ "eu-west-2", 102 },		/*  5572 km */
	{ "eu-west-3", 105 },		/*  5838 km */
	{ "ap-east-2", 185 },		/* 12535 km */
	{ "ap-northeast-1", 165 },	/* 10848 km */
	{ "ap-northeast-2", 168 },	/* 11049 km */
	{ "ap-northeast-3", 168 },	/* 11103 km */
	{ "ap-south-1", 185 },		/* 12537 km */
	{ "ap-south-2", 190 },		/* 12957 km */
	{ "ap-southeast-1", 219 },	/* 15333 km */
	{ "ap-southeast-2", 227 },	/* 15991 km */
	{ "ap-southeast-3", 229 },	/* 16177 km */
	{ "ap-southeast-4", 235 },	/* 16669 km */
	{ "ap-southeast-5", 216 },	/* 15124 km */
	{ "ap-southeast-6", 205 },	/* 14189 km */
	{ "ap-southeast-7", 202 },	/* 13927 km */
	{ "il-central-1", 144 },	/*  9115 km */
	{ "me-central-1", 167 },	/* 11018 km */
	{ "me-south-1", 163 },		/* 10643 km */
	{ "af-south-1", 186 },		/* 12561 km */
	{ "us-gov-west-1", 79 },	/*  3693 km */
	{ "us-gov-east-1", 44 },	/*   766 km */
};

/* The chain's rows, worded as creds.c words them. */
static const char *const row_labels[CREDS_SRC_COUNT] = {
	[CREDS_SRC_BEARER] = N_("Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)"),
	[CREDS_SRC_ENV] = N_("environment variables (AWS_ACCESS_KEY_ID)"),
	[CREDS_SRC_ASSUME_ROLE] = N_("assume role (role_arn)"),
	[CREDS_SRC_WEB_IDENTITY] = N_("web identity "
	    "(web_identity_token_file)"),
	[CREDS_SRC_SSO] = N_("IAM Identity Center (SSO)"),
	[CREDS_SRC_CREDENTIALS_FILE] = N_("keys in the credentials file"),
	[CREDS_SRC_LOGIN] = N_("console login (login_session)"),
	[CREDS_SRC_PROCESS] = N_("credential_process"),
	[CREDS_SRC_CONFIG_FILE] = N_("keys in the config file"),
	[CREDS_SRC_CONTAINER] = N_("container credentials (ECS, EKS)"),
	[CREDS_SRC_IMDS] = N_("EC2 instance metadata (IMDS)"),
};

unsigned long
demo_hash(const char *s, unsigned long seed)
{
	unsigned long	 h = 2166136261UL ^ seed;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h = (h * 16777619UL) & 0xffffffffUL;
	}
	return h;
}

static char *
random_secret(size_t nbytes)
{
	unsigned char	 raw[48];
	struct buf	 b;
	char		*s;

	if (nbytes > sizeof raw)
		nbytes = sizeof raw;
	if (crypto_random(raw, nbytes) != 0) {
		/* No CSPRNG: still a secret nobody else holds. */
		unsigned long h = demo_hash("demo", (unsigned long)time(NULL));
		size_t i;

		for (i = 0; i < nbytes; i++) {
			h = h * 1103515245UL + 12345UL;
			raw[i] = (unsigned char)(h >> 16);
		}
	}
	buf_init(&b, 0);
	crypto_base64_encode(raw, nbytes, &b);
	explicit_bzero(raw, sizeof raw);
	s = buf_take(&b, NULL);
	return s;
}

struct demo *
demo_new(const char *scenario, struct err *e)
{
	struct demo	*d;
	size_t		 i;
	char		*secret, *token = NULL;

	if (scenario == NULL)
		scenario = "happy";
	for (i = 0; i < sizeof worlds / sizeof worlds[0]; i++)
		if (strcmp(worlds[i].name, scenario) == 0)
			break;
	if (i == sizeof worlds / sizeof worlds[0] ||
	    demo_scenario_find(scenario) == NULL) {
		err_set(e, ERR_USAGE, N_("unknown demo scenario '%s'; "
		    "'--demo=list' shows them"), scenario);
		return NULL;
	}
	d = xcalloc(1, sizeof *d);
	d->name = worlds[i].name;
	d->kind = worlds[i].kind;
	d->region = worlds[i].region;
	d->model = worlds[i].model;
	d->cat = catalog_load_embedded(e);
	if (d->cat == NULL) {
		free(d);
		return NULL;
	}
	if (worlds[i].role) {
		d->arn = "arn:aws:sts::" DEMO_ACCOUNT ":assumed-role/"
		    "WorkshopReadOnly/workshop-participant";
		d->principal = "arn:aws:iam::" DEMO_ACCOUNT
		    ":role/WorkshopReadOnly";
		d->user_id = "AROADEMOWORKSHOPROLE1:workshop-participant";
	} else {
		d->arn = "arn:aws:iam::" DEMO_ACCOUNT
		    ":user/workshop-participant";
		d->principal = d->arn;
		d->user_id = "AIDADEMOWORKSHOPUSER1";
	}
	if (d->kind != DEMO_NO_CREDENTIALS) {
		secret = random_secret(30);
		if (worlds[i].role)
			token = random_secret(48);
		d->creds = creds_new(worlds[i].role ? DEMO_SESSION_KEY_ID :
		    DEMO_KEY_ID, secret, token,
		    core_tr(N_("demo account (simulated)")));
		explicit_bzero(secret, strlen(secret));
		free(secret);
		if (token != NULL) {
			explicit_bzero(token, strlen(token));
			free(token);
		}
		d->creds->account_id = xstrdup(DEMO_ACCOUNT);
	}
	d->signer = sigv4_signer_new();
	d->pace = 1;
	if (d->kind != DEMO_TERMS_PENDING) {
		/* {"companyName": "Example Workshop", ...} as the console sends it. */
		struct buf	 b;
		const char	*form = "{\"companyName\":\"Example Workshop\","
		    "\"companyWebsite\":\"https://example.com\","
		    "\"intendedUsers\":\"0\",\"industryOption\":\"Education\","
		    "\"otherIndustryOption\":\"\",\"useCases\":\"Hands-on "
		    "workshop: first calls to Amazon Bedrock.\"}";

		buf_init(&b, 0);
		crypto_base64_encode(form, strlen(form), &b);
		d->form_b64 = buf_take(&b, NULL);
		d->form_submitted = 1;
	}
	return d;
}

void
demo_free(struct demo *d)
{
	size_t	 i;

	if (d == NULL)
		return;
	catalog_free(d->cat);
	creds_free(d->creds);
	sigv4_signer_free(d->signer);
	free(d->form_b64);
	for (i = 0; i < d->nagreements; i++)
		free(d->agreements[i].model);
	free(d->agreements);
	free(d);
}

const char *
demo_scenario_name(const struct demo *d)
{
	return d->name;
}

const char *
demo_region(const struct demo *d)
{
	return d->region;
}

const char *
demo_model(const struct demo *d)
{
	return d->model;
}

const char *
demo_identity_arn(const struct demo *d)
{
	return d->arn;
}

void
demo_set_pace(struct demo *d, double pace)
{
	d->pace = pace > 0 ? pace : 1;
}

int
demo_form_submitted(const struct demo *d)
{
	return d->form_submitted;
}

void
demo_region_setting(const struct demo *d, struct awsconfig_setting *out)
{
	out->value = xstrdup(d->region);
	out->source = xstrdup(core_tr(N_("demo account")));
	out->note = NULL;
}

double
demo_region_latency_ms(const char *region)
{
	size_t	 i;

	for (i = 0; region != NULL && i < sizeof latencies /
	    sizeof latencies[0]; i++)
		if (strcmp(latencies[i].region, region) == 0)
			return latencies[i].ms;
	return 180;
}

int
demo_credentials(const struct demo *d, time_t now, struct creds **out,
    struct creds_report **report, struct err *e)
{
	struct creds_report	*r;
	struct buf		 b;
	size_t			 i;

	r = xcalloc(1, sizeof *r);
	*report = r;
	*out = NULL;
	r->profile = xstrdup("default");
	r->used = -1;
	for (i = 0; i < CREDS_SRC_COUNT; i++) {
		r->rows[i].source = (enum creds_source)i;
		r->rows[i].label = core_tr(row_labels[i]);
		r->rows[i].state = CREDS_NOT_CONFIGURED;
	}
	if (d->creds == NULL) {
		err_set(e, ERR_CREDENTIALS, N_("no AWS credentials found for "
		    "profile %s; set up keys with `aws configure --profile %s`, "
		    "or IAM Identity Center with `aws configure sso`"),
		    r->profile, r->profile);
		return -1;
	}
	*out = creds_dup(d->creds);
	if (secret_len(d->creds->session_token) > 0)
		(*out)->expiration = now + 3600;
	r->creds = creds_dup(*out);
	r->used = CREDS_SRC_CREDENTIALS_FILE;
	r->rows[CREDS_SRC_CREDENTIALS_FILE].state = CREDS_USED;
	buf_init(&b, 4096);
	buf_printf(&b, core_tr(N_("key %s of the demo account (simulated); "
	    "nothing is read from ~/.aws")), d->creds->access_key_id);
	r->rows[CREDS_SRC_CREDENTIALS_FILE].detail = buf_take(&b, NULL);
	return 0;
}

/* ---- reading requests ---- */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
demo_decode(const char *s, size_t n, int plus_space)
{
	char	*out = xmalloc(n + 1), *o = out;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			*o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else if (plus_space && s[i] == '+')
			*o++ = ' ';
		else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/* Like demo_query_param, for a form body ('+' is a space). */
static char *
form_param(const char *q, size_t len, const char *name, int plus)
{
	const char	*p = q, *end = q + len, *amp, *eq;
	size_t		 nl = strlen(name);

	while (q != NULL && p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq == NULL)
			eq = amp;
		if ((size_t)(eq - p) == nl && strncmp(p, name, nl) == 0)
			return eq == amp ? xstrdup("") :
			    demo_decode(eq + 1, (size_t)(amp - eq - 1), plus);
		p = amp + 1;
	}
	return NULL;
}

char *
demo_query_param(const char *query, const char *name)
{
	if (query == NULL)
		return NULL;
	return form_param(query, strlen(query), name, 0);
}

/* ---- answering ---- */

static const char *const wdays[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
    "Fri", "Sat" };
static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

void
demo_reply_headers(struct demo_call *c, const char *content_type)
{
	struct tm	 tm;
	char		 date[64];

	hdr_list_set(&c->r->headers, "x-amzn-RequestId", c->request_id);
	if (gmtime_r(&c->date, &tm) != NULL) {
		snprintf(date, sizeof date, "%s, %02d %s %04d %02d:%02d:%02d "
		    "GMT", wdays[tm.tm_wday % 7], tm.tm_mday,
		    months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		hdr_list_set(&c->r->headers, "Date", date);
	}
	if (content_type != NULL)
		hdr_list_set(&c->r->headers, "Content-Type", content_type);
}

static void
reply_body(struct demo_call *c, long status, const char *ctype,
    const char *body, size_t len, double extra_ms)
{
	c->r->status = status;
	c->r->ttfb_ms = c->net_ms + extra_ms;
	demo_reply_headers(c, ctype);
	http_sim_reply_add(c->r, 0, body, len);
}

void
demo_reply_json(struct demo_call *c, long status, const struct json *body,
    double extra_ms)
{
	char	*text = json_print(body);

	reply_body(c, status, "application/json", text, strlen(text),
	    extra_ms);
	free(text);
}

static void
reply_error_ns(struct demo_call *c, long status, const char *code,
    const char *message, const char *key, const char *ns)
{
	struct json	*o = json_new_object();
	char		 type[256];

	json_set_str(o, key, message);
	snprintf(type, sizeof type, "%s:%s", code, ns);
	hdr_list_set(&c->r->headers, "x-amzn-ErrorType", type);
	demo_reply_json(c, status, o, 3);
	json_free(o);
}

void
demo_reply_error_key(struct demo_call *c, long status, const char *code,
    const char *message, const char *key)
{
	reply_error_ns(c, status, code, message, key, BEDROCK_NS);
}

void
demo_reply_error(struct demo_call *c, long status, const char *code,
    const char *message)
{
	reply_error_ns(c, status, code, message, "message", BEDROCK_NS);
}

static void
xml_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '<':
			buf_addstr(b, "&lt;");
			break;
		case '>':
			buf_addstr(b, "&gt;");
			break;
		case '&':
			buf_addstr(b, "&amp;");
			break;
		case '"':
			buf_addstr(b, "&quot;");
			break;
		default:
			buf_addc(b, *s);
		}
}

/* A query-protocol error (STS, IAM). */
static void
reply_xml_error(struct demo_call *c, long status, const char *code,
    const char *message)
{
	struct buf	 b;
	const char	*xmlns = strcmp(c->service, "iam") == 0 ? IAM_XMLNS :
	    STS_XMLNS;

	buf_init(&b, 0);
	buf_printf(&b, "<ErrorResponse xmlns=\"%s\">\n  <Error>\n"
	    "    <Type>%s</Type>\n    <Code>", xmlns,
	    status >= 500 ? "Receiver" : "Sender");
	xml_escape(&b, code);
	buf_addstr(&b, "</Code>\n    <Message>");
	xml_escape(&b, message);
	buf_printf(&b, "</Message>\n  </Error>\n  <RequestId>%s</RequestId>\n"
	    "</ErrorResponse>\n", c->request_id);
	reply_body(c, status, "text/xml", b.data, b.len, 3);
	buf_free(&b);
}

/* A query-protocol answer; result is the XML inside <OpResult>. */
static void
reply_xml(struct demo_call *c, const char *op, const char *result)
{
	struct buf	 b;

	buf_init(&b, 0);
	buf_printf(&b, "<%sResponse xmlns=\"%s\">\n  <%sResult>\n%s"
	    "  </%sResult>\n  <ResponseMetadata>\n    <RequestId>%s"
	    "</RequestId>\n  </ResponseMetadata>\n</%sResponse>\n", op,
	    strcmp(c->service, "iam") == 0 ? IAM_XMLNS : STS_XMLNS, op,
	    result, op, c->request_id, op);
	reply_body(c, 200, "text/xml", b.data, b.len, 8);
	buf_free(&b);
}

static int
is_query(const struct demo_call *c)
{
	return strcmp(c->service, "sts") == 0 || strcmp(c->service, "iam") == 0;
}

/* An authentication error in the protocol of the host. */
static void
auth_error(struct demo_call *c, long status, const char *rest_code,
    const char *query_code, const char *message)
{
	if (is_query(c))
		reply_xml_error(c, status, query_code, message);
	else
		reply_error_ns(c, status, rest_code, message, "message",
		    AUTH_NS);
}

/* ---- IAM ---- */

int
demo_allowed(const struct demo *d, const char *action)
{
	if (d->kind == DEMO_IAM_DENIED &&
	    (strcasecmp(action, "bedrock:InvokeModel") == 0 ||
	    strcasecmp(action, "bedrock:InvokeModelWithResponseStream") == 0))
		return 0;
	return 1;
}

char *
demo_denial(const struct demo *d, const char *action, const char *resource)
{
	struct buf	 b;

	buf_init(&b, 0);
	buf_printf(&b, "User: %s is not authorized to perform: %s", d->arn,
	    action);
	if (resource != NULL && strcmp(resource, "*") != 0)
		buf_printf(&b, " on resource: %s", resource);
	buf_printf(&b, " because no identity-based policy allows the %s "
	    "action", action);
	return buf_take(&b, NULL);
}

/* ---- SigV4 ---- */

/* The value of "Name=" in an Authorization header, up to ',' or space. */
static int
auth_field(const char *auth, const char *name, char *out, size_t size)
{
	const char	*p = auth;
	size_t		 nl = strlen(name), n;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == auth || p[-1] == ' ' || p[-1] == ',') &&
		    p[nl] == '=') {
			p += nl + 1;
			n = strcspn(p, ", ");
			if (n == 0 || n >= size)
				return -1;
			memcpy(out, p, n);
			out[n] = '\0';
			return 0;
		}
		p += nl;
	}
	return -1;
}

static int
parse_amz_date(const char *s, time_t *out)
{
	struct tm	 tm;
	int		 y, mo, da, h, mi, se;
	char		 z;

	if (s == NULL || strlen(s) != 16 || sscanf(s, "%4d%2d%2dT%2d%2d%2d%c",
	    &y, &mo, &da, &h, &mi, &se, &z) != 7 || z != 'Z')
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = da;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*out = timegm(&tm);
	return 0;
}

/* Whether a lower-case name is in a ';'-separated list. */
static int
in_list(const char *list, const char *name)
{
	size_t	 nl = strlen(name);
	const char *p = list;

	while (*p != '\0') {
		size_t n = strcspn(p, ";");

		if (n == nl && strncasecmp(p, name, n) == 0)
			return 1;
		p += n;
		if (*p == ';')
			p++;
	}
	return 0;
}

/* A canonical request for people: the session token's value masked. */
static void
add_canonical(struct buf *b, const char *canon)
{
	static const char	 tok[] = "x-amz-security-token:";
	const char		*p = canon;
	size_t			 n;

	while (*p != '\0') {
		n = strcspn(p, "\n");
		if (strncmp(p, tok, sizeof tok - 1) == 0) {
			buf_addstr(b, tok);
			buf_addstr(b, secret_mask());
		} else
			buf_add(b, p, n);
		p += n;
		if (*p == '\n') {
			buf_addc(b, '\n');
			p++;
		}
	}
}

/* Recompute the signature of the request as AWS does. */
static int
signature_matches(struct demo_call *c, const char *signed_headers,
    const char *signature, time_t when, const char *region,
    const char *service, struct buf *why)
{
	struct hdr_list		 hl = HDR_LIST_INIT;
	struct sigv4_request	 sr;
	struct sigv4_params	 sp;
	struct sigv4_out	 out;
	struct err		 e;
	const struct hdr_list	*in = c->req->headers;
	size_t			 i;
	int			 ok = 0;

	for (i = 0; in != NULL && i < in->n; i++) {
		const char *n = in->v[i].name;

		if (strcasecmp(n, "x-amz-date") == 0 ||
		    strcasecmp(n, "x-amz-security-token") == 0 ||
		    strcasecmp(n, "x-amz-content-sha256") == 0 ||
		    !in_list(signed_headers, n))
			continue;
		hdr_list_add(&hl, n, in->v[i].value);
	}
	memset(&sr, 0, sizeof sr);
	sr.method = c->req->method;
	sr.path = c->path;
	sr.query = c->query;
	sr.headers = &hl;
	sr.body = c->req->body;
	sr.body_len = c->req->body_len;
	memset(&sp, 0, sizeof sp);
	sp.region = region;
	sp.service = service;
	sp.creds = c->d->creds;
	sp.now = when;
	sp.flags = SIGV4_SIGN_ALL_HEADERS | SIGV4_KEEP_CANONICAL;
	if (in_list(signed_headers, "x-amz-content-sha256"))
		sp.flags |= SIGV4_SIGN_BODY;
	sigv4_out_init(&out);
	err_clear(&e);
	if (sigv4_sign(c->d->signer, &sr, &sp, &out, &e) == 0 &&
	    strlen(signature) == 64 &&
	    strcmp(buf_str(&out.signed_headers), signed_headers) == 0 &&
	    crypto_equal(out.signature, signature, 64))
		ok = 1;
	if (!ok && !is_query(c)) {
		buf_addstr(why, "\n\nThe Canonical String for this request "
		    "should have been\n'");
		add_canonical(why, buf_str(&out.canonical_request));
		buf_printf(why, "'\n\nThe String-to-Sign should have been\n"
		    "'%s'\n", buf_str(&out.string_to_sign));
	}
	sigv4_out_free(&out);
	hdr_list_free(&hl);
	return ok;
}

/*
 * Check the request's SigV4 signature; 0 when good, else -1 with the
 * error answered.
 */
static int
check_auth(struct demo_call *c)
{
	const char	*auth, *xdate, *tok;
	char		 cred[256], sh[1024], sig[128], msg[512];
	char		*scope[5], *p;
	time_t		 when;
	size_t		 i;
	struct buf	 why;
	int		 ok;

	auth = hdr_list_get(c->req->headers, "Authorization");
	if (auth == NULL || *auth == '\0') {
		auth_error(c, 403, "MissingAuthenticationTokenException",
		    "MissingAuthenticationToken", is_query(c) ?
		    "Request is missing Authentication Token" :
		    "Missing Authentication Token");
		return -1;
	}
	if (strncmp(auth, "Bearer ", 7) == 0 && !is_query(c)) {
		/* The demo issues no Bedrock API keys. */
		reply_error_ns(c, 403, "AccessDeniedException", "Authentication "
		    "failed: Please make sure your API Key is valid.",
		    "Message", BEDROCK_NS);
		return -1;
	}
	xdate = hdr_list_get(c->req->headers, "X-Amz-Date");
	if (strncmp(auth, "AWS4-HMAC-SHA256 ", 17) != 0 ||
	    auth_field(auth, "Credential", cred, sizeof cred) != 0 ||
	    auth_field(auth, "SignedHeaders", sh, sizeof sh) != 0 ||
	    auth_field(auth, "Signature", sig, sizeof sig) != 0 ||
	    parse_amz_date(xdate, &when) != 0) {
		auth_error(c, 400, "IncompleteSignatureException",
		    "IncompleteSignature", "Authorization header requires "
		    "'Credential' parameter. Authorization header requires "
		    "'Signature' parameter. Authorization header requires "
		    "'SignedHeaders' parameter. Authorization header requires "
		    "existence of either a 'X-Amz-Date' or a 'Date' header.");
		return -1;
	}
	/* KEY/DATE/REGION/SERVICE/aws4_request */
	p = cred;
	for (i = 0; i < 5; i++) {
		scope[i] = p;
		p = strchr(p, '/');
		if (p == NULL)
			break;
		*p++ = '\0';
	}
	if (i != 4 || strcmp(scope[4], "aws4_request") != 0) {
		auth_error(c, 400, "IncompleteSignatureException",
		    "IncompleteSignature", "Credential should be scoped to a "
		    "valid region. ");
		return -1;
	}
	if (c->d->creds == NULL ||
	    strcmp(scope[0], c->d->creds->access_key_id) != 0 ||
	    strncmp(c->region, "us-gov-", 7) == 0 ||
	    strncmp(c->region, "cn-", 3) == 0) {
		auth_error(c, 403, "UnrecognizedClientException",
		    "InvalidClientTokenId", BAD_TOKEN);
		return -1;
	}
	tok = hdr_list_get(c->req->headers, "X-Amz-Security-Token");
	if ((c->d->creds->session_token == NULL) != (tok == NULL) ||
	    (tok != NULL && strcmp(tok,
	    secret_reveal(c->d->creds->session_token)) != 0)) {
		auth_error(c, 403, "UnrecognizedClientException",
		    "InvalidClientTokenId", BAD_TOKEN);
		return -1;
	}
	if (strcmp(scope[3], c->service) != 0) {
		snprintf(msg, sizeof msg, "Credential should be scoped to "
		    "correct service: '%s'. ", c->service);
		auth_error(c, 403, "InvalidSignatureException",
		    "SignatureDoesNotMatch", msg);
		return -1;
	}
	if (strcmp(scope[2], c->region) != 0) {
		snprintf(msg, sizeof msg, "Credential should be scoped to a "
		    "valid region, not '%s'. ", scope[2]);
		auth_error(c, 403, "InvalidSignatureException",
		    "SignatureDoesNotMatch", msg);
		return -1;
	}
	if (strncmp(scope[1], xdate, 8) != 0 || strlen(scope[1]) != 8) {
		snprintf(msg, sizeof msg, "Date in Credential scope does not "
		    "match YYYYMMDD from ISO-8601 version of date from HTTP: "
		    "'%s' != '%.8s', from '%s'.", scope[1], xdate, xdate);
		auth_error(c, 403, "InvalidSignatureException",
		    "SignatureDoesNotMatch", msg);
		return -1;
	}
	if (!in_list(sh, "host")) {
		auth_error(c, 403, "InvalidSignatureException",
		    "SignatureDoesNotMatch", "'Host' or ':authority' must be a "
		    "'SignedHeader' in the AWS Authorization.");
		return -1;
	}
	buf_init(&why, 64 * 1024);
	buf_addstr(&why, SIG_MISMATCH);
	ok = signature_matches(c, sh, sig, when, scope[2], scope[3], &why);
	if (!ok)
		auth_error(c, 403, "InvalidSignatureException",
		    "SignatureDoesNotMatch", buf_str(&why));
	buf_free(&why);
	c->date = when;
	return ok ? 0 : -1;
}

/* ---- STS and IAM ---- */

static void
sts_call(struct demo_call *c)
{
	const struct http_sim_request	*q = c->req;
	char				*action;
	struct buf			 b;

	action = form_param(q->body, q->body_len, "Action", 1);
	if (action == NULL) {
		reply_xml_error(c, 400, "MissingAction",
		    "Missing Action parameter");
		return;
	}
	if (strcmp(action, "GetCallerIdentity") == 0) {
		buf_init(&b, 0);
		buf_addstr(&b, "    <Arn>");
		xml_escape(&b, c->d->arn);
		buf_printf(&b, "</Arn>\n    <UserId>%s</UserId>\n    <Account>"
		    DEMO_ACCOUNT "</Account>\n", c->d->user_id);
		reply_xml(c, action, buf_str(&b));
		buf_free(&b);
	} else if (strcmp(action, "AssumeRole") == 0) {
		char *role = form_param(q->body, q->body_len, "RoleArn", 1);
		char msg[768];

		snprintf(msg, sizeof msg, "User: %s is not authorized to "
		    "perform: sts:AssumeRole on resource: %s", c->d->arn,
		    role != NULL ? role : "");
		reply_xml_error(c, 403, "AccessDenied", msg);
		free(role);
	} else {
		char msg[256];

		snprintf(msg, sizeof msg, "Could not find operation %.100s "
		    "for version 2011-06-15", action);
		reply_xml_error(c, 400, "InvalidAction", msg);
	}
	free(action);
}

/* "Name.member.N" values of a query form, in order; NULL-terminated. */
static char **
form_members(const struct http_sim_request *q, const char *name, size_t *n)
{
	char	**v = NULL, key[128], *val;
	size_t	 i;

	*n = 0;
	for (i = 1; i <= 1000; i++) {
		snprintf(key, sizeof key, "%s.member.%zu", name, i);
		val = form_param(q->body, q->body_len, key, 1);
		if (val == NULL)
			break;
		v = xreallocarray(v, *n + 2, sizeof *v);
		v[(*n)++] = val;
		v[*n] = NULL;
	}
	return v;
}

static void
free_members(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
iam_simulate(struct demo_call *c)
{
	const struct http_sim_request	*q = c->req;
	char				*src, **acts, **res, msg[512];
	size_t				 na, nr, i, j;
	struct buf			 b;
	int				 ok;

	src = form_param(q->body, q->body_len, "PolicySourceArn", 1);
	if (src == NULL || *src == '\0') {
		reply_xml_error(c, 400, "ValidationError", "1 validation error "
		    "detected: Value null at 'policySourceArn' failed to "
		    "satisfy constraint: Member must not be null");
		free(src);
		return;
	}
	if (strcmp(src, c->d->principal) != 0) {
		const char *slash = strrchr(src, '/');

		if (strncmp(src, "arn:aws:iam::", 13) == 0 && slash != NULL &&
		    (strstr(src, ":user/") != NULL ||
		    strstr(src, ":role/") != NULL)) {
			snprintf(msg, sizeof msg, "The %s with name %s cannot "
			    "be found.", strstr(src, ":user/") != NULL ?
			    "user" : "role", slash + 1);
			reply_xml_error(c, 404, "NoSuchEntity", msg);
		} else {
			snprintf(msg, sizeof msg, "Invalid ARN: %.400s", src);
			reply_xml_error(c, 400, "InvalidInput", msg);
		}
		free(src);
		return;
	}
	acts = form_members(q, "ActionNames", &na);
	res = form_members(q, "ResourceArns", &nr);
	if (na == 0) {
		reply_xml_error(c, 400, "ValidationError", "1 validation error "
		    "detected: Value null at 'actionNames' failed to satisfy "
		    "constraint: Member must not be null");
		goto done;
	}
	buf_init(&b, 0);
	buf_addstr(&b, "    <EvaluationResults>\n");
	for (i = 0; i < na; i++)
		for (j = 0; j < (nr > 0 ? nr : 1); j++) {
			const char *r = nr > 0 ? res[j] : "*";

			ok = demo_allowed(c->d, acts[i]);
			buf_addstr(&b, "      <member>\n        <EvalActionName>");
			xml_escape(&b, acts[i]);
			buf_addstr(&b, "</EvalActionName>\n        "
			    "<EvalResourceName>");
			xml_escape(&b, r);
			buf_printf(&b, "</EvalResourceName>\n        "
			    "<EvalDecision>%s</EvalDecision>\n        "
			    "<MatchedStatements>", ok ? "allowed" :
			    "implicitDeny");
			if (ok)
				buf_printf(&b, "\n          <member>\n"
				    "            <SourcePolicyId>%s"
				    "</SourcePolicyId>\n            "
				    "<SourcePolicyType>IAM Policy"
				    "</SourcePolicyType>\n          </member>\n"
				    "        ", c->d->kind == DEMO_IAM_DENIED ?
				    "BedrockWorkshopReadOnly" :
				    "AdministratorAccess");
			buf_addstr(&b, "</MatchedStatements>\n        "
			    "<MissingContextValues/>\n");
			if (nr > 0) {
				buf_addstr(&b, "        <ResourceSpecificResults>"
				    "\n          <member>\n            "
				    "<EvalResourceName>");
				xml_escape(&b, r);
				buf_printf(&b, "</EvalResourceName>\n"
				    "            <EvalResourceDecision>%s"
				    "</EvalResourceDecision>\n          "
				    "</member>\n        "
				    "</ResourceSpecificResults>\n", ok ?
				    "allowed" : "implicitDeny");
			}
			buf_addstr(&b, "      </member>\n");
		}
	buf_addstr(&b, "    </EvaluationResults>\n    <IsTruncated>false"
	    "</IsTruncated>\n");
	reply_xml(c, "SimulatePrincipalPolicy", buf_str(&b));
	buf_free(&b);
done:
	free_members(acts, na);
	free_members(res, nr);
	free(src);
}

static void
iam_call(struct demo_call *c)
{
	const struct http_sim_request	*q = c->req;
	char				*action, msg[256];

	action = form_param(q->body, q->body_len, "Action", 1);
	if (action == NULL)
		reply_xml_error(c, 400, "MissingAction",
		    "Missing Action parameter");
	else if (strcmp(action, "SimulatePrincipalPolicy") == 0)
		iam_simulate(c);
	else {
		snprintf(msg, sizeof msg, "Could not find operation %.100s "
		    "for version 2010-05-08", action);
		reply_xml_error(c, 400, "InvalidAction", msg);
	}
	free(action);
}

/* ---- routing ---- */

enum host_kind { H_NONE, H_STS, H_IAM, H_BEDROCK, H_RUNTIME, H_ANALYZER,
    H_SSO };

static const struct {
	const char	*prefix;	/* "bedrock." then REGION.suffix */
	enum host_kind	 kind;
	const char	*service;	/* signing name */
} hosts[] = {
	{ "bedrock-runtime.", H_RUNTIME, "bedrock" },
	{ "bedrock.", H_BEDROCK, "bedrock" },
	{ "sts.", H_STS, "sts" },
	{ "access-analyzer.", H_ANALYZER, "access-analyzer" },
	{ "portal.sso.", H_SSO, "awsssoportal" },
};

/* Which service and Region a host is; H_NONE for hosts AWS has not. */
static enum host_kind
host_kind(const char *host, struct demo_call *c)
{
	const char	*rest, *dot;
	size_t		 i, n;

	if (strcmp(host, "sts.amazonaws.com") == 0) {
		c->service = "sts";
		snprintf(c->region, sizeof c->region, "us-east-1");
		return H_STS;
	}
	if (strcmp(host, "iam.amazonaws.com") == 0) {
		c->service = "iam";
		snprintf(c->region, sizeof c->region, "us-east-1");
		return H_IAM;
	}
	for (i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
		n = strlen(hosts[i].prefix);
		if (strncmp(host, hosts[i].prefix, n) != 0)
			continue;
		rest = host + n;
		dot = strchr(rest, '.');
		if (dot == NULL || (size_t)(dot - rest) >= sizeof c->region ||
		    (strcmp(dot, ".amazonaws.com") != 0 &&
		    strcmp(dot, ".amazonaws.com.cn") != 0))
			return H_NONE;
		memcpy(c->region, rest, (size_t)(dot - rest));
		c->region[dot - rest] = '\0';
		if (catalog_region(c->d->cat, c->region) == NULL)
			return H_NONE;
		c->service = hosts[i].service;
		return hosts[i].kind;
	}
	return H_NONE;
}

/* Split "scheme://host[:port]/path?query" into its parts. */
static int
split_url(const char *url, char *host, size_t hsize, struct demo_call *c)
{
	const char	*p = strstr(url, "://"), *h, *q;
	size_t		 n;

	if (p == NULL)
		return -1;
	h = p + 3;
	n = strcspn(h, "/?:");
	if (n == 0 || n >= hsize)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	p = h + strcspn(h, "/?");
	q = strchr(p, '?');
	if (q != NULL) {
		c->path = *p == '?' ? xstrdup("/") :
		    xstrndup(p, (size_t)(q - p));
		c->query = xstrdup(q + 1);
	} else
		c->path = xstrdup(*p == '\0' ? "/" : p);
	return 0;
}

void
demo_simulate(void *arg, const struct http_sim_request *req,
    struct http_sim_reply *r)
{
	struct demo		*d = arg;
	struct demo_call	 c;
	char			 host[256];
	enum host_kind		 k = H_NONE;
	unsigned long		 h;
	size_t			 i;

	memset(&c, 0, sizeof c);
	c.d = d;
	c.req = req;
	c.r = r;
	c.service = "";
	c.date = time(NULL);
	d->calls++;
	h = demo_hash(d->name, d->calls);
	snprintf(c.request_id, sizeof c.request_id,
	    "%08lx-%04lx-4%03lx-a%03lx-%04lx%08lx", h, d->calls & 0xffff,
	    (h >> 8) & 0xfff, (h >> 4) & 0xfff, (h >> 16) & 0xffff,
	    demo_hash(req->url, h));
	if (split_url(req->url, host, sizeof host, &c) == 0)
		k = host_kind(host, &c);
	if (k == H_NONE) {
		r->fail = ERR_NETWORK;
		r->ttfb_ms = 20;
		snprintf(r->fail_message, sizeof r->fail_message,
		    core_tr(N_("cannot resolve %s (DNS): the demo account "
		    "answers only for AWS service hosts")),
		    c.path != NULL ? host : req->url);
		goto out;
	}
	c.net_ms = demo_region_latency_ms(c.region);
	if (k == H_SSO) {
		reply_error_ns(&c, 401, "UnauthorizedException", "Session token "
		    "not found or invalid", "message", AUTH_NS);
		goto out;
	}
	if (check_auth(&c) != 0)
		goto out;
	switch (k) {
	case H_STS:
		sts_call(&c);
		break;
	case H_IAM:
		iam_call(&c);
		break;
	case H_BEDROCK:
		demo_world_bedrock(&c);
		break;
	case H_RUNTIME:
		demo_world_runtime(&c);
		break;
	case H_ANALYZER:
		demo_world_analyzer(&c);
		break;
	default:
		break;
	}
out:
	r->ttfb_ms *= d->pace;
	for (i = 0; i < r->npieces; i++)
		r->pieces[i].delay_ms *= d->pace;
	free(c.path);
	free(c.query);
}
