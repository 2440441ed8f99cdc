#!/usr/bin/env python3
"""The models command: the models a Region offers, how each is called
there, and its live access state, in text and JSON, against the demo
account and the loopback stand-in in every scenario; --provider, --all,
the fall-back to the catalog, parallel availability calls (proved from
the stand-in's log), colours only on a terminal, exit statuses."""

import json
import os
import pty
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import bstest as t  # noqa: E402

KEYS = {"modelId", "provider", "name", "invoke_id", "call", "streaming",
        "lifecycle", "input_modalities", "output_modalities", "access",
        "access_detail"}
STATES = {"granted", "pending", "needs-form", "needs-subscription",
          "not-in-region", "denied", "unknown"}
CALLS = {"on-demand", "geo-profile", "global-profile", "application-profile",
         "provisioned"}
AVAIL = "GetFoundationModelAvailability"


def parse(name, r):
    """The JSON array models printed, checked for shape; [] on failure."""
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        t.ok(False, name + ": one JSON document on stdout",
             r.stdout[-800:] + r.stderr[-800:])
        return []
    t.ok(isinstance(doc, list), name + ": a JSON array")
    bad = [o for o in doc if set(o) < KEYS or o["access"] not in STATES or
           (o["call"] is not None and o["call"] not in CALLS) or
           not isinstance(o["input_modalities"], list) or
           not o["access_detail"] or
           o["streaming"] not in (True, False, None) or
           (o["invoke_id"] is None) != (o["call"] is None)]
    t.ok(not bad, name + ": every object has the documented fields", bad[:2])
    return doc


def by_id(doc):
    return {o["modelId"]: o for o in doc}


def grouped_sorted(doc):
    """Providers in contiguous groups, names sorted inside each."""
    seen, last = set(), None
    for o in doc:
        if o["provider"] != last:
            if o["provider"] in seen:
                return False
            seen.add(o["provider"])
            last = o["provider"]
    for p in seen:
        names = [o["name"].lower() for o in doc if o["provider"] == p]
        if names != sorted(names):
            return False
    return True


def overlap(log):
    """The most availability calls the stand-in was serving at once."""
    ev = []
    for e in log:
        if e.get("op") == AVAIL:
            ev += [(e["time_start"], 1), (e["time_end"], -1)]
    most = cur = 0
    for _, d in sorted(ev, key=lambda x: (x[0], x[1])):
        cur += d
        most = max(most, cur)
    return most


def env_for(aws, **extra):
    c = dict(aws.scenario.get("client", {}))
    happy = t.standin("happy").scenario["client"]
    for k in ("access_key_id", "secret_access_key", "region", "model"):
        c.setdefault(k, happy[k])
    env, _ = t.clean_env(AWS_ENDPOINT_URL=aws.url, AWS_REGION=c["region"],
                         AWS_ACCESS_KEY_ID=c["access_key_id"],
                         AWS_SECRET_ACCESS_KEY=c["secret_access_key"],
                         AWS_MAX_ATTEMPTS="2", **extra)
    if c.get("session_token"):
        env["AWS_SESSION_TOKEN"] = c["session_token"]
    return env, c


def offered(scenario, region, legacy=False):
    """The model ids the stand-in lists in region."""
    out = set()
    for mid, m in scenario["models"].items():
        if "regions" in m and region not in m["regions"]:
            continue
        life = m.get("lifecycle", "ACTIVE")
        life = life.get("status") if isinstance(life, dict) else life
        if life == "LEGACY" and not legacy:
            continue
        out.add(mid)
    return out


