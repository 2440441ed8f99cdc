/*
 * http.c: the HTTP layer over libcurl (see http.h).  The only core file
 * that includes curl.
 *
 * Every request is a "transfer" that lives in the client until it is done:
 * it may run several attempts, each with a fresh easy handle state, fresh
 * signature, and a wait between them.  One multi handle drives them all.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "buf.h"
#include "creds.h"
#include "crypto.h"
#include "err.h"
#include "hdr.h"
#include "http.h"
#include "i18n.h"
#include "json.h"
#include "secret.h"
#include "sigv4.h"
#include "xalloc.h"
#include "xml.h"

#define DEFAULT_CONNECT_MS	5000
#define DEFAULT_TIMEOUT_MS	60000
#define DEFAULT_STALL_MS	30000
#define DEFAULT_MAX_BODY	(16u * 1024 * 1024)
#define DEFAULT_ATTEMPTS	3
#define DEFAULT_MAX_BACKOFF_MS	20000
#define DEFAULT_HOST_CONNECTIONS 8L
#define RETRY_QUOTA		500
#define RETRY_COST		5
#define RETRY_COST_TIMEOUT	10

enum xfer_state { XF_WAITING, XF_RUNNING, XF_DONE, XF_TAKEN };

struct xfer {
	int			 id;
	enum xfer_state		 state;
	CURL			*easy;
	struct curl_slist	*slist;
	char			 errbuf[CURL_ERROR_SIZE];

	/* Copies of the request. */
	char			*op;
	char			*method;
	char			*url;
	struct hdr_list		 headers;
	char			*body;
	size_t			 body_len;
	struct http_auth	 auth;
	http_data_cb		 on_data;
	void			*on_data_arg;
	long			 timeout_ms;
	int			 max_attempts;
	int			 fresh_connect;
	int			 allow_link_local;

	struct http_response	*resp;
	struct err		*err;
	int			 attempt;	/* attempts started */
	double			 start_at;	/* monotonic ms of the next start */
	double			 began;		/* monotonic ms of this attempt */
	double			 status_at;	/* monotonic ms the status came */
	int			 over_cap;
	int			 stopped;	/* on_data asked to stop */
	int			 cancelled;	/* http_cancel */
	int			 result;	/* 0 / -1 when done */
	int			 retry_cost;
	struct http_sim_reply	*sim;		/* simulated attempt, or NULL */
	size_t			 sim_next;	/* next piece to deliver */
	double			 sim_due;	/* monotonic ms it is due */
	int			 sim_started;	/* status and headers given */
};

struct http_client {
	CURLM			*multi;
	struct http_config	 cfg;
	char			*ca_bundle;
	struct sigv4_signer	*signer;
	struct sigv4_out	 sig;
	struct xfer		**xf;
	size_t			 nxf, capxf;
	int			 next_id;
	int			 quota;
	int			 have_offset;
	long			 last_offset;
};

static double
mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void
trace(struct http_client *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
trace(struct http_client *c, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	if (c->cfg.trace == NULL)
		return;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	c->cfg.trace(c->cfg.trace_arg, buf_str(&b));
	buf_free(&b);
}

static void
global_init(void)
{
	static int	 done;

	if (!done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		done = 1;
	}
}

struct http_client *
http_client_new(const struct http_config *cfg)
{
	struct http_client	*c = xcalloc(1, sizeof *c);

	global_init();
	if (cfg != NULL)
		c->cfg = *cfg;
	if (c->cfg.ca_bundle != NULL && *c->cfg.ca_bundle != '\0')
		c->ca_bundle = xstrdup(c->cfg.ca_bundle);
	c->cfg.ca_bundle = c->ca_bundle;
	if (c->cfg.connect_timeout_ms <= 0)
		c->cfg.connect_timeout_ms = DEFAULT_CONNECT_MS;
	if (c->cfg.timeout_ms <= 0)
		c->cfg.timeout_ms = DEFAULT_TIMEOUT_MS;
	if (c->cfg.stall_ms <= 0)
		c->cfg.stall_ms = DEFAULT_STALL_MS;
	if (c->cfg.max_body == 0)
		c->cfg.max_body = DEFAULT_MAX_BODY;
	if (c->cfg.max_attempts <= 0)
		c->cfg.max_attempts = DEFAULT_ATTEMPTS;
	if (c->cfg.max_backoff_ms <= 0)
		c->cfg.max_backoff_ms = DEFAULT_MAX_BACKOFF_MS;
	c->multi = curl_multi_init();
	if (c->multi == NULL)
		abort();
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    c->cfg.max_host_connections > 0 ? c->cfg.max_host_connections :
	    DEFAULT_HOST_CONNECTIONS);
	c->signer = sigv4_signer_new();
	sigv4_out_init(&c->sig);
	c->quota = RETRY_QUOTA;
	return c;
}

void
http_sim_reply_add(struct http_sim_reply *r, double delay_ms, const void *data,
    size_t len)
{
	if (r->npieces == r->cap) {
		r->cap = r->cap == 0 ? 8 : r->cap * 2;
		r->pieces = xreallocarray(r->pieces, r->cap, sizeof *r->pieces);
	}
	r->pieces[r->npieces].delay_ms = delay_ms;
	r->pieces[r->npieces].data = xmalloc(len + 1);
	memcpy(r->pieces[r->npieces].data, data, len);
	r->pieces[r->npieces].len = len;
	r->npieces++;
}

static void
sim_free(struct xfer *x)
{
	size_t	 i;

	if (x->sim == NULL)
		return;
	for (i = 0; i < x->sim->npieces; i++) {
		explicit_bzero(x->sim->pieces[i].data, x->sim->pieces[i].len);
		free(x->sim->pieces[i].data);
	}
	free(x->sim->pieces);
	hdr_list_free(&x->sim->headers);
	free(x->sim);
	x->sim = NULL;
}

