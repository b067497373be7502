"""JSON text of the answers the API builds itself (GET /events): orjson when installed, else the json module.

Both write compact JSON with non-ASCII characters as they are, and NaN or an infinity as null (JSON
has no such numbers; browsers refuse `NaN`), so the two give the same text for the values the API
sends. Where orjson refuses a value (an integer beyond 64 bits, a string holding a lone surrogate),
the json module writes it.
"""

from __future__ import annotations

import json
import math
from typing import Any

try:
    import orjson
except ModuleNotFoundError:  # the web extra pins it; without it the API is only slower
    orjson = None  # type: ignore[assignment]


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON text of `value`."""
    if orjson is not None:
        try:
            return orjson.dumps(value)
        except TypeError:  # orjson.JSONEncodeError is a TypeError
            pass
    return dumps_json(value)


def dumps_json(value: Any) -> bytes:
    """The same text by the json module."""
    finite = _finite(value)
    try:
        return json.dumps(finite, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate cannot be UTF-8: written as a \\u escape
        return json.dumps(finite, separators=(",", ":")).encode("ascii")


def _finite(value: Any) -> Any:
    """`value` with every NaN or infinite float replaced by None, as orjson writes them."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value
