#!/usr/bin/env python3
"""bedrock-setup policy, end to end: offline runs with a clean environment
and no credentials (every format and option, the JSON checked statement
by statement against the shipped catalog), -o with its atomic write and
--force, the account from --account, STS or the placeholder, --validate
against the stand-in's Access Analyzer, usage errors, and --debug never
printing a secret.  The CloudFormation template is parsed as YAML when
PyYAML is importable, and the Terraform file is checked with the
terraform binary when there is one (skipped loudly otherwise)."""

import json
import re
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import bstest as t  # noqa: E402

ACCOUNT = "111122223333"
PH = "<ACCOUNT_ID>"
SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0"
SONNET46 = "anthropic.claude-sonnet-4-6"
ALICE = ("AKIASTANDINALICE0001", "StandInAliceSecretKey/000000000000000001")
INVOKE = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
APP_ARN = "arn:aws:bedrock:us-east-1:%s:application-inference-profile/" \
          "abcd1234efgh" % ACCOUNT
PROV_ARN = "arn:aws:bedrock:us-east-1:%s:provisioned-model/abcdefgh1234" \
           % ACCOUNT

with open(os.path.join(t.srcdir(), "data", "catalog.json")) as f:
    CATALOG = json.load(f)
PREFIX = {p["prefix"]: p for p in CATALOG["profile_prefixes"]}
REGION = {r["id"]: r for r in CATALOG["regions"]}


def policy(*args, env=None, name=None):
    """Run "policy ARGS" offline; returns (rc, stdout, stderr)."""
    r = t.run(["policy"] + list(args), env=env)
    return r.returncode, r.stdout, r.stderr


def parsed(out, name):
    try:
        return json.loads(out)
    except ValueError:
        t.ok(False, name + ": stdout is one JSON document", out[-2000:])
        return None


def by_sid(doc):
    return {s.get("Sid"): s for s in (doc or {}).get("Statement", [])}


def as_list(v):
    return v if isinstance(v, list) else [v]


def fm(region, model):
    return "arn:aws:bedrock:%s::foundation-model/%s" % (region, model)


def ip(region, account, pid):
    return "arn:aws:bedrock:%s:%s:inference-profile/%s" % (region, account,
                                                           pid)


def invoke_arns(doc):
    out = set()
    for s in (doc or {}).get("Statement", []):
        if s.get("Effect") == "Allow" and set(as_list(s["Action"])) & \
                set(INVOKE):
            out.update(a for a in as_list(s["Resource"]) if a != "*")
    return out


# ------------------------------------------------------------ offline JSON

env0, home0 = t.clean_env()

rc, out, err = policy("--region", "us-east-1", "--model", "us." + SONNET,
                      env=env0)
t.eq(rc, 0, "geo profile, offline: exit 0")
doc = parsed(out, "geo profile")
sts = by_sid(doc)
t.eq((doc or {}).get("Version"), "2012-10-17", "geo profile: Version")
t.eq(list(sts), ["InvokeThroughInferenceProfiles",
                 "InvokeModelsInProfileRegions"],
     "geo profile: the profile statement, then the models in its Regions")
prof = ip("us-east-1", PH, "us." + SONNET)
st = sts.get("InvokeThroughInferenceProfiles", {})
t.eq((st.get("Effect"), sorted(as_list(st.get("Action"))),
      as_list(st.get("Resource"))), ("Allow", INVOKE, [prof]),
     "geo profile: the profile ARN in the source Region, both actions, "
     "the account placeholder")
st = sts.get("InvokeModelsInProfileRegions", {})
want = sorted(fm(r, SONNET) for r in
              set(PREFIX["us"]["destinations"]) | {"us-east-1"})
t.eq(sorted(as_list(st.get("Resource"))), want,
     "geo profile: the model in every destination Region of the catalog's "
     "us. prefix")
t.eq(st.get("Condition"),
     {"StringEquals": {"bedrock:InferenceProfileArn": prof}},
     "geo profile: models only through the profile")
t.contains(err, PH, "the placeholder is explained on stderr")
t.contains(err, "--account", "and how to fill it in")
t.ok("lint" in err or "info" in err, "lint findings on stderr", err)

