"""STS (GetCallerIdentity, AssumeRole, AssumeRoleWithWebIdentity) and IAM
SimulatePrincipalPolicy, in the query protocol with AWS's XML."""

import base64
import re

from . import policy
from .world import iso8601
from .wire import AwsError

_SESSION_NAME = re.compile(r"[\w+=,.@-]{2,64}")
_ROLE_ARN = re.compile(r"arn:aws:iam::(\d{12}):role/(?:[\w+=,.@-]+/)*"
                       r"([\w+=,.@-]+)")


def _validation(message):
    return AwsError(400, "ValidationError", message)


def _members(form, name):
    """Query-protocol list NAME.member.N as a list in N order."""
    prefix = name + ".member."
    items = []
    for key, value in form.items():
        if key.startswith(prefix):
            try:
                items.append((int(key[len(prefix):]), value))
            except ValueError:
                continue
    return [v for _, v in sorted(items)]


def _credentials_xml(cred):
    return {"AccessKeyId": cred.access_key_id,
            "SecretAccessKey": cred.secret_access_key,
            "SessionToken": cred.session_token,
            "Expiration": iso8601(cred.expiration)}


def _duration(form, limit, chained):
    raw = form.get("DurationSeconds")
    if raw is None:
        return min(3600, limit)
    try:
        value = int(raw)
    except ValueError:
        raise _validation("1 validation error detected: Value '%s' at "
                          "'durationSeconds' failed to satisfy constraint: "
                          "Member must be a number" % raw)
    if value < 900:
        raise _validation("1 validation error detected: Value '%d' at "
                          "'durationSeconds' failed to satisfy constraint: "
                          "Member must have value greater than or equal to "
                          "900" % value)
    if chained and value > 3600:
        raise _validation("The requested DurationSeconds exceeds the 1 hour "
                          "session limit for roles assumed by role chaining.")
    if value > limit:
        raise _validation("The requested DurationSeconds exceeds the "
                          "MaxSessionDuration set for this role.")
    return value


def _session_name(form):
    name = form.get("RoleSessionName")
    if name is None:
        raise _validation("1 validation error detected: Value null at "
                          "'roleSessionName' failed to satisfy constraint: "
                          "Member must not be null")
    if not _SESSION_NAME.fullmatch(name):
        raise _validation("1 validation error detected: Value '%s' at "
                          "'roleSessionName' failed to satisfy constraint: "
                          "Member must satisfy regular expression pattern: "
                          "[\\w+=,.@-]*" % name)
    return name


def _role(call, role_arn):
    """The role principal named by role_arn, or None."""
    m = _ROLE_ARN.fullmatch(role_arn or "")
    if not m or m.group(1) != call.world.account:
        return None
    return call.world.principals.get("role/" + m.group(2))


def _assumed(call, cred, extra=None):
    caller = call.world.caller_for(cred)
    result = {"AssumedRoleUser": {"AssumedRoleId": caller.user_id,
                                  "Arn": caller.arn},
              "Credentials": _credentials_xml(cred)}
    result.update(extra or {})
    call.entry["issued_access_key_id"] = cred.access_key_id
    return call.ok_query(result)


def get_caller_identity(call):
    c = call.caller
    return call.ok_query({"Arn": c.arn, "UserId": c.user_id,
                          "Account": c.account})


def assume_role(call):
    form, world, caller = call.req.form(), call.world, call.caller
    role_arn = form.get("RoleArn")
    if not role_arn:
        raise _validation("1 validation error detected: Value null at "
                          "'roleArn' failed to satisfy constraint: Member "
                          "must not be null")
    session = _session_name(form)
    role = _role(call, role_arn)
    denied = AwsError(403, "AccessDenied", "User: %s is not authorized to "
                      "perform: sts:AssumeRole on resource: %s"
                      % (caller.arn, role_arn))
    if role is None or role.kind != "role":
        raise denied
    trusted = role.trust == "*" or "*" in role.trust \
        or caller.principal.name in role.trust
    if not trusted:
        raise denied
    if role.external_id is not None \
            and form.get("ExternalId") != role.external_id:
        raise denied
    source_identity = form.get("SourceIdentity")
    if source_identity is not None and role.source_identities is not None \
            and source_identity not in role.source_identities:
        raise denied
    call.authorize("sts:AssumeRole", role.arn)
    chained = caller.principal.kind == "role"
    ttl = _duration(form, role.max_session_s, chained)
    cred = world.mint(role.name, session, ttl, "sts:AssumeRole", chained)
    extra = {"SourceIdentity": source_identity} if source_identity else None
    return _assumed(call, cred, extra)


