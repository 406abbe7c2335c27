"""JSON in and out of the HTTP layer: orjson for speed, the standard library for what orjson refuses."""
from __future__ import annotations

import json
from typing import Any, Callable

import orjson


def dumps(value: Any, default: Callable[[Any], Any] | None = None) -> bytes:
    """UTF-8 JSON bytes. orjson refuses integers beyond 64 bits (a custom scalar could produce one):
    those answers are rare, so they take the slower path rather than failing. `default` converts what
    JSON cannot hold (the log formatter passes `str`)."""
    try:
        return orjson.dumps(value, default=default)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(
            value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=default
        ).encode("utf-8")


def loads(data: bytes | str) -> Any:
    """Parses strict UTF-8 JSON; raises ValueError (orjson.JSONDecodeError) on anything else. Integers
    beyond 64 bits arrive as floats, which GraphQL's Int (32 bits) refuses anyway."""
    return orjson.loads(data)