static void
xfer_free(struct http_client *c, struct xfer *x)
{
	sim_free(x);
	if (x->easy != NULL) {
		if (x->state == XF_RUNNING && x->sim == NULL)
			curl_multi_remove_handle(c->multi, x->easy);
		curl_easy_cleanup(x->easy);
	}
	curl_slist_free_all(x->slist);
	free(x->op);
	free(x->method);
	free(x->url);
	hdr_list_free(&x->headers);
	if (x->body != NULL)
		explicit_bzero(x->body, x->body_len);
	free(x->body);
	free(x);
}

void
http_client_free(struct http_client *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nxf; i++)
		xfer_free(c, c->xf[i]);
	free(c->xf);
	curl_multi_cleanup(c->multi);
	sigv4_out_free(&c->sig);
	sigv4_signer_free(c->signer);
	free(c->ca_bundle);
	free(c);
}

int
http_client_clock_offset(const struct http_client *c, long *offset)
{
	if (!c->have_offset)
		return 0;
	*offset = c->last_offset;
	return 1;
}

void
http_response_init(struct http_response *r)
{
	memset(r, 0, sizeof *r);
	hdr_list_init(&r->headers);
	buf_init(&r->body, 0);
}

void
http_response_free(struct http_response *r)
{
	hdr_list_free(&r->headers);
	buf_wipe_free(&r->body);
}

/* ------------------------------------------------------------------ */
/* Redaction for the debug trace. */

static int
name_is_secret(const char *name)
{
	static const char *const words[] = {
		"token", "secret", "password", "cookie", "signature",
		"session", NULL
	};
	const char *const	*w;

	for (w = words; *w != NULL; w++)
		if (strcasestr(name, *w) != NULL)
			return 1;
	return 0;
}

static void
trace_header(struct http_client *c, const char *dir, const char *name,
    const char *value)
{
	char	*red;

	if (strcasecmp(name, "authorization") == 0) {
		red = sigv4_redact(value);
		trace(c, "%s %s: %s", dir, name, red);
		free(red);
	} else if (name_is_secret(name))
		trace(c, "%s %s: %s", dir, name, secret_mask());
	else
		trace(c, "%s %s: %s", dir, name, value);
}

/* The URL with the values of secret-looking query parameters masked. */
static char *
redact_url(const char *url)
{
	struct buf	 b = BUF_INIT;
	const char	*q = strchr(url, '?'), *p, *amp, *eq;

	if (q == NULL)
		return xstrdup(url);
	buf_add(&b, url, (size_t)(q - url) + 1);
	for (p = q + 1; *p != '\0'; p = amp + 1) {
		char	*name;

		amp = strchr(p, '&');
		if (amp == NULL)
			amp = p + strlen(p);
		eq = memchr(p, '=', (size_t)(amp - p));
		name = xstrndup(p, (size_t)((eq != NULL ? eq : amp) - p));
		if (eq != NULL && (name_is_secret(name) ||
		    strcasestr(name, "credential") != NULL)) {
			buf_add(&b, p, (size_t)(eq - p) + 1);
			buf_addstr(&b, secret_mask());
		} else
			buf_add(&b, p, (size_t)(amp - p));
		free(name);
		if (*amp == '\0')
			break;
		buf_addc(&b, '&');
	}
	return buf_take(&b, NULL);
}

/* ------------------------------------------------------------------ */
/* URL checks. */

static int
host_is_loopback(const char *host)
{
	if (strcasecmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 ||
	    strcmp(host, "::1") == 0)
		return 1;
	return strncmp(host, "127.", 4) == 0;
}

static int
host_is_link_local_credentials(const char *host)
{
	static const char *const hosts[] = {
		"169.254.169.254", "169.254.170.2", "169.254.170.23",
		"[fd00:ec2::254]", "[fd00:ec2::23]", NULL
	};
	const char *const	*h;

	for (h = hosts; *h != NULL; h++)
		if (strcasecmp(host, *h) == 0)
			return 1;
	return 0;
}

int
http_url_allowed(const char *url, int allow_link_local, struct err *e)
{
	CURLU	*u = curl_url();
	char	*scheme = NULL, *host = NULL;
	int	 ok = -1;

	if (u == NULL)
		abort();
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_PATH_AS_IS |
	    CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		err_set(e, ERR_USAGE, N_("'%s' is not a valid URL"), url);
	} else if (strcasecmp(scheme, "https") == 0) {
		ok = 0;
	} else if (strcasecmp(scheme, "http") == 0) {
		if (host_is_loopback(host) ||
		    (allow_link_local && host_is_link_local_credentials(host)))
			ok = 0;
		else
			err_set(e, ERR_USAGE, N_("plain http:// is only "
			    "accepted for loopback addresses, not for '%s'; "
			    "use https://"), host);
	} else {
		err_set(e, ERR_USAGE, N_("unsupported URL scheme '%s' in "
		    "'%s'; use https://"), scheme, url);
	}
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

/* ------------------------------------------------------------------ */
/* Error parsing. */

static void
set_code(struct err *e, const char *code, size_t len)
{
	const char	*hash;
	size_t		 i;

	/* "aws.protocoltests#FooError" -> "FooError" */
	for (i = len; i > 0; i--)
		if (code[i - 1] == '#')
			break;
	hash = code + i;
	len -= i;
	while (len > 0 && isspace((unsigned char)hash[len - 1]))
		len--;
	if (len >= sizeof e->code)
		len = sizeof e->code - 1;
	memcpy(e->code, hash, len);
	e->code[len] = '\0';
}

