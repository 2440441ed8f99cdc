/*
 * creds.c: AWS credentials and the chain that finds them (see creds.h).
 *
 * The chain is a table of steps, each with a check ("is this source set
 * up?") and a run.  A run returns STEP_OK, STEP_NONE (not set up),
 * STEP_SKIP (set up but passed over; the walk goes on), STEP_FAIL or
 * STEP_OFFLINE (a network callback is missing).  The first STEP_OK,
 * STEP_FAIL or STEP_OFFLINE ends the walk, as a result or an exception ends
 * botocore's.  Assume role resolves its source profile with the same steps
 * (without the environment) and recurses through source_profile chains,
 * keeping the visited names to report a loop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "awsconfig.h"
#include "buf.h"
#include "creds.h"
#include "crypto.h"
#include "err.h"
#include "i18n.h"
#include "ini.h"
#include "json.h"
#include "xalloc.h"

#define EXCERPT_SIZE		96
#define MAX_CHAIN		32
#define TOKEN_FILE_MAX		(64u * 1024)
#define SSO_CACHE_MAX		(256u * 1024)
#define PROCESS_STDERR_MAX	(8u * 1024)
#define PROCESS_DEFAULT_MS	30000
#define PROCESS_DEFAULT_MAX	(64u * 1024)

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

enum {
	STEP_OK,
	STEP_NONE,
	STEP_SKIP,
	STEP_FAIL,
	STEP_OFFLINE
};

struct chain {
	const struct creds_opts	*o;
	const struct awsconfig	*cfg;
	const struct creds_net	*net;
	int			 env_off;	/* web identity env vars */
	int			 explicit;	/* env keys ignored */
	const char		*visited[MAX_CHAIN];
	size_t			 nvisited;
	struct creds_report	*r;
};

typedef int (*step_run)(struct chain *, const char *, struct creds **,
    struct buf *, struct err *);
typedef int (*step_check)(struct chain *, const char *);

/* Text helpers. */

static char *
fmt_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
fmt_text(const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;

	buf_init(&b, 16384);
	va_start(ap, fmt);
	buf_vprintf(&b, core_tr(fmt), ap);
	va_end(ap);
	return buf_take(&b, NULL);
}

static void
say(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
say(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;

	buf_reset(b);
	va_start(ap, fmt);
	buf_vprintf(b, core_tr(fmt), ap);
	va_end(ap);
}

static void
set_source(struct creds *c, char *source)
{
	free(c->source);
	c->source = source;
}

static const char *
fmt_time(time_t t, char *out, size_t size)
{
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, size, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(out, size, "%lld", (long long)t);
	return out;
}

static void
add_warning(struct creds_report *r, char *text)
{
	r->warnings = xreallocarray(r->warnings, r->nwarnings + 1,
	    sizeof *r->warnings);
	r->warnings[r->nwarnings++] = text;
}

static const char *
env(struct chain *c, const char *name)
{
	return awsconfig_getenv(&c->cfg->env, name);
}

static const char *
prof(struct chain *c, const char *profile, const char *key)
{
	return awsconfig_get(c->cfg, profile, key, NULL);
}

/* Time parsing. */

static int
digits(const char **s, int n, int *out)
{
	int	 v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return -1;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return 0;
}

int
creds_parse_time(const char *s, time_t *out)
{
	struct tm	 tm;
	int		 y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	time_t		 t;

	if (s == NULL || digits(&s, 4, &y) != 0 || *s++ != '-' ||
	    digits(&s, 2, &mo) != 0 || *s++ != '-' ||
	    digits(&s, 2, &d) != 0 || (*s != 'T' && *s != 't' && *s != ' '))
		return -1;
	s++;
	if (digits(&s, 2, &h) != 0 || *s++ != ':' ||
	    digits(&s, 2, &mi) != 0 || *s++ != ':' ||
	    digits(&s, 2, &sec) != 0)
		return -1;
	if (*s == '.' || *s == ',') {
		s++;
		if (*s < '0' || *s > '9')
			return -1;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'Z' || *s == 'z')
		s++;
	else if (strcmp(s, "UTC") == 0)
		s += 3;
	else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (digits(&s, 2, &oh) != 0)
			return -1;
		if (*s == ':')
			s++;
		if (*s != '\0' && digits(&s, 2, &om) != 0)
			return -1;
	}
	if (*s != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60 || oh > 23 || om > 59)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	*out = t - (time_t)sign * (oh * 3600 + om * 60);
	return 0;
}

/* 0 when c has not expired, else -1 with e set. */
static int
check_expiry(struct chain *c, const struct creds *cr, const char *what,
    struct err *e)
{
	char	 when[48];

	if (cr->expiration == 0 || cr->expiration > c->o->now)
		return 0;
	err_set(e, ERR_CREDENTIALS, N_("the credentials from %s expired at "
	    "%s (%lld minutes ago); get new ones, and check that this "
	    "computer's clock is right"), what,
	    fmt_time(cr->expiration, when, sizeof when),
	    (long long)(c->o->now - cr->expiration) / 60);
	return -1;
}

/*
 * Read at most max bytes of a file.  0 on success, 1 when it does not
 * exist, -1 with e set (what names the file for people).
 */
static int
read_file(const char *path, size_t max, struct buf *b, const char *what,
    struct err *e)
{
	char	 chunk[4096], eb[128];
	ssize_t	 n;
	int	 fd, rc = 0;

	buf_init(b, max);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 1;
		err_set(e, ERR_IO, N_("cannot read %s %s: %s"), what, path,
		    strerror_r(errno, eb, sizeof eb));
		err_where(e, "%s", path);
		return -1;
	}
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, ERR_IO, N_("cannot read %s %s: %s"), what,
			    path, strerror_r(errno, eb, sizeof eb));
			err_where(e, "%s", path);
			rc = -1;
			break;
		}
		if (n == 0)
			break;
		if (buf_add(b, chunk, (size_t)n) != 0) {
			err_set(e, ERR_LIMIT, N_("%s %s is larger than %zu "
			    "KiB"), what, path, max / 1024);
			err_where(e, "%s", path);
			rc = -1;
			break;
		}
	}
	explicit_bzero(chunk, sizeof chunk);
	close(fd);
	if (rc != 0)
		buf_wipe_free(b);
	return rc;
}

static int
need_net(int have, struct buf *detail, const char *what, struct err *e)
{
	if (have)
		return 0;
	say(detail, N_("set up; getting credentials from %s needs the "
	    "network, which this run does not use"), what);
	err_set(e, ERR_CREDENTIALS, N_("the credentials come from %s, which "
	    "needs the network; this run does not use it"), what);
	return -1;
}

/* Put "getting credentials from WHAT failed: " before e's message. */
static void
wrap_err(struct err *e, const char *what)
{
	char	 msg[sizeof e->message];

	if (e == NULL)
		return;
	snprintf(msg, sizeof msg, core_tr(N_("getting credentials from %s "
	    "failed: %s")), what, e->message[0] != '\0' ? e->message :
	    core_tr(N_("no reason given")));
	memcpy(e->message, msg, sizeof msg);
}

