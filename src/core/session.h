/*
 * session.h: everything needed to talk to AWS, set up once per run for the
 * subcommands and the wizard: the config files and profile, the Region and
 * where it came from, the credential chain and its report, endpoint
 * overrides, and the HTTP client (with the debug trace when asked).
 *
 *	session_open(&opts, &s, &err);		files, profile, Region
 *	session_resolve_creds(s, &err);		the credential chain
 *	session_endpoint(s, EP_STS, NULL, &ep, &err);
 *	... http calls with s->http ...
 *	session_close(s);
 */
#ifndef BS_SESSION_H
#define BS_SESSION_H

#include <pthread.h>
#include <time.h>

#include "awsconfig.h"
#include "creds.h"
#include "credsnet.h"
#include "endpoint.h"
#include "http.h"

struct demo;
struct err;

struct session_opts {
	const char	*demo;		/* --demo scenario, or NULL */
	const char	*profile;	/* --profile */
	const char	*region;	/* --region */
	const char	*endpoint_url;	/* --endpoint-url */
	/* The debug trace (--debug), one line a call; NULL: none. */
	void		(*trace)(void *arg, const char *line);
	void		*trace_arg;
	/* Told before each retry's wait; NULL: nothing. */
	void		(*on_retry)(void *arg, const struct http_retry_info *);
	void		*on_retry_arg;
	long		 timeout_ms;	/* per request; 0: the default */
	/* Polled during requests: non-zero cancels them (the TUI). */
	int		(*cancelled)(void *arg);
	void		*cancelled_arg;
};

struct session {
	struct awsconfig	*cfg;
	struct awsconfig_setting region;	/* value NULL: none set */
	struct creds_report	*report;	/* after session_resolve_creds */
	struct http_client	*http;
	struct endpoint_sources	 eps;
	struct credsnet		 cn;
	struct creds_net	 net;
	char			*endpoint_url;
	int			 max_attempts;
	struct http_config	 hc;		/* what http was made with */
	char			*ca_bundle;
	struct demo		*demo;		/* the simulated account, or NULL */
	pthread_mutex_t		 demo_lock;	/* the demo serves one at a time */
};

/*
 * Load the config files and settle the profile and Region.  -1 with err
 * set for a malformed file, a profile that does not exist, or a Region
 * name that is not one (each naming the file, line or variable).
 * With opts->demo, nothing of the machine is read (no files, no AWS_*
 * variables, no endpoint overrides): the demo account answers every
 * request, still signed, through the HTTP layer's simulation hook.
 */
int		 session_open(const struct session_opts *, struct session **,
		     struct err *);
/*
 * Run the credential chain (with its network steps).  0 when SigV4
 * credentials were found; -1 with err set otherwise (s->report still
 * says what was looked at).
 */
int		 session_resolve_creds(struct session *, time_t now,
		     struct err *);
/*
 * The same, without touching the session: the chain's network steps use
 * http (which may belong to another thread); *out gets the report (free
 * it with creds_report_free()) even on failure.  Safe to call from a
 * worker thread while the session is only read.
 */
int		 session_resolve_creds_with(const struct session *,
		     struct http_client *http, time_t now,
		     struct creds_report **out, struct err *);
/* The credentials in use, or NULL. */
const struct creds *session_creds(const struct session *);
/* The endpoint of a service in region (NULL: the session's Region). */
int		 session_endpoint(struct session *, enum endpoint_service,
		     const char *region, struct endpoint *, struct err *);
/*
 * Another HTTP client like the session's, for work on another thread
 * (a client is not shared between threads); cancelled may be NULL.
 * Free it with http_client_free().
 */
struct http_client *session_http_new(const struct session *,
		     int (*cancelled)(void *), void *arg);
void		 session_close(struct session *);

#endif