/* A first line of a body fit for a message: printable, short. */
static void
cleaned_line(const char *body, size_t len, char *out, size_t outsz)
{
	size_t	 i, o = 0;

	for (i = 0; i < len && isspace((unsigned char)body[i]); i++)
		;
	for (; i < len && o + 1 < outsz && o < 200; i++) {
		unsigned char ch = (unsigned char)body[i];

		if (ch == '\n' || ch == '\r')
			break;
		out[o++] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
	}
	out[o] = '\0';
}

/* The <title> of an HTML page (a proxy's error page), or 0 if none. */
static int
html_title(const char *body, size_t len, char *out, size_t outsz)
{
	size_t	 i, start, end;

	for (i = 0; i + 7 <= len; i++)
		if (strncasecmp(body + i, "<title>", 7) == 0)
			break;
	if (i + 7 > len)
		return 0;
	start = i + 7;
	for (end = start; end + 2 <= len; end++)
		if (body[end] == '<' && body[end + 1] == '/')
			break;
	if (end + 2 > len)
		return 0;
	cleaned_line(body + start, end - start, out, outsz);
	return out[0] != '\0';
}

void
http_parse_error(long status, const struct hdr_list *headers,
    const char *body, size_t len, struct err *e)
{
	const char	*type, *rid, *msg = NULL, *colon;
	struct json	*j = NULL;
	struct xml_doc	*x = NULL;
	char		 line[256];

	if (e == NULL)
		return;
	err_clear(e);
	e->kind = ERR_AWS;
	e->http_status = status;
	type = headers != NULL ? hdr_list_get(headers, "x-amzn-ErrorType") :
	    NULL;
	if (type != NULL && *type != '\0') {
		colon = strchr(type, ':');
		set_code(e, type, colon != NULL ? (size_t)(colon - type) :
		    strlen(type));
	}
	rid = headers != NULL ? hdr_list_get(headers, "x-amzn-RequestId") :
	    NULL;
	if (rid == NULL && headers != NULL)
		rid = hdr_list_get(headers, "x-amz-request-id");
	if (rid != NULL)
		snprintf(e->request_id, sizeof e->request_id, "%s", rid);

	while (len > 0 && isspace((unsigned char)*body)) {
		body++;
		len--;
	}
	if (len > 0 && body[0] == '{' &&
	    (j = json_parse(body, len, NULL)) != NULL) {
		const char *c = json_get_str(j, "__type");

		if (c == NULL)
			c = json_get_str(j, "code");
		if (c == NULL)
			c = json_get_str(j, "Code");
		if (e->code[0] == '\0' && c != NULL)
			set_code(e, c, strlen(c));
		msg = json_get_str(j, "message");
		if (msg == NULL)
			msg = json_get_str(j, "Message");
		if (msg != NULL)
			snprintf(e->message, sizeof e->message, "%s", msg);
		json_free(j);
	} else if (len > 0 && body[0] == '<' &&
	    (x = xml_parse(body, len, NULL)) != NULL) {
		const char *c = xml_find_text(x, "Code");
		const char *m = xml_find_text(x, "Message");
		const char *r = xml_find_text(x, "RequestId");

		if (e->code[0] == '\0' && c != NULL)
			set_code(e, c, strlen(c));
		if (m != NULL) {
			snprintf(e->message, sizeof e->message, "%s", m);
			msg = e->message;
		}
		if (r != NULL && e->request_id[0] == '\0')
			snprintf(e->request_id, sizeof e->request_id, "%s", r);
		xml_free(x);
	}
	if (e->code[0] == '\0')
		snprintf(e->code, sizeof e->code, "HTTP%ld", status);
	if (msg == NULL) {
		if (len == 0 || body[0] != '<' ||
		    !html_title(body, len, line, sizeof line))
			cleaned_line(body, len, line, sizeof line);
		if (line[0] != '\0')
			snprintf(e->message, sizeof e->message,
			    core_tr(N_("HTTP %ld with an unexpected answer: "
			    "%s")), status, line);
		else
			snprintf(e->message, sizeof e->message,
			    core_tr(N_("HTTP %ld with an empty answer")),
			    status);
	}
}

int
http_error_retryable(const struct err *e)
{
	static const char *const codes[] = {
		"Throttling", "ThrottlingException", "ThrottledException",
		"RequestThrottledException", "TooManyRequestsException",
		"ProvisionedThroughputExceededException",
		"TransactionInProgressException", "RequestLimitExceeded",
		"BandwidthLimitExceeded", "LimitExceededException",
		"RequestThrottled", "SlowDown", "PriorRequestNotComplete",
		"EC2ThrottledException", "ModelNotReadyException",
		"RequestTimeout", "RequestTimeoutException",
		"InternalServerException", "ServiceUnavailableException",
		"ServiceUnavailable", NULL
	};
	const char *const	*c;

	if (e == NULL)
		return 0;
	switch (e->kind) {
	case ERR_NETWORK:
	case ERR_TIMEOUT:
		return 1;
	case ERR_AWS:
		break;
	default:
		return 0;
	}
	for (c = codes; *c != NULL; c++)
		if (strcmp(e->code, *c) == 0)
			return 1;
	switch (e->http_status) {
	case 500: case 502: case 503: case 504: case 529:
		return 1;
	default:
		return 0;
	}
}

/* ------------------------------------------------------------------ */
/* Transfers. */

