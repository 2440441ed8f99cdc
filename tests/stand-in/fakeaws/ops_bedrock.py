"""Bedrock control plane: models, availability, inference profiles,
agreements (Marketplace offers) and the Anthropic use-case form."""

import base64
import binascii
import hashlib
import json
import re

from .world import fm_arn
from .wire import AwsError

_FM_ARN = re.compile(r"arn:aws(?:-[a-z-]+)?:bedrock:([a-z0-9-]*)::"
                     r"foundation-model/(.+)")
_PROFILE_ARN = re.compile(r"arn:aws(?:-[a-z-]+)?:bedrock:([a-z0-9-]*):"
                          r"(\d{12}):(?:application-)?inference-profile/(.+)")
ENUMS = {
    "byOutputModality": ["TEXT", "IMAGE", "EMBEDDING"],
    "byInferenceType": ["ON_DEMAND", "PROVISIONED"],
    "byCustomizationType": ["FINE_TUNING", "CONTINUED_PRE_TRAINING",
                            "DISTILLATION"],
    "type": ["SYSTEM_DEFINED", "APPLICATION"],
    "offerType": ["ALL", "PUBLIC"],
}
FORM_FIELDS = {"companyName": 128, "companyWebsite": 128,
               "intendedUsers": 1, "industryOption": 128,
               "otherIndustryOption": 128, "useCases": 8192}
FORM_REQUIRED = ["companyName", "companyWebsite", "intendedUsers",
                 "industryOption", "useCases"]


def validation(message):
    return AwsError(400, "ValidationException", message)


def not_found(message):
    return AwsError(404, "ResourceNotFoundException", message)


def _enum(call, name, wire_name=None):
    value = call.q(wire_name or name)
    if value is not None and value not in ENUMS[name]:
        raise validation("1 validation error detected: Value '%s' at '%s' "
                         "failed to satisfy constraint: Member must satisfy "
                         "enum value set: [%s]"
                         % (value, name, ", ".join(ENUMS[name])))
    return value


def resolve_model(call, ident):
    """The Model for a bare FM id or FM ARN in the call's Region."""
    m = _FM_ARN.fullmatch(ident)
    if m:
        if m.group(1) != call.region:
            raise validation("The provided model identifier is invalid.")
        ident = m.group(2)
    model = call.world.models.get(ident)
    if model is None or not model.offered_in(call.region) \
            or not call.world.region(call.region).known:
        raise not_found("Could not resolve the foundation model from the "
                        "provided model identifier.")
    return model


# ---------------------------------------------------------------- models

def list_foundation_models(call):
    call.authorize("bedrock:ListFoundationModels")
    provider = call.q("byProvider")
    if provider is not None and not re.fullmatch(r"[A-Za-z0-9- ]{1,63}",
                                                 provider):
        raise validation("1 validation error detected: Value '%s' at "
                         "'byProvider' failed to satisfy constraint: Member "
                         "must satisfy regular expression pattern: "
                         "[A-Za-z0-9- ]{1,63}" % provider)
    modality = _enum(call, "byOutputModality")
    itype = _enum(call, "byInferenceType")
    custom = _enum(call, "byCustomizationType")
    out = []
    for model in call.world.models_in(call.region):
        s = model.summary(call.region)
        if provider and provider.lower() != s["providerName"].lower():
            continue
        if modality and modality not in s["outputModalities"]:
            continue
        if itype and itype not in s["inferenceTypesSupported"]:
            continue
        if custom and custom not in s["customizationsSupported"]:
            continue
        out.append(s)
    call.entry["count"] = len(out)
    return call.ok({"modelSummaries": out})


def get_foundation_model(call):
    ident = call.params["model"]
    model = resolve_model(call, ident)
    call.authorize("bedrock:GetFoundationModel",
                   fm_arn(call.region, model.id))
    return call.ok({"modelDetails": model.summary(call.region)})


