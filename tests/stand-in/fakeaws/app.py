"""The stand-in's request pipeline, independent of the HTTP server.

handle(): route -> authenticate (SigV4 / bearer / none) -> Region latency
-> fault rule -> operation -> error encoding; returns the Reply and the
log entry, which the HTTP layer completes (time_end) and records.
"""

import json
import threading
import time
import traceback
import uuid

from . import auth, eventstream, router
from .call import SERVICES, Call, Route
from .wire import AwsError, Reply, error_reply

EXCEPTION_MESSAGES = {
    "throttlingException": "Too many tokens, please wait before trying "
                           "again.",
    "modelStreamErrorException": "The model encountered an error while "
                                 "streaming the response.",
    "validationException": "Input is too long for requested model.",
    "internalServerException": "The server encountered an internal error "
                               "while processing the request.",
    "serviceUnavailableException": "Bedrock is unable to process your "
                                   "request.",
}
HTML_ERROR = ("<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n"
              "<center><h1>%d %s</h1></center>\r\n</body>\r\n</html>\r\n")
MAX_LOG = 100000
REASONS = {500: "Internal Server Error", 502: "Bad Gateway",
           503: "Service Temporarily Unavailable", 504: "Gateway Time-out"}


def _default_code(protocol, status):
    if protocol == "query":
        return {500: "InternalFailure", 503: "ServiceUnavailable"}.get(
            status, "Error%d" % status)
    return {500: "InternalServerException", 502: "BadGateway",
            503: "ServiceUnavailableException", 504: "GatewayTimeout",
            429: "ThrottlingException"}.get(status, "Error%d" % status)


