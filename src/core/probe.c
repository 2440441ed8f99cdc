/*
 * probe.c: Region latency, all at once (see probe.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "endpoint.h"
#include "http.h"
#include "i18n.h"
#include "probe.h"
#include "xalloc.h"

struct probe_run {
	struct probe_result	*results;
	size_t			*index;		/* batch slot -> Region */
	struct http_response	*resps;
	struct err		*errs;
	void			(*on_done)(void *, const struct probe_result *);
	void			*arg;
};

static void
probe_done(void *arg, size_t i, int failed)
{
	struct probe_run	*run = arg;
	struct probe_result	*r = &run->results[run->index[i]];

	/* Any answer from the server, even an error status, is reachable. */
	r->ok = run->resps[i].status != 0;
	if (r->ok) {
		r->connect_ms = run->resps[i].appconnect_ms > 0 ?
		    run->resps[i].appconnect_ms : run->resps[i].connect_ms;
		r->ttfb_ms = run->resps[i].ttfb_ms;
		err_clear(&r->err);
	} else
		err_copy(&r->err, &run->errs[i]);
	(void)failed;
	if (run->on_done != NULL)
		run->on_done(run->arg, r);
}

size_t
probe_regions(struct http_client *c, const char *const *regions, size_t n,
    const struct endpoint_sources *eps, const struct creds *creds,
    long timeout_ms, struct probe_result *results,
    void (*on_done)(void *, const struct probe_result *), void *arg)
{
	struct http_request	*reqs = xcalloc(n + 1, sizeof *reqs);
	struct probe_run	 run;
	char			**urls = xcalloc(n + 1, sizeof *urls);
	size_t			 i, k = 0, failed = 0;

	memset(&run, 0, sizeof run);
	run.index = xcalloc(n + 1, sizeof *run.index);
	run.results = results;
	run.resps = xcalloc(n + 1, sizeof *run.resps);
	run.errs = xcalloc(n + 1, sizeof *run.errs);
	run.on_done = on_done;
	run.arg = arg;
	for (i = 0; i < n; i++) {
		struct endpoint	 ep;
		struct buf	 u = BUF_INIT;

		memset(&results[i], 0, sizeof results[i]);
		snprintf(results[i].region, sizeof results[i].region, "%s",
		    regions[i]);
		if (endpoint_resolve(EP_BEDROCK_RUNTIME, regions[i], eps, &ep,
		    &results[i].err) != 0) {
			if (on_done != NULL)
				on_done(arg, &results[i]);
			continue;
		}
		buf_printf(&u, "%s/ping", ep.url);
		urls[k] = buf_take(&u, NULL);
		run.index[k] = i;
		http_response_init(&run.resps[k]);
		reqs[k].op = "LatencyProbe";
		reqs[k].method = "GET";
		reqs[k].url = urls[k];
		reqs[k].timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
		reqs[k].max_attempts = 1;
		reqs[k].fresh_connect = 1;
		if (creds != NULL) {
			reqs[k].auth.kind = HTTP_AUTH_SIGV4;
			reqs[k].auth.creds = creds;
			reqs[k].auth.region = regions[i];
			reqs[k].auth.service = "bedrock";
		}
		k++;
	}
	http_do_many(c, reqs, run.resps, run.errs, k, probe_done, &run);
	for (i = 0; i < k; i++) {
		http_response_free(&run.resps[i]);
		free(urls[i]);
	}
	for (i = 0; i < n; i++)
		if (!results[i].ok)
			failed++;
	free(run.index);
	free(urls);
	free(reqs);
	free(run.resps);
	free(run.errs);
	return failed;
}
