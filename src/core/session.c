/*
 * session.c: one run's AWS set-up (see session.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "awsconfig.h"
#include "creds.h"
#include "demo.h"
#include "credsnet.h"
#include "endpoint.h"
#include "err.h"
#include "http.h"
#include "i18n.h"
#include "session.h"
#include "xalloc.h"

static const char *
session_getenv(void *arg, const char *name)
{
	struct session	*s = arg;

	return awsconfig_getenv(&s->cfg->env, name);
}

/* A [services] entry or profile endpoint_url, as awsconfig finds it. */
static const char *
session_config_url(void *arg, const char *key)
{
	struct session		*s = arg;
	struct awsconfig_setting set;
	char			 svc[64];
	size_t			 i;

	/* endpoint.c keys use '_' ("bedrock_runtime"); awsconfig '-'. */
	for (i = 0; key[i] != '\0' && i + 1 < sizeof svc; i++)
		svc[i] = key[i] == '_' ? '-' : key[i];
	svc[i] = '\0';
	memset(&set, 0, sizeof set);
	if (awsconfig_endpoint_url(s->cfg, svc, &set) != 0) {
		awsconfig_setting_clear(&set);
		return NULL;
	}
	free(s->endpoint_url);
	s->endpoint_url = set.value;
	set.value = NULL;
	awsconfig_setting_clear(&set);
	return s->endpoint_url;
}

static void
session_simulate(void *arg, const struct http_sim_request *req,
    struct http_sim_reply *reply)
{
	struct session	*s = arg;

	pthread_mutex_lock(&s->demo_lock);
	demo_simulate(s->demo, req, reply);
	pthread_mutex_unlock(&s->demo_lock);
}

/* A demo session: an empty environment, the demo's Region. */
static int
session_open_demo(const struct session_opts *o, struct session *s,
    struct err *e)
{
	static const char *const none[] = { NULL };
	static struct awsconfig_env empty;

	if ((s->demo = demo_new(o->demo, e)) == NULL)
		return -1;
	pthread_mutex_init(&s->demo_lock, NULL);
	awsconfig_env_list(&empty, none);
	if (awsconfig_load(&s->cfg, &empty, NULL, e) != 0)
		return -1;
	if (o->region != NULL) {
		if (awsconfig_region(s->cfg, o->region, &s->region, e) < 0)
			return -1;
	} else
		demo_region_setting(s->demo, &s->region);
	return 0;
}

/*
 * The CA bundle must be a file we can read.  Left to curl, a wrong path
 * fails only the first https:// call, as a TLS error that does not say
 * where the path was set, and never a plain http:// one.
 */
static int
ca_bundle_check(const struct awsconfig_setting *ca, struct err *e)
{
	struct stat	 st;
	int		 fd, rc = 0;

	fd = open(ca->value, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1 || fstat(fd, &st) != 0) {
		err_set(e, ERR_CONFIG, N_("the CA bundle %s (from %s) cannot "
		    "be read: %s; point it at a file of PEM certificates, or "
		    "unset it to use the system's"), ca->value, ca->source,
		    strerror(errno));
		rc = -1;
	} else if (!S_ISREG(st.st_mode)) {
		err_set(e, ERR_CONFIG, N_("the CA bundle %s (from %s) is not a "
		    "file; point it at a file of PEM certificates, or unset it "
		    "to use the system's"), ca->value, ca->source);
		rc = -1;
	}
	if (fd != -1)
		close(fd);
	if (rc != 0)
		err_where(e, "%s", ca->source);
	return rc;
}

int
session_open(const struct session_opts *o, struct session **out,
    struct err *e)
{
	struct session		*s;
	struct http_config	 hc;
	struct awsconfig_setting ca;
	const char		*v;
	char			*end;
	long			 n;

