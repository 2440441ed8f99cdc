"""Encoder for application/vnd.amazon.eventstream messages.

Frame layout (big-endian): total_length u32, headers_length u32,
prelude_crc u32, headers, payload, message_crc u32.  Only string headers
(type 7) are produced, which is all Bedrock uses.
"""

import json
import struct
import zlib

_STRING = 7


def _headers(pairs):
    out = bytearray()
    for name, value in pairs:
        n = name.encode("utf-8")
        v = value.encode("utf-8")
        out += struct.pack(">B", len(n)) + n
        out += struct.pack(">BH", _STRING, len(v)) + v
    return bytes(out)


def frame(headers, payload):
    """One message: headers is a list of (name, str value), payload bytes."""
    hdr = _headers(headers)
    total = 12 + len(hdr) + len(payload) + 4
    prelude = struct.pack(">II", total, len(hdr))
    prelude += struct.pack(">I", zlib.crc32(prelude) & 0xFFFFFFFF)
    body = prelude + hdr + payload
    return body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def event(event_type, payload_obj):
    """An event frame with a JSON payload (header order as Bedrock sends)."""
    return frame([(":event-type", event_type),
                  (":content-type", "application/json"),
                  (":message-type", "event")],
                 json.dumps(payload_obj, separators=(",", ":")).encode())


def exception(exception_type, payload_obj):
    """An exception frame, e.g. exception_type 'throttlingException'."""
    return frame([(":exception-type", exception_type),
                  (":content-type", "application/json"),
                  (":message-type", "exception")],
                 json.dumps(payload_obj, separators=(",", ":")).encode())


def corrupt_crc(message):
    """The same message with its trailing CRC flipped."""
    crc = struct.unpack(">I", message[-4:])[0] ^ 0xFFFFFFFF
    return message[:-4] + struct.pack(">I", crc)
