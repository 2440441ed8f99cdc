#!/usr/bin/env python3
"""sigv4_diff: our SigV4 signer against botocore's SigV4Auth, request by request.

Usage: sigv4_diff.py [SIGV4_CLI] [--count N] [--seed N]

Generates COUNT (default 1200) requests from a fixed seed, signs each with
tests/unit/sigv4-cli (the C signer; found as the first argument, $SIGV4_CLI,
or $BS_BUILDDIR/tests/unit/sigv4-cli) and with botocore's SigV4Auth with the
clock frozen at the request's time, and compares the whole Authorization
value (credential scope, SignedHeaders, signature) and X-Amz-Date.  One TAP
check per request, plus coverage checks on the generated mix.

The mix: GET/POST/PUT/DELETE; services bedrock (runtime and control-plane
hosts), sts, iam; eleven Regions; times from 2015 to 2099 with day
boundaries and a leap day; paths as sent on the wire (percent-encoded once:
model ids with %3A, ARNs with %2F, encoded UTF-8 and reserved characters, raw
sub-delimiters, dot segments, empty segments, trailing slashes); queries
either as decoded pairs (botocore gets params, we get a wire query encoded in
varying ways: lower-case hex, needlessly encoded letters, raw reserved
characters, names without '=') or already in canonical form (botocore signs
the URL's query as it is); repeated headers, multi-line (obs-fold) values,
runs of white space, empty values, non-ASCII letters, headers botocore never
signs; empty, small, 64 KiB and 1 MiB bodies; with and without session
tokens; x-amz-content-sha256 signed on some; a few credentials shared across
requests so the signer's key cache is hit and missed.

Inputs both sides must agree on, and what is left out on purpose:
  - Empty query pairs ("a=1&&b=2"): botocore turns the empty pair of a URL
    query into "=", the AWS suite and we drop it.  Not generated.
  - A URL query that is not already canonical: botocore only splits and sorts
    it (no decode/encode); wire-form queries go through params instead.
  - A Date header: botocore then signs Date and adds no X-Amz-Date.
  - White space outside ASCII (U+00A0, U+2003...) and U+001C..U+001F in header
    values: Python's str.split() folds them, SigV4 does not.
  - A request without Host: botocore takes it from the URL, we require it.
  - An x-amz-content-sha256 header given without sign_body: botocore uses it
    as the payload hash; our callers pass payload_hash instead.
  - Raw white space in the path: urlsplit() strips or drops it.
  - Headers we never sign that this botocore still signs (botocore before
    1.31 skipped only expect, user-agent, x-amzn-trace-id): dropped from the
    generated requests, and named in a diagnostic line.
"""

import base64
import calendar
import datetime
import hashlib
import json
import os
import random
import subprocess
import sys
import types
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bstest  # noqa: E402


def _find_botocore():
    """Import botocore, or re-run under an interpreter that has it."""
    try:
        import botocore.auth  # noqa: F401
        return True
    except ImportError:
        pass
    if os.environ.get("SIGV4_DIFF_REEXEC"):
        return False
    for cand in (os.environ.get("BS_PYTHON"), "python3", "/usr/bin/python3"):
        if not cand:
            continue
        try:
            r = subprocess.run([cand, "-c", "import botocore.auth"],
                               capture_output=True)
        except OSError:
            continue
        if r.returncode == 0:
            env = dict(os.environ, SIGV4_DIFF_REEXEC="1")
            os.execve(_which(cand), [cand] + sys.argv, env)
    return False


def _which(cmd):
    if os.path.sep in cmd:
        return cmd
    for d in os.environ.get("PATH", "").split(os.pathsep):
        p = os.path.join(d, cmd)
        if os.access(p, os.X_OK):
            return p
    return cmd


if not _find_botocore():
    bstest.skip_all("no Python with botocore (tried $BS_PYTHON, python3, "
                    "/usr/bin/python3): cannot compare signatures")

import botocore  # noqa: E402
import botocore.auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

# ---------------------------------------------------------------------------
# Freezing botocore's clock (1.43 calls get_current_datetime; 1.29 utcnow).
_FROZEN = [datetime.datetime(2025, 1, 1)]

if hasattr(botocore.auth, "get_current_datetime"):
    botocore.auth.get_current_datetime = lambda *a, **k: _FROZEN[0]
else:
    class _FrozenDateTime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return _FROZEN[0]
    botocore.auth.datetime = types.SimpleNamespace(datetime=_FrozenDateTime)