# Without --model: the Region's recommended model, said on stderr.
rc, out, err = policy("--region", "eu-west-1", env=env0)
t.eq(rc, 0, "no --model: exit 0")
dflt = REGION["eu-west-1"]["default_model"]
t.contains(err, dflt, "no --model: stderr names the recommended model")
t.contains(out, dflt, "no --model: the policy is for it")

# Global profile: the three-part policy with the Region-less ARN.
rc, out, err = policy("--region", "us-east-1", "--account", ACCOUNT,
                      "--model", "global." + SONNET46, env=env0)
doc = parsed(out, "global profile")
t.eq(rc, 0, "global profile: exit 0")
t.ok("arn:aws:bedrock:::foundation-model/" + SONNET46 in invoke_arns(doc),
     "global profile: the Region-less foundation-model ARN", out)
t.ok(any(s.get("Condition", {}).get("StringEquals", {}).get(
    "aws:RequestedRegion") == "unspecified"
    for s in (doc or {}).get("Statement", [])),
    "global profile: aws:RequestedRegion unspecified on it")
t.ok(PH not in out and ip("us-east-1", ACCOUNT, "global." + SONNET46) in out,
     "--account: the account is in the profile ARN, no placeholder")

# Several models of every kind in one policy.
rc, out, err = policy("--region", "us-east-1", "--account", ACCOUNT,
                      "--model", "us." + SONNET, "--model", "global."
                      + SONNET46, "--model", "amazon.nova-micro-v1:0",
                      "--model", APP_ARN, "--model", PROV_ARN,
                      "--model", "amazon.nova-micro-v1:0", env=env0)
doc = parsed(out, "several models")
t.eq(rc, 0, "several models: exit 0")
arns = invoke_arns(doc)
for a in (fm("us-east-1", "amazon.nova-micro-v1:0"), APP_ARN, PROV_ARN,
          ip("us-east-1", ACCOUNT, "us." + SONNET),
          ip("us-east-1", ACCOUNT, "global." + SONNET46),
          "arn:aws:bedrock:::foundation-model/" + SONNET46):
    t.ok(a in arns, "several models: allows " + a)
t.eq(len([s for s in doc["Statement"] if s["Sid"] == "InvokeOnDemandModels"]
         ), 1, "several models: a repeated model appears once")

# Options.
rc, out, err = policy("--region", "us-east-1", "--model", "us." + SONNET,
                      "--no-stream", env=env0)
t.ok(rc == 0 and "InvokeModelWithResponseStream" not in out and
     "bedrock:InvokeModel" in out, "--no-stream: no "
     "InvokeModelWithResponseStream", out)
for opt, sid, action in (("--with-discovery", "DiscoverModels",
                          "bedrock:ListFoundationModels"),
                         ("--with-enablement", "EnableModelsOnce",
                          "aws-marketplace:Subscribe"),
                         ("--with-api-keys", "UseBedrockApiKeys",
                          "bedrock:CallWithBearerToken")):
    rc, out, err = policy("--region", "us-east-1", "--model", "us." + SONNET,
                          opt, env=env0)
    st = by_sid(parsed(out, opt)).get(sid, {})
    t.ok(rc == 0 and action in as_list(st.get("Action")),
         "%s: statement %s with %s" % (opt, sid, action), out)
rc, out, err = policy("--region", "us-east-1", "--model", "us." + SONNET,
                      "--restrict-region", env=env0)
doc = parsed(out, "--restrict-region")
regs = set()
for s in (doc or {}).get("Statement", []):
    regs.update(as_list(s.get("Condition", {}).get("StringEquals", {}).get(
        "aws:RequestedRegion", [])))
t.ok(rc == 0 and set(PREFIX["us"]["destinations"]) <= regs,
     "--restrict-region: aws:RequestedRegion covers the destinations",
     out)

rc, out, err = policy("--region", "us-east-1", "--model", "us." + SONNET,
                      "--explain", env=env0)
t.ok(rc == 0 and parsed(out, "--explain") is not None,
     "--explain: stdout is still only the policy")
