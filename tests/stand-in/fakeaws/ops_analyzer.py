"""IAM Access Analyzer ValidatePolicy with a few real checks.

The policy text is parsed with positions so findings carry the path and
span AWS reports.  Checks: JSON syntax, missing/invalid Version, missing
Statement/Effect/Action/Resource, actions that do not exist in the
services we know (data/iam-actions.json), redundant actions, and one check
of the stand-in's own (issue code STANDIN_INVOKE_ANY_MODEL): Allow on
bedrock:InvokeModel* with Resource "*".
"""

import base64
import binascii
import json
import os
import re
from json.decoder import scanstring

from .policy import wildcard_match
from .wire import AwsError

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))), "data", "iam-actions.json")
LINK = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/"
        "access-analyzer-reference-policy-checks.html"
        "#access-analyzer-reference-policy-checks-%s")
POLICY_TYPES = ["IDENTITY_POLICY", "RESOURCE_POLICY", "SERVICE_CONTROL_POLICY",
                "RESOURCE_CONTROL_POLICY"]
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_known = None


def known_actions():
    global _known
    if _known is None:
        with open(DATA, encoding="utf-8") as f:
            _known = {k: set(v) for k, v in json.load(f).items()
                      if not k.startswith("_")}
    return _known


# ---------------------------------------------------------------- parser

class JsonSyntax(Exception):
    def __init__(self, offset):
        super().__init__(offset)
        self.offset = offset


class Node:
    """A JSON value with its [start, end) offsets in the text."""

    def __init__(self, kind, start, end, value=None, items=None):
        self.kind = kind
        self.start = start
        self.end = end
        self.value = value
        self.items = items

    def member(self, name):
        for key, node in self.items or []:
            if key == name:
                return node
        return None


class _Parser:
    def __init__(self, text):
        self.text = text
        self.pos = 0

    def ws(self):
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def parse(self):
        self.ws()
        node = self.value()
        self.ws()
        if self.pos != len(self.text):
            raise JsonSyntax(self.pos)
        return node

    def value(self):
        t, p = self.text, self.pos
        if p >= len(t):
            raise JsonSyntax(p)
        c = t[p]
        if c == "{":
            return self.container("object", "}")
        if c == "[":
            return self.container("array", "]")
        if c == '"':
            return self.string()
        for word, val in (("true", True), ("false", False), ("null", None)):
            if t.startswith(word, p):
                self.pos = p + len(word)
                return Node("literal", p, self.pos, val)
        m = _NUMBER.match(t, p)
        if m:
            self.pos = m.end()
            return Node("number", p, self.pos, m.group())
        raise JsonSyntax(p)

    def string(self):
        start = self.pos
        try:
            value, end = scanstring(self.text, start + 1)
        except ValueError:
            raise JsonSyntax(start)
        self.pos = end
        return Node("string", start, end, value)

    def container(self, kind, close):
        start = self.pos
        self.pos += 1
        items = []
        self.ws()
        if self.text.startswith(close, self.pos):
            self.pos += 1
            return Node(kind, start, self.pos, items=items)
        while True:
            self.ws()
            if kind == "object":
                if not self.text.startswith('"', self.pos):
                    raise JsonSyntax(self.pos)
                key = self.string().value
                self.ws()
                if not self.text.startswith(":", self.pos):
                    raise JsonSyntax(self.pos)
                self.pos += 1
                self.ws()
                items.append((key, self.value()))
            else:
                items.append((len(items), self.value()))
            self.ws()
            if self.text.startswith(",", self.pos):
                self.pos += 1
                continue
            if self.text.startswith(close, self.pos):
                self.pos += 1
                return Node(kind, start, self.pos, items=items)
            raise JsonSyntax(self.pos)


# ---------------------------------------------------------------- findings

class _Findings:
    def __init__(self, text):
        self.text = text
        self.out = []

    def position(self, offset):
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1)
        return {"line": line, "column": column, "offset": offset}

    def add(self, ftype, code, slug, details, path, start, end):
        self.out.append((start, {
            "findingDetails": details, "findingType": ftype,
            "issueCode": code, "learnMoreLink": slug if slug.startswith(
                "http") else LINK % slug,
            "locations": [{"path": path,
                           "span": {"start": self.position(start),
                                    "end": self.position(end)}}]}))

    def sorted(self):
        return [f for _, f in sorted(self.out, key=lambda x: x[0])]


def _strings(node, path):
    """(value, path, node) for a string or an array of strings."""
    if node is None:
        return []
    if node.kind == "string":
        return [(node.value, path, node)]
    if node.kind == "array":
        return [(n.value, path + [{"index": i}], n)
                for i, n in node.items if n.kind == "string"]
    return []


def _action_exists(action):
    service, _, name = action.partition(":")
    table = known_actions().get(service.lower())
    if table is None:
        return True
    name = name.lower()
    if "*" in name or "?" in name:
        return any(wildcard_match(name, a) for a in table)
    return name in table


