#!/usr/bin/env python3
"""doctor's gates, in every scenario: each failing-gate world of the demo
account and of the loopback stand-in makes exactly the right gate fail,
with a cause and a fix; what cannot be checked says skip, never pass;
--model repeats; --report writes Markdown with no secrets."""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import bstest as t  # noqa: E402

GATES = ["credentials", "region", "model_access", "terms", "iam", "invoke"]


def check(name, r, want_fail, want_rc=None):
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        t.ok(False, name + ": one JSON object on stdout",
             r.stdout + r.stderr[-1500:])
        return None
    gates = doc.get("gates", [])
    ids = [g["id"] for g in gates]
    t.eq(ids[:6], GATES, name + ": the gates in the order they are fixed")
    failed = [g["id"] for g in gates if g["status"] == "fail"]
    if want_fail is None:
        t.eq(failed, [], name + ": no gate fails")
        t.eq(r.returncode, 0 if want_rc is None else want_rc,
             name + ": exit status")
    else:
        t.eq(failed[:1], [want_fail], name + ": the %s gate fails" % want_fail)
        t.eq(r.returncode, 1 if want_rc is None else want_rc,
             name + ": exit status")
        g = next((g for g in gates if g["status"] == "fail"), {})
        t.ok(g.get("summary") and g.get("fix"),
             name + ": the failing gate has a cause and a fix", g)
        after = gates[ids.index(want_fail) + 1:]
        t.ok(all(x["status"] != "pass" or x["id"] in ("iam", "terms",
                 "model_access") for x in after) or want_fail != "region",
             name + ": gates after a failed region gate do not pass")
    t.ok(all(g["status"] in ("pass", "fail", "warn", "skip") for g in gates),
         name + ": statuses are pass/fail/warn/skip")
    return doc


# The demo account: every scenario fails its own gate.
DEMO = {"happy": None, "no-credentials": "credentials",
        "wrong-region": "region", "iam-denied": "iam",
        "terms-pending": "terms", "needs-profile": "region",
        "throttled": "invoke"}
for scenario, gate in DEMO.items():
    r = t.run(["--demo=" + scenario, "doctor", "--json"])
    doc = check("demo " + scenario, r, gate)
    if doc and gate not in (None, "credentials"):
        t.ok(all(g.get("model") for g in doc["gates"][1:]),
             "demo %s: per-model gates name the model" % scenario)

r = t.run(["--demo=needs-profile", "doctor"])
t.contains(r.stdout, "us.anthropic.claude-sonnet-4-5",
           "needs-profile: the fix names the profile id to call")
r = t.run(["--demo=iam-denied", "doctor"])
t.contains(r.stdout, "bedrock:InvokeModel", "iam-denied: names the action")
t.contains(r.stdout, "[SKIP] invoke", "iam-denied: invoke is not blamed")
r = t.run(["--demo=wrong-region", "doctor"])
t.contains(r.stdout, "us-east-1", "wrong-region: names Regions that offer it")

# The stand-in: its scenarios, with the keys, Region and model they name.
STANDIN = {"happy": None, "wrong-region": "region", "iam-denied": "iam",
           "terms-pending": "terms", "needs-profile": "region",
           "throttled": "invoke", "no-credentials": "credentials",
           "expired-token": "credentials", "clock-skew": "credentials",
           "missing-destination": "iam"}
