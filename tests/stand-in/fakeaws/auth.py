"""Authentication: SigV4 (every signed request is verified), bearer tokens
for Bedrock, and the Region of a call.

The error codes differ by protocol (facts 3.4 and 9): rest-json services
answer UnrecognizedClientException / InvalidSignatureException /
ExpiredTokenException in the coral service namespace; query services
(STS, IAM) answer InvalidClientTokenId / SignatureDoesNotMatch /
ExpiredToken in XML.
"""

import datetime
import re

from . import sigv4
from .wire import AwsError

SIG_MISMATCH = ("The request signature we calculated does not match the "
                "signature you provided. Check your AWS Secret Access Key "
                "and signing method. Consult the service documentation for "
                "details.")
_HOST_REGION = re.compile(r"\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com"
                          r"(?:\.cn)?(?::\d+)?$")


def _fmt(epoch):
    return datetime.datetime.fromtimestamp(
        epoch, datetime.timezone.utc).strftime(sigv4.AMZ_DATE_FORMAT)


def _query(call):
    return call.route.protocol == "query"


def invalid_token(call):
    if _query(call):
        return AwsError(403, "InvalidClientTokenId",
                        "The security token included in the request is "
                        "invalid", auth=True)
    return AwsError(403, "UnrecognizedClientException",
                    "The security token included in the request is "
                    "invalid.", auth=True)


def expired_token(call):
    code = "ExpiredToken" if _query(call) else "ExpiredTokenException"
    return AwsError(403, code, "The security token included in the request "
                    "is expired", auth=True)


def bad_signature(call, message, log_message=None):
    code = "SignatureDoesNotMatch" if _query(call) \
        else "InvalidSignatureException"
    return AwsError(403, code, message, auth=True, log_message=log_message)


def incomplete(call, message):
    code = "IncompleteSignature" if _query(call) \
        else "IncompleteSignatureException"
    return AwsError(400, code, message, auth=True)


def missing_auth(call):
    if _query(call):
        return AwsError(403, "MissingAuthenticationToken",
                        "Request is missing Authentication Token", auth=True)
    return AwsError(403, "MissingAuthenticationTokenException",
                    "Missing Authentication Token", auth=True)


def unsigned_region(call):
    """Host *.{region}.amazonaws.com, else ?region=, else the default."""
    host = call.req.header("host") or ""
    m = _HOST_REGION.search(host)
    if m:
        return m.group(1)
    return call.q("region") or call.world.default_region


def authenticate(call):
    """Fill call.region and call.caller, or raise the AwsError AWS gives."""
    route, entry = call.route, call.entry
    call.region = unsigned_region(call)
    if route.auth == "none":
        return
    header = call.req.header("authorization") or ""
    if header.startswith("AWS4-HMAC-SHA256"):
        _check_sigv4(call, header)
    elif header[:7].lower() == "bearer " and route.bearer:
        _check_bearer(call, header[7:].strip())
    elif route.auth == "sigv4":
        raise missing_auth(call)
    if call.caller is not None:
        entry["principal"] = call.caller.arn
        region = call.world.region(call.region)
        if not region.enabled and route.service != "iam":
            raise invalid_token(call)


def _check_bearer(call, token):
    world, entry = call.world, call.entry
    entry["auth"] = "bearer"
    info = world.bearer_tokens.get(token)
    if (info is None or info.get("expired")
            or info.get("region", call.region) != call.region):
        raise AwsError(403, "AccessDeniedException", "Authentication failed: "
                       "Please make sure your API Key is valid.",
                       body_key="Message")
    call.caller = world.caller_for_principal(info["principal"],
                                             info.get("session_name"))
    call.authorize("bedrock:CallWithBearerToken", "*")


def _check_sigv4(call, header):
    world, req, entry = call.world, call.req, call.entry
    entry["auth"] = "sigv4"
    entry["signed"] = True
    entry["sig_ok"] = False
    try:
        auth = sigv4.parse_authorization(header)
    except sigv4.Malformed as e:
        raise incomplete(call, str(e))
    entry["access_key_id"] = auth.access_key_id
    call.region = auth.region
    entry["scope_service"] = auth.service
    if auth.service != call.route.signing:
        raise bad_signature(call, "Credential should be scoped to correct "
                            "service: '%s'. " % call.route.signing)
    if "host" not in auth.signed_headers:
        raise bad_signature(call, "'Host' or ':authority' must be a "
                            "'SignedHeader' in the AWS Authorization.")
    amz_date = req.header("x-amz-date")
    if amz_date is None:
        raise incomplete(call, "Authorization header requires existence of "
                         "either a 'X-Amz-Date' or a 'Date' header.")
    when = sigv4.parse_amz_date(amz_date)
    if when is None:
        raise incomplete(call, "Date must be in ISO-8601 'basic format'. "
                         "Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601"
                         % amz_date)
    if auth.date != amz_date[:8]:
        raise bad_signature(call, "Date in Credential scope does not match "
                            "YYYYMMDD from ISO-8601 version of date from "
                            "HTTP: '%s' != '%s', from '%s'."
                            % (auth.date, amz_date[:8], amz_date))
    cred = world.credential(auth.access_key_id)
    if cred is None:
        raise invalid_token(call)
    token = req.header("x-amz-security-token")
    if cred.session_token is not None:
        if token != cred.session_token:
            raise invalid_token(call)
        if "x-amz-security-token" not in auth.signed_headers:
            raise bad_signature(call, SIG_MISMATCH)
    elif token:
        raise invalid_token(call)
    now = world.now()
    if cred.is_expired(now):
        raise expired_token(call)
    _check_clock(call, when.timestamp(), amz_date, now)
    exp = sigv4.expected(req.method, req.raw_path, req.raw_query,
                         req.headers, req.body, auth, amz_date,
                         cred.secret_access_key)
    if exp.signature != auth.signature:
        message = SIG_MISMATCH
        if world.echo_canonical and not _query(call):
            message += ("\n\nThe Canonical String for this request should "
                        "have been\n'%s'\n\nThe String-to-Sign should have "
                        "been\n'%s'\n" % (exp.canonical_request,
                                          exp.string_to_sign))
        raise bad_signature(call, message, log_message=SIG_MISMATCH)
    entry["sig_ok"] = True
    call.caller = world.caller_for(cred)


def _check_clock(call, signed_at, amz_date, now):
    window = call.world.signature_window[call.route.protocol]
    minutes = "%g min." % (window / 60.0)
    if signed_at < now - window:
        raise bad_signature(call, "Signature expired: %s is now earlier than "
                            "%s (%s - %s)" % (amz_date, _fmt(now - window),
                                              _fmt(now), minutes))
    if signed_at > now + window:
        raise bad_signature(call, "Signature not yet current: %s is still "
                            "later than %s (%s + %s)"
                            % (amz_date, _fmt(now + window), _fmt(now),
                               minutes))