/* Run a network callback; *out gets the credentials, named source. */
static int
net_result(struct chain *c, int rc, struct creds **out, char *source,
    const char *what, struct buf *detail, struct err *e)
{
	if (rc != 0 || *out == NULL) {
		if (rc == 0)
			err_set(e, ERR_INTERNAL, N_("%s gave no credentials"),
			    what);
		else
			wrap_err(e, what);
		creds_free(*out);
		*out = NULL;
		free(source);
		return STEP_FAIL;
	}
	set_source(*out, source);
	if (check_expiry(c, *out, what, e) != 0) {
		creds_free(*out);
		*out = NULL;
		return STEP_FAIL;
	}
	say(detail, "%s", (*out)->source);
	return STEP_OK;
}

/* Bedrock API key. */

static void
bearer(struct chain *c)
{
	struct creds_report	*r = c->r;
	struct creds_row	*row = &r->rows[CREDS_SRC_BEARER];
	const char		*tok = env(c, "AWS_BEARER_TOKEN_BEDROCK");
	const char		*p;

	if (tok == NULL)
		return;
	for (p = tok; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			row->state = CREDS_FAILED;
			row->detail = fmt_text(N_("AWS_BEARER_TOKEN_BEDROCK "
			    "holds a line break or control character, so it "
			    "cannot be sent; set it again without one"));
			add_warning(r, xstrdup(row->detail));
			return;
		}
	}
	r->bearer = secret_from_str(tok);
	row->state = CREDS_USED;
	row->detail = fmt_text(N_("AWS_BEARER_TOKEN_BEDROCK is set: the AWS "
	    "CLI and SDKs send this Bedrock API key for Bedrock calls instead "
	    "of signing them with profile %s (the credentials below still "
	    "serve STS and IAM); unset it to use the profile for Bedrock"),
	    c->cfg->profile);
	add_warning(r, xstrdup(row->detail));
}

/* Environment keys. */

static int
check_env(struct chain *c, const char *profile)
{
	(void)profile;
	return env(c, "AWS_ACCESS_KEY_ID") != NULL ||
	    env(c, "AWS_SECRET_ACCESS_KEY") != NULL;
}

static int
env_creds(struct chain *c, struct creds **out, struct buf *detail,
    struct err *e)
{
	const char	*akid = env(c, "AWS_ACCESS_KEY_ID");
	const char	*sk = env(c, "AWS_SECRET_ACCESS_KEY");
	const char	*tok = env(c, "AWS_SESSION_TOKEN");
	const char	*old = env(c, "AWS_SECURITY_TOKEN");
	const char	*exp = env(c, "AWS_CREDENTIAL_EXPIRATION");
	const char	*acct = env(c, "AWS_ACCOUNT_ID");
	char		 ex[EXCERPT_SIZE], when[48];
	struct creds	*cr;

	if (akid == NULL && sk == NULL)
		return STEP_NONE;
	if (akid == NULL || sk == NULL) {
		err_set(e, ERR_CONFIG, N_("%s is set but %s is not; set both, "
		    "or unset %s to use profile %s"),
		    akid != NULL ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
		    akid != NULL ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID",
		    akid != NULL ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
		    c->cfg->profile);
		err_where(e, "%s", akid != NULL ? "AWS_SECRET_ACCESS_KEY" :
		    "AWS_ACCESS_KEY_ID");
		return STEP_FAIL;
	}
	if (tok != NULL && old != NULL && strcmp(tok, old) != 0)
		add_warning(c->r, fmt_text(N_("AWS_SECURITY_TOKEN differs from "
		    "AWS_SESSION_TOKEN; AWS_SESSION_TOKEN is used here, but "
		    "boto3 and the AWS CLI use AWS_SECURITY_TOKEN: unset it")));
	cr = creds_new(akid, sk, tok != NULL ? tok : old,
	    core_tr(N_("environment")));
	if (acct != NULL)
		cr->account_id = xstrdup(acct);
	if (exp != NULL && creds_parse_time(exp, &cr->expiration) != 0) {
		err_set(e, ERR_CONFIG, N_("AWS_CREDENTIAL_EXPIRATION %s is not "
		    "an ISO 8601 time such as 2026-01-31T12:00:00Z"),
		    ini_excerpt(exp, strlen(exp), ex, sizeof ex));
		err_where(e, "AWS_CREDENTIAL_EXPIRATION");
		creds_free(cr);
		return STEP_FAIL;
	}
	if (check_expiry(c, cr, core_tr(N_("the environment")), e) != 0) {
		err_where(e, "AWS_CREDENTIAL_EXPIRATION");
		creds_free(cr);
		return STEP_FAIL;
	}
	buf_reset(detail);
	buf_printf(detail, core_tr(N_("key %s from AWS_ACCESS_KEY_ID")),
	    cr->access_key_id);
	if (cr->session_token != NULL)
		buf_printf(detail, core_tr(N_(", with a session token")));
	if (cr->expiration != 0)
		buf_printf(detail, core_tr(N_(", valid until %s")),
		    fmt_time(cr->expiration, when, sizeof when));
	*out = cr;
	return STEP_OK;
}

static int
run_env(struct chain *c, const char *profile, struct creds **out,
    struct buf *detail, struct err *e)
{
	(void)profile;
	if (c->explicit && check_env(c, profile)) {
		say(detail, N_("ignored because a profile was chosen "
		    "explicitly (--profile), as the AWS CLI does"));
		return STEP_SKIP;
	}
	return env_creds(c, out, detail, e);
}

/* Static keys in one file. */

static int
has_keys(struct chain *c, enum awsconfig_file which, const char *profile)
{
	return awsconfig_file_get(c->cfg, which, profile, "aws_access_key_id",
	    NULL) != NULL || awsconfig_file_get(c->cfg, which, profile,
	    "aws_secret_access_key", NULL) != NULL;
}

static int
file_keys(struct chain *c, enum awsconfig_file which, const char *profile,
    struct creds **out, struct buf *detail, struct err *e)
{
	struct awsconfig_hit	 ha, hs;
	const char		*akid, *sk, *tok, *acct;
	struct creds		*cr;

	akid = awsconfig_file_get(c->cfg, which, profile, "aws_access_key_id",
	    &ha);
	sk = awsconfig_file_get(c->cfg, which, profile,
	    "aws_secret_access_key", &hs);
	if (akid == NULL && sk == NULL)
		return STEP_NONE;
	if (akid == NULL || sk == NULL || *akid == '\0' || *sk == '\0') {
		err_set(e, ERR_CONFIG, N_("profile %s in %s has %s but no "
		    "usable %s; add it, or run `aws configure --profile %s`"),
		    profile, awsconfig_file_name(c->cfg, which),
		    akid != NULL && *akid != '\0' ? "aws_access_key_id" :
		    "aws_secret_access_key",
		    akid != NULL && *akid != '\0' ? "aws_secret_access_key" :
		    "aws_access_key_id", profile);
		err_where(e, "%s line %d", awsconfig_file_name(c->cfg, which),
		    akid != NULL ? ha.line : hs.line);
		return STEP_FAIL;
	}
	tok = awsconfig_file_get(c->cfg, which, profile, "aws_session_token",
	    NULL);
	if (tok == NULL)
		tok = awsconfig_file_get(c->cfg, which, profile,
		    "aws_security_token", NULL);
	cr = creds_new(akid, sk, tok, NULL);
	set_source(cr, fmt_text(N_("profile %s in %s"), profile,
	    awsconfig_file_name(c->cfg, which)));
	acct = prof(c, profile, "aws_account_id");
	if (acct != NULL)
		cr->account_id = xstrdup(acct);
	buf_reset(detail);
	buf_printf(detail, core_tr(N_("key %s, %s line %d")),
	    cr->access_key_id, awsconfig_file_name(c->cfg, which), ha.line);
	if (cr->session_token != NULL)
		buf_printf(detail, core_tr(N_(", with a session token")));
	*out = cr;
	return STEP_OK;
}