# ---------------------------------------------------------------------------
# The generator.
REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-central-1",
           "eu-west-3", "ap-northeast-1", "ap-southeast-2", "sa-east-1",
           "me-central-1", "us-gov-west-1", "cn-north-1"]
CREDS = [
    ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
    ("ASIAQEXAMPLE7EXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"),
    ("AKIAZZZZEXAMPLE12345", "x" * 100),       # "AWS4"+secret > one block
]
UNRESERVED = ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
              "0123456789-._~")
SUBDELIMS = "!$&'()*+,;=:@"
NEEDS_ENCODING = " \"#%<>?[\\]^`{|}"
UNICODE = "éüß€中文😀ñø"
MODEL_IDS = ["anthropic.claude-3-5-sonnet-20240620-v1:0",
             "us.anthropic.claude-3-5-haiku-20241022-v1:0",
             "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
             "amazon.titan-embed-text-v2:0", "meta.llama3-70b-instruct-v1:0"]
ARNS = ["arn:aws:bedrock:us-east-1:123456789012:inference-profile/"
        "us.anthropic.claude-3-haiku-20240307-v1:0",
        "arn:aws:bedrock:eu-west-3:123456789012:application-inference-"
        "profile/abc123def456",
        "arn:aws:bedrock:us-west-2::foundation-model/"
        "amazon.nova-pro-v1:0"]
UNSIGNED = ["User-Agent", "X-Amzn-Trace-Id", "Expect", "Connection",
            "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade",
            "Proxy-Authorization", "Proxy-Authenticate"]


def enc_upper(s, safe=""):
    return quote(s, safe=safe)


def enc_lower(s, safe=""):
    out, i = [], 0
    q = quote(s, safe=safe)
    while i < len(q):
        if q[i] == "%":
            out.append("%" + q[i + 1:i + 3].lower())
            i += 3
        else:
            out.append(q[i])
            i += 1
    return "".join(out)


def rand_text(rng, alphabet, lo, hi):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


def path_segment(rng, feat):
    r = rng.random()
    if r < 0.25:
        return rand_text(rng, UNRESERVED, 1, 12)
    if r < 0.40:
        feat["model-id"] += 1
        return enc_upper(rng.choice(MODEL_IDS))
    if r < 0.48:
        feat["arn"] += 1
        return enc_upper(rng.choice(ARNS))
    if r < 0.58:
        feat["utf8-path"] += 1
        s = rand_text(rng, UNICODE + "abc", 1, 6)
        return rng.choice([enc_upper, enc_lower])(s)
    if r < 0.66:
        feat["raw-subdelims"] += 1
        return rand_text(rng, SUBDELIMS + "abc", 1, 8)
    if r < 0.74:
        feat["encoded-reserved"] += 1
        return enc_upper(rand_text(rng, NEEDS_ENCODING + "/xy", 1, 8))
    if r < 0.79:
        feat["dot-segment"] += 1
        return rng.choice([".", ".."])
    if r < 0.83:
        feat["empty-segment"] += 1
        return ""
    if r < 0.86:
        feat["raw-utf8-path"] += 1
        return rand_text(rng, UNICODE, 1, 3)
    return rand_text(rng, UNRESERVED + SUBDELIMS, 1, 10)


def make_path(rng, feat):
    segs = [path_segment(rng, feat) for _ in range(rng.randint(0, 5))]
    path = "/" + "/".join(segs)
    if segs and rng.random() < 0.2:
        path += "/"
        feat["trailing-slash"] += 1
    return path


def query_text(rng):
    r = rng.random()
    if r < 0.4:
        return rand_text(rng, UNRESERVED, 0, 10)
    if r < 0.6:
        return rand_text(rng, UNRESERVED + SUBDELIMS + "/?", 1, 10)
    if r < 0.8:
        return rand_text(rng, UNICODE + " %#&=+ab", 1, 8)
    return rng.choice(["SYSTEM_DEFINED", "100", "TEXT", "Anthropic",
                       "eyJhIjoxfQ==", "a b", "x/y:z"])


def wire_encode(rng, s, is_name):
    """Percent-encode s as some client might put it on the wire."""
    out = []
    for ch in s:
        if ch in "%&#" or (is_name and ch == "=") or ch == " " or \
                ord(ch) > 127 and rng.random() < 0.8:
            out.append(rng.choice([enc_upper, enc_lower])(ch))
        elif ch in UNRESERVED and rng.random() < 0.05:
            out.append("%%%02X" % ord(ch))
        elif ch not in UNRESERVED and rng.random() < 0.5:
            out.append(rng.choice([enc_upper, enc_lower])(ch))
        else:
            out.append(ch)
    return "".join(out)


