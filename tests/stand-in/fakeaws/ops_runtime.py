"""Bedrock runtime: Converse and ConverseStream.

A call resolves the path's modelId (model id, profile id, or an ARN) in
the call's Region, checks IAM the way Bedrock does (for a profile: the
profile ARN, the model in the source Region and in the destination Region
the stand-in routes to), then the model's access state (failure set in the
scenario, Anthropic use-case form, Marketplace agreement), then the body,
and answers with the scenario's reply.
"""

import re

from . import eventstream
from .ops_bedrock import _FM_ARN, _PROFILE_ARN, find_profile, validation
from .world import fm_arn
from .wire import AwsError, Reply

MARKETPLACE = (
    "Model access is denied due to IAM user or service role is not "
    "authorized to perform the required AWS Marketplace actions "
    "(aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to "
    "enable access to this model. Refer to the Amazon Bedrock documentation "
    "for further details. Your AWS Marketplace subscription for this model "
    "cannot be completed at this time. If you recently fixed this issue, try "
    "again after 5 minutes.")
FTU = ("Model use case details have not been submitted for this account. "
       "Fill out the Anthropic use case details form before using the "
       "model.")
ON_DEMAND = ("Invocation of model ID %s with on-demand throughput isn\u2019t "
             "supported. Retry your request with the ID or ARN of an "
             "inference profile that contains this model.")
INVALID_ID = "The provided model identifier is invalid."

# name -> (status, code, message[, extra fields]); see the README.
FAILURES = {
    "no_access": (403, "AccessDeniedException", "You don't have access to "
                  "the model with the specified model ID."),
    "account_not_authorized": (403, "AccessDeniedException", "Your account "
                               "is not authorized to invoke this API "
                               "operation."),
    "marketplace": (403, "AccessDeniedException", MARKETPLACE),
    "marketplace_pending": (403, "AccessDeniedException", "Your account is "
                            "not authorized to access this model. Your AWS "
                            "Marketplace subscription for this model is "
                            "still being processed"),
    "use_case_form": (404, "ResourceNotFoundException", FTU),
    "legacy": (404, "ResourceNotFoundException", "Access denied. This Model "
               "is marked by provider as Legacy and you have not been "
               "actively using the model in the last 30 days. Please upgrade "
               "to an active model on Amazon Bedrock"),
    "end_of_life": (404, "ResourceNotFoundException", "This model version "
                    "has reached the end of its life. Please refer to the AWS "
                    "documentation for more details."),
    "invalid_id": (400, "ValidationException", INVALID_ID),
    "not_ready": (429, "ModelNotReadyException", "The model specified in the "
                  "request is not ready to serve inference requests. The AWS "
                  "SDK will automatically retry the operation up to 5 "
                  "times."),
    "timeout": (408, "ModelTimeoutException", "The request took too long to "
                "process. Processing time exceeded the model timeout "
                "length."),
    "model_error": (424, "ModelErrorException", "The request failed due to "
                    "an error while processing the model."),
    "unavailable": (503, "ServiceUnavailableException", "Bedrock is unable "
                    "to process your request."),
    "internal": (500, "InternalServerException", "The server encountered an "
                 "internal error while processing the request."),
    "throttled": (429, "ThrottlingException", "Too many requests, please "
                  "wait before trying again."),
    "tokens_per_day": (429, "ThrottlingException", "Too many tokens per day, "
                       "please wait before trying again."),
}
_WORD = re.compile(r"\S+\s*")


class Target:
    """What a modelId resolved to in the call's Region."""

    def __init__(self, model, profile=None):
        self.model = model
        self.profile = profile
        self.destination = None


def failure(name, model, region, invoked):
    """The AwsError for a FAILURES name or a {status, code, message} dict."""
    if isinstance(name, dict):
        return AwsError(int(name.get("status", 400)),
                        name.get("code", "ValidationException"),
                        name.get("message", ""),
                        body_key=name.get("body_key", "message"))
    if name == "on_demand":
        return AwsError(400, "ValidationException", ON_DEMAND % invoked)
    if name not in FAILURES:
        raise AwsError(500, "InternalServerException",
                       "stand-in: unknown failure %r in scenario" % name,
                       sender=False)
    status, code, message = FAILURES[name]
    extra = {}
    if name == "model_error":
        extra = {"originalStatusCode": 500,
                 "resourceName": fm_arn(region, model.id)}
    return AwsError(status, code, message, extra=extra,
                    sender=status < 500)


