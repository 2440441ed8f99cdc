#!/usr/bin/env python3
"""The whole wizard, driven through tmux: from launch to a streamed answer
in the chat pane, in the demo and against the loopback AWS stand-in; each
failing-gate scenario shows its gate and fix on the right screen; going
back keeps choices; resize, NO_COLOR and TERM=vt100 on the later screens;
Ctrl-C stops a reply without leaving; the policy is saved (asking before
replacing a file, a clear error for a folder that cannot be written) and
copied through OSC 52.

Screens are read with capture-pane and checked for the facts they must
show, not just for "something was drawn"."""

import json
import os
import shutil
import stat
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
import bstest as t  # noqa: E402
import tmuxdrive  # noqa: E402

if not tmuxdrive.have_tmux():
    t.skip_all("tmux is not installed (apt-get install tmux)")

BIN = t.binary()
GATES = ["Credentials", "Region", "Model access", "Provider terms",
         "IAM permission"]


def env(home=None, **extra):
    e, h = t.clean_env(home)
    base = {"HOME": h, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "TERM": "xterm-256color", "PATH": os.environ.get("PATH", ""),
            "AWS_EC2_METADATA_DISABLED": "true"}
    if "BEDROCK_SETUP_LOCALEDIR" in os.environ:
        base["BEDROCK_SETUP_LOCALEDIR"] = os.environ["BEDROCK_SETUP_LOCALEDIR"]
    base.update(extra)
    return base


def settled(s, scr, text):
    """The screen once two captures in a row agree (a repaint may be
    caught half drawn), for at most a second; still holding text."""
    import time
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        time.sleep(0.05)
        again = s.screen()
        if again == scr:
            break
        if text in again:
            scr = again
    return scr


def wait(s, text, name, timeout=15.0):
    """Poll until text shows; one check; returns the screen or ""."""
    scr = s.wait_for(text, timeout)
    if scr is not None:
        scr = settled(s, scr, text)
    t.ok(scr is not None, name, lambda: "waited for %r; screen:\n%s" %
         (text, s.screen()))
    return scr or ""


def to_models(s, tag):
    """Welcome -> credentials -> Region -> models with access filled in."""
    wait(s, "IAM permission", tag + ": the welcome screen")
    s.keys("Enter")
    wait(s, "Signed in", tag + ": credentials: signed in")
    s.keys("Enter")
    wait(s, "step 2/6 Region", tag + ": the Region step")
    s.keys("Enter")
    scr = wait(s, "step 3/6 Models", tag + ": the models step")
    scr = wait(s, "Chat models in", tag + ": the model list arrives")
    return scr


def access_settled(s, timeout=15.0):
    """The models screen once no access cell shows a spinner."""
    import time
    end = time.monotonic() + timeout
    scr = s.screen()
    while time.monotonic() < end:
        scr = s.screen()
        if "Chat models in" in scr and not any(
                c in scr for c in "\u280b\u2819\u2839\u2838\u283c\u2834"
                "\u2826\u2827\u2807\u280f"):
            return scr
        time.sleep(0.1)
    return scr


def to_chat(s, tag):
    """From the models step (default selection) to the chat pane."""
    access_settled(s)
    s.keys("Enter")
    wait(s, "step 4/6 Access", tag + ": the access step")
    s.keys("Enter")
    wait(s, "step 5/6 Policy", tag + ": the policy step")
    wait(s, '"Version": "2012-10-17"', tag + ": the policy JSON is shown")
    s.keys("Enter")
    return wait(s, "step 6/6 First call", tag + ": the chat pane")