static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct xfer	*x = arg;
	size_t		 len = size * n, nlen;
	char		*line, *colon, *v, *end;

	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* A new status line: forget earlier headers (100, 1xx). */
		hdr_list_free(&x->resp->headers);
		x->status_at = mono_ms();
		line = xstrndup(data, len);
		v = strchr(line, ' ');
		x->resp->status = v != NULL ? strtol(v + 1, NULL, 10) : 0;
		free(line);
		return len;
	}
	colon = memchr(data, ':', len);
	if (colon == NULL)
		return len;
	nlen = (size_t)(colon - data);
	line = xstrndup(data, len);
	line[nlen] = '\0';
	v = line + nlen + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	end = v + strlen(v);
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
	    end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	hdr_list_add(&x->resp->headers, line, v);
	free(line);
	return len;
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct xfer	*x = arg;
	size_t		 len = size * n;

	if (x->on_data != NULL && x->resp->status >= 200 &&
	    x->resp->status < 300) {
		if (x->cancelled || x->on_data(x->on_data_arg, data, len) != 0) {
			x->stopped = 1;
			return 0;
		}
		x->resp->streamed += len;
		return len;
	}
	if (buf_add(&x->resp->body, data, len) != 0) {
		x->over_cap = 1;
		return 0;
	}
	return len;
}

static struct curl_slist *
to_slist(const struct hdr_list *l)
{
	struct curl_slist	*s = NULL, *t;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	for (i = 0; i < l->n; i++) {
		buf_reset(&b);
		if (l->v[i].value[0] == '\0')
			buf_printf(&b, "%s;", l->v[i].name);
		else
			buf_printf(&b, "%s: %s", l->v[i].name, l->v[i].value);
		t = curl_slist_append(s, buf_str(&b));
		if (t == NULL)
			abort();
		s = t;
	}
	buf_wipe_free(&b);
	return s;
}

/* The headers of one attempt: the caller's, Host, and the signature. */
static int
build_headers(struct http_client *c, struct xfer *x, CURLU *u,
    struct hdr_list *out, struct err *e)
{
	char			*host = NULL, *port = NULL, *path = NULL;
	char			*query = NULL, *scheme = NULL;
	struct buf		 hostval = BUF_INIT;
	struct sigv4_request	 sr;
	struct sigv4_params	 sp;
	int			 r = 0;

	hdr_list_copy(out, &x->headers);
	curl_url_get(u, CURLUPART_HOST, &host, 0);
	curl_url_get(u, CURLUPART_PORT, &port, 0);
	curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	buf_addstr(&hostval, host != NULL ? host : "");
	if (port != NULL && !((strcasecmp(scheme, "https") == 0 &&
	    strcmp(port, "443") == 0) || (strcasecmp(scheme, "http") == 0 &&
	    strcmp(port, "80") == 0)))
		buf_printf(&hostval, ":%s", port);
	hdr_list_set(out, "Host", buf_str(&hostval));
	hdr_list_set(out, "User-Agent", "bedrock-setup/" BS_VERSION);
	/* No "Expect: 100-continue" round trip. */
	hdr_list_set(out, "Expect", "");

	switch (x->auth.kind) {
	case HTTP_AUTH_SIGV4:
		memset(&sr, 0, sizeof sr);
		sr.method = x->method;
		sr.path = path;
		sr.query = query;
		sr.headers = out;
		sr.body = x->body;
		sr.body_len = x->body_len;
		memset(&sp, 0, sizeof sp);
		sp.region = x->auth.region;
		sp.service = x->auth.service;
		sp.creds = x->auth.creds;
		sp.now = c->cfg.now != NULL ? c->cfg.now(c->cfg.now_arg) :
		    time(NULL);
		/* Expect is never signed: drop it from the signed set. */
		hdr_list_del(out, "Expect");
		r = sigv4_sign(c->signer, &sr, &sp, &c->sig, e);
		if (r == 0)
			sigv4_out_headers(&c->sig, out);
		hdr_list_set(out, "Expect", "");
		break;
	case HTTP_AUTH_BEARER:
		r = sigv4_bearer_header(x->auth.bearer, out, e);
		break;
	case HTTP_AUTH_NONE:
		break;
	}
	curl_free(host);
	curl_free(port);
	curl_free(scheme);
	curl_free(path);
	curl_free(query);
	buf_free(&hostval);
	return r;
}

