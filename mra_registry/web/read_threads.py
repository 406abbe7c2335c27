"""Where an execution that must not hold the event loop runs: worker threads, each with an event loop of its own for
the async resolvers of graphql-core's executor (web/graphql_http.py decides which executions go there)."""
from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from inspect import isawaitable
from typing import Any, Callable


class ReadThreads:
    def __init__(self, size: int):
        self._local = threading.local()
        self._loops: list[asyncio.AbstractEventLoop] = []
        self._executor = concurrent.futures.ThreadPoolExecutor(size, thread_name_prefix="mra-read")

    def submit(self, function: Callable[[], Any]) -> concurrent.futures.Future:
        return self._executor.submit(self._run, function)

    def _run(self, function: Callable[[], Any]) -> Any:
        loop = getattr(self._local, "loop", None)
        if loop is None:
            loop = self._local.loop = asyncio.new_event_loop()
            self._loops.append(loop)
        value = function()
        return loop.run_until_complete(value) if isawaitable(value) else value

    def close(self) -> None:
        # No wait: a thread held by a frozen database must not hold the shutdown. Its loop stays open.
        self._executor.shutdown(wait=False, cancel_futures=True)
        for loop in self._loops:
            if not loop.is_running():
                loop.close()
