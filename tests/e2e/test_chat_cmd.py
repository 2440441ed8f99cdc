#!/usr/bin/env python3
"""chat: one prompt, the answer streamed to stdout.

Against the demo account and the loopback stand-in: text and --json in the
happy world and in every failing-gate world (the gate, cause and fix as
doctor names them, exit 1 or 3); a bare model id that needs a profile
(the substitution line, and the profile id in the path the stand-in
logged); the catalog standing in when listing is denied; the prompt from
standard input; --no-stream (/converse, not /converse-stream); usage
errors; exceptions and resets in the middle of a stream (the text so far
stays, no retry); each piece written before the stand-in sent the next
ones (the pipe read incrementally, compared with the stand-in's own frame
times); Ctrl-C during a slow stream (exit 130, the text kept); a Bedrock
API key; the global options."""

import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import bstest as t  # noqa: E402

PROFILE_ONLY = "anthropic.claude-sonnet-4-5-20250929-v1:0"
NOVA = "amazon.nova-micro-v1:0"
GATES = ("credentials", "region", "model_access", "terms", "iam", "invoke")
OK_KEYS = {"text", "stopReason", "usage", "latency_ms", "first_token_ms",
           "model", "invoke_id", "region"}


def one_json(name, r):
    """stdout must be exactly one JSON object."""
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        t.ok(False, name + ": stdout is one JSON object",
             "stdout: %r\nstderr: %s" % (r.stdout[:800], r.stderr[-800:]))
        return {}
    t.ok(isinstance(doc, dict), name + ": stdout is one JSON object")
    return doc if isinstance(doc, dict) else {}


def check_ok(name, r, stream=True):
    t.eq(r.returncode, 0, name + ": exit 0")
    t.ok(r.stdout.strip() != "" and r.stdout.endswith("\n"),
         name + ": the answer on stdout, ending with a newline",
         r.stdout + r.stderr[-800:])
    stats = [ln for ln in r.stderr.splitlines() if ln.startswith("stop: ")]
    t.eq(len(stats), 1, name + ": one statistics line on stderr")
    if stats:
        line = stats[0]
        t.ok("tokens: " in line and "total" in line and
             ("first token" in line) == stream,
             name + ": tokens, stop reason and latency", line)


def check_ok_json(name, r, stream=True):
    t.eq(r.returncode, 0, name + " --json: exit 0")
    doc = one_json(name + " --json", r)
    want = OK_KEYS if stream else OK_KEYS - {"first_token_ms"}
    t.eq(set(doc), want, name + " --json: the documented keys")
    t.ok(isinstance(doc.get("text"), str) and doc.get("text"),
         name + " --json: the text", doc)
    u = doc.get("usage") or {}
    t.eq(sorted(u), ["inputTokens", "outputTokens", "totalTokens"],
         name + " --json: usage")
    t.ok(isinstance(doc.get("latency_ms"), (int, float)),
         name + " --json: latency_ms is a number", doc)
    if stream:
        t.ok(isinstance(doc.get("first_token_ms"), (int, float)) and
             doc["first_token_ms"] <= doc["latency_ms"],
             name + " --json: first_token_ms, within latency_ms", doc)
    t.ok("stop: " not in r.stderr, name + " --json: no statistics line")
    return doc


def check_fail(name, r, gate, status=1):
    t.eq(r.returncode, status, name + ": exit %d" % status)
    first = r.stderr.splitlines()[0] if r.stderr.strip() else ""
    t.ok(first.startswith("[FAIL] " + gate + " "),
         name + ": the first stderr line names the %s gate" % gate,
         r.stderr[-1500:])
    t.contains(r.stderr, "Fix: ", name + ": the fix follows")


def check_fail_json(name, r, gate, status=1):
    t.eq(r.returncode, status, name + " --json: exit %d" % status)
    doc = one_json(name + " --json", r)
    err = doc.get("error") or {}
    t.eq(sorted(err), ["cause", "code", "fix", "gate", "message"],
         name + " --json: error has code, message, gate, cause, fix")
    t.eq(err.get("gate"), gate, name + " --json: gate " + gate)
    t.ok(err.get("code") and err.get("message") and err.get("cause") and
         err.get("fix"), name + " --json: every member filled", err)
    return doc


def client_of(aws):
    c = dict(aws.scenario.get("client", {}))
    happy = t.standin("happy").scenario["client"]
    for k in ("access_key_id", "secret_access_key", "region", "model"):
        c.setdefault(k, happy[k])
    return c


