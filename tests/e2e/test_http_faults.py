#!/usr/bin/env python3
"""Fault tests of the HTTP layer (src/core/http.c) against the stand-in.

Each check runs the test driver aws-call (tests/unit/aws_call.c, one JSON
line per call) against the loopback stand-in, or against a port nobody
listens on, a name that cannot resolve, or a tiny local TLS server, and
checks both sides: what the layer reported (ok, status, attempts, error
kind/code/message) and what arrived at the server (how many requests,
their faults and timing).  Every run must end by itself, within a bound,
with exit status 0 or 1 and valid JSON: no hang, no crash.

Environment: BS_BUILDDIR (default: cwd) for tests/unit/aws-call, or
BS_AWS_CALL for another build of it (an ASan one, say); BS_AWS_CALL_WRAP,
a command to run it under (valgrind); BS_PYTHON.
The stand-in uses botocore when it has it; the script re-executes itself
with an interpreter that has botocore ($BS_PYTHON, python3 on PATH,
/usr/bin/python3) and runs on the stand-in's built-in verifier otherwise.
"""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
STANDIN_DIR = os.path.join(os.path.dirname(HERE), "stand-in")


def _has_botocore(python):
    try:
        return subprocess.run([python, "-c", "import botocore.auth"],
                              capture_output=True, timeout=60
                              ).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _pick_interpreter():
    """Re-exec once with an interpreter that has botocore, if this one
    has none and another does."""
    if os.environ.get("BS_HTTP_FAULTS_CHILD") or _has_botocore(
            sys.executable):
        return
    import shutil
    for cand in (os.environ.get("BS_PYTHON"), shutil.which("python3"),
                 "/usr/bin/python3"):
        if not cand or not os.path.exists(cand) or \
                os.path.realpath(cand) == os.path.realpath(sys.executable):
            continue
        if _has_botocore(cand):
            os.environ["BS_HTTP_FAULTS_CHILD"] = "1"
            sys.stdout.flush()
            os.execv(cand, [cand, os.path.abspath(__file__)] + sys.argv[1:])


_pick_interpreter()

sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
sys.path.insert(0, STANDIN_DIR)

import json  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import ssl  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

import bstest  # noqa: E402
from bstest import contains, diag, eq, ok, skip  # noqa: E402

try:
    from standin import StandIn
    from fakeaws import sigv4 as standin_sigv4
except Exception as e:  # noqa: BLE001
    bstest.skip_all("the stand-in cannot be imported: %s" % e)

LIST = "/foundation-models"
LIST_OP = "ListFoundationModels"
SESSION_KEY = "ASIASTANDINSESSION01"


def aws_call_path():
    p = os.environ.get("BS_AWS_CALL") or os.path.join(
        bstest.builddir(), "tests", "unit", "aws-call")
    if not os.access(p, os.X_OK):
        bstest.skip_all("aws-call not found at %s (build it: make "
                        "tests/unit/aws-call; set BS_BUILDDIR)" % p)
    return p


AWS_CALL = aws_call_path()
# A command to run aws-call under, e.g. "valgrind -q --error-exitcode=99".
WRAP = os.environ.get("BS_AWS_CALL_WRAP", "").split()


class Run:
    """One aws-call run: its JSON result, stderr and wall-clock time."""

    def __init__(self, args, proc, wall, hung=False):
        self.args = args
        self.proc = proc
        self.wall = wall
        self.hung = hung
        self.rc = None if hung else proc.returncode
        self.stdout = "" if hung else proc.stdout
        self.stderr = "" if hung else proc.stderr
        self.json = None
        try:
            self.json = json.loads(self.stdout)
        except ValueError:
            pass
        j = self.json if isinstance(self.json, dict) else {}
        self.ok = j.get("ok")
        self.status = j.get("status")
        self.attempts = j.get("attempts")
        e = j.get("error") or {}
        self.kind = e.get("kind")
        self.code = e.get("code")
        self.message = e.get("message") or ""

    def show(self):
        return "args: %s\nrc: %s  wall: %.2fs  hung: %s\nstdout: %s\n" \
               "stderr (end): %s" % (" ".join(self.args), self.rc,
                                     self.wall, self.hung, self.stdout,
                                     self.stderr[-2000:])


