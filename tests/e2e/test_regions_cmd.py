#!/usr/bin/env python3
"""regions: every Region of the catalog with its latency and text-model
count, in text and JSON, against the loopback stand-in (which sees each
Region apart, since every request is signed for its own Region) and in the
demo; failing credentials, refused and timed-out Regions, --geography,
bad options, colour only on a terminal; and the sweep is parallel: the
stand-in's log shows every probe and model list in flight at once."""

import json
import os
import pty
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import bstest as t  # noqa: E402

KEYS = {"region", "name", "geography", "opt_in", "latency_ms", "models"}
CATALOG = json.load(open(os.path.join(t.srcdir(), "data", "catalog.json")))
REGIONS = [r["id"] for r in CATALOG["regions"]]
BY_ID = {r["id"]: r for r in CATALOG["regions"]}


def text_model(summary):
    """What regions counts: TEXT output, not legacy, callable on demand or
    through a profile (provisioned-only variants are not counted)."""
    types = summary.get("inferenceTypesSupported") or []
    return ("TEXT" in summary.get("outputModalities", [])
            and (summary.get("modelLifecycle") or {}).get("status")
            != "LEGACY"
            and (not types or "ON_DEMAND" in types
                 or "INFERENCE_PROFILE" in types))


def standin_counts(aws):
    """The text models the stand-in lists in each catalog Region."""
    w = aws.world
    return {r: sum(1 for m in w.models_in(r) if text_model(m.summary(r)))
            for r in REGIONS}


def env_for(aws, scenario_client=None, **extra):
    c = scenario_client or aws.scenario["client"]
    env, _ = t.clean_env(AWS_ENDPOINT_URL=aws.url, AWS_REGION="us-east-1",
                         AWS_ACCESS_KEY_ID=c["access_key_id"],
                         AWS_SECRET_ACCESS_KEY=c["secret_access_key"])
    if c.get("session_token"):
        env["AWS_SESSION_TOKEN"] = c["session_token"]
    env.update(extra)
    return env


def parse(name, r):
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        t.ok(False, name + ": a JSON array on stdout",
             r.stdout[-1500:] + r.stderr[-1500:])
        return []
    t.ok(isinstance(doc, list), name + ": a JSON array")
    return doc if isinstance(doc, list) else []


def check_shape(name, doc, regions=REGIONS):
    """Keys, catalog facts, and the order: by latency, unreachable last."""
    t.eq(sorted(x["region"] for x in doc), sorted(regions),
         name + ": one object per Region asked")
    t.ok(all(set(x) == KEYS | ({"error"} if x["latency_ms"] is None
                              else set()) for x in doc),
         name + ": exactly the documented keys (error only if unreachable)",
         lambda: [sorted(x) for x in doc][:3])
    t.ok(all(x["name"] == BY_ID[x["region"]]["name"] and
             x["geography"] == BY_ID[x["region"]]["geography"] and
             x["opt_in"] is bool(BY_ID[x["region"]]["opt_in"])
             for x in doc), name + ": name, geography, opt_in from the "
         "catalog")
    lat = [x["latency_ms"] for x in doc]
    reached = [v for v in lat if v is not None]
    t.ok(lat[:len(reached)] == reached and reached == sorted(reached),
         name + ": sorted by latency, unreachable last", lat)
    t.ok(all(isinstance(x["error"], str) and x["error"]
             for x in doc if x["latency_ms"] is None),
         name + ": an unreachable Region says why")


