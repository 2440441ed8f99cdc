#!/usr/bin/env python3
"""End-to-end test of bedrock.c and runtime.c against the loopback stand-in.

The C driver tests/unit/bedrock-call runs one control-plane or runtime call
and prints one JSON result line (streaming calls print one line per piece
of text first, with a timestamp).  Every call goes to the stand-in, which
verifies each signature and logs what it received, so the checks look at
both what the driver parsed and what went over the wire: query names,
paths encoded once, pages followed, calls made in parallel, retries.

Usage: test_bedrock_calls.py [PATH-TO-bedrock-call]
(else $BEDROCK_CALL, else $BS_BUILDDIR/tests/unit/bedrock-call).

The stand-in checks signatures with botocore when it can; the script
re-executes itself with an interpreter that has botocore ($BS_PYTHON,
python3 on PATH, /usr/bin/python3).  The boto3-snippet check needs boto3
with the Bedrock models and is skipped, saying so, without them.
"""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
STANDIN_DIR = os.path.join(os.path.dirname(HERE), "stand-in")


def _probe(python):
    """0 = no botocore, 1 = botocore without Bedrock, 2 = with Bedrock."""
    code = ("import botocore.session as s\n"
            "svc = s.get_session().get_available_services()\n"
            "print(2 if 'bedrock-runtime' in svc else 1)")
    try:
        out = subprocess.run([python, "-c", code], capture_output=True,
                             text=True, timeout=60)
        return int(out.stdout.strip() or 0)
    except (OSError, ValueError, subprocess.SubprocessError):
        return 0


def _pick_interpreter():
    """Re-exec once with $BS_PYTHON (if it has botocore) or the best of
    python3 on PATH and /usr/bin/python3 when better than this one."""
    if os.environ.get("BS_BEDROCK_CALLS_CHILD"):
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
        os.environ["BS_BEDROCK_CALLS_CHILD"] = "1"
        sys.stdout.flush()
        os.execv(best, [best, os.path.abspath(__file__)] + sys.argv[1:])


_pick_interpreter()

sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
sys.path.insert(0, STANDIN_DIR)

import json  # noqa: E402
import math  # noqa: E402
import shlex  # noqa: E402
import time  # noqa: E402

import bstest  # noqa: E402
from bstest import contains, diag, eq, ok, skip  # noqa: E402

try:
    import botocore  # noqa: F401
except ImportError:
    bstest.skip_all("no interpreter with botocore found (tried $BS_PYTHON, "
                    "python3, /usr/bin/python3); the stand-in needs it to "
                    "check signatures; install python3-botocore")

from standin import StandIn, load_scenario  # noqa: E402

SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0"
US_SONNET = "us." + SONNET
MICRO = "amazon.nova-micro-v1:0"
COHERE = "cohere.command-r-plus-v1:0"
APP_ARN = ("arn:aws:bedrock:us-east-1:111122223333:"
           "application-inference-profile/standinapp01")
PAGE = 3


def find_driver():
    cands = [a for a in sys.argv[1:] if not a.startswith("-")]
    cands.append(os.environ.get("BEDROCK_CALL", ""))
    cands.append(os.path.join(bstest.builddir(), "tests", "unit",
                              "bedrock-call"))
    for c in cands:
        if c and os.access(c, os.X_OK):
            return c
    return None


DRIVER = find_driver()


def driver_env(aws, **extra):
    c = aws.scenario["client"]
    env, _ = bstest.clean_env()
    env["AWS_ENDPOINT_URL"] = aws.url
    env["AWS_ACCESS_KEY_ID"] = c["access_key_id"]
    env["AWS_SECRET_ACCESS_KEY"] = c["secret_access_key"]
    env.update(extra)
    return env