def _check_statement(f, st, path):
    effect = st.member("Effect")
    if effect is None:
        f.add("ERROR", "MISSING_EFFECT", "error-missing-effect",
              "Add an Effect element to the policy statement with a value "
              "of Allow or Deny.", path, st.start, st.start + 1)
    elif effect.value not in ("Allow", "Deny"):
        f.add("ERROR", "INVALID_EFFECT", "error-invalid-effect",
              "The Effect element can be Allow or Deny.",
              path + [{"key": "Effect"}], effect.start, effect.end)
    action = st.member("Action")
    if action is None and st.member("NotAction") is None:
        f.add("ERROR", "MISSING_ACTION", "error-missing-action",
              "Add an Action or NotAction element to the policy statement.",
              path, st.start, st.start + 1)
    resource = st.member("Resource")
    if resource is None and st.member("NotResource") is None:
        f.add("ERROR", "MISSING_RESOURCE", "error-missing-resource",
              "Add a Resource or NotResource element to the policy "
              "statement.", path, st.start, st.start + 1)
    actions = _strings(action, path + [{"key": "Action"}])
    seen = []
    for value, apath, node in actions:
        if value != "*" and (":" not in value or not _action_exists(value)):
            f.add("ERROR", "INVALID_ACTION", "error-invalid-action",
                  "The action %s does not exist." % value, apath,
                  node.start, node.end)
            continue
        if any(wildcard_match(prev, value, fold=True) for prev in seen):
            f.add("SUGGESTION", "REDUNDANT_ACTION",
                  "suggestion-redundant-action",
                  "The 1 action(s) are redundant because they provide "
                  "similar permissions. Update the policy to remove the "
                  "redundant action such as: %s." % value, apath,
                  node.start, node.end)
        seen.append(value)
    if effect is not None and effect.value == "Allow":
        invoke = [v for v, _, _ in actions if any(
            wildcard_match(v, a, fold=True) for a in (
                "bedrock:InvokeModel",
                "bedrock:InvokeModelWithResponseStream"))]
        for value, rpath, node in _strings(resource,
                                           path + [{"key": "Resource"}]):
            if invoke and value == "*":
                f.add("SECURITY_WARNING", "STANDIN_INVOKE_ANY_MODEL",
                      "https://docs.aws.amazon.com/bedrock/latest/userguide/"
                      "security_iam_id-based-policy-examples.html",
                      "Using a wildcard (*) in the resource with %s allows "
                      "invoking every model and inference profile. Limit the "
                      "Resource element to the ARNs you use." % invoke[0],
                      rpath, node.start, node.end)


def findings_for(text):
    """All findings for a policy text, in document order."""
    f = _Findings(text)
    try:
        root = _Parser(text).parse()
    except JsonSyntax as e:
        pos = f.position(e.offset)
        f.add("ERROR", "JSON_SYNTAX_ERROR", "error-json-syntax-error",
              "Fix the JSON syntax error at index %d line %d column %d."
              % (pos["offset"], pos["line"], pos["column"]), [],
              e.offset, min(e.offset + 1, len(text)))
        return f.sorted()
    if root.kind != "object":
        f.add("ERROR", "DATA_TYPE_MISMATCH", "error-data-type-mismatch",
              "The text does not match the expected JSON data type Object.",
              [], root.start, root.end)
        return f.sorted()
    version = root.member("Version")
    if version is None:
        f.add("WARNING", "MISSING_VERSION", "general-warning-missing-version",
              "We recommend that you specify the Version element to help you"
              " with debugging permission issues.", [], root.start,
              root.start + 1)
    elif version.value not in ("2012-10-17", "2008-10-17"):
        f.add("ERROR", "INVALID_VERSION", "error-invalid-version",
              "The version %s is not valid. Use one of the following "
              "versions: 2012-10-17, 2008-10-17." % version.value,
              [{"key": "Version"}], version.start, version.end)
    stmts = root.member("Statement")
    if stmts is None:
        f.add("ERROR", "MISSING_STATEMENT", "error-missing-statement",
              "Add a Statement element to the policy.", [], root.start,
              root.start + 1)
    elif stmts.kind == "object":
        _check_statement(f, stmts, [{"key": "Statement"}])
    elif stmts.kind == "array":
        for i, st in stmts.items:
            if st.kind == "object":
                _check_statement(f, st, [{"key": "Statement"}, {"index": i}])
    return f.sorted()


def _field_error(name, message):
    return AwsError(400, "ValidationException", message, extra={
        "reason": "fieldValidationFailed",
        "fieldList": [{"name": name, "message": message}]})


def validate_policy(call):
    body = call.json()
    call.authorize("access-analyzer:ValidatePolicy")
    text = body.get("policyDocument")
    if not isinstance(text, str):
        raise _field_error("policyDocument", "policyDocument is required")
    if body.get("policyType") not in POLICY_TYPES:
        raise _field_error("policyType", "Invalid policyType: must be one of "
                           + ", ".join(POLICY_TYPES))
    findings = findings_for(text)
    try:
        size = int(call.q("maxResults", "100"))
        token = call.q("nextToken")
        start = int(base64.b64decode(token).decode()) if token else 0
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise _field_error("nextToken", "Invalid pagination token")
    if size < 1:
        raise _field_error("maxResults", "maxResults must be at least 1")
    out = {"findings": findings[start:start + size]}
    if start + size < len(findings):
        out["nextToken"] = base64.b64encode(
            str(start + size).encode()).decode()
    call.entry["findings"] = len(findings)
    return call.ok(out)
