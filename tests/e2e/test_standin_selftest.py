#!/usr/bin/env python3
"""Self-test of the loopback AWS stand-in (tests/stand-in), driven by boto3.

Every operation the stand-in serves is called through boto3/botocore with
the stand-in as endpoint_url and fake credentials from the scenario; the
answers must parse and equal the scenario, errors must come out of botocore
with AWS's codes and messages, and the fault rules must do what they say.
The scenario files' "expect" blocks are checked too.

Needs botocore.  If this interpreter has none, the script re-executes
itself with one that has ($BS_PYTHON, python3 on PATH, /usr/bin/python3).
The Bedrock service models come from tests/stand-in/botocore-data (copies
of botocore 1.43.11's, put first on botocore's search path through
AWS_DATA_PATH), so an old botocore without them (Debian 12's 1.29) runs
every check too.
"""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
STANDIN_DIR = os.path.join(os.path.dirname(HERE), "stand-in")
# botocore's own folder layout (service/api-version/service-2.json.gz).
BOTOCORE_DATA = os.path.join(STANDIN_DIR, "botocore-data")


def _probe(python):
    """0 = no botocore, 1 = botocore without Bedrock, 2 = with Bedrock
    (counting the models in BOTOCORE_DATA)."""
    code = ("import botocore.session as s\n"
            "svc = s.get_session().get_available_services()\n"
            "print(2 if 'bedrock-runtime' in svc else 1)")
    env = dict(os.environ, AWS_DATA_PATH=BOTOCORE_DATA)
    try:
        out = subprocess.run([python, "-c", code], capture_output=True,
                             text=True, timeout=60, env=env)
        return int(out.stdout.strip() or 0)
    except (OSError, ValueError, subprocess.SubprocessError):
        return 0


def _pick_interpreter():
    """Re-exec once: $BS_PYTHON when it is at least as good as this one,
    else the best of python3 on PATH and /usr/bin/python3 if better."""
    if os.environ.get("BS_STANDIN_SELFTEST_CHILD"):
        return
    import shutil
    here = _probe(sys.executable)
    best, best_level = None, here
    explicit = os.environ.get("BS_PYTHON")
    for cand in (explicit, shutil.which("python3"), "/usr/bin/python3"):
        if not cand or not os.path.exists(cand) or \
                os.path.realpath(cand) == os.path.realpath(sys.executable):
            continue
        level = _probe(cand)
        if cand == explicit and level >= max(here, 1):
            best = cand
            break
        if level > best_level:
            best, best_level = cand, level
    if best:
        os.environ["BS_STANDIN_SELFTEST_CHILD"] = "1"
        sys.stdout.flush()
        os.execv(best, [best, os.path.abspath(__file__)] + sys.argv[1:])


_pick_interpreter()

sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
sys.path.insert(0, STANDIN_DIR)

import email.utils  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import bstest  # noqa: E402
from bstest import contains, diag, eq, ok, skip  # noqa: E402

try:
    import botocore
    import botocore.session
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError:
    bstest.skip_all("no interpreter with botocore found (tried $BS_PYTHON, "
                    "python3, /usr/bin/python3); install python3-botocore")

from standin import StandIn, load_scenario  # noqa: E402
from fakeaws import eventstream, sigv4  # noqa: E402
from fakeaws.auth import SIG_MISMATCH  # noqa: E402

SCENARIOS = os.path.join(STANDIN_DIR, "scenarios")

for _k in [k for k in os.environ if k.startswith("AWS_")]:
    del os.environ[_k]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
# The shipped Bedrock models first, whatever botocore this is.
os.environ["AWS_DATA_PATH"] = BOTOCORE_DATA

HAVE_BEDROCK = "bedrock-runtime" in \
    botocore.session.get_session().get_available_services()
NO_BEDROCK = ("botocore %s finds no Bedrock service models, not even in "
              "%s" % (botocore.__version__, BOTOCORE_DATA))

_session = botocore.session.get_session()


# ---------------------------------------------------------------- helpers

def client(service, aws, creds=None, region=None, attempts=1, **config):
    """A botocore client pointed at the stand-in."""
    c = creds or aws.scenario["client"]
    cfg = Config(retries={"total_max_attempts": attempts,
                          "mode": "standard"},
                 **config)
    return _session.create_client(
        service, endpoint_url=aws.url,
        region_name=region or c.get("region", "us-east-1"),
        aws_access_key_id=c["access_key_id"],
        aws_secret_access_key=c["secret_access_key"],
        aws_session_token=c.get("session_token"), config=cfg)


def creds_of(cred_list, key_id):
    for c in cred_list:
        if c["access_key_id"] == key_id:
            return dict(c)
    raise KeyError(key_id)


def error_of(fn):
    """Run fn; return its ClientError (or the exception), None if none."""
    try:
        fn()
    except ClientError as e:
        return e
    except Exception as e:  # noqa: BLE001 - reported by the caller
        return e
    return None


def check_error(fn, name, code, message=None, status=None,
                message_contains=None):
    e = error_of(fn)
    if not isinstance(e, ClientError):
        ok(False, name, "expected ClientError %s, got %r" % (code, e))
        return None
    err = e.response.get("Error", {})
    okay = err.get("Code") == code
    okay = okay and (message is None or err.get("Message") == message)
    okay = okay and (message_contains is None
                     or message_contains in (err.get("Message") or ""))
    got_status = e.response["ResponseMetadata"].get("HTTPStatusCode")
    okay = okay and (status is None or got_status == status)
    ok(okay, name, lambda: "got %s %r: %r\nwant %s %r" % (
        got_status, err.get("Code"), err.get("Message"), status, code))
    return e