def make_env(access_key, secret, token=None):
    env, _ = bstest.clean_env()
    for k in list(env):
        if k.lower() in ("http_proxy", "https_proxy", "all_proxy",
                         "no_proxy"):
            del env[k]
    env["AWS_ACCESS_KEY_ID"] = access_key
    env["AWS_SECRET_ACCESS_KEY"] = secret
    if token:
        env["AWS_SESSION_TOKEN"] = token
    return env


def client_env(aws):
    c = aws.scenario["client"]
    return make_env(c["access_key_id"], c["secret_access_key"])


def call(endpoint, args, env, limit=60):
    """Run aws-call; never waits more than limit seconds."""
    argv = WRAP + [AWS_CALL, "--endpoint", endpoint] + list(args)
    t0 = time.monotonic()
    try:
        proc = subprocess.run(argv, env=env, capture_output=True, text=True,
                              timeout=limit)
    except subprocess.TimeoutExpired:
        return Run(argv, None, time.monotonic() - t0, hung=True)
    return Run(argv, proc, time.monotonic() - t0)


def sane(r, name):
    """The run ended by itself, did not crash, and printed one JSON value."""
    bad = [w for w in ("AddressSanitizer", "runtime error:",
                       "LeakSanitizer", "==ERROR", "Invalid read",
                       "Invalid write", "uninitialised", "definitely lost")
           if w in r.stderr]
    return ok(not r.hung and r.rc in (0, 1) and r.json is not None
              and not bad, "%s: ends cleanly with JSON" % name, r.show)


def wait_log(aws, n, limit=15.0):
    """The stand-in's log once it holds n finished entries (or at limit)."""
    deadline = time.monotonic() + limit
    while True:
        log = [e for e in aws.requests() if e.get("time_end") is not None]
        if len(log) >= n or time.monotonic() > deadline:
            return log
        time.sleep(0.05)


def settle(aws, n, quiet=0.3):
    """The log after it has n entries and nothing new came for quiet s."""
    log = wait_log(aws, n)
    while True:
        time.sleep(quiet)
        again = aws.requests()
        if len(again) == len(log):
            return again
        log = again


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def faults_of(log):
    return [(e.get("fault") or {}).get("action") for e in log]


def standin(faults=(), patch=None):
    aws = StandIn("happy")
    if patch:
        aws.update(patch)
    for f in faults:
        aws.add_fault(f)
    return aws.start()


# ---------------------------------------------------------------- checks

def t_refused():
    port = free_port()
    aws = standin()
    try:
        env = client_env(aws)
        r = call("http://127.0.0.1:%d" % port,
                 ["--attempts", "4", "--trace", "get", "bedrock", LIST], env)
        sane(r, "refused")
        eq((r.ok, r.status, r.kind), (False, 0, "network"),
           "refused: not ok, no status, kind network")
        contains(r.message, "127.0.0.1:%d" % port,
                 "refused: message names host:port")
        eq(r.attempts, 4, "refused: retried up to --attempts 4")
        eq(r.stderr.count("!! retrying"), 3,
           "refused: trace shows 3 retries")
        contains(r.message, "after 4 attempts",
                 "refused: message says retrying did not help")
        eq(len(aws.requests()), 0, "refused: the stand-in saw nothing")
    finally:
        aws.stop()


def t_dns():
    env = make_env("AKIAEXAMPLE000000000", "x" * 40)
    host = "bedrock.us-east-1.no-such-host.invalid"
    r = call("https://" + host, ["get", "bedrock", LIST], env)
    sane(r, "dns")
    eq((r.ok, r.kind), (False, "network"), "dns: kind network")
    contains(r.message, "DNS", "dns: message says DNS")
    contains(r.message, host, "dns: message names the host")
    ok(r.attempts >= 1 and r.attempts <= 3, "dns: at most 3 attempts",
       r.show)


class TinyServer:
    """A one-thread loopback TLS server with the given certificate that
    answers any request with a fixed HTTP 200.  It counts connections and
    completed handshakes."""

    def __init__(self, cert, key):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.handshakes = 0
        self.handshake_errors = []
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(cert, key)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.connections += 1
            conn.settimeout(5)
            try:
                self._serve(conn)
            except (OSError, ssl.SSLError) as e:
                self.handshake_errors.append(str(e))
            finally:
                conn.close()

    def _serve(self, conn):
        t = self.ctx.wrap_socket(conn, server_side=True)
        self.handshakes += 1
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = t.recv(4096)
            if not chunk:
                return
            data += chunk
        t.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")
        t.close()

    def stop(self):
        self.stopping.set()
        self.thread.join(5)
        self.sock.close()


