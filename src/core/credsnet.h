/*
 * credsnet.h: the network steps of the credential chain (creds.h's struct
 * creds_net), done with the HTTP layer and STS: AssumeRole,
 * AssumeRoleWithWebIdentity, the SSO portal, container credentials and
 * EC2 instance metadata (IMDSv2).
 */
#ifndef BS_CREDSNET_H
#define BS_CREDSNET_H

#include "creds.h"

struct endpoint_sources;
struct http_client;

struct credsnet {
	struct http_client		*http;
	const struct endpoint_sources	*endpoints;	/* overrides, or NULL */
	const char			*imds_endpoint;	/* NULL: the default */
};

/*
 * Fill net with callbacks bound to cn (which must outlive net's use).
 * mfa_code is left NULL: a caller that can prompt sets it.
 */
void	 credsnet_bind(struct credsnet *cn, struct creds_net *net);

#endif