def call(aws, *args, env=None):
    """Run the driver; returns (exit status, result dict, piece lines)."""
    p = subprocess.run([DRIVER] + list(args), env=env or driver_env(aws),
                       capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    lines = [json.loads(x) for x in p.stdout.splitlines() if x.strip()]
    if not lines:
        return p.returncode, {"ok": False, "stderr": p.stderr}, []
    pieces = [x for x in lines[:-1] if "piece" in x]
    return p.returncode, lines[-1], pieces


def mark():
    """Now, on the clock the stand-in's log uses (monotonic)."""
    return time.monotonic()


def since(aws, t):
    """Log entries of requests that arrived after t, oldest first.  (The
    log is in order of completion: a broken earlier stream may end late.)"""
    return sorted((e for e in aws.requests() if e["time_start"] >= t),
                  key=lambda e: e["time_start"])


def offered_in(sc, region):
    return sorted(mid for mid, m in sc["models"].items()
                  if region in m.get("regions", sc["regions"].keys()))


def overlap(entries):
    """Whether all the requests were in flight at one moment."""
    return max(e["time_start"] for e in entries) < \
        min(e["time_end"] for e in entries)


def slow(aws, regions):
    """Make the stand-in answer in these Regions after 400 ms; returns
    what to hand fast() to put the scenario's latencies back."""
    own = aws.scenario.get("regions", {})
    aws.update({"regions": {r: {"latency_ms": 400} for r in regions}})
    return {r: own.get(r) for r in regions}


def fast(aws, saved):
    aws.update({"regions": saved})


def err_of(res):
    return res.get("error") or {}


# ---------------------------------------------------------------- models

def test_models(aws):
    sc = aws.scenario
    n = mark()
    rc, res, _ = call(aws, "list-models")
    ids = sorted(m["id"] for m in res.get("models", []))
    ok(rc == 0 and res["ok"], "ListFoundationModels succeeds", repr(res))
    eq(ids, offered_in(sc, "us-east-1"), "every model offered in us-east-1")
    son = [m for m in res.get("models", []) if m["id"] == SONNET]
    eq(son and son[0]["inference_types"], ["INFERENCE_PROFILE"],
       "INFERENCE_PROFILE kept as an inference type")
    emb = [m for m in res.get("models", [])
           if m["id"] == "amazon.titan-embed-text-v2:0"]
    eq(emb and emb[0]["streaming"], 0, "responseStreamingSupported false")
    log = since(aws, n)
    eq([(e["op"], e["path"], e["sig_ok"]) for e in log],
       [("ListFoundationModels", "/foundation-models", True)],
       "one signed GET /foundation-models, no pagination")

    n = mark()
    rc, res, _ = call(aws, "--by-provider", "Mistral AI",
                      "--by-inference-type", "ON_DEMAND",
                      "--by-output-modality", "TEXT", "list-models")
    models = res.get("models", [])
    ok(res["ok"] and models and
       all(m["provider"] == "Mistral AI" for m in models),
       "byProvider with a space filters", repr(res))
    q = since(aws, n)[0]["query"] if since(aws, n) else ""
    q = q if isinstance(q, str) else json.dumps(q)
    for name in ("byProvider", "byInferenceType", "byOutputModality"):
        contains(q, name, "query carries " + name)
    rc, res, _ = call(aws, "--by-customization-type", "FINE_TUNING",
                      "list-models")
    eq([m["id"] for m in res.get("models", [])],
       ["amazon.titan-image-generator-v2:0"], "byCustomizationType")
    rc, res, _ = call(aws, "--by-inference-type", "SOMETHING",
                      "list-models")
    eq((rc, err_of(res).get("code")), (1, "ValidationException"),
       "bad filter value: the AWS error comes back")

    regions = ["us-east-1", "eu-west-1", "ap-southeast-2"]
    # Each answer takes 400 ms, so calls made at once overlap even on a
    # slow (sanitizer) build, and calls made one after another cannot.
    saved = slow(aws, regions)
    n = mark()
    rc, res, _ = call(aws, "list-models-many", *regions)
    fast(aws, saved)
    got = {r["region"]: sorted(m["id"] for m in r["models"])
           for r in res.get("regions", [])}
    eq(got, {r: offered_in(sc, r) for r in regions},
       "ListFoundationModels in three Regions, each its own list")
    log = [e for e in since(aws, n) if e["op"] == "ListFoundationModels"]
    eq(sorted(e["region"] for e in log), sorted(regions),
       "each Region signed for itself")
    ok(len(log) == 3 and overlap(log), "the three calls ran in parallel",
       lambda: repr([(e["time_start"], e["time_end"]) for e in log]))

    rc, res, _ = call(aws, "get-model", SONNET)
    eq((res["ok"], res.get("model", {}).get("id")), (True, SONNET),
       "GetFoundationModel by id")
    arn = "arn:aws:bedrock:us-east-1::foundation-model/" + MICRO
    n = mark()
    rc, res, _ = call(aws, "get-model", arn)
    eq(res.get("model", {}).get("arn"), arn, "GetFoundationModel by ARN")
    eq(since(aws, n)[0]["path"], "/foundation-models/" +
       arn.replace(":", "%3A").replace("/", "%2F"),
       "ARN in the path encoded once")
    rc, res, _ = call(aws, "get-model", "nope.model-v1:0")
    eq((err_of(res).get("code"), err_of(res).get("http_status")),
       ("ResourceNotFoundException", 404), "unknown model: 404")


def test_availability(aws):
    n = mark()
    rc, res, _ = call(aws, "availability", US_SONNET)
    a = res.get("availability", {})
    eq((a.get("model_id"), a.get("agreement"), a.get("authorization"),
        a.get("entitlement"), a.get("region")),
       (SONNET, "AVAILABLE", "AUTHORIZED", "AVAILABLE", "AVAILABLE"),
       "availability of a profile id asks for the bare model")
    eq(since(aws, n)[0]["path"], "/foundation-model-availability/" +
       SONNET.replace(":", "%3A"), "profile prefix stripped in the path")
    aws.update({"models": {COHERE: {"agreement": "PENDING"}}})
    ids = ["global." + SONNET, COHERE, "nope.model-v1:0"]
    saved = slow(aws, ["us-east-1"])
    n = mark()
    rc, res, _ = call(aws, "availability-many", *ids)
    fast(aws, saved)
    rs = res.get("results", [])
    eq([r.get("availability", {}).get("agreement") for r in rs],
       ["AVAILABLE", "PENDING", None], "three availabilities at once")
    eq(err_of(rs[2] if len(rs) > 2 else {}).get("code"),
       "ResourceNotFoundException", "one failure stays with its model")
    eq(res.get("failed"), 1, "failed count")
    log = [e for e in since(aws, n)
           if e["op"] == "GetFoundationModelAvailability"]
    ok(len(log) == 3 and overlap(log), "availability calls in parallel")
    aws.update({"models": {COHERE: {"agreement": "AVAILABLE"}}})


def test_profiles(aws):
    n = mark()
    rc, big, _ = call(aws, "--page-size", "1000", "list-profiles")
    total = len(big.get("profiles", []))
    ok(big["ok"] and total > PAGE and big.get("pages") == 1,
       "one big page", repr(big)[:300])
    rc, res, _ = call(aws, "list-profiles")
    ids = [p["id"] for p in res.get("profiles", [])]
    eq(sorted(ids), sorted(p["id"] for p in big.get("profiles", [])),
       "paginated listing gives the same profiles")
    eq(len(set(ids)), len(ids), "no profile twice")
    want_pages = math.ceil(total / PAGE)
    eq(res.get("pages"), want_pages, "every page followed")
    log = [e for e in since(aws, n) if e["op"] == "ListInferenceProfiles"]
    eq(len(log), 1 + want_pages, "one request per page")
    later = [json.dumps(e["query"]) for e in log[2:]]
    ok(later and all("nextToken" in q for q in later),
       "later pages send nextToken", repr(later))
    contains(json.dumps(log[0]["query"]), "maxResults", "maxResults sent")
    son = [p for p in res.get("profiles", []) if p["id"] == US_SONNET]
    eq(son and sorted(a.split(":")[3] for a in son[0]["models"]),
       ["us-east-1", "us-east-2", "us-west-2"],
       "destination Regions from models[].modelArn")
    n = mark()
    rc, res, _ = call(aws, "list-profiles", "APPLICATION")
    eq([(p["id"], p["type"]) for p in res.get("profiles", [])],
       [("standinapp01", "APPLICATION")], "type filter")
    contains(json.dumps(since(aws, n)[0]["query"]), "type",
             "filter sent as the query name type")

    rc, res, _ = call(aws, "get-profile", US_SONNET)
    eq(res.get("profile", {}).get("id"), US_SONNET, "GetInferenceProfile id")
    n = mark()
    rc, res, _ = call(aws, "get-profile", APP_ARN)
    eq(res.get("profile", {}).get("arn"), APP_ARN,
       "GetInferenceProfile by application-profile ARN")
    eq(since(aws, n)[0]["path"], "/inference-profiles/" +
       APP_ARN.replace(":", "%3A").replace("/", "%2F"),
       "profile ARN encoded once (%3A, %2F)")

    rc, res, _ = call(aws, "view", "111122223333", SONNET)
    eq((res.get("kind"), res.get("invoke_id"), res.get("destinations")),
       ("geo-profile", US_SONNET, ["us-east-1", "us-east-2", "us-west-2"]),
       "live view: a profile-only model resolves to its us. profile")
    eq(res.get("profiles"), total, "live view holds every profile page")
    rc, res, _ = call(aws, "--region", "eu-west-1", "view", "111122223333",
                      "anthropic.claude-3-7-sonnet-20250219-v1:0")
    eq((res.get("kind"), res.get("destinations")),
       ("geo-profile", ["eu-central-1", "eu-north-1", "eu-west-1",
                        "eu-west-3"]), "live view in eu-west-1")

    aws.update({"list_page_size": 1})
    rc, res, _ = call(aws, "list-profiles")
    eq((res.get("pages"), len(res.get("profiles", []))), (total, total),
       "page size 1: a page per profile")
    aws.update({"list_page_size": PAGE})


def test_agreements(aws):
    n = mark()
    rc, pub, _ = call(aws, "offers", COHERE)
    rc, allo, _ = call(aws, "offers", COHERE, "all")
    eq((len(pub.get("offers", [])), len(allo.get("offers", []))), (1, 2),
       "PUBLIC offers, then ALL with the private one")
    o = (pub.get("offers") or [{}])[0]
    eq((o.get("legal_url"), o.get("rates"), o.get("first_price")),
       ("https://example.com/cohere-eula", 2, "0.0030"),
       "legal term URL and rate card")
    qs = [json.dumps(e["query"]) for e in since(aws, n)]
    ok(len(qs) == 2 and "PUBLIC" in qs[0] and "ALL" in qs[1],
       "offerType sent", repr(qs))
    n = mark()
    rc, res, _ = call(aws, "create-agreement", COHERE,
                      allo["offers"][1]["offer_token"])
    ok(rc == 0 and res["ok"], "CreateFoundationModelAgreement", repr(res))
    eq([e["status"] for e in since(aws, n)], [202], "answered 202")
    rc, res, _ = call(aws, "create-agreement", COHERE, "bm9wZQ==")
    eq(err_of(res).get("code"), "ValidationException", "bad offer token")


def test_use_case(aws):
    rc, res, _ = call(aws, "get-use-case")
    eq((res["ok"], res.get("state"), res.get("form", {}).get("companyName")),
       (True, "submitted", "Example Corp"), "form already submitted")
    aws.update({"use_case_form": {"submitted": False}})
    rc, res, _ = call(aws, "get-use-case")
    eq((rc, res["ok"], res.get("state")), (0, True, "never-submitted"),
       "404 reported as never submitted, not as a failure")
    form = {"companyName": "Zoë's Lab", "companyWebsite":
            "https://github.com/zoe", "intendedUsers": "2",
            "industryOption": "Research", "otherIndustryOption": "",
            "useCases": "Trying models; \"quotes\" and\nnew lines."}
    n = mark()
    rc, res, _ = call(aws, "put-use-case", json.dumps(form))
    ok(rc == 0 and res["ok"], "PutUseCaseForModelAccess accepted by the "
       "stand-in (base64 + keys checked)", repr(res))
    eq([e["status"] for e in since(aws, n)], [201], "answered 201")
    rc, res, _ = call(aws, "get-use-case")
    eq(res.get("form"), form, "the form round-trips")
    n = mark()
    bad = dict(form, companyName="")
    rc, res, _ = call(aws, "put-use-case", json.dumps(bad))
    eq((err_of(res).get("kind"), err_of(res).get("where")),
       ("usage", "companyName"), "invalid form refused before sending")
    eq(since(aws, n), [], "nothing sent for an invalid form")
    rc, res, _ = call(aws, "put-use-case",
                      json.dumps(dict(form, useCases="x" * 8193)))
    eq(err_of(res).get("where"), "useCases", "useCases over 8192 refused")


# ---------------------------------------------------------------- runtime

def test_converse(aws):
    rc, res, _ = call(aws, "converse", US_SONNET, "Hi")
    eq((res["ok"], res.get("text"), res.get("stop_reason")),
       (True, "Hello from Claude Sonnet 4.5 in us-east-1.", "end_turn"),
       "Converse through a profile id")
    ok(res.get("total_tokens", -1) > 0 and res.get("latency_ms", -1) >= 0,
       "usage and latencyMs", repr(res))
    n = mark()
    rc, res, _ = call(aws, "--system", "be terse", "--temperature", "0",
                      "converse", MICRO, "first", "answer", "second one")
    eq(res.get("text"), "Nova Micro here: you said second one",
       "multi-turn history: the last user message is answered")
    eq(since(aws, n)[0]["path"], "/model/amazon.nova-micro-v1%3A0/converse",
       "model id encoded once in the path")
    rc, res, _ = call(aws, "--max-tokens", "2", "converse", MICRO, "Hi")
    eq((res.get("stop_reason"), res.get("output_tokens")), ("max_tokens", 2),
       "maxTokens sent and honoured")
    rc, res, _ = call(aws, "converse", "anthropic.claude-3-5-haiku-"
                      "20241022-v1:0", "Hi")
    ok(err_of(res).get("code") == "ValidationException" and
       "on-demand throughput" in err_of(res).get("message", ""),
       "on-demand error from a profile-only model", repr(res))
    arn = ("arn:aws:bedrock:us-east-1:111122223333:inference-profile/"
           + US_SONNET)
    rc, res, _ = call(aws, "converse", arn, "Hi")
    ok(res["ok"], "Converse through a profile ARN", repr(res))
    token = list(aws.scenario["bearer_tokens"])[0]
    n = mark()
    rc, res, _ = call(aws, "--bearer", "converse", MICRO, "Hi",
                      env=driver_env(aws, AWS_BEARER_TOKEN_BEDROCK=token))
    ok(res["ok"] and since(aws, n)[0]["auth"] == "bearer",
       "bearer token instead of SigV4", repr(res))


def test_stream(aws):
    for mode in ("stream", "stream-driven"):
        rc, res, pieces = call(aws, mode, MICRO, "one two three")
        eq((res["ok"], "".join(p["piece"] for p in pieces)),
           (True, res.get("text")), mode + ": pieces make the reply")
        ok(len(pieces) > 3 and res.get("pieces") == len(pieces),
           mode + ": text arrives in pieces", repr(pieces))
        eq(res.get("stop_reason"), "end_turn", mode + ": stop reason")
        ok(res.get("output_tokens", -1) > 0, mode + ": usage from metadata")

    delay = 150
    aws.update({"stream": {"chunk_delay_ms": delay}})
    for mode in ("stream", "stream-driven"):
        rc, res, pieces = call(aws, mode, MICRO, "one two three")
        t = [p["t_ms"] for p in pieces]
        ok(len(t) >= 4 and t[-1] - t[0] >= 0.7 * delay * (len(t) - 1),
           mode + ": first piece well before the last (not buffered)",
           repr(t))
        ok(all(b >= a for a, b in zip(t, t[1:])), mode + ": in order")
        ok(0 <= res.get("first_text_ms", -1) <= t[0] + 1 and
           res.get("total_ms", 0) >= t[-1],
           mode + ": time to first text measured", repr(res))
    rc, res, pieces = call(aws, "--cancel-after", "2", "stream-driven",
                           MICRO, "one two three")
    ok(err_of(res).get("kind") == "cancelled" and res.get("cancelled"),
       "cancel from the loop stops the reply", repr(res))
    eq(res.get("text"), "".join(p["piece"] for p in pieces),
       "text so far kept on cancel")
    ok(2 <= len(pieces) < 6, "cancelled before the end", repr(pieces))
    aws.update({"stream": {"chunk_delay_ms": 0}})


def test_stream_faults(aws):
    for etype in ("throttlingException", "validationException",
                  "modelStreamErrorException", "internalServerException"):
        aws.add_fault({"action": "stream_exception", "op": "ConverseStream",
                       "exception": etype, "after_frames": 3})
        rc, res, pieces = call(aws, "stream", MICRO, "a b c d e")
        e = err_of(res)
        eq((rc, e.get("kind"), e.get("code")),
           (1, "aws", etype[0].upper() + etype[1:]),
           etype + " inside HTTP 200 is a failed call")
        ok(e.get("message"), etype + ": message from the payload", repr(e))
        eq(res.get("text"), "".join(p["piece"] for p in pieces),
           etype + ": text before it kept")
    aws.add_fault({"action": "stream_exception", "op": "ConverseStream",
                   "exception": "modelStreamErrorException",
                   "original_status": 503,
                   "original_message": "model says no"})
    rc, res, _ = call(aws, "stream", MICRO, "a b c")
    contains(err_of(res).get("message", ""), "503: model says no",
             "modelStreamErrorException keeps the model's own message")
    aws.add_fault({"action": "oversized", "op": "ConverseStream", "mib": 1})
    rc, res, _ = call(aws, "stream", MICRO, "a b c")
    ok(res["ok"] and len(res.get("text", "")) > 1 << 20,
       "a 1 MiB piece of text is taken", repr(res)[:300])
    aws.add_fault({"action": "oversized", "op": "ConverseStream",
                   "mib": 17})
    rc, res, _ = call(aws, "stream", MICRO, "a b c")
    eq(err_of(res).get("kind"), "limit", "a reply past 16 MiB is refused")
    aws.add_fault({"action": "oversized", "op": "Converse", "mib": 1})
    rc, res, _ = call(aws, "converse", MICRO, "Hi")
    eq((res["ok"], res.get("text")), (True, "Nova Micro here: you said Hi"),
       "Converse ignores unknown top-level fields (1 MiB padding)")
    aws.add_fault({"action": "invalid_json", "op": "Converse"})
    rc, res, _ = call(aws, "converse", MICRO, "Hi")
    eq(err_of(res).get("kind"), "protocol", "Converse: cut JSON body")
    aws.add_fault({"action": "stream_exception", "op": "ConverseStream",
                   "exception": "throttlingException", "after_frames": 2,
                   "message": "Too many tokens, please wait before trying "
                   "again."})
    rc, res, _ = call(aws, "stream-driven", MICRO, "a b c")
    eq((err_of(res).get("code"), err_of(res).get("message")),
       ("ThrottlingException", "Too many tokens, please wait before trying "
        "again."), "driven mode: exception frame with its message")
    aws.add_fault({"action": "truncate_stream", "op": "ConverseStream",
                   "after_frames": 3})
    rc, res, _ = call(aws, "stream", MICRO, "a b c d e")
    eq((rc, err_of(res).get("kind")), (1, "protocol"),
       "truncated stream is an error")
    aws.add_fault({"action": "bad_crc", "op": "ConverseStream", "frame": 2})
    rc, res, _ = call(aws, "stream", MICRO, "a b c d e")
    eq((rc, err_of(res).get("kind")), (1, "protocol"),
       "corrupt CRC is an error")
    aws.add_fault({"action": "invalid_json", "op": "ConverseStream",
                   "frame": 2})
    rc, res, _ = call(aws, "stream", MICRO, "a b c")
    eq(err_of(res).get("kind"), "protocol", "broken JSON payload")
    aws.add_fault({"action": "reset", "op": "ConverseStream",
                   "after_frames": 2})
    rc, res, _ = call(aws, "stream", MICRO, "a b c")
    ok(rc == 1 and err_of(res).get("kind") in ("network", "protocol"),
       "reset mid-stream is an error", repr(res))

    for op, mode in (("Converse", "converse"), ("ConverseStream", "stream")):
        aws.add_fault({"action": "throttle", "op": op, "count": 2})
        n = mark()
        rc, res, _ = call(aws, "--attempts", "4", mode, MICRO, "Hi")
        ok(rc == 0 and res["ok"], op + ": throttled twice, then success "
           "through retries", repr(res))
        eq([(e["status"], e["error"]) for e in since(aws, n)],
           [(429, "ThrottlingException")] * 2 + [(200, None)],
           op + ": the log shows the retries")
    aws.add_fault({"action": "throttle", "op": "ConverseStream",
                   "count": 5})
    rc, res, _ = call(aws, "--attempts", "2", "stream", MICRO, "Hi")
    eq((err_of(res).get("code"), err_of(res).get("http_status")),
       ("ThrottlingException", 429), "retries run out: the 429 is reported")
    aws.update({"faults": []})


def test_snippets(aws):
    rc, res, _ = call(aws, "--region", "us-east-1", "--max-tokens", "50",
                      "--system", "Don't ramble", "snippet", MICRO,
                      "It's $HOME `now`", "ok", "again 'quoted'")
    ok(res.get("ok"), "snippets built", repr(res))
    argv = shlex.split(res.get("cli", ""))
    eq(argv[:5], ["aws", "bedrock-runtime", "converse", "--model-id", MICRO],
       "CLI command words")
    opts = dict(zip(argv[3::2], argv[4::2]))
    body = json.loads(res.get("body", "{}"))
    eq(json.loads(opts.get("--messages", "null")), body.get("messages"),
       "--messages survives shell quoting")
    eq(json.loads(opts.get("--system", "null")), body.get("system"),
       "--system survives shell quoting")
    eq(json.loads(opts.get("--inference-config", "null")),
       {"maxTokens": 50}, "--inference-config has only what is set")
    eq(opts.get("--region"), "us-east-1", "--region")
    py = res.get("boto3", "")
    try:
        compile(py, "snippet.py", "exec")
        compiled = True
    except SyntaxError as e:
        compiled = repr(e)
    eq(compiled, True, "boto3 snippet is valid Python")
    try:
        import boto3
        have = "bedrock-runtime" in boto3.session.Session() \
            .get_available_services()
    except ImportError:
        have = False
    if not have:
        skip("boto3 snippet runs against the stand-in",
             "no boto3 with the Bedrock models in %s" % sys.executable)
        return
    env = driver_env(aws, AWS_CONFIG_FILE=os.devnull,
                     AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    p = subprocess.run([sys.executable, "-c", py], env=env,
                       capture_output=True, text=True, timeout=60)
    eq(p.stdout.strip(), "Nova Micro here: you said again 'quoted'",
       "boto3 snippet runs against the stand-in and gets the reply")


def main():
    if DRIVER is None:
        print("Bail out! bedrock-call not found (give its path, or set "
              "BEDROCK_CALL or BS_BUILDDIR)")
        sys.exit(1)
    diag("python %s, botocore %s, driver %s" % (
        sys.version.split()[0], botocore.__version__, DRIVER))
    sc = load_scenario("happy")
    sc["list_page_size"] = PAGE
    sc["models"][COHERE]["offers"] = [
        {"offerId": "offer-pub", "offerToken": "cHVibGljLW9mZmVy",
         "termDetails": {
             "usageBasedPricingTerm": {"rateCard": [
                 {"dimension": "input", "price": "0.0030",
                  "description": "per 1K input tokens", "unit": "1K"},
                 {"dimension": "output", "price": "0.0150",
                  "description": "per 1K output tokens", "unit": "1K"}]},
             "legalTerm": {"url": "https://example.com/cohere-eula"},
             "supportTerm": {"refundPolicyDescription": "none"}}},
        {"offerId": "offer-priv", "offerToken": "cHJpdmF0ZS1vZmZlcg==",
         "private": True,
         "termDetails": {
             "usageBasedPricingTerm": {"rateCard": []},
             "legalTerm": {"url": "https://example.com/private"},
             "supportTerm": {"refundPolicyDescription": "none"}}}]
    with StandIn(sc).start() as aws:
        t0 = time.time()
        test_models(aws)
        test_availability(aws)
        test_profiles(aws)
        test_agreements(aws)
        test_use_case(aws)
        test_converse(aws)
        test_stream(aws)
        test_stream_faults(aws)
        test_snippets(aws)
        bad = [e for e in aws.requests() if e.get("sig_ok") is False]
        eq(bad, [], "every signature verified")
        diag("%.1f s" % (time.time() - t0))
    bstest.done()


if __name__ == "__main__":
    main()