def assume_role_with_web_identity(call):
    form, world = call.req.form(), call.world
    role_arn = form.get("RoleArn")
    session = _session_name(form)
    token = form.get("WebIdentityToken")
    info = world.web_identity_tokens.get(token or "")
    if info is None:
        raise AwsError(400, "InvalidIdentityToken", "The ID Token provided "
                       "is not a valid JWT. (You may see this error if you "
                       "sent an Access Token)")
    now = int(world.now())
    if info.get("expired"):
        raise AwsError(400, "ExpiredTokenException", "Token expired: current "
                       "date/time %d must be before the expiration date/time"
                       " %d" % (now, now - 600))
    role = _role(call, role_arn)
    if role is None or role.name not in info.get("roles", []):
        raise AwsError(403, "AccessDenied", "Not authorized to perform "
                       "sts:AssumeRoleWithWebIdentity")
    ttl = _duration(form, role.max_session_s, False)
    cred = world.mint(role.name, session, ttl,
                      "sts:AssumeRoleWithWebIdentity")
    extra = {"SubjectFromWebIdentityToken": info.get("subject", "subject"),
             "Audience": info.get("audience", "sts.amazonaws.com"),
             "Provider": info.get("provider", "oidc.example.com")}
    return _assumed(call, cred, extra)


# ---------------------------------------------------------------- IAM

def _no_such_entity(arn):
    kind, _, name = (arn.split(":", 5)[-1] if arn.count(":") >= 5
                     else "").partition("/")
    if kind in ("user", "role", "group") and name:
        return AwsError(404, "NoSuchEntity", "The %s with name %s cannot be "
                        "found." % (kind, name.split("/")[-1]))
    return AwsError(400, "InvalidInput", "Invalid ARN: %s" % arn)


def _matched(principal, stmts):
    """MatchedStatements for the statements that decided a result."""
    by_source = {}
    for s in principal.grants:
        by_source.setdefault(s.source, []).append(s)
    out = []
    for s in stmts:
        group = by_source[s.source]
        _, spans = policy.render_document(group)
        (l0, c0), (l1, c1) = spans[group.index(s)]
        out.append({"SourcePolicyId": s.source,
                    "SourcePolicyType": s.source_type,
                    "StartPosition": {"Line": l0, "Column": c0},
                    "EndPosition": {"Line": l1, "Column": c1}})
    return out


def _page(call, items):
    form = call.req.form()
    try:
        start = int(base64.b64decode(form["Marker"]).decode()) \
            if form.get("Marker") else 0
        size = int(form.get("MaxItems", 100))
    except (ValueError, UnicodeDecodeError):
        raise AwsError(400, "InvalidInput", "Invalid Marker or MaxItems.")
    if size < 1 or size > 1000:
        raise _validation("1 validation error detected: Value '%d' at "
                          "'maxItems' failed to satisfy constraint: Member "
                          "must have value between 1 and 1000" % size)
    page = items[start:start + size]
    more = start + size < len(items)
    marker = base64.b64encode(str(start + size).encode()).decode() \
        if more else None
    return page, more, marker


def simulate_principal_policy(call):
    form, world = call.req.form(), call.world
    source = form.get("PolicySourceArn")
    if not source:
        raise _validation("1 validation error detected: Value null at "
                          "'policySourceArn' failed to satisfy constraint: "
                          "Member must not be null")
    if world.iam.get("simulate_denied"):
        decision = policy.Decision(policy.IMPLICIT_DENY)
        raise AwsError(403, "AccessDenied", policy.denial_message(
            call.caller.arn, "iam:SimulatePrincipalPolicy", source, decision))
    call.authorize("iam:SimulatePrincipalPolicy", source)
    principal = world.principal_by_arn(source)
    if principal is None:
        raise _no_such_entity(source)
    actions = _members(form, "ActionNames")
    if not actions:
        raise _validation("1 validation error detected: Value null at "
                          "'actionNames' failed to satisfy constraint: "
                          "Member must not be null")
    given = _members(form, "ResourceArns")
    results = []
    for action in actions:
        for resource in given or ["*"]:
            d = policy.evaluate(principal.grants, world.scp, action, resource)
            matched = _matched(principal, d.matched)
            r = {"EvalActionName": action, "EvalResourceName": resource,
                 "EvalDecision": d.decision, "MatchedStatements": matched,
                 "MissingContextValues": []}
            if world.scp:
                r["OrganizationsDecisionDetail"] = {
                    "AllowedByOrganizations": not d.by_scp}
            if given:
                r["ResourceSpecificResults"] = [{
                    "EvalResourceName": resource,
                    "EvalResourceDecision": d.decision,
                    "MatchedStatements": matched,
                    "MissingContextValues": []}]
            results.append(r)
    page, more, marker = _page(call, results)
    call.entry["simulated"] = len(page)
    return call.ok_query({"EvaluationResults": page, "IsTruncated": more,
                          "Marker": marker})


STS_OPS = {
    "GetCallerIdentity": (get_caller_identity, "sigv4"),
    "AssumeRole": (assume_role, "sigv4"),
    "AssumeRoleWithWebIdentity": (assume_role_with_web_identity, "optional"),
}
IAM_OPS = {
    "SimulatePrincipalPolicy": (simulate_principal_policy, "sigv4"),
}