# 1. The happy path in the demo: only Enter, from launch to an answer.
with tmuxdrive.Session([BIN, "--demo"], env(), 100, 30) as s:
    scr = to_models(s, "demo")
    scr = access_settled(s)
    t.contains(scr, "us-east-1", "models: the Region is named")
    t.contains(scr, "Anthropic", "models: grouped by provider (Anthropic)")
    t.contains(scr, "Amazon", "models: grouped by provider (Amazon)")
    t.ok("[x] Nova Micro" in scr, "models: the recommended low-cost "
         "model is preselected", lambda: scr)
    t.contains(scr, "on demand", "models: how each is called")
    t.contains(scr, "us. profile", "models: profile-only models show "
               "their profile")
    t.contains(scr, "ready", "models: the live access state")
    t.contains(scr, "First-party model", "models: the detail pane gives "
               "the provider's terms")
    s.keys("Enter")
    scr = wait(s, "ready to call", "access: the chosen model is ready")
    t.contains(scr, "amazon.nova-micro-v1:0", "access: names the model")
    s.keys("Enter")
    scr = wait(s, '"bedrock:InvokeModelWithResponseStream"',
               "policy: grants the streaming action")
    t.contains(scr, "bedrock:InvokeModel", "policy: grants InvokeModel")
    t.ok("bedrock:Converse\"" not in scr, "policy: no bedrock:Converse")
    t.contains(scr, "arn:aws:bedrock:us-east-1::foundation-model/amazon",
               "policy: the model's ARN")
    t.contains(scr, "111122223333", "policy: the account from STS")
    t.contains(scr, "Lint: no findings", "policy: lint findings shown")
    t.contains(scr, "InvokeOnDemandModels", "policy: the explanation "
               "names the statement")
    s.keys("Enter")
    scr = wait(s, "Reply with the single word: connected.",
               "chat: the first message is prefilled")
    s.keys("Enter")
    scr = wait(s, "first token", "chat: the footer shows the latency")
    t.contains(scr, "connected.", "chat: the streamed answer arrived")
    t.contains(scr, "tokens in", "chat: the footer shows the tokens")
    t.contains(scr, "amazon.nova-micro-v1:0 in us-east-1", "chat: footer "
               "names model and Region")
    gates = scr.splitlines()[1]
    t.eq(gates.count("\u2713"), 5, "chat: all five gates are ticked")
    s.keys("F3")
    scr = wait(s, "aws bedrock-runtime converse", "F3: the AWS CLI command")
    t.contains(scr, "boto3", "F3: the boto3 snippet")
    s.keys("F3")
    wait(s, "first token", "F3 again: back to the chat")
    s.literal("hello")
    s.keys("Enter")
    scr = wait(s, "Hello! This is Nova Micro", "chat: a second turn "
               "answers (multi-turn)")
    scr = wait(s, "conversation is simulated", "chat: the second reply "
               "streams to its end")
    t.contains(scr, "You: hello", "chat: the history is kept on screen")
    t.contains(scr, "connected.", "chat: the first answer is still there")
    s.keys("Enter")
    scr = wait(s, "What works now", "summary after the chat")
    t.contains(scr, "export AWS_REGION=us-east-1", "summary: the Region "
               "line to reuse")
    t.contains(scr, "BEDROCK_MODEL_ID=amazon.nova-micro-v1:0",
               "summary: the model line to reuse")
    t.contains(scr, "Save the policy", "summary: what is left to do")
    s.keys("Enter")
    t.eq(s.exit_status(), 0, "Enter on the summary exits 0")
    t.contains(s.history(), "bedrock-setup: amazon.nova-micro-v1:0 answered "
               "in us-east-1", "one summary line is printed after the "
               "wizard")