def run_tty(args, env):
    """Run with stdout on a pseudo-terminal; returns (rc, output)."""
    master, slave = pty.openpty()
    p = subprocess.Popen([t.binary()] + args, env=env, stdout=slave,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    rc = p.wait(timeout=60)
    p.stderr.close()
    return rc, b"".join(chunks).decode("utf-8", "replace")


# ---- the command line ----
r = t.run(["models", "--help"])
t.eq(r.returncode, 0, "--help exits 0")
for word in ("--provider", "--all", "--json", "--region", "Exit status",
             "needs-form", "not-in-region"):
    t.contains(r.stdout, word, "--help mentions %s" % word)
for args, what in ((["models", "extra"], "an argument"),
                   (["models", "--bogus"], "an unknown option"),
                   (["models", "--provider"], "--provider without a value")):
    r = t.run(args)
    t.eq(r.returncode, 2, "%s is a usage error (exit 2)" % what)
    t.ok(r.stderr.startswith("bedrock-setup: ") and r.stdout == "",
         "%s: one message on stderr, nothing on stdout" % what, r.stderr)
r = t.run(["--demo", "models", "--provider", "frobco"])
t.eq(r.returncode, 2, "an unknown provider is a usage error")
for p in ("frobco", "Anthropic", "Mistral AI (mistral)"):
    t.contains(r.stderr, p, "the unknown provider error names %s" % p)
t.eq(r.stdout, "", "an unknown provider prints nothing on stdout")

# ---- the demo account: no network, no credentials ----
r = t.run(["--demo", "models", "--json"])
t.eq(r.returncode, 0, "demo: exit 0")
doc = parse("demo", r)
ids = by_id(doc)
t.ok(len(doc) > 10, "demo: the Region's models are listed", len(doc))
t.eq(sorted({o["access"] for o in doc}), ["granted"],
     "demo happy: every model granted")
micro = ids.get("amazon.nova-micro-v1:0", {})
t.eq((micro.get("invoke_id"), micro.get("call")),
     ("amazon.nova-micro-v1:0", "on-demand"), "demo: Nova Micro on demand")
t.ok(grouped_sorted(doc), "demo: grouped by provider, sorted by name",
     [(o["provider"], o["name"]) for o in doc])
t.eq(doc[0]["provider"] if doc else None, "Anthropic",
     "demo: providers in the catalog's order (Anthropic first)")

r = t.run(["--demo=terms-pending", "models", "--json"])
doc = parse("demo terms-pending", r)
ids = by_id(doc)
haiku = ids.get("anthropic.claude-haiku-4-5-20251001-v1:0", {})
t.eq(haiku.get("access"), "needs-form",
     "demo terms-pending: the demo's model needs the form")
t.contains(haiku.get("access_detail", ""), "use-case form",
           "demo terms-pending: the detail says what to do")
t.eq(ids.get("cohere.embed-english-v3", {}).get("access"), "pending",
     "demo terms-pending: a Marketplace model has pending terms")
t.eq(ids.get("amazon.nova-micro-v1:0", {}).get("access"), "granted",
     "demo terms-pending: Amazon models stay granted")

r = t.run(["--demo=needs-profile", "models", "--json", "--provider",
           "anthropic"])
ids = by_id(parse("demo needs-profile", r))
sonnet = ids.get("anthropic.claude-sonnet-4-5-20250929-v1:0", {})
t.eq((sonnet.get("invoke_id"), sonnet.get("call")),
     ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "geo-profile"),
     "demo needs-profile: the profile-only model is called through us.")

r = t.run(["--demo=wrong-region", "models", "--json"])
ids = by_id(parse("demo wrong-region", r))
t.ok(ids and "mistral.mistral-large-2402-v1:0" not in ids,
     "demo wrong-region: eu-central-1 does not list Mistral Large 24.02")

r = t.run(["--demo=no-credentials", "models", "--json"])
doc = parse("demo no-credentials", r)
t.eq(r.returncode, 0, "demo no-credentials: still exit 0")
t.ok(doc and {o["access"] for o in doc} == {"unknown"},
     "demo no-credentials: from the catalog, access unknown")
t.contains(r.stderr, "built-in catalog", "demo no-credentials: says so")

r = t.run(["--demo=terms-pending", "models", "--provider", "Anthropic"])
t.eq(r.returncode, 0, "demo text: exit 0")
for word in ("MODEL", "ACCESS", "CALL", "needs-form", "Anthropic\n",
             "Access: granted = ", "us.anthropic.claude-sonnet-4-5"):
    t.contains(r.stdout, word, "demo text: shows %r" % word)
t.ok("\033[" not in r.stdout, "demo text: no colour into a pipe")