def t_tls():
    aws = standin()
    try:
        env = client_env(aws)
        r = call("https://127.0.0.1:%d" % aws.port,
                 ["--connect-timeout-ms", "3000", "get", "bedrock", LIST],
                 env)
        sane(r, "tls to a plain port")
        eq((r.ok, r.kind, r.attempts), (False, "tls", 1),
           "https:// to the stand-in's plain port: kind tls, not retried")
        contains(r.message, "AWS_CA_BUNDLE",
                 "tls to a plain port: message mentions AWS_CA_BUNDLE")
        contains(r.message, "127.0.0.1:%d" % aws.port,
                 "tls to a plain port: message names host:port")
        time.sleep(0.2)
        eq(aws.requests(), [], "tls to a plain port: no AWS request "
           "reached the stand-in (the ClientHello is not one)")
    finally:
        aws.stop()

    if shutil.which("openssl") is None:
        skip("tls self-signed", "no openssl program to make certificates")
        return
    folder = tempfile.mkdtemp(prefix="bs-tls-")
    try:
        cert, key = bstest.make_cert(folder, "standin-server")
        other, _ = bstest.make_cert(folder, "unrelated-ca")
        srv = TinyServer(cert, key)
        try:
            url = "https://127.0.0.1:%d" % srv.port
            r = call(url, ["--ca-bundle", other, "get", "bedrock", LIST],
                     env)
            good = call(url, ["--ca-bundle", cert, "get", "bedrock", LIST],
                        env)
        finally:
            srv.stop()
        sane(r, "tls self-signed")
        eq((r.ok, r.kind, r.attempts), (False, "tls", 1),
           "tls self-signed, unrelated bundle: kind tls, not retried")
        contains(r.message, "AWS_CA_BUNDLE",
                 "tls self-signed: message mentions AWS_CA_BUNDLE")
        contains(r.message, "127.0.0.1:%d" % srv.port,
                 "tls self-signed: message names host:port")
        sane(good, "tls with the right bundle")
        eq((good.ok, good.status), (True, 200),
           "tls with the server's own cert as bundle: ok (control)")
        eq(srv.connections, 2, "tls: the server saw two connections")
        eq(srv.handshakes, 1, "tls: only the control finished a handshake")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def t_timeout():
    stall = [{"action": "stall", "op": LIST_OP, "seconds": 20,
              "count": "always"}]
    aws = standin(stall)
    try:
        r = call(aws.url, ["--timeout-ms", "400", "--attempts", "1", "get",
                           "bedrock", LIST], client_env(aws), limit=30)
        sane(r, "timeout")
        eq((r.ok, r.kind, r.attempts), (False, "timeout", 1),
           "timeout: kind timeout after one attempt")
        contains(r.message, "127.0.0.1:%d" % aws.port,
                 "timeout: message names host:port")
        ok(r.wall < 0.4 + 5, "timeout: ended in %.2f s (< 5.4 s, stall "
           "is 20 s)" % r.wall, r.show)
    finally:
        aws.stop()        # cuts the stall short, so the log completes
    eq(faults_of(wait_log(aws, 1)), ["stall"],
       "timeout: the stand-in saw one (stalled) request")

    aws = standin(stall)
    try:
        env = client_env(aws)
        r = call(aws.url, ["--timeout-ms", "400", "get", "bedrock", LIST],
                 env, limit=30)
        sane(r, "timeout retried")
        eq((r.ok, r.kind, r.attempts), (False, "timeout", 3),
           "timeout, default attempts: tried 3 times")
        contains(r.message, "after 3 attempts",
                 "timeout: message says retrying did not help")
        ok(r.wall < 3 * 0.4 + 6, "timeout x3: ended in %.2f s" % r.wall,
           r.show)
    finally:
        aws.stop()
    log = wait_log(aws, 3)
    eq(len(log), 3, "timeout: the stand-in saw 3 requests")
    eq(faults_of(log), ["stall"] * 3, "timeout: each one stalled")
    starts = sorted(e["time_start"] for e in log)
    ok(all(b - a >= 0.35 for a, b in zip(starts, starts[1:])),
       "timeout: each retry came after the previous attempt timed out",
       lambda: "starts: %r" % starts)