	*out = NULL;
	s = xcalloc(1, sizeof *s);
	if (o->demo != NULL) {
		if (session_open_demo(o, s, e) != 0) {
			session_close(s);
			return -1;
		}
	} else if (awsconfig_load(&s->cfg, awsconfig_env_process(),
	    o->profile, e) != 0) {
		free(s);
		return -1;
	} else if (awsconfig_region(s->cfg, o->region, &s->region, e) < 0) {
		session_close(s);
		return -1;
	}
	memset(&hc, 0, sizeof hc);
	memset(&ca, 0, sizeof ca);
	if (awsconfig_ca_bundle(s->cfg, &ca) == 0 && ca.value != NULL &&
	    *ca.value != '\0') {
		if (s->demo == NULL && ca_bundle_check(&ca, e) != 0) {
			awsconfig_setting_clear(&ca);
			session_close(s);
			return -1;
		}
		s->ca_bundle = ca.value;
		ca.value = NULL;
		hc.ca_bundle = s->ca_bundle;
	}
	v = awsconfig_getenv(&s->cfg->env, "AWS_MAX_ATTEMPTS");
	if (v != NULL && *v != '\0') {
		n = strtol(v, &end, 10);
		if (*end != '\0' || n < 1 || n > 20) {
			err_set(e, ERR_CONFIG, N_("AWS_MAX_ATTEMPTS must be a "
			    "whole number from 1 to 20, not '%s'"), v);
			err_where(e, "AWS_MAX_ATTEMPTS");
			awsconfig_setting_clear(&ca);
			session_close(s);
			return -1;
		}
		hc.max_attempts = (int)n;
		s->max_attempts = (int)n;
	}
	hc.trace = o->trace;
	hc.trace_arg = o->trace_arg;
	hc.on_retry = o->on_retry;
	hc.on_retry_arg = o->on_retry_arg;
	hc.timeout_ms = o->timeout_ms;
	hc.cancelled = o->cancelled;
	hc.cancelled_arg = o->cancelled_arg;
	if (s->demo != NULL) {
		hc.simulate = session_simulate;
		hc.simulate_arg = s;
	}
	s->hc = hc;
	s->http = http_client_new(&hc);
	awsconfig_setting_clear(&ca);

	s->eps.cli_url = s->demo != NULL ? NULL : o->endpoint_url;
	s->eps.getenv = session_getenv;
	s->eps.getenv_arg = s;
	s->eps.config_url = session_config_url;
	s->eps.config_arg = s;
	v = awsconfig_getenv(&s->cfg->env, "AWS_STS_REGIONAL_ENDPOINTS");
	s->eps.sts_legacy = v != NULL && strcasecmp(v, "legacy") == 0;
	s->cn.http = s->http;
	s->cn.endpoints = &s->eps;
	s->cn.imds_endpoint = awsconfig_getenv(&s->cfg->env,
	    "AWS_EC2_METADATA_SERVICE_ENDPOINT");
	credsnet_bind(&s->cn, &s->net);
	*out = s;
	return 0;
}

int
session_resolve_creds_with(const struct session *s, struct http_client *http,
    time_t now, struct creds_report **out, struct err *e)
{
	struct creds_opts	 co;
	struct credsnet		 cn;
	struct creds_net	 net;
	struct creds		*cr = NULL;
	int			 r;

	*out = NULL;
	if (s->demo != NULL) {
		r = demo_credentials(s->demo, now, &cr, out, e);
		creds_free(cr);		/* the report holds its own copy */
		return r;
	}
	cn = s->cn;
	cn.http = http;
	credsnet_bind(&cn, &net);
	memset(&co, 0, sizeof co);
	co.cfg = s->cfg;
	co.net = &net;
	co.now = now;
	co.region = s->region.value;
	return creds_resolve(&co, out, e);
}

int
session_resolve_creds(struct session *s, time_t now, struct err *e)
{
	creds_report_free(s->report);
	s->report = NULL;
	return session_resolve_creds_with(s, s->http, now, &s->report, e);
}

const struct creds *
session_creds(const struct session *s)
{
	return s->report != NULL ? s->report->creds : NULL;
}

int
session_endpoint(struct session *s, enum endpoint_service svc,
    const char *region, struct endpoint *ep, struct err *e)
{
	if (region == NULL)
		region = s->region.value;
	if (region == NULL) {
		err_set(e, ERR_CONFIG, N_("no Region is set: pass --region, "
		    "set AWS_REGION, or add 'region = us-east-1' (for "
		    "example) to the profile in ~/.aws/config"));
		return -1;
	}
	return endpoint_resolve(svc, region, &s->eps, ep, e);
}

struct http_client *
session_http_new(const struct session *s, int (*cancelled)(void *),
    void *arg)
{
	struct http_config	 hc = s->hc;

	hc.cancelled = cancelled;
	hc.cancelled_arg = arg;
	return http_client_new(&hc);
}

void
session_close(struct session *s)
{
	if (s == NULL)
		return;
	creds_report_free(s->report);
	http_client_free(s->http);
	if (s->demo != NULL) {
		demo_free(s->demo);
		pthread_mutex_destroy(&s->demo_lock);
	}
	awsconfig_setting_clear(&s->region);
	awsconfig_free(s->cfg);
	free(s->endpoint_url);
	free(s->ca_bundle);
	free(s);
}