def get_availability(call):
    call.authorize("bedrock:GetFoundationModelAvailability")
    world, region = call.world, call.region
    model = world.models.get(call.params["model"])
    if model is None:
        raise not_found("The model %s was not found." % call.params["model"])
    with world.state.lock:
        agreement = world.state.agreements.get(model.id) or "AVAILABLE"
    avail = model.get(region, "availability", {}) or {}
    offered = model.offered_in(region) and world.region(region).known
    out = {"modelId": model.id,
           "agreementAvailability": {"status": agreement},
           "authorizationStatus": avail.get("authorization", "AUTHORIZED"),
           "entitlementAvailability": avail.get("entitlement", "AVAILABLE"),
           "regionAvailability": "AVAILABLE" if offered else "NOT_AVAILABLE"}
    if agreement == "ERROR":
        out["agreementAvailability"]["errorMessage"] = avail.get(
            "agreement_error", "The agreement could not be created.")
    return call.ok(out)


# ---------------------------------------------------------------- profiles

def _token(offset, kind):
    raw = json.dumps({"o": offset, "t": kind or ""}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _untoken(token, kind):
    try:
        obj = json.loads(base64.urlsafe_b64decode(token.encode()))
        if obj.get("t") == (kind or "") and int(obj["o"]) >= 0:
            return int(obj["o"])
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error):
        pass
    raise validation("The provided pagination token is invalid.")


def list_inference_profiles(call):
    call.authorize("bedrock:ListInferenceProfiles")
    kind = _enum(call, "type")
    raw_max = call.q("maxResults")
    size = call.world.page_size
    if raw_max is not None:
        try:
            size = int(raw_max)
        except ValueError:
            size = 0
        if not 1 <= size <= 1000:
            raise validation("1 validation error detected: Value '%s' at "
                             "'maxResults' failed to satisfy constraint: "
                             "Member must have value between 1 and 1000"
                             % raw_max)
    start = _untoken(call.q("nextToken"), kind) if call.q("nextToken") else 0
    items = sorted((p for p in call.world.profiles_in(call.region)
                    if kind is None or p.kind == kind), key=lambda p: p.id)
    page = items[start:start + size]
    out = {"inferenceProfileSummaries": [
        p.summary(call.region, call.world.account) for p in page]}
    if start + size < len(items):
        out["nextToken"] = _token(start + size, kind)
    call.entry["count"] = len(page)
    return call.ok(out)


def find_profile(call, ident):
    """The Profile for an id or ARN usable from the call's Region, or None."""
    world = call.world
    m = _PROFILE_ARN.fullmatch(ident)
    if m:
        if m.group(1) != call.region or m.group(2) != world.account:
            return None
        ident = m.group(3)
    profile = world.profiles.get(ident)
    if profile is None or call.region not in profile.sources:
        return None
    if profile.kind == "APPLICATION" and not m:
        return None
    return profile


def get_inference_profile(call):
    ident = call.params["profile"]
    profile = find_profile(call, ident)
    if profile is None:
        raise not_found("The specified inference profile %s was not found."
                        % ident)
    arn = profile.arn(call.region, call.world.account)
    call.authorize("bedrock:GetInferenceProfile", arn)
    return call.ok(profile.summary(call.region, call.world.account))


# ---------------------------------------------------------------- agreements

def _default_offer(model):
    digest = hashlib.sha256(model.id.encode()).hexdigest()
    return {
        "offerId": "offer-" + digest[:20],
        "offerToken": base64.b64encode(
            ("public:" + model.id + ":" + digest[:32]).encode()).decode(),
        "termDetails": {
            "usageBasedPricingTerm": {"rateCard": [
                {"dimension": "input_tokens", "price": "0.003",
                 "description": "Price per 1,000 input tokens",
                 "unit": "1K tokens"},
                {"dimension": "output_tokens", "price": "0.015",
                 "description": "Price per 1,000 output tokens",
                 "unit": "1K tokens"}]},
            "legalTerm": {"url": "https://aws.amazon.com/legal/bedrock/"
                                 "third-party-models/"},
            "supportTerm": {"refundPolicyDescription":
                            "No refunds for usage-based charges."},
            "validityTerm": {"agreementDuration": "P1Y"}}}


