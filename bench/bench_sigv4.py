#!/usr/bin/env python3
"""bench_sigv4: SigV4 signatures per second, ours against raw hashing and botocore.

Usage: bench_sigv4.py [BENCH_BINARY] [--seconds S]

For each request profile (the wizard's first call with long-term keys,
and a large prompt with session credentials), runs bench/bench_sigv4 (the C
signer with a warm key cache, and the raw SHA-256/HMAC work over the same
bytes), then botocore's SigV4Auth on the same request (from `bench_sigv4
--describe`), and prints the three rates and the ratios.  Figures only;
the targets (at least 50x botocore, within 3x of raw) are printed next to
them, not asserted.  See bench/README.
"""

import base64
import datetime
import json
import os
import subprocess
import sys
import time


def find_binary(args):
    cands = [a for a in args if not a.startswith("--")][:1]
    cands.append(os.environ.get("BENCH_SIGV4", ""))
    bd = os.environ.get("BS_BUILDDIR") or os.getcwd()
    cands += [os.path.join(bd, "bench", "bench_sigv4"),
              os.path.join(bd, "bench_sigv4")]
    for c in cands:
        if c and os.access(c, os.X_OK):
            return c
    sys.exit("bench_sigv4.py: bench_sigv4 not found (give its path, or set "
             "BENCH_SIGV4 or BS_BUILDDIR)")


def seconds_option(args):
    for i, a in enumerate(args):
        if a == "--seconds" and i + 1 < len(args):
            return float(args[i + 1])
    return 2.0


def botocore_rate(d, seconds):
    """Signatures per second of botocore's SigV4Auth, and its signature."""
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    when = datetime.datetime(1970, 1, 1) + datetime.timedelta(
        seconds=d["time"])
    if hasattr(botocore.auth, "get_current_datetime"):
        botocore.auth.get_current_datetime = lambda *a, **k: when
    else:                               # botocore before 1.31
        class Frozen(datetime.datetime):
            @classmethod
            def utcnow(cls):
                return when
        botocore.auth.datetime = type(datetime)("frozen")
        botocore.auth.datetime.datetime = Frozen
    body = base64.b64decode(d["body_b64"])
    creds = Credentials(d["akid"], d["secret"], d["token"])
    signer = botocore.auth.SigV4Auth(creds, d["service"], d["region"])
    url = "https://" + d["host"] + d["path"]

    def one():
        req = AWSRequest(method=d["method"], url=url, data=body)
        for name, value in d["headers"]:
            req.headers[name] = value
        signer.add_auth(req)
        return req

    req = one()
    n, t0 = 0, time.perf_counter()
    while True:
        for _ in range(200):
            one()
        n += 200
        t = time.perf_counter() - t0
        if t >= seconds:
            break
    sig = req.headers["Authorization"].rsplit("Signature=", 1)[1]
    return n / t, sig, botocore.__version__


# The requests measured: (name, body bytes, session-token characters).
PROFILES = [
    ("first call: the wizard's first message, long-term keys", 150, 0),
    ("large: a 1 KiB prompt, session credentials (SSO, a role)", 1024, 820),
]


def one_profile(binary, seconds, name, body, token):
    sizes = ["--body", str(body), "--token", str(token)]
    desc = json.loads(subprocess.run([binary, "--describe"] + sizes,
                                     check=True, capture_output=True,
                                     text=True).stdout)
    out = subprocess.run([binary, "--seconds", str(seconds)] + sizes,
                         check=True, capture_output=True, text=True).stdout
    fig = dict(line.split(" ", 1) for line in out.splitlines())
    ours = float(fig["ours_per_sec"])
    raw = float(fig["raw_per_sec"])
    print("== " + name)
    print("request:  " + fig["request"])
    print("ours:     %12.0f signatures/s  (warm key cache)" % ours)
    print("raw:      %12.0f signatures/s  (SHA-256 body + SHA-256 canonical "
          "request + HMAC)" % raw)
    try:
        boto, boto_sig, version = botocore_rate(desc, seconds)
    except ImportError:
        print("botocore: not installed in %s; no comparison" %
              sys.executable)
        boto = None
    if boto is not None:
        print("botocore: %12.0f signatures/s  (botocore %s, %s)" % (
            boto, version, sys.executable))
        print("signatures agree: %s" % (
            "yes" if boto_sig == fig["signature"] else "NO"))
        print("ours / botocore = %.1fx   (target: at least 50x)" %
              (ours / boto))
        print("raw / botocore  = %.1fx   (the most any signer built on "
              "this SHA-256 can reach)" % (raw / boto))
    print("raw / ours      = %.2fx   (target: at most 3x)" % (raw / ours))


def main():
    args = sys.argv[1:]
    binary = find_binary(args)
    seconds = seconds_option(args)
    for i, (name, body, token) in enumerate(PROFILES):
        if i > 0:
            print()
        one_profile(binary, seconds, name, body, token)


if __name__ == "__main__":
    main()
