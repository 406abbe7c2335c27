"""Structured logs: one JSON object per line, so log shippers need no parsing rules.

Fields passed with `extra=` (request_id, status, duration_ms, ...) become top-level keys. The module is
named `logs`, not `logging`, so it never shadows the standard library inside this package.
"""
from __future__ import annotations

import asyncio
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


# The `extra=` keys of a record, in order, by the keys of the record as a tuple: records logged from one place have
# the same keys in the same order, so the walk that picks them out is done once per place, not once per line.
_extra_keys: dict[tuple[str, ...], tuple[str, ...]] = {}
_EXTRA_KEYS_LIMIT = 1024


def extra_keys(attributes: dict[str, Any]) -> tuple[str, ...]:
    """The keys of ``attributes`` (a record's, or the fields of a line) written as fields of their own, in order."""
    shape = tuple(attributes)
    known = _extra_keys.get(shape)
    if known is None:
        known = tuple(key for key in shape if _is_extra_key(key))
        if len(_extra_keys) < _EXTRA_KEYS_LIMIT:
            _extra_keys[shape] = known
    return known


def _is_extra_key(key: str) -> bool:
    """Whether a record attribute of this name came from `extra=` and is written as a field of its own."""
    return key not in _STANDARD and key[0] != "_"


def json_line(entry: dict[str, Any]) -> str:
    return jsonio.dumps(entry, default=str).decode("utf-8")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": utc_timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        attributes = record.__dict__
        for key in extra_keys(attributes):
            entry[key] = attributes[key]
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)  # server side only, never to clients
        return json_line(entry)


class LoopBatchingHandler(logging.StreamHandler):
    """A StreamHandler that writes the lines an event loop logs in one iteration with one write, at its end: under
    load a worker logs a line per request, and a write per line was a good part of a line's cost.

    Only lines below WARNING logged on a thread with a running loop wait (for at most the rest of the iteration).
    A line logged anywhere else (start-up, a read thread, a script), and every warning or error, is written at
    once, after the lines waiting before it, so the log keeps its order. `flush()` and `close()` (logging's
    shutdown calls both) write what waits."""

    def __init__(self, stream: Any = None):
        super().__init__(stream)
        self._waiting: list[str] = []
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop whose iteration's end writes them

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + self.terminator
            if record.levelno < logging.WARNING:
                loop = _running_loop()
                if loop is not None:
                    if self._waiting and self._loop is not loop:  # another loop's lines (another thread's loop)
                        self._write_waiting()
                    if not self._waiting:
                        self._loop = loop
                        loop.call_soon(self.flush)
                    self._waiting.append(line)
                    return
            if self._waiting:
                self._waiting.append(line)
                self._write_waiting()
            else:
                self.stream.write(line)
                self.stream.flush()
        except RecursionError:  # as logging.StreamHandler does
            raise
        except Exception:
            self.handleError(record)

    def flush(self) -> None:
        with self.lock:  # called by the loop, outside emit
            if self._waiting:
                self._write_waiting()
            elif self.stream is not None and hasattr(self.stream, "flush"):
                self.stream.flush()

    def write_lines(self, lines: list[str]) -> None:
        """Writes lines formatted by the caller (without their terminator) now, after the lines waiting before them:
        for a caller that batches its own lines to the end of a loop iteration (the access log), past the records
        logging would make of them (web/middleware.py AccessLines, `direct_json_handler`)."""
        with self.lock:
            try:
                terminator = self.terminator
                self._waiting.extend([line + terminator for line in lines])
                self._write_waiting()
            except Exception:  # as emit reports a stream that fails
                self.handleError(logging.makeLogRecord({"msg": lines[0] if lines else ""}))

    def _write_waiting(self) -> None:
        text, self._waiting = "".join(self._waiting), []
        self.stream.write(text)
        self.stream.flush()


def direct_json_handler(logger: logging.Logger, level: int) -> LoopBatchingHandler | None:
    """The one handler a record of ``logger`` at ``level`` would reach, when writing its JSON line straight to it
    writes what logging would: records made by logging's own factory, no filter on the logger or the handler, one
    handler on the way up (a LoopBatchingHandler of exactly that class, with exactly a JsonFormatter). None
    otherwise (a configuration of one's own, a test's capturing handler, the level off): then log the standard way.
    Checked each time it is asked, so a configuration changed while serving is followed."""
    if logging.getLogRecordFactory() is not logging.LogRecord or logger.filters or not logger.isEnabledFor(level):
        return None
    found: LoopBatchingHandler | None = None
    current: logging.Logger | None = logger
    while current is not None:
        for handler in current.handlers:
            if level < handler.level:
                continue
            if (found is not None or type(handler) is not LoopBatchingHandler or handler.filters
                    or type(handler.formatter) is not JsonFormatter):
                return None
            found = handler
        if not current.propagate:
            break
        current = current.parent  # type: ignore[assignment]
    return found


# The running loop of this thread or None, without raising when there is none (asyncio's low-level accessor).
_running_loop = asyncio._get_running_loop


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
        "handlers": {"stderr": {"class": f"{__name__}.LoopBatchingHandler", "formatter": "json",
                                "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # uvicorn's loggers bring handlers of their own; route them through ours instead.
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            # Requests are logged once, by the access-log middleware, with the request id.
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