def _resolve(call):
    world, region, raw = call.world, call.region, call.params["model"]
    if not world.region(region).known:
        raise validation(INVALID_ID)
    m = _FM_ARN.fullmatch(raw)
    if m:
        model = world.models.get(m.group(2))
        if m.group(1) != region or model is None \
                or not model.offered_in(region):
            raise validation(INVALID_ID)
        target = Target(model)
    else:
        profile = find_profile(call, raw)
        if profile is not None:
            return Target(profile.model, profile)
        model = world.models.get(raw)
        if _PROFILE_ARN.fullmatch(raw) or model is None \
                or not model.offered_in(region):
            raise validation(INVALID_ID)
        target = Target(model)
    if "ON_DEMAND" not in target.model.inference_types(region):
        raise failure("on_demand", target.model, region, raw)
    return target


def _route(call, target):
    """Pick the destination Region of a profile call (logged)."""
    profile, world = target.profile, call.world
    dests = profile.destinations or [call.region]
    routing = world.doc.get("routing", "round_robin")
    if isinstance(routing, dict):
        dest = routing.get(profile.id, dests[0])
    elif routing == "source" and call.region in dests:
        dest = call.region
    else:
        dest = dests[world.state.next_rr((profile.id, call.region),
                                         len(dests))]
    target.destination = dest
    call.entry["destination_region"] = dest
    return dest


def _check_iam(call, target, action):
    region, model = call.region, target.model
    if target.profile is None:
        call.authorize(action, fm_arn(region, model.id))
        return
    call.authorize(action, target.profile.arn(region, call.world.account))
    call.authorize(action, fm_arn(region, model.id))
    dest = _route(call, target)
    if target.profile.is_global:
        call.authorize(action, "arn:aws:bedrock:::foundation-model/%s"
                       % model.id)
    elif dest != region:
        call.authorize(action, fm_arn(dest, model.id))


def _check_access(call, target):
    world, region, model = call.world, call.region, target.model
    fail = model.failure(region)
    if fail:
        raise failure(fail, model, region, call.params["model"])
    with world.state.lock:
        form_done = world.state.use_case["submitted"]
        agreement = world.state.agreements.get(model.id) or "AVAILABLE"
    if model.provider in world.use_case_required_for and not form_done:
        raise failure("use_case_form", model, region, None)
    if model.marketplace and agreement == "PENDING":
        raise failure("marketplace_pending", model, region, None)
    if model.marketplace and agreement in ("NOT_AVAILABLE", "ERROR"):
        caller = call.caller
        can = all(caller.decide(a, "*").allowed for a in (
            "aws-marketplace:Subscribe", "aws-marketplace:ViewSubscriptions"))
        if not can:
            raise failure("marketplace", model, region, None)
        with world.state.lock:
            world.state.agreements[model.id] = "AVAILABLE"
        call.entry["auto_subscribed"] = True
    avail = model.get(region, "availability", {}) or {}
    if avail.get("authorization") == "NOT_AUTHORIZED" \
            or avail.get("entitlement") == "NOT_AVAILABLE":
        raise failure("no_access", model, region, None)
    if "TEXT" not in model.get(region, "output", ["TEXT"]):
        raise validation("This action doesn't support the model that you "
                         "provided. Try again with a supported text or chat "
                         "model.")


def _texts(blocks):
    out = []
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, dict) and isinstance(block.get("text"), str):
            out.append(block["text"])
    return out


def _check_body(body):
    messages = body.get("messages")
    if messages is not None and not isinstance(messages, list):
        raise AwsError(400, "SerializationException",
                       "Start of list found where not expected")
    if not messages or not isinstance(messages[0], dict) \
            or messages[0].get("role") != "user":
        raise validation("A conversation must start with a user message. "
                         "Try again with a conversation that starts with a "
                         "user message.")
    for i, msg in enumerate(messages):
        role = msg.get("role") if isinstance(msg, dict) else None
        if role not in ("user", "assistant"):
            raise validation("1 validation error detected: Value '%s' at "
                             "'messages.%d.member.role' failed to satisfy "
                             "constraint: Member must satisfy enum value "
                             "set: [user, assistant]" % (role, i + 1))
        if i and messages[i - 1].get("role") == role:
            raise validation("A conversation must alternate between user and "
                             "assistant roles. Make sure the conversation "
                             "alternates between user and assistant roles "
                             "and try again.")
    conf = body.get("inferenceConfig") or {}
    if not isinstance(conf, dict):
        raise AwsError(400, "SerializationException",
                       "Start of structure or map found where not expected.")
    max_tokens = conf.get("maxTokens")
    if max_tokens is not None and (not isinstance(max_tokens, int)
                                   or max_tokens < 1):
        raise validation("1 validation error detected: Value '%s' at "
                         "'inferenceConfig.maxTokens' failed to satisfy "
                         "constraint: Member must have value greater than or "
                         "equal to 1" % max_tokens)
    for key in ("temperature", "topP"):
        v = conf.get(key)
        if v is not None and (not isinstance(v, (int, float))
                              or not 0 <= v <= 1):
            raise validation("1 validation error detected: Value '%s' at "
                             "'inferenceConfig.%s' failed to satisfy "
                             "constraint: Member must have value less than "
                             "or equal to 1" % (v, key))
    return messages, max_tokens