def raw(aws, method, path, headers=None, body=None):
    """A plain HTTP request: (status, {lower-case header: value}, bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", aws.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        conn.close()


def last(aws, op=None):
    entries = [e for e in aws.requests() if op is None or e["op"] == op]
    return entries[-1] if entries else {}


def hello(text="Hi there"):
    return [{"role": "user", "content": [{"text": text}]}]


# ---------------------------------------------------------------- offline

def test_encoders():
    vec1 = ("0000009400000057b4ab9aee0b3a6576656e742d74797065070011636f6e74"
            "656e74426c6f636b44656c74610d3a636f6e74656e742d7479706507001061"
            "70706c69636174696f6e2f6a736f6e0d3a6d6573736167652d747970650700"
            "056576656e747b22636f6e74656e74426c6f636b496e646578223a302c2264"
            "656c7461223a7b2274657874223a224869227d7d1f944657")
    got = eventstream.event("contentBlockDelta",
                            {"contentBlockIndex": 0, "delta": {"text": "Hi"}})
    eq(got.hex(), vec1, "event frame matches facts test vector 1")
    vec2_tail = "f70ae57f"
    exc = eventstream.exception("throttlingException", {
        "message": "Too many tokens, please wait before trying again."})
    eq(exc[-4:].hex(), vec2_tail, "exception frame matches vector 2 CRC")
    from botocore.eventstream import EventStreamBuffer
    buf = EventStreamBuffer()
    buf.add_data(got + exc)
    msgs = list(buf)
    eq([m.headers.get(":message-type") for m in msgs], ["event", "exception"],
       "botocore decodes both frames")

    auth = sigv4.parse_authorization(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/bedrock/"
        "aws4_request, SignedHeaders=content-type;host;x-amz-date, "
        "Signature=c2626bc6d478470c5578e5bb53e3cf59eb2927418e8c93e07555213f29"
        "ba86fd")
    body = (b'{"messages": [{"role": "user", "content": [{"text": "Hi"}]}], '
            b'"inferenceConfig": {"maxTokens": 64}}')
    headers = [("Host", "bedrock-runtime.us-east-1.amazonaws.com"),
               ("Content-Type", "application/json"),
               ("X-Amz-Date", "20250101T000000Z"), ("User-Agent", "x")]
    path = ("/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/"
            "converse-stream")
    secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    for use_bc, label in ((True, "botocore"), (False, "stdlib")):
        exp = sigv4.expected("POST", path, "", headers, body, auth,
                             "20250101T000000Z", secret, use_botocore=use_bc)
        eq(exp.signature, auth.signature,
           "SigV4 facts vector reproduced (%s verifier)" % label)
    q = "type=SYSTEM_DEFINED&maxResults=100&nextToken=a%2Fb%3D"
    a = sigv4.expected("GET", "/inference-profiles", q, headers, b"", auth,
                       "20250101T000000Z", secret, use_botocore=True)
    b = sigv4.expected("GET", "/inference-profiles", q, headers, b"", auth,
                       "20250101T000000Z", secret, use_botocore=False)
    eq(a.canonical_request, b.canonical_request,
       "botocore and stdlib verifiers agree on a sorted, encoded query")

    names = sorted(f[:-5] for f in os.listdir(SCENARIOS)
                   if f.endswith(".json"))
    for want in ("happy", "no-credentials", "wrong-region", "iam-denied",
                 "terms-pending", "needs-profile", "throttled",
                 "expired-token", "clock-skew"):
        ok(want in names, "scenario %s exists" % want)
    bad = []
    for n in names:
        try:
            StandIn(n)
        except Exception as e:  # noqa: BLE001
            bad.append("%s: %s" % (n, e))
    eq(bad, [], "every scenario file loads")


# ---------------------------------------------------------------- STS / IAM

def test_sts(aws):
    sc = aws.scenario
    sts = client("sts", aws)
    r = sts.get_caller_identity()
    eq((r["Arn"], r["Account"]),
       ("arn:aws:iam::111122223333:user/alice", "111122223333"),
       "GetCallerIdentity")
    ok(r["UserId"].startswith("AIDA"), "UserId of an IAM user starts AIDA")
    ent = last(aws, "GetCallerIdentity")
    ok(ent.get("signed") and ent.get("sig_ok") is True, "signature verified")

    sess = creds_of(sc["credentials"], "ASIASTANDINSESSION01")
    r = client("sts", aws, sess).get_caller_identity()
    eq(r["Arn"], "arn:aws:sts::111122223333:assumed-role/BedrockAdmin/alice",
       "session credentials give an assumed-role ARN")
    no_token = dict(sess, session_token=None)
    check_error(lambda: client("sts", aws, no_token).get_caller_identity(),
                "session key without its token", "InvalidClientTokenId",
                "The security token included in the request is invalid", 403)

    r = sts.assume_role(RoleArn="arn:aws:iam::111122223333:role/BedrockAdmin",
                        RoleSessionName="selftest", DurationSeconds=7200)
    c = r["Credentials"]
    ok(c["AccessKeyId"].startswith("ASIA"), "AssumeRole issues ASIA keys")
    left = c["Expiration"].timestamp() - time.time()
    ok(7100 < left <= 7201, "AssumeRole honours DurationSeconds",
       "expires in %r s" % left)
    eq(r["AssumedRoleUser"]["Arn"],
       "arn:aws:sts::111122223333:assumed-role/BedrockAdmin/selftest",
       "AssumeRole AssumedRoleUser.Arn has the session name")
    new = {"access_key_id": c["AccessKeyId"],
           "secret_access_key": c["SecretAccessKey"],
           "session_token": c["SessionToken"]}
    eq(client("sts", aws, new).get_caller_identity()["Arn"],
       r["AssumedRoleUser"]["Arn"], "issued credentials work")
    check_error(lambda: client("sts", aws, new).assume_role(
        RoleArn="arn:aws:iam::111122223333:role/BedrockAdmin",
        RoleSessionName="chain", DurationSeconds=7200),
        "role chaining over 1 h refused", "ValidationError",
        "The requested DurationSeconds exceeds the 1 hour session limit for "
        "roles assumed by role chaining.", 400)
    partner = "arn:aws:iam::111122223333:role/BedrockPartner"
    check_error(lambda: sts.assume_role(RoleArn=partner,
                                        RoleSessionName="partner"),
                "AssumeRole without the ExternalId", "AccessDenied",
                "User: arn:aws:iam::111122223333:user/alice is not authorized"
                " to perform: sts:AssumeRole on resource: " + partner, 403)
    r = sts.assume_role(RoleArn=partner, RoleSessionName="partner",
                        ExternalId="standin-external-id-1",
                        SourceIdentity="alice")
    eq(r.get("SourceIdentity"), "alice", "AssumeRole with ExternalId and "
       "SourceIdentity")
    check_error(lambda: sts.assume_role(
        RoleArn="arn:aws:iam::111122223333:role/BedrockAdmin",
        RoleSessionName="xx", DurationSeconds=50000),
        "DurationSeconds over the role maximum", "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set "
        "for this role.", 400)
    check_error(lambda: sts.assume_role(
        RoleArn="arn:aws:iam::111122223333:role/BedrockAdmin",
        RoleSessionName="has space"), "bad RoleSessionName",
        "ValidationError", status=400, message_contains="roleSessionName")

    tokens = list(sc["web_identity_tokens"])
    anon = _session.create_client(
        "sts", endpoint_url=aws.url, region_name="us-east-1",
        config=Config(signature_version=botocore.UNSIGNED,
                      retries={"total_max_attempts": 1}))
    r = anon.assume_role_with_web_identity(
        RoleArn="arn:aws:iam::111122223333:role/WebIdentityBedrock",
        RoleSessionName="web", WebIdentityToken=tokens[0])
    eq((r["SubjectFromWebIdentityToken"], r["AssumedRoleUser"]["Arn"]),
       ("system:serviceaccount:default:bedrock-app",
        "arn:aws:sts::111122223333:assumed-role/WebIdentityBedrock/web"),
       "AssumeRoleWithWebIdentity (unsigned)")
    eq(last(aws, "AssumeRoleWithWebIdentity").get("signed"), False,
       "web identity call logged as unsigned")
    check_error(lambda: anon.assume_role_with_web_identity(
        RoleArn="arn:aws:iam::111122223333:role/WebIdentityBedrock",
        RoleSessionName="web", WebIdentityToken="not-a-token"),
        "unknown web identity token", "InvalidIdentityToken", status=400)
    check_error(lambda: anon.assume_role_with_web_identity(
        RoleArn="arn:aws:iam::111122223333:role/WebIdentityBedrock",
        RoleSessionName="web", WebIdentityToken=tokens[1]),
        "expired web identity token", "ExpiredTokenException", status=400,
        message_contains="Token expired")
    check_error(lambda: anon.assume_role_with_web_identity(
        RoleArn="arn:aws:iam::111122223333:role/BedrockAdmin",
        RoleSessionName="web", WebIdentityToken=tokens[0]),
        "web identity token not for that role", "AccessDenied",
        "Not authorized to perform sts:AssumeRoleWithWebIdentity", 403)


def test_iam(aws):
    iam = client("iam", aws)
    alice = "arn:aws:iam::111122223333:user/alice"
    fm = ("arn:aws:bedrock:us-east-1::foundation-model/"
          "anthropic.claude-3-haiku-20240307-v1:0")
    r = iam.simulate_principal_policy(
        PolicySourceArn=alice, ActionNames=["bedrock:InvokeModel"],
        ResourceArns=[fm])
    res = r["EvaluationResults"][0]
    eq((res["EvalActionName"], res["EvalResourceName"], res["EvalDecision"]),
       ("bedrock:InvokeModel", fm, "allowed"), "simulate: admin allowed")
    st = res["MatchedStatements"][0]
    eq((st["SourcePolicyId"], st["SourcePolicyType"],
        st["StartPosition"]["Line"]), ("admin", "user-managed", 4),
       "simulate: matched statement and its position")
    r = iam.simulate_principal_policy(
        PolicySourceArn="arn:aws:iam::111122223333:user/readonly",
        ActionNames=["bedrock:InvokeModel", "bedrock:ListFoundationModels"])
    eq([x["EvalDecision"] for x in r["EvaluationResults"]],
       ["implicitDeny", "allowed"], "simulate: readonly user")
    pages = iam.get_paginator("simulate_principal_policy").paginate(
        PolicySourceArn=alice, ActionNames=["bedrock:InvokeModel",
                                            "bedrock:GetFoundationModel",
                                            "sts:GetCallerIdentity"],
        PaginationConfig={"PageSize": 2})
    got = [x["EvalActionName"] for p in pages for x in p["EvaluationResults"]]
    eq(len(got), 3, "simulate paginates with Marker/MaxItems")
    check_error(lambda: iam.simulate_principal_policy(
        PolicySourceArn="arn:aws:iam::111122223333:role/Nope",
        ActionNames=["bedrock:InvokeModel"]), "simulate: unknown role",
        "NoSuchEntity", "The role with name Nope cannot be found.", 404)

    aws.update({"scp_deny": [{"actions": ["bedrock:InvokeModel"],
                              "resources": [fm]}]})
    r = iam.simulate_principal_policy(
        PolicySourceArn=alice, ActionNames=["bedrock:InvokeModel"],
        ResourceArns=[fm])
    res = r["EvaluationResults"][0]
    eq((res["EvalDecision"],
        res["OrganizationsDecisionDetail"]["AllowedByOrganizations"]),
       ("explicitDeny", False), "simulate: SCP deny is an explicit deny")
    aws.update({"iam": {"simulate_denied": True}})
    check_error(lambda: iam.simulate_principal_policy(
        PolicySourceArn=alice, ActionNames=["bedrock:InvokeModel"]),
        "caller may not simulate", "AccessDenied", status=403,
        message_contains="is not authorized to perform: "
                         "iam:SimulatePrincipalPolicy on resource: " + alice)
    aws.update({"scp_deny": [], "iam": {"simulate_denied": False}})


def test_credential_sources(aws):
    from botocore.utils import (ContainerMetadataFetcher,
                                InstanceMetadataFetcher,
                                InstanceMetadataRegionFetcher)
    sc = aws.scenario
    token = list(sc["sso"]["access_tokens"])[0]
    sso = _session.create_client(
        "sso", endpoint_url=aws.url, region_name="us-east-1",
        config=Config(signature_version=botocore.UNSIGNED,
                      retries={"total_max_attempts": 1}))
    r = sso.get_role_credentials(roleName="BedrockUser",
                                 accountId="111122223333", accessToken=token)
    rc = r["roleCredentials"]
    ok(rc["accessKeyId"].startswith("ASIA") and
       rc["expiration"] > time.time() * 1000, "SSO GetRoleCredentials "
       "(expiration in epoch ms)")
    new = {"access_key_id": rc["accessKeyId"],
           "secret_access_key": rc["secretAccessKey"],
           "session_token": rc["sessionToken"]}
    eq(client("sts", aws, new).get_caller_identity()["Arn"],
       "arn:aws:sts::111122223333:assumed-role/"
       "AWSReservedSSO_BedrockUser_0123456789abcdef/alice@example.com",
       "SSO role credentials work")
    check_error(lambda: sso.get_role_credentials(
        roleName="BedrockUser", accountId="111122223333",
        accessToken="bogus"), "SSO unknown token", "UnauthorizedException",
        "Session token not found or invalid", 401)
    check_error(lambda: sso.get_role_credentials(
        roleName="Admin", accountId="111122223333", accessToken=token),
        "SSO role not assigned", "ForbiddenException", "No access", 403)

    fetcher = InstanceMetadataFetcher(timeout=2, num_attempts=1,
                                      base_url=aws.url + "/", env={})
    got = fetcher.retrieve_iam_role_credentials()
    ok(got.get("role_name") == "EC2Bedrock" and
       got.get("access_key", "").startswith("ASIA"),
       "IMDSv2 credentials through botocore's fetcher", repr(got.keys()))
    new = {"access_key_id": got["access_key"],
           "secret_access_key": got["secret_key"],
           "session_token": got["token"]}
    eq(client("sts", aws, new).get_caller_identity()["Arn"],
       "arn:aws:sts::111122223333:assumed-role/EC2Bedrock/i-0standin00000001",
       "IMDS credentials work")
    region = InstanceMetadataRegionFetcher(
        timeout=2, num_attempts=1, base_url=aws.url + "/",
        env={}).retrieve_region()
    eq(region, "us-west-2", "Region from IMDS availability zone")
    status, _, _ = raw(aws, "GET", "/latest/meta-data/iam/"
                       "security-credentials/")
    eq(status, 401, "IMDS without a token header is 401")
    status, _, _ = raw(aws, "PUT", "/latest/api/token")
    eq(status, 400, "IMDS token without TTL header is 400")

    conf = sc["container"]
    got = ContainerMetadataFetcher().retrieve_full_uri(
        aws.url + conf["paths"][0],
        headers={"Authorization": conf["authorization"]})
    ok(got.get("AccessKeyId", "").startswith("ASIA") and
       got.get("RoleArn", "").endswith("role/EcsTaskBedrock"),
       "container credentials through botocore's fetcher")
    status, _, body = raw(aws, "GET", conf["paths"][1],
                          {"Authorization": "wrong"})
    eq(status, 401, "container endpoint checks the Authorization header")


# ---------------------------------------------------------------- Bedrock

def test_control_plane(aws):
    world = aws.world
    br = client("bedrock", aws)
    r = br.list_foundation_models()
    want = sorted(m.id for m in world.models_in("us-east-1"))
    eq(sorted(s["modelId"] for s in r["modelSummaries"]), want,
       "ListFoundationModels lists the Region's models")
    by_id = {s["modelId"]: s for s in r["modelSummaries"]}
    eq(by_id["anthropic.claude-sonnet-4-5-20250929-v1:0"]
       ["inferenceTypesSupported"], ["INFERENCE_PROFILE"],
       "INFERENCE_PROFILE passes through the closed enum")
    eq(by_id["anthropic.claude-v2:1"]["modelLifecycle"]["status"], "LEGACY",
       "modelLifecycle LEGACY")
    r = br.list_foundation_models(byProvider="anthropic",
                                  byInferenceType="ON_DEMAND",
                                  byOutputModality="TEXT")
    eq(sorted(s["modelId"] for s in r["modelSummaries"]),
       ["anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-v2:1"],
       "ListFoundationModels filters")
    r = br.list_foundation_models(byCustomizationType="FINE_TUNING")
    eq([s["modelId"] for s in r["modelSummaries"]],
       ["amazon.titan-image-generator-v2:0"], "filter byCustomizationType")
    eq(len(client("bedrock", aws, region="ap-northeast-1")
           .list_foundation_models(byProvider="Meta")["modelSummaries"]), 0,
       "no Meta models in ap-northeast-1")

    mid = "anthropic.claude-3-haiku-20240307-v1:0"
    d = br.get_foundation_model(modelIdentifier=mid)["modelDetails"]
    eq(d["modelArn"], "arn:aws:bedrock:us-east-1::foundation-model/" + mid,
       "GetFoundationModel by id")
    d = br.get_foundation_model(modelIdentifier=d["modelArn"])["modelDetails"]
    eq(d["modelId"], mid, "GetFoundationModel by ARN (percent-encoded path)")
    check_error(lambda: client("bedrock", aws, region="eu-central-1")
                .get_foundation_model(
                    modelIdentifier="meta.llama3-8b-instruct-v1:0"),
                "GetFoundationModel for a model not in the Region",
                "ResourceNotFoundException", status=404)

    a = br.get_foundation_model_availability(modelId=mid)
    eq((a["agreementAvailability"]["status"], a["authorizationStatus"],
        a["entitlementAvailability"], a["regionAvailability"]),
       ("AVAILABLE", "AUTHORIZED", "AVAILABLE", "AVAILABLE"),
       "GetFoundationModelAvailability")
    a = client("bedrock", aws, region="eu-central-1") \
        .get_foundation_model_availability(
            modelId="meta.llama3-8b-instruct-v1:0")
    eq(a["regionAvailability"], "NOT_AVAILABLE", "availability: Region")

    pages = br.get_paginator("list_inference_profiles").paginate(
        typeEquals="SYSTEM_DEFINED", PaginationConfig={"PageSize": 2})
    n_pages, ids = 0, []
    for page in pages:
        n_pages += 1
        ids += [p["inferenceProfileId"]
                for p in page["inferenceProfileSummaries"]]
    want = sorted(p.id for p in world.profiles_in("us-east-1")
                  if p.kind == "SYSTEM_DEFINED")
    eq(sorted(ids), want, "ListInferenceProfiles paginator sees every "
       "system-defined profile")
    ok(n_pages == (len(want) + 1) // 2, "pages of 2", "%d pages" % n_pages)
    first = br.list_inference_profiles()
    eq(len(first["inferenceProfileSummaries"]), world.page_size,
       "scenario page size when maxResults is absent")
    ok("nextToken" in first, "nextToken when more remain")
    check_error(lambda: br.list_inference_profiles(nextToken="garbage"),
                "bad nextToken", "ValidationException", status=400)

    pid = "us.anthropic.claude-3-5-haiku-20241022-v1:0"
    p = br.get_inference_profile(inferenceProfileIdentifier=pid)
    eq([m["modelArn"] for m in p["models"]],
       ["arn:aws:bedrock:%s::foundation-model/anthropic.claude-3-5-haiku-"
        "20241022-v1:0" % r for r in ("us-east-1", "us-east-2",
                                      "us-west-2")],
       "GetInferenceProfile destinations")
    p2 = br.get_inference_profile(
        inferenceProfileIdentifier=p["inferenceProfileArn"])
    eq(p2["inferenceProfileId"], pid, "GetInferenceProfile by ARN")
    g = br.get_inference_profile(
        inferenceProfileIdentifier="global.anthropic.claude-sonnet-4-5-"
                                   "20250929-v1:0")
    eq([m["modelArn"] for m in g["models"]],
       ["arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-"
        "20250929-v1:0"], "global profile uses the Region-less ARN")
    check_error(lambda: client("bedrock", aws, region="eu-west-1")
                .get_inference_profile(inferenceProfileIdentifier=pid),
                "us. profile from eu-west-1", "ResourceNotFoundException",
                status=404)

    apps = br.list_inference_profiles(typeEquals="APPLICATION")
    app = apps["inferenceProfileSummaries"]
    eq([(p["inferenceProfileId"], p["inferenceProfileArn"]) for p in app],
       [("standinapp01", "arn:aws:bedrock:us-east-1:111122223333:"
         "application-inference-profile/standinapp01")],
       "application inference profiles (type filter)")
    eq(br.get_inference_profile(inferenceProfileIdentifier=app[0][
        "inferenceProfileArn"])["type"], "APPLICATION",
       "GetInferenceProfile by application profile ARN")

    offers = br.list_foundation_model_agreement_offers(modelId=mid)["offers"]
    ok(len(offers) == 1 and offers[0]["termDetails"]["legalTerm"]["url"],
       "agreement offers (Marketplace model)")
    eq(br.list_foundation_model_agreement_offers(
        modelId="amazon.nova-micro-v1:0")["offers"], [],
       "no offers for an Amazon model")
    r = br.create_foundation_model_agreement(
        modelId=mid, offerToken=offers[0]["offerToken"])
    eq((r["ResponseMetadata"]["HTTPStatusCode"], r["modelId"]), (202, mid),
       "CreateFoundationModelAgreement is 202")
    check_error(lambda: br.create_foundation_model_agreement(
        modelId=mid, offerToken="nope"), "bad offer token",
        "ValidationException", status=400)

    form = br.get_use_case_for_model_access()["formData"]
    eq(json.loads(form), aws.scenario["use_case_form"]["form"],
       "GetUseCaseForModelAccess returns the form")


def test_use_case_and_terms(aws):
    aws.set_scenario("terms-pending")
    br = client("bedrock", aws)
    rt = client("bedrock-runtime", aws)
    check_error(lambda: br.get_use_case_for_model_access(),
                "use case never submitted", "ResourceNotFoundException",
                status=404)
    form = {"companyName": "X" * 129, "companyWebsite": "https://e.com",
            "intendedUsers": "0", "industryOption": "Tech", "useCases": "u"}
    check_error(lambda: br.put_use_case_for_model_access(
        formData=json.dumps(form).encode()), "form field over its limit",
        "ValidationException", status=400, message_contains="companyName")
    check_error(lambda: br.put_use_case_for_model_access(formData=b"short"),
                "formData under 10 bytes", "ValidationException", status=400)
    form["companyName"] = "Example"
    form["intendedUsers"] = "7"
    check_error(lambda: br.put_use_case_for_model_access(
        formData=json.dumps(form).encode()), "bad intendedUsers",
        "ValidationException", status=400)
    model = aws.scenario["client"]["model"]
    check_error(lambda: rt.converse(modelId=model, messages=hello()),
                "Anthropic model before the form", "ResourceNotFoundException",
                status=404, message_contains="use case details have not")
    form["intendedUsers"] = "2"
    r = br.put_use_case_for_model_access(formData=json.dumps(form).encode())
    eq(r["ResponseMetadata"]["HTTPStatusCode"], 201, "PutUseCase is 201")
    eq(json.loads(br.get_use_case_for_model_access()["formData"]), form,
       "the submitted form reads back")
    ok("output" in rt.converse(modelId=model, messages=hello()),
       "Anthropic model works once the form is in")
    cohere = "cohere.command-r-plus-v1:0"
    check_error(lambda: rt.converse(modelId=cohere, messages=hello()),
                "Marketplace subscribe blocked", "AccessDeniedException",
                status=403, message_contains="aws-marketplace:Subscribe")
    offer = br.list_foundation_model_agreement_offers(
        modelId=cohere)["offers"][0]
    check_error(lambda: br.create_foundation_model_agreement(
        modelId=cohere, offerToken=offer["offerToken"]),
        "CreateFoundationModelAgreement needs aws-marketplace:Subscribe",
        "AccessDeniedException", status=403,
        message_contains="with an explicit deny in a service control policy")
    aws.update({"scp_deny": []})
    br.create_foundation_model_agreement(modelId=cohere,
                                         offerToken=offer["offerToken"])
    eq(br.get_foundation_model_availability(
        modelId=cohere)["agreementAvailability"]["status"], "PENDING",
       "new agreement is PENDING in this scenario")
    check_error(lambda: rt.converse(modelId=cohere, messages=hello()),
                "agreement still processing", "AccessDeniedException",
                status=403, message_contains="still being processed")
    aws.update({"models": {cohere: {"agreement": "NOT_AVAILABLE"}}})
    ok("output" in rt.converse(modelId=cohere, messages=hello()),
       "first invoke auto-subscribes when Marketplace actions are allowed")
    ok(last(aws, "Converse").get("auto_subscribed"), "auto-subscribe logged")
    aws.set_scenario("happy")


def test_analyzer(aws):
    aa = client("accessanalyzer", aws)
    doc = ('{\n  "Version": "2012-10-17",\n  "Statement": [{\n'
           '    "Effect": "Allow",\n'
           '    "Action": ["bedrock:Converse", "bedrock:InvokeModel"],\n'
           '    "Resource": "*"\n  }]\n}')
    r = aa.validate_policy(policyDocument=doc, policyType="IDENTITY_POLICY")
    kinds = [(f["findingType"], f["issueCode"]) for f in r["findings"]]
    ok(("ERROR", "INVALID_ACTION") in kinds, "bedrock:Converse is an ERROR",
       repr(kinds))
    ok(("SECURITY_WARNING", "STANDIN_INVOKE_ANY_MODEL") in kinds,
       "Resource * on InvokeModel is a SECURITY_WARNING", repr(kinds))
    bad = [f for f in r["findings"] if f["issueCode"] == "INVALID_ACTION"][0]
    span = bad["locations"][0]["span"]
    eq(doc[span["start"]["offset"]:span["end"]["offset"]],
       '"bedrock:Converse"', "finding span covers the action")
    eq((span["start"]["line"], bad["locations"][0]["path"]),
       (5, [{"key": "Statement"}, {"index": 0}, {"key": "Action"},
            {"index": 0}]), "finding line and path")
    eq(bad["findingDetails"], "The action bedrock:Converse does not exist.",
       "finding details")
    pages = aa.get_paginator("validate_policy").paginate(
        policyDocument=doc, policyType="IDENTITY_POLICY",
        PaginationConfig={"PageSize": 1})
    eq(sum(len(p["findings"]) for p in pages), len(r["findings"]),
       "ValidatePolicy paginates")
    r = aa.validate_policy(policyDocument='{"Version": "2012-10-17", ',
                           policyType="IDENTITY_POLICY")
    eq([f["issueCode"] for f in r["findings"]], ["JSON_SYNTAX_ERROR"],
       "JSON syntax error finding")
    check_error(lambda: aa.validate_policy(policyDocument="{}",
                                           policyType="NOPE"),
                "bad policyType", "ValidationException", status=400)


def test_runtime(aws):
    world = aws.world
    rt = client("bedrock-runtime", aws)
    mid = "anthropic.claude-3-haiku-20240307-v1:0"
    reply = world.models[mid].raw["reply"]
    r = rt.converse(modelId=mid, messages=hello(),
                    inferenceConfig={"maxTokens": 100})
    eq(r["output"]["message"]["content"][0]["text"], reply["text"],
       "Converse reply text from the scenario")
    eq(r["usage"], {"inputTokens": 14, "outputTokens": 12,
                    "totalTokens": 26}, "Converse usage from the scenario")
    eq((r["stopReason"], r["metrics"]["latencyMs"]), ("end_turn", 321),
       "stopReason and latency")
    r = rt.converse(modelId="amazon.nova-micro-v1:0",
                    messages=hello("tell me a joke"),
                    inferenceConfig={"maxTokens": 5})
    eq((r["output"]["message"]["content"][0]["text"], r["stopReason"]),
       ("Nova Micro here: you said", "max_tokens"),
       "maxTokens truncates and sets max_tokens")
    eq(r["usage"]["inputTokens"], 4, "input tokens counted from the prompt")

    pid = aws.scenario["client"]["model"]
    whole = rt.converse(modelId=pid, messages=hello())
    text = whole["output"]["message"]["content"][0]["text"]
    r = rt.converse_stream(modelId=pid, messages=hello())
    eq(r["ResponseMetadata"]["HTTPHeaders"].get("transfer-encoding"),
       "chunked", "ConverseStream is chunked")
    events = list(r["stream"])
    names = [list(e)[0] for e in events]
    eq((names[0], names[-3:]), ("messageStart", ["contentBlockStop",
                                                 "messageStop", "metadata"]),
       "ConverseStream event order")
    got = "".join(e["contentBlockDelta"]["delta"]["text"] for e in events
                  if "contentBlockDelta" in e)
    eq(got, text, "streamed text equals Converse text")
    eq(events[-1]["metadata"]["usage"], whole["usage"], "stream usage")

    arn = "arn:aws:bedrock:us-east-1:111122223333:inference-profile/" + pid
    ok("output" in rt.converse(modelId=arn, messages=hello()),
       "Converse by profile ARN (double-encoded path signs)")
    ok("output" in rt.converse(
        modelId="arn:aws:bedrock:us-east-1::foundation-model/" + mid,
        messages=hello()), "Converse by foundation-model ARN")
    ok("output" in rt.converse(
        modelId="arn:aws:bedrock:us-east-1:111122223333:application-"
                "inference-profile/standinapp01", messages=hello()),
       "Converse by application inference profile ARN")
    gid = "global.anthropic.claude-sonnet-4-5-20250929-v1:0"
    rt.converse(modelId=gid, messages=hello())
    ok(last(aws, "Converse").get("destination_region") in world.regions,
       "global profile routed to a Region")
    dests = set()
    for _ in range(3):
        rt.converse(modelId="us.anthropic.claude-3-5-haiku-20241022-v1:0",
                    messages=hello())
        dests.add(last(aws, "Converse")["destination_region"])
    eq(dests, {"us-east-1", "us-east-2", "us-west-2"},
       "round-robin over the profile's destinations")

    check_error(lambda: rt.converse(modelId="eu." + mid, messages=hello()),
                "eu. profile from us-east-1", "ValidationException",
                "The provided model identifier is invalid.", 400)
    check_error(lambda: rt.converse(
        modelId="amazon.titan-embed-text-v2:0", messages=hello()),
        "embedding model in Converse", "ValidationException", status=400)
    check_error(lambda: rt.converse(modelId=mid, messages=[
        {"role": "assistant", "content": [{"text": "x"}]}]),
        "conversation starting with assistant", "ValidationException",
        "A conversation must start with a user message. Try again with a "
        "conversation that starts with a user message.", 400)
    check_error(lambda: rt.converse(modelId=mid, messages=hello() + hello()),
                "roles must alternate", "ValidationException", status=400,
                message_contains="must alternate")

    for name, code, status in (("legacy", "ResourceNotFoundException", 404),
                               ("end_of_life", "ResourceNotFoundException",
                                404),
                               ("not_ready", "ModelNotReadyException", 429),
                               ("timeout", "ModelTimeoutException", 408),
                               ("model_error", "ModelErrorException", 424),
                               ("unavailable", "ServiceUnavailableException",
                                503),
                               ("no_access", "AccessDeniedException", 403),
                               ("marketplace", "AccessDeniedException", 403)):
        aws.update({"models": {mid: {"fail": {"us-east-1": name}}}})
        check_error(lambda: rt.converse(modelId=mid, messages=hello()),
                    "model failure %s" % name, code, status=status)
    e = error_of(lambda: rt.converse(modelId=mid, messages=hello()))
    eq(e.response["Error"]["Message"][:40],
       "Model access is denied due to IAM user o", "Marketplace message")
    aws.update({"models": {mid: {"fail": None}}})

    token = list(aws.scenario["bearer_tokens"])[0]
    body = json.dumps({"messages": hello()}).encode()
    path = "/model/%s/converse" % mid.replace(":", "%3A")
    status, hdrs, data = raw(aws, "POST", path, {
        "Authorization": "Bearer " + token,
        "Content-Type": "application/json"}, body)
    eq((status, last(aws, "Converse").get("auth")), (200, "bearer"),
       "bearer token accepted")
    status, hdrs, data = raw(aws, "POST", path, {
        "Authorization": "Bearer ABSKwrong", "Content-Type":
        "application/json"}, body)
    eq((status, hdrs.get("x-amzn-errortype", "").split(":")[0],
        json.loads(data).get("Message")),
       (403, "AccessDeniedException",
        "Authentication failed: Please make sure your API Key is valid."),
       "unknown bearer token")
    status, hdrs, data = raw(aws, "POST", path,
                             {"Content-Type": "application/json"}, body)
    eq((status, hdrs.get("x-amzn-errortype")),
       (403, "MissingAuthenticationTokenException:http://internal.amazon."
             "com/coral/com.amazon.coral.service/"), "unsigned Converse")


def test_gate_scenarios():
    """Each scenario's "expect" block holds when the client does its call."""
    for name in sorted(f[:-5] for f in os.listdir(SCENARIOS)
                       if f.endswith(".json")):
        doc = load_scenario(name)
        expect = doc.get("expect")
        if not expect:
            continue
        with StandIn(name).start() as aws:
            c = doc["client"]
            if expect.get("sts_error"):
                check_error(lambda: client("sts", aws).get_caller_identity(),
                            "%s: STS says %s" % (name, expect["sts_error"]),
                            expect["sts_error"], status=None)
            if not HAVE_BEDROCK:
                skip("%s: %s" % (name, expect["op"]), NO_BEDROCK)
                continue
            rt = client("bedrock-runtime", aws)
            call = (rt.converse if expect["op"] == "Converse"
                    else rt.converse_stream)
            if expect["status"] == 200:
                outcomes = []
                for _ in range(3 if expect.get("intermittent_error") else 1):
                    e = error_of(lambda: call(modelId=c["model"],
                                              messages=hello()))
                    outcomes.append(e.response["Error"]["Code"]
                                    if isinstance(e, ClientError) else e)
                if expect.get("intermittent_error"):
                    eq(sorted(map(str, outcomes)),
                       sorted(["None", "None", expect["intermittent_error"]]),
                       "%s: one call in three fails" % name)
                    denied = [e for e in aws.requests() if e.get("error")]
                    contains(denied[0].get("message", ""), "arn:aws:bedrock:"
                             "us-east-2::foundation-model/",
                             "%s: the denial names the missing destination"
                             % name)
                else:
                    eq(outcomes, [None],
                       "%s: %s works" % (name, expect["op"]))
                continue
            check_error(lambda: call(modelId=c["model"], messages=hello()),
                        "%s: %s gives %s" % (name, expect["op"],
                                             expect["error"]),
                        expect["error"], expect.get("message"),
                        expect["status"], expect.get("message_contains"))


