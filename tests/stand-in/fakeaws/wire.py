"""Wire formats: the error type, replies, and the three error encodings.

rest-json (Bedrock, Access Analyzer, SSO portal): JSON body {"message": ...}
(or "Message" for IAM-style denials) plus x-amzn-ErrorType "Code:namespace".
query (STS, IAM): XML ErrorResponse/Error/{Type,Code,Message} + RequestId.
plain (IMDS, container endpoints): a short text or JSON body.
"""

import json
from xml.sax.saxutils import escape

STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"
IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/"
CORAL = "http://internal.amazon.com/coral/%s/"
AUTH_NS = "com.amazon.coral.service"


class AwsError(Exception):
    """An AWS error; the protocol of the route decides how it is encoded.

    auth=True puts the error in the coral service namespace (signature and
    credential errors); body_key is "message" or "Message"; extra adds
    fields to a JSON body.
    """

    def __init__(self, status, code, message, auth=False, body_key="message",
                 extra=None, sender=True, headers=None, log_message=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.auth = auth
        self.body_key = body_key
        self.extra = extra or {}
        self.sender = sender
        self.headers = headers or []
        self.log_message = message if log_message is None else log_message


class Reply:
    """One HTTP answer.  frames (a list of bytes) makes it an event stream.

    The remaining attributes are fault directives the HTTP layer obeys:
    stall_s before the status line; reset_after_bytes (-1: before anything
    is sent) / reset_after_frames abort the connection with a TCP reset;
    stall_after_frames + stall_after_s pause mid-stream; aws_headers=False
    leaves out x-amzn-RequestId (a proxy's answer).
    """

    def __init__(self, status=200, headers=None, body=b"", frames=None):
        self.status = status
        self.headers = list(headers or [])
        self.body = body
        self.frames = frames
        self.frame_delay_s = 0.0
        self.stall_s = 0.0
        self.reset_after_bytes = None
        self.reset_after_frames = None
        self.stall_after_frames = None
        self.stall_after_s = 0.0
        self.aws_headers = True

    def header(self, name):
        for n, v in self.headers:
            if n.lower() == name.lower():
                return v
        return None


def json_reply(obj, status=200):
    return Reply(status, [("Content-Type", "application/json")],
                 json.dumps(obj).encode())


def to_xml(value):
    """Query-protocol XML for a value: dicts nest, lists use <member>."""
    if isinstance(value, dict):
        return "".join("<%s>%s</%s>" % (k, to_xml(v), k)
                       for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return "".join("<member>%s</member>" % to_xml(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def query_reply(op, xmlns, result, request_id):
    body = ('<%sResponse xmlns="%s">\n  <%sResult>%s</%sResult>\n'
            '  <ResponseMetadata>\n    <RequestId>%s</RequestId>\n'
            '  </ResponseMetadata>\n</%sResponse>\n') % (
        op, xmlns, op, to_xml(result), op, request_id, op)
    return Reply(200, [("Content-Type", "text/xml")], body.encode())


def error_reply(err, protocol, namespace, xmlns, request_id):
    """Encode err for a route's protocol."""
    if protocol == "query":
        body = ('<ErrorResponse xmlns="%s">\n  <Error>\n    <Type>%s</Type>\n'
                '    <Code>%s</Code>\n    <Message>%s</Message>\n'
                '  </Error>\n  <RequestId>%s</RequestId>\n</ErrorResponse>\n'
                ) % (xmlns, "Sender" if err.sender else "Receiver",
                     escape(err.code), escape(err.message), request_id)
        reply = Reply(err.status, [("Content-Type", "text/xml")],
                      body.encode())
    elif protocol == "rest-json":
        obj = {err.body_key: err.message}
        obj.update(err.extra)
        ns = AUTH_NS if err.auth else namespace
        reply = Reply(err.status, [
            ("x-amzn-ErrorType", "%s:%s" % (err.code, CORAL % ns)),
            ("Content-Type", "application/json")], json.dumps(obj).encode())
    elif protocol == "container":
        reply = Reply(err.status, [("Content-Type", "application/json")],
                      json.dumps({"code": err.code,
                                  "message": err.message}).encode())
    else:
        reply = Reply(err.status, [("Content-Type", "text/plain")],
                      err.message.encode())
    reply.headers += err.headers
    return reply