def _answer(call, target, body):
    """(text, stop_reason, usage, latency_ms) for this call."""
    messages, max_tokens = _check_body(body)
    world, region, model = call.world, call.region, target.model
    reply = model.get(region, "reply", {}) or {}
    prompt_texts = _texts(body.get("system"))
    for msg in messages:
        prompt_texts += _texts(msg.get("content"))
    user_texts = _texts(messages[-1].get("content"))
    template = reply.get("text", world.doc.get(
        "default_reply", "Hello from {model_name} in {region}."))
    values = {"model_id": model.id, "model_name": model.name,
              "region": region, "destination": target.destination or region,
              "invoked": call.params["model"],
              "prompt": " ".join(user_texts)}
    text = template
    for key, value in values.items():
        text = text.replace("{%s}" % key, value)
    pieces = _WORD.findall(text)
    stop = reply.get("stop_reason", "end_turn")
    if max_tokens is not None and max_tokens < len(pieces):
        pieces = pieces[:max_tokens]
        text = "".join(pieces).rstrip()
        stop = "max_tokens"
    out_tokens = int(reply.get("output_tokens", len(pieces)))
    in_tokens = int(reply.get("input_tokens",
                              sum(len(t.split()) for t in prompt_texts)))
    usage = {"inputTokens": in_tokens, "outputTokens": out_tokens,
             "totalTokens": in_tokens + out_tokens}
    call.entry["stop_reason"] = stop
    call.entry["output_tokens"] = out_tokens
    return text, stop, usage, int(reply.get("latency_ms", 250))


def _prepare(call, action):
    call.entry["model"] = call.params["model"]
    target = _resolve(call)
    call.entry["model_id"] = target.model.id
    if target.profile is not None:
        call.entry["profile_id"] = target.profile.id
    _check_iam(call, target, action)
    _check_access(call, target)
    return target


def converse(call):
    target = _prepare(call, "bedrock:InvokeModel")
    text, stop, usage, latency = _answer(call, target, call.json())
    return call.ok({
        "output": {"message": {"role": "assistant",
                               "content": [{"text": text}]}},
        "stopReason": stop, "usage": usage,
        "metrics": {"latencyMs": latency}})


def _padding(i):
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return alphabet[:(7 * i + 5) % len(alphabet) + 1]


def converse_stream(call):
    target = _prepare(call, "bedrock:InvokeModelWithResponseStream")
    model, region = target.model, call.region
    if not model.get(region, "streaming", True):
        raise validation("The model is unsupported for streaming.")
    text, stop, usage, latency = _answer(call, target, call.json())
    world = call.world
    reply_conf = model.get(region, "reply", {}) or {}
    per = max(1, int(reply_conf.get("chunk_words",
                                    world.stream.get("chunk_words", 1))))
    pieces = _WORD.findall(text) or [""]
    deltas = ["".join(pieces[i:i + per]) for i in range(0, len(pieces), per)]
    events = [("messageStart", {"role": "assistant"})]
    events += [("contentBlockDelta", {"contentBlockIndex": 0,
                                      "delta": {"text": d}}) for d in deltas]
    events += [("contentBlockStop", {"contentBlockIndex": 0}),
               ("messageStop", {"stopReason": stop}),
               ("metadata", {"usage": usage,
                             "metrics": {"latencyMs": latency}})]
    frames = []
    for i, (name, payload) in enumerate(events):
        if world.stream.get("padding"):
            payload = dict(payload, p=_padding(i))
        frames.append(eventstream.event(name, payload))
    reply = Reply(200, [("Content-Type",
                         "application/vnd.amazon.eventstream")], frames=frames)
    reply.frame_delay_s = float(reply_conf.get(
        "chunk_delay_ms", world.stream.get("chunk_delay_ms", 0))) / 1000.0
    call.entry["frames"] = len(frames)
    return reply
