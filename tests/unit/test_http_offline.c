/*
 * test_http_offline.c: the parts of the HTTP layer that need no network:
 * error parsing (facts 3.4, 4, 9), retry decisions, URL rules, endpoints,
 * and the XML reader.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "endpoint.h"
#include "err.h"
#include "hdr.h"
#include "http.h"
#include "tap.h"
#include "xml.h"

static void
parse(long status, const char *type, const char *rid, const char *body,
    struct err *e)
{
	struct hdr_list	 h = HDR_LIST_INIT;

	if (type != NULL)
		hdr_list_add(&h, "x-amzn-ErrorType", type);
	if (rid != NULL)
		hdr_list_add(&h, "x-amzn-RequestId", rid);
	http_parse_error(status, &h, body, body != NULL ? strlen(body) : 0,
	    e);
	hdr_list_free(&h);
}

/* A simulated AWS that refuses with a message echoing the request. */
static void
echo_sim(void *arg, const struct http_sim_request *rq, struct http_sim_reply *r)
{
	static const char body[] = "{\"message\":\"The request signature we "
	    "calculated does not match the signature you provided.\\n\\nThe "
	    "Canonical String for this request should have been\\n'POST\\n"
	    "x-amz-security-token:SECRETTOKEN123\\n'\"}";

	(void)arg;
	(void)rq;
	r->status = 403;
	hdr_list_add(&r->headers, "x-amzn-ErrorType",
	    "InvalidSignatureException");
	http_sim_reply_add(r, 0, body, sizeof body - 1);
}

static void
collect(void *arg, const char *line)
{
	struct buf	*b = arg;

	buf_addstr(b, line);
	buf_addc(b, '\n');
}

/* The trace of a failed call keeps AWS's first line, never the echo. */
static void
test_trace_redaction(void)
{
	struct http_config	 hc;
	struct http_client	*c;
	struct http_request	 rq;
	struct http_response	 resp;
	struct buf		 trace = BUF_INIT;
	struct err		 e;

	memset(&hc, 0, sizeof hc);
	hc.simulate = echo_sim;
	hc.trace = collect;
	hc.trace_arg = &trace;
	hc.max_attempts = 1;
	c = http_client_new(&hc);
	memset(&rq, 0, sizeof rq);
	rq.op = "Converse";
	rq.method = "POST";
	rq.url = "https://bedrock-runtime.us-east-1.amazonaws.com/model/x/"
	    "converse";
	http_response_init(&resp);
	err_clear(&e);
	ok(http_do(c, &rq, &resp, &e) != 0, "trace: the simulated call fails");
	ok(strstr(buf_str(&trace), "does not match the signature") != NULL,
	    "trace: the failure line says what AWS said");
	ok(strstr(buf_str(&trace), "SECRETTOKEN123") == NULL,
	    "trace: nothing after AWS's first line (the echoed token)");
	http_response_free(&resp);
	http_client_free(c);
	buf_free(&trace);
}

static void
test_errors(void)
{
	struct err	 e;

	parse(403, "AccessDeniedException:http://internal.amazon.com/coral/"
	    "com.amazon.bedrock/", "rid-1",
	    "{\"Message\":\"User: arn:aws:sts::1:assumed-role/r/s is not "
	    "authorized to perform: bedrock:InvokeModel\"}", &e);
	is_str(e.code, "AccessDeniedException", "ErrorType cut at ':'");
	ok(strncmp(e.message, "User: arn:aws:sts", 17) == 0,
	    "capital-M Message read");
	is_str(e.request_id, "rid-1", "request id from x-amzn-RequestId");
	is_int(e.http_status, 403, "status");
	is_int(e.kind, ERR_AWS, "kind aws");

	parse(400, NULL, NULL, "{\"__type\":\"com.amazon.coral.validate#"
	    "ValidationException\",\"message\":\"bad\"}", &e);
	is_str(e.code, "ValidationException", "__type after '#'");
	is_str(e.message, "bad", "lower-case message");

	parse(400, NULL, NULL, "{\"code\":\"X\",\"message\":\"m\"}", &e);
	is_str(e.code, "X", "code member");

	parse(403, NULL, NULL,
	    "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
	    "<Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>"
	    "<Message>The security token included in the request is invalid"
	    "</Message></Error><RequestId>16fc956c</RequestId>"
	    "</ErrorResponse>", &e);
	is_str(e.code, "InvalidClientTokenId", "XML Code");
	is_str(e.message, "The security token included in the request is "
	    "invalid", "XML Message");
	is_str(e.request_id, "16fc956c", "XML RequestId");

	parse(502, NULL, NULL, "<html><body>Bad gateway</body></html>", &e);
	is_str(e.code, "HTTP502", "HTML body: code from the status");
	ok(strstr(e.message, "502") != NULL, "HTML body: status in message");

	parse(503, NULL, NULL, "", &e);
	is_str(e.code, "HTTP503", "empty body: code from the status");
	ok(strstr(e.message, "empty") != NULL, "empty body: says so (%s)",
	    e.message);

	parse(500, NULL, NULL, "not json at all\n\x01second line", &e);
	ok(strstr(e.message, "not json at all") != NULL &&
	    strstr(e.message, "second") == NULL,
	    "garbage body: first line only (%s)", e.message);

	parse(400, "ThrottlingException", NULL, "{\"message\":", &e);
	is_str(e.code, "ThrottlingException",
	    "malformed JSON: header code kept");

	/* Retry decisions. */
	parse(429, "ThrottlingException:x", NULL, "{}", &e);
	ok(http_error_retryable(&e), "throttling is retried");
	parse(429, "ModelNotReadyException:x", NULL, "{}", &e);
	ok(http_error_retryable(&e), "ModelNotReady is retried");
	parse(503, NULL, NULL, "", &e);
	ok(http_error_retryable(&e), "503 is retried");
	parse(504, NULL, NULL, "", &e);
	ok(http_error_retryable(&e), "504 is retried");
	parse(403, "ExpiredTokenException", NULL, "{}", &e);
	ok(!http_error_retryable(&e), "ExpiredToken is never retried");
	parse(400, "ValidationException", NULL, "{}", &e);
	ok(!http_error_retryable(&e), "400 is not retried");
	parse(404, "ResourceNotFoundException", NULL, "{}", &e);
	ok(!http_error_retryable(&e), "404 is not retried");
	err_clear(&e);
	e.kind = ERR_NETWORK;
	ok(http_error_retryable(&e), "connection failures are retried");
	e.kind = ERR_TLS;
	ok(!http_error_retryable(&e), "TLS failures are not retried");
}

