"""SigV4 checking for the stand-in.

parse_authorization() splits the Authorization header; expected() recomputes
the signature of a request as received.  It uses botocore's SigV4Auth when
botocore can be imported (the reference the brief asks for) and an
equivalent stdlib implementation otherwise, so the stand-in also runs on a
machine without botocore.  Both sign exactly the headers the client listed
in SignedHeaders, and both canonicalise the query the way AWS does (decode,
then re-encode with the unreserved set).
"""

import datetime
import hashlib
import hmac
import posixpath
import re
from urllib.parse import quote, unquote

try:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.compat import HTTPHeaders
    from botocore.credentials import Credentials
    HAVE_BOTOCORE = True
except ImportError:  # pragma: no cover - depends on the machine
    HAVE_BOTOCORE = False

AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

_PARAM_RE = re.compile(r"(Credential|SignedHeaders|Signature)\s*=\s*([^,\s]*)")


class AuthHeader:
    """The parts of an 'AWS4-HMAC-SHA256 Credential=..., ...' header."""

    def __init__(self, access_key_id, date, region, service, terminator,
                 signed_headers, signature):
        self.access_key_id = access_key_id
        self.date = date
        self.region = region
        self.service = service
        self.terminator = terminator
        self.signed_headers = signed_headers
        self.signature = signature


class Malformed(Exception):
    """The Authorization header cannot be used; str() is AWS's wording."""


def parse_authorization(value):
    """Parse a SigV4 Authorization header or raise Malformed."""
    if not value.startswith("AWS4-HMAC-SHA256"):
        raise Malformed("Unsupported authorization type")
    params = dict(_PARAM_RE.findall(value[len("AWS4-HMAC-SHA256"):]))
    missing = [p for p in ("Credential", "SignedHeaders", "Signature")
               if not params.get(p)]
    if missing:
        raise Malformed(" ".join(
            "Authorization header requires '%s' parameter." % p
            for p in missing))
    scope = params["Credential"].split("/")
    if len(scope) != 5:
        raise Malformed("Credential should be scoped to a valid Region. ")
    key, date, region, service, term = scope
    if term != "aws4_request":
        raise Malformed("Credential should be scoped with a valid terminator:"
                        " 'aws4_request', not '%s'. " % term)
    names = [h.strip().lower() for h in params["SignedHeaders"].split(";")
             if h.strip()]
    return AuthHeader(key, date, region, service, term, names,
                      params["Signature"].lower())


def parse_amz_date(text):
    """X-Amz-Date as an aware UTC datetime, or None when malformed."""
    try:
        return datetime.datetime.strptime(text, AMZ_DATE_FORMAT).replace(
            tzinfo=datetime.timezone.utc)
    except (TypeError, ValueError):
        return None


def query_pairs(raw_query):
    """The query as decoded (name, value) pairs, in wire order."""
    pairs = []
    for part in raw_query.split("&") if raw_query else []:
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append((unquote(name), unquote(value)))
    return pairs


class Expected:
    """What the signature should have been, with the texts AWS echoes."""

    def __init__(self, signature, canonical_request, string_to_sign):
        self.signature = signature
        self.canonical_request = canonical_request
        self.string_to_sign = string_to_sign


def expected(method, raw_path, raw_query, headers, body, auth, amz_date,
             secret_key, use_botocore=True):
    """Recompute the signature for a received request.

    headers: list of (name, value) as received; body: bytes.  auth is the
    parsed AuthHeader (its scope gives region and service), amz_date the
    X-Amz-Date text used for the signature.
    """
    signed = [(n.lower(), v) for n, v in headers
              if n.lower() in auth.signed_headers]
    if use_botocore and HAVE_BOTOCORE:
        return _expected_botocore(method, raw_path, raw_query, signed, body,
                                  auth, amz_date, secret_key)
    return _expected_stdlib(method, raw_path, raw_query, signed, body, auth,
                            amz_date, secret_key)


if HAVE_BOTOCORE:
    class _ListedHeadersAuth(SigV4Auth):
        """SigV4Auth that signs exactly the headers the client listed."""

        def __init__(self, credentials, service, region, signed):
            super().__init__(credentials, service, region)
            self._signed = signed

        def headers_to_sign(self, request):
            header_map = HTTPHeaders()
            for name, value in self._signed:
                header_map[name] = value
            return header_map


def _expected_botocore(method, raw_path, raw_query, signed, body, auth,
                       amz_date, secret_key):
    host = next((v for n, v in signed if n == "host"), "localhost")
    request = AWSRequest(method=method, url="http://%s%s" % (host, raw_path),
                         data=body, params=query_pairs(raw_query))
    request.context["timestamp"] = amz_date
    signer = _ListedHeadersAuth(Credentials(auth.access_key_id, secret_key),
                                auth.service, auth.region, signed)
    creq = signer.canonical_request(request)
    sts = signer.string_to_sign(request, creq)
    return Expected(signer.signature(sts, request), creq, sts)


def _normalize_path(path):
    if not path:
        return "/"
    norm = posixpath.normpath(path)
    if norm.startswith("//"):
        norm = norm[1:]
    if path.endswith("/") and norm != "/":
        norm += "/"
    return norm


def _expected_stdlib(method, raw_path, raw_query, signed, body, auth,
                     amz_date, secret_key):
    canonical_uri = quote(_normalize_path(raw_path), safe="/~")
    pairs = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~"))
                   for k, v in query_pairs(raw_query))
    canonical_query = "&".join("%s=%s" % kv for kv in pairs)
    values = {}
    for name, value in signed:
        values.setdefault(name, []).append(" ".join(value.split()))
    names = sorted(values)
    canonical_headers = "".join("%s:%s\n" % (n, ",".join(values[n]))
                                for n in names)
    creq = "\n".join([method.upper(), canonical_uri, canonical_query,
                      canonical_headers, ";".join(names),
                      hashlib.sha256(body or b"").hexdigest()])
    scope = "/".join([amz_date[:8], auth.region, auth.service,
                      "aws4_request"])
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                     hashlib.sha256(creq.encode("utf-8")).hexdigest()])

    def sign(key, msg):
        return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()

    key = sign(("AWS4" + secret_key).encode("utf-8"), amz_date[:8])
    for part in (auth.region, auth.service, "aws4_request"):
        key = sign(key, part)
    sig = hmac.new(key, sts.encode("utf-8"), hashlib.sha256).hexdigest()
    return Expected(sig, creq, sts)
