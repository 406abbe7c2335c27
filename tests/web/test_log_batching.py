"""web/logs.py LoopBatchingHandler (the lines of one event-loop iteration written with one write) and the access
log's lines formatted straight to that handler (web/middleware.py AccessLines): the same lines, in the same order, as
the standard way, and the standard way under any other configuration."""
from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import threading

import pytest

from mra_registry.web import middleware
from mra_registry.web.logs import JsonFormatter, LoopBatchingHandler, direct_json_handler


class CountingStream(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def _handler() -> tuple[LoopBatchingHandler, CountingStream]:
    stream = CountingStream()
    handler = LoopBatchingHandler(stream)
    handler.setFormatter(JsonFormatter())
    return handler, stream


def _record(message: str, level: int = logging.INFO) -> logging.LogRecord:
    return logging.getLogger("t").makeRecord("t", level, __file__, 1, message, (), None)


def _messages(stream: CountingStream) -> list[str]:
    return [json.loads(line)["message"] for line in stream.getvalue().splitlines()]


def test_lines_of_one_iteration_are_written_with_one_write_at_its_end():
    handler, stream = _handler()

    async def main():
        for n in range(5):
            handler.handle(_record(f"line {n}"))
        assert stream.writes == 0  # still this iteration
        await asyncio.sleep(0)
        assert stream.writes == 1 and _messages(stream) == [f"line {n}" for n in range(5)]

    asyncio.run(main())


def test_a_warning_is_written_at_once_after_the_lines_waiting_before_it():
    handler, stream = _handler()

    async def main():
        handler.handle(_record("info"))
        handler.handle(_record("trouble", logging.WARNING))
        assert _messages(stream) == ["info", "trouble"]  # nothing waits for the end of the iteration

    asyncio.run(main())


def test_outside_a_loop_and_on_other_threads_lines_are_written_at_once():
    handler, stream = _handler()
    handler.handle(_record("no loop"))
    assert _messages(stream) == ["no loop"]
    thread = threading.Thread(target=handler.handle, args=(_record("thread"),))
    thread.start()
    thread.join()
    assert _messages(stream) == ["no loop", "thread"]


def test_lines_left_by_a_loop_that_ended_are_written_by_flush_and_before_the_next_loop_s():
    handler, stream = _handler()

    async def log(message: str):
        handler.handle(_record(message))

    loop = asyncio.new_event_loop()
    loop.run_until_complete(log("first loop"))  # its end-of-iteration write may not have run
    loop.close()
    asyncio.run(log("second loop"))
    handler.flush()  # what logging.shutdown does at exit
    assert _messages(stream) == ["first loop", "second loop"]


def test_write_lines_writes_after_the_lines_waiting_before_them_with_one_write():
    handler, stream = _handler()

    async def main():
        handler.handle(_record("waiting"))
        handler.write_lines([json.dumps({"message": "direct 1"}), json.dumps({"message": "direct 2"})])
        assert stream.writes == 1 and _messages(stream) == ["waiting", "direct 1", "direct 2"]
        await asyncio.sleep(0)  # the handler's own end-of-iteration flush finds nothing left
        assert stream.writes == 1

    asyncio.run(main())


@contextlib.contextmanager
def _access_log_to(handler: logging.Handler):
    """The access logger writing to `handler` only, as the service's configuration has it (root's one handler)."""
    logger = middleware.access_log
    saved = logger.handlers[:], logger.propagate, logger.level, logger.disabled
    logger.handlers[:] = [handler]
    # (a configuration applied by an earlier test may have disabled the loggers that existed then)
    logger.propagate, logger.disabled = False, False
    logger.setLevel(logging.INFO)  # (setLevel, not the attribute: it clears the loggers' cached verdicts)
    try:
        yield logger
    finally:
        logger.handlers[:], logger.propagate, _, logger.disabled = saved
        logger.setLevel(saved[2])


FIELDS = {"request_id": "r-1", "method": "POST", "path": "/graphql", "status": 200, "duration_ms": 0.5,
          "graphql_operation": "query Clearance"}


def _access_line_through(handler: logging.Handler, stream: io.StringIO, fields: dict) -> dict:
    before = len(stream.getvalue())
    middleware.AccessLines().add(dict(fields))  # outside a loop: written at once
    return json.loads(stream.getvalue()[before:], object_pairs_hook=lambda pairs: pairs)


def test_access_lines_written_directly_are_the_lines_logging_writes():
    handler, stream = _handler()
    with _access_log_to(handler) as logger:
        assert direct_json_handler(logger, logging.INFO) is handler
        direct = _access_line_through(handler, stream, FIELDS)
        handler.addFilter(lambda record: True)  # any filter: the standard way
        assert direct_json_handler(logger, logging.INFO) is None
        standard = _access_line_through(handler, stream, FIELDS)
    assert [key for key, _ in direct] == [key for key, _ in standard]  # the same keys in the same order
    assert dict(direct)["time"][:16] == dict(standard)["time"][:16]
    assert [pair for pair in direct if pair[0] != "time"] == [pair for pair in standard if pair[0] != "time"]
    assert dict(direct)["message"] == "POST /graphql 200" and dict(direct)["logger"] == "mra_registry.web.access"


def test_a_field_named_like_a_record_attribute_is_left_out_as_logging_leaves_it_out():
    handler, stream = _handler()
    fields = {**FIELDS, "_private": 1, "time": "overridden"}
    with _access_log_to(handler):
        direct = _access_line_through(handler, stream, fields)
        handler.addFilter(lambda record: True)
        standard = _access_line_through(handler, stream, fields)
    assert direct == standard  # "time" from the fields replaces the timestamp in place; "_private" is not written


class _OtherHandler(LoopBatchingHandler):
    pass


@pytest.mark.parametrize("change", ["logger filter", "handler filter", "second handler", "other formatter",
                                    "handler subclass", "logger level", "logging disabled", "record factory"])
def test_any_other_configuration_is_logged_the_standard_way(change, caplog):
    handler, stream = _handler()
    standard_factory = logging.getLogRecordFactory()
    with _access_log_to(handler) as logger:
        if change == "logger filter":
            logger.addFilter(lambda record: True)
        elif change == "handler filter":
            handler.addFilter(lambda record: True)
        elif change == "second handler":
            logger.addHandler(logging.NullHandler())
        elif change == "other formatter":
            handler.setFormatter(logging.Formatter("%(message)s"))
        elif change == "handler subclass":
            logger.handlers[:] = [_OtherHandler(stream)]
            logger.handlers[0].setFormatter(JsonFormatter())
        elif change == "logger level":
            logger.setLevel(logging.WARNING)
        elif change == "logging disabled":
            logging.disable(logging.INFO)
        elif change == "record factory":
            logging.setLogRecordFactory(lambda *args, **kwargs: standard_factory(*args, **kwargs))
        try:
            assert direct_json_handler(logger, logging.INFO) is None
            middleware.AccessLines().add(dict(FIELDS))
        finally:
            logging.disable(logging.NOTSET)
            logging.setLogRecordFactory(standard_factory)
            logger.filters.clear()
    written = stream.getvalue()
    if change in ("logger level", "logging disabled"):
        assert written == ""
    elif change == "other formatter":
        assert written == "POST /graphql 200\n"
    else:
        assert json.loads(written)["request_id"] == "r-1"


def test_a_handler_below_the_level_is_passed_over_and_the_one_that_takes_it_is_found():
    handler, _ = _handler()
    quiet = LoopBatchingHandler(io.StringIO())
    quiet.setLevel(logging.ERROR)
    quiet.setFormatter(logging.Formatter())
    with _access_log_to(handler) as logger:
        logger.addHandler(quiet)
        assert direct_json_handler(logger, logging.INFO) is handler
        assert direct_json_handler(logger, logging.ERROR) is None  # both take an error


def test_access_lines_of_one_iteration_are_written_directly_with_one_write_at_its_end():
    handler, stream = _handler()

    async def main():
        lines = middleware.AccessLines()
        for n in range(3):
            lines.add({**FIELDS, "request_id": f"r-{n}"})
        assert stream.writes == 0  # still this iteration
        await asyncio.sleep(0)
        assert stream.writes == 1
        assert [json.loads(line)["request_id"] for line in stream.getvalue().splitlines()] == ["r-0", "r-1", "r-2"]

    with _access_log_to(handler) as logger:
        assert direct_json_handler(logger, logging.INFO) is handler
        asyncio.run(main())


class _FailingStream(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError("disk full")


def test_a_stream_that_fails_is_reported_as_logging_reports_it_and_nothing_is_raised(monkeypatch):
    handler = LoopBatchingHandler(_FailingStream())
    handler.setFormatter(JsonFormatter())
    reported = []
    monkeypatch.setattr(handler, "handleError", reported.append)
    handler.write_lines([json.dumps({"message": "lost"})])
    assert [record.getMessage() for record in reported] == ['{"message": "lost"}']