def stream_path(aws):
    model = aws.scenario["client"]["model"]
    return "/model/%s/converse-stream" % model.replace(":", "%3A")


STREAM_BODY = json.dumps({"messages": [{"role": "user", "content": [
    {"text": "tell me a story of about twenty words, please"}]}]})


def t_stream_stall():
    aws = standin([{"action": "stall", "op": "ConverseStream",
                    "after_frames": 2, "seconds": 20}])
    try:
        r = call(aws.url, ["--stall-ms", "1000", "stream", stream_path(aws),
                           STREAM_BODY], client_env(aws), limit=30)
        sane(r, "stream stall")
        eq((r.ok, r.kind, r.attempts), (False, "timeout", 1),
           "stream stalls mid-way: timeout, not retried")
        ok((r.json or {}).get("streamed", 0) > 0,
           "stream stall: bytes were delivered first", r.show)
        # curl judges "too slow" on a speed averaged over ~5 s, so a stall
        # is noticed some seconds late; this only proves it ends.
        ok(r.wall < 1 + 12, "stream stall: ended in %.2f s (stall is 20 s)"
           % r.wall, r.show)
        off = (r.json or {}).get("clock_offset")
        ok(off is not None and abs(off) <= 2, "stream stall: clock_offset "
           "%s, measured when the headers came, not at the end" % off,
           r.show)
    finally:
        aws.stop()
    log = wait_log(aws, 1)
    eq(len(log), 1, "stream stall: the stand-in saw one request")


def t_reset():
    aws = standin([{"action": "reset", "op": LIST_OP, "count": 1}])
    try:
        env = client_env(aws)
        r = call(aws.url, ["get", "bedrock", LIST], env)
        sane(r, "reset once")
        eq((r.ok, r.status, r.attempts), (True, 200, 2),
           "reset mid-body once: retried, ok on attempt 2")
        log = settle(aws, 2)
        eq([e["op"] for e in log], [LIST_OP] * 2,
           "reset once: the stand-in saw 2 requests")
        eq(faults_of(log), ["reset", None], "reset once: first was reset")

        aws.clear_requests()
        aws.add_fault({"action": "reset", "op": LIST_OP, "count": "always"})
        r = call(aws.url, ["get", "bedrock", LIST], env)
        sane(r, "reset always")
        eq((r.ok, r.kind, r.attempts), (False, "network", 3),
           "reset always: kind network after 3 attempts")
        contains(r.message, "127.0.0.1:%d" % aws.port,
                 "reset: message names host:port")
        eq(len(settle(aws, 3)), 3, "reset always: the stand-in saw 3")

        aws.clear_requests()
        aws.add_fault({"action": "reset", "op": "ConverseStream",
                       "after_frames": 3})
        r = call(aws.url, ["stream", stream_path(aws), STREAM_BODY], env)
        sane(r, "reset stream")
        eq((r.ok, r.kind, r.attempts), (False, "network", 1),
           "reset mid-stream: kind network, NOT retried")
        streamed = (r.json or {}).get("streamed", 0)
        ok(streamed > 0 and r.stderr.count("chunk ") >= 3,
           "reset mid-stream: bytes were delivered before the reset",
           r.show)
        log = settle(aws, 1)
        eq([e["op"] for e in log], ["ConverseStream"],
           "reset mid-stream: the stand-in saw exactly one request")
    finally:
        aws.stop()


def t_oversized():
    aws = standin([{"action": "oversized", "op": LIST_OP, "mib": 1,
                    "count": "always"}])
    try:
        env = client_env(aws)
        r = call(aws.url, ["--max-body", "65536", "get", "bedrock", LIST],
                 env)
        sane(r, "oversized")
        eq((r.ok, r.kind, r.attempts), (False, "limit", 1),
           "oversized body: kind limit, not retried")
        ok("65536 bytes" in r.message and "127.0.0.1:%d" % aws.port in
           r.message, "oversized: message names the host and the limit "
           "(65536 bytes)", r.show)
        ok(r.json.get("body_len", 0) <= 65536,
           "oversized: no more than --max-body was kept", r.show)
        eq(len(settle(aws, 1)), 1, "oversized: the stand-in saw 1 request")

        aws.clear_requests()
        aws.add_fault({"action": "oversized", "op": "GetFoundationModel",
                       "mib": 17})
        r = call(aws.url, ["get", "bedrock",
                           "/foundation-models/amazon.nova-lite-v1%3A0"],
                 env)
        sane(r, "oversized default")
        eq((r.ok, r.kind), (False, "limit"),
           "oversized 17 MiB, default cap: kind limit")
        contains(r.message, "16 MiB", "oversized default: names 16 MiB")
    finally:
        aws.stop()