static int
check_credfile(struct chain *c, const char *profile)
{
	return has_keys(c, AWSCONFIG_CREDENTIALS, profile);
}

static int
run_credfile(struct chain *c, const char *profile, struct creds **out,
    struct buf *detail, struct err *e)
{
	return file_keys(c, AWSCONFIG_CREDENTIALS, profile, out, detail, e);
}

static int
check_conffile(struct chain *c, const char *profile)
{
	return has_keys(c, AWSCONFIG_CONFIG, profile);
}

static int
run_conffile(struct chain *c, const char *profile, struct creds **out,
    struct buf *detail, struct err *e)
{
	return file_keys(c, AWSCONFIG_CONFIG, profile, out, detail, e);
}

/* Console login: known, not supported. */

static int
check_login(struct chain *c, const char *profile)
{
	return prof(c, profile, "login_session") != NULL;
}

static int
run_login(struct chain *c, const char *profile, struct creds **out,
    struct buf *detail, struct err *e)
{
	(void)out;
	(void)detail;
	if (!check_login(c, profile))
		return STEP_NONE;
	err_set(e, ERR_CREDENTIALS, N_("profile %s signs in with `aws login` "
	    "(login_session), which bedrock-setup cannot use yet; give the "
	    "profile IAM Identity Center (SSO), credential_process or keys "
	    "instead"), profile);
	return STEP_FAIL;
}

/* Container credentials (ECS, EKS Pod Identity). */

