"""A request as received, and the per-call context handed to operations.

SERVICES describes each service the stand-in speaks: wire protocol,
SigV4 signing name, error namespace / XML namespace, bearer support.
"""

import json
from urllib.parse import parse_qs

from . import policy
from .wire import IAM_NS, STS_NS, AwsError, Reply, json_reply, query_reply

SERVICES = {
    "bedrock": {"protocol": "rest-json", "signing": "bedrock",
                "namespace": "com.amazon.bedrock", "bearer": True},
    "bedrock-runtime": {"protocol": "rest-json", "signing": "bedrock",
                        "namespace": "com.amazon.bedrock", "bearer": True},
    "access-analyzer": {"protocol": "rest-json",
                        "signing": "access-analyzer",
                        "namespace": "com.amazonaws.accessanalyzer"},
    "sso": {"protocol": "rest-json", "signing": None,
            "namespace": "com.amazonaws.switchboard.portal"},
    "sts": {"protocol": "query", "signing": "sts", "xmlns": STS_NS},
    "iam": {"protocol": "query", "signing": "iam", "xmlns": IAM_NS},
    "imds": {"protocol": "plain", "signing": None},
    "container": {"protocol": "container", "signing": None},
}


class Request:
    """What arrived: method, raw path and query (still percent-encoded),
    headers as a list of (name, value) in wire order, and the body bytes."""

    def __init__(self, method, target, headers, body, client=None):
        self.method = method.upper()
        self.target = target
        path, _, query = target.partition("?")
        self.raw_path = path or "/"
        self.raw_query = query
        self.headers = headers
        self.body = body
        self.client = client
        self._form = None

    def header(self, name):
        name = name.lower()
        for n, v in self.headers:
            if n.lower() == name:
                return v
        return None

    def query(self):
        return parse_qs(self.raw_query, keep_blank_values=True)

    def form(self):
        """The body as an x-www-form-urlencoded dict of first values."""
        if self._form is None:
            try:
                text = self.body.decode("utf-8")
            except UnicodeDecodeError:
                text = ""
            self._form = {k: v[0] for k, v in
                          parse_qs(text, keep_blank_values=True).items()}
        return self._form


class Route:
    def __init__(self, service, op, handler, auth="sigv4", params=None):
        self.service = service
        self.op = op
        self.handler = handler
        self.auth = auth
        self.params = params or {}
        info = SERVICES[service]
        self.protocol = info["protocol"]
        self.signing = info.get("signing")
        self.namespace = info.get("namespace")
        self.xmlns = info.get("xmlns")
        self.bearer = info.get("bearer", False)


class Call:
    """Context for one operation: world, request, route, region, caller."""

    def __init__(self, app, world, req, entry, request_id):
        self.app = app
        self.world = world
        self.req = req
        self.entry = entry
        self.request_id = request_id
        self.route = None
        self.region = world.default_region
        self.caller = None

    @property
    def params(self):
        return self.route.params

    def q(self, name, default=None):
        values = self.req.query().get(name)
        return values[0] if values else default

    def json(self):
        """The body as a JSON object (empty body means {})."""
        if not self.req.body:
            return {}
        try:
            obj = json.loads(self.req.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise AwsError(400, "SerializationException",
                           "Unable to parse the request body as JSON.")
        if not isinstance(obj, dict):
            raise AwsError(400, "SerializationException",
                           "Start of structure or map found where not "
                           "expected.")
        return obj

    def authorize(self, action, resource="*"):
        """Raise AccessDenied unless the caller may do action on resource."""
        if self.caller is None:
            return
        decision = self.caller.decide(action, resource)
        if decision.allowed:
            return
        msg = policy.denial_message(self.caller.arn, action, resource,
                                    decision)
        self.entry.setdefault("denied", []).append(
            {"action": action, "resource": resource,
             "decision": decision.decision})
        if self.route.protocol == "query":
            raise AwsError(403, "AccessDenied", msg)
        raise AwsError(403, "AccessDeniedException", msg, body_key="Message")

    def ok(self, obj, status=200):
        return json_reply(obj, status)

    def ok_query(self, result):
        return query_reply(self.route.op, self.route.xmlns, result,
                           self.request_id)

    def text(self, body, status=200, content_type="text/plain"):
        return Reply(status, [("Content-Type", content_type)],
                     body.encode() if isinstance(body, str) else body)
