#!/usr/bin/env python3
"""Retries show in the wizard: with the stand-in throttling STS, the
credentials step's status line says what is retried, why, and which
attempt comes next (issue 4: retries visible as a short status line);
the stand-in's log shows the retried calls."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
import bstest as t  # noqa: E402
import tmuxdrive  # noqa: E402

if not tmuxdrive.have_tmux():
    t.skip_all("tmux is not installed (apt-get install tmux)")

ALICE = ("AKIASTANDINALICE0001", "StandInAliceSecretKey/000000000000000001")

with t.standin("happy").start() as aws:
    aws.add_fault({"action": "throttle", "op": "GetCallerIdentity",
                   "count": "always"})
    e, _ = t.clean_env(AWS_ENDPOINT_URL=aws.url, AWS_REGION="us-east-1",
                       AWS_ACCESS_KEY_ID=ALICE[0],
                       AWS_SECRET_ACCESS_KEY=ALICE[1], AWS_MAX_ATTEMPTS="3")
    env = {k: e[k] for k in e if k.startswith("AWS_") or k in
           ("HOME", "PATH", "BEDROCK_SETUP_LOCALEDIR")}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="xterm-256color")
    with tmuxdrive.Session([t.binary()], env, 100, 30) as s:
        t.ok(s.wait_for(("IAM permission", "q quit")) is not None,
             "the first screen appears")
        s.keys("Enter")
        scr = s.wait_for("retrying in", timeout=20)
        t.ok(scr is not None, "the status line says a request is retried",
             lambda: s.screen())
        line = next((l for l in (scr or "").splitlines()
                     if "retrying in" in l), "")
        t.contains(line, "GetCallerIdentity", "it names the call")
        t.contains(line, "Throttling", "it says why (the error code)")
        t.contains(line, "of 3", "it says how many attempts there are")
        t.ok(ALICE[1] not in (scr or ""), "no secret on the screen")
        s.keys("q")
        t.eq(s.exit_status(timeout=20), 0, "q quits with status 0")
    calls = [q for q in aws.requests() if q["op"] == "GetCallerIdentity"]
    t.ok(len(calls) >= 1 and all(q["status"] == 400 for q in calls),
         "the stand-in throttled GetCallerIdentity",
         lambda: repr([(q["op"], q["status"]) for q in aws.requests()]))

t.done()