# 2. Esc goes back and keeps choices; Space selects a second model.
with tmuxdrive.Session([BIN, "--demo"], env(), 100, 30) as s:
    to_models(s, "back")
    access_settled(s)
    s.keys("/")
    s.literal("Nova Pro")
    s.keys("Enter")
    wait(s, "/Nova Pro", "back: / filters the list")
    s.keys("Space")
    wait(s, "[x] Nova Pro", "back: Space selects a second model")
    s.keys("Escape")
    scr = s.wait_gone("/Nova Pro") or ""
    t.ok(scr != "", "back: Esc drops the filter")
    t.contains(scr, "[x] Nova Micro", "back: the first stays selected")
    s.keys("Enter")
    scr = wait(s, "All 2 chosen models are ready", "back: both models "
               "reach the access step")
    s.keys("Enter")
    scr = wait(s, "For 2 models in us-east-1", "back: the policy covers "
               "both models")
    s.keys("d")
    scr = wait(s, "DiscoverModels", "policy: d adds the discovery "
               "statement")
    s.keys("Escape")
    wait(s, "step 4/6 Access", "Esc: back to the access step")
    s.keys("Escape")
    scr = wait(s, "step 3/6 Models", "Esc: back to the models step")
    scr = access_settled(s)
    t.ok("[x] Nova Pro" in scr and "[x] Nova Micro" in scr,
         "Esc: both selections are kept", lambda: scr)
    s.keys("Enter")
    wait(s, "step 4/6 Access", "forward again")
    s.keys("Enter")
    scr = wait(s, "DiscoverModels", "forward: the policy toggles are kept")
    s.keys("q")
    scr = wait(s, "Quit anyway? y/N", "q with a changed policy asks first")
    s.keys("n")
    t.ok(s.wait_gone("Quit anyway") is not None, "n keeps the wizard")
    s.keys("q")
    wait(s, "Quit anyway? y/N", "q asks again")
    s.keys("y")
    t.eq(s.exit_status(), 0, "y quits with status 0")

# 3. Each failing gate shows on the right screen with its fix.
with tmuxdrive.Session([BIN, "--demo=no-credentials"], env(), 100, 30) as s:
    wait(s, "IAM permission", "no-credentials: starts")
    s.keys("Enter")
    scr = wait(s, "How to fix it", "no-credentials: the credentials step "
               "explains the failure")
    t.contains(scr, "aws configure", "no-credentials: the fix names "
               "aws configure")
    s.keys("Enter")
    scr = wait(s, "fix the credentials first", "no-credentials: Enter "
               "does not go on")
    t.contains(scr, "step 1/6 Credentials", "no-credentials: still on "
               "step 1")
    s.keys("q")
    t.eq(s.exit_status(), 0, "no-credentials: q exits 0")

with tmuxdrive.Session([BIN, "--demo=wrong-region"], env(), 100, 30) as s:
    to_models(s, "wrong-region")
    scr = wait(s, "is not offered in eu-central-1", "wrong-region: the "
               "models step says the model is not offered here")
    t.contains(scr, "us-east-1", "wrong-region: names Regions that "
               "offer it")
    t.contains(scr, "\u2717 Region", "wrong-region: the Region gate fails")
    s.keys("q")
    t.eq(s.exit_status(), 0, "wrong-region: q exits 0")

with tmuxdrive.Session([BIN, "--demo=terms-pending"], env(), 100, 30) as s:
    scr = to_models(s, "terms-pending")
    scr = access_settled(s)
    t.contains(scr, "needs form", "terms-pending: models show the form "
               "is missing")
    s.keys("Enter")
    wait(s, "step 4/6 Access", "terms-pending: the access step")
    scr = wait(s, "Next: press f", "terms-pending: the access step "
               "gives the next step")
    t.contains(scr, "\u2717 Provider terms", "terms-pending: the terms "
               "gate fails")
    s.keys("f")
    wait(s, "Company name", "form: opens")
    s.literal("Acme Workshops")
    s.keys("Tab")
    s.literal("https://acme.example")
    s.keys("Tab", "Space", "Tab")
    s.literal("Education")
    s.keys("Tab", "Tab")
    s.literal("A classroom chat assistant")
    s.keys("Enter")
    scr = wait(s, "y submits", "form: asks before submitting")
    t.contains(scr, "111122223333", "form: the question names the account")
    s.keys("y")
    scr = wait(s, "agreement offer", "form submitted: the agreement is "
               "next")
    s.keys("a")
    scr = wait(s, "Terms (EULA)", "a: the offer's terms URL is shown")
    t.contains(scr, "input_tokens", "a: the price dimensions are shown")
    t.contains(scr, "y accepts", "a: asks before accepting")
    s.keys("n")
    scr = wait(s, "Not accepted", "n: nothing is accepted")
    s.keys("a")
    wait(s, "y accepts", "a again")
    s.keys("y")
    scr = wait(s, "AWS is processing", "y: the agreement is pending")
    s.keys("q")
    t.eq(s.exit_status(), 0, "terms-pending: q exits 0")