def make_query(rng, feat):
    """(wire query for us, params for botocore, query for botocore's URL)."""
    r = rng.random()
    if r < 0.3:
        return "", [], ""
    names = [query_text(rng) or "k" for _ in range(rng.randint(1, 4))]
    pairs = []
    for _ in range(rng.randint(1, 6)):
        name = rng.choice(names)
        value = query_text(rng) if rng.random() < 0.85 else ""
        pairs.append((name, value))
    if len(pairs) != len({p[0] for p in pairs}):
        feat["repeated-query-name"] += 1
    if r < 0.7:
        feat["query-decoded"] += 1
        wire = []
        for name, value in pairs:
            w = wire_encode(rng, name, True)
            if value or rng.random() < 0.5:
                w += "=" + wire_encode(rng, value, False)
            else:
                feat["query-name-only"] += 1
            wire.append(w)
        return "&".join(wire), pairs, ""
    feat["query-canonical"] += 1
    canon = ["%s=%s" % (quote(n, safe="-_.~"), quote(v, safe="-_.~"))
             for n, v in pairs]
    rng.shuffle(canon)
    q = "&".join(canon)
    return q, [], q


def header_value(rng, feat):
    r = rng.random()
    if r < 0.35:
        return rand_text(rng, UNRESERVED + "/;=,:", 1, 30)
    if r < 0.55:
        feat["whitespace-runs"] += 1
        words = [rand_text(rng, UNRESERVED, 1, 6)
                 for _ in range(rng.randint(1, 4))]
        seps = [rng.choice([" ", "  ", "\t", " \t  ", "\x0b", "\x0c "])
                for _ in words]
        v = "".join(w + s for w, s in zip(words, seps))
        return rng.choice(["", " ", "\t "]) + v
    if r < 0.70:
        feat["obs-fold"] += 1
        lines = [rand_text(rng, UNRESERVED + " \"", 1, 12)
                 for _ in range(rng.randint(2, 3))]
        return rng.choice(["\r\n ", "\n\t", "\r\n\t  ", "\n "]).join(lines)
    if r < 0.78:
        feat["empty-header-value"] += 1
        return rng.choice(["", "   "])
    if r < 0.85:
        feat["utf8-header"] += 1
        return rand_text(rng, UNICODE + "ab ", 1, 10).replace("😀", "x")
    return rand_text(rng, "".join(chr(c) for c in range(0x21, 0x7f)), 1, 40)


def case_variant(rng, name):
    r = rng.random()
    if r < 0.6:
        return name
    if r < 0.8:
        return name.lower()
    return name.upper()


def make_headers(rng, host, feat):
    hs = []
    if rng.random() < 0.6:
        hs.append(("Content-Type", rng.choice(
            ["application/json", "application/x-amz-json-1.1",
             "application/x-www-form-urlencoded; charset=utf-8"])))
    if rng.random() < 0.3:
        hs.append(("Accept", "application/vnd.amazon.eventstream"))
    for i in range(rng.randint(0, 4)):
        name = "X-Test-%d" % rng.randint(0, 3)
        for _ in range(1 if rng.random() < 0.7 else rng.randint(2, 3)):
            hs.append((case_variant(rng, name), header_value(rng, feat)))
    if rng.random() < 0.25:
        feat["unsigned-header"] += 1
        for _ in range(rng.randint(1, 3)):
            hs.append((case_variant(rng, rng.choice(UNSIGNED)),
                       header_value(rng, feat)))
    if rng.random() < 0.2:
        hs.append(("X-Amzn-Bedrock-Trace", "ENABLED"))
    hs.insert(rng.randint(0, len(hs)), (case_variant(rng, "Host"), host))
    names = [n.lower() for n, _ in hs]
    if len(names) != len(set(names)):
        feat["repeated-header"] += 1
    return hs


def make_body(rng, feat):
    r = rng.random()
    if r < 0.45:
        feat["empty-body"] += 1
        return b""
    if r < 0.75:
        return json.dumps({"messages": [{"role": "user", "content": [
            {"text": rand_text(rng, UNRESERVED + UNICODE + " \n",
                               0, 1500)}]}]}).encode()
    if r < 0.90:
        return rng.randbytes(rng.randint(1, 70000))
    if r < 0.96:
        feat["64KiB-body"] += 1
        return rng.randbytes(65536)
    feat["1MiB-body"] += 1
    return rng.randbytes(1 << 20)