static int
attempt_start(struct http_client *c, struct xfer *x)
{
	CURLU		*u;
	struct hdr_list	 hl = HDR_LIST_INIT;
	struct err	 e;
	size_t		 i;
	char		*shown;

	err_clear(&e);
	x->attempt++;
	x->resp->attempts = x->attempt;
	x->resp->status = 0;
	x->status_at = 0;
	hdr_list_free(&x->resp->headers);
	buf_reset(&x->resp->body);
	x->over_cap = 0;

	u = curl_url();
	if (u == NULL)
		abort();
	if (curl_url_set(u, CURLUPART_URL, x->url, CURLU_PATH_AS_IS) !=
	    CURLUE_OK) {
		curl_url_cleanup(u);
		err_set(x->err, ERR_USAGE, N_("'%s' is not a valid URL"),
		    x->url);
		return -1;
	}
	if (build_headers(c, x, u, &hl, &e) != 0) {
		curl_url_cleanup(u);
		hdr_list_free(&hl);
		err_copy(x->err, &e);
		return -1;
	}
	curl_url_cleanup(u);

	if (c->cfg.trace != NULL) {
		shown = redact_url(x->url);
		trace(c, "-> %s %s  [%s, attempt %d/%d]", x->method, shown,
		    x->op, x->attempt, x->max_attempts);
		free(shown);
		for (i = 0; i < hl.n; i++)
			if (hl.v[i].value[0] != '\0')
				trace_header(c, "   >", hl.v[i].name,
				    hl.v[i].value);
		if (x->body_len > 0)
			trace(c, "   > (body: %zu bytes)", x->body_len);
	}

	if (c->cfg.simulate != NULL) {
		struct http_sim_request	 sr;

		sim_free(x);
		x->sim = xcalloc(1, sizeof *x->sim);
		hdr_list_init(&x->sim->headers);
		sr.op = x->op;
		sr.method = x->method;
		sr.url = x->url;
		sr.headers = &hl;
		sr.body = x->body;
		sr.body_len = x->body_len;
		c->cfg.simulate(c->cfg.simulate_arg, &sr, x->sim);
		hdr_list_free(&hl);
		x->sim_next = 0;
		x->sim_started = 0;
		x->began = mono_ms();
		x->sim_due = x->began + x->sim->ttfb_ms;
		x->state = XF_RUNNING;
		return 0;
	}
	curl_slist_free_all(x->slist);
	x->slist = to_slist(&hl);
	if (hdr_list_get(&hl, "Content-Type") == NULL) {
		/* Keep curl from adding a form Content-Type of its own. */
		struct curl_slist *t = curl_slist_append(x->slist,
		    "Content-Type:");

		if (t == NULL)
			abort();
		x->slist = t;
	}
	hdr_list_free(&hl);

	if (x->easy == NULL) {
		x->easy = curl_easy_init();
		if (x->easy == NULL)
			abort();
	} else
		curl_easy_reset(x->easy);
	curl_easy_setopt(x->easy, CURLOPT_URL, x->url);
	curl_easy_setopt(x->easy, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(x->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(x->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->cfg.ca_bundle != NULL)
		curl_easy_setopt(x->easy, CURLOPT_CAINFO, c->cfg.ca_bundle);
	curl_easy_setopt(x->easy, CURLOPT_CUSTOMREQUEST, x->method);
	if (strcmp(x->method, "GET") == 0)
		curl_easy_setopt(x->easy, CURLOPT_HTTPGET, 1L);
	else if (strcmp(x->method, "HEAD") == 0)
		curl_easy_setopt(x->easy, CURLOPT_NOBODY, 1L);
	else {
		curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS,
		    x->body != NULL ? x->body : "");
		curl_easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)x->body_len);
	}
	curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->slist);
	curl_easy_setopt(x->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(x->easy, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS,
	    c->cfg.connect_timeout_ms);
	if (x->timeout_ms > 0)
		curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, x->timeout_ms);
	else if (x->on_data == NULL)
		curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS,
		    c->cfg.timeout_ms);
	/* A stream that stops sending is as dead as a timeout. */
	curl_easy_setopt(x->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(x->easy, CURLOPT_LOW_SPEED_TIME,
	    (c->cfg.stall_ms + 999) / 1000);
	if (x->fresh_connect) {
		curl_easy_setopt(x->easy, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(x->easy, CURLOPT_FORBID_REUSE, 1L);
	}
	x->errbuf[0] = '\0';
	x->began = mono_ms();
	x->state = XF_RUNNING;
	if (curl_multi_add_handle(c->multi, x->easy) != CURLM_OK) {
		x->state = XF_WAITING;
		err_set(x->err, ERR_INTERNAL, N_("could not start a "
		    "transfer"));
		return -1;
	}
	return 0;
}

static struct xfer *
xfer_by_easy(struct http_client *c, CURL *easy)
{
	size_t	 i;

	for (i = 0; i < c->nxf; i++)
		if (c->xf[i]->easy == easy)
			return c->xf[i];
	return NULL;
}

static struct xfer *
xfer_by_id(struct http_client *c, int id)
{
	size_t	 i;

	for (i = 0; i < c->nxf; i++)
		if (c->xf[i]->id == id)
			return c->xf[i];
	return NULL;
}

static const char *
url_host(const char *url, char *out, size_t outsz)
{
	const char	*p = strstr(url, "://"), *end;
	size_t		 n;

	p = p != NULL ? p + 3 : url;
	end = p + strcspn(p, "/?#");
	n = (size_t)(end - p);
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return out;
}

/* Turn a finished curl transfer into err (or success). */
static int
classify(struct http_client *c, struct xfer *x, CURLcode rc, struct err *e)
{
	char	 host[256];

	url_host(x->url, host, sizeof host);
	err_clear(e);
	if (x->cancelled || (x->stopped && rc == CURLE_WRITE_ERROR)) {
		err_set(e, ERR_CANCELLED, N_("stopped before the answer "
		    "ended"));
		return -1;
	}
	if (x->over_cap && c->cfg.max_body % (1024 * 1024) == 0) {
		err_set(e, ERR_LIMIT, N_("the answer from %s is larger than "
		    "%zu MiB; refusing to read more"), host,
		    c->cfg.max_body / (1024 * 1024));
		return -1;
	}
	if (x->over_cap) {
		err_set(e, ERR_LIMIT, N_("the answer from %s is larger than "
		    "%zu bytes; refusing to read more"), host,
		    c->cfg.max_body);
		return -1;
	}
	if (x->sim != NULL && x->sim->fail != ERR_NONE) {
		err_set(e, x->sim->fail, "%s", x->sim->fail_message);
		return -1;
	}
	switch (rc) {
	case CURLE_OK:
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		err_set(e, ERR_NETWORK, N_("cannot resolve %s (DNS): check "
		    "the network connection and the Region name"), host);
		return -1;
	case CURLE_COULDNT_RESOLVE_PROXY:
		err_set(e, ERR_NETWORK, N_("cannot resolve the proxy (check "
		    "https_proxy): %s"), x->errbuf);
		return -1;
	case CURLE_COULDNT_CONNECT:
		err_set(e, ERR_NETWORK, N_("cannot connect to %s: %s"), host,
		    x->errbuf[0] != '\0' ? x->errbuf :
		    curl_easy_strerror(rc));
		return -1;
	case CURLE_OPERATION_TIMEDOUT:
		err_set(e, ERR_TIMEOUT, N_("no answer from %s in time (%s)"),
		    host, x->errbuf[0] != '\0' ? x->errbuf :
		    curl_easy_strerror(rc));
		return -1;
	case CURLE_SSL_CACERT_BADFILE:
		err_set(e, ERR_TLS, N_("the CA bundle %s holds no certificate "
		    "that can be used (%s): it must be a file of PEM "
		    "certificates"), c->cfg.ca_bundle != NULL ?
		    c->cfg.ca_bundle :
		    /* L10N: stands for the path of a CA bundle not set. */
		    core_tr(N_("(the system's)")), x->errbuf[0] != '\0' ?
		    x->errbuf : curl_easy_strerror(rc));
		return -1;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		err_set(e, ERR_TLS, N_("TLS failure talking to %s: %s; if a "
		    "proxy or firewall inspects TLS, point AWS_CA_BUNDLE at "
		    "its certificate bundle"), host, x->errbuf[0] != '\0' ?
		    x->errbuf : curl_easy_strerror(rc));
		return -1;
	default:
		err_set(e, ERR_NETWORK, N_("the connection to %s failed: %s"),
		    host, x->errbuf[0] != '\0' ? x->errbuf :
		    curl_easy_strerror(rc));
		return -1;
	}
	if (x->resp->status >= 200 && x->resp->status < 300)
		return 0;
	http_parse_error(x->resp->status, &x->resp->headers,
	    x->resp->body.data, x->resp->body.len, e);
	return -1;
}

static void
record_timing(struct http_client *c, struct xfer *x)
{
	double		 d;
	const char	*date;
	time_t		 server, now;

	if (x->sim != NULL) {
		x->resp->connect_ms = x->sim->ttfb_ms / 2;
		x->resp->ttfb_ms = x->sim->ttfb_ms;
	} else if (curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME, &d) ==
	    CURLE_OK)
		x->resp->connect_ms = d * 1000.0;
	if (x->sim != NULL)
		goto times;
	if (curl_easy_getinfo(x->easy, CURLINFO_APPCONNECT_TIME, &d) ==
	    CURLE_OK)
		x->resp->appconnect_ms = d * 1000.0;
	if (curl_easy_getinfo(x->easy, CURLINFO_STARTTRANSFER_TIME, &d) ==
	    CURLE_OK)
		x->resp->ttfb_ms = d * 1000.0;
times:
	x->resp->total_ms = mono_ms() - x->began;
	date = hdr_list_get(&x->resp->headers, "Date");
	if (date != NULL && (server = curl_getdate(date, NULL)) > 0) {
		now = c->cfg.now != NULL ? c->cfg.now(c->cfg.now_arg) :
		    time(NULL);
		/* Date was written when the headers were, not at the end. */
		if (x->status_at > 0)
			now -= (time_t)((mono_ms() - x->status_at) / 1000.0 +
			    0.5);
		x->resp->have_date = 1;
		x->resp->clock_offset = (long)(server - now);
		c->have_offset = 1;
		c->last_offset = x->resp->clock_offset;
	}
}

