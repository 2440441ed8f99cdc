"""The world the stand-in pretends to be, built from a scenario document.

World holds what the scenario declares (account, principals and their
grants, credentials, Regions, models, inference profiles, token-based
credential sources) and a State with what calls change (credentials issued
by STS/SSO/IMDS/containers, agreements, the Anthropic use-case form,
round-robin counters).  The README describes the scenario format.
"""

import base64
import copy
import datetime
import hashlib
import json
import os
import secrets
import threading
import time

from . import policy

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO_DIR = os.path.join(os.path.dirname(HERE), "scenarios")

# Providers whose models need no Marketplace subscription (facts 1.6).
NO_MARKETPLACE = {"Amazon", "DeepSeek", "Mistral AI", "Meta", "Qwen",
                  "OpenAI"}

DEFAULT_GEOS = {
    "us": {"label": "US", "regions": ["us-east-1", "us-east-2", "us-west-2"]},
    "eu": {"label": "EU", "regions": ["eu-central-1", "eu-west-1",
                                      "eu-west-3", "eu-north-1"]},
    "apac": {"label": "APAC", "regions": ["ap-northeast-1", "ap-northeast-2",
                                          "ap-south-1", "ap-southeast-1",
                                          "ap-southeast-2"]},
    "global": {"label": "Global", "regions": "*"},
}


class ScenarioError(ValueError):
    """The scenario document is inconsistent; the text says where."""


TOP_KEYS = {
    "description", "client", "expect", "notes", "account_id",
    "default_region", "clock_offset_s", "signature_window_s",
    "echo_canonical_request", "credential_ttl_s", "list_page_size", "stream",
    "default_reply", "grant_sets", "scp_deny", "iam", "principals",
    "credentials", "bearer_tokens", "web_identity_tokens", "sso", "imds",
    "container", "regions", "geos", "routing", "profiles", "use_case_form",
    "agreement_on_create", "models", "faults",
}
MODEL_KEYS = {
    "name", "provider", "marketplace", "regions", "profiles",
    "region_overrides", "created", "input", "output", "streaming",
    "customizations", "inference_types", "lifecycle", "reply", "fail",
    "availability", "offers", "agreement",
}


def _check_keys(what, obj, allowed):
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise ScenarioError("%s: unknown key(s) %s (allowed: %s)"
                            % (what, ", ".join(unknown),
                               ", ".join(sorted(allowed))))


# ---------------------------------------------------------------- loading

def deep_merge(base, patch):
    """patch over base: dicts merge, None deletes a key, the rest replaces."""
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _scenario_path(name, base_dir):
    for cand in (name, os.path.join(base_dir, name),
                 os.path.join(base_dir, name + ".json"),
                 os.path.join(SCENARIO_DIR, name),
                 os.path.join(SCENARIO_DIR, name + ".json")):
        if os.path.isfile(cand):
            return cand
    raise ScenarioError("scenario not found: %s" % name)


def load_scenario(src, base_dir=SCENARIO_DIR, _depth=0):
    """A scenario as a dict: src is a dict, a path, or a name in scenarios/.

    "extends": NAME pulls in another scenario first and merges this one
    over it (see deep_merge).
    """
    if _depth > 8:
        raise ScenarioError("scenario 'extends' chain too deep")
    if isinstance(src, dict):
        doc = copy.deepcopy(src)
    else:
        path = _scenario_path(str(src), base_dir)
        base_dir = os.path.dirname(os.path.abspath(path))
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except ValueError as e:
            raise ScenarioError("%s: %s" % (path, e)) from None
    parent = doc.pop("extends", None)
    if parent:
        doc = deep_merge(load_scenario(parent, base_dir, _depth + 1), doc)
    return doc


# ---------------------------------------------------------------- helpers

