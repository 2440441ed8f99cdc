#!/usr/bin/env python3
"""The CA bundle, end to end: AWS_CA_BUNDLE and the profile's ca_bundle
are what the program trusts, and nothing turns TLS verification off.

The stand-in serves https:// with a self-signed certificate made at test
time (openssl req, into a temporary folder), so it is trusted only through
a bundle that holds it:

- no bundle, an empty AWS_CA_BUNDLE, an unrelated certificate: the TLS
  handshake fails, nothing reaches the stand-in, doctor could not run
  (exit 3) and says to point AWS_CA_BUNDLE at the right bundle;
- AWS_CA_BUNDLE or ca_bundle naming the certificate: every gate passes;
  AWS_CA_BUNDLE wins over the profile's ca_bundle;
- through a forward proxy (https_proxy, CONNECT): TLS is still checked
  against the stand-in's certificate, end to end;
- a bundle that does not exist, a folder, or a file with no certificate:
  a clear error naming the file and where it was set, no crash, no
  request sent;
- there is no option to skip verification (--no-verify-ssl is a usage
  error); --demo uses no network, so a broken bundle does not stop it.
"""

import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import bstest as t  # noqa: E402
from fwdproxy import FwdProxy  # noqa: E402

GATES = ["credentials", "region", "model_access", "terms", "iam", "invoke"]
FOLDER = tempfile.mkdtemp(prefix="bs-ca-")
MISSING = os.path.join(FOLDER, "no-such-bundle.pem")


def env_for(aws, url=None, config=None, **extra):
    """The client's environment; config is the text of ~/.aws/config."""
    c = aws.scenario["client"]
    env, home = t.clean_env(AWS_ENDPOINT_URL=url or aws.url,
                            AWS_REGION=c["region"],
                            AWS_ACCESS_KEY_ID=c["access_key_id"],
                            AWS_SECRET_ACCESS_KEY=c["secret_access_key"],
                            AWS_MAX_ATTEMPTS="1", **extra)
    if config is not None:
        os.makedirs(os.path.join(home, ".aws"))
        with open(os.path.join(home, ".aws", "config"), "w") as f:
            f.write(config)
    return env


def doctor(name, aws, env):
    r = t.run(["doctor", "--json", "--model", aws.scenario["client"]["model"]],
              env=env)
    t.ok(r.returncode >= 0 and "Sanitizer" not in r.stderr,
         name + ": no crash (exit %d)" % r.returncode, r.stderr[-1500:])
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        t.ok(False, name + ": doctor --json prints one JSON object",
             r.stdout[:800] + r.stderr[-1500:])
        return r, {}
    return r, doc


def first_gate(doc):
    return (doc.get("gates") or [{}])[0]


def passes(name, r, doc, aws):
    failed = [g["id"] for g in doc.get("gates", [])
              if g["status"] not in ("pass", "warn")]
    t.ok(r.returncode == 0 and failed == [] and
         [g["id"] for g in doc.get("gates", [])][:6] == GATES,
         name + ": doctor passes every gate",
         lambda: "exit %d, not passed: %s\n%s\n%s" % (
             r.returncode, failed, json.dumps(first_gate(doc)),
             r.stderr[-1500:]))
    log = aws.requests()
    t.ok(len(log) >= 5 and all(e.get("sig_ok") for e in log
                               if e.get("signed")),
         name + ": %d requests reached the stand-in over TLS, signatures "
         "verified" % len(log))


def tls_refused(name, r, doc, aws):
    g = first_gate(doc)
    t.ok(r.returncode == 3 and g.get("id") == "credentials" and
         g.get("status") == "skip" and "TLS" in g.get("summary", ""),
         name + ": the TLS handshake fails, doctor could not run (exit %d)"
         % r.returncode, lambda: json.dumps(g) + r.stderr[-800:])
    t.contains(g.get("fix", ""), "AWS_CA_BUNDLE",
               name + ": the fix names AWS_CA_BUNDLE")
    t.eq(aws.requests(), [], name + ": no request reached the stand-in")


def bad_bundle(name, r, doc, path, where):
    g = first_gate(doc)
    text = g.get("summary", "") + "\n" + g.get("fix", "")
    t.ok(r.returncode in (1, 3) and g.get("status") in ("fail", "skip"),
         name + ": the first gate does not pass (exit %d)" % r.returncode,
         lambda: json.dumps(g) + r.stderr[-800:])
    t.contains(text, path, name + ": the message names the file")
    t.contains(text, where, name + ": the message says where it was set")
    t.ok(len(doc.get("gates", [])) == 1, name + ": nothing else was tried",
         doc.get("gates"))


