/*
 * probe.h: measure how far each Region's Bedrock runtime endpoint is, all
 * Regions at once.
 *
 * Each probe is a tiny GET on a fresh connection to the Region's
 * bedrock-runtime endpoint.  Two figures come back: the connection set-up
 * time (DNS, TCP and TLS) and the time to the first byte of the answer
 * (set-up plus one round trip).  Any HTTP answer counts as reachable: AWS
 * answers an unknown path with an error, quickly.  When credentials are
 * given the probe is signed for its Region, so that an endpoint override
 * (a proxy, or the test stand-in) can still tell the Regions apart.
 */
#ifndef BS_PROBE_H
#define BS_PROBE_H

#include <stddef.h>

#include "err.h"

struct creds;
struct endpoint_sources;
struct http_client;

struct probe_result {
	char		 region[32];
	int		 ok;		/* an HTTP answer came */
	double		 connect_ms;	/* connection set-up */
	double		 ttfb_ms;	/* first byte of the answer */
	struct err	 err;		/* why not, when !ok */
};

/*
 * Probe n Regions at once (timeout_ms per probe, 0: 5000).  results has n
 * entries, filled in the order of regions.  on_done, when set, is called
 * as each answer arrives (from the calling thread).  Returns how many
 * Regions could not be reached.
 */
size_t	 probe_regions(struct http_client *, const char *const *regions,
	     size_t n, const struct endpoint_sources *, const struct creds *,
	     long timeout_ms, struct probe_result *results,
	     void (*on_done)(void *arg, const struct probe_result *),
	     void *arg);

#endif