def env_for(aws, c, **extra):
    env, home = t.clean_env(AWS_ENDPOINT_URL=aws.url, AWS_REGION=c["region"],
                            AWS_ACCESS_KEY_ID=c["access_key_id"],
                            AWS_SECRET_ACCESS_KEY=c["secret_access_key"],
                            AWS_MAX_ATTEMPTS="2", **extra)
    if c.get("session_token"):
        env["AWS_SESSION_TOKEN"] = c["session_token"]
    return env


def ops(aws):
    return [(e.get("op"), e.get("status")) for e in aws.requests()]


def streams(aws):
    return [e for e in aws.requests() if e.get("op") == "ConverseStream"]


# ---------------------------------------------------------------- usage
r = t.run(["chat", "--help"])
t.eq(r.returncode, 0, "--help: exit 0")
for word in ("--model", "--system", "--max-tokens", "--temperature",
             "--no-stream", "--json", "130"):
    t.contains(r.stdout, word, "--help mentions " + word)

USAGE = [
    (["chat", "hi"], None, "no --model"),
    (["chat", "--model", "", "hi"], None, "empty --model"),
    (["--demo", "chat", "--max-tokens", "0", "hi"], None, "--max-tokens 0"),
    (["--demo", "chat", "--max-tokens", "-5", "hi"], None, "--max-tokens -5"),
    (["--demo", "chat", "--max-tokens", "12x", "hi"], None, "--max-tokens 12x"),
    (["--demo", "chat", "--max-tokens", "1.5", "hi"], None, "--max-tokens 1.5"),
    (["--demo", "chat", "--max-tokens", "99999999999", "hi"], None,
     "--max-tokens too big"),
    (["--demo", "chat", "--temperature", "1.5", "hi"], None,
     "--temperature 1.5"),
    (["--demo", "chat", "--temperature", "-0.1", "hi"], None,
     "--temperature -0.1"),
    (["--demo", "chat", "--temperature", "nan", "hi"], None,
     "--temperature nan"),
    (["--demo", "chat", "--temperature", "warm", "hi"], None,
     "--temperature warm"),
    (["--demo", "chat", "--max-tokens"], None, "--max-tokens without value"),
    (["--demo", "chat", "--frobnicate", "hi"], None, "unknown option"),
    (["--demo", "chat", ""], None, "empty prompt"),
    (["--demo", "chat"], " \n\t\n", "blank prompt on stdin"),
    (["--demo", "chat", "-"], "", "empty stdin with -"),
    (["--demo", "chat"], "x" * (1024 * 1024 + 1), "stdin over 1 MiB"),
    (["--demo", "chat", "--model", "not a model!", "hi"], None,
     "--model that is no model id"),
]
for args, stdin, what in USAGE:
    r = t.run(args, input=stdin if stdin is not None else "")
    t.eq(r.returncode, 2, what + ": exit 2")
    lines = r.stderr.strip().splitlines()
    t.ok(len(lines) == 1 and lines[0].startswith("bedrock-setup: "),
         what + ": one line on stderr", r.stderr)
    t.eq(r.stdout, "", what + ": nothing on stdout")
r = t.run(["--demo", "chat"], input="x" * (1024 * 1024 + 1))
t.contains(r.stderr, "longer than 1024 KiB", "stdin cap: says the limit")

# ---------------------------------------------------------------- demo
r = t.run(["--demo", "chat", "Say hello"])
check_ok("demo happy", r)
r = t.run(["--demo", "chat", "--json", "Say hello"])
doc = check_ok_json("demo happy", r)
t.eq((doc.get("model"), doc.get("invoke_id"), doc.get("region")),
     (NOVA, NOVA, "us-east-1"), "demo happy --json: model, invoke_id, region")
r = t.run(["--demo", "chat", "--no-stream", "--json", "Say hello"])
check_ok_json("demo --no-stream", r, stream=False)

DEMO = {"no-credentials": "credentials", "wrong-region": "region",
        "iam-denied": "iam", "terms-pending": "terms", "throttled": "invoke"}
for scenario, gate in DEMO.items():
    r = t.run(["--demo=" + scenario, "chat", "hello"], timeout=120)
    check_fail("demo " + scenario, r, gate)
    t.eq(r.stdout, "", "demo %s: nothing on stdout" % scenario)
    r = t.run(["--demo=" + scenario, "chat", "--json", "hello"], timeout=120)
    check_fail_json("demo " + scenario, r, gate)