with tmuxdrive.Session([BIN, "--demo=iam-denied"], env(), 100, 30) as s:
    to_models(s, "iam-denied")
    to_chat(s, "iam-denied")
    s.keys("Enter")
    scr = wait(s, "Gate failed: IAM permission", "iam-denied: the chat "
               "shows the IAM gate")
    t.contains(scr, "bedrock:InvokeModelWithResponseStream",
               "iam-denied: names the missing action")
    t.contains(scr, "How to fix it", "iam-denied: gives the fix")
    t.contains(scr, "\u2717 IAM permission", "iam-denied: the gate fails "
               "in the checklist")
    s.keys("F10")
    t.eq(s.exit_status(), 0, "F10 quits from the chat")

with tmuxdrive.Session([BIN, "--demo=throttled"], env(), 100, 30) as s:
    to_models(s, "throttled")
    to_chat(s, "throttled")
    s.keys("Enter")
    scr = wait(s, "Gate failed", "throttled: the chat shows a diagnosis",
               timeout=40)
    t.contains(scr.replace("\n", " "), "quota", "throttled: the cause "
               "is the token quota")
    s.keys("F10")
    t.eq(s.exit_status(), 0, "throttled: F10 exits 0")

with tmuxdrive.Session([BIN, "--demo=needs-profile"], env(), 100, 30) as s:
    to_models(s, "needs-profile")
    scr = access_settled(s)
    t.ok("[x] Claude Sonnet 4.5" in scr, "needs-profile: the scenario's "
         "model is preselected", lambda: scr)
    t.contains(scr, "us.anthropic.claude-sonnet-4-5", "needs-profile: "
               "the detail names the profile it is called through")
    to_chat(s, "needs-profile")
    s.keys("Enter")
    scr = wait(s, "first token", "needs-profile: the call through the "
               "profile answers")
    t.contains(scr, "us.anthropic.claude-sonnet-4-5", "needs-profile: the "
               "footer names the profile id")
    s.keys("F10")
    t.eq(s.exit_status(), 0, "needs-profile: exits 0")

# 4. Ctrl-C stops a reply without leaving; the next question works.
with tmuxdrive.Session([BIN, "--demo"], env(), 100, 30) as s:
    to_models(s, "ctrl-c")
    to_chat(s, "ctrl-c")
    s.keys("C-u")
    s.literal("tell me a story")
    s.keys("Enter")
    wait(s, "Once upon a time", "ctrl-c: the story starts streaming")
    s.keys("C-c")
    scr = wait(s, "(reply stopped)", "ctrl-c: the reply stops")
    t.ok("just like this one" not in scr, "ctrl-c: the rest never came",
         lambda: scr)
    t.contains(scr, "step 6/6 First call", "ctrl-c: still in the chat")
    s.literal("Reply with the single word: again")
    s.keys("Enter")
    scr = wait(s, "again.", "ctrl-c: the next question is answered")
    s.keys("F10")
    t.eq(s.exit_status(), 0, "ctrl-c: F10 exits 0")