secrets = []
for scenario, gate in STANDIN.items():
    with t.standin(scenario).start() as aws:
        c = dict(aws.scenario.get("client", {}))
        happy = t.standin("happy").scenario["client"]
        for k in ("access_key_id", "secret_access_key", "region", "model"):
            c.setdefault(k, happy[k])
        secrets += [c["secret_access_key"], c.get("session_token") or "x" * 40]
        env, _ = t.clean_env(AWS_ENDPOINT_URL=aws.url, AWS_REGION=c["region"],
                             AWS_ACCESS_KEY_ID=c["access_key_id"],
                             AWS_SECRET_ACCESS_KEY=c["secret_access_key"],
                             AWS_MAX_ATTEMPTS="2")
        if c.get("session_token"):
            env["AWS_SESSION_TOKEN"] = c["session_token"]
        if scenario == "missing-destination":
            # Let the identity simulate, so the IAM check sees every
            # destination Region of the profile (the call itself fails
            # only when routed to the forgotten one).
            grants = aws.scenario["principals"]["user/alice"]["grants"]
            aws.update({"grant_sets": {"simulate": [{
                "effect": "Allow", "actions": ["iam:SimulatePrincipalPolicy"],
                "resources": ["*"]}]},
                "principals": {"user/alice": {
                    "grants": grants + ["simulate"]}}})
        r = t.run(["doctor", "--json", "--model", c["model"]], env=env)
        check("stand-in " + scenario, r, gate)
        t.ok(not any(s in r.stdout + r.stderr for s in secrets),
             "stand-in %s: no secret printed" % scenario)
        if scenario == "happy":
            log = aws.requests()
            ops = {e.get("op") for e in log}
            for op in ("GetCallerIdentity", "ListFoundationModels",
                       "GetFoundationModelAvailability",
                       "SimulatePrincipalPolicy", "ConverseStream"):
                t.ok(op in ops, "happy: doctor called %s" % op, sorted(ops))
            # One host for every service here: HTTP keep-alive means the
            # calls share connections instead of opening one each.
            ports = {e.get("client_port") for e in log}
            t.ok(len(log) >= 5 and len(ports) < len(log) / 2,
                 "happy: connections are reused (%d requests on %d "
                 "connections)" % (len(log), len(ports)))
            # Two models: both checked, each with its five gates.
            r = t.run(["doctor", "--json", "--model", c["model"], "--model",
                       "amazon.nova-micro-v1:0"], env=env)
            doc = json.loads(r.stdout)
            t.eq(len(doc["gates"]), 11, "two --model: 1 + 5 + 5 gates")
            t.eq(sorted({g.get("model") for g in doc["gates"][1:]}),
                 sorted([c["model"], "amazon.nova-micro-v1:0"]),
                 "two --model: each gate names its model")
            # May not simulate: the IAM gate says skip, never pass.
            aws.update({"iam": {"simulate_denied": True}})
            r = t.run(["doctor", "--json", "--model", c["model"]], env=env)
            iam = [g for g in json.loads(r.stdout)["gates"]
                   if g["id"] == "iam"][0]
            t.eq(iam["status"], "skip", "simulation denied: iam is skip")
            t.ok(iam["summary"], "simulation denied: says why", iam)
            r = t.run(["doctor", "--model", c["model"]], env=env)
            t.contains(r.stdout, "Verdict: all 5 gates checked passed",
                       "simulation denied: the verdict counts the 5 checked "
                       "gates, not the skipped one")
            aws.update({"iam": {"simulate_denied": False}})
            # The Markdown report.
            d = tempfile.mkdtemp(prefix="bs-report-")
            path = os.path.join(d, "doctor.md")
            r = t.run(["doctor", "--report", path, "--model", c["model"]],
                      env=env)
            t.eq(r.returncode, 0, "report: exit 0")
            text = open(path).read() if os.path.exists(path) else ""
            t.contains(text, "| credentials |", "report: a table of gates")
            t.contains(text, "111122223333", "report: the account")
            t.ok(not any(s in text for s in secrets),
                 "report: no secret in the file")
            r = t.run(["doctor", "--report", path, "--model", c["model"]],
                      env=env)
            t.ok(r.returncode != 0 and "force" in r.stderr,
                 "report: an existing file is not replaced without --force",
                 r.stderr)
            t.eq(open(path).read(), text, "report: the old file is intact")
            r = t.run(["doctor", "--force", "--report", path, "--model",
                       c["model"]], env=env)
            t.eq(r.returncode, 0, "report: --force replaces it")

t.done()