# ---------------------------------------------------------------- stand-in
with t.standin("happy").start() as aws:
    aws.update({"models": {"amazon.nova-micro-v1:0:128k": {
        "name": "Nova Micro 128k", "provider": "Amazon",
        "inference_types": ["PROVISIONED"], "regions": ["us-east-1"]}}})
    want = standin_counts(aws)
    env = env_for(aws)

    r = t.run(["regions", "--json"], env=env)
    t.eq(r.returncode, 0, "happy --json: exit 0")
    doc = parse("happy --json", r)
    check_shape("happy --json", doc)
    got = {x["region"]: x["models"] for x in doc}
    t.eq(got, want, "happy --json: text models per Region as listed there "
         "(no embedding, image, legacy or provisioned-only model)")
    t.ok(want["us-east-1"] > 0 and want["ap-east-2"] == 0,
         "the stand-in has models in us-east-1 and none in ap-east-2")
    t.ok(all(x["latency_ms"] is not None for x in doc),
         "happy --json: every Region answered")
    t.eq(r.stderr, "", "happy --json: nothing on stderr")
    log = aws.requests()
    probes = [e for e in log if e["path"] == "/ping"]
    lists = [e for e in log if e["op"] == "ListFoundationModels"]
    t.eq(sorted(e["region"] for e in probes), sorted(REGIONS),
         "stand-in: one probe per Region, each signed for its Region")
    t.ok(all(e["sig_ok"] for e in probes + lists),
         "stand-in: every probe and list signature verifies")
    t.eq(sorted(e["region"] for e in lists), sorted(REGIONS),
         "stand-in: one ListFoundationModels per Region")

    aws.clear_requests()
    r = t.run(["regions"], env=env)
    t.eq(r.returncode, 0, "happy text: exit 0")
    lines = r.stdout.splitlines()
    t.ok(lines and "REGION" in lines[0] and "LATENCY" in lines[0] and
         "MODELS" in lines[0], "happy text: a table with a heading",
         r.stdout)
    rows = [ln for ln in lines[1:] if ln[2:3].strip() and
            ln[2:].split()[0] in BY_ID]
    t.eq(len(rows), len(REGIONS), "happy text: one row per Region")
    t.ok(any(ln.startswith("* us-east-1 ") for ln in rows),
         "happy text: the Region in use is marked")
    use = next((ln for ln in rows if ln.startswith("* us-east-1")), "")
    t.ok(use.split()[-1] == str(want["us-east-1"]),
         "happy text: the model count of us-east-1", use)
    t.ok("\033[" not in r.stdout, "happy text: no colour into a pipe")
    t.contains(r.stdout, "Latency: connection set-up",
               "happy text: says what latency means")

    # --geography, case-insensitive; only those Regions are asked.
    aws.clear_requests()
    r = t.run(["regions", "--json", "--geography", "eUrOpE"], env=env)
    europe = [x for x in REGIONS if BY_ID[x]["geography"] == "Europe"]
    t.eq(r.returncode, 0, "--geography eUrOpE: exit 0")
    check_shape("--geography eUrOpE", parse("--geography", r), europe)
    t.eq(sorted({e["region"] for e in aws.requests()}), sorted(europe),
         "--geography: only Europe's Regions were asked")

    # Without any credentials: latency only, one line on stderr.
    aws.clear_requests()
    bare, _ = t.clean_env(AWS_ENDPOINT_URL=aws.url)
    r = t.run(["regions", "--json"], env=bare)
    t.eq(r.returncode, 0, "no credentials: exit 0")
    doc = parse("no credentials", r)
    check_shape("no credentials", doc)
    t.ok(all(x["models"] is None and x["latency_ms"] is not None
             for x in doc), "no credentials: latency, and models null")
    t.ok(len(r.stderr.strip().splitlines()) == 1,
         "no credentials: one line on stderr", r.stderr)
    t.ok("models not counted" in r.stderr and "aws configure" in r.stderr,
         "no credentials: says why and how to get counts", r.stderr)
    t.eq([e["op"] for e in aws.requests() if e["op"]], [],
         "no credentials: only probes were sent")

    # An opt-in Region not enabled for the account: no count there.
    aws.update({"regions": {"eu-south-1": {"enabled": False}}})
    r = t.run(["regions", "--json", "--geography", "Europe"], env=env)
    doc = parse("eu-south-1 disabled", r)
    t.eq(r.returncode, 0, "opt-in Region not enabled: exit 0")
    got = {x["region"]: x for x in doc}
    t.ok(got.get("eu-south-1", {}).get("models", 0) is None and
         got["eu-south-1"]["latency_ms"] is not None,
         "opt-in Region not enabled: reachable, models null", got)
    t.ok(got.get("eu-west-1", {}).get("models") == want["eu-west-1"],
         "opt-in Region not enabled: the others are counted")
    t.ok("eu-south-1" in r.stderr and "not enabled" in r.stderr,
         "opt-in Region not enabled: said on stderr", r.stderr)
    aws.update({"regions": {"eu-south-1": None}})

    # A Region slower than --timeout: unreachable, with the reason, last.
    aws.update({"regions": {"eu-west-1": {"latency_ms": 3000}}})
    r = t.run(["regions", "--json", "--geography", "europe", "--timeout",
               "0.8"], env=dict(env, AWS_MAX_ATTEMPTS="1"))
    doc = parse("slow eu-west-1", r)
    t.eq(r.returncode, 0, "one Region timed out: still exit 0")
    check_shape("one Region timed out", doc, europe)
    last = doc[-1] if doc else {}
    t.ok(last.get("region") == "eu-west-1" and last["latency_ms"] is None
         and "in time" in last.get("error", "") and last["models"] is None,
         "one Region timed out: last, latency null, error says so", last)
    r = t.run(["regions", "--geography", "europe", "--timeout", "0.8"],
              env=dict(env, AWS_MAX_ATTEMPTS="1"))
    t.ok(r.stdout.splitlines()[len(europe)].split()[0] == "eu-west-1" and
         "unreachable:" in r.stdout, "text: the unreachable Region is "
         "last, with the reason", r.stdout)
    aws.update({"regions": {"eu-west-1": {"latency_ms": 30}}})

    # ListFoundationModels refused everywhere: exit 1, the diagnosis.
    aws.update({"principals": {"user/alice": {"grants": [
        {"effect": "Allow", "actions": ["sts:GetCallerIdentity"],
         "resources": ["*"]}]}}})
    r = t.run(["regions", "--json"], env=env)
    t.eq(r.returncode, 1, "ListFoundationModels denied: exit 1")
    doc = parse("denied", r)
    t.ok(doc and all(x["models"] is None and x["latency_ms"] is not None
                     for x in doc), "denied: latency, models null")
    t.contains(r.stderr, "bedrock:ListFoundationModels",
               "denied: names the action to allow")
    t.eq(r.stderr.count("models not counted"), 1,
         "denied: one note for every Region, not one per Region")

