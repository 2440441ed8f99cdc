"""Which operation a request is: by method and path, and for the query
protocol (POST / with a form body) by Action and the SigV4 scope."""

import re
from urllib.parse import unquote

from . import ops_analyzer, ops_bedrock, ops_creds, ops_runtime, ops_sts
from .call import Route
from .wire import AwsError

_SEG = r"(?P<%s>[^/]+)"

# (method, path regex, service, op, handler, auth)
_TABLE = [
    ("GET", r"/foundation-models", "bedrock", "ListFoundationModels",
     ops_bedrock.list_foundation_models, "sigv4"),
    ("GET", r"/foundation-models/" + _SEG % "model", "bedrock",
     "GetFoundationModel", ops_bedrock.get_foundation_model, "sigv4"),
    ("GET", r"/foundation-model-availability/" + _SEG % "model", "bedrock",
     "GetFoundationModelAvailability", ops_bedrock.get_availability, "sigv4"),
    ("GET", r"/inference-profiles", "bedrock", "ListInferenceProfiles",
     ops_bedrock.list_inference_profiles, "sigv4"),
    ("GET", r"/inference-profiles/" + _SEG % "profile", "bedrock",
     "GetInferenceProfile", ops_bedrock.get_inference_profile, "sigv4"),
    ("GET", r"/list-foundation-model-agreement-offers/" + _SEG % "model",
     "bedrock", "ListFoundationModelAgreementOffers",
     ops_bedrock.list_agreement_offers, "sigv4"),
    ("POST", r"/create-foundation-model-agreement", "bedrock",
     "CreateFoundationModelAgreement", ops_bedrock.create_agreement, "sigv4"),
    ("GET", r"/use-case-for-model-access", "bedrock",
     "GetUseCaseForModelAccess", ops_bedrock.get_use_case, "sigv4"),
    ("POST", r"/use-case-for-model-access", "bedrock",
     "PutUseCaseForModelAccess", ops_bedrock.put_use_case, "sigv4"),
    ("POST", r"/model/" + _SEG % "model" + "/converse", "bedrock-runtime",
     "Converse", ops_runtime.converse, "sigv4"),
    ("POST", r"/model/" + _SEG % "model" + "/converse-stream",
     "bedrock-runtime", "ConverseStream", ops_runtime.converse_stream,
     "sigv4"),
    ("POST", r"/policy/validation", "access-analyzer", "ValidatePolicy",
     ops_analyzer.validate_policy, "sigv4"),
    ("GET", r"/federation/credentials", "sso", "GetRoleCredentials",
     ops_creds.sso_role_credentials, "none"),
    ("PUT", r"/latest/api/token", "imds", "GetToken",
     ops_creds.imds_token, "none"),
    ("GET", r"/latest/(?P<rest>.*)", "imds", "GetMetadata",
     ops_creds.imds_get, "none"),
]
_COMPILED = [(m, re.compile(p + r"/?"), s, o, h, a)
             for m, p, s, o, h, a in _TABLE]
_SCOPE = re.compile(r"Credential=[^/,\s]*/[^/]*/[^/]*/([^/,\s]*)/")


def _unknown(service):
    return service, AwsError(404, "UnknownOperationException", None)


def route(world, req):
    """A Route for req, or (service guess, AwsError) when none fits."""
    if req.method == "POST" and req.raw_path == "/":
        return _query_route(req)
    for method, rx, service, op, handler, auth in _COMPILED:
        m = rx.fullmatch(req.raw_path)
        if m and method == req.method:
            params = {k: unquote(v) for k, v in m.groupdict().items()}
            return Route(service, op, handler, auth, params)
    paths = world.container.get("paths", ["/container-credentials"])
    if req.method == "GET" and req.raw_path in paths:
        return Route("container", "GetCredentials",
                     ops_creds.container_credentials, "none")
    if req.raw_path.startswith("/latest/"):
        return _unknown("imds")
    if req.raw_path.startswith("/model/"):
        return _unknown("bedrock-runtime")
    return _unknown("bedrock")


def _query_route(req):
    action = req.form().get("Action")
    m = _SCOPE.search(req.header("authorization") or "")
    scope = m.group(1) if m else None
    tables = [("sts", ops_sts.STS_OPS), ("iam", ops_sts.IAM_OPS)]
    if scope == "iam":
        tables.reverse()
    for service, ops in tables:
        if action in ops:
            handler, auth = ops[action]
            return Route(service, action, handler, auth)
    service = "iam" if scope == "iam" else "sts"
    if not action:
        return service, AwsError(400, "MissingAction",
                                 "Missing Action parameter")
    return service, AwsError(400, "InvalidAction",
                             "Could not find operation %s for version %s"
                             % (action, req.form().get(
                                 "Version", "NO_VERSION_SPECIFIED")))