static double
jitter(struct http_client *c)
{
	uint32_t	 r;

	if (c->cfg.random != NULL)
		return c->cfg.random(c->cfg.random_arg);
	if (crypto_random(&r, sizeof r) != 0)
		return 0.5;
	return (double)r / 4294967296.0;
}

static long
backoff_ms(struct http_client *c, struct xfer *x)
{
	const char	*ra = hdr_list_get(&x->resp->headers, "Retry-After");
	double		 d;
	char		*end;
	long		 secs;

	if (ra != NULL) {
		errno = 0;
		secs = strtol(ra, &end, 10);
		if (errno == 0 && end != ra && *end == '\0' && secs >= 0 &&
		    secs * 1000 <= c->cfg.max_backoff_ms)
			return secs * 1000;
	}
	d = jitter(c) * 1000.0 * pow(2.0, (double)(x->attempt - 1));
	if (d > (double)c->cfg.max_backoff_ms)
		d = (double)c->cfg.max_backoff_ms;
	return (long)d;
}

/* A curl transfer ended: finish the transfer or schedule a retry. */
static void
attempt_done(struct http_client *c, struct xfer *x, CURLcode rc)
{
	struct err		 e;
	struct http_retry_info	 ri;
	int			 r, cost;
	long			 delay;

	if (x->sim == NULL)
		curl_multi_remove_handle(c->multi, x->easy);
	record_timing(c, x);
	r = classify(c, x, rc, &e);
	if (c->cfg.trace != NULL) {
		size_t	 i;

		if (x->resp->status != 0) {
			trace(c, "<- %ld  [%s: connect %.0f ms, first byte "
			    "%.0f ms, total %.0f ms, %zu bytes%s]",
			    x->resp->status, x->op, x->resp->connect_ms,
			    x->resp->ttfb_ms, x->resp->total_ms,
			    x->resp->streamed + x->resp->body.len,
			    x->resp->streamed > 0 ? " streamed" : "");
			for (i = 0; i < x->resp->headers.n; i++)
				trace_header(c, "   <",
				    x->resp->headers.v[i].name,
				    x->resp->headers.v[i].value);
		}
		if (r != 0)
			/* The first line only: after it a signature mismatch
			   echoes the signed request, session token included. */
			trace(c, "!! %s attempt %d/%d failed: %s%s%.*s", x->op,
			    x->attempt, x->max_attempts, e.code,
			    e.code[0] != '\0' ? ": " : "",
			    (int)strcspn(e.message, "\r\n"), e.message);
	}
	if (r == 0) {
		if (x->retry_cost > 0) {
			c->quota += x->retry_cost;
			if (c->quota > RETRY_QUOTA)
				c->quota = RETRY_QUOTA;
		}
		x->state = XF_DONE;
		x->result = 0;
		err_clear(x->err);
		return;
	}
	cost = e.kind == ERR_TIMEOUT ? RETRY_COST_TIMEOUT : RETRY_COST;
	if (http_error_retryable(&e) && x->attempt < x->max_attempts &&
	    x->resp->streamed == 0 && !x->cancelled && c->quota >= cost) {
		c->quota -= cost;
		x->retry_cost = cost;
		delay = backoff_ms(c, x);
		trace(c, "!! retrying %s in %ld ms (attempt %d of %d)", x->op,
		    delay, x->attempt + 1, x->max_attempts);
		if (c->cfg.on_retry != NULL) {
			ri.op = x->op;
			ri.attempt = x->attempt;
			ri.max_attempts = x->max_attempts;
			ri.delay_ms = delay;
			ri.cause = &e;
			c->cfg.on_retry(c->cfg.on_retry_arg, &ri);
		}
		x->state = XF_WAITING;
		x->start_at = mono_ms() + (double)delay;
		return;
	}
	if (x->attempt > 1 && http_error_retryable(&e) &&
	    x->resp->streamed == 0) {
		/* Say that retrying did not help. */
		size_t	 l = strlen(e.message);

		snprintf(e.message + l, sizeof e.message - l,
		    core_tr(N_(" (still failing after %d attempts)")),
		    x->attempt);
	}
	err_copy(x->err, &e);
	x->state = XF_DONE;
	x->result = -1;
}