# The failing-gate scenarios: latency always; counts when the keys work.
FAIL = {"no-credentials": "does not recognise the access key",
        "expired-token": "expired", "clock-skew": "clock"}
for scenario in ["iam-denied", "terms-pending", "wrong-region",
                 "throttled"] + sorted(FAIL):
    with t.standin(scenario).start() as aws:
        want = standin_counts(aws)
        r = t.run(["regions", "--json"], env=env_for(aws))
        doc = parse(scenario, r)
        check_shape(scenario, doc)
        t.ok(all(x["latency_ms"] is not None for x in doc),
             scenario + ": every Region's latency")
        if scenario in FAIL:
            t.eq(r.returncode, 1, scenario + ": exit 1 (refused)")
            t.ok(all(x["models"] is None for x in doc),
                 scenario + ": models null")
            t.contains(r.stderr, FAIL[scenario], scenario + ": says why")
            t.ok(len(r.stderr.splitlines()) > 1,
                 scenario + ": then the fix", r.stderr)
            t.eq(r.stdout.count("Signature"), 0, scenario + ": no "
                 "signature material on stdout")
        else:
            t.eq(r.returncode, 0, scenario + ": exit 0")
            t.eq({x["region"]: x["models"] for x in doc}, want,
                 scenario + ": counts")