def offers_for(model, include_private):
    raw = model.raw.get("offers")
    if raw is None:
        raw = [_default_offer(model)] if model.marketplace else []
    out = []
    for offer in raw:
        if offer.get("private") and not include_private:
            continue
        out.append({k: v for k, v in offer.items() if k != "private"})
    return out


def list_agreement_offers(call):
    call.authorize("bedrock:ListFoundationModelAgreementOffers")
    offer_type = _enum(call, "offerType") or "PUBLIC"
    model = call.world.models.get(call.params["model"])
    if model is None or not model.offered_in(call.region):
        raise not_found("The model %s was not found." % call.params["model"])
    return call.ok({"modelId": model.id,
                    "offers": offers_for(model, offer_type == "ALL")})


def create_agreement(call):
    body = call.json()
    for field in ("offerToken", "modelId"):
        if not isinstance(body.get(field), str):
            raise validation("1 validation error detected: Value null at "
                             "'%s' failed to satisfy constraint: Member must "
                             "not be null" % field)
    call.authorize("bedrock:CreateFoundationModelAgreement")
    call.authorize("aws-marketplace:Subscribe")
    world = call.world
    model = world.models.get(body["modelId"])
    if model is None or not model.offered_in(call.region):
        raise not_found("The model %s was not found." % body["modelId"])
    tokens = [o["offerToken"] for o in offers_for(model, True)]
    if body["offerToken"] not in tokens:
        raise validation("The provided offer token is invalid.")
    with world.state.lock:
        world.state.agreements[model.id] = world.agreement_on_create
    call.entry["agreement"] = world.agreement_on_create
    return call.ok({"modelId": model.id}, 202)


# ---------------------------------------------------------------- use case

def get_use_case(call):
    call.authorize("bedrock:GetUseCaseForModelAccess")
    with call.world.state.lock:
        use_case = dict(call.world.state.use_case)
    if not use_case["submitted"]:
        raise not_found("Model use case details have not been submitted for "
                        "this account.")
    return call.ok({"formData": use_case["form_b64"]})


def check_form(form_b64):
    """Check formData (base64 of the form JSON); raise if invalid."""
    if not isinstance(form_b64, str):
        raise validation("1 validation error detected: Value null at "
                         "'formData' failed to satisfy constraint: Member "
                         "must not be null")
    try:
        raw = base64.b64decode(form_b64.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise validation("formData must be base64-encoded.")
    if len(raw) < 10:
        raise validation("1 validation error detected: Value at 'formData' "
                         "failed to satisfy constraint: Member must have "
                         "length greater than or equal to 10")
    if len(raw) > 16384:
        raise validation("1 validation error detected: Value at 'formData' "
                         "failed to satisfy constraint: Member must have "
                         "length less than or equal to 16384")
    try:
        form = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        form = None
    if not isinstance(form, dict):
        raise validation("formData must be a JSON object.")
    for key, value in form.items():
        if key not in FORM_FIELDS:
            raise validation("formData has an unknown field: %s." % key)
        if not isinstance(value, str):
            raise validation("formData field %s must be a string." % key)
        if len(value) > FORM_FIELDS[key]:
            raise validation("formData field %s must be at most %d "
                             "characters." % (key, FORM_FIELDS[key]))
    for key in FORM_REQUIRED:
        if not form.get(key):
            raise validation("formData field %s is required." % key)
    if form["intendedUsers"] not in ("0", "1", "2"):
        raise validation("formData field intendedUsers must be \"0\", \"1\" "
                         "or \"2\".")
    return form


def put_use_case(call):
    body = call.json()
    call.authorize("bedrock:PutUseCaseForModelAccess")
    check_form(body.get("formData"))
    with call.world.state.lock:
        call.world.state.use_case = {"submitted": True,
                                     "form_b64": body["formData"]}
    return call.ok({}, 201)
