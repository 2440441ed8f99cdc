#!/usr/bin/env python3
"""doctor's credentials gate against the loopback stand-in, one check per
source of the credential chain (environment, files, credential_process,
AssumeRole chains, web identity, SSO, container, IMDS), and the failures a
person meets (expired tokens, skewed clock, bad files, loops, missing
profiles).  Every run's output is scanned for the secrets it was given."""

import hashlib
import json
import os
import stat
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import bstest as t  # noqa: E402

ACCOUNT = "111122223333"
ALICE = ("AKIASTANDINALICE0001", "StandInAliceSecretKey/000000000000000001")
SESSION = ("ASIASTANDINSESSION01", "StandInSessionSecretKey/00000000000000001",
           "IQoJb3JpZ2luX2VjStandInSessionToken0001")
EXPIRED = ("ASIASTANDINEXPIRED01", "StandInExpiredSecretKey/00000000000000001",
           "IQoJb3JpZ2luX2VjStandInExpiredToken0001")
SECRETS = [ALICE[1], SESSION[1], SESSION[2], EXPIRED[1], EXPIRED[2],
           "standin-sso-access-token-0001", "standin-container-token-0001",
           "ABSKU3RhbmRJbkJlZHJvY2tBUElLZXkwMDAx"]


def write(path, text, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def doctor(aws, name, files=None, args=(), **env):
    """Run doctor --json in a fresh HOME; returns (rc, json or None, r)."""
    home = tempfile.mkdtemp(prefix="bs-doc-")
    for rel, text in (files or {}).items():
        write(os.path.join(home, rel), text.replace("@HOME@", home),
              0o700 if rel.endswith(".sh") else 0o600)
    e, _ = t.clean_env(home=home, AWS_ENDPOINT_URL=aws.url,
                       AWS_REGION="us-east-1")
    e.update({k: v.replace("@HOME@", home) for k, v in env.items()})
    r = t.run(list(args) + ["doctor", "--json", "--debug"], env=e)
    out = r.stdout + r.stderr
    leaked = [s for s in SECRETS if s in out]
    t.ok(not leaked, name + ": no secret in stdout or stderr",
         lambda: "leaked: %r" % leaked)
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        doc = None
    t.ok(doc is not None, name + ": doctor --json prints one JSON object",
         lambda: r.stdout + r.stderr[-2000:])
    return r.returncode, doc, r


def gate(doc):
    return (doc or {}).get("gates", [{}])[0]


def passes(aws, name, arn_part, source_part, files=None, args=(), **env):
    rc, doc, r = doctor(aws, name, files, args, **env)
    t.eq(rc, 0, name + ": exit 0")
    g = gate(doc)
    t.eq((g.get("id"), g.get("status")), ("credentials", "pass"),
         name + ": credentials gate passes")
    ident = (doc or {}).get("identity", {})
    t.eq(ident.get("account"), ACCOUNT, name + ": account")
    t.contains(ident.get("arn") or "", arn_part, name + ": identity ARN")
    t.contains((ident.get("source") or "").lower(), source_part.lower(),
               name + ": source says where the credentials came from")
    return doc


def fails(aws, name, words, files=None, args=(), rc_want=1, **env):
    rc, doc, r = doctor(aws, name, files, args, **env)
    t.eq(rc, rc_want, name + ": exit %d" % rc_want)
    g = gate(doc)
    t.eq(g.get("status"), "fail", name + ": credentials gate fails")
    text = (g.get("summary", "") + "\n" + g.get("fix", "")).lower()
    for w in words:
        t.contains(text, w.lower(), name + ": cause or fix mentions %r" % w)
    return doc


with t.standin("happy").start() as aws:
    url = aws.url

    passes(aws, "environment keys", "user/alice", "environment",
           AWS_ACCESS_KEY_ID=ALICE[0], AWS_SECRET_ACCESS_KEY=ALICE[1])
    passes(aws, "environment session token", "assumed-role/BedrockAdmin",
           "environment", AWS_ACCESS_KEY_ID=SESSION[0],
           AWS_SECRET_ACCESS_KEY=SESSION[1], AWS_SESSION_TOKEN=SESSION[2])
    passes(aws, "credentials file", "user/alice", "credentials",
           files={".aws/credentials": "[default]\naws_access_key_id = %s\n"
                  "aws_secret_access_key = %s\n" % ALICE})
    passes(aws, "config file, --profile", "user/alice", "config",
           files={".aws/config": "[profile dev]\naws_access_key_id = %s\n"
                  "aws_secret_access_key = %s\n" % ALICE},
           args=("--profile", "dev"))
    passes(aws, "AWS_PROFILE", "user/alice", "dev",
           files={".aws/credentials": "[dev]\naws_access_key_id = %s\n"
                  "aws_secret_access_key = %s\n" % ALICE},
           AWS_PROFILE="dev")
    passes(aws, "AWS_DEFAULT_PROFILE", "user/alice", "dev",
           files={".aws/credentials": "[dev]\naws_access_key_id = %s\n"
                  "aws_secret_access_key = %s\n" % ALICE},
           AWS_DEFAULT_PROFILE="dev")
    doc = passes(aws, "AWS_SHARED_CREDENTIALS_FILE", "user/alice",
                 "elsewhere/creds",
                 files={"elsewhere/creds": "[default]\naws_access_key_id = "
                        "%s\naws_secret_access_key = %s\n" % ALICE},
                 AWS_SHARED_CREDENTIALS_FILE="@HOME@/elsewhere/creds")
    passes(aws, "AWS_CONFIG_FILE", "user/alice", "elsewhere/conf",
           files={"elsewhere/conf": "[profile dev]\naws_access_key_id = %s\n"
                  "aws_secret_access_key = %s\n" % ALICE},
           args=("--profile", "dev"),
           AWS_CONFIG_FILE="@HOME@/elsewhere/conf")
    passes(aws, "credential_process", "user/alice", "credential_process",
           files={".aws/config": "[default]\ncredential_process = "
                  "@HOME@/creds.sh\n",
                  "creds.sh": "#!/bin/sh\nprintf '%%s' '{\"Version\": 1, "
                  "\"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\"}'\n"
                  % ALICE})
    base = "[profile base]\naws_access_key_id = %s\naws_secret_access_key " \
           "= %s\n" % ALICE
    passes(aws, "role_arn + source_profile", "assumed-role/BedrockAdmin",
           "BedrockAdmin",
           files={".aws/config": base + "[profile admin]\nrole_arn = "
                  "arn:aws:iam::%s:role/BedrockAdmin\nsource_profile = base\n"
                  "role_session_name = doctor-test\n" % ACCOUNT},
           args=("--profile", "admin"))
    passes(aws, "role chain (two AssumeRole)", "assumed-role/BedrockAdmin",
           "BedrockAdmin",
           files={".aws/config": base + "[profile hop1]\nrole_arn = "
                  "arn:aws:iam::%s:role/BedrockAdmin\nsource_profile = base\n"
                  "[profile hop2]\nrole_arn = arn:aws:iam::%s:role/"
                  "BedrockAdmin\nsource_profile = hop1\n" % (ACCOUNT, ACCOUNT)},
           args=("--profile", "hop2"))
    passes(aws, "role with external_id", "assumed-role/BedrockPartner",
           "BedrockPartner",
           files={".aws/config": base + "[profile partner]\nrole_arn = "
                  "arn:aws:iam::%s:role/BedrockPartner\nsource_profile = base"
                  "\nexternal_id = standin-external-id-1\nrole_session_name = "
                  "alice\n" % ACCOUNT},
           args=("--profile", "partner"))
    passes(aws, "credential_source = Environment", "assumed-role/BedrockAdmin",
           "BedrockAdmin",
           files={".aws/config": "[profile envrole]\nrole_arn = arn:aws:iam::"
                  "%s:role/BedrockAdmin\ncredential_source = Environment\n"
                  % ACCOUNT},
           args=("--profile", "envrole"),
           AWS_ACCESS_KEY_ID=ALICE[0], AWS_SECRET_ACCESS_KEY=ALICE[1])
    passes(aws, "web identity (environment)",
           "assumed-role/WebIdentityBedrock", "WebIdentityBedrock",
           files={"token": "eyJhbGciOiJSUzI1NiJ9.c3RhbmRpbg."
                  "standin-web-identity-0001"},
           AWS_WEB_IDENTITY_TOKEN_FILE="@HOME@/token",
           AWS_ROLE_ARN="arn:aws:iam::%s:role/WebIdentityBedrock" % ACCOUNT,
           AWS_ROLE_SESSION_NAME="pod-1")
    passes(aws, "web identity (profile)",
           "assumed-role/WebIdentityBedrock", "WebIdentityBedrock",
           files={"token": "eyJhbGciOiJSUzI1NiJ9.c3RhbmRpbg."
                  "standin-web-identity-0001",
                  ".aws/config": "[profile pod]\nrole_arn = arn:aws:iam::%s:"
                  "role/WebIdentityBedrock\nweb_identity_token_file = "
                  "@HOME@/token\nrole_session_name = pod-2\n" % ACCOUNT},
           args=("--profile", "pod"))
    sso_cfg = ("[profile sso]\nsso_session = corp\nsso_account_id = %s\n"
               "sso_role_name = BedrockUser\n[sso-session corp]\n"
               "sso_start_url = https://corp.awsapps.com/start\n"
               "sso_region = us-east-1\n" % ACCOUNT)
    cache = ".aws/sso/cache/%s.json" % hashlib.sha1(b"corp").hexdigest()
    token = json.dumps({"accessToken": "standin-sso-access-token-0001",
                        "expiresAt": "2099-01-01T00:00:00Z",
                        "region": "us-east-1",
                        "startUrl": "https://corp.awsapps.com/start"})
    passes(aws, "SSO session", "AWSReservedSSO_BedrockUser", "SSO",
           files={".aws/config": sso_cfg, cache: token},
           args=("--profile", "sso"))
    legacy_url = "https://legacy.awsapps.com/start"
    legacy = ".aws/sso/cache/%s.json" % hashlib.sha1(
        legacy_url.encode()).hexdigest()
    passes(aws, "SSO legacy profile", "AWSReservedSSO_BedrockUser", "SSO",
           files={".aws/config": "[profile old]\nsso_start_url = %s\n"
                  "sso_region = us-east-1\nsso_account_id = %s\n"
                  "sso_role_name = BedrockUser\n" % (legacy_url, ACCOUNT),
                  legacy: token.replace("corp", "legacy")},
           args=("--profile", "old"))
    passes(aws, "container credentials", "assumed-role/EcsTaskBedrock",
           "container",
           AWS_CONTAINER_CREDENTIALS_FULL_URI=url + "/container-credentials",
           AWS_CONTAINER_AUTHORIZATION_TOKEN="standin-container-token-0001")
    passes(aws, "EC2 instance metadata", "assumed-role/EC2Bedrock",
           "instance metadata",
           AWS_EC2_METADATA_DISABLED="false",
           AWS_EC2_METADATA_SERVICE_ENDPOINT=url)

    # Failures a person meets.
    fails(aws, "expired SSO token", ["aws sso login --profile sso"],
          files={".aws/config": sso_cfg,
                 cache: token.replace("2099", "2001")},
          args=("--profile", "sso"))
    fails(aws, "expired session token", ["expired"],
          AWS_ACCESS_KEY_ID=EXPIRED[0], AWS_SECRET_ACCESS_KEY=EXPIRED[1],
          AWS_SESSION_TOKEN=EXPIRED[2])
    fails(aws, "wrong secret key", ["secret access key"],
          AWS_ACCESS_KEY_ID=ALICE[0], AWS_SECRET_ACCESS_KEY="not-the-secret")
    doc = fails(aws, "missing profile", ["nope", "dev"],
                files={".aws/config": "[profile dev]\nregion = us-east-1\n"},
                args=("--profile", "nope"))
    fails(aws, "source_profile loop", ["a", "b"],
          files={".aws/config": "[profile a]\nrole_arn = arn:aws:iam::%s:"
                 "role/X\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:"
                 "iam::%s:role/X\nsource_profile = a\n" % (ACCOUNT, ACCOUNT)},
          args=("--profile", "a"))
    rc, doc, r = doctor(aws, "malformed config",
                        files={".aws/config": "[default]\nregion us-east-1\n"})
    g = gate(doc)
    t.eq(g.get("status"), "fail", "malformed config: the gate fails")
    t.contains(r.stdout, "line 2", "malformed config: names the line")
    fails(aws, "credential_process prints garbage", ["credential_process"],
          files={".aws/config": "[default]\ncredential_process = "
                 "@HOME@/bad.sh\n", "bad.sh": "#!/bin/sh\necho not json\n"})
    fails(aws, "half-set environment keys", ["AWS_SECRET_ACCESS_KEY"],
          AWS_ACCESS_KEY_ID=ALICE[0])

    # The clock: a stand-in 20 minutes ahead rejects the signature, and
    # the fix shows the measured offset.
    aws.set_clock_offset(1200)
    doc = fails(aws, "clock 20 minutes off", ["clock", "20"],
                AWS_ACCESS_KEY_ID=ALICE[0], AWS_SECRET_ACCESS_KEY=ALICE[1])
    aws.set_clock_offset(0)

    # A Bedrock API key replaces SigV4 for Bedrock calls: say so.
    rc, doc, r = doctor(aws, "bearer token set",
                        AWS_ACCESS_KEY_ID=ALICE[0],
                        AWS_SECRET_ACCESS_KEY=ALICE[1],
                        AWS_BEARER_TOKEN_BEDROCK="ABSKU3RhbmRJbkJlZHJvY2tBUElLZXkwMDAx")
    t.eq(rc, 0, "bearer token set: exit 0")
    t.ok(any("AWS_BEARER_TOKEN_BEDROCK" in w for w in
             (doc or {}).get("warnings", [])),
         "bearer token set: a warning names AWS_BEARER_TOKEN_BEDROCK",
         lambda: json.dumps(doc, indent=1))

    # Text output for people.
    e, _ = t.clean_env(AWS_ENDPOINT_URL=url, AWS_REGION="eu-west-1",
                       AWS_ACCESS_KEY_ID=ALICE[0],
                       AWS_SECRET_ACCESS_KEY=ALICE[1])
    r = t.run(["doctor"], env=e)
    t.eq(r.returncode, 0, "text: exit 0")
    t.contains(r.stdout, "[PASS] credentials", "text: the gate line")
    t.contains(r.stdout, "Region:  eu-west-1 (environment variable AWS_REGION)",
               "text: the Region and its source")
    t.contains(r.stdout, "Verdict:", "text: a verdict line")

    # STS throttled on every attempt: the check could not run (exit 3),
    # and the cause is STS's rate, not a model's quota.
    aws.add_fault({"action": "throttle", "op": "GetCallerIdentity",
                   "count": "always"})
    rc, doc, r = doctor(aws, "STS throttled", AWS_ACCESS_KEY_ID=ALICE[0],
                        AWS_SECRET_ACCESS_KEY=ALICE[1], AWS_MAX_ATTEMPTS="2")
    g = gate(doc)
    t.eq((rc, g.get("status")), (3, "skip"),
         "STS throttled: exit 3, the gate could not be checked")
    t.ok("GetCallerIdentity" in g.get("summary", "") and
         "quota" not in g.get("summary", "") + g.get("fix", ""),
         "STS throttled: names the call, not a model quota", g)
    t.eq(len([q for q in aws.requests() if q["op"] == "GetCallerIdentity"
              and q["status"] == 400]) >= 2, True,
         "STS throttled: retried before giving up")
    aws.set_scenario("happy")

# Nothing listens: the check could not run (exit 3), and says where.
e, _ = t.clean_env(AWS_ENDPOINT_URL="http://127.0.0.1:9", AWS_REGION="us-east-1",
                   AWS_ACCESS_KEY_ID=ALICE[0], AWS_SECRET_ACCESS_KEY=ALICE[1],
                   AWS_MAX_ATTEMPTS="1")
r = t.run(["doctor"], env=e)
t.eq(r.returncode, 3, "network down: exit 3")
t.contains(r.stdout, "127.0.0.1:9", "network down: names the host")

# A Bedrock API key and no AWS credentials: the credentials gate warns
# (STS cannot name the account), the Bedrock gates are checked with the key,
# IAM is skipped with the reason, never passed; the calls carry the key.
with t.standin("happy").start() as aws:
    rc, doc, r = doctor(aws, "API key only",
                        AWS_BEARER_TOKEN_BEDROCK="ABSKU3RhbmRJbkJlZHJvY2tBUElLZXkwMDAx")
    t.eq(rc, 0, "API key only: exit 0")
    gates = {(g.get("id"), g.get("status")) for g in (doc or {}).get(
        "gates", [])}
    t.ok(("credentials", "warn") in gates, "API key only: credentials warns",
         gates)
    for gid in ("region", "model_access", "terms", "invoke"):
        t.ok((gid, "pass") in gates, "API key only: %s passes" % gid, gates)
    t.ok(("iam", "skip") in gates, "API key only: iam is skipped", gates)
    t.eq((doc or {}).get("identity", {}).get("account"), None,
         "API key only: no account is claimed")
    t.contains(gate(doc).get("summary", ""), "AWS_BEARER_TOKEN_BEDROCK",
               "API key only: the summary names the key")
    t.ok("export AWS_BEARER_TOKEN_BEDROCK" not in gate(doc).get("fix", ""),
         "API key only: the fix does not ask for the key already set")
    ops = [(q.get("op"), q.get("auth")) for q in aws.requests()]
    t.ok(("ConverseStream", "bearer") in ops, "API key only: the invoke "
         "check carried the key", ops)
    t.ok(not any(op == "GetCallerIdentity" for op, _ in ops),
         "API key only: STS was not asked with the key", ops)
    e, _ = t.clean_env(AWS_ENDPOINT_URL=aws.url, AWS_REGION="us-east-1",
                       AWS_BEARER_TOKEN_BEDROCK="ABSKU3RhbmRJbkJlZHJvY2tBUElLZXkwMDAx")
    r = t.run(["doctor"], env=e)
    t.contains(r.stdout, "with a warning", "API key only: the text verdict "
               "mentions the warning")

# A plain http:// endpoint that is not loopback is refused before any
# connection: the setting is blamed (not the credentials), and since no
# gate could be checked, doctor could not run (exit 3), never "passed".
e, _ = t.clean_env(AWS_ENDPOINT_URL="http://bedrock.example.invalid",
                   AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID=ALICE[0],
                   AWS_SECRET_ACCESS_KEY=ALICE[1])
r = t.run(["doctor", "--json"], env=e)
t.eq(r.returncode, 3, "http endpoint: exit 3")
try:
    doc = json.loads(r.stdout)
except ValueError:
    doc = {}
g = gate(doc)
t.eq((g.get("status"), doc.get("verdict")), ("skip", "could-not-run"),
     "http endpoint: credentials skipped, the check could not run")
t.contains(g.get("fix", ""), "AWS_ENDPOINT_URL",
           "http endpoint: the fix names the variable")
t.ok("aws configure" not in g.get("fix", ""),
     "http endpoint: no advice to set up other credentials", g)
r = t.run(["doctor"], env=e)
t.ok("gates checked passed" not in r.stdout,
     "http endpoint: the text verdict does not say the gates passed",
     r.stdout)

t.done()
