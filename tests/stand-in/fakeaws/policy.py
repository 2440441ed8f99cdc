"""IAM evaluation for the stand-in: grants, SCP denies, denial messages.

A statement is {effect, actions, resources} with IAM wildcards (* and ?);
actions match case-insensitively, resources case-sensitively.  An explicit
deny (SCP first, then identity policy) wins over any allow; no allow means
implicit deny.  This is the subset of IAM the wizard's gates depend on.
"""

import functools
import json
import re

ALLOWED = "allowed"
EXPLICIT_DENY = "explicitDeny"
IMPLICIT_DENY = "implicitDeny"


@functools.lru_cache(maxsize=4096)
def _compile(pattern, fold):
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c)
                 for c in pattern)
    return re.compile(rx, re.IGNORECASE | re.DOTALL if fold else re.DOTALL)


def wildcard_match(pattern, value, fold=False):
    return _compile(pattern, fold).fullmatch(value) is not None


def _as_list(v):
    if v is None:
        return []
    return [v] if isinstance(v, str) else list(v)


def _field(raw, *names):
    for n in names:
        if n in raw:
            return raw[n]
    return None


class Statement:
    """One normalised statement; source names the policy it came from."""

    def __init__(self, raw, index, source, source_type):
        effect = _field(raw, "effect", "Effect") or "Allow"
        self.effect = "Deny" if str(effect).lower() == "deny" else "Allow"
        self.actions = _as_list(_field(raw, "actions", "Action", "action"))
        self.resources = _as_list(
            _field(raw, "resources", "Resource", "resource")) or ["*"]
        self.sid = _field(raw, "sid", "Sid")
        self.index = index
        self.source = source
        self.source_type = source_type

    def matches(self, action, resource):
        return (any(wildcard_match(a, action, fold=True) for a in self.actions)
                and any(wildcard_match(r, resource) for r in self.resources))

    def as_iam(self):
        out = {}
        if self.sid:
            out["Sid"] = self.sid
        out["Effect"] = self.effect
        out["Action"] = (self.actions[0] if len(self.actions) == 1
                         else self.actions)
        out["Resource"] = (self.resources[0] if len(self.resources) == 1
                           else self.resources)
        return out


def statements(raw_list, source, source_type):
    return [Statement(r, i, source, source_type)
            for i, r in enumerate(raw_list or [])]


class Decision:
    def __init__(self, decision, matched=(), by_scp=False):
        self.decision = decision
        self.matched = list(matched)
        self.by_scp = by_scp

    @property
    def allowed(self):
        return self.decision == ALLOWED


def evaluate(identity, scp, action, resource):
    """Decide action on resource for identity statements under SCP denies."""
    scp_hits = [s for s in scp if s.matches(action, resource)]
    if scp_hits:
        return Decision(EXPLICIT_DENY, [], by_scp=True)
    hits = [s for s in identity if s.matches(action, resource)]
    denies = [s for s in hits if s.effect == "Deny"]
    if denies:
        return Decision(EXPLICIT_DENY, denies)
    allows = [s for s in hits if s.effect == "Allow"]
    if allows:
        return Decision(ALLOWED, allows)
    return Decision(IMPLICIT_DENY)


def denial_message(caller_arn, action, resource, decision):
    """AWS's AccessDenied text for a failed evaluation."""
    where = "" if resource in ("*", None) else " on resource: %s" % resource
    if decision.by_scp:
        why = "with an explicit deny in a service control policy"
    elif decision.decision == EXPLICIT_DENY:
        why = "with an explicit deny in an identity-based policy"
    else:
        why = "because no identity-based policy allows the %s action" % action
    return "User: %s is not authorized to perform: %s%s %s" % (
        caller_arn, action, where, why)


def render_document(stmts):
    """A policy document as pretty JSON plus, per statement, its span.

    Returns (text, spans) where spans[i] = ((line, col), (line, col)) of
    statement i, 1-based, the way SimulatePrincipalPolicy reports them.
    """
    lines = ["{", '    "Version": "2012-10-17",', '    "Statement": [']
    spans = []
    for i, s in enumerate(stmts):
        body = json.dumps(s.as_iam(), indent=4).splitlines()
        start = (len(lines) + 1, 9)
        for j, line in enumerate(body):
            tail = "," if j == len(body) - 1 and i < len(stmts) - 1 else ""
            lines.append(" " * 8 + line + tail)
        spans.append((start, (len(lines), 9 + len(body[-1]))))
    lines += ["    ]", "}"]
    return "\n".join(lines) + "\n", spans
