"""A time limit on waits that almost never wait, such as reading a request body that arrived with its head.

`asyncio.timeout` arms a timer and cancels it on every use: a measurable share of a decision's request. Here a use
is one entry in a dict, and one sweep a second cancels the tasks whose wait is overdue, so a limit holds to within
`sweep_seconds`. Only waits registered here are cancelled: a task is registered while it awaits its body and
removed, with no await in between, as soon as the wait ends.

A wait that is over at its first step (the body came in with the head, as almost every body does) is never
registered: it is stepped once by hand and, if it must really wait, resumed exactly as `await` would.
"""
from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Generator


class Deadlines:
    def __init__(self, sweep_seconds: float = 1.0):
        self.sweep_seconds = sweep_seconds
        self._waiting: dict[asyncio.Task, float] = {}  # task -> when its wait is overdue (monotonic)
        self._expired: set[asyncio.Task] = set()
        self._sweep: asyncio.TimerHandle | None = None
        self._sweep_loop: asyncio.AbstractEventLoop | None = None  # an app may be served by one loop, then another

    async def within(self, seconds: float | None, awaitable: Awaitable[Any]) -> Any:
        """The awaitable's result, or TimeoutError when it is not done within about `seconds` (None: no limit)."""
        if seconds is None:
            return await awaitable
        steps = awaitable.__await__()
        try:
            waiting_on = steps.send(None)
        except StopIteration as done:
            return done.value  # done without waiting: nothing to time
        task = asyncio.current_task()
        if task is None:  # pragma: no cover - an ASGI app always runs in a task
            raise RuntimeError("Deadlines.within needs a running task")
        self._waiting[task] = time.monotonic() + seconds
        loop = task.get_loop()
        if self._sweep is None or self._sweep_loop is not loop:
            self._sweep, self._sweep_loop = loop.call_later(self.sweep_seconds, self._cancel_overdue), loop
        try:
            return await _Resumed(steps, waiting_on)
        except asyncio.CancelledError:
            if task in self._expired:
                self._expired.discard(task)
                task.uncancel()  # this cancellation was ours: the task goes on, told of the timeout
                raise TimeoutError from None
            raise
        finally:
            del self._waiting[task]
            self._expired.discard(task)

    def _cancel_overdue(self) -> None:
        now = time.monotonic()
        loop = asyncio.get_running_loop()
        for task, overdue in list(self._waiting.items()):
            if overdue <= now and task not in self._expired and task.get_loop() is loop:
                self._expired.add(task)
                task.cancel()
        self._sweep = loop.call_later(self.sweep_seconds, self._cancel_overdue) if self._waiting else None


class _Resumed:
    """The rest of an awaitable already stepped once, which yielded `waiting_on`: awaiting this goes on with it as
    `await` (`yield from`) would, handing what the task sends or throws to the awaitable."""

    __slots__ = ("_steps", "_waiting_on")

    def __init__(self, steps: Any, waiting_on: Any):
        self._steps, self._waiting_on = steps, waiting_on

    def __await__(self) -> Generator[Any, Any, Any]:
        steps, waiting_on = self._steps, self._waiting_on
        while True:
            try:
                sent = yield waiting_on
            except GeneratorExit:
                steps.close()
                raise
            except BaseException as error:  # a cancellation, thrown in by the task
                try:
                    waiting_on = steps.throw(error)
                except StopIteration as done:
                    return done.value
            else:
                try:
                    waiting_on = steps.send(sent)
                except StopIteration as done:
                    return done.value
