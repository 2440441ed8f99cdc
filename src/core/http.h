/*
 * http.h: the one HTTP layer, over libcurl (http.c is the core's only curl
 * user).
 *
 * A client owns a curl multi handle, so connections are reused and many
 * requests run at once.  Requests are signed (SigV4 or a bearer token) by
 * the layer itself, again on every retry, so the signing time is fresh.
 *
 * Two ways to use it:
 *  - blocking: http_do() for one request, http_do_many() for a batch that
 *    runs in parallel (the Region sweep);
 *  - driven: http_start() adds transfers, and the caller's loop calls
 *    http_perform() (which can also wait on the caller's own descriptors,
 *    such as the terminal), then http_take_done() for finished ones.
 *
 * Retries follow the AWS SDKs' "standard" mode: at most max_attempts
 * attempts (AWS_MAX_ATTEMPTS, default 3), exponential backoff with full
 * jitter capped at 20 s, on throttling codes, 500/502/503/504, and
 * connection failures; never once streamed bytes have been delivered.
 */
#ifndef BS_HTTP_H
#define BS_HTTP_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "err.h"
#include "hdr.h"

struct creds;
struct secret;

enum http_auth_kind {
	HTTP_AUTH_NONE = 0,
	HTTP_AUTH_SIGV4,	/* sign with creds for (region, service) */
	HTTP_AUTH_BEARER	/* Authorization: Bearer <token> */
};

struct http_auth {
	enum http_auth_kind	 kind;
	const struct creds	*creds;		/* SIGV4 */
	const char		*region;	/* SIGV4 signing Region */
	const char		*service;	/* SIGV4 signing name */
	const struct secret	*bearer;	/* BEARER */
};

/*
 * Called with each piece of a 2xx response body as it arrives, when set.
 * Return 0 to go on, non-zero to stop the transfer (ERR_CANCELLED).
 */
typedef int (*http_data_cb)(void *arg, const void *data, size_t len);

struct http_request {
	const char		*op;		/* for traces: "ConverseStream" */
	const char		*method;	/* "GET", "POST", ... */
	const char		*url;		/* path already percent-encoded */
	const struct hdr_list	*headers;	/* extra headers, may be NULL */
	const void		*body;
	size_t			 body_len;
	struct http_auth	 auth;
	http_data_cb		 on_data;	/* stream 2xx bodies, or NULL */
	void			*on_data_arg;
	long			 timeout_ms;	/* 0: the client's default */
	int			 max_attempts;	/* 0: the client's default */
	int			 fresh_connect;	/* no reuse: latency probes */
	int			 allow_link_local; /* http:// to IMDS/ECS hosts */
};

struct http_response {
	long			 status;	/* 0 when no answer came */
	struct hdr_list		 headers;
	struct buf		 body;		/* not filled for streamed 2xx */
	double			 connect_ms;	/* TCP connect done */
	double			 appconnect_ms;	/* TLS done (0 for http) */
	double			 ttfb_ms;	/* first response byte */
	double			 total_ms;
	int			 attempts;
	int			 have_date;	/* the server sent Date: */
	long			 clock_offset;	/* server minus local, seconds */
	size_t			 streamed;	/* bytes given to on_data */
};

struct http_retry_info {
	const char		*op;
	int			 attempt;	/* the one that failed, from 1 */
	int			 max_attempts;
	long			 delay_ms;
	const struct err	*cause;
};

/*
 * Simulation: instead of the network, a simulator answers (the demo
 * account).  The request is still built and signed exactly as for AWS;
 * the simulator sees it and fills a reply whose body comes in timed
 * pieces, played back by http_perform() so streaming and latency look
 * real and never block the caller's loop.
 */
struct http_sim_request {
	const char		*op;
	const char		*method;
	const char		*url;
	const struct hdr_list	*headers;	/* as sent, signed */
	const void		*body;
	size_t			 body_len;
};

struct http_sim_piece {
	double		 delay_ms;	/* after the previous piece */
	char		*data;
	size_t		 len;
};

struct http_sim_reply {
	long			 status;
	struct hdr_list		 headers;
	double			 ttfb_ms;	/* before status and headers */
	struct http_sim_piece	*pieces;
	size_t			 npieces, cap;
	enum err_kind		 fail;		/* ERR_NETWORK etc., or 0 */
	char			 fail_message[256];
};

/* Append a body piece arriving delay_ms after the previous one. */
void	 http_sim_reply_add(struct http_sim_reply *, double delay_ms,
	     const void *data, size_t len);

