/*
 * endpoint.c: default endpoints per partition, and overrides in the SDK
 * order (see endpoint.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "endpoint.h"
#include "err.h"
#include "http.h"
#include "i18n.h"

struct service_info {
	const char	*env;		/* AWS_ENDPOINT_URL_<env> */
	const char	*key;		/* services-section key */
	const char	*signing_name;
};

static const struct service_info services[EP_COUNT] = {
	[EP_BEDROCK]		= { "BEDROCK", "bedrock", "bedrock" },
	[EP_BEDROCK_RUNTIME]	= { "BEDROCK_RUNTIME", "bedrock_runtime",
				    "bedrock" },
	[EP_STS]		= { "STS", "sts", "sts" },
	[EP_IAM]		= { "IAM", "iam", "iam" },
	[EP_SSO]		= { "SSO", "sso", "awsssoportal" },
	[EP_ACCESS_ANALYZER]	= { "ACCESSANALYZER", "accessanalyzer",
				    "access-analyzer" },
};

/* Regions the global STS endpoint serves in "legacy" mode. */
static const char *const sts_legacy_regions[] = {
	"ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
	"ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1",
	"eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-east-2",
	"us-west-1", "us-west-2", NULL
};

const char *
endpoint_partition(const char *region)
{
	if (region != NULL && strncmp(region, "us-gov-", 7) == 0)
		return "aws-us-gov";
	if (region != NULL && strncmp(region, "cn-", 3) == 0)
		return "aws-cn";
	return "aws";
}

const char *
endpoint_dns_suffix(const char *partition)
{
	if (strcmp(partition, "aws-cn") == 0)
		return "amazonaws.com.cn";
	return "amazonaws.com";
}

int
endpoint_region_valid(const char *r)
{
	size_t	 i, n;
	int	 dashes = 0;

	if (r == NULL || (n = strlen(r)) < 4 || n > 32)
		return 0;
	if (!islower((unsigned char)r[0]) || !isdigit((unsigned char)r[n - 1]))
		return 0;
	for (i = 0; i < n; i++) {
		if (r[i] == '-') {
			if (i == 0 || r[i - 1] == '-')
				return 0;
			dashes++;
		} else if (!islower((unsigned char)r[i]) &&
		    !isdigit((unsigned char)r[i]))
			return 0;
	}
	return dashes >= 2;
}

const char *
endpoint_service_env(enum endpoint_service s)
{
	return (unsigned)s < EP_COUNT ? services[s].env : NULL;
}

const char *
endpoint_service_key(enum endpoint_service s)
{
	return (unsigned)s < EP_COUNT ? services[s].key : NULL;
}

static const char *
env_get(const struct endpoint_sources *src, const char *name)
{
	const char	*v;

	if (src != NULL && src->getenv != NULL)
		v = src->getenv(src->getenv_arg, name);
	else
		v = getenv(name);
	return v != NULL && *v != '\0' ? v : NULL;
}

static int
truthy(const char *v)
{
	return v != NULL && strcasecmp(v, "true") == 0;
}

static int
set_override(struct endpoint *ep, const char *url, const char *source,
    struct err *e)
{
	size_t	 n = strlen(url);

	if (http_url_allowed(url, 0, e) != 0) {
		err_where(e, "%s", source);
		return -1;
	}
	while (n > 0 && url[n - 1] == '/')
		n--;
	if (n >= sizeof ep->url) {
		err_set(e, ERR_USAGE, N_("the endpoint URL from %s is too "
		    "long"), source);
		return -1;
	}
	memcpy(ep->url, url, n);
	ep->url[n] = '\0';
	snprintf(ep->source, sizeof ep->source, "%s", source);
	ep->overridden = 1;
	return 0;
}

static void
default_url(enum endpoint_service s, const char *region, int sts_legacy,
    struct endpoint *ep)
{
	const char	*part = endpoint_partition(region);
	const char	*dns = endpoint_dns_suffix(part);
	const char *const *r;

