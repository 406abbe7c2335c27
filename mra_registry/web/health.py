"""Liveness (`/healthz`: the process answers) and readiness (`/readyz`: it can answer correctly).

An orchestrator restarts a service that fails /healthz and only routes traffic to one that passes
/readyz, so /healthz checks nothing beyond the event loop, while /readyz runs pluggable checks (the store
provides "database reachable and snapshot loaded").
"""
from __future__ import annotations

import asyncio
import inspect
import logging
from dataclasses import dataclass
from typing import Awaitable, Callable, Sequence, Union

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

log = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reason: str = ""

    @classmethod
    def ok(cls) -> "Readiness":
        return cls(True)

    @classmethod
    def not_ready(cls, reason: str) -> "Readiness":
        return cls(False, reason)


# A check is called with no argument; a plain function may block (it runs in a worker thread).
ReadinessCheck = Callable[[], Union[Readiness, Awaitable[Readiness]]]


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def run_check(check: ReadinessCheck) -> Readiness:
    name = getattr(check, "__qualname__", repr(check))
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            if inspect.iscoroutinefunction(check):
                return await check()
            result = await run_in_threadpool(check)
            return await result if inspect.isawaitable(result) else result
    except TimeoutError:
        return Readiness.not_ready(f"readiness check {name} did not answer within {CHECK_TIMEOUT_SECONDS:g} s")
    except Exception as error:
        log.warning("readiness check %s failed", name, exc_info=True)
        return Readiness.not_ready(f"readiness check {name} failed: {type(error).__name__}")


def readyz_endpoint(checks: Sequence[ReadinessCheck]) -> Callable[[Request], Awaitable[JSONResponse]]:
    async def readyz(request: Request) -> JSONResponse:
        for check in checks:
            readiness = await run_check(check)
            if not readiness.ready:
                return JSONResponse({"status": "unavailable", "reason": readiness.reason}, status_code=503)
        return JSONResponse({"status": "ready"})

    return readyz