# Nothing answers at all: exit 3, each Region says why.
r = t.run(["regions", "--json", "--timeout", "2"],
          env=t.clean_env(AWS_ENDPOINT_URL="http://127.0.0.1:9")[0])
t.eq(r.returncode, 3, "nothing answers: exit 3")
doc = parse("nothing answers", r)
t.ok(doc and all(x["latency_ms"] is None and x["error"] for x in doc),
     "nothing answers: every Region unreachable, with an error")
t.ok(r.stderr.startswith("bedrock-setup: no Region answered"),
     "nothing answers: one line says so first", r.stderr)


# ------------------------------------------------- the sweep is parallel
def overlap(entries):
    """How many requests were in flight at once, at most."""
    ev = sorted([(e["time_start"], 1) for e in entries] +
                [(e["time_end"], -1) for e in entries],
                key=lambda x: (x[0], x[1]))
    cur = peak = 0
    for _, d in ev:
        cur += d
        peak = max(peak, cur)
    return peak


with t.standin("happy").start() as aws:
    # Every Region slower than the last, 0.5 s to 0.84 s.
    aws.update({"regions": {r: {"latency_ms": 500 + 10 * i}
                            for i, r in enumerate(REGIONS)}})
    r = t.run(["regions", "--json"], env=env_for(aws))
    t.eq(r.returncode, 0, "parallel: exit 0")
    log = aws.requests()
    probes = [e for e in log if e["path"] == "/ping"]
    lists = [e for e in log if e["op"] == "ListFoundationModels"]
    sweep = probes + lists
    t.eq(len(sweep), 2 * len(REGIONS), "parallel: a probe and a list in "
         "every Region")
    t.ok(all(e["time_end"] - e["time_start"] >= 0.5 for e in sweep),
         "parallel: the stand-in held every request for its Region's "
         "latency")
    t.eq(overlap(probes), len(probes), "parallel: every probe was in "
         "flight at the same time")
    t.eq(overlap(lists), len(lists), "parallel: every model list was in "
         "flight at the same time")
    t.ok(max(e["time_start"] for e in lists) <
         min(e["time_end"] for e in probes) and
         max(e["time_start"] for e in probes) <
         min(e["time_end"] for e in lists),
         "parallel: the probes and the model lists ran together")

# ---------------------------------------------------------------- the demo
DEMO_ENV = t.clean_env(https_proxy="http://127.0.0.1:9",
                       http_proxy="http://127.0.0.1:9",
                       HTTPS_PROXY="http://127.0.0.1:9",
                       ALL_PROXY="http://127.0.0.1:9")[0]


def catalog_text_models(region):
    """The catalog's text models callable from region, legacy excluded."""
    n = 0
    for m in CATALOG["models"]:
        if not m.get("text") or m.get("lifecycle") == "LEGACY":
            continue
        if region in m.get("regions", []) or any(
                region in src for src in m.get("profiles", {}).values()):
            n += 1
    return n


r = t.run(["--demo", "regions", "--json"], env=DEMO_ENV)
t.eq(r.returncode, 0, "demo --json: exit 0 (no network: proxies are dead)")
doc = parse("demo --json", r)
check_shape("demo --json", doc)
lat = [x["latency_ms"] for x in doc]
t.ok(all(v is not None for v in lat) and len(set(lat)) >= 20,
     "demo: every Region answers, with latencies that differ", lat)
geo = {x["region"]: x["latency_ms"] for x in doc}
t.ok(geo.get("us-east-1", 1e9) < geo.get("eu-west-1", 0) <
     geo.get("ap-southeast-2", 0), "demo: from New York, Virginia is "
     "nearer than Ireland, and Ireland than Sydney", geo)
