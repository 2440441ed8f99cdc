"""Credential sources that are not signed AWS APIs: the IAM Identity
Center portal (GetRoleCredentials), EC2 instance metadata (IMDSv2) and
the container credentials endpoint (ECS / EKS Pod Identity)."""

import base64
import json
import secrets

from .world import iso8601
from .wire import AwsError, Reply

IMDS_TTL_HEADER = "x-aws-ec2-metadata-token-ttl-seconds"
IMDS_TOKEN_HEADER = "x-aws-ec2-metadata-token"


def sso_role_credentials(call):
    world = call.world
    role_name, account = call.q("role_name"), call.q("account_id")
    token = call.req.header("x-amz-sso_bearer_token")
    if not role_name or not account or not token:
        raise AwsError(400, "InvalidRequestException",
                       "role_name, account_id and the "
                       "x-amz-sso_bearer_token header are required")
    info = world.sso.get("access_tokens", {}).get(token)
    if info is None or info.get("expired"):
        raise AwsError(401, "UnauthorizedException",
                       "Session token not found or invalid")
    call.entry["auth"] = "sso-token"
    for role in info.get("roles", []):
        if role.get("account_id") == account \
                and role.get("role_name") == role_name:
            cred = world.mint(role["principal"], info.get("user", "sso-user"),
                              world.credential_ttl, "sso")
            call.entry["issued_access_key_id"] = cred.access_key_id
            return call.ok({"roleCredentials": {
                "accessKeyId": cred.access_key_id,
                "secretAccessKey": cred.secret_access_key,
                "sessionToken": cred.session_token,
                "expiration": int(cred.expiration * 1000)}})
    raise AwsError(403, "ForbiddenException", "No access")


# ---------------------------------------------------------------- IMDS

def _imds_disabled(call):
    reply = Reply()
    reply.reset_after_bytes = -1
    reply.aws_headers = False
    return reply


def imds_token(call):
    world, req = call.world, call.req
    if not world.imds.get("enabled", True):
        return _imds_disabled(call)
    if req.header("x-forwarded-for"):
        raise AwsError(403, "Forbidden", "Forbidden")
    try:
        ttl = int(req.header(IMDS_TTL_HEADER) or "")
    except ValueError:
        ttl = 0
    if not 1 <= ttl <= 21600:
        raise AwsError(400, "BadRequest", "Bad Request")
    token = "AQAEA" + base64.urlsafe_b64encode(
        secrets.token_bytes(36)).decode().rstrip("=")
    with world.state.lock:
        world.state.imds_tokens[token] = world.now() + ttl
    call.entry["auth"] = "imds-token"
    reply = call.text(token)
    reply.headers.append(("X-aws-ec2-metadata-token-ttl-seconds", str(ttl)))
    return reply


def _imds_token_ok(call):
    world = call.world
    token = call.req.header(IMDS_TOKEN_HEADER)
    if token is None:
        return bool(world.imds.get("v1_allowed", False))
    with world.state.lock:
        expiry = world.state.imds_tokens.get(token)
    return expiry is not None and expiry > world.now()


def imds_get(call):
    world = call.world
    imds = world.imds
    if not imds.get("enabled", True):
        return _imds_disabled(call)
    if not _imds_token_ok(call):
        raise AwsError(401, "Unauthorized", "Unauthorized")
    rest = call.params.get("rest", "").rstrip("/")
    role = imds.get("role")
    role_name = role.split("/", 1)[1] if role else None
    az = imds.get("availability_zone", world.default_region + "a")
    instance_id = imds.get("instance_id", "i-0123456789abcdef0")
    creds_prefix = "meta-data/iam/security-credentials"
    if rest == creds_prefix and role_name:
        return call.text(role_name)
    if rest == creds_prefix + "/" + str(role_name) and role_name:
        cred = world.cached_mint("imds", role, instance_id, "imds")
        call.entry["issued_access_key_id"] = cred.access_key_id
        return call.text(json.dumps({
            "Code": "Success", "LastUpdated": iso8601(world.now()),
            "Type": "AWS-HMAC", "AccessKeyId": cred.access_key_id,
            "SecretAccessKey": cred.secret_access_key,
            "Token": cred.session_token,
            "Expiration": iso8601(cred.expiration)}, indent=2))
    simple = {
        "meta-data/placement/availability-zone": az,
        "meta-data/placement/region": az[:-1],
        "meta-data/instance-id": instance_id,
    }
    if rest in simple:
        return call.text(simple[rest])
    if rest == "dynamic/instance-identity/document":
        return call.text(json.dumps({
            "accountId": world.account, "availabilityZone": az,
            "region": az[:-1], "instanceId": instance_id,
            "instanceType": "t3.micro"}, indent=2))
    raise AwsError(404, "NotFound", "Not Found")


# ---------------------------------------------------------------- container

def container_credentials(call):
    world = call.world
    conf = world.container
    want = conf.get("authorization")
    if want is not None and call.req.header("authorization") != want:
        raise AwsError(401, "InvalidToken",
                       "Authorization token is missing or invalid")
    role = conf.get("role")
    if not role:
        raise AwsError(404, "NotFound", "No credentials for this task")
    call.entry["auth"] = "container-token"
    cred = world.cached_mint("container", role,
                             conf.get("session_name", "ecs-task"),
                             "container")
    call.entry["issued_access_key_id"] = cred.access_key_id
    return call.ok({"AccessKeyId": cred.access_key_id,
                    "SecretAccessKey": cred.secret_access_key,
                    "Token": cred.session_token,
                    "Expiration": iso8601(cred.expiration),
                    "RoleArn": world.principals[role].arn})