def t_malformed():
    aws = standin()
    try:
        env = client_env(aws)
        aws.add_fault({"action": "empty_error", "op": LIST_OP, "status": 500,
                       "count": "always"})
        r = call(aws.url, ["get", "bedrock", LIST], env)
        sane(r, "empty error body")
        eq((r.ok, r.status, r.kind, r.code), (False, 500, "aws", "HTTP500"),
           "empty 500 body: kind aws, code HTTP500")
        ok("500" in r.message and "empty" in r.message,
           "empty body: message says HTTP 500 and empty", r.show)
        eq(r.attempts, 3, "empty 500: retried (a 5xx)")
        eq(len(settle(aws, 3)), 3, "empty 500: the stand-in saw 3")

        aws.set_scenario("happy")
        aws.clear_requests()
        aws.add_fault({"action": "html_error", "op": LIST_OP, "status": 502,
                       "count": "always"})
        r = call(aws.url, ["--attempts", "2", "get", "bedrock", LIST], env)
        sane(r, "html error body")
        eq((r.ok, r.status, r.kind, r.code), (False, 502, "aws", "HTTP502"),
           "HTML 502 page: kind aws, code HTTP502")
        ok("502 Bad Gateway" in r.message and "<" not in r.message,
           "HTML page: message carries the page title, no markup", r.show)
        eq(r.attempts, 2, "HTML 502: retried up to --attempts 2")
        eq(len(settle(aws, 2)), 2, "HTML 502: the stand-in saw 2")

        aws.set_scenario("happy")
        aws.clear_requests()
        aws.add_fault({"action": "invalid_json", "op": LIST_OP, "status": 400,
                       "code": "ValidationException",
                       "message": "1 validation error detected: something "
                                  "long enough to be cut"})
        r = call(aws.url, ["get", "bedrock", LIST], env)
        sane(r, "invalid JSON error body")
        eq((r.ok, r.status, r.kind, r.code),
           (False, 400, "aws", "ValidationException"),
           "invalid JSON 400 body: kind aws, code from x-amzn-ErrorType")
        ok("HTTP 400" in r.message and "1 validation" in r.message,
           "invalid JSON: message names the status and shows the text",
           r.show)
        eq(r.attempts, 1, "invalid JSON 400: not retried")
        ok(re.match(r"^[0-9a-f-]{36}$",
                    (r.json.get("error") or {}).get("request_id") or ""),
           "invalid JSON: request id kept from the header", r.show)
        log = settle(aws, 1)
        eq([(e["status"], faults_of([e])[0]) for e in log],
           [(400, "invalid_json")], "invalid JSON: the stand-in saw 1")
    finally:
        aws.stop()


def t_throttle():
    aws = standin([{"action": "throttle", "op": LIST_OP, "count": 2}])
    try:
        env = client_env(aws)
        r = call(aws.url, ["get", "bedrock", LIST], env)
        sane(r, "throttle twice")
        eq((r.ok, r.status, r.attempts), (True, 200, 3),
           "throttled twice: ok with attempts 3")
        log = settle(aws, 3)
        eq([e["status"] for e in log], [429, 429, 200],
           "throttled twice: the stand-in answered 429, 429, 200")

        aws.clear_requests()
        aws.add_fault({"action": "throttle", "op": LIST_OP,
                       "count": "always"})
        r = call(aws.url, ["get", "bedrock", LIST], env)
        sane(r, "throttle forever")
        eq((r.ok, r.status, r.code, r.attempts),
           (False, 429, "ThrottlingException", 3),
           "throttled forever: ThrottlingException after 3 attempts")
        contains(r.message, "still failing after 3 attempts",
                 "throttled forever: message says so")
        log = settle(aws, 3)
        eq([e["error"] for e in log], ["ThrottlingException"] * 3,
           "throttled forever: the stand-in saw exactly 3 requests")
    finally:
        aws.stop()


