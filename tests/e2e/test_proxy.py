#!/usr/bin/env python3
"""Proxies: the HTTP layer leaves proxy selection to libcurl, which reads
http_proxy, https_proxy (or HTTPS_PROXY), ALL_PROXY and no_proxy (or
NO_PROXY) from the environment.  Against the loopback stand-in (plain
http://) and a tiny forward proxy (fwdproxy.py) that logs what passed
through it:

- http_proxy set: doctor --json passes every gate and every request the
  stand-in saw came through the proxy (the stand-in's client ports are
  the proxy's upstream ports), signatures still verified; chat streams
  its answer through it;
- no_proxy / NO_PROXY naming the host, or "*": nothing goes through the
  proxy, and doctor still passes;
- what libcurl does, written down here so nobody has to rediscover it
  (curl 7.88): loopback gets no special treatment (127.0.0.1 goes through
  http_proxy unless no_proxy names it); no_proxy compares host names as
  written (127.0.0.1 does not cover localhost); upper-case HTTP_PROXY is
  ignored (httpoxy), https_proxy is only for https:// URLs;
- a proxy that is down or whose name does not resolve: doctor could not
  run (exit 3), and says to check the proxy settings; no crash;
- the demo account (--demo) never touches the network, proxy or not.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import bstest as t  # noqa: E402
from fwdproxy import FwdProxy  # noqa: E402

GATES = ["credentials", "region", "model_access", "terms", "iam", "invoke"]


def env_for(aws, **extra):
    c = aws.scenario["client"]
    env, _ = t.clean_env(AWS_ENDPOINT_URL=aws.url, AWS_REGION=c["region"],
                         AWS_ACCESS_KEY_ID=c["access_key_id"],
                         AWS_SECRET_ACCESS_KEY=c["secret_access_key"],
                         AWS_MAX_ATTEMPTS="1", **extra)
    return env


def doctor(name, aws, env):
    r = t.run(["doctor", "--json", "--model", aws.scenario["client"]["model"]],
              env=env)
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        t.ok(False, name + ": doctor --json prints one JSON object",
             r.stdout[:800] + r.stderr[-1500:])
        return r, {}
    return r, doc


def passes(name, r, doc):
    failed = [g["id"] for g in doc.get("gates", [])
              if g["status"] not in ("pass", "warn")]
    t.ok(r.returncode == 0 and failed == [] and
         [g["id"] for g in doc.get("gates", [])][:6] == GATES,
         name + ": doctor passes every gate",
         lambda: "exit %d, not passed: %s\n%s" % (r.returncode, failed,
                                                 r.stderr[-1500:]))


def verified(name, log):
    signed = [e for e in log if e.get("signed")]
    t.ok(signed and all(e.get("sig_ok") for e in signed),
         name + ": every signed request (%d) verified at the stand-in"
         % len(signed), lambda: [(e.get("op"), e.get("error"))
                                 for e in signed if not e.get("sig_ok")])


with t.standin("happy").start() as aws, FwdProxy().start() as proxy:
    host = "127.0.0.1:%d" % aws.port

    # 1. http_proxy: everything goes through the proxy, and still verifies.
    r, doc = doctor("http_proxy", aws, env_for(aws, http_proxy=proxy.url))
    passes("http_proxy", r, doc)
    plog, log = proxy.log(), aws.requests()
    fwd = [e for e in plog if e["kind"] == "forward"]
    t.ok(len(fwd) >= 5 and all(e["target"].startswith("http://" + host + "/")
                               for e in fwd),
         "http_proxy: %d requests went to the proxy in absolute form, "
         "for the stand-in" % len(fwd), plog)
    t.eq(len(fwd), len(log), "http_proxy: as many requests through the "
         "proxy as reached the stand-in")
    ports = {e["upstream_port"] for e in fwd}
    t.ok(log and all(e.get("client_port") in ports for e in log),
         "http_proxy: every request the stand-in saw came from the proxy",
         lambda: sorted({e.get("client_port") for e in log} - ports))
    ops = {e.get("op") for e in log}
    for op in ("GetCallerIdentity", "ListFoundationModels",
               "ConverseStream"):
        t.ok(op in ops, "http_proxy: %s went through the proxy" % op,
             sorted(o for o in ops if o))
    verified("http_proxy", log)
    t.ok(not [e for e in plog if e["kind"] != "forward"],
         "http_proxy: no CONNECT for http://", plog)

    # chat: the event stream is relayed chunk by chunk through the proxy.
    proxy.clear()
    aws.clear_requests()
    r = t.run(["chat", "--model", aws.scenario["client"]["model"],
               "Say hello"], env=env_for(aws, http_proxy=proxy.url))
    t.ok(r.returncode == 0 and r.stdout.strip() != "",
         "http_proxy: chat gets its streamed answer through the proxy",
         r.stdout + r.stderr[-1000:])
    t.ok(any(e["kind"] == "forward" and "/converse-stream" in e["target"]
             for e in proxy.log()),
         "http_proxy: chat's ConverseStream went through the proxy",
         proxy.log())
    verified("chat through the proxy", aws.requests())

    # 2. no_proxy naming the host, in either case, or "*": the proxy is
    # never used.
    for var, value in (("no_proxy", "127.0.0.1"), ("NO_PROXY", "127.0.0.1"),
                       ("no_proxy", "*"),
                       ("no_proxy", "example.com,127.0.0.1")):
        proxy.clear()
        aws.clear_requests()
        name = "%s=%s" % (var, value)
        r, doc = doctor(name, aws, env_for(aws, http_proxy=proxy.url,
                                           **{var: value}))
        passes(name, r, doc)
        t.eq(proxy.log(), [], name + ": nothing went through the proxy")
        t.ok(len(aws.requests()) >= 5, name + ": the stand-in was called "
             "directly", len(aws.requests()))

    # 3. What libcurl does with the other variables (documented above).
    proxy.clear()
    r, doc = doctor("no_proxy=localhost", aws,
                    env_for(aws, http_proxy=proxy.url, no_proxy="localhost"))
    passes("no_proxy=localhost", r, doc)
    t.ok(len(proxy.log()) >= 5, "no_proxy=localhost does not cover "
         "127.0.0.1: host names are compared as written, and loopback is "
         "proxied like any host")
    for var in ("HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        proxy.clear()
        r, doc = doctor(var, aws, env_for(aws, **{var: proxy.url}))
        passes(var + " only", r, doc)
        t.eq(proxy.log(), [], var + " only: not used for http:// (%s)" %
             ("curl ignores upper-case HTTP_PROXY" if var == "HTTP_PROXY"
              else "it is for https:// URLs"))
    proxy.clear()
    r, doc = doctor("ALL_PROXY", aws, env_for(aws, ALL_PROXY=proxy.url))
    passes("ALL_PROXY", r, doc)
    t.ok(len(proxy.log()) >= 5, "ALL_PROXY: used for http:// too")

    # 4. A proxy nobody listens on: the network fails, cleanly.
    dead = FwdProxy().start()
    dead_url = dead.url
    dead.stop()
    aws.clear_requests()
    r, doc = doctor("dead proxy", aws, env_for(aws, http_proxy=dead_url))
    cred = (doc.get("gates") or [{}])[0]
    t.ok(r.returncode == 3 and cred.get("id") == "credentials" and
         cred.get("status") == "skip",
         "dead proxy: exit 3 (could not run), the credentials gate could "
         "not be checked", lambda: json.dumps(cred) + r.stderr[-800:])
    t.contains(cred.get("fix", ""), "proxy settings (https_proxy, no_proxy)",
               "dead proxy: the fix names the proxy variables")
    t.eq(aws.requests(), [], "dead proxy: nothing reached the stand-in")
    r, doc = doctor("unknown proxy", aws, env_for(
        aws, http_proxy="http://no-such-proxy.invalid:3128"))
    cred = (doc.get("gates") or [{}])[0]
    t.ok(r.returncode == 3 and "proxy could not be resolved" in
         cred.get("summary", "") and "https_proxy" in cred.get("fix", "") and
         "Region name" not in cred.get("fix", ""),
         "a proxy name that does not resolve: exit 3, the proxy is blamed, "
         "not the Region", lambda: json.dumps(cred) + r.stderr[-800:])

    # 5. The demo account: no network at all, proxy variables or not.
    proxy.clear()
    env, _ = t.clean_env(http_proxy=proxy.url, https_proxy=proxy.url,
                         HTTPS_PROXY=proxy.url, ALL_PROXY=proxy.url)
    for args in (["--demo", "doctor", "--json"],
                 ["--demo", "chat", "Say hello"],
                 ["--demo", "regions", "--json"],
                 ["--demo", "models", "--json"]):
        r = t.run(args, env=env)
        t.eq(r.returncode, 0, "demo %s with proxy variables: exit 0"
             % args[1])
    t.eq(proxy.log(), [], "demo: nothing went through the proxy")

t.done()