class App:
    """Holds the current World, the request log and the stop event."""

    def __init__(self, world):
        self.world = world
        self.log = []
        self.log_lock = threading.Lock()
        self.log_sink = None
        self.stopping = threading.Event()

    def sleep(self, seconds):
        """Sleep unless the stand-in is stopping; bounded to 600 s."""
        if seconds > 0:
            self.stopping.wait(min(seconds, 600))

    def record(self, entry):
        with self.log_lock:
            self.log.append(entry)
            if len(self.log) > MAX_LOG:
                del self.log[:len(self.log) - MAX_LOG]
            if self.log_sink is not None:
                self.log_sink.write(json.dumps(entry) + "\n")
                self.log_sink.flush()

    # ------------------------------------------------------------ pipeline
    def handle(self, req):
        world = self.world
        request_id = str(uuid.uuid4())
        entry = {"time_start": time.monotonic(), "time_end": None,
                 "method": req.method, "path": req.raw_path,
                 "query": _safe_query(req.raw_query), "service": None,
                 "op": None, "region": None, "signed": False,
                 "sig_ok": None, "access_key_id": None, "auth": "none",
                 "status": None, "error": None, "request_id": request_id}
        call = Call(self, world, req, entry, request_id)
        protocol, namespace, xmlns = "rest-json", "com.amazon.bedrock", None
        try:
            found = router.route(world, req)
            if isinstance(found, tuple):
                service, err = found
                info = SERVICES[service]
                protocol = info["protocol"]
                namespace, xmlns = info.get("namespace"), info.get("xmlns")
                entry["service"] = service
                if err.status == 404 and info.get("signing"):
                    self._unknown_op(call, service)
                raise err
            route = call.route = found
            protocol, namespace, xmlns = (route.protocol, route.namespace,
                                          route.xmlns)
            entry["service"], entry["op"] = route.service, route.op
            auth.authenticate(call)
            entry["region"] = call.region
            self.sleep(world.region(call.region).latency_ms / 1000.0)
            reply = self._run(call)
        except AwsError as e:
            entry["region"] = entry["region"] or call.region
            entry["error"] = e.code
            entry["message"] = e.log_message
            reply = error_reply(e, protocol, namespace, xmlns, request_id)
        except Exception:  # a bug in the stand-in: report it, keep serving
            entry["error"] = "StandInBug"
            entry["message"] = traceback.format_exc()
            reply = error_reply(AwsError(500, "InternalFailure",
                                         "stand-in internal error",
                                         sender=False),
                                protocol, namespace, xmlns, request_id)
        if reply.aws_headers:
            reply.headers.append(("x-amzn-RequestId", request_id))
        entry["status"] = reply.status
        return reply, entry

    def _unknown_op(self, call, service):
        """An unknown path of a signed service (a latency probe, say):
        authenticated like any call when it carries credentials, then
        answered after its Region's latency, so probes can be told apart
        and timed per Region.  Raises the authentication error, if any."""
        call.route = Route(service, None, None, auth="optional")
        auth.authenticate(call)
        call.entry["region"] = call.region
        self.sleep(call.world.region(call.region).latency_ms / 1000.0)

    def _run(self, call):
        route, world = call.route, call.world
        rule = world.faults.take(route.service, route.op, call.region,
                                 call.params.get("model"))
        if rule is None:
            return route.handler(call)
        call.entry["fault"] = {"rule": rule.index, "action": rule.action}
        early = self._fault_instead(call, rule)
        if early is not None:
            return early
        reply = route.handler(call)
        self._fault_after(call, rule, reply)
        return reply

    # ------------------------------------------------------------ faults
    def _fault_instead(self, call, rule):
        """Faults that replace the answer; None for those that alter it."""
        protocol, action = call.route.protocol, rule.action
        if action == "throttle":
            if protocol == "query":
                raise AwsError(400, "Throttling", rule.get(
                    "message", "Rate exceeded"))
            code = ("TooManyRequestsException" if call.route.service == "sso"
                    else "ThrottlingException")
            raise AwsError(429, rule.get("code", code), rule.get(
                "message", "Too many requests, please wait before trying "
                           "again."))
        if action == "error":
            status = int(rule.get("status", 500))
            raise AwsError(status, rule.get("code", _default_code(
                protocol, status)), rule.get("message", REASONS.get(
                    status, "Error")), sender=status < 500)
        if action == "empty_error":
            return Reply(int(rule.get("status", 500)), [], b"")
        if action == "html_error":
            status = int(rule.get("status", 502))
            reason = REASONS.get(status, "Error")
            reply = Reply(status, [("Content-Type", "text/html")],
                          (HTML_ERROR % (status, reason, status, reason)
                           ).encode())
            reply.aws_headers = False
            return reply
        if action == "invalid_json" and "status" in rule.raw:
            status = int(rule.get("status"))
            err = AwsError(status, rule.get("code", _default_code(
                protocol, status)), rule.get("message", REASONS.get(
                    status, "Error")), sender=status < 500)
            reply = error_reply(err, protocol, call.route.namespace,
                                call.route.xmlns, call.request_id)
            reply.body = reply.body[:max(1, len(reply.body) // 2)]
            return reply
        return None

    def _fault_after(self, call, rule, reply):
        action = rule.action
        frames = reply.frames
        if action == "stall":
            secs = float(rule.get("seconds", 30))
            if frames is not None and "after_frames" in rule.raw:
                reply.stall_after_frames = int(rule.get("after_frames"))
                reply.stall_after_s = secs
            else:
                reply.stall_s = secs
        elif action == "reset":
            if frames is not None:
                reply.reset_after_frames = int(rule.get("after_frames", 1))
            else:
                reply.reset_after_bytes = int(rule.get(
                    "after_bytes", len(reply.body) // 2))
        elif action == "truncate_stream":
            if frames is not None:
                k = min(int(rule.get("after_frames", 2)), len(frames) - 1)
                reply.frames = frames[:k] + [frames[k][:len(frames[k]) // 2]]
            else:
                reply.reset_after_bytes = len(reply.body) // 2
        elif action == "bad_crc" and frames is not None:
            k = min(int(rule.get("frame", 1)), len(frames) - 1)
            frames[k] = eventstream.corrupt_crc(frames[k])
        elif action == "stream_exception" and frames is not None:
            k = min(int(rule.get("after_frames", 1)), len(frames))
            etype = rule.get("exception", "throttlingException")
            payload = {"message": rule.get(
                "message", EXCEPTION_MESSAGES.get(etype, "error"))}
            if etype == "modelStreamErrorException":
                payload.update(originalStatusCode=rule.get(
                    "original_status", 500), originalMessage=rule.get(
                    "original_message", "Internal error in the model"))
            reply.frames = frames[:k] + [eventstream.exception(etype,
                                                               payload)]
        elif action == "invalid_json":
            if frames is not None:
                k = min(int(rule.get("frame", 1)), len(frames) - 1)
                frames[k] = eventstream.frame(
                    [(":event-type", "contentBlockDelta"),
                     (":content-type", "application/json"),
                     (":message-type", "event")],
                    b'{"contentBlockIndex":0,"delta":{"text":')
            else:
                reply.body = reply.body[:max(1, len(reply.body) // 2)]
        elif action == "oversized":
            size = int(float(rule.get("mib", 16)) * 1024 * 1024)
            if frames is not None:
                frames.insert(1, eventstream.event("contentBlockDelta", {
                    "contentBlockIndex": 0, "delta": {"text": "x" * size}}))
            elif reply.header("Content-Type") == "text/xml":
                reply.body += b"<!--" + b"x" * size + b"-->"
            else:
                try:
                    obj = json.loads(reply.body or b"{}")
                except ValueError:
                    obj = {}
                obj["padding"] = "x" * size
                reply.body = json.dumps(obj).encode()


def _safe_query(raw):
    """The raw query with signature and token values replaced by ****."""
    parts = []
    for part in raw.split("&") if raw else []:
        name, eq, value = part.partition("=")
        if name.lower() in ("x-amz-signature", "x-amz-security-token"):
            value = "****"
        parts.append(name + eq + value)
    return "&".join(parts)