commercial = [x for x in doc if not x["region"].startswith("us-gov-")]
t.eq({x["region"]: x["models"] for x in commercial},
     {x["region"]: catalog_text_models(x["region"]) for x in commercial},
     "demo: the catalog's text models per Region")
t.ok(all(x["models"] is None for x in doc
         if x["region"].startswith("us-gov-")),
     "demo: GovCloud refuses the demo's keys: no count")
t.contains(r.stderr, "aws-us-gov partition", "demo: says why GovCloud has "
           "no count")

r = t.run(["--demo", "regions", "--geography", "GovCloud"], env=DEMO_ENV)
t.eq(r.returncode, 1, "demo GovCloud only: every count refused, exit 1")

r = t.run(["--demo=no-credentials", "regions"], env=DEMO_ENV)
t.eq(r.returncode, 0, "demo no-credentials: exit 0")
t.ok("* us-east-1" in r.stdout and " - " not in r.stdout.splitlines()[1]
     [:60], "demo no-credentials: a table with latency", r.stdout)
t.ok(len(r.stderr.strip().splitlines()) == 1,
     "demo no-credentials: one line on stderr", r.stderr)

r = t.run(["regions", "--demo=wrong-region", "--region", "ap-south-1",
           "--geography", "asia pacific"], env=DEMO_ENV)
t.ok(r.returncode == 0 and "* ap-south-1" in r.stdout,
     "demo: global options after the subcommand; --region marks it",
     r.stdout + r.stderr)


# ---------------------------------------------------------------- colour
def on_tty(args, extra=None):
    """Run with stdout on a terminal; returns what it wrote."""
    env = dict(DEMO_ENV, TERM="xterm", **(extra or {}))
    master, slave = pty.openpty()
    p = subprocess.Popen([t.binary()] + args, stdout=slave,
                         stderr=subprocess.DEVNULL, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    p.wait(timeout=60)
    os.close(master)
    return out.decode("utf-8", "replace")


t.ok("\033[" in on_tty(["--demo", "regions"]), "colour on a terminal")
t.ok("\033[" not in on_tty(["--demo", "regions", "--no-color"]),
     "no colour with --no-color")
t.ok("\033[" not in on_tty(["--demo", "regions"], {"NO_COLOR": "1"}),
     "no colour with NO_COLOR")
t.ok("\033[" not in on_tty(["--demo", "regions", "--json"]),
     "no colour in JSON")

# ---------------------------------------------------------------- usage
for args, what in [(["--geography", "Atlantis"], "unknown geography"),
                   (["--timeout", "0"], "timeout 0"),
                   (["--timeout", "-3"], "negative timeout"),
                   (["--timeout", "soon"], "timeout not a number"),
                   (["--timeout", "61"], "timeout over 60 s"),
                   (["--timeout", "nan"], "timeout nan"),
                   (["--timeout"], "timeout without a value"),
                   (["--bogus"], "unknown option"),
                   (["us-east-1"], "an argument"),
                   (["--demo=nosuch"], "unknown demo scenario")]:
    r = t.run(["regions"] + args, env=DEMO_ENV)
    t.eq(r.returncode, 2, "usage: %s: exit 2" % what)
    t.ok(r.stdout == "" and r.stderr.startswith("bedrock-setup: ") and
         len(r.stderr.splitlines()) == 1,
         "usage: %s: one line on stderr" % what, r.stderr)
r = t.run(["regions", "--geography", "Atlantis"], env=DEMO_ENV)
t.ok(all(g["name"] in r.stderr for g in CATALOG["geographies"]),
     "unknown geography: lists the valid ones", r.stderr)
r = t.run(["regions", "--help"])
t.eq(r.returncode, 0, "--help: exit 0")
for word in ["--json", "--geography", "--timeout", "Exit status"]:
    t.contains(r.stdout, word, "--help mentions " + word)
r = t.run(["--help"])
t.contains(r.stdout, "regions", "the program's --help lists regions")

t.done()