def make_time(rng):
    special = [datetime.datetime(2024, 2, 29, 23, 59, 59),
               datetime.datetime(2025, 1, 1, 0, 0, 0),
               datetime.datetime(2038, 1, 19, 3, 14, 8),
               datetime.datetime(2099, 12, 31, 23, 59, 59)]
    if rng.random() < 0.1:
        return rng.choice(special)
    lo = calendar.timegm((2015, 1, 1, 0, 0, 0))
    hi = calendar.timegm((2036, 1, 1, 0, 0, 0))
    return datetime.datetime.fromtimestamp(rng.randint(lo, hi),
                                           datetime.timezone.utc).replace(
                                               tzinfo=None)


def make_token(rng, feat):
    r = rng.random()
    if r < 0.55:
        return None
    if r < 0.6:
        feat["empty-token"] += 1
        return ""
    feat["session-token"] += 1
    b64 = UNRESERVED[:62] + "+/"
    return rand_text(rng, b64, 100, 1200) + rng.choice(["", "=", "=="])


def host_for(service, region, rng):
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else \
        "amazonaws.com"
    if service == "bedrock":
        return "%s.%s.%s" % (rng.choice(["bedrock-runtime", "bedrock"]),
                             region, suffix)
    if service == "sts":
        return "sts.%s.%s" % (region, suffix)
    return "iam." + suffix


def generate(count, seed):
    rng = random.Random(seed)
    feat = {k: 0 for k in (
        "model-id", "arn", "utf8-path", "raw-subdelims", "encoded-reserved",
        "dot-segment", "empty-segment", "raw-utf8-path", "trailing-slash",
        "query-decoded", "query-canonical", "query-name-only",
        "repeated-query-name", "whitespace-runs", "obs-fold",
        "empty-header-value", "utf8-header", "unsigned-header",
        "repeated-header", "empty-body", "64KiB-body", "1MiB-body",
        "session-token", "empty-token", "sign-body", "scope-reused")}
    reqs, prev = [], None
    for i in range(count):
        if prev is not None and rng.random() < 0.3:
            feat["scope-reused"] += 1
            akid, secret, region, service, day = prev
            when = day + datetime.timedelta(seconds=rng.randint(0, 86399))
        else:
            akid, secret = rng.choice(CREDS)
            service = rng.choice(["bedrock", "bedrock", "sts", "iam"])
            region = "us-east-1" if service == "iam" else rng.choice(REGIONS)
            when = make_time(rng)
        day = datetime.datetime(when.year, when.month, when.day)
        prev = (akid, secret, region, service, day)
        host = host_for(service, region, rng)
        wire_q, params, url_q = make_query(rng, feat)
        sign_body = rng.random() < 0.1
        if sign_body:
            feat["sign-body"] += 1
        reqs.append({
            "id": i,
            "method": rng.choice(["GET", "POST", "PUT", "DELETE"]),
            "host": host,
            "path": make_path(rng, feat),
            "query": wire_q,
            "params": params,
            "url_query": url_q,
            "headers": make_headers(rng, host, feat),
            "body": make_body(rng, feat),
            "akid": akid, "secret": secret,
            "token": make_token(rng, feat),
            "region": region, "service": service,
            "when": when,
            "sign_body": sign_body,
        })
    return reqs, feat


# ---------------------------------------------------------------------------
def cli_input(r, canonical=False):
    d = {"id": r["id"], "method": r["method"], "path": r["path"],
         "query": r["query"], "headers": [list(h) for h in r["headers"]],
         "body_b64": base64.b64encode(r["body"]).decode(),
         "akid": r["akid"], "secret": r["secret"],
         "region": r["region"], "service": r["service"],
         "time": calendar.timegm(r["when"].utctimetuple()),
         "sign_body": r["sign_body"], "canonical": canonical}
    if r["token"] is not None:
        d["token"] = r["token"]
    return json.dumps(d)


def run_cli(cli, reqs, canonical=False):
    data = "".join(cli_input(r, canonical) + "\n" for r in reqs)
    p = subprocess.run([cli], input=data.encode(), capture_output=True,
                       timeout=600)
    if p.returncode != 0:
        raise RuntimeError("sigv4-cli exited %d: %s" %
                           (p.returncode, p.stderr.decode(errors="replace")))
    return [json.loads(line) for line in p.stdout.decode().splitlines()]