# Paths that cannot be a bundle: checked before any request, over http://
# or https://, so these run without openssl too.
with t.standin("happy").start() as aws:
    r, doc = doctor("missing AWS_CA_BUNDLE", aws,
                    env_for(aws, AWS_CA_BUNDLE=MISSING))
    bad_bundle("missing AWS_CA_BUNDLE", r, doc, MISSING,
               "environment variable AWS_CA_BUNDLE")
    t.contains(first_gate(doc).get("summary", ""), "No such file",
               "missing AWS_CA_BUNDLE: says the file does not exist")
    r, doc = doctor("missing ca_bundle", aws, env_for(
        aws, config="[default]\nca_bundle = %s\n" % MISSING))
    bad_bundle("missing ca_bundle", r, doc, MISSING, "profile default in")
    r, doc = doctor("folder as bundle", aws,
                    env_for(aws, AWS_CA_BUNDLE=FOLDER))
    bad_bundle("folder as bundle", r, doc, FOLDER,
               "environment variable AWS_CA_BUNDLE")
    t.contains(first_gate(doc).get("summary", ""), "is not a file",
               "folder as bundle: says it is not a file")
    t.eq(aws.requests(), [], "bad bundle paths: no request was sent")
    for args in (["chat", "--model", "amazon.nova-micro-v1:0", "Say hello"],
                 ["models"]):
        r = t.run(args, env=env_for(aws, AWS_CA_BUNDLE=MISSING))
        t.ok(r.returncode == 3 and MISSING in r.stderr and
             "Sanitizer" not in r.stderr,
             "missing AWS_CA_BUNDLE: %s could not run (exit 3), names the "
             "file" % args[0], lambda: "exit %d\n%s" % (r.returncode,
                                                       r.stderr[-800:]))
    env, _ = t.clean_env(AWS_CA_BUNDLE=MISSING)
    r = t.run(["--demo", "doctor", "--json"], env=env)
    t.eq(r.returncode, 0, "--demo: no network, so a broken bundle is not "
         "read")
    r = t.run(["--no-verify-ssl", "doctor"], env=env)
    t.eq(r.returncode, 2, "--no-verify-ssl does not exist (usage error): "
         "TLS verification cannot be turned off")

if shutil.which("openssl") is None:
    t.skip("https stand-in", "no openssl program to make a certificate")
    shutil.rmtree(FOLDER, ignore_errors=True)
    t.done()

try:
    cert, key = t.make_cert(FOLDER, "standin")
    other, _ = t.make_cert(FOLDER, "unrelated")
except RuntimeError as e:
    t.ok(False, "openssl makes the test certificates", str(e))
    t.done()
garbage = os.path.join(FOLDER, "garbage.pem")
with open(garbage, "w") as f:
    f.write("this is not a certificate\n")

with t.standin("happy", tls=(cert, key)).start() as aws:
    t.ok(aws.url.startswith("https://127.0.0.1:"), "the stand-in serves "
         "https://", aws.url)

    # Not trusted: no bundle, an empty variable, another certificate.
    for name, extra in (("no bundle", {}),
                        ("empty AWS_CA_BUNDLE", {"AWS_CA_BUNDLE": ""}),
                        ("unrelated AWS_CA_BUNDLE", {"AWS_CA_BUNDLE": other})):
        aws.clear_requests()
        r, doc = doctor(name, aws, env_for(aws, **extra))
        tls_refused(name, r, doc, aws)

    # Trusted through AWS_CA_BUNDLE, through ca_bundle, and which wins.
    aws.clear_requests()
    r, doc = doctor("AWS_CA_BUNDLE", aws, env_for(aws, AWS_CA_BUNDLE=cert))
    passes("AWS_CA_BUNDLE", r, doc, aws)
    aws.clear_requests()
    r, doc = doctor("ca_bundle", aws, env_for(
        aws, config="[default]\nca_bundle = %s\n" % cert))
    passes("profile ca_bundle", r, doc, aws)
    aws.clear_requests()
    r, doc = doctor("unrelated ca_bundle", aws, env_for(
        aws, config="[default]\nca_bundle = %s\n" % other))
    tls_refused("unrelated profile ca_bundle", r, doc, aws)
    r, doc = doctor("AWS_CA_BUNDLE over ca_bundle", aws, env_for(
        aws, config="[default]\nca_bundle = %s\n" % other,
        AWS_CA_BUNDLE=cert))
    passes("AWS_CA_BUNDLE over ca_bundle", r, doc, aws)
    aws.clear_requests()
    r, doc = doctor("ca_bundle under AWS_CA_BUNDLE", aws, env_for(
        aws, config="[default]\nca_bundle = %s\n" % cert,
        AWS_CA_BUNDLE=other))
    tls_refused("unrelated AWS_CA_BUNDLE over a good ca_bundle", r, doc, aws)

    # A file that holds no certificate: curl cannot load it.
    r, doc = doctor("garbage bundle", aws,
                    env_for(aws, AWS_CA_BUNDLE=garbage))
    g = first_gate(doc)
    t.ok(r.returncode == 3 and g.get("status") == "skip" and
         garbage in g.get("summary", "") and
         "PEM" in g.get("fix", ""),
         "a file with no certificate: could not run, the file named, PEM "
         "asked for", lambda: json.dumps(g) + r.stderr[-800:])
    t.eq(aws.requests(), [], "a file with no certificate: nothing sent")

    # Through a proxy: CONNECT tunnels, TLS is checked end to end.
    with FwdProxy().start() as proxy:
        aws.clear_requests()
        r, doc = doctor("https_proxy", aws, env_for(
            aws, AWS_CA_BUNDLE=cert, https_proxy=proxy.url))
        passes("https_proxy with the bundle", r, doc, aws)
        plog = proxy.log()
        ports = {e.get("upstream_port") for e in plog}
        t.ok(plog and all(e["kind"] == "connect" and
                          e["target"] == "127.0.0.1:%d" % aws.port
                          for e in plog),
             "https_proxy: only CONNECT tunnels to the stand-in (%d)"
             % len(plog), plog)
        t.ok(all(e.get("client_port") in ports for e in aws.requests()),
             "https_proxy: every request came through a tunnel")
        proxy.clear()
        aws.clear_requests()
        r, doc = doctor("https_proxy untrusted", aws, env_for(
            aws, AWS_CA_BUNDLE=other, https_proxy=proxy.url))
        tls_refused("https_proxy, unrelated bundle", r, doc, aws)
        t.ok(any(e["kind"] == "connect" for e in proxy.log()),
             "https_proxy, unrelated bundle: the tunnel was opened, the "
             "certificate refused at the far end")

shutil.rmtree(FOLDER, ignore_errors=True)
t.done()