static int
check_container(struct chain *c, const char *profile)
{
	(void)profile;
	return env(c, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != NULL ||
	    env(c, "AWS_CONTAINER_CREDENTIALS_FULL_URI") != NULL;
}

static int
host_allowed(const char *host)
{
	static const char *const allowed[] = {
		"169.254.170.2", "169.254.170.23", "fd00:ec2::23"
	};
	unsigned char	 a[16], b[16];
	size_t		 i;

	if (strcasecmp(host, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, host, a) == 1 && a[0] == 127)
		return 1;
	if (inet_pton(AF_INET6, host, a) == 1) {
		if (memcmp(a, &in6addr_loopback, 16) == 0)
			return 1;
		for (i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
			if (inet_pton(AF_INET6, allowed[i], b) == 1 &&
			    memcmp(a, b, 16) == 0)
				return 1;
		return 0;
	}
	for (i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (strcmp(host, allowed[i]) == 0)
			return 1;
	return 0;
}

/* 0 if a FULL_URI may be used: https, or http to an allowed host. */
static int
check_full_uri(const char *uri, struct err *e)
{
	const char	*h, *end, *at;
	char		 host[256], ex[EXCERPT_SIZE];
	size_t		 len;

	if (strncasecmp(uri, "https://", 8) == 0)
		return 0;
	if (strncasecmp(uri, "http://", 7) != 0) {
		err_set(e, ERR_CONFIG, N_("AWS_CONTAINER_CREDENTIALS_FULL_URI "
		    "%s must start with http:// or https://"),
		    ini_excerpt(uri, strlen(uri), ex, sizeof ex));
		return -1;
	}
	h = uri + 7;
	end = h + strcspn(h, "/?#");
	at = memchr(h, '@', (size_t)(end - h));
	if (at != NULL)
		h = at + 1;
	if (*h == '[') {
		h++;
		len = strcspn(h, "]");
	} else {
		len = strcspn(h, ":/?#");
	}
	if (len >= sizeof host)
		len = sizeof host - 1;
	memcpy(host, h, len);
	host[len] = '\0';
	if (host_allowed(host))
		return 0;
	err_set(e, ERR_CONFIG, N_("AWS_CONTAINER_CREDENTIALS_FULL_URI uses "
	    "host %s over plain http; use https, a loopback address, "
	    "169.254.170.2, 169.254.170.23 or [fd00:ec2::23]"),
	    ini_excerpt(host, strlen(host), ex, sizeof ex));
	return -1;
}

static int
container_creds(struct chain *c, struct creds **out, struct buf *detail,
    struct err *e)
{
	const char	*rel = env(c, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char	*full = env(c, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
	const char	*tfile = env(c, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char	*tok = env(c, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
	const char	*what = core_tr(N_("container credentials"));
	struct secret	*auth = NULL;
	struct buf	 b, url;
	int		 rc;

	if (rel == NULL && full == NULL)
		return STEP_NONE;
	buf_init(&url, 8192);
	if (rel != NULL) {
		buf_printf(&url, "http://169.254.170.2%s%s",
		    *rel == '/' ? "" : "/", rel);
	} else {
		if (check_full_uri(full, e) != 0) {
			err_where(e, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
			buf_free(&url);
			return STEP_FAIL;
		}
		buf_addstr(&url, full);
	}
	if (tfile != NULL) {
		rc = read_file(tfile, TOKEN_FILE_MAX, &b,
		    core_tr(N_("the container authorization token file")), e);
		if (rc == 1)
			err_set(e, ERR_CONFIG, N_("the container authorization "
			    "token file %s (AWS_CONTAINER_AUTHORIZATION_TOKEN_"
			    "FILE) does not exist"), tfile);
		if (rc != 0) {
			buf_free(&url);
			return STEP_FAIL;
		}
		auth = secret_new(buf_str(&b), b.len);
		buf_wipe_free(&b);
	} else if (tok != NULL) {
		auth = secret_from_str(tok);
	}
	if (auth != NULL && strpbrk(secret_reveal(auth), "\r\n") != NULL) {
		err_set(e, ERR_CONFIG, N_("the container authorization token "
		    "(%s) holds a line break; remove it"), tfile != NULL ?
		    tfile : "AWS_CONTAINER_AUTHORIZATION_TOKEN");
		secret_free(auth);
		buf_free(&url);
		return STEP_FAIL;
	}
	if (need_net(c->net != NULL &&
	    c->net->container != NULL, detail, what, e) != 0) {
		secret_free(auth);
		buf_free(&url);
		return STEP_OFFLINE;
	}
	rc = c->net->container(c->net->arg, buf_str(&url), auth, out, e);
	secret_free(auth);
	buf_free(&url);
	return net_result(c, rc, out, xstrdup(what), what, detail, e);
}

static int
run_container(struct chain *c, const char *profile, struct creds **out,
    struct buf *detail, struct err *e)
{
	(void)profile;
	return container_creds(c, out, detail, e);
}

/* EC2 instance metadata. */

static int
check_imds(struct chain *c, const char *profile)
{
	(void)profile;
	return !awsconfig_env_true(&c->cfg->env, "AWS_EC2_METADATA_DISABLED");
}

static char *
imds_endpoint(struct chain *c)
{
	const char	*v, *mode;
	char		*s;
	size_t		 len;

	v = env(c, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
	if (v == NULL)
		v = prof(c, c->cfg->profile, "ec2_metadata_service_endpoint");
	if (v == NULL) {
		mode = env(c, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
		if (mode == NULL)
			mode = prof(c, c->cfg->profile,
			    "ec2_metadata_service_endpoint_mode");
		v = mode != NULL && strcasecmp(mode, "ipv6") == 0 ?
		    "http://[fd00:ec2::254]" : "http://169.254.169.254";
	}
	s = xstrdup(v);
	len = strlen(s);
	while (len > 0 && s[len - 1] == '/')
		s[--len] = '\0';
	return s;
}

/* STEP_NONE when no metadata service or role answers. */
static int
imds_creds(struct chain *c, struct creds **out, struct buf *detail,
    struct err *e)
{
	const char	*what = core_tr(N_("EC2 instance metadata"));
	char		*ep;
	int		 rc;

	if (!check_imds(c, NULL)) {
		say(detail, N_("turned off by AWS_EC2_METADATA_DISABLED=true"));
		return STEP_SKIP;
	}
	if (need_net(c->net != NULL &&
	    c->net->imds != NULL, detail, what, e) != 0)
		return STEP_OFFLINE;
	ep = imds_endpoint(c);
	rc = c->net->imds(c->net->arg, ep, out, e);
	if (rc == 1) {
		say(detail, N_("no instance metadata service or instance role "
		    "answered at %s"), ep);
		free(ep);
		creds_free(*out);
		*out = NULL;
		return STEP_NONE;
	}
	free(ep);
	return net_result(c, rc, out, xstrdup(what), what, detail, e);
}

static int
run_imds(struct chain *c, const char *profile, struct creds **out,
    struct buf *detail, struct err *e)
{
	int	 rc;

	(void)profile;
	rc = imds_creds(c, out, detail, e);
	if (rc == STEP_OFFLINE) {
		/* The last step: nothing is lost by going on. */
		say(detail, N_("not checked: it needs the network, which this "
		    "run does not use"));
		err_clear(e);
		return STEP_SKIP;
	}
	return rc;
}

/* credential_process. */

static long
ms_since(const struct timespec *t0)
{
	struct timespec	 t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)(t.tv_sec - t0->tv_sec) * 1000 +
	    (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Read what is there; 0 at EOF, 1 still open, -1 when the cap is hit. */
static int
drain(int fd, struct buf *b, int keep_going_past_cap)
{
	char	 chunk[4096];
	ssize_t	 n;
	int	 rc = 1;

	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = errno == EAGAIN || errno == EWOULDBLOCK ? 1 : 0;
			break;
		}
		if (n == 0) {
			rc = 0;
			break;
		}
		if (buf_add(b, chunk, (size_t)n) != 0 &&
		    !keep_going_past_cap) {
			rc = -1;
			break;
		}
	}
	explicit_bzero(chunk, sizeof chunk);
	return rc;
}

static void
kill_group(pid_t pid)
{
	int	 status;

	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

/*
 * Run cmd with /bin/sh -c in its own process group, stdin from /dev/null,
 * collecting stdout (at most max bytes) and stderr.  0 with *status set
 * when it ended in time; -1 with e set otherwise (the group is killed).
 */
static int
run_process(const char *cmd, int timeout_ms, size_t max, struct buf *out,
    struct buf *errb, int *status, const char *what, struct err *e)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 attr;
	sigset_t			 none, dflt;
	struct timespec			 t0, nap = { 0, 10 * 1000000 };
	struct pollfd			 pfd[2];
	char *const			 argv[] = { (char *)"sh", (char *)"-c",
					    (char *)(uintptr_t)cmd, NULL };
	char				 eb[128];
	int				 op[2], ep[2], open_out = 1,
					 open_err = 1, rc, reaped = 0;
	pid_t				 pid, w;
	long				 left;
	nfds_t				 n;

	if (pipe2(op, O_CLOEXEC) != 0)
		goto syserr;
	if (pipe2(ep, O_CLOEXEC) != 0) {
		close(op[0]);
		close(op[1]);
		goto syserr;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, op[1], 1);
	posix_spawn_file_actions_adddup2(&fa, ep[1], 2);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGPIPE);
	sigaddset(&dflt, SIGINT);
	sigaddset(&dflt, SIGQUIT);
	sigaddset(&dflt, SIGTERM);
	sigaddset(&dflt, SIGCHLD);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dflt);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(op[1]);
	close(ep[1]);
	if (rc != 0) {
		close(op[0]);
		close(ep[0]);
		errno = rc;
		goto syserr;
	}
	fcntl(op[0], F_SETFL, O_NONBLOCK);
	fcntl(ep[0], F_SETFL, O_NONBLOCK);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		n = 0;
		if (open_out) {
			pfd[n].fd = op[0];
			pfd[n++].events = POLLIN;
		}
		if (open_err) {
			pfd[n].fd = ep[0];
			pfd[n++].events = POLLIN;
		}
		if (n == 0 || reaped)
			break;
		left = timeout_ms - ms_since(&t0);
		if (left <= 0)
			goto timeout;
		if (poll(pfd, n, left > 50 ? 50 : (int)left) < 0 &&
		    errno != EINTR)
			goto timeout;
		if (open_out) {
			rc = drain(op[0], out, 0);
			if (rc < 0) {
				kill_group(pid);
				close(op[0]);
				close(ep[0]);
				err_set(e, ERR_LIMIT, N_("%s printed more than "
				    "%zu KiB; it was stopped"), what,
				    max / 1024);
				return -1;
			}
			open_out = rc;
		}
		if (open_err)
			open_err = drain(ep[0], errb, 1);
		w = waitpid(pid, status, WNOHANG);
		if (w < 0 && errno == ECHILD) {
			/* Reaped by a SIGCHLD handler elsewhere. */
			*status = 0;
			w = pid;
		}
		if (w == pid) {
			/* Gone: take what it left in the pipes. */
			reaped = 1;
			if (open_out && drain(op[0], out, 0) < 0) {
				close(op[0]);
				close(ep[0]);
				err_set(e, ERR_LIMIT, N_("%s printed more than "
				    "%zu KiB"), what, max / 1024);
				return -1;
			}
			if (open_err)
				drain(ep[0], errb, 1);
		}
	}
	close(op[0]);
	close(ep[0]);
	while (!reaped) {
		w = waitpid(pid, status, WNOHANG);
		if (w < 0 && errno == ECHILD)
			*status = 0;
		if (w == pid || (w < 0 && errno == ECHILD))
			break;
		if (ms_since(&t0) >= timeout_ms) {
			kill_group(pid);
			goto timeout_closed;
		}
		nanosleep(&nap, NULL);
	}
	return 0;
timeout:
	kill_group(pid);
	close(op[0]);
	close(ep[0]);
timeout_closed:
	err_set(e, ERR_TIMEOUT, N_("%s did not finish within %g seconds and "
	    "was stopped; check the command, or whether it waits for input"),
	    what, timeout_ms / 1000.0);
	return -1;
syserr:
	err_set(e, ERR_IO, N_("cannot run %s: %s"), what,
	    strerror_r(errno, eb, sizeof eb));
	return -1;
}

/* The last non-empty line of stderr, masked, for a message. */
static const char *
stderr_tail(const struct buf *b, char *out, size_t size)
{
	const char	*s = buf_str(b), *end = s + b->len, *start;

	while (end > s && (end[-1] == '\n' || end[-1] == '\r' ||
	    end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end == s) {
		out[0] = '\0';
		return out;
	}
	for (start = end; start > s && start[-1] != '\n'; start--)
		;
	return ini_excerpt(start, (size_t)(end - start), out, size);
}

static int
check_process(struct chain *c, const char *profile)
{
	return prof(c, profile, "credential_process") != NULL;
}

static int
parse_process_output(struct chain *c, const char *profile, const char *what,
    const struct buf *o, struct creds **out, struct err *e)
{
	struct json	*root, *ver;
	const char	*akid, *sk, *tok, *exp, *acct;
	struct creds	*cr;
	struct err	 je;
	char		 ex[EXCERPT_SIZE];

	if (o->len == 0) {
		err_set(e, ERR_CREDENTIALS, N_("%s printed nothing; it must "
		    "print JSON with Version 1, AccessKeyId and "
		    "SecretAccessKey"), what);
		return -1;
	}
	root = json_parse(buf_str(o), o->len, &je);
	if (root == NULL || !json_is_object(root)) {
		err_set(e, ERR_CREDENTIALS, N_("%s printed %zu bytes that are "
		    "not a JSON object; it must print JSON with Version 1, "
		    "AccessKeyId and SecretAccessKey"), what, o->len);
		json_free(root);
		return -1;
	}
	ver = json_get(root, "Version");
	if (ver == NULL) {
		err_set(e, ERR_CREDENTIALS, N_("%s printed JSON without "
		    "\"Version\": 1"), what);
		goto fail;
	}
	if (!json_is_number(ver) || json_num(ver, 0) != 1) {
		if (json_is_number(ver))
			err_set(e, ERR_CREDENTIALS, N_("%s printed Version %g; "
			    "only Version 1 is supported"), what,
			    json_num(ver, 0));
		else
			err_set(e, ERR_CREDENTIALS, N_("%s printed a Version "
			    "that is not the number 1; only Version 1 is "
			    "supported"), what);
		goto fail;
	}
	akid = json_get_str(root, "AccessKeyId");
	sk = json_get_str(root, "SecretAccessKey");
	if (akid == NULL || *akid == '\0' || sk == NULL || *sk == '\0') {
		err_set(e, ERR_CREDENTIALS, N_("%s printed no %s"), what,
		    akid == NULL || *akid == '\0' ? "AccessKeyId" :
		    "SecretAccessKey");
		goto fail;
	}
	tok = json_get_str(root, "SessionToken");
	exp = json_get_str(root, "Expiration");
	cr = creds_new(akid, sk, tok != NULL && *tok != '\0' ? tok : NULL,
	    what);
	if (exp != NULL && creds_parse_time(exp, &cr->expiration) != 0) {
		err_set(e, ERR_CREDENTIALS, N_("%s printed Expiration %s, "
		    "which is not an ISO 8601 time"), what,
		    ini_excerpt(exp, strlen(exp), ex, sizeof ex));
		creds_free(cr);
		goto fail;
	}
	acct = json_get_str(root, "AccountId");
	if (acct == NULL)
		acct = prof(c, profile, "aws_account_id");
	if (acct != NULL)
		cr->account_id = xstrdup(acct);
	json_free(root);
	if (check_expiry(c, cr, what, e) != 0) {
		creds_free(cr);
		return -1;
	}
	*out = cr;
	return 0;
fail:
	json_free(root);
	return -1;
}

static int
run_process_step(struct chain *c, const char *profile, struct creds **out,
    struct buf *detail, struct err *e)
{
	const char		*cmd;
	struct awsconfig_hit	 hit;
	struct buf		 o, eb;
	char			*what, tail[EXCERPT_SIZE], when[48];
	int			 status, timeout, rc = STEP_FAIL;
	size_t			 max;

	cmd = awsconfig_get(c->cfg, profile, "credential_process", &hit);
	if (cmd == NULL)
		return STEP_NONE;
	what = fmt_text(N_("credential_process of profile %s"), profile);
	timeout = c->o->process_timeout_ms > 0 ? c->o->process_timeout_ms :
	    PROCESS_DEFAULT_MS;
	max = c->o->process_output_max > 0 ? c->o->process_output_max :
	    PROCESS_DEFAULT_MAX;
	buf_init(&o, max);
	buf_init(&eb, PROCESS_STDERR_MAX);
	if (run_process(cmd, timeout, max, &o, &eb, &status, what, e) != 0)
		goto done;
	if (WIFSIGNALED(status)) {
		err_set(e, ERR_CREDENTIALS, N_("%s was killed by signal %d"),
		    what, WTERMSIG(status));
		goto done;
	}
	if (WEXITSTATUS(status) != 0) {
		stderr_tail(&eb, tail, sizeof tail);
		if (*tail != '\0')
			err_set(e, ERR_CREDENTIALS, N_("%s failed with exit "
			    "status %d: %s"), what, WEXITSTATUS(status), tail);
		else
			err_set(e, ERR_CREDENTIALS, N_("%s failed with exit "
			    "status %d and printed no message"), what,
			    WEXITSTATUS(status));
		goto done;
	}
	if (parse_process_output(c, profile, what, &o, out, e) != 0)
		goto done;
	buf_reset(detail);
	buf_printf(detail, core_tr(N_("key %s from the command in %s line "
	    "%d")), (*out)->access_key_id, hit.file_name, hit.line);
	if ((*out)->expiration != 0)
		buf_printf(detail, core_tr(N_(", valid until %s")),
		    fmt_time((*out)->expiration, when, sizeof when));
	rc = STEP_OK;
done:
	if (rc != STEP_OK)
		err_where(e, "%s line %d", hit.file_name, hit.line);
	buf_wipe_free(&o);
	buf_wipe_free(&eb);
	free(what);
	return rc;
}

/* IAM Identity Center (SSO). */

char *
creds_sso_cache_file(const struct awsconfig *cfg, const char *key)
{
	const char	*home = awsconfig_getenv(&cfg->env, "HOME");
	struct buf	 b;
	char		 hex[CRYPTO_SHA1_HEXLEN + 1];

	if (home == NULL || crypto_sha1_hex(key, strlen(key), hex) != 0)
		return NULL;
	buf_init(&b, 0);
	buf_printf(&b, "%s/.aws/sso/cache/%s.json", home, hex);
	return buf_take(&b, NULL);
}

static int
check_sso(struct chain *c, const char *profile)
{
	return prof(c, profile, "sso_account_id") != NULL ||
	    prof(c, profile, "sso_role_name") != NULL;
}

/* The profile's SSO setting merged with its [sso-session]; -1 on conflict. */
static int
sso_setting(struct chain *c, const char *profile, const char *sname,
    const struct ini_section *sess, const char *key, const char **out,
    struct err *e)
{
	const char	*p = prof(c, profile, key);
	const char	*s = ini_get(sess, key);

	if (p != NULL && s != NULL && strcmp(p, s) != 0) {
		err_set(e, ERR_CONFIG, N_("%s differs between profile %s (%s) "
		    "and [sso-session %s] (%s); remove it from the profile"),
		    key, profile, p, sname, s);
		return -1;
	}
	*out = s != NULL ? s : p;
	return 0;
}

static int
run_sso(struct chain *c, const char *profile, struct creds **out,
    struct buf *detail, struct err *e)
{
	const struct ini_section	*sess = NULL;
	const char			*acct, *role, *sname, *url = NULL;
	const char			*region = NULL, *tok, *exp;
	struct json			*root = NULL;
	struct secret			*token = NULL;
	struct buf			 miss, b;
	struct err			 je;
	char				*path = NULL, *what = NULL, when[48];
	time_t				 texp;
	int				 rc = STEP_FAIL, r;

	acct = prof(c, profile, "sso_account_id");
	role = prof(c, profile, "sso_role_name");
	if (acct == NULL && role == NULL)
		return STEP_NONE;
	sname = prof(c, profile, "sso_session");
	if (sname != NULL) {
		sess = awsconfig_sso_session(c->cfg, sname);
		if (sess == NULL) {
			err_set(e, ERR_CONFIG, N_("profile %s names sso_session "
			    "%s, but %s has no [sso-session %s] section; run "
			    "`aws configure sso --profile %s`"), profile, sname,
			    awsconfig_file_name(c->cfg, AWSCONFIG_CONFIG),
			    sname, profile);
			return STEP_FAIL;
		}
	}
	if (sso_setting(c, profile, sname, sess, "sso_start_url", &url,
	    e) != 0 || sso_setting(c, profile, sname, sess, "sso_region",
	    &region, e) != 0)
		return STEP_FAIL;
	buf_init(&miss, 0);
	if (url == NULL)
		buf_printf(&miss, "%ssso_start_url", miss.len ? ", " : "");
	if (region == NULL)
		buf_printf(&miss, "%ssso_region", miss.len ? ", " : "");
	if (acct == NULL)
		buf_printf(&miss, "%ssso_account_id", miss.len ? ", " : "");
	if (role == NULL)
		buf_printf(&miss, "%ssso_role_name", miss.len ? ", " : "");
	if (miss.len > 0) {
		err_set(e, ERR_CONFIG, N_("profile %s is set up for IAM "
		    "Identity Center (SSO) but lacks %s; run `aws configure "
		    "sso --profile %s`"), profile, buf_str(&miss), profile);
		buf_free(&miss);
		return STEP_FAIL;
	}
	buf_free(&miss);
	what = sname != NULL ?
	    fmt_text(N_("SSO session %s (account %s, role %s)"), sname, acct,
	    role) : fmt_text(N_("SSO start URL %s (account %s, role %s)"),
	    url, acct, role);
	path = creds_sso_cache_file(c->cfg, sname != NULL ? sname : url);
	if (path == NULL) {
		err_set(e, ERR_CONFIG, N_("the SSO login cache cannot be found "
		    "(is HOME set?)"));
		goto done;
	}
	r = read_file(path, SSO_CACHE_MAX, &b,
	    core_tr(N_("the SSO token cache file")), e);
	if (r == 1) {
		err_set(e, ERR_CREDENTIALS, N_("no SSO login found for %s (no "
		    "file %s); run `aws sso login --profile %s`"), sname !=
		    NULL ? sname : url, path, profile);
		goto done;
	}
	if (r != 0)
		goto done;
	root = json_parse(buf_str(&b), b.len, &je);
	buf_wipe_free(&b);
	tok = json_get_str(root, "accessToken");
	exp = json_get_str(root, "expiresAt");
	if (tok == NULL || exp == NULL || creds_parse_time(exp, &texp) != 0) {
		err_set(e, ERR_CREDENTIALS, N_("the SSO token cache file %s is "
		    "damaged (no accessToken or expiresAt); run `aws sso login "
		    "--profile %s`"), path, profile);
		goto done;
	}
	if (texp <= c->o->now) {
		err_set(e, ERR_CREDENTIALS, N_("the SSO login for %s expired "
		    "at %s; run `aws sso login --profile %s`"), sname != NULL ?
		    sname : url, fmt_time(texp, when, sizeof when), profile);
		goto done;
	}
	token = secret_from_str(tok);
	if (need_net(c->net != NULL &&
	    c->net->sso_get_role_credentials != NULL, detail, what, e) != 0) {
		rc = STEP_OFFLINE;
		goto done;
	}
	r = c->net->sso_get_role_credentials(c->net->arg, region, token, acct,
	    role, out, e);
	rc = net_result(c, r, out, xstrdup(what), what, detail, e);
	if (rc == STEP_OK && (*out)->account_id == NULL)
		(*out)->account_id = xstrdup(acct);
	if (rc == STEP_OK)
		buf_printf(detail, core_tr(N_("; SSO login valid until %s")),
		    fmt_time(texp, when, sizeof when));
done:
	if (rc == STEP_FAIL && e != NULL && e->where[0] == '\0' && path != NULL)
		err_where(e, "%s", path);
	secret_free(token);
	json_free(root);
	free(path);
	free(what);
	return rc;
}

/* Web identity. */

static const char *
web_setting(struct chain *c, const char *profile, const char *var,
    const char *key)
{
	const char	*v = c->env_off ? NULL : env(c, var);

	return v != NULL ? v : prof(c, profile, key);
}

static int
check_web(struct chain *c, const char *profile)
{
	return web_setting(c, profile, "AWS_WEB_IDENTITY_TOKEN_FILE",
	    "web_identity_token_file") != NULL;
}

static int
run_web(struct chain *c, const char *profile, struct creds **out,
    struct buf *detail, struct err *e)
{
	struct creds_web_identity_params	 p;
	const char				*file, *arn, *name;
	struct secret				*tok;
	struct buf				 b;
	char					*what, sess[64];
	int					 r, rc;

	file = web_setting(c, profile, "AWS_WEB_IDENTITY_TOKEN_FILE",
	    "web_identity_token_file");
	if (file == NULL)
		return STEP_NONE;
	arn = web_setting(c, profile, "AWS_ROLE_ARN", "role_arn");
	if (arn == NULL) {
		err_set(e, ERR_CONFIG, N_("a web identity token file is set "
		    "(%s) but no role to assume; set AWS_ROLE_ARN, or role_arn "
		    "in profile %s"), file, profile);
		return STEP_FAIL;
	}
	name = web_setting(c, profile, "AWS_ROLE_SESSION_NAME",
	    "role_session_name");
	if (name == NULL) {
		snprintf(sess, sizeof sess, "bedrock-setup-%lld",
		    (long long)c->o->now);
		name = sess;
	}
	r = read_file(file, TOKEN_FILE_MAX, &b,
	    core_tr(N_("the web identity token file")), e);
	if (r == 1)
		err_set(e, ERR_CONFIG, N_("the web identity token file %s does "
		    "not exist"), file);
	if (r != 0)
		return STEP_FAIL;
	tok = secret_new(buf_str(&b), b.len);
	buf_wipe_free(&b);
	what = fmt_text(N_("web identity role %s (token file %s)"), arn, file);
	if (need_net(c->net != NULL &&
	    c->net->assume_role_web_identity != NULL, detail, what, e) != 0) {
		secret_free(tok);
		free(what);
		return STEP_OFFLINE;
	}
	memset(&p, 0, sizeof p);
	p.role_arn = arn;
	p.role_session_name = name;
	p.token = tok;
	p.token_file = file;
	p.region = c->o->region;
	r = c->net->assume_role_web_identity(c->net->arg, &p, out, e);
	secret_free(tok);
	rc = net_result(c, r, out, what, what, detail, e);
	return rc;
}

/* Assume role. */

static int assume_role(struct chain *, const char *, struct creds **,
    struct buf *, struct err *);

static int
check_role(struct chain *c, const char *profile)
{
	return prof(c, profile, "role_arn") != NULL &&
	    prof(c, profile, "web_identity_token_file") == NULL;
}

static int
run_role(struct chain *c, const char *profile, struct creds **out,
    struct buf *detail, struct err *e)
{
	if (!check_role(c, profile))
		return STEP_NONE;
	return assume_role(c, profile, out, detail, e);
}

static const struct step {
	enum creds_source	 id;
	const char		*label;
	int			 for_source;	/* in a source_profile chain */
	step_check		 check;
	step_run		 run;
} steps[] = {
	{ CREDS_SRC_ENV, N_("environment variables (AWS_ACCESS_KEY_ID)"), 0,
	    check_env, run_env },
	{ CREDS_SRC_ASSUME_ROLE, N_("assume role (role_arn)"), 0,
	    check_role, run_role },
	{ CREDS_SRC_WEB_IDENTITY, N_("web identity "
	    "(web_identity_token_file)"), 1, check_web, run_web },
	{ CREDS_SRC_SSO, N_("IAM Identity Center (SSO)"), 1, check_sso,
	    run_sso },
	{ CREDS_SRC_CREDENTIALS_FILE, N_("keys in the credentials file"), 1,
	    check_credfile, run_credfile },
	{ CREDS_SRC_LOGIN, N_("console login (login_session)"), 1,
	    check_login, run_login },
	{ CREDS_SRC_PROCESS, N_("credential_process"), 1, check_process,
	    run_process_step },
	{ CREDS_SRC_CONFIG_FILE, N_("keys in the config file"), 1,
	    check_conffile, run_conffile },
	{ CREDS_SRC_CONTAINER, N_("container credentials (ECS, EKS)"), 0,
	    check_container, run_container },
	{ CREDS_SRC_IMDS, N_("EC2 instance metadata (IMDS)"), 0, check_imds,
	    run_imds },
};

/* Credentials of a profile named by source_profile. */
static int
source_profile_creds(struct chain *c, const char *src, struct creds **out,
    struct buf *detail, struct err *e)
{
	size_t	 i;
	int	 rc, env_off = c->env_off;

	if (has_keys(c, AWSCONFIG_CREDENTIALS, src) ||
	    has_keys(c, AWSCONFIG_CONFIG, src) || !check_role(c, src)) {
		c->env_off = 1;
		for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
			if (!steps[i].for_source)
				continue;
			rc = steps[i].run(c, src, out, detail, e);
			if (rc == STEP_NONE || rc == STEP_SKIP)
				continue;
			c->env_off = env_off;
			return rc;
		}
		c->env_off = env_off;
		err_set(e, ERR_CONFIG, N_("profile %s, used as source_profile, "
		    "has no credentials; give it keys, SSO or "
		    "credential_process"), src);
		return STEP_FAIL;
	}
	return assume_role(c, src, out, detail, e);
}

/* Point e at the line of the config files that sets profile's key. */
static void
where_setting(struct chain *c, const char *profile, const char *key,
    struct err *e)
{
	struct awsconfig_hit	 h;

	if (awsconfig_get(c->cfg, profile, key, &h) != NULL && h.line > 0)
		err_where(e, "%s line %d", h.file_name, h.line);
}

static void
loop_error(struct chain *c, const char *src, struct err *e)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b, 4096);
	for (i = 0; i < c->nvisited; i++)
		buf_printf(&b, "%s → ", c->visited[i]);
	buf_addstr(&b, src);
	err_set(e, ERR_CONFIG, N_("source_profile loop: %s; give one of these "
	    "profiles credentials of its own (keys, SSO or "
	    "credential_process)"), buf_str(&b));
	buf_free(&b);
}

static int
source_creds(struct chain *c, const char *profile, const char *src,
    const char *csrc, struct creds **out, struct buf *detail,
    struct err *e)
{
	struct buf	 sub;
	size_t		 i;
	char		*names;
	int		 rc;

	buf_init(&sub, 0);
	if (csrc != NULL) {
		if (strcmp(csrc, "Environment") == 0)
			rc = env_creds(c, out, &sub, e);
		else if (strcmp(csrc, "EcsContainer") == 0)
			rc = container_creds(c, out, &sub, e);
		else if (strcmp(csrc, "Ec2InstanceMetadata") == 0)
			rc = imds_creds(c, out, &sub, e);
		else {
			err_set(e, ERR_CONFIG, N_("credential_source %s in "
			    "profile %s is not valid; use Environment, "
			    "Ec2InstanceMetadata or EcsContainer"), csrc,
			    profile);
			rc = STEP_FAIL;
		}
		if (rc == STEP_NONE || rc == STEP_SKIP) {
			err_set(e, ERR_CREDENTIALS, N_("profile %s takes its "
			    "credentials from credential_source %s, which has "
			    "none%s%s"), profile, csrc, sub.len ? ": " : "",
			    buf_str(&sub));
			rc = STEP_FAIL;
		}
		if (rc == STEP_OFFLINE)
			buf_addstr(detail, buf_str(&sub));
		buf_free(&sub);
		return rc;
	}
	if (!awsconfig_has_profile(c->cfg, src)) {
		names = awsconfig_profile_names(c->cfg, 20);
		err_set(e, ERR_CONFIG, N_("profile %s names source_profile %s, "
		    "which does not exist; the profiles are: %s"), profile,
		    src, names);
		where_setting(c, profile, "source_profile", e);
		free(names);
		buf_free(&sub);
		return STEP_FAIL;
	}
	for (i = 0; i < c->nvisited; i++) {
		if (strcmp(c->visited[i], src) != 0)
			continue;
		if (strcmp(src, profile) == 0 &&
		    (has_keys(c, AWSCONFIG_CREDENTIALS, src) ||
		    has_keys(c, AWSCONFIG_CONFIG, src)))
			break;
		loop_error(c, src, e);
		where_setting(c, profile, "source_profile", e);
		buf_free(&sub);
		return STEP_FAIL;
	}
	if (c->nvisited == MAX_CHAIN) {
		err_set(e, ERR_CONFIG, N_("the source_profile chain from "
		    "profile %s is longer than %d profiles"), c->visited[0],
		    MAX_CHAIN);
		buf_free(&sub);
		return STEP_FAIL;
	}
	c->visited[c->nvisited++] = src;
	rc = source_profile_creds(c, src, out, &sub, e);
	if (rc == STEP_OFFLINE)
		buf_addstr(detail, buf_str(&sub));
	buf_free(&sub);
	return rc;
}

static int
assume_role(struct chain *c, const char *profile, struct creds **out,
    struct buf *detail, struct err *e)
{
	struct creds_assume_params	 p;
	struct creds			*src = NULL;
	const char			*srcp, *csrc, *dur;
	char				 sess[64], code[64], *what, *end;
	long				 d;
	int				 rc;

	memset(&p, 0, sizeof p);
	p.profile = profile;
	p.role_arn = prof(c, profile, "role_arn");
	srcp = prof(c, profile, "source_profile");
	csrc = prof(c, profile, "credential_source");
	if (srcp != NULL && csrc != NULL) {
		err_set(e, ERR_CONFIG, N_("profile %s sets both source_profile "
		    "and credential_source; keep only one"), profile);
		return STEP_FAIL;
	}
	if (srcp == NULL && csrc == NULL) {
		err_set(e, ERR_CONFIG, N_("profile %s has role_arn but neither "
		    "source_profile nor credential_source; add source_profile "
		    "= NAME, naming a profile with credentials"), profile);
		return STEP_FAIL;
	}
	p.role_session_name = prof(c, profile, "role_session_name");
	if (p.role_session_name == NULL) {
		snprintf(sess, sizeof sess, "bedrock-setup-%lld",
		    (long long)c->o->now);
		p.role_session_name = sess;
	}
	p.external_id = prof(c, profile, "external_id");
	p.mfa_serial = prof(c, profile, "mfa_serial");
	p.region = c->o->region;
	dur = prof(c, profile, "duration_seconds");
	if (dur != NULL) {
		errno = 0;
		d = strtol(dur, &end, 10);
		if (errno != 0 || end == dur || *end != '\0' || d < 900 ||
		    d > 43200) {
			err_set(e, ERR_CONFIG, N_("duration_seconds in profile "
			    "%s must be a number of seconds from 900 to "
			    "43200"), profile);
			return STEP_FAIL;
		}
		p.duration_seconds = (int)d;
	}
	rc = source_creds(c, profile, srcp, csrc, &src, detail, e);
	if (rc != STEP_OK)
		return rc;
	what = srcp != NULL ?
	    fmt_text(N_("assumed role %s via profile %s"), p.role_arn, srcp) :
	    fmt_text(N_("assumed role %s via credential_source %s"),
	    p.role_arn, csrc);
	if (need_net(c->net != NULL &&
	    c->net->assume_role != NULL, detail, what, e) != 0) {
		creds_free(src);
		free(what);
		return STEP_OFFLINE;
	}
	if (p.mfa_serial != NULL) {
		if (c->net->mfa_code == NULL) {
			err_set(e, ERR_CREDENTIALS, N_("profile %s needs an MFA "
			    "code (mfa_serial %s), and there is no way to ask "
			    "for one here"), profile, p.mfa_serial);
			creds_free(src);
			free(what);
			return STEP_FAIL;
		}
		if (c->net->mfa_code(c->net->arg, p.mfa_serial, profile, code,
		    sizeof code, e) != 0) {
			creds_free(src);
			free(what);
			return STEP_FAIL;
		}
		p.mfa_code = code;
	}
	rc = c->net->assume_role(c->net->arg, src, &p, out, e);
	explicit_bzero(code, sizeof code);
	rc = net_result(c, rc, out, what, what, detail, e);
	if (rc == STEP_OK)
		buf_printf(detail, core_tr(N_("; source: %s")), src->source);
	creds_free(src);
	return rc;
}

/* The walk. */

const char *
creds_state_name(enum creds_state s)
{
	switch (s) {
	case CREDS_SKIPPED:
		return N_("skipped");
	case CREDS_FAILED:
		return N_("failed");
	case CREDS_USED:
		return N_("used");
	case CREDS_NOT_CONFIGURED:
		break;
	}
	return N_("not configured");
}

void
creds_report_free(struct creds_report *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < CREDS_SRC_COUNT; i++)
		free(r->rows[i].detail);
	for (i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	creds_free(r->creds);
	secret_free(r->bearer);
	free(r->profile);
	free(r);
}

static void
set_row(struct creds_row *row, enum creds_state state, const struct buf *d)
{
	row->state = state;
	free(row->detail);
	row->detail = d != NULL && d->len > 0 ? xstrdup(buf_str(d)) : NULL;
}

/* Mark the steps after the one that ended the walk. */
static void
mark_rest(struct chain *c, size_t from, const char *ender, int failed)
{
	struct buf	 d;
	size_t		 i;

	buf_init(&d, 0);
	for (i = from; i < sizeof steps / sizeof steps[0]; i++) {
		if (!steps[i].check(c, c->cfg->profile))
			continue;
		if (failed)
			say(&d, N_("not tried: the chain stops at %s, as the "
			    "AWS SDKs do"), ender);
		else
			say(&d, N_("not reached: the chain uses %s first"),
			    ender);
		set_row(&c->r->rows[steps[i].id], CREDS_SKIPPED, &d);
	}
	buf_free(&d);
}

int
creds_resolve(const struct creds_opts *o, struct creds_report **out,
    struct err *e)
{
	struct chain		 c;
	struct creds_report	*r;
	struct creds		*cr;
	struct buf		 d;
	struct err		 se;
	const char		*label;
	size_t			 i;
	int			 rc;

	r = xcalloc(1, sizeof *r);
	*out = r;
	r->profile = xstrdup(o->cfg->profile);
	r->used = -1;
	r->rows[CREDS_SRC_BEARER].label =
	    core_tr(N_("Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)"));
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		r->rows[steps[i].id].source = steps[i].id;
		r->rows[steps[i].id].label = core_tr(steps[i].label);
	}
	memset(&c, 0, sizeof c);
	c.o = o;
	c.cfg = o->cfg;
	c.net = o->net;
	c.r = r;
	c.explicit = c.env_off =
	    o->cfg->profile_from == AWSCONFIG_FROM_EXPLICIT;
	c.visited[c.nvisited++] = o->cfg->profile;
	bearer(&c);
	if (awsconfig_check_profile(o->cfg, o->cfg->profile, e) != 0)
		return -1;
	buf_init(&d, 0);
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		cr = NULL;
		err_clear(&se);
		buf_reset(&d);
		c.nvisited = 1;
		rc = steps[i].run(&c, o->cfg->profile, &cr, &d, &se);
		label = r->rows[steps[i].id].label;
		switch (rc) {
		case STEP_NONE:
			set_row(&r->rows[steps[i].id], CREDS_NOT_CONFIGURED,
			    &d);
			continue;
		case STEP_SKIP:
			set_row(&r->rows[steps[i].id], CREDS_SKIPPED, &d);
			continue;
		case STEP_OK:
			set_row(&r->rows[steps[i].id], CREDS_USED, &d);
			r->creds = cr;
			r->used = (int)steps[i].id;
			mark_rest(&c, i + 1, label, 0);
			buf_free(&d);
			return 0;
		case STEP_OFFLINE:
			set_row(&r->rows[steps[i].id], CREDS_SKIPPED, &d);
			break;
		default:
			buf_reset(&d);
			buf_addstr(&d, se.message);
			set_row(&r->rows[steps[i].id], CREDS_FAILED, &d);
			if (se.kind == ERR_NONE)
				err_set(&se, ERR_INTERNAL, N_("%s failed"),
				    label);
			break;
		}
		creds_free(cr);
		mark_rest(&c, i + 1, label, 1);
		err_copy(e, &se);
		buf_free(&d);
		return -1;
	}
	buf_free(&d);
	err_set(e, ERR_CREDENTIALS, N_("no AWS credentials found for profile "
	    "%s; set up keys with `aws configure --profile %s`, or IAM "
	    "Identity Center with `aws configure sso`"), o->cfg->profile,
	    o->cfg->profile);
	return -1;
}