# ---------------------------------------------------------------- auth

def test_auth_failures(aws):
    sc = aws.scenario
    wrong = dict(sc["client"], secret_access_key="x" * 40)
    check_error(lambda: client("sts", aws, wrong).get_caller_identity(),
                "STS: wrong secret", "SignatureDoesNotMatch", SIG_MISMATCH,
                403)
    ok(last(aws).get("sig_ok") is False, "log: sig_ok false")
    unknown = dict(sc["client"], access_key_id="AKIASTANDINNOBODY001")
    check_error(lambda: client("sts", aws, unknown).get_caller_identity(),
                "STS: unknown key", "InvalidClientTokenId", status=403)
    expired = creds_of(sc["credentials"], "ASIASTANDINEXPIRED01")
    check_error(lambda: client("sts", aws, expired).get_caller_identity(),
                "STS: expired token", "ExpiredToken",
                "The security token included in the request is expired", 403)
    aws.set_clock_offset(20 * 60)
    e = check_error(lambda: client("sts", aws).get_caller_identity(),
                    "STS: skewed clock", "SignatureDoesNotMatch", status=403,
                    message_contains="Signature expired: ")
    if e is not None:
        contains(e.response["Error"]["Message"], " - 15 min.)",
                 "STS allows 15 minutes")
    _, hdrs, _ = raw(aws, "GET", "/_standin/health")
    when = email.utils.parsedate_to_datetime(hdrs["date"]).timestamp()
    ok(abs(when - time.time() - 1200) < 5, "Date header uses the offset "
       "clock", "%r" % hdrs["date"])
    if HAVE_BEDROCK:
        e = check_error(lambda: client("bedrock", aws)
                        .list_foundation_models(), "Bedrock: skewed clock",
                        "InvalidSignatureException", status=403,
                        message_contains="Signature expired: ")
        if e is not None:
            contains(e.response["Error"]["Message"], " - 5 min.)",
                     "Bedrock allows 5 minutes")
    aws.set_clock_offset(0)
    ok("Arn" in client("sts", aws).get_caller_identity(), "clock back")
    if not HAVE_BEDROCK:
        skip("Bedrock signature errors", NO_BEDROCK)
        return
    rt = client("bedrock-runtime", aws, wrong)
    e = check_error(lambda: rt.converse(modelId="amazon.nova-micro-v1:0",
                                        messages=hello()),
                    "Bedrock: wrong secret", "InvalidSignatureException",
                    status=403, message_contains=SIG_MISMATCH)
    if e is not None:
        contains(e.response["Error"]["Message"],
                 "/model/amazon.nova-micro-v1%253A0/converse",
                 "the echoed canonical request has the double-encoded path")
        eq(e.response["ResponseMetadata"]["HTTPHeaders"]
           .get("x-amzn-errortype", "").split(":", 1)[1],
           "http://internal.amazon.com/coral/com.amazon.coral.service/",
           "auth errors use the coral service namespace")
    check_error(lambda: client("bedrock", aws, unknown)
                .list_foundation_models(), "Bedrock: unknown key",
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
                403)
    check_error(lambda: client("bedrock", aws, expired)
                .list_foundation_models(), "Bedrock: expired token",
                "ExpiredTokenException", status=403)
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    req = AWSRequest("GET", aws.url + "/foundation-models")
    SigV4Auth(Credentials(sc["client"]["access_key_id"],
                          sc["client"]["secret_access_key"]),
              "bedrock-runtime", "us-east-1").add_auth(req)
    status, hdrs, data = raw(aws, "GET", "/foundation-models",
                             dict(req.headers.items()))
    eq((status, json.loads(data)["message"]),
       (403, "Credential should be scoped to correct service: 'bedrock'. "),
       "signing name must be bedrock")
    aws.update({"regions": {"eu-north-1": {"enabled": False}}})
    check_error(lambda: client("bedrock", aws, region="eu-north-1")
                .list_foundation_models(), "opt-in Region not enabled",
                "UnrecognizedClientException", status=403)
    aws.update({"regions": {"eu-north-1": {"enabled": True}}})