# 5. Resize on a later screen, NO_COLOR and TERM=vt100 through the journey.
with tmuxdrive.Session([BIN, "--demo"], env(), 100, 30) as s:
    to_models(s, "resize")
    to_chat(s, "resize")
    s.keys("Enter")
    wait(s, "first token", "resize: answered")
    s.resize(60, 20)
    wait(s, "Terminal too small", "60x20: the too-small message")
    s.resize(100, 30)
    scr = wait(s, "first token", "back to 100x30: the chat is redrawn")
    t.contains(scr, "connected.", "resize: the transcript survived")
    s.keys("F10")
    t.eq(s.exit_status(), 0, "resize: exits 0")

for name, extra, size in (("NO_COLOR", {"NO_COLOR": "1"}, (80, 24)),
                          ("vt100", {"TERM": "vt100", "LANG": "C",
                                     "LC_ALL": "C"}, (80, 24))):
    with tmuxdrive.Session([BIN, "--demo"], env(**extra), *size) as s:
        to_models(s, name)
        scr = to_chat(s, name)
        s.keys("Enter")
        scr = wait(s, "first token", name + ": a streamed answer at 80x24")
        t.contains(scr, "connected.", name + ": the answer is shown")
        if name == "vt100":
            t.ok(all(ord(c) < 128 for c in scr), "vt100 in the C locale: "
                 "only ASCII on screen", lambda: scr)
        s.keys("C-u", "C-d")
        t.eq(s.exit_status(), 0, name + ": exits 0")

# 6. Saving the policy: asks before replacing a file; a clear error for a
#    folder that cannot be written (the wizard runs as nobody when the
#    tests run as root, since root may write anywhere); OSC 52 copies.
work = tempfile.mkdtemp(prefix="bs-tui-save-")
os.chmod(work, 0o777)
home = tempfile.mkdtemp(prefix="bs-tui-home-")
os.chmod(home, 0o777)
ro = os.path.join(work, "readonly")
os.mkdir(ro)
os.chmod(ro, 0o555)
existing = os.path.join(work, "existing.json")
with open(existing, "w") as f:
    f.write("keep me\n")
os.chmod(existing, 0o666)
argv = [BIN, "--demo"]
if os.getuid() == 0:
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        argv = None
    else:
        argv = [setpriv, "--reuid=65534", "--regid=65534",
                "--clear-groups", BIN, "--demo"]
if argv is None:
    t.skip("saving the policy", "running as root without setpriv "
           "(util-linux): cannot test an unwritable folder")
else:
    with tmuxdrive.Session(argv, env(home=home), 100, 30) as s:
        s._tmux("set-option", "-g", "set-clipboard", "on")
        to_models(s, "save")
        access_settled(s)
        s.keys("Enter")
        wait(s, "step 4/6 Access", "save: access")
        s.keys("Enter")
        wait(s, '"Version": "2012-10-17"', "save: the policy")
        s.keys("c")
        wait(s, "Copied to the clipboard", "c: says it copied")
        buf = s._tmux("show-buffer", check=False).stdout
        t.ok('"bedrock:InvokeModel"' in buf, "c: the policy reached the "
             "terminal's clipboard (OSC 52)", lambda: buf)
        s.keys("w")
        wait(s, "Save as: bedrock-policy.json", "w: proposes a file name")
        s.keys("C-u")
        s.literal(existing)
        s.keys("Enter")
        scr = wait(s, "exists. Replace it? y/N", "an existing file: asks")
        s.keys("n")
        wait(s, "Not replaced", "n: not replaced")
        with open(existing) as f:
            t.eq(f.read(), "keep me\n", "n: the file is intact")
        s.keys("Enter")
        wait(s, "Replace it? y/N", "Enter again: asks again")
        s.keys("y")
        wait(s, "Saved the policy (JSON) to", "y: saved")
        with open(existing) as f:
            doc = json.load(f)
        t.eq(doc.get("Version"), "2012-10-17", "y: the file holds the "
             "policy")
        t.eq(stat.S_IMODE(os.stat(existing).st_mode), 0o644,
             "the saved file is mode 0644")
        s.keys("f")
        wait(s, "f format: CloudFormation", "f: CloudFormation")
        s.keys("w", "C-u")
        s.literal(os.path.join(ro, "policy.yaml"))
        s.keys("Enter")
        scr = s.wait_gone("Save as:") or ""
        t.contains(scr, "readonly", "an unwritable folder: an error "
                   "naming the path")
        t.ok("Saved" not in scr, "an unwritable folder: nothing is saved",
             lambda: scr)
        t.eq(os.listdir(ro), [], "an unwritable folder: nothing left there")
        s.keys("Enter")
        wait(s, "step 6/6 First call", "on to the chat")
        s.keys("Escape")
        wait(s, "step 5/6 Policy", "Esc: back to the policy")
        s.keys("Enter", "Enter")
        wait(s, "first token", "the call")
        s.keys("Enter")
        scr = wait(s, "Files written", "summary")
        t.contains(scr, existing, "summary: lists the file written")
        s.keys("Enter")
        t.eq(s.exit_status(), 0, "save: exits 0")