def iso8601(epoch):
    return datetime.datetime.fromtimestamp(
        epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def stable_id(prefix, name, length=17):
    digest = hashlib.sha256(name.encode()).digest()
    return prefix + base64.b32encode(digest).decode()[:length]


def _random_key(prefix):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    return prefix + "".join(secrets.choice(alphabet) for _ in range(16))


def fm_arn(region, model_id, partition="aws"):
    return "arn:%s:bedrock:%s::foundation-model/%s" % (
        partition, region, model_id)


# ---------------------------------------------------------------- entities

class Principal:
    """An IAM user or role (or the root user) of the account."""

    def __init__(self, world, name, raw):
        self.name = name
        self.kind, _, self.short = name.partition("/")
        if name == "root":
            self.kind, self.short = "root", "root"
        if self.kind not in ("user", "role", "root"):
            raise ScenarioError("principal %r: use user/NAME, role/NAME or "
                                "root" % name)
        acct = world.account
        self.arn = ("arn:aws:iam::%s:root" % acct if self.kind == "root"
                    else "arn:aws:iam::%s:%s" % (acct, name))
        prefix = "AIDA" if self.kind == "user" else "AROA"
        self.unique_id = raw.get("id") or (
            acct if self.kind == "root" else stable_id(prefix, acct + name))
        self.grants = []
        for item in raw.get("grants", []):
            if isinstance(item, str):
                if item not in world.grant_sets:
                    raise ScenarioError("principal %s: unknown grant set %r"
                                        % (name, item))
                self.grants += policy.statements(world.grant_sets[item],
                                                 item, "user-managed")
            else:
                self.grants += policy.statements(
                    [item], "%s-inline" % self.short,
                    "role" if self.kind == "role" else "user")
        self.trust = raw.get("trust", [])
        self.external_id = raw.get("external_id")
        self.max_session_s = int(raw.get("max_session_s", 3600))
        self.source_identities = raw.get("source_identities")


class Cred:
    """Access key id -> secret (and token) with the principal behind it."""

    def __init__(self, raw, origin="scenario"):
        self.access_key_id = raw["access_key_id"]
        self.secret_access_key = raw["secret_access_key"]
        self.session_token = raw.get("session_token")
        self.principal = raw["principal"]
        self.session_name = raw.get("session_name")
        self.expired = bool(raw.get("expired", False))
        self.expiration = raw.get("expiration")
        self.chained = bool(raw.get("chained", False))
        self.origin = origin

    def is_expired(self, now):
        return self.expired or (self.expiration is not None
                                and now >= self.expiration)


class Caller:
    """Who made a request: the principal plus the session, if any."""

    def __init__(self, world, principal, session_name=None, cred=None):
        self.world = world
        self.principal = principal
        self.session_name = session_name
        self.cred = cred
        acct = world.account
        if principal.kind == "role":
            session = session_name or "session"
            self.arn = "arn:aws:sts::%s:assumed-role/%s/%s" % (
                acct, principal.short, session)
            self.user_id = "%s:%s" % (principal.unique_id, session)
        else:
            self.arn = principal.arn
            self.user_id = principal.unique_id
        self.account = acct

    def decide(self, action, resource):
        return policy.evaluate(self.principal.grants, self.world.scp,
                               action, resource)


class Region:
    def __init__(self, name, raw, known=True):
        self.name = name
        self.latency_ms = float(raw.get("latency_ms", 0))
        self.enabled = bool(raw.get("enabled", True))
        self.known = known


class Model:
    """A foundation model and how it behaves, per Region where it differs."""

    def __init__(self, world, model_id, raw):
        _check_keys("model " + model_id, raw, MODEL_KEYS)
        for region, over in raw.get("region_overrides", {}).items():
            _check_keys("model %s in %s" % (model_id, region), over,
                        MODEL_KEYS)
        self.id = model_id
        self.raw = raw
        self.name = raw.get("name", model_id)
        self.provider = raw.get("provider", model_id.split(".")[0].title())
        self.marketplace = bool(raw.get("marketplace",
                                        self.provider not in NO_MARKETPLACE))
        self.regions = raw.get("regions")
        self.profiles = raw.get("profiles", [])
        self.overrides = raw.get("region_overrides", {})
        self.created = raw.get("created", "2024-11-04T00:00:00Z")
        for r in (self.regions or []) + list(self.overrides):
            if r not in world.regions:
                raise ScenarioError("model %s names Region %s, which is not "
                                    "in 'regions'" % (model_id, r))

    def offered_in(self, region):
        return self.regions is None or region in self.regions

    def get(self, region, key, default=None):
        """A model field with the per-Region override applied."""
        over = self.overrides.get(region, {})
        if key in over:
            return over[key]
        return self.raw.get(key, default)

    def inference_types(self, region):
        return self.get(region, "inference_types", ["ON_DEMAND"])

    def failure(self, region):
        fail = self.get(region, "fail")
        if isinstance(fail, dict):
            fail = fail.get(region, fail.get("*"))
        return fail

    def summary(self, region):
        lifecycle = self.get(region, "lifecycle", "ACTIVE")
        if isinstance(lifecycle, str):
            lifecycle = {"status": lifecycle}
        return {
            "modelArn": fm_arn(region, self.id),
            "modelId": self.id,
            "modelName": self.name,
            "providerName": self.provider,
            "inputModalities": self.get(region, "input", ["TEXT"]),
            "outputModalities": self.get(region, "output", ["TEXT"]),
            "responseStreamingSupported": bool(self.get(region, "streaming",
                                                        True)),
            "customizationsSupported": self.get(region, "customizations", []),
            "inferenceTypesSupported": self.inference_types(region),
            "modelLifecycle": lifecycle,
        }


class Profile:
    """A system-defined (geo/global) or application inference profile."""

    def __init__(self, pid, model, kind, name, sources, destinations,
                 is_global=False, description=None, created=None):
        self.id = pid
        self.model = model
        self.kind = kind
        self.name = name
        self.sources = sources
        self.destinations = destinations
        self.is_global = is_global
        self.description = description
        self.created = created or model.created

    def arn(self, region, account):
        what = ("application-inference-profile" if self.kind == "APPLICATION"
                else "inference-profile")
        return "arn:aws:bedrock:%s:%s:%s/%s" % (region, account, what,
                                                self.id)

    def model_arns(self):
        if self.is_global:
            return ["arn:aws:bedrock:::foundation-model/%s" % self.model.id]
        return [fm_arn(r, self.model.id) for r in self.destinations]

    def summary(self, region, account):
        out = {
            "inferenceProfileName": self.name,
            "description": self.description,
            "createdAt": self.created,
            "updatedAt": self.created,
            "inferenceProfileArn": self.arn(region, account),
            "models": [{"modelArn": a} for a in self.model_arns()],
            "inferenceProfileId": self.id,
            "status": "ACTIVE",
            "type": self.kind,
        }
        return {k: v for k, v in out.items() if v is not None}


def _and_list(items):
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ---------------------------------------------------------------- state

class State:
    """What calls change; survives World.update() where it should."""

    def __init__(self, world, previous=None, patch=None):
        self.lock = threading.RLock()
        if previous is not None:
            self.issued = previous.issued
            self.imds_tokens = previous.imds_tokens
            self.minted = previous.minted
            self.rr = previous.rr
        else:
            self.issued, self.imds_tokens = {}, {}
            self.minted, self.rr = {}, {}
        patched = (patch or {}).get("models") or {}
        touched = {mid for mid, m in patched.items()
                   if not isinstance(m, dict) or "agreement" in m}
        self.agreements = {}
        for mid, m in world.models.items():
            if (previous is not None and mid in previous.agreements
                    and mid not in touched):
                self.agreements[mid] = previous.agreements[mid]
            else:
                self.agreements[mid] = m.raw.get(
                    "agreement", "AVAILABLE" if m.marketplace else None)
        form = world.doc.get("use_case_form", {})
        if previous is not None and patch is not None \
                and "use_case_form" not in patch:
            self.use_case = dict(previous.use_case)
        else:
            data = form.get("form")
            self.use_case = {
                "submitted": bool(form.get("submitted", data is not None)),
                "form_b64": base64.b64encode(
                    json.dumps(data or {}).encode()).decode(),
            }

    def next_rr(self, key, n):
        with self.lock:
            i = self.rr.get(key, 0)
            self.rr[key] = i + 1
        return i % n


# ---------------------------------------------------------------- world

class World:
    """Everything the scenario says, plus State.  Rebuilt on update()."""

    def __init__(self, doc, previous=None, patch=None):
        from .faults import FaultSet  # faults imports nothing from here

        _check_keys("scenario", doc, TOP_KEYS)
        self.doc = doc
        self.account = str(doc.get("account_id", "111122223333"))
        self.default_region = doc.get("default_region", "us-east-1")
        self.clock_offset = float(doc.get("clock_offset_s", 0))
        self.signature_window = {"rest-json": 300, "query": 900}
        self.signature_window.update(doc.get("signature_window_s", {}))
        self.echo_canonical = bool(doc.get("echo_canonical_request", True))
        self.credential_ttl = int(doc.get("credential_ttl_s", 3600))
        self.page_size = int(doc.get("list_page_size", 1000))
        self.stream = doc.get("stream", {})
        self.iam = doc.get("iam", {})
        self.grant_sets = doc.get("grant_sets", {})
        self.principals = {n: Principal(self, n, r or {})
                           for n, r in doc.get("principals", {}).items()}
        self.scp = policy.statements(
            [dict(s, effect="Deny") for s in doc.get("scp_deny", [])],
            "scp", "scp")
        self.regions = {n: Region(n, r or {})
                        for n, r in doc.get("regions", {}).items()}
        if self.default_region not in self.regions:
            self.regions[self.default_region] = Region(self.default_region, {})
        self.geos = doc.get("geos", DEFAULT_GEOS)
        self.models = {mid: Model(self, mid, raw or {})
                       for mid, raw in doc.get("models", {}).items()}
        self.profiles = self._build_profiles(doc.get("profiles", {}))
        self.creds = {}
        for raw in doc.get("credentials", []):
            c = Cred(raw)
            self._check_principal(c.principal, "credential " + c.access_key_id)
            self.creds[c.access_key_id] = c
        self.bearer_tokens = doc.get("bearer_tokens", {})
        self.web_identity_tokens = doc.get("web_identity_tokens", {})
        self.sso = doc.get("sso", {})
        self.imds = doc.get("imds", {})
        self.container = doc.get("container", {})
        for where, name in self._referenced_principals():
            self._check_principal(name, where)
        self.use_case_required_for = doc.get("use_case_form", {}).get(
            "required_for", ["Anthropic"])
        self.agreement_on_create = doc.get("agreement_on_create", "AVAILABLE")
        keep_faults = (previous is not None and patch is not None
                       and "faults" not in patch)
        try:
            self.faults = (previous.faults if keep_faults
                           else FaultSet(doc.get("faults", [])))
        except ValueError as e:
            raise ScenarioError(str(e)) from None
        self.state = State(self, previous.state if previous else None, patch)

    # -- construction helpers
    def _check_principal(self, name, where):
        if name not in self.principals:
            raise ScenarioError("%s refers to unknown principal %r"
                                % (where, name))

    def _referenced_principals(self):
        for tok, t in self.bearer_tokens.items():
            yield "bearer token", t.get("principal")
        for tok, t in self.web_identity_tokens.items():
            for r in t.get("roles", []):
                yield "web identity token", r
        for tok, t in self.sso.get("access_tokens", {}).items():
            for r in t.get("roles", []):
                yield "SSO role %s" % r.get("role_name"), r.get("principal")
        if self.imds.get("role"):
            yield "imds", self.imds["role"]
        if self.container.get("role"):
            yield "container", self.container["role"]

    def _geo_regions(self, geo, model):
        regions = geo.get("regions", [])
        if regions == "*":
            return [r for r in self.regions if model.offered_in(r)]
        return list(regions)

    def _build_profiles(self, explicit):
        out = {}
        for model in self.models.values():
            for geo_name in model.profiles:
                geo = self.geos.get(geo_name)
                if geo is None:
                    raise ScenarioError("model %s: unknown geo %r"
                                        % (model.id, geo_name))
                dests = self._geo_regions(geo, model)
                sources = [r for r in dests if r in self.regions
                           and model.offered_in(r)]
                is_global = geo.get("regions") == "*"
                label = geo.get("label", geo_name.upper())
                where = ("globally across commercial AWS Regions" if is_global
                         else "in " + _and_list(dests))
                pid = "%s.%s" % (geo_name, model.id)
                out[pid] = Profile(
                    pid, model, "SYSTEM_DEFINED",
                    "%s %s %s" % (label, model.provider, model.name),
                    sources, dests, is_global,
                    "Routes requests to %s %s %s." % (model.provider,
                                                      model.name, where))
        for pid, raw in explicit.items():
            model = self.models.get(raw.get("model"))
            if model is None:
                raise ScenarioError("profile %s: unknown model %r"
                                    % (pid, raw.get("model")))
            dests = raw.get("destinations", [self.default_region])
            out[pid] = Profile(
                pid, model, raw.get("type", "SYSTEM_DEFINED"),
                raw.get("name", pid), raw.get("sources", dests), dests,
                bool(raw.get("global", False)), raw.get("description"),
                raw.get("created"))
        return out

    # -- clock
    def now(self):
        return time.time() + self.clock_offset

    # -- lookups
    def region(self, name):
        return self.regions.get(name) or Region(name, {}, known=False)

    def credential(self, access_key_id):
        with self.state.lock:
            return (self.creds.get(access_key_id)
                    or self.state.issued.get(access_key_id))

    def caller_for(self, cred):
        return Caller(self, self.principals[cred.principal],
                      cred.session_name, cred)

    def caller_for_principal(self, name, session_name=None):
        return Caller(self, self.principals[name], session_name)

    def principal_by_arn(self, arn):
        for p in self.principals.values():
            if p.arn == arn:
                return p
        return None

    def models_in(self, region):
        return [m for m in self.models.values() if m.offered_in(region)
                and self.region(region).known]

    def profiles_in(self, region):
        return [p for p in self.profiles.values() if region in p.sources]

    # -- issuing credentials
    def mint(self, principal, session_name, ttl_s, origin, chained=False):
        """New temporary credentials for principal; returns the Cred."""
        now = self.now()
        cred = Cred({
            "access_key_id": _random_key("ASIA"),
            "secret_access_key": base64.b64encode(
                secrets.token_bytes(30)).decode(),
            "session_token": "IQoJb3JpZ2luX2Vj" + base64.b64encode(
                secrets.token_bytes(96)).decode(),
            "principal": principal,
            "session_name": session_name,
            "expiration": now + ttl_s,
            "chained": chained,
        }, origin=origin)
        with self.state.lock:
            self.state.issued[cred.access_key_id] = cred
        return cred

    def cached_mint(self, key, principal, session_name, origin):
        """Credentials for a metadata source, re-minted near expiry."""
        with self.state.lock:
            cred = self.state.minted.get(key)
            if cred is None or cred.expiration - self.now() < 300:
                cred = self.mint(principal, session_name, self.credential_ttl,
                                 origin)
                self.state.minted[key] = cred
            return cred