int
http_start(struct http_client *c, const struct http_request *req,
    struct http_response *resp, struct err *e)
{
	struct xfer	*x;

	if (req == NULL || req->url == NULL || req->method == NULL) {
		err_set(e, ERR_USAGE, N_("an HTTP request needs a method and "
		    "a URL"));
		return -1;
	}
	if (http_url_allowed(req->url, req->allow_link_local, e) != 0)
		return -1;
	x = xcalloc(1, sizeof *x);
	x->id = c->next_id++;
	x->op = xstrdup(req->op != NULL ? req->op : req->method);
	x->method = xstrdup(req->method);
	x->url = xstrdup(req->url);
	hdr_list_init(&x->headers);
	if (req->headers != NULL)
		hdr_list_copy(&x->headers, req->headers);
	if (req->body_len > 0) {
		x->body = xmalloc(req->body_len + 1);
		memcpy(x->body, req->body, req->body_len);
		x->body[req->body_len] = '\0';
		x->body_len = req->body_len;
	}
	x->auth = req->auth;
	x->on_data = req->on_data;
	x->on_data_arg = req->on_data_arg;
	x->timeout_ms = req->timeout_ms;
	x->max_attempts = req->max_attempts > 0 ? req->max_attempts :
	    c->cfg.max_attempts;
	x->fresh_connect = req->fresh_connect;
	x->allow_link_local = req->allow_link_local;
	x->resp = resp;
	x->err = e;
	x->state = XF_WAITING;
	x->start_at = 0;
	buf_init(&resp->body, c->cfg.max_body);
	err_clear(e);
	if (c->nxf == c->capxf) {
		c->capxf = c->capxf == 0 ? 8 : c->capxf * 2;
		c->xf = xreallocarray(c->xf, c->capxf, sizeof *c->xf);
	}
	c->xf[c->nxf++] = x;
	if (attempt_start(c, x) != 0) {
		x->state = XF_DONE;
		x->result = -1;
	}
	return x->id;
}

/* Deliver what is due of a simulated attempt. */
static void
sim_drive(struct http_client *c, struct xfer *x, double now)
{
	struct http_sim_reply	*r = x->sim;
	struct http_sim_piece	*p;

	while (x->state == XF_RUNNING && x->sim == r && now >= x->sim_due) {
		if (!x->sim_started) {
			x->sim_started = 1;
			x->status_at = now;
			x->resp->status = r->status;
			hdr_list_free(&x->resp->headers);
			hdr_list_copy(&x->resp->headers, &r->headers);
			if (r->npieces > 0)
				x->sim_due += r->pieces[0].delay_ms;
			continue;
		}
		if (x->sim_next >= r->npieces || r->fail != ERR_NONE) {
			attempt_done(c, x, CURLE_OK);
			return;
		}
		p = &r->pieces[x->sim_next++];
		if (on_body(p->data, 1, p->len, x) != p->len) {
			attempt_done(c, x, CURLE_WRITE_ERROR);
			return;
		}
		if (x->sim_next < r->npieces)
			x->sim_due += r->pieces[x->sim_next].delay_ms;
	}
}