shutil.rmtree(work, ignore_errors=True)
shutil.rmtree(home, ignore_errors=True)

# 7. Against the loopback AWS stand-in: real signed requests, live lists.
with t.standin("happy").start() as aws:
    c = aws.scenario["client"]
    e = env(AWS_ENDPOINT_URL=aws.url, AWS_REGION=c["region"],
            AWS_ACCESS_KEY_ID=c["access_key_id"],
            AWS_SECRET_ACCESS_KEY=c["secret_access_key"])
    with tmuxdrive.Session([BIN], e, 100, 30) as s:
        scr = to_models(s, "stand-in")
        scr = access_settled(s)
        t.contains(scr, "live from Bedrock", "stand-in: the list is live")
        to_chat(s, "stand-in")
        s.keys("Enter")
        scr = wait(s, "first token", "stand-in: a streamed answer")
        s.keys("F10")
        t.eq(s.exit_status(), 0, "stand-in: exits 0")
    ops = [r.get("op") for r in aws.requests()]
    for op in ("GetCallerIdentity", "ListFoundationModels",
               "ListInferenceProfiles", "GetFoundationModelAvailability",
               "ConverseStream"):
        t.ok(op in ops, "stand-in: the wizard called " + op,
             lambda: sorted(set(o for o in ops if o)))
    bad = [r for r in aws.requests() if r.get("auth") == "sigv4" and
           r.get("sig_ok") is False]
    t.eq(bad, [], "stand-in: every signature verified")

# 8. A Bedrock API key and no AWS credentials: the journey still works.
with t.standin("happy").start() as aws:
    token = sorted(aws.scenario["bearer_tokens"])[0]
    e = env(AWS_ENDPOINT_URL=aws.url, AWS_REGION="us-east-1",
            AWS_BEARER_TOKEN_BEDROCK=token)
    with tmuxdrive.Session([BIN], e, 100, 30) as s:
        wait(s, "IAM permission", "API key: starts")
        s.keys("Enter")
        scr = wait(s, "A Bedrock API key", "API key: the credentials step "
                   "says the key is used")
        t.contains(scr, "<ACCOUNT_ID>", "API key: says the account is "
                   "not known")
        t.contains(scr, "! Credentials", "API key: the gate is a warning")
        s.keys("Enter")
        wait(s, "step 2/6 Region", "API key: Enter goes on")
        s.keys("Enter")
        wait(s, "Chat models in", "API key: the models are listed")
        to_chat(s, "API key")
        s.keys("Enter")
        scr = wait(s, "first token", "API key: a streamed answer")
        s.keys("F10")
        t.eq(s.exit_status(), 0, "API key: exits 0")
    auths = set(r.get("auth") for r in aws.requests()
                if r.get("op") in ("ConverseStream", "ListFoundationModels"))
    t.eq(auths, {"bearer"}, "API key: Bedrock calls carry the key")

t.done()