# ---- the stand-in: every scenario ----
secrets = []
with t.standin("happy").start() as aws:
    env, c = env_for(aws)
    secrets.append(c["secret_access_key"])
    aws.update({"regions": {"us-east-1": {"latency_ms": 300}}})
    aws.clear_requests()
    r = t.run(["models", "--json"], env=env)
    t.eq(r.returncode, 0, "happy: exit 0")
    doc = parse("happy", r)
    ids = by_id(doc)
    want = offered(aws.scenario, "us-east-1")
    t.eq(set(ids), want, "happy: exactly the active models us-east-1 lists")
    t.eq(sorted({o["access"] for o in doc}), ["granted"],
         "happy: every model granted")
    for mid, m in aws.scenario["models"].items():
        if mid not in ids:
            continue
        types = m.get("inference_types", [])
        exp = mid if "ON_DEMAND" in types else "us." + mid
        if ids[mid]["invoke_id"] != exp:
            t.ok(False, "happy: %s is called as %s" % (mid, exp),
                 ids[mid])
            break
    else:
        t.ok(True, "happy: on-demand models by id, profile-only ones "
             "through their us. profile")
    t.eq(ids.get("amazon.titan-embed-text-v2:0", {}).get("streaming"),
         False, "happy: streaming false where the model cannot stream")
    t.eq(ids.get("amazon.nova-lite-v1:0", {}).get("input_modalities"),
         ["text", "image", "video"], "happy: input modalities")
    t.ok(grouped_sorted(doc), "happy: grouped by provider, sorted by name")
    log = aws.requests()
    ops = [e.get("op") for e in log]
    for op in ("ListFoundationModels", "ListInferenceProfiles"):
        t.ok(op in ops, "happy: %s called" % op, sorted(set(ops)))
    t.eq(ops.count("GetUseCaseForModelAccess"), 1,
         "happy: the use-case form is asked once for every Anthropic model")
    t.eq(ops.count(AVAIL), len(doc),
         "happy: one availability call per listed model")
    most = overlap(log)
    t.diag("availability calls in flight at once: %d of %d (300 ms each)"
           % (most, ops.count(AVAIL)))
    t.ok(most >= 4, "happy: the availability calls overlap in time "
         "(the stand-in served %d at once)" % most)
    t.ok(not any(e.get("op", "").startswith("Converse") or
                 e.get("op") == "CreateFoundationModelAgreement"
                 for e in log), "happy: nothing is invoked or accepted")
    aws.update({"regions": {"us-east-1": {"latency_ms": 5}}})

    # Text: readable, ids in full, 80 columns, the legend.
    r = t.run(["models"], env=env)
    t.eq(r.returncode, 0, "happy text: exit 0")
    for o in doc:
        if o["invoke_id"] not in r.stdout or o["name"] not in r.stdout:
            t.ok(False, "happy text: every name and id in full", o)
            break
    else:
        t.ok(True, "happy text: every name and id in full")
    long_lines = [ln for ln in r.stdout.splitlines() if len(ln) > 80]
    t.eq(long_lines, [], "happy text: fits 80 columns")
    t.contains(r.stdout, "legacy model is hidden",
               "happy text: says a legacy model is hidden")
    t.contains(r.stdout, "Access: granted = ", "happy text: a legend")

    # --all and --provider.
    r = t.run(["models", "--json", "--all"], env=env)
    ids = by_id(parse("--all", r))
    t.eq(set(ids), offered(aws.scenario, "us-east-1", legacy=True),
         "--all: the legacy model too")
    t.eq(ids.get("anthropic.claude-v2:1", {}).get("lifecycle"), "LEGACY",
         "--all: its lifecycle says LEGACY")
    want = {m for m in offered(aws.scenario, "us-east-1")
            if m.startswith("mistral.")}
    for p in ("mistral", "Mistral AI", "MISTRAL AI", "mistral ai"):
        r = t.run(["models", "--json", "--provider", p], env=env)
        t.eq(set(by_id(parse("--provider " + p, r))), want,
             "--provider %r: Mistral AI's models only" % p)
    r = t.run(["models", "--provider", "Anthropic", "--all"], env=env)
    t.contains(r.stdout, "anthropic.claude-v2:1  [legacy]",
               "--all text: the legacy model is marked")
    t.ok("Amazon" not in r.stdout, "--provider text: other providers "
         "left out")

    # --region overrides AWS_REGION.
    r = t.run(["models", "--json", "--region", "eu-west-1"], env=env)
    t.eq(set(by_id(parse("--region eu-west-1", r))),
         offered(aws.scenario, "eu-west-1"), "--region: that Region's list")

    # Colours only on a terminal, never with NO_COLOR or --no-color.
    tenv = dict(env, TERM="xterm")
    rc, out = run_tty(["models", "--provider", "amazon"], tenv)
    t.ok(rc == 0 and "\033[32mgranted" in out,
         "tty: access states in colour", out[:300])
    rc, out = run_tty(["models", "--provider", "amazon"],
                      dict(tenv, NO_COLOR="1"))
    t.ok(rc == 0 and "granted" in out and "\033[" not in out,
         "tty with NO_COLOR: no colour")
    rc, out = run_tty(["--no-color", "models", "--provider", "amazon"], tenv)
    t.ok(rc == 0 and "granted" in out and "\033[" not in out,
         "tty with --no-color: no colour")

    # Access denied on the availability call: unknown, naming it.
    grants = aws.scenario["principals"]["user/alice"]["grants"]
    aws.update({"grant_sets": {"no-availability": [
        {"effect": "Deny", "actions": ["bedrock:" + AVAIL],
         "resources": ["*"]}]},
        "principals": {"user/alice": {
            "grants": grants + ["no-availability"]}}})
    r = t.run(["models", "--json", "--provider", "amazon"], env=env)
    doc = parse("availability denied", r)
    t.eq(r.returncode, 0, "availability denied: exit 0")
    t.ok(doc and {o["access"] for o in doc} == {"unknown"},
         "availability denied: unknown, not denied",
         [o["access"] for o in doc])
    t.ok(doc and all("bedrock:GetFoundationModelAvailability" in
                     o["access_detail"] for o in doc),
         "availability denied: the detail names the missing permission",
         doc[:1])
    r = t.run(["models", "--json", "--provider", "anthropic"], env=env)
    t.ok({o["access"] for o in parse("availability denied, form", r)} ==
         {"unknown"}, "availability denied: Anthropic unknown too (form "
         "submitted, availability not known)")

    # Listing denied: the catalog's list, access still checked live.
    aws.update({"grant_sets": {"no-availability": [
        {"effect": "Deny", "actions": ["bedrock:ListFoundationModels"],
         "resources": ["*"]}]}})
    aws.clear_requests()
    r = t.run(["models", "--json", "--provider", "amazon"], env=env)
    doc = parse("listing denied", r)
    t.eq(r.returncode, 0, "listing denied: exit 0")
    t.contains(r.stderr, "built-in catalog", "listing denied: says it "
               "shows the catalog")
    t.contains(r.stderr, "checked live", "listing denied: access is still "
               "checked live")
    t.ok(doc and "amazon.nova-micro-v1:0" in by_id(doc),
         "listing denied: the catalog's models")
    t.ok(any(e.get("op") == AVAIL for e in aws.requests()),
         "listing denied: availability asked live")
    t.eq(len(r.stderr.strip().splitlines()), 3,
         "listing denied: what happened, what was done, the fix")
    aws.update({"principals": {"user/alice": {"grants": grants}}})

    # Availability answers: denied and needs-subscription.
    aws.update({"models": {
        "meta.llama3-8b-instruct-v1:0": {
            "availability": {"authorization": "NOT_AUTHORIZED"}},
        "mistral.mistral-small-2402-v1:0": {
            "availability": {"entitlement": "NOT_AVAILABLE"}}}})
    r = t.run(["models", "--json"], env=env)
    ids = by_id(parse("availability fields", r))
    t.eq(ids.get("meta.llama3-8b-instruct-v1:0", {}).get("access"),
         "denied", "authorizationStatus NOT_AUTHORIZED: denied")
    t.eq(ids.get("mistral.mistral-small-2402-v1:0", {}).get("access"),
         "needs-subscription",
         "entitlementAvailability NOT_AVAILABLE: needs-subscription")
    t.eq(ids.get("mistral.mistral-large-2402-v1:0", {}).get("access"),
         "granted", "the other models stay granted")

    # A Region nobody offers anything in; then no credentials there.
    r = t.run(["models", "--json", "--region", "ca-central-1"], env=env)
    t.eq((r.returncode, r.stdout.strip()), (0, "[]"),
         "a Region with no models: an empty list, exit 0")
    noenv, _ = t.clean_env(AWS_ENDPOINT_URL=aws.url)
    r = t.run(["models", "--region", "xx-nowhere-1"], env=noenv)
    t.eq(r.returncode, 3, "no credentials and a Region the catalog does "
         "not know: nothing to list, exit 3")
    t.ok(r.stderr.startswith("bedrock-setup: ") and "fix:" in r.stderr,
         "exit 3: what happened, then the fix", r.stderr)

    # No credentials at all: the catalog, no request made.
    aws.clear_requests()
    r = t.run(["models", "--json", "--region", "us-east-1"], env=noenv)
    doc = parse("no credentials", r)
    t.eq(r.returncode, 0, "no credentials: exit 0")
    t.ok(doc and {o["access"] for o in doc} == {"unknown"},
         "no credentials: access unknown")
    t.ok(any(o["modelId"] == "amazon.nova-micro-v1:0" for o in doc),
         "no credentials: the built-in catalog's models")
    t.contains(r.stderr, "built-in catalog", "no credentials: says so")
    t.eq(aws.requests(), [], "no credentials: no request sent")

    # --debug: the trace on stderr, no secret anywhere.
    r = t.run(["--debug", "models", "--provider", "amazon"], env=env)
    t.contains(r.stderr, "debug: -> GET", "--debug: the trace on stderr")
    t.ok(c["secret_access_key"] not in r.stdout + r.stderr,
         "--debug: no secret")