r = t.run(["--demo=wrong-region", "chat", "hello"])
t.contains(r.stderr, "us-east-1", "demo wrong-region: names a Region that "
           "offers the model")
r = t.run(["--demo=iam-denied", "chat", "hello"])
t.contains(r.stderr, "bedrock:InvokeModelWithResponseStream",
           "demo iam-denied: names the action ConverseStream needs")
r = t.run(["--demo=iam-denied", "chat", "--no-stream", "hello"])
t.contains(r.stderr.splitlines()[0] if r.stderr else "",
           "bedrock:InvokeModel ",
           "demo iam-denied --no-stream: names the action Converse needs")

# needs-profile: the bare id is resolved to the profile, and said.
for args in ([], ["--json"]):
    r = t.run(["--demo=needs-profile", "chat"] + args + ["hello"])
    t.eq(r.returncode, 0, "demo needs-profile %s: answered" % args)
    t.contains(r.stderr, "using us.%s: model %s is called through the US "
               "cross-Region inference profile in us-east-1" %
               (PROFILE_ONLY, PROFILE_ONLY),
               "demo needs-profile %s: the substitution is said" % args)
    if args:
        doc = one_json("demo needs-profile --json", r)
        t.eq((doc.get("model"), doc.get("invoke_id")),
             (PROFILE_ONLY, "us." + PROFILE_ONLY),
             "demo needs-profile --json: model as named, invoke_id the "
             "profile")
# A model the demo Region does not offer, named on the command line.
r = t.run(["--demo", "--region", "eu-central-1", "chat", "--model",
           "mistral.mistral-large-2402-v1:0", "hello"])
check_fail("demo --model not offered", r, "region")
t.contains(r.stderr, "Regions that offer it",
           "demo --model not offered: the Regions that offer it")

# ---------------------------------------------------------------- stand-in
STANDIN = {"happy": None, "needs-profile": None, "wrong-region": "region",
           "iam-denied": "iam", "terms-pending": "terms",
           "throttled": "invoke", "no-credentials": "credentials",
           "expired-token": "credentials", "clock-skew": "credentials"}
for scenario, gate in STANDIN.items():
    with t.standin(scenario).start() as aws:
        c = client_of(aws)
        env = env_for(aws, c)
        secrets = [c["secret_access_key"], c.get("session_token") or "\0"]
        for js in (False, True):
            aws.clear_requests()
            args = ["chat", "--model", c["model"]] + (["--json"] if js
                                                       else []) + ["hello"]
            r = t.run(args, env=env, timeout=120)
            name = "stand-in " + scenario
            if gate is None and js:
                check_ok_json(name, r)
            elif gate is None:
                check_ok(name, r)
            elif js:
                check_fail_json(name, r, gate)
            else:
                check_fail(name, r, gate)
                t.eq(r.stdout, "", name + ": nothing on stdout")
            t.ok(not any(s in r.stdout + r.stderr for s in secrets),
                 name + "%s: no secret printed" % (" --json" if js else ""))
        log = ops(aws)
        if scenario == "wrong-region":
            t.ok(("ConverseStream", 200) not in log and
                 not streams(aws), "stand-in wrong-region: no call is made "
                 "once the Region's list lacks the model", log)
            t.contains(r.stdout, "us-east-1", "stand-in wrong-region: the "
                       "error names a Region that offers the model")
        elif gate == "credentials":
            t.eq(log, [("ListFoundationModels", 403)],
                 "stand-in %s: the refused listing tells; the prompt is "
                 "not sent" % scenario)
        elif scenario == "throttled":
            t.eq(len(streams(aws)), 2, "stand-in throttled: retried up to "
                 "AWS_MAX_ATTEMPTS (nothing was printed yet)")
        else:
            t.ok(log[:2] == [("ListFoundationModels", 200),
                             ("ListInferenceProfiles", 200)] and
                 log[-1][0] == "ConverseStream",
                 "stand-in %s: listed, then ConverseStream" % scenario, log)
        if scenario == "needs-profile":
            t.contains(r.stderr, "using us.%s: model %s is called through "
                       "the US cross-Region inference profile in us-east-1"
                       % (PROFILE_ONLY, PROFILE_ONLY),
                       "stand-in needs-profile: the substitution line")
            st = streams(aws)
            t.ok(st and st[-1]["path"] == "/model/us.%s/converse-stream" %
                 PROFILE_ONLY.replace(":", "%3A"),
                 "stand-in needs-profile: the profile id in the path",
                 st and st[-1]["path"])
            t.eq(st[-1].get("profile_id") if st else None,
                 "us." + PROFILE_ONLY, "stand-in needs-profile: the "
                 "stand-in saw a profile call")

