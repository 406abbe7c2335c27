"""web/logs.py LoopBatchingHandler (the lines of one event-loop iteration written with one write) and the access
log's records made from a template (web/middleware.py): the same lines, in the same order, as the standard way."""
from __future__ import annotations

import asyncio
import io
import json
import logging
import threading

from mra_registry.web import middleware
from mra_registry.web.logs import JsonFormatter, LoopBatchingHandler


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


def test_access_records_from_the_template_format_as_the_standard_ones_do(caplog):
    fields = {"request_id": "r-1", "method": "POST", "path": "/graphql", "status": 200, "duration_ms": 0.5,
              "graphql_operation": "query Clearance"}
    with caplog.at_level(logging.INFO, logger="mra_registry.web.access"):
        middleware.AccessLines._log(fields)
        middleware.access_log.info("%s %s %s", "POST", "/graphql", 200, extra=fields)
    fast, standard = caplog.records[-2:]
    formatter = JsonFormatter()
    fast_line, standard_line = json.loads(formatter.format(fast)), json.loads(formatter.format(standard))
    fast_line.pop("time"), standard_line.pop("time")
    assert fast_line == standard_line
    assert list(fast_line) == list(standard_line)  # same keys in the same order
    assert fast.getMessage() == "POST /graphql 200"
    differing = {key for key in set(vars(fast)) | set(vars(standard))
                 if vars(fast).get(key) != vars(standard).get(key)}
    assert differing <= {"created", "msecs", "relativeCreated", "pathname", "filename", "module", "lineno",
                         "funcName"}
    assert abs(fast.created - standard.created) < 5


def test_a_record_factory_of_one_s_own_is_used_for_access_lines(caplog):
    made = []
    standard = logging.getLogRecordFactory()

    def factory(*args, **kwargs):
        record = standard(*args, **kwargs)
        made.append(record)
        return record

    logging.setLogRecordFactory(factory)
    try:
        with caplog.at_level(logging.INFO, logger="mra_registry.web.access"):
            middleware.AccessLines._log({"request_id": "r-2", "method": "GET", "path": "/healthz", "status": 200,
                                         "duration_ms": 0.1})
    finally:
        logging.setLogRecordFactory(standard)
    assert [record.request_id for record in made] == ["r-2"]