# ---------------------------------------------------------------- faults

def test_faults_sts(aws):
    aws.add_fault({"action": "throttle", "op": "GetCallerIdentity",
                   "count": 2})
    r = client("sts", aws, attempts=4).get_caller_identity()
    eq(r["ResponseMetadata"]["RetryAttempts"], 2,
       "STS Throttling (400) retried by botocore")
    tail = [e for e in aws.requests() if e["op"] == "GetCallerIdentity"][-3:]
    eq([(e["status"], e["error"]) for e in tail],
       [(400, "Throttling"), (400, "Throttling"), (200, None)],
       "log shows the two throttled attempts")
    ok(tail[0].get("fault", {}).get("action") == "throttle",
       "consumed fault rule is logged")
    aws.add_fault({"action": "html_error", "op": "GetCallerIdentity"})
    check_error(lambda: client("sts", aws).get_caller_identity(),
                "HTML from a proxy", "502", status=502)
    aws.add_fault({"action": "empty_error", "op": "GetCallerIdentity",
                   "status": 500})
    e = error_of(lambda: client("sts", aws).get_caller_identity())
    ok(isinstance(e, ClientError) and
       e.response["ResponseMetadata"]["HTTPStatusCode"] == 500,
       "empty error body", repr(e))
    aws.add_fault({"action": "reset", "op": "GetCallerIdentity"})
    r = client("sts", aws, attempts=3).get_caller_identity()
    eq(r["ResponseMetadata"]["RetryAttempts"], 1,
       "connection reset mid-body is retried")
    aws.add_fault({"action": "stall", "op": "GetCallerIdentity",
                   "seconds": 3})
    t0 = time.time()
    e = error_of(lambda: client("sts", aws, read_timeout=0.5)
                 .get_caller_identity())
    ok(type(e).__name__ == "ReadTimeoutError" and time.time() - t0 < 3,
       "stall past the read timeout", repr(e))
    eq([f["used"] for f in aws.faults()][-5:], [2, 1, 1, 1, 1],
       "fault use counters")