	switch (s) {
	case EP_BEDROCK:
		snprintf(ep->url, sizeof ep->url, "https://bedrock.%s.%s",
		    region, dns);
		break;
	case EP_BEDROCK_RUNTIME:
		snprintf(ep->url, sizeof ep->url,
		    "https://bedrock-runtime.%s.%s", region, dns);
		break;
	case EP_STS:
		if (sts_legacy && strcmp(part, "aws") == 0)
			for (r = sts_legacy_regions; *r != NULL; r++)
				if (strcmp(*r, region) == 0) {
					snprintf(ep->url, sizeof ep->url,
					    "https://sts.amazonaws.com");
					snprintf(ep->signing_region,
					    sizeof ep->signing_region,
					    "us-east-1");
					return;
				}
		snprintf(ep->url, sizeof ep->url, "https://sts.%s.%s", region,
		    dns);
		break;
	case EP_IAM:
		/* IAM is global to its partition. */
		if (strcmp(part, "aws-us-gov") == 0) {
			snprintf(ep->url, sizeof ep->url,
			    "https://iam.us-gov.amazonaws.com");
			snprintf(ep->signing_region, sizeof ep->signing_region,
			    "us-gov-west-1");
		} else if (strcmp(part, "aws-cn") == 0) {
			snprintf(ep->url, sizeof ep->url,
			    "https://iam.cn-north-1.amazonaws.com.cn");
			snprintf(ep->signing_region, sizeof ep->signing_region,
			    "cn-north-1");
		} else {
			snprintf(ep->url, sizeof ep->url,
			    "https://iam.amazonaws.com");
			snprintf(ep->signing_region, sizeof ep->signing_region,
			    "us-east-1");
		}
		return;
	case EP_SSO:
		snprintf(ep->url, sizeof ep->url, "https://portal.sso.%s.%s",
		    region, dns);
		break;
	case EP_ACCESS_ANALYZER:
		snprintf(ep->url, sizeof ep->url,
		    "https://access-analyzer.%s.%s", region, dns);
		break;
	case EP_COUNT:
		break;
	}
}

int
endpoint_resolve(enum endpoint_service s, const char *region,
    const struct endpoint_sources *src, struct endpoint *ep, struct err *e)
{
	char		 name[64], what[96];
	const char	*v;
	int		 ignore;

	memset(ep, 0, sizeof *ep);
	if ((unsigned)s >= EP_COUNT) {
		err_set(e, ERR_INTERNAL, N_("unknown service"));
		return -1;
	}
	if (!endpoint_region_valid(region)) {
		err_set(e, ERR_CONFIG, N_("'%s' is not a Region name; Region "
		    "names look like us-east-1 or eu-west-3"),
		    region != NULL ? region : "");
		return -1;
	}
	snprintf(ep->signing_region, sizeof ep->signing_region, "%s", region);
	snprintf(ep->signing_name, sizeof ep->signing_name, "%s",
	    services[s].signing_name);
	snprintf(ep->source, sizeof ep->source, "default");

	if (src != NULL && src->cli_url != NULL)
		return set_override(ep, src->cli_url, "--endpoint-url", e);
	ignore = truthy(env_get(src, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"));
	if (!ignore) {
		snprintf(name, sizeof name, "AWS_ENDPOINT_URL_%s",
		    services[s].env);
		if ((v = env_get(src, name)) != NULL)
			return set_override(ep, v, name, e);
		if ((v = env_get(src, "AWS_ENDPOINT_URL")) != NULL)
			return set_override(ep, v, "AWS_ENDPOINT_URL", e);
		if (src != NULL && src->config_url != NULL &&
		    (v = src->config_url(src->config_arg,
		    services[s].key)) != NULL && *v != '\0') {
			snprintf(what, sizeof what, "services section, %s",
			    services[s].key);
			return set_override(ep, v, what, e);
		}
		if (src != NULL && src->profile_url != NULL &&
		    *src->profile_url != '\0')
			return set_override(ep, src->profile_url,
			    "profile endpoint_url", e);
	}
	default_url(s, region, src != NULL && src->sts_legacy, ep);
	return 0;
}