int
http_perform(struct http_client *c, struct pollfd *extra, unsigned int nextra,
    int timeout_ms)
{
	struct curl_waitfd	*wfd = NULL;
	CURLMsg			*m;
	double			 now, soonest = -1;
	int			 running = 0, left, numfds, wait;
	unsigned int		 i;
	size_t			 k;

	/* The caller gave up: stop everything. */
	if (c->cfg.cancelled != NULL && c->cfg.cancelled(c->cfg.cancelled_arg))
		for (k = 0; k < c->nxf; k++)
			if (c->xf[k]->state != XF_DONE)
				http_cancel(c, c->xf[k]->id);
	/* Start the retries whose wait is over. */
	now = mono_ms();
	for (k = 0; k < c->nxf; k++) {
		struct xfer *x = c->xf[k];

		if (x->state != XF_WAITING)
			continue;
		if (x->cancelled) {
			err_set(x->err, ERR_CANCELLED, N_("stopped before the "
			    "answer ended"));
			x->state = XF_DONE;
			x->result = -1;
		} else if (x->start_at <= now) {
			if (attempt_start(c, x) != 0) {
				x->state = XF_DONE;
				x->result = -1;
			}
		} else if (soonest < 0 || x->start_at < soonest)
			soonest = x->start_at;
	}
	for (k = 0; k < c->nxf; k++) {
		struct xfer *x = c->xf[k];

		if (x->state != XF_RUNNING || x->sim == NULL)
			continue;
		sim_drive(c, x, now);
		if (x->state == XF_RUNNING &&
		    (soonest < 0 || x->sim_due < soonest))
			soonest = x->sim_due;
		if (x->state == XF_WAITING &&
		    (soonest < 0 || x->start_at < soonest))
			soonest = x->start_at;
	}
	wait = timeout_ms;
	if (soonest >= 0 && soonest - now < wait)
		wait = (int)(soonest - now) + 1;
	if (wait < 0)
		wait = 0;
	if (nextra > 0) {
		wfd = xcalloc(nextra, sizeof *wfd);
		for (i = 0; i < nextra; i++) {
			wfd[i].fd = extra[i].fd;
			wfd[i].events = CURL_WAIT_POLLIN;
		}
	}
	curl_multi_perform(c->multi, &running);
	if (running > 0 || nextra > 0)
		curl_multi_poll(c->multi, wfd, nextra, wait, &numfds);
	else if (soonest >= 0) {
		struct timespec ts = { wait / 1000, (wait % 1000) * 1000000L };

		nanosleep(&ts, NULL);
	}
	for (i = 0; i < nextra; i++)
		extra[i].revents = (short)(wfd[i].revents & CURL_WAIT_POLLIN ?
		    POLLIN : 0);
	free(wfd);
	curl_multi_perform(c->multi, &running);
	while ((m = curl_multi_info_read(c->multi, &left)) != NULL) {
		struct xfer *x;

		if (m->msg != CURLMSG_DONE)
			continue;
		x = xfer_by_easy(c, m->easy_handle);
		if (x != NULL)
			attempt_done(c, x, m->data.result);
	}
	now = mono_ms();
	for (k = 0; k < c->nxf; k++)
		if (c->xf[k]->state == XF_RUNNING && c->xf[k]->sim != NULL)
			sim_drive(c, c->xf[k], now);
	running = 0;
	for (k = 0; k < c->nxf; k++)
		if (c->xf[k]->state == XF_WAITING ||
		    c->xf[k]->state == XF_RUNNING)
			running++;
	return running;
}

int
http_take_done(struct http_client *c, int *status)
{
	size_t	 k;
	int	 id;

	for (k = 0; k < c->nxf; k++) {
		struct xfer *x = c->xf[k];

		if (x->state != XF_DONE)
			continue;
		id = x->id;
		if (status != NULL)
			*status = x->result;
		xfer_free(c, x);
		memmove(&c->xf[k], &c->xf[k + 1],
		    (c->nxf - k - 1) * sizeof *c->xf);
		c->nxf--;
		return id;
	}
	return -1;
}

void
http_cancel(struct http_client *c, int id)
{
	struct xfer	*x = xfer_by_id(c, id);

	if (x == NULL || x->state == XF_DONE)
		return;
	x->cancelled = 1;
	if (x->state == XF_RUNNING) {
		if (x->sim == NULL)
			curl_multi_remove_handle(c->multi, x->easy);
		err_set(x->err, ERR_CANCELLED, N_("stopped before the answer "
		    "ended"));
		x->state = XF_DONE;
		x->result = -1;
	}
}

int
http_do(struct http_client *c, const struct http_request *req,
    struct http_response *resp, struct err *e)
{
	int	 status = -1;

	http_do_many(c, req, resp, e, 1, NULL, NULL);
	status = e->kind == ERR_NONE ? 0 : -1;
	return status;
}

/* Take transfer id if it is finished; returns its status or 1 if not. */
static int
take_if_done(struct http_client *c, int id, int *status)
{
	struct xfer	*x = xfer_by_id(c, id);
	size_t		 k;

	if (x == NULL || x->state != XF_DONE)
		return 1;
	*status = x->result;
	for (k = 0; k < c->nxf; k++)
		if (c->xf[k] == x)
			break;
	xfer_free(c, x);
	memmove(&c->xf[k], &c->xf[k + 1], (c->nxf - k - 1) * sizeof *c->xf);
	c->nxf--;
	return 0;
}

size_t
http_do_many(struct http_client *c, const struct http_request *reqs,
    struct http_response *resps, struct err *errs, size_t n,
    void (*on_done)(void *, size_t, int), void *arg)
{
	int	*ids = xcalloc(n == 0 ? 1 : n, sizeof *ids);
	size_t	 i, left = n, failed = 0;
	int	 status;

	for (i = 0; i < n; i++)
		ids[i] = http_start(c, &reqs[i], &resps[i], &errs[i]);
	for (i = 0; i < n; i++)
		if (ids[i] < 0) {
			failed++;
			left--;
			if (on_done != NULL)
				on_done(arg, i, 1);
		}
	while (left > 0) {
		for (i = 0; i < n; i++) {
			if (ids[i] < 0 || take_if_done(c, ids[i], &status))
				continue;
			ids[i] = -1;
			left--;
			if (status != 0)
				failed++;
			if (on_done != NULL)
				on_done(arg, i, status != 0);
		}
		if (left > 0)
			http_perform(c, NULL, 0,
			    c->cfg.cancelled != NULL ? 100 : 1000);
	}
	free(ids);
	return failed;
}