static void
test_urls(void)
{
	struct err	 e;

	ok(http_url_allowed("https://bedrock.us-east-1.amazonaws.com", 0, &e)
	    == 0, "https allowed");
	ok(http_url_allowed("http://127.0.0.1:8080", 0, &e) == 0,
	    "http to 127.0.0.1 allowed");
	ok(http_url_allowed("http://localhost:1", 0, &e) == 0,
	    "http to localhost allowed");
	ok(http_url_allowed("http://[::1]:8080/x", 0, &e) == 0,
	    "http to [::1] allowed");
	ok(http_url_allowed("http://example.com", 0, &e) != 0,
	    "http to a remote host refused");
	ok(strstr(e.message, "loopback") != NULL, "and the message says why");
	ok(http_url_allowed("http://169.254.169.254/latest", 0, &e) != 0,
	    "IMDS over http refused unless asked for");
	ok(http_url_allowed("http://169.254.169.254/latest", 1, &e) == 0,
	    "IMDS over http allowed for credentials");
	ok(http_url_allowed("ftp://x/", 0, &e) != 0, "ftp refused");
}

static const char *
fake_env(void *arg, const char *name)
{
	const char	**kv = arg;

	for (; kv[0] != NULL; kv += 2)
		if (strcmp(kv[0], name) == 0)
			return kv[1];
	return NULL;
}

static const char *
fake_config(void *arg, const char *key)
{
	return strcmp(key, "bedrock_runtime") == 0 ? arg : NULL;
}

