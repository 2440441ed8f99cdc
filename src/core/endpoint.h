/*
 * endpoint.h: which URL and signing Region a service call goes to.
 *
 * Default hosts follow the partition of the Region (aws, aws-us-gov,
 * aws-cn by prefix).  Overrides are taken in the AWS SDKs' order:
 *   1. --endpoint-url
 *   2. AWS_ENDPOINT_URL_<SERVICE> (BEDROCK_RUNTIME, BEDROCK, STS, IAM, SSO,
 *      ACCESSANALYZER)
 *   3. AWS_ENDPOINT_URL
 *   4. the profile's [services NAME] section, key <service_key> endpoint_url
 *   5. the profile's endpoint_url
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns off 2 to 5.  Each answer
 * says where it came from, for the credentials screen and --debug.
 */
#ifndef BS_ENDPOINT_H
#define BS_ENDPOINT_H

struct err;

enum endpoint_service {
	EP_BEDROCK = 0,		/* control plane, signing name bedrock */
	EP_BEDROCK_RUNTIME,	/* runtime, signing name bedrock too */
	EP_STS,
	EP_IAM,
	EP_SSO,			/* IAM Identity Center portal (no SigV4) */
	EP_ACCESS_ANALYZER,
	EP_COUNT
};

/* Where overrides are looked up.  Every member may be NULL. */
struct endpoint_sources {
	const char	*cli_url;	/* --endpoint-url */
	/* Read an environment variable (NULL: getenv). */
	const char	*(*getenv)(void *arg, const char *name);
	void		*getenv_arg;
	/* The profile's services-section URL for a service key, or NULL. */
	const char	*(*config_url)(void *arg, const char *service_key);
	void		*config_arg;
	const char	*profile_url;	/* the profile's endpoint_url */
	int		 sts_legacy;	/* AWS_STS_REGIONAL_ENDPOINTS=legacy */
};

struct endpoint {
	char		 url[512];	/* scheme://host[:port][/base], no '/' at end */
	char		 signing_region[64];
	char		 signing_name[32];
	char		 source[160];	/* "default", "--endpoint-url", ... */
	int		 overridden;
};

/* The partition of a Region: "aws", "aws-us-gov" or "aws-cn". */
const char	*endpoint_partition(const char *region);
/* The DNS suffix of a partition. */
const char	*endpoint_dns_suffix(const char *partition);
/* Whether a Region name has the form of one ("eu-west-1"). */
int		 endpoint_region_valid(const char *region);
/* Service names as in AWS_ENDPOINT_URL_<X> and config keys. */
const char	*endpoint_service_env(enum endpoint_service);
const char	*endpoint_service_key(enum endpoint_service);
/*
 * Resolve a service in a Region.  0 on success; -1 with err set for a bad
 * Region name or an override URL that is not https:// (http:// only for
 * loopback addresses).
 */
int		 endpoint_resolve(enum endpoint_service, const char *region,
		     const struct endpoint_sources *, struct endpoint *,
		     struct err *);

#endif