struct http_config {
	const char	*ca_bundle;		/* AWS_CA_BUNDLE / ca_bundle */
	long		 connect_timeout_ms;	/* 0: 5000 */
	long		 timeout_ms;		/* 0: 60000, per attempt */
	long		 stall_ms;		/* 0: 30000 without a byte */
	size_t		 max_body;		/* 0: 16 MiB, non-streamed */
	int		 max_attempts;		/* 0: 3 */
	/* Debug trace, one line a call; secrets already redacted. */
	void		(*trace)(void *arg, const char *line);
	void		*trace_arg;
	/* Told before each retry's wait (the TUI's status line). */
	void		(*on_retry)(void *arg, const struct http_retry_info *);
	void		*on_retry_arg;
	/* A random number in [0, 1) for jitter; NULL: from libcrypto. */
	double		(*random)(void *arg);
	void		*random_arg;
	/* The time used to sign; NULL: time(NULL). */
	time_t		(*now)(void *arg);
	void		*now_arg;
	/* The longest a backoff may wait; 0: 20000 ms.  Tests shorten it. */
	long		 max_backoff_ms;
	/*
	 * Transfers at once to one host; 0: 8.  A Region sweep through an
	 * endpoint override (a proxy, the test stand-in) sends every Region
	 * to one host and needs one per Region.
	 */
	long		 max_host_connections;
	/* Polled while waiting: non-zero stops every transfer (cancel). */
	int		(*cancelled)(void *arg);
	void		*cancelled_arg;
	/* When set, no network: the simulator answers every request. */
	void		(*simulate)(void *arg, const struct http_sim_request *,
			    struct http_sim_reply *);
	void		*simulate_arg;
};

struct http_client;

/* A client; cfg is copied (its strings too).  NULL cfg: defaults. */
struct http_client	*http_client_new(const struct http_config *cfg);
void			 http_client_free(struct http_client *);

void	 http_response_init(struct http_response *);
void	 http_response_free(struct http_response *);

/*
 * Run one request to its end.  0 when a 2xx answer came; -1 otherwise,
 * with err filled: ERR_AWS and the parsed AWS error for an error status,
 * ERR_NETWORK / ERR_TIMEOUT / ERR_TLS / ERR_LIMIT / ERR_CANCELLED for the
 * rest.  resp is filled as far as the exchange went.
 */
int	 http_do(struct http_client *, const struct http_request *,
	     struct http_response *, struct err *);
/*
 * Run n requests at once.  resps and errs have n entries each; the return
 * is the number that failed.  on_done, when set, is called as each ends.
 */
size_t	 http_do_many(struct http_client *, const struct http_request *reqs,
	     struct http_response *resps, struct err *errs, size_t n,
	     void (*on_done)(void *arg, size_t i, int failed), void *arg);

/*
 * Driven use.  http_start() copies what it needs from req (but resp and
 * err must live until the transfer is done) and returns a handle id >= 0,
 * or -1 with err set.  http_perform() runs transfers for at most
 * timeout_ms, also waking when one of the extra descriptors is readable
 * (their revents are set); it returns how many transfers are still going.
 * http_take_done() returns the id of one finished transfer (and its
 * status: 0 or -1, as http_do), or -1 when none is finished.
 * http_cancel() stops a transfer: it finishes with ERR_CANCELLED.
 */
struct pollfd;
int	 http_start(struct http_client *, const struct http_request *,
	     struct http_response *, struct err *);
int	 http_perform(struct http_client *, struct pollfd *extra,
	     unsigned int nextra, int timeout_ms);
int	 http_take_done(struct http_client *, int *status);
void	 http_cancel(struct http_client *, int id);

/*
 * Fill err from an AWS error answer: the code from x-amzn-ErrorType (cut
 * at the first ':'), else the JSON __type / code / Code (after any '#'),
 * else the XML <Code>; the message from JSON message / Message or XML
 * <Message>; the request id from x-amzn-RequestId, x-amz-request-id or
 * XML <RequestId>.  Empty and non-JSON bodies give "HTTP <status>" and a
 * cleaned first line of the body.
 */
void	 http_parse_error(long status, const struct hdr_list *headers,
	     const char *body, size_t len, struct err *);
/*
 * The clock offset (server minus local, seconds) from the last answer
 * that carried a Date header.  0 and *offset untouched when none has.
 */
int	 http_client_clock_offset(const struct http_client *, long *offset);
/* Whether an error is worth retrying in standard mode. */
int	 http_error_retryable(const struct err *);
/* Whether url may be used: https, or http to a loopback address. */
int	 http_url_allowed(const char *url, int allow_link_local,
	     struct err *);

#endif