# missing-destination: round-robin over three Regions, one forgotten.
with t.standin("missing-destination").start() as aws:
    c = client_of(aws)
    env = env_for(aws, c)
    outcomes = []
    for i in range(3):
        r = t.run(["chat", "--json", "--model", c["model"], "hello"], env=env)
        doc = one_json("missing-destination call %d" % (i + 1), r)
        outcomes.append((r.returncode, (doc.get("error") or {}).get("gate"),
                         (doc.get("error") or {}).get("cause", "")))
    fails = [o for o in outcomes if o[0] != 0]
    t.eq([(o[0], o[1]) for o in fails], [(1, "iam")],
         "missing-destination: one call in three fails, on the iam gate")
    t.ok(fails and "us-east-2" in fails[0][2],
         "missing-destination: the cause names the forgotten Region", fails)

with t.standin("happy").start() as aws:
    c = client_of(aws)
    env = env_for(aws, c)

    # The prompt from standard input (absent, or '-').
    for args in ([], ["-"]):
        aws.clear_requests()
        r = t.run(["chat", "--model", NOVA] + args, env=env,
                  input="What is Bedrock?\n")
        t.eq(r.stdout, "Nova Micro here: you said What is Bedrock?\n",
             "stdin %s: the prompt sent, without the final newline" % args)
    r = t.run(["chat", "--model", NOVA, "two", "words"], env=env)
    t.eq(r.stdout, "Nova Micro here: you said two words\n",
         "several arguments: one prompt, joined by spaces")

    # --no-stream: Converse, not ConverseStream.
    aws.clear_requests()
    r = t.run(["chat", "--no-stream", "--model", NOVA, "hi"], env=env)
    check_ok("--no-stream", r, stream=False)
    paths = [e["path"] for e in aws.requests() if e.get("op") in
             ("Converse", "ConverseStream")]
    t.eq(paths, ["/model/amazon.nova-micro-v1%3A0/converse"],
         "--no-stream: /converse, not /converse-stream")
    r = t.run(["chat", "--no-stream", "--json", "--model", NOVA, "hi"],
              env=env)
    check_ok_json("--no-stream", r, stream=False)

    # A model that does not stream: Converse instead, and said.
    aws.update({"models": {NOVA: {"streaming": False}}})
    aws.clear_requests()
    r = t.run(["chat", "--model", NOVA, "hi"], env=env)
    t.eq(r.returncode, 0, "model without streaming: answered")
    t.contains(r.stderr, "does not stream its answers; using Converse",
               "model without streaming: said on stderr")
    t.eq([e["op"] for e in aws.requests()][-1:], ["Converse"],
         "model without streaming: Converse was called")
    aws.update({"models": {NOVA: {"streaming": True}}})

    # --max-tokens and --system reach the model.
    r = t.run(["chat", "--json", "--max-tokens", "2", "--system", "Be brief",
               "--temperature", "0.2", "--model", NOVA, "hi"], env=env)
    doc = one_json("--max-tokens 2", r)
    t.eq((doc.get("stopReason"), (doc.get("usage") or {}).get(
        "outputTokens")), ("max_tokens", 2),
        "--max-tokens 2: the answer stops at 2 tokens")

    # The global options: --region, --endpoint-url, then --profile.
    env2, home = t.clean_env(AWS_ACCESS_KEY_ID=c["access_key_id"],
                             AWS_SECRET_ACCESS_KEY=c["secret_access_key"])
    r = t.run(["--region", "us-east-1", "--endpoint-url", aws.url, "chat",
               "--model", NOVA, "hi"], env=env2)
    t.eq(r.returncode, 0, "--region and --endpoint-url: answered")
    r = t.run(["chat", "--model", NOVA, "--region", "us-west-2",
               "--endpoint-url", aws.url, "--json", "hi"], env=env2)
    t.eq(one_json("--region after chat", r).get("region"), "us-west-2",
         "--region after the command: used")
    env3, home = t.clean_env(AWS_ENDPOINT_URL=aws.url)
    os.makedirs(os.path.join(home, ".aws"))
    with open(os.path.join(home, ".aws", "credentials"), "w") as f:
        f.write("[dev]\naws_access_key_id = %s\naws_secret_access_key = %s\n"
                % (c["access_key_id"], c["secret_access_key"]))
    with open(os.path.join(home, ".aws", "config"), "w") as f:
        f.write("[profile dev]\nregion = us-east-1\n")
    r = t.run(["--profile", "dev", "chat", "--model", NOVA, "hi"], env=env3)
    t.eq(r.returncode, 0, "--profile: answered with the profile's keys")
    r = t.run(["--profile", "nope", "chat", "--model", NOVA, "hi"], env=env3)
    t.eq(r.returncode, 3, "--profile that does not exist: exit 3 "
         "(configuration)")
    t.eq(len(r.stderr.strip().splitlines()) >= 1 and
         r.stderr.startswith("bedrock-setup: "), True,
         "unknown profile: one line saying what happened")
    env4, _ = t.clean_env(AWS_ENDPOINT_URL=aws.url,
                          AWS_ACCESS_KEY_ID=c["access_key_id"],
                          AWS_SECRET_ACCESS_KEY=c["secret_access_key"])
    r = t.run(["chat", "--json", "--model", NOVA, "hi"], env=env4)
    err = one_json("no Region", r).get("error") or {}
    t.ok(r.returncode == 3 and "Region" in err.get("message", ""),
         "no Region: exit 3 and the error says so", r.stdout)

    # A Bedrock API key instead of SigV4.
    token = list(aws.scenario["bearer_tokens"])[0]
    env5, _ = t.clean_env(AWS_ENDPOINT_URL=aws.url, AWS_REGION="us-east-1",
                          AWS_BEARER_TOKEN_BEDROCK=token)
    aws.clear_requests()
    r = t.run(["chat", "--model", NOVA, "hi"], env=env5)
    t.eq(r.returncode, 0, "API key: answered", )
    t.eq([e.get("auth") for e in streams(aws)], ["bearer"],
         "API key: the call carried the bearer token")
    t.ok(token not in r.stdout + r.stderr, "API key: never printed")

    # Listing denied: the catalog stands in, substitution included.
    aws.update({"principals": {"user/alice": {"grants": ["runtime"]}}})
    aws.clear_requests()
    r = t.run(["chat", "--model", PROFILE_ONLY, "hi"], env=env)
    t.eq(r.returncode, 0, "listing denied: still answered")
    t.contains(r.stderr, "using us." + PROFILE_ONLY, "listing denied: the "
               "catalog finds the profile")
    log = ops(aws)
    t.eq(log[0], ("ListFoundationModels", 403), "listing denied: the "
         "listing was refused", )
    st = streams(aws)
    t.ok(st and "/model/us.anthropic." in st[-1]["path"],
         "listing denied: the profile was called", log)
    aws.update({"principals": {"user/alice": {"grants": ["admin"]}}})

    # A mid-stream exception: the text so far stays; no retry.
    for js in (False, True):
        aws.clear_requests()
        aws.add_fault({"action": "stream_exception", "op": "ConverseStream",
                       "exception": "throttlingException",
                       "message": "Too many requests, please wait before "
                       "trying again.", "after_frames": 3})
        r = t.run(["chat", "--model", NOVA] + (["--json"] if js else []) +
                  ["hello there"], env=env)
        name = "mid-stream exception" + (" --json" if js else "")
        if js:
            doc = check_fail_json(name, r, "invoke")
            t.eq(doc.get("text"), "Nova Micro ", name + ": the text so far")
            t.eq((doc.get("error") or {}).get("code"), "ThrottlingException",
                 name + ": the exception's code")
        else:
            t.eq(r.stdout, "Nova Micro \n", name + ": the text so far stays, "
                 "ended with a newline")
            check_fail(name, r, "invoke")
        t.eq(len(streams(aws)), 1, name + ": never retried once text was "
             "printed (AWS_MAX_ATTEMPTS=2)")

    # A connection reset mid-stream: the network, exit 3; no retry.  The
    # frames are spaced so that they reach the program before the reset
    # (a reset throws away what the kernel still holds: that attempt
    # delivered nothing, and a retry is right).
    aws.update({"stream": {"chunk_delay_ms": 100}})
    aws.clear_requests()
    aws.add_fault({"action": "reset", "op": "ConverseStream",
                   "after_frames": 4})
    r = t.run(["chat", "--model", NOVA, "hello there"], env=env)
    t.eq(r.returncode, 3, "reset mid-stream: exit 3")
    t.ok(r.stdout.startswith("Nova Micro here:") and r.stdout.endswith("\n"),
         "reset mid-stream: the text so far stays", r.stdout)
    t.eq(len(streams(aws)), 1, "reset mid-stream: not retried")
    aws.update({"stream": {"chunk_delay_ms": 0}})
    # Before any text, a throttle is retried and the answer comes.
    aws.clear_requests()
    aws.add_fault({"action": "throttle", "op": "ConverseStream", "count": 1})
    r = t.run(["chat", "--model", NOVA, "hi"], env=env)
    t.eq((r.returncode, len(streams(aws))), (0, 2),
         "throttled before the stream: retried, then answered")

    # Each piece is written before the stand-in sends the last one.
    aws.update({"stream": {"chunk_delay_ms": 250, "padding": False}})
    aws.clear_requests()
    p = subprocess.Popen([t.binary(), "chat", "--model", NOVA,
                          "one two three four five"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reads = []
    while True:
        data = os.read(p.stdout.fileno(), 65536)
        if not data:
            break
        reads.append((time.monotonic(), data.decode()))
    err = p.stderr.read().decode()
    p.wait(timeout=60)
    whole = "".join(d for _, d in reads)
    t.eq(p.returncode, 0, "slow stream: answered")
    t.eq(whole, "Nova Micro here: you said one two three four five\n",
         "slow stream: the whole answer")
    st = streams(aws)
    sent = st[-1].get("frame_times", []) if st else []
    n = st[-1].get("frames", 0) if st else 0
    t.ok(len(sent) == n and n > 6, "slow stream: the stand-in logged when "
         "each frame went out", st)
    if reads and len(sent) > 4:
        last_delta = sent[n - 4]      # then contentBlockStop, stop, metadata
        t.ok(reads[0][0] < last_delta,
             "slow stream: the first piece was read before the stand-in "
             "sent the last one (%.0f ms before)" %
             ((last_delta - reads[0][0]) * 1000))
        t.ok(whole.startswith(reads[0][1]) and len(reads[0][1]) < len(whole),
             "slow stream: the first read is a piece, not the whole answer",
             reads[0])
        early = [d for tm, d in reads if tm < last_delta]
        t.ok(len(early) >= 2, "slow stream: several pieces read while the "
             "stream was still going (%d)" % len(early), reads)

    # Ctrl-C during a slow stream: exit 130, the text so far kept.
    for js in (False, True):
        aws.clear_requests()
        p = subprocess.Popen([t.binary(), "chat", "--model", NOVA] +
                             (["--json"] if js else []) +
                             ["one two three four five six seven"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        name = "Ctrl-C" + (" --json" if js else "")
        first = b""
        if not js:
            first = os.read(p.stdout.fileno(), 65536)
        else:
            # Nothing reaches stdout before the end: wait until the
            # stand-in logged the listing that comes before the stream.
            for _ in range(600):
                if any(e.get("op") == "ListInferenceProfiles"
                       for e in aws.requests()) or p.poll() is not None:
                    break
                time.sleep(0.05)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
        out = first + out
        t.eq(p.returncode, 130, name + ": exit 130")
        if js:
            doc = one_json(name, subprocess.CompletedProcess(
                [], 130, out.decode(), err.decode()))
            t.eq((doc.get("error") or {}).get("code"), "interrupted",
                 name + ": the error says interrupted")
        else:
            text = out.decode()
            t.ok(text.startswith("Nova") and text.endswith("\n") and
                 "seven" not in text, name + ": the text so far, and a "
                 "newline", text)
            t.contains(err.decode(), "interrupted", name + ": said on stderr")
        if js:
            continue
        # The stand-in notices that the client went away.
        entry = None
        for _ in range(400):
            st = streams(aws)
            if st:
                entry = st[-1]
                break
            time.sleep(0.05)
        t.ok(entry is not None and (entry.get("client_gone") or
             len(entry.get("frame_times", [])) < entry.get("frames", 0)),
             name + ": the stream was abandoned, not read to the end", entry)

t.done()
