"""Fault injection: scenario rules that make matching calls misbehave.

A rule is {"action": A, "op": glob, "region": name, "model": glob,
"service": name, "count": N | "always", "skip": N, ...action options}.
For each call the first rule that matches and still has uses fires; its
use is counted and logged.  See the README for the actions.
"""

import threading

from .policy import wildcard_match

ACTIONS = {
    "throttle", "error", "reset", "stall", "truncate_stream", "bad_crc",
    "stream_exception", "invalid_json", "oversized", "empty_error",
    "html_error",
}


class Rule:
    def __init__(self, raw, index):
        action = raw.get("action")
        if action not in ACTIONS:
            raise ValueError("fault %d: unknown action %r (one of %s)"
                             % (index, action, ", ".join(sorted(ACTIONS))))
        self.raw = dict(raw)
        self.index = index
        self.action = action
        count = raw.get("count", 1)
        self.count = None if count in ("always", None) or (
            isinstance(count, int) and count < 0) else int(count)
        self.skip = int(raw.get("skip", 0))
        self.seen = 0
        self.used = 0

    def get(self, key, default=None):
        return self.raw.get(key, default)

    def matches(self, service, op, region, model):
        want = self.raw
        if "service" in want and want["service"] != service:
            return False
        if "op" in want and not wildcard_match(want["op"], op or ""):
            return False
        if "region" in want and want["region"] != region:
            return False
        if "model" in want and not (
                model and wildcard_match(want["model"], model)):
            return False
        return True

    def describe(self):
        return {"rule": self.index, "action": self.action,
                "use": self.used}


class FaultSet:
    """The scenario's fault rules with their use counters."""

    def __init__(self, raws):
        self.lock = threading.Lock()
        self.rules = [Rule(r, i) for i, r in enumerate(raws or [])]

    def add(self, raw):
        with self.lock:
            self.rules.append(Rule(raw, len(self.rules)))

    def take(self, service, op, region, model):
        """The rule that fires for this call (counted), or None."""
        with self.lock:
            for rule in self.rules:
                if rule.count is not None and rule.used >= rule.count:
                    continue
                if not rule.matches(service, op, region, model):
                    continue
                rule.seen += 1
                if rule.seen <= rule.skip:
                    continue
                rule.used += 1
                return rule
        return None

    def status(self):
        with self.lock:
            return [{"rule": r.index, "action": r.action, "used": r.used,
                     "count": r.count} for r in self.rules]