def test_faults_runtime(aws):
    from botocore.eventstream import ChecksumMismatch
    from botocore.exceptions import EventStreamError
    rt = client("bedrock-runtime", aws)
    mid = "amazon.nova-micro-v1:0"
    aws.add_fault({"action": "throttle", "op": "Converse", "count": 2})
    r = client("bedrock-runtime", aws, attempts=4).converse(
        modelId=mid, messages=hello())
    eq(r["ResponseMetadata"]["RetryAttempts"], 2,
       "ThrottlingException 429 retried by botocore, then success")
    aws.add_fault({"action": "error", "op": "Converse", "status": 503})
    check_error(lambda: rt.converse(modelId=mid, messages=hello()),
                "5xx fault", "ServiceUnavailableException", status=503)

    def stream_events(**fault):
        aws.add_fault(dict(fault, op="ConverseStream"))
        r = rt.converse_stream(modelId=mid, messages=hello())
        return list(r["stream"])

    for etype in ("throttlingException", "modelStreamErrorException",
                  "validationException"):
        e = error_of(lambda: stream_events(action="stream_exception",
                                           exception=etype, after_frames=2))
        ok(isinstance(e, EventStreamError) and
           e.response["Error"]["Code"] == etype,
           "%s inside HTTP 200" % etype, repr(e))
    e = error_of(lambda: stream_events(action="bad_crc", frame=2))
    ok(isinstance(e, ChecksumMismatch), "corrupt CRC detected", repr(e))
    got = error_of(lambda: stream_events(action="truncate_stream",
                                         after_frames=3))
    ok(got is None or not isinstance(got, ClientError),
       "truncated stream ends without a ClientError", repr(got))
    e = error_of(lambda: stream_events(action="reset", after_frames=2))
    ok(e is not None, "reset mid-stream raises", repr(e))
    aws.add_fault({"action": "stall", "op": "ConverseStream",
                   "after_frames": 2, "seconds": 0.6})
    t0 = time.time()
    list(rt.converse_stream(modelId=mid, messages=hello())["stream"])
    ok(time.time() - t0 >= 0.6, "stall mid-stream")
    aws.add_fault({"action": "oversized", "op": "Converse", "mib": 1})
    r = rt.converse(modelId=mid, messages=hello())
    eq(r["ResponseMetadata"]["HTTPHeaders"]["content-length"],
       str(len(json.dumps({"output": {"message": {"role": "assistant",
           "content": [{"text": r["output"]["message"]["content"][0]
                        ["text"]}]}}, "stopReason": r["stopReason"],
           "usage": r["usage"], "metrics": r["metrics"],
           "padding": "x" * (1 << 20)}).encode())),
       "oversized body carries 1 MiB of padding")
    aws.add_fault({"action": "invalid_json", "op": "Converse"})
    r = rt.converse(modelId=mid, messages=hello())
    ok("output" not in r and r["ResponseMetadata"]["HTTPStatusCode"] == 200,
       "invalid JSON body: 200 whose body botocore cannot parse", repr(r))
    aws.update({"stream": {"chunk_delay_ms": 100}})
    t0 = time.time()
    events = list(rt.converse_stream(modelId=mid, messages=hello())["stream"])
    ok(time.time() - t0 >= 0.1 * (len(events) - 1) - 0.05,
       "chunk_delay_ms between frames")
    aws.update({"stream": {"chunk_delay_ms": 0}})


