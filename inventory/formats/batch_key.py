"""The idempotency key of an observation batch read from its raw body, without decoding its observations.

A retrying scanner re-sends the same (scanner, scan_id, batch): answering it from the stored reply should cost
a lookup, not a parse of megabytes of observations. The key is read only when it is unambiguous: each of the
three names appears once in the whole body (so no duplicate key could override it later) and before the
observations. Anything else returns None and the caller decodes the whole body, as it would anyway. (A key
spelt with \\u escapes is not counted: a body that repeats its own key that way gets the reply of its first.)
"""

import json
from json.decoder import scanstring

KEYS = ("scanner", "scan_id", "batch")
_NEEDLES = tuple(f'"{k}"'.encode() for k in KEYS)
_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _SPACE:
        i += 1
    return i


def batch_key(raw: bytes) -> tuple[str, str, int] | None:
    """(scanner, scan_id, batch) from the top of a JSON batch body, or None when it cannot be read cheaply."""
    if any(raw.count(needle) != 1 for needle in _NEEDLES):
        return None
    try:
        text = raw.decode("utf-8")
        found: dict[str, object] = {}
        i = _skip(text, 0)
        if text[i] != "{":
            return None
        i += 1
        while True:
            i = _skip(text, i)
            if text[i] != '"':
                return None
            key, i = scanstring(text, i + 1)
            i = _skip(text, i)
            if text[i] != ":" or key == "observations":  # the big value: not worth reading past
                return None
            value, i = _DECODER.raw_decode(text, _skip(text, i + 1))
            if key in KEYS:
                found[key] = value
                if len(found) == len(KEYS):
                    break
            i = _skip(text, i)
            if text[i] != ",":
                return None
            i += 1
    except (UnicodeDecodeError, ValueError, IndexError):
        return None
    scanner, scan_id, number = (found[k] for k in KEYS)
    if isinstance(scanner, str) and isinstance(scan_id, str) and isinstance(number, int) and not isinstance(
            number, bool):
        return scanner, scan_id, number
    return None