t.contains(err, "InvokeModelsInProfileRegions:",
           "--explain: the explanation, per Sid, on stderr")

rc, out, err = policy("--demo", "--model", "us." + SONNET, env=env0)
t.ok(rc == 0 and ip("us-east-1", ACCOUNT, "us." + SONNET) in out,
     "--demo: the catalog and the demo account", out + err)
rc, out, err = policy("--demo", "--validate", env=env0)
t.ok(rc == 0 and "access analyzer: no findings" in err,
     "--demo --validate: the demo's Access Analyzer", err)

# ------------------------------------------------------------ formats

fenv, _ = t.clean_env()
rc, jout, err = policy("--region", "us-east-1", "--account", ACCOUNT,
                       "--model", "us." + SONNET, "--model", "global."
                       + SONNET46, env=fenv)
jdoc = parsed(jout, "json for the formats")

rc, out, err = policy("--region", "us-east-1", "--account", ACCOUNT,
                      "--model", "us." + SONNET, "--model", "global."
                      + SONNET46, "--format", "cli", env=fenv)
t.eq(rc, 0, "cli: exit 0")
words = shlex.split(out)
t.eq(words[:5], ["aws", "iam", "create-policy", "--policy-name",
                 "BedrockSetupPolicy"], "cli: aws iam create-policy")
t.eq(json.loads(words[6]) if len(words) == 7 else None, jdoc,
     "cli: sh unquotes the document to the JSON policy")
rc, out2, err = policy("--region", "us-east-1", "--account", ACCOUNT,
                       "--model", "us." + SONNET, "--format", "cli",
                       "--name", "team-bedrock", env=fenv)
t.contains(out2, "--policy-name team-bedrock ", "--name: the policy name")

rc, out, err = policy("--region", "us-east-1", "--account", ACCOUNT,
                      "--model", "us." + SONNET, "--model", "global."
                      + SONNET46, "--format", "scp", env=fenv)
scp = parsed(out, "scp")
t.eq(rc, 0, "scp: exit 0")
st = (scp or {}).get("Statement", [{}])[0]
t.eq((st.get("Effect"), sorted(st.get("Action", []))), ("Deny", INVOKE),
     "scp: denies both invoke actions")
# A system-defined profile exists in every member account under its own
# account id: the SCP keeps it with "*" in the account field.
want = {re.sub(r"^(arn:[^:]*:bedrock:[^:]*:)\d{12}(:inference-profile/)",
               r"\1*\2", a) for a in invoke_arns(jdoc)}
t.ok(want <= set(st.get("NotResource", [])),
     "scp: NotResource holds every invoke ARN of the identity policy",
     lambda: sorted(want - set(st.get("NotResource", []))))
t.contains(err, "unspecified", "scp: the notes explain Region allow-lists")

rc, out, err = policy("--region", "us-east-1", "--model", "us." + SONNET,
                      "--format", "cloudformation", env=fenv)
t.eq(rc, 0, "cloudformation: exit 0")
t.ok(PH not in out and "${AWS::AccountId}" in out,
     "cloudformation: the placeholder becomes ${AWS::AccountId}")
try:
    import yaml
except ImportError:
    yaml = None
if yaml is None:
    t.skip("cloudformation: parses as YAML", "PyYAML is not importable "
           "by " + sys.executable)
else:
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_constructor("!Sub", lambda ld, n: ld.construct_scalar(n)
                           .replace("${AWS::AccountId}", PH))
    Loader.add_constructor("!Ref", lambda ld, n: {"Ref":
                                                  ld.construct_scalar(n)})
    try:
        tpl = yaml.load(out, Loader=Loader)
    except yaml.YAMLError as e:
        tpl = None
        t.diag(str(e))
    res = (tpl or {}).get("Resources", {}).get("BedrockSetupPolicy", {})
    t.eq(res.get("Type"), "AWS::IAM::ManagedPolicy",
         "cloudformation: parses as YAML, an AWS::IAM::ManagedPolicy")
    rc, pj, _ = policy("--region", "us-east-1", "--model", "us." + SONNET,
                       env=fenv)
    t.eq(res.get("Properties", {}).get("PolicyDocument"), json.loads(pj),
         "cloudformation: its PolicyDocument is the JSON policy")