# ---------------------------------------------------------------- misc

def test_log_and_latency(aws):
    text = json.dumps(aws.requests())
    sc = aws.scenario
    secrets = [c["secret_access_key"] for c in sc["credentials"]]
    secrets += [c["session_token"] for c in sc["credentials"]
                if c.get("session_token")]
    secrets += list(sc["bearer_tokens"]) + list(sc["web_identity_tokens"])
    secrets += list(sc["sso"]["access_tokens"])
    leaked = [s for s in secrets if s in text]
    eq(leaked, [], "the request log holds no secrets or tokens")
    ok("Signature=" not in text, "no signatures in the log")
    fields = {"time_start", "time_end", "method", "path", "query", "service",
              "op", "region", "signed", "sig_ok", "access_key_id", "status",
              "error"}
    missing = [f for f in fields if f not in aws.requests()[0]]
    eq(missing, [], "log entries carry the documented fields")
    client("sts", aws, region="eu-north-1").get_caller_identity()
    e = last(aws, "GetCallerIdentity")
    ok(e["time_end"] - e["time_start"] >= 0.045 and e["region"] ==
       "eu-north-1", "per-Region latency_ms is added",
       "%.3f s" % (e["time_end"] - e["time_start"]))
    status, _, data = raw(aws, "POST", "/_standin/fault", {}, json.dumps(
        {"action": "throttle", "op": "GetCallerIdentity"}).encode())
    eq(status, 200, "control endpoint adds a fault")
    check_error(lambda: client("sts", aws).get_caller_identity(),
                "fault from the control endpoint fires", "Throttling",
                status=400)
    status, _, data = raw(aws, "GET", "/_standin/requests")
    ok(status == 200 and isinstance(json.loads(data), list),
       "control endpoint returns the log")