# The failing-gate scenarios: what the access column says in each.
for scenario in ("terms-pending", "wrong-region", "needs-profile",
                 "iam-denied", "throttled", "missing-destination",
                 "no-credentials", "expired-token", "clock-skew"):
    with t.standin(scenario).start() as aws:
        env, c = env_for(aws)
        secrets.append(c["secret_access_key"])
        name = "stand-in " + scenario
        r = t.run(["models", "--json"], env=env)
        t.eq(r.returncode, 0, name + ": exit 0")
        doc = parse(name, r)
        ids = by_id(doc)
        rt = t.run(["models"], env=env)
        t.eq(rt.returncode, 0, name + " text: exit 0")
        t.ok(not any(s in r.stdout + r.stderr + rt.stdout + rt.stderr
                     for s in secrets), name + ": no secret printed")
        model = ids.get(c["model"], {})
        if scenario == "terms-pending":
            anth = [o for o in doc if o["provider"] == "Anthropic"]
            t.ok(anth and all(o["access"] == "needs-form" for o in anth),
                 name + ": every Anthropic model needs the form")
            t.eq(ids.get("cohere.command-r-plus-v1:0", {}).get("access"),
                 "pending", name + ": Cohere's agreement is pending")
            t.contains(ids.get("cohere.command-r-plus-v1:0", {}).get(
                "access_detail", ""), "agreement", name + ": says which")
            t.eq(ids.get("amazon.nova-micro-v1:0", {}).get("access"),
                 "granted", name + ": Amazon stays granted")
            t.contains(rt.stdout, "needs-form", name + " text: needs-form")
            t.eq(rt.stdout.count("Anthropic's use-case form has not been"),
                 1, name + " text: the same next step is said once")
        elif scenario == "wrong-region":
            t.eq(set(ids), offered(aws.scenario, c["region"]),
                 name + ": the list of " + c["region"])
            t.ok(c["model"] not in ids, name + ": the chosen model is not "
                 "offered in " + c["region"])
            r = t.run(["models", "--provider", "mistral"], env=env)
            t.eq(r.returncode, 0, name + ": an empty provider is exit 0")
            t.contains(r.stdout, "No Mistral AI models are offered in "
                       "eu-central-1", name + ": says none are offered")
            t.contains(r.stdout, "us-east-1", name + ": and where the "
                       "catalog has them")
            r = t.run(["models", "--json", "--provider", "mistral"],
                      env=env)
            t.eq(r.stdout.strip(), "[]", name + ": --json gives []")
            r = t.run(["models", "--json", "--region", "us-east-1"],
                      env=env)
            t.eq(by_id(parse(name + " us-east-1", r)).get(
                c["model"], {}).get("access"), "granted",
                name + ": granted in us-east-1, which offers it")
        elif scenario == "needs-profile":
            t.eq((model.get("invoke_id"), model.get("call")),
                 ("us." + c["model"], "geo-profile"),
                 name + ": the bare id is called through its us. profile")
            t.eq(model.get("access"), "granted", name + ": and granted")
            t.contains(rt.stdout, "us." + c["model"],
                       name + " text: the profile id in full")
        elif scenario == "iam-denied":
            # The availability does not see IAM on the invoke actions:
            # the account's access is in place; doctor's iam gate fails.
            t.ok(doc and {o["access"] for o in doc} == {"granted"},
                 name + ": account access granted (IAM on invoke is "
                 "doctor's iam gate)")
            t.eq(ids.get("anthropic.claude-opus-4-6-v1", {}).get(
                "invoke_id"), "us.anthropic.claude-opus-4-6-v1",
                name + ": the SCP-denied model is still listed")
        elif scenario in ("throttled", "missing-destination"):
            t.ok(doc and {o["access"] for o in doc} == {"granted"},
                 name + ": discovery works, access granted")
        else:
            # The key or the signature is refused: the catalog instead.
            t.ok(doc and {o["access"] for o in doc} == {"unknown"},
                 name + ": access unknown", doc[:1])
            t.contains(r.stderr, "built-in catalog",
                       name + ": says it shows the catalog")
            t.ok(not any(e.get("op") == AVAIL for e in aws.requests()),
                 name + ": no availability call once credentials fail")
            t.ok("fix: " in r.stderr, name + ": with the fix", r.stderr)

t.done()