def botocore_request(r):
    url = "https://" + r["host"] + r["path"]
    if r["url_query"]:
        url += "?" + r["url_query"]
    req = AWSRequest(method=r["method"], url=url, data=r["body"],
                     params=list(r["params"]))
    for name, value in r["headers"]:
        req.headers[name] = value
    if r["sign_body"]:
        req.headers["X-Amz-Content-SHA256"] = \
            hashlib.sha256(r["body"]).hexdigest()
    return req


def botocore_sign(r):
    _FROZEN[0] = r["when"]
    req = botocore_request(r)
    creds = Credentials(r["akid"], r["secret"], r["token"])
    auth = botocore.auth.SigV4Auth(creds, r["service"], r["region"])
    auth.add_auth(req)
    return req, auth


def botocore_canonical(r):
    req, auth = botocore_sign(r)
    del req.headers["Authorization"]
    cr = auth.canonical_request(req)
    return cr, auth.string_to_sign(req, cr)


def describe(r):
    return "%s %s %s %s%s%s body=%d q=%s" % (
        r["method"], r["service"], r["region"],
        r["when"].strftime("%Y%m%dT%H%M%SZ"),
        " token" if r["token"] else "",
        " sign_body" if r["sign_body"] else "",
        len(r["body"]),
        "params" if r["params"] else "url" if r["url_query"] else "none")


def find_cli():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    cands = args[:1] + [os.environ.get("SIGV4_CLI", "")]
    bd = bstest.builddir()
    cands += [os.path.join(bd, "tests", "unit", "sigv4-cli"),
              os.path.join(bd, "sigv4-cli")]
    for c in cands:
        if c and os.access(c, os.X_OK):
            return c
    return None


def option(name, default):
    for i, a in enumerate(sys.argv):
        if a == name and i + 1 < len(sys.argv):
            return int(sys.argv[i + 1])
        if a.startswith(name + "="):
            return int(a.split("=", 1)[1])
    return default


def main():
    count = option("--count", 1200)
    seed = option("--seed", 20251125)
    cli = find_cli()
    if cli is None:
        print("Bail out! sigv4-cli not found (give its path, or set "
              "SIGV4_CLI or BS_BUILDDIR)")
        sys.exit(1)
    bstest.diag("botocore %s (%s), sigv4-cli %s, %d requests, seed %d" % (
        botocore.__version__, sys.executable, cli, count, seed))
    reqs, feat = generate(count, seed)
    theirs = set(getattr(botocore.auth, "SIGNED_HEADERS_BLACKLIST", []))
    drop = {n.lower() for n in UNSIGNED} - theirs
    if drop:
        bstest.diag("botocore %s signs %s: not generated" % (
            botocore.__version__, ", ".join(sorted(drop))))
        for r in reqs:
            r["headers"] = [h for h in r["headers"]
                            if h[0].lower() not in drop]
    ours = run_cli(cli, reqs)
    bstest.eq(len(ours), len(reqs), "sigv4-cli answered every request")

    bad = []
    for r, o in zip(reqs, ours):
        try:
            req, _ = botocore_sign(r)
            want = req.headers["Authorization"]
            want_date = req.headers["X-Amz-Date"]
        except Exception as e:  # noqa: BLE001
            want, want_date = "botocore error: %r" % e, ""
        got = o.get("authorization") or ("error: %s" % o.get("error"))
        good = o.get("id") == r["id"] and got == want and \
            o.get("amz_date") == want_date
        if not bstest.ok(good, "request %d: %s" % (r["id"], describe(r)),
                         lambda: "got  %s\nwant %s" % (got, want)):
            bad.append(r)

    # For the first few mismatches, show both canonical requests.
    for r in bad[:5]:
        o = run_cli(cli, [r], canonical=True)[0]
        cr, sts = botocore_canonical(r)
        bstest.diag("request %d, ours:\n%s\n--\n%s" % (
            r["id"], o.get("canonical_request"), o.get("string_to_sign")))
        bstest.diag("request %d, botocore:\n%s\n--\n%s" % (r["id"], cr, sts))

    bstest.diag("coverage: " + ", ".join("%s=%d" % kv
                                         for kv in sorted(feat.items())))
    for k, v in sorted(feat.items()):
        bstest.ok(v >= max(3, count // 200),
                  "the generated mix has %s (%d)" % (k, v))
    methods = {r["method"] for r in reqs}
    services = {r["service"] for r in reqs}
    bstest.eq(sorted(methods), ["DELETE", "GET", "POST", "PUT"],
              "all four methods generated")
    bstest.eq(sorted(services), ["bedrock", "iam", "sts"],
              "all three services generated")
    bstest.done()


if __name__ == "__main__":
    main()