def test_robustness():
    """Garbage does not break the server; stop() is quick mid-stall."""
    import socket
    import threading
    junk = [
        b"GARBAGE\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n"
        b"\xff\xfe\x00a",
        b"POST / HTTP/1.1\r\nHost: x\r\nAuthorization: AWS4-HMAC-SHA256 "
        b"Credential=a/b\r\nContent-Length: 24\r\n\r\n"
        b"Action=GetCallerIdentity",
        b"POST /model/%ZZ/converse HTTP/1.1\r\nHost: x\r\n"
        b"Content-Length: 3\r\n\r\n[1]",
        b"POST /policy/validation HTTP/1.1\r\nHost: x\r\n"
        b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"GET /inference-profiles HTTP/1.1\r\nHost: x\r\n"
        b"Content-Length: 99999999999\r\n\r\n",
    ]
    with StandIn("happy").start() as aws:
        statuses = []
        for data in junk:
            sock = socket.create_connection(("127.0.0.1", aws.port), 5)
            sock.sendall(data)
            try:
                answer = sock.recv(400)
            except OSError as e:
                answer = repr(e).encode()
            sock.close()
            statuses.append(answer[:12] if answer.startswith(b"HTTP/")
                            else answer[-80:])
        ok(all(any(c in x for c in (b"400", b"403", b"413"))
               for x in statuses), "garbage gets 4xx answers",
           repr(statuses))
        ok("Arn" in client("sts", aws).get_caller_identity(),
           "server still answers after garbage")
        eq([e for e in aws.requests() if e["error"] == "StandInBug"], [],
           "no internal errors")
        aws.add_fault({"action": "stall", "op": "GetCallerIdentity",
                       "seconds": 60})
        worker = threading.Thread(target=error_of, args=(
            lambda: client("sts", aws, read_timeout=90)
            .get_caller_identity(),), daemon=True)
        worker.start()
        time.sleep(0.3)
        t0 = time.time()
        aws.stop()
        worker.join(10)
        ok(time.time() - t0 < 5 and not worker.is_alive(),
           "stop() ends a stalled request promptly",
           "%.1f s" % (time.time() - t0))


