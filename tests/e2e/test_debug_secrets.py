#!/usr/bin/env python3
"""No secret ever reaches output: every subcommand runs with --debug
against the loopback stand-in, with session credentials, and nothing it
prints on stdout or stderr, nor any file it writes, holds the secret
access key, the session token, or a request signature."""

import glob
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import bstest as t  # noqa: E402

HEX64 = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")


def available(sub):
    """Subcommands that exist in this build ('--help' works)."""
    return t.run([sub, "--help"]).returncode == 0


with t.standin("happy").start() as aws:
    creds = [c for c in aws.scenario["credentials"]
             if c.get("session_token")][0]
    secret, token = creds["secret_access_key"], creds["session_token"]
    out = tempfile.mkdtemp(prefix="bs-debug-")
    env, home = t.clean_env(AWS_ENDPOINT_URL=aws.url, AWS_REGION="us-east-1",
                            AWS_ACCESS_KEY_ID=creds["access_key_id"],
                            AWS_SECRET_ACCESS_KEY=secret,
                            AWS_SESSION_TOKEN=token)
    model = aws.scenario["client"]["model"]
    runs = [
        ["doctor", "--json", "--report", os.path.join(out, "doctor.md")],
        ["doctor", "--model", model],
        ["policy", "--model", model, "--validate", "--explain",
         "-o", os.path.join(out, "policy.json")],
        ["regions", "--json", "--timeout", "5"],
        ["models", "--json"],
        ["chat", "--model", model, "Reply with the single word: connected."],
        ["chat", "--json", "--no-stream", "--model", model, "hello"],
    ]
    ran = 0
    for args in runs:
        if not available(args[0]):
            t.skip("--debug %s" % args[0],
                   "the %s command is not in this build yet" % args[0])
            continue
        r = t.run(["--debug"] + args, env=env, timeout=120)
        ran += 1
        name = "--debug " + " ".join(args[:2])
        t.ok(r.returncode in (0, 1), name + ": ran (exit %d)" % r.returncode,
             r.stderr[-1500:])
        t.ok("debug: ->" in r.stderr, name + ": the trace is on stderr")
        both = r.stdout + r.stderr
        t.ok(secret not in both, name + ": no secret access key")
        t.ok(token not in both, name + ": no session token")
        t.ok(not re.search(r"Signature=(?!\*\*\*\*)", both),
             name + ": every Signature= is masked",
             lambda: re.findall(r"Signature=\S{0,12}", both)[:3])
        t.ok(not HEX64.search(both), name + ": no signature-like hex",
             lambda: HEX64.findall(both)[:3])
        t.ok("x-amz-security-token: ****" in both.lower() or
             "X-Amz-Security-Token" not in both,
             name + ": the token header is masked")

    # A secret key that does not match the key id: every answer is a
    # signature mismatch, whose message goes on, after its first line, to
    # echo the canonical request, session token included.  Neither the
    # trace nor any message may show that echo.
    bad, _ = t.clean_env(home=home, AWS_ENDPOINT_URL=aws.url,
                         AWS_REGION="us-east-1",
                         AWS_ACCESS_KEY_ID=creds["access_key_id"],
                         AWS_SECRET_ACCESS_KEY="x" * 40,
                         AWS_SESSION_TOKEN=token)
    out2 = tempfile.mkdtemp(prefix="bs-debug-bad-")
    for args in runs:
        if not available(args[0]):
            continue
        args = [a.replace(out, out2) for a in args]
        r = t.run(["--debug"] + args, env=bad, timeout=120)
        name = "--debug " + " ".join(args[:2]) + ", wrong secret key"
        both = r.stdout + r.stderr
        t.ok("does not match" in both, name + ": AWS's refusal is traced",
             r.stderr[-1500:])
        t.ok(token not in both and "Canonical String" not in both,
             name + ": not its echo of the signed request (the token)",
             lambda: both[both.find("Canonical"):][:600])
        t.ok(not HEX64.search(both), name + ": no signature-like hex",
             lambda: HEX64.findall(both)[:3])
    files = glob.glob(os.path.join(out, "*")) + glob.glob(
        os.path.join(out2, "*")) + glob.glob(
        os.path.join(home, "**"), recursive=True)
    for f in files:
        if not os.path.isfile(f):
            continue
        text = open(f, errors="replace").read()
        t.ok(secret not in text and token not in text and
             not HEX64.search(text),
             "file %s: no secret and no signature" % os.path.basename(f))
    t.ok(ran >= 3, "at least doctor and policy ran with --debug")

t.done()