rc, out, err = policy("--region", "us-east-1", "--account", ACCOUNT,
                      "--model", "us." + SONNET, "--model", "global."
                      + SONNET46, "--format", "terraform", env=fenv)
t.eq(rc, 0, "terraform: exit 0")
t.contains(out, 'resource "aws_iam_policy" "bedrock_setup"',
           "terraform: an aws_iam_policy resource")
tf = shutil.which("terraform")
if tf is None:
    t.skip("terraform: fmt -check and jsonencode evaluate to the policy",
           "terraform is not installed")
else:
    d = tempfile.mkdtemp(prefix="bs-tf-")
    tenv = dict(os.environ, TF_CLI_CONFIG_FILE="/dev/null",
                CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1")
    with open(os.path.join(d, "main.tf"), "w") as f:
        f.write(out)
    r = subprocess.run([tf, "fmt", "-check", "-diff", "main.tf"], cwd=d,
                       env=tenv, capture_output=True, text=True, timeout=120)
    t.eq(r.returncode, 0, "terraform: the file is as terraform fmt writes it")
    # The console reads one line at a time: evaluate a local instead
    # (no resource, so no provider and no init).
    expr = out[out.index("policy = jsonencode(") + 9:out.rindex(")") + 1]
    cdir = tempfile.mkdtemp(prefix="bs-tfc-")
    with open(os.path.join(cdir, "main.tf"), "w") as f:
        f.write("locals {\n  p = " + expr + "\n}\n")
    r = subprocess.run([tf, "console"], cwd=cdir, env=tenv,
                       input="local.p\n", capture_output=True, text=True,
                       timeout=120)
    try:
        got = json.loads(json.loads(r.stdout.strip()))
    except ValueError:
        got = None
        t.diag(r.stdout + r.stderr)
    t.eq(got, jdoc, "terraform: jsonencode(...) evaluates to the JSON policy")
    shutil.rmtree(d, ignore_errors=True)
    shutil.rmtree(cdir, ignore_errors=True)

# ------------------------------------------------------------ -o FILE

wd = tempfile.mkdtemp(prefix="bs-pol-")
target = os.path.join(wd, "policy.json")
rc, out, err = policy("--region", "us-east-1", "--model", "us." + SONNET,
                      "-o", target, "--explain", env=env0)
t.eq(rc, 0, "-o: exit 0")
t.contains(err, "wrote the policy (json) to " + target,
           "-o: stderr says where it wrote")
t.contains(out, "InvokeModelsInProfileRegions:",
           "-o: stdout is free, so --explain goes there")
with open(target) as f:
    first = f.read()
t.ok(json.loads(first).get("Version") == "2012-10-17", "-o: the file holds "
     "the policy")
t.eq(stat.S_IMODE(os.stat(target).st_mode), 0o644, "-o: mode 0644")
rc, out, err = policy("--region", "us-east-1", "--model", "amazon.nova-"
                      "micro-v1:0", "-o", target, env=env0)
t.eq(rc, 3, "-o on an existing file without --force: exit 3")
t.contains(err, "--force", "the refusal says how to replace it")
with open(target) as f:
    t.eq(f.read(), first, "the refused file is unchanged")
rc, out, err = policy("--region", "us-east-1", "--model", "amazon.nova-"
                      "micro-v1:0", "-o", target, "--force", "--format",
                      "terraform", env=env0)
with open(target) as f:
    t.ok(rc == 0 and f.read().startswith("# Terraform"),
         "--force replaces it", err)
t.eq(sorted(os.listdir(wd)), ["policy.json"], "-o: no temporary file left")
rc, out, err = policy("--region", "us-east-1", "-o",
                      os.path.join(wd, "nope", "p.json"), env=env0)
t.ok(rc == 3 and "another folder" in err, "-o into a missing folder: exit "
     "3, choose another folder", err)
rc, out, err = policy("--region", "us-east-1", "--force", env=env0)
t.eq(rc, 2, "--force without -o: exit 2")
shutil.rmtree(wd, ignore_errors=True)

# ------------------------------------------------------------ usage errors

for args, what, needle in (
        (["--region", "us-east-1", "--model", "anthropic.claude-nope-v9:0"],
         "unknown model", "anthropic.claude-nope-v9:0"),
        (["--region", "us-east-1", "--model", "bogus"], "not a model id",
         "bogus"),
        (["--region", "mars-north-1"], "unknown Region", "mars-north-1"),
        (["--region", "us-east-1", "--format", "yaml"], "bad format",
         "yaml"),
        (["--region", "us-east-1", "-o"], "-o without a path", "-o"),
        (["--region", "us-east-1", "--account", "12345"], "bad account",
         "12345"),
        (["--region", "us-east-1", "--name", "a b"], "bad policy name",
         "a b"),
        (["--region", "us-east-1", "stray"], "stray argument", "stray"),
        ([], "no Region at all", "--region")):
    rc, out, err = policy(*args, env=env0)
    t.eq(rc, 2, what + ": exit 2")
    t.ok(err.count("\n") == 1 and needle in err and out == "",
         what + ": one line on stderr naming it", err)
rc, out, err = policy("--region", "us-east-1", "--model",
                      "anthropic.claude-nope-v9:0", env=env0)
t.contains(err, "list-foundation-models", "unknown model: where to find ids")

# ------------------------------------------------------------ stand-in

with t.standin("happy").start() as aws:
    def aenv(**extra):
        e, _ = t.clean_env(AWS_ENDPOINT_URL=aws.url, **extra)
        return e

    creds = dict(AWS_ACCESS_KEY_ID=ALICE[0], AWS_SECRET_ACCESS_KEY=ALICE[1])

    aws.clear_requests()
    rc, out, err = policy("--region", "us-east-1", "--model", "us." + SONNET,
                          env=aenv())
    t.ok(rc == 0 and PH in out, "no credentials: the placeholder", err)
    t.eq(aws.requests(), [], "no credentials: no network call at all")

    aws.clear_requests()
    rc, out, err = policy("--region", "us-east-1", "--model", "us." + SONNET,
                          env=aenv(**creds))
    t.ok(rc == 0 and ip("us-east-1", ACCOUNT, "us." + SONNET) in out and
         PH not in out, "credentials: the account id fills the ARNs", err)
    ops = [q["op"] for q in aws.requests()]
    t.eq(ops[:1], ["GetCallerIdentity"],
         "credentials: the account comes from STS GetCallerIdentity")
    t.eq(sorted(ops[1:]), ["ListFoundationModels", "ListInferenceProfiles"],
         "credentials: then the Region's live models and profiles")

    aws.clear_requests()
    rc, out, err = policy("--region", "us-east-1", "--account", "444455556666",
                          "--model", "us." + SONNET, env=aenv(**creds))
    t.ok(rc == 0 and "444455556666" in out, "--account wins over STS")
    t.ok("GetCallerIdentity" not in [q["op"] for q in aws.requests()],
         "--account: no STS call", lambda: repr(aws.requests()))

    # With credentials the destination Regions are AWS's, not the catalog's:
    # a profile that also routes to us-west-1 gets that Region's model ARN.
    live = ["us-east-1", "us-east-2", "us-west-1", "us-west-2"]
    aws.update({"profiles": {"us." + SONNET: {
        "model": SONNET, "sources": ["us-east-1"], "destinations": live}}})
    rc, out, err = policy("--region", "us-east-1", "--model", "us." + SONNET,
                          env=aenv(**creds))
    doc = parsed(out, "live profile")
    t.eq(sorted(a for a in invoke_arns(doc) if ":foundation-model/" in a),
         sorted(fm(r, SONNET) for r in live),
         "live profile: the model in every destination Region AWS lists")
    t.ok(fm("us-west-1", SONNET) not in policy(
        "--region", "us-east-1", "--model", "us." + SONNET, env=env0)[1],
         "live profile: offline, the catalog's list (no us-west-1)")
    # Not allowed to list profiles: the catalog, with a warning.
    aws.add_fault({"action": "error", "op": "ListInferenceProfiles",
                   "status": 403, "code": "AccessDeniedException",
                   "message": "User is not authorized to perform: "
                   "bedrock:ListInferenceProfiles", "count": "always"})
    rc, out, err = policy("--region", "us-east-1", "--model", "us." + SONNET,
                          env=aenv(**creds))
    t.ok(rc == 0 and fm("us-east-2", SONNET) in out and
         fm("us-west-1", SONNET) not in out,
         "no permission to list: the catalog's Regions", err)
    t.contains(err, "built-in catalog",
               "no permission to list: a warning says the catalog is used")
    aws.set_scenario("happy")

    aws.clear_requests()
    rc, out, err = policy("--region", "us-east-1", "--model", "us." + SONNET,
                          "--with-discovery", "--validate", "--debug",
                          env=aenv(**creds))
    t.eq(rc, 0, "--validate, no findings: exit 0")
    t.contains(err, "access analyzer: no findings",
               "--validate: says Access Analyzer found nothing")
    ops = [q for q in aws.requests() if q["op"] == "ValidatePolicy"]
    t.ok(len(ops) == 1 and ops[0]["sig_ok"] and ops[0]["status"] == 200,
         "--validate: one signed ValidatePolicy call",
         lambda: json.dumps(aws.requests(), indent=1)[:3000])
    t.ok(parsed(out, "--validate") is not None, "--validate: stdout is "
         "still only the policy")
    leaked = [s for s in (ALICE[1],) if s in out + err]
    t.ok(not leaked, "--debug: no secret in stdout or stderr")
    t.contains(err, "Signature=****", "--debug: the signature is masked")

    # Make the stand-in's Access Analyzer not know one action we use.
    import fakeaws.ops_analyzer as analyzer
    known = analyzer.known_actions()
    known["bedrock"].discard("listfoundationmodels")
    try:
        rc, out, err = policy("--region", "us-east-1", "--model",
                              "us." + SONNET, "--with-discovery",
                              "--validate", env=aenv(**creds))
    finally:
        known["bedrock"].add("listfoundationmodels")
    t.eq(rc, 1, "--validate with an ERROR finding: exit 1")
    t.contains(err, "ERROR INVALID_ACTION at Statement",
               "--validate: the finding, its type, code and location")
    t.contains(err, "bedrock:ListFoundationModels does not exist",
               "--validate: AWS's details")

    rc, out, err = policy("--region", "us-east-1", "--validate",
                          env=aenv())
    t.ok(rc == 3 and "credentials" in err, "--validate without credentials:"
         " exit 3, says why", err)
    rc, out, err = policy("--region", "us-east-1", "--validate", "--format",
                          "scp", "--model", "us." + SONNET, env=aenv(**creds))
    t.eq(rc, 0, "--validate --format scp: the SCP validates clean")

    # A secret key that does not match: every answer is a signature
    # mismatch, and Bedrock's and Access Analyzer's echo the canonical
    # request, session token included.  The warnings quote AWS's first
    # line only.
    sess = [c for c in aws.scenario["credentials"]
            if c.get("session_token") and not c.get("expired")][0]
    bad = dict(AWS_ACCESS_KEY_ID=sess["access_key_id"],
               AWS_SECRET_ACCESS_KEY="x" * 40,
               AWS_SESSION_TOKEN=sess["session_token"])
    rc, out, err = policy("--region", "us-east-1", "--model", "us." + SONNET,
                          "--validate", env=aenv(**bad))
    t.ok(rc == 3 and "does not match" in err and "built-in catalog" in err,
         "wrong secret key: the warnings and --validate say what AWS said",
         err)
    t.ok(sess["session_token"] not in out + err and
         "Canonical String" not in err,
         "wrong secret key: AWS's echo of the signed request (the session "
         "token) is not printed", err)

    aws.add_fault({"action": "error", "op": "ValidatePolicy", "status": 500,
                   "count": "always"})
    rc, out, err = policy("--region", "us-east-1", "--validate",
                          env=aenv(AWS_MAX_ATTEMPTS="1", **creds))
    t.ok(rc == 3 and "Access Analyzer could not be asked" in err,
         "--validate when Access Analyzer fails: exit 3", err)

t.done()