def test_cli():
    tmp = tempfile.mkdtemp(prefix="standin-")
    port_file, log_file = os.path.join(tmp, "port"), os.path.join(tmp, "log")
    proc = subprocess.Popen([sys.executable,
                             os.path.join(STANDIN_DIR, "standin.py"),
                             "--scenario", "happy", "--port", "0",
                             "--port-file", port_file, "--log", log_file],
                            stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 20
        while not os.path.exists(port_file) and time.time() < deadline:
            time.sleep(0.05)
        ok(os.path.exists(port_file), "CLI writes the port file")
        port = int(open(port_file).read())

        class Stub:
            pass
        stub = Stub()
        stub.url, stub.port = "http://127.0.0.1:%d" % port, port
        stub.scenario = load_scenario("happy")
        r = client("sts", stub).get_caller_identity()
        eq(r["Account"], "111122223333", "CLI stand-in answers")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
    eq(rc, 0, "CLI exits 0 on SIGTERM")
    with open(log_file) as f:
        lines = [json.loads(line) for line in f]
    eq([x["op"] for x in lines], ["GetCallerIdentity"], "CLI --log writes "
       "JSON lines")
    shutil.rmtree(tmp, ignore_errors=True)


def test_curl_stream(aws):
    curl = shutil.which("curl")
    if not curl:
        skip("curl reads the event stream", "curl not installed")
        return
    from botocore.eventstream import EventStreamBuffer
    token = list(aws.scenario["bearer_tokens"])[0]
    aws.update({"stream": {"chunk_delay_ms": 20}})
    out = subprocess.run(
        [curl, "-sS", "-N", "--max-time", "20", "-X", "POST",
         "-H", "Authorization: Bearer " + token,
         "-H", "Content-Type: application/json",
         "--data-binary", json.dumps({"messages": hello()}),
         aws.url + "/model/amazon.nova-micro-v1%3A0/converse-stream"],
        capture_output=True, timeout=30)
    aws.update({"stream": {"chunk_delay_ms": 0}})
    buf = EventStreamBuffer()
    buf.add_data(out.stdout)
    kinds = [m.headers.get(":event-type") for m in buf]
    ok(out.returncode == 0 and kinds and kinds[-1] == "metadata",
       "curl reads the chunked event stream", lambda: "rc %d %r %s" % (
           out.returncode, kinds, out.stderr[-300:]))


# ---------------------------------------------------------------- main

def test_botocore_data():
    """The shipped models are what an old botocore runs the Bedrock
    checks with: first on the search path, and found."""
    loader = _session.get_component("data_loader")
    eq(loader.search_paths[:1], [BOTOCORE_DATA],
       "tests/stand-in/botocore-data comes first on botocore's search path")
    for svc, version in (("bedrock", "2023-04-20"),
                         ("bedrock-runtime", "2023-09-30")):
        folder = os.path.join(BOTOCORE_DATA, svc, version)
        ok(all(os.path.isfile(os.path.join(folder, f)) for f in (
            "service-2.json.gz", "paginators-1.json",
            "endpoint-rule-set-1.json.gz")),
           "botocore-data has %s %s (service, paginators, endpoint rules)"
           % (svc, version))
        ok(loader.list_api_versions(svc, "service-2")[-1:] == [version],
           "botocore %s loads %s %s" % (botocore.__version__, svc,
                                       version))
    ok(HAVE_BEDROCK, "botocore %s knows Bedrock (its own models or the "
       "shipped ones), so no Bedrock check is skipped"
       % botocore.__version__)


def main():
    diag("python %s, botocore %s, Bedrock models: %s"
         % (sys.version.split()[0], botocore.__version__, HAVE_BEDROCK))
    test_botocore_data()
    test_encoders()
    with StandIn("happy").start() as aws:
        test_sts(aws)
        test_iam(aws)
        test_credential_sources(aws)
        test_auth_failures(aws)
        test_faults_sts(aws)
        if HAVE_BEDROCK:
            test_control_plane(aws)
            test_analyzer(aws)
            test_runtime(aws)
            test_faults_runtime(aws)
            test_use_case_and_terms(aws)
        else:
            for what in ("Bedrock control plane", "Bedrock runtime",
                         "event-stream faults", "use-case form and terms"):
                skip(what, NO_BEDROCK)
            test_analyzer(aws)
        test_log_and_latency(aws)
        test_curl_stream(aws)
    test_gate_scenarios()
    test_robustness()
    test_cli()
    bstest.done()


if __name__ == "__main__":
    main()
