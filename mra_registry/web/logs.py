"""Structured logs: one JSON object per line, so log shippers need no parsing rules.

Fields passed with `extra=` (request_id, status, duration_ms, ...) become top-level keys. The module is
named `logs`, not `logging`, so it never shadows the standard library inside this package.
"""
from __future__ import annotations

import datetime
import logging
from typing import Any

from . import jsonio

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged as a field.
# uvicorn adds `color_message`, the same text with terminal colour codes: useless in a JSON line.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message", "asctime", "taskName", "color_message",
}


# The last second formatted, and its text: every request writes a line, and formatting a date is a good part of it.
_second: tuple[int, str] = (-1, "")


def utc_timestamp(created: float) -> str:
    """`created` (seconds since the epoch) as ISO 8601 UTC with milliseconds: 2026-12-03T08:06:03.345+00:00."""
    global _second
    whole = int(created)
    cached = _second
    if cached[0] != whole:
        text = datetime.datetime.fromtimestamp(whole, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        cached = _second = (whole, text)  # one assignment: a thread reading it sees the old pair or the new one
    return f"{cached[1]}.{int((created - whole) * 1000):03d}+00:00"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": utc_timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key[0] != "_":
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)  # server side only, never to clients
        return jsonio.dumps(entry, default=str).decode("utf-8")


def skip_unlogged_record_fields() -> None:
    """Every log record would otherwise look up who logged it (a walk up the stack), its thread and its process:
    fields JsonFormatter never writes. The logging HOWTO's "Optimization" section names these switches."""
    logging._srcfile = None  # no caller look-up: file, line and function are not logged
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """A dictConfig for the service and for uvicorn's own loggers (uvicorn applies it in every worker)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # uvicorn's loggers bring handlers of their own; route them through ours instead.
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            # Requests are logged once, by the access-log middleware, with the request id.
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