def t_status_codes():
    aws = standin()
    try:
        env = client_env(aws)
        for status in (500, 502, 503, 504):
            aws.set_scenario("happy")
            aws.clear_requests()
            aws.add_fault({"action": "error", "op": LIST_OP,
                           "status": status})
            r = call(aws.url, ["get", "bedrock", LIST], env)
            sane(r, "%d once" % status)
            eq((r.ok, r.status, r.attempts), (True, 200, 2),
               "%d once then success: ok, attempts 2" % status)
            eq([e["status"] for e in settle(aws, 2)], [status, 200],
               "%d once: the stand-in answered %d then 200"
               % (status, status))
        codes = {400: "ValidationException", 403: "AccessDeniedException",
                 404: "ResourceNotFoundException"}
        for status, code in sorted(codes.items()):
            aws.set_scenario("happy")
            aws.clear_requests()
            aws.add_fault({"action": "error", "op": LIST_OP,
                           "status": status, "code": code,
                           "message": "injected %d" % status})
            r = call(aws.url, ["get", "bedrock", LIST], env)
            sane(r, "%d" % status)
            eq((r.ok, r.status, r.kind, r.code, r.attempts),
               (False, status, "aws", code, 1),
               "%d %s: not retried" % (status, code))
            eq(r.message, "injected %d" % status,
               "%d: message from the body" % status)
            eq(len(settle(aws, 1)), 1, "%d: the stand-in saw 1" % status)
    finally:
        aws.stop()


def t_signature():
    aws = standin()
    try:
        c = aws.scenario["client"]
        bad = make_env(c["access_key_id"], c["secret_access_key"][:-1] + "X")
        r = call(aws.url, ["get", "bedrock", LIST], bad)
        sane(r, "wrong secret")
        eq((r.ok, r.status, r.code, r.attempts),
           (False, 403, "InvalidSignatureException", 1),
           "wrong secret (Bedrock): InvalidSignatureException, not retried")
        log = settle(aws, 1)
        eq([(e["sig_ok"], e["error"]) for e in log],
           [(False, "InvalidSignatureException")],
           "wrong secret: one request, signature rejected")

        aws.clear_requests()
        r = call(aws.url, ["identity"], bad)
        sane(r, "wrong secret sts")
        eq((r.ok, r.code), (False, "SignatureDoesNotMatch"),
           "wrong secret (STS): SignatureDoesNotMatch")
        eq([e["error"] for e in settle(aws, 1)], ["SignatureDoesNotMatch"],
           "wrong secret (STS): the stand-in saw one request")

        env = client_env(aws)
        for offset in (120, -90):
            aws.set_clock_offset(offset)
            r = call(aws.url, ["get", "bedrock", LIST], env)
            sane(r, "clock %+d" % offset)
            got = (r.json or {}).get("clock_offset")
            ok(r.ok and got is not None and abs(got - offset) <= 2,
               "stand-in clock %+d s: ok, clock_offset %s" % (offset, got),
               r.show)
        aws.set_clock_offset(1200)
        aws.clear_requests()
        r = call(aws.url, ["get", "bedrock", LIST], env)
        sane(r, "clock +1200")
        got = (r.json or {}).get("clock_offset")
        ok(got is not None and abs(got - 1200) <= 2,
           "stand-in clock 20 min ahead: clock_offset %s" % got, r.show)
        eq((r.ok, r.code, r.attempts),
           (False, "InvalidSignatureException", 1),
           "20 min skew: signature rejected, not retried")
        contains(r.message, "Signature expired",
                 "20 min skew: AWS's message")
        eq(len(settle(aws, 1)), 1, "20 min skew: the stand-in saw 1")
    finally:
        aws.stop()


def t_batch():
    n = 6
    aws = standin(patch={"regions": {"us-east-1": {"latency_ms": 400}}})
    try:
        r = call(aws.url, ["many", str(n), "bedrock", LIST], client_env(aws))
        ok(not r.hung and r.rc == 0 and isinstance(r.json, list),
           "batch: ends cleanly with a JSON array", r.show)
        res = r.json if isinstance(r.json, list) else []
        eq([(x.get("ok"), x.get("status")) for x in res], [(True, 200)] * n,
           "batch: %d answers, all ok" % n)
        log = settle(aws, n)
        eq(len(log), n, "batch: the stand-in saw %d requests" % n)
        first_end = min(e["time_end"] for e in log)
        ok(all(e["time_start"] < first_end for e in log),
           "batch: every request started before the first one ended "
           "(they ran in parallel)",
           lambda: "\n".join("%.3f .. %.3f" % (e["time_start"],
                                                e["time_end"])
                             for e in log))
    finally:
        aws.stop()