static void
test_endpoints(void)
{
	struct endpoint_sources	 src;
	struct endpoint		 ep;
	struct err		 e;
	const char		*env1[] = {
		"AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://127.0.0.1:9/rt/",
		"AWS_ENDPOINT_URL", "http://127.0.0.1:8", NULL, NULL };
	const char		*env2[] = {
		"AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://127.0.0.1:9",
		"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", NULL, NULL };
	const char		*none[] = { NULL, NULL };

	memset(&src, 0, sizeof src);
	src.getenv = fake_env;
	src.getenv_arg = none;
	is_int(endpoint_resolve(EP_BEDROCK_RUNTIME, "eu-west-1", &src, &ep,
	    &e), 0, "default runtime endpoint");
	is_str(ep.url, "https://bedrock-runtime.eu-west-1.amazonaws.com",
	    "runtime host");
	is_str(ep.signing_name, "bedrock", "runtime signs as bedrock");
	is_str(ep.source, "default", "source default");
	endpoint_resolve(EP_BEDROCK, "us-gov-west-1", &src, &ep, &e);
	is_str(ep.url, "https://bedrock.us-gov-west-1.amazonaws.com",
	    "GovCloud control plane");
	endpoint_resolve(EP_STS, "cn-north-1", &src, &ep, &e);
	is_str(ep.url, "https://sts.cn-north-1.amazonaws.com.cn",
	    "China partition suffix");
	endpoint_resolve(EP_STS, "af-south-1", &src, &ep, &e);
	is_str(ep.url, "https://sts.af-south-1.amazonaws.com",
	    "regional STS by default");
	src.sts_legacy = 1;
	endpoint_resolve(EP_STS, "eu-west-1", &src, &ep, &e);
	is_str(ep.url, "https://sts.amazonaws.com", "legacy STS: global");
	is_str(ep.signing_region, "us-east-1", "global STS signs us-east-1");
	endpoint_resolve(EP_STS, "af-south-1", &src, &ep, &e);
	is_str(ep.url, "https://sts.af-south-1.amazonaws.com",
	    "legacy STS: opt-in Region stays regional");
	src.sts_legacy = 0;
	endpoint_resolve(EP_IAM, "eu-west-1", &src, &ep, &e);
	is_str(ep.url, "https://iam.amazonaws.com", "IAM is global");
	is_str(ep.signing_region, "us-east-1", "IAM signs us-east-1");
	endpoint_resolve(EP_SSO, "eu-central-1", &src, &ep, &e);
	is_str(ep.url, "https://portal.sso.eu-central-1.amazonaws.com",
	    "SSO portal");
	ok(endpoint_resolve(EP_BEDROCK, "not a region", &src, &ep, &e) != 0,
	    "bad Region refused");
	ok(strstr(e.message, "us-east-1") != NULL, "with an example");

	src.getenv_arg = env1;
	endpoint_resolve(EP_BEDROCK_RUNTIME, "us-east-1", &src, &ep, &e);
	is_str(ep.url, "http://127.0.0.1:9/rt", "service variable wins, "
	    "trailing '/' dropped");
	is_str(ep.source, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "and says so");
	is_str(ep.signing_region, "us-east-1", "override keeps the Region");
	endpoint_resolve(EP_STS, "us-east-1", &src, &ep, &e);
	is_str(ep.url, "http://127.0.0.1:8", "global variable next");
	src.cli_url = "http://127.0.0.1:7";
	endpoint_resolve(EP_STS, "us-east-1", &src, &ep, &e);
	is_str(ep.source, "--endpoint-url", "--endpoint-url beats all");
	src.cli_url = NULL;

	src.getenv_arg = env2;
	src.config_url = fake_config;
	src.config_arg = (void *)"http://127.0.0.1:6";
	endpoint_resolve(EP_BEDROCK_RUNTIME, "us-east-1", &src, &ep, &e);
	is_str(ep.source, "default",
	    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ignores env and config");
	src.getenv_arg = none;
	endpoint_resolve(EP_BEDROCK_RUNTIME, "us-east-1", &src, &ep, &e);
	is_str(ep.url, "http://127.0.0.1:6", "config services section");
	src.config_arg = (void *)"http://evil.example.com";
	ok(endpoint_resolve(EP_BEDROCK_RUNTIME, "us-east-1", &src, &ep, &e)
	    != 0, "plain http to a remote host refused in config too");
	ok(strstr(e.where, "services") != NULL, "naming where it came from");

	ok(endpoint_region_valid("ap-southeast-7"), "valid Region");
	ok(!endpoint_region_valid("us_east_1"), "underscores refused");
	ok(!endpoint_region_valid("useast1"), "no dashes refused");
	is_str(endpoint_partition("us-gov-east-1"), "aws-us-gov", "partition");
}

static void
test_xml(void)
{
	struct err		 e;
	struct xml_doc		*d;
	const struct xml_node	*r, *m;
	const char		*doc =
	    "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/"
	    "2011-06-15/\">\n <GetCallerIdentityResult>\n"
	    "  <Account>123456789012</Account>\n"
	    "  <Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn>\n"
	    "  <UserId>AROA:s</UserId>\n </GetCallerIdentityResult>\n"
	    " <ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata>"
	    "</GetCallerIdentityResponse>";

	d = xml_parse(doc, strlen(doc), &e);
	ok(d != NULL, "STS answer parses");
	r = xml_root(d);
	is_str(xml_name(r), "GetCallerIdentityResponse", "root name");
	is_str(xml_path_text(r, "GetCallerIdentityResult/Account"),
	    "123456789012", "path text");
	is_str(xml_find_text(d, "RequestId"), "rid", "find anywhere");
	m = xml_child(xml_child(r, "GetCallerIdentityResult"), NULL);
	is_str(xml_name(m), "Account", "first child");
	is_str(xml_name(xml_next(m, NULL)), "Arn", "next sibling");
	xml_free(d);

	ok(xml_parse("<a><b></a>", 10, &e) == NULL, "malformed refused");
	ok(strstr(e.message, "line") != NULL, "naming the line: %s",
	    e.message);
	doc = "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>";
	ok(xml_parse(doc, strlen(doc), &e) == NULL, "DTD refused");
	ok(strstr(e.message, "DTD") != NULL, "saying so");
	doc = "<p:a xmlns:p=\"u\"><p:b>t</p:b></p:a>";
	d = xml_parse(doc, strlen(doc), &e);
	is_str(xml_path_text(xml_root(d), "b"), "t", "prefixes dropped");
	xml_free(d);
}

int
main(void)
{
	test_errors();
	test_trace_redaction();
	test_urls();
	test_endpoints();
	test_xml();
	return tap_done();
}