def _trace_requests(stderr):
    """(method, url, {header: value}) of each attempt in a trace."""
    out = []
    for line in stderr.splitlines():
        m = re.match(r"^-> (\S+) (\S+)  \[", line)
        if m:
            out.append((m.group(1), m.group(2), []))
            continue
        m = re.match(r"^   > ([^:]+): (.*)$", line)
        if m and out:
            out[-1][2].append((m.group(1), m.group(2)))
    return out


def t_trace():
    aws = standin([{"action": "throttle", "op": LIST_OP, "count": 1}])
    try:
        cred = [x for x in aws.scenario["credentials"]
                if x["access_key_id"] == SESSION_KEY][0]
        secret, token = cred["secret_access_key"], cred["session_token"]
        env = make_env(SESSION_KEY, secret, token)
        r = call(aws.url, ["--trace", "get", "bedrock", LIST + "?byProvider="
                           "Amazon"], env)
        sane(r, "trace")
        eq((r.ok, r.attempts), (True, 2), "trace run: ok after one retry")
        t = r.stderr
        contains(t, "-> GET %s%s?byProvider=Amazon" % (aws.url, LIST),
                 "trace: method and URL")
        contains(t, "<- 429", "trace: the 429 status")
        contains(t, "<- 200", "trace: the 200 status")
        contains(t, "!! retrying", "trace: a retry line")
        ok(secret not in t, "trace: no secret access key")
        ok(token not in t and token[:16] not in t, "trace: no session token")
        ok(re.search(r"x-amz-security-token: \*\*\*\*", t, re.I),
           "trace: the session token header is masked", lambda: t)
        sigs = re.findall(r"Signature=([^,\s]*)", t)
        ok(len(sigs) == 2 and all(s == "****" for s in sigs),
           "trace: Signature= is followed by **** (twice)",
           lambda: repr(sigs))
        log = settle(aws, 2)
        eq([e["sig_ok"] for e in log], [True, True],
           "trace: the stand-in verified both signatures")
        # Recompute each signature from the traced request and the secret,
        # as the stand-in did, and make sure it never shows.
        computed = []
        for method, url, headers in _trace_requests(t):
            h = dict((k.lower(), v) for k, v in headers)
            h["x-amz-security-token"] = token
            auth = standin_sigv4.parse_authorization(h["authorization"])
            path, _, query = url.split("://", 1)[1].partition("/")[2] \
                .partition("?")
            sent = [(k, h[k]) for k in auth.signed_headers]
            computed.append(standin_sigv4.expected(
                method, "/" + path, query, sent, b"", auth, h["x-amz-date"],
                secret).signature)
        ok(len(computed) == 2 and all(re.match("^[0-9a-f]{64}$", s)
                                      for s in computed),
           "trace: both signatures recomputed", lambda: repr(computed))
        ok(not any(s in t for s in computed),
           "trace: neither signature appears")
        ok(not any(s in r.stdout for s in computed) and secret not in
           r.stdout and token not in r.stdout, "stdout: no secrets either")
    finally:
        aws.stop()


CHECKS = [t_refused, t_dns, t_tls, t_timeout, t_stream_stall, t_reset,
          t_oversized, t_malformed, t_throttle, t_status_codes, t_signature,
          t_batch, t_trace]


def main():
    diag("aws-call: %s; python %s" % (" ".join(WRAP + [AWS_CALL]),
                                       sys.executable))
    diag("signatures checked with %s" % (
        "botocore" if standin_sigv4.HAVE_BOTOCORE else
        "the stand-in's built-in verifier (no botocore)"))
    # An exception frame inside HTTP 200 is the runtime layer's to
    # catch: tests/e2e/test_bedrock_calls.py checks it.
    for check in CHECKS:
        try:
            check()
        except Exception:  # noqa: BLE001
            ok(False, "%s raised" % check.__name__, traceback.format_exc())
    bstest.done()


if __name__ == "__main__":
    main()
