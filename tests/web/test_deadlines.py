"""web/deadlines.py: a time limit kept by a periodic sweep instead of a timer per wait."""
from __future__ import annotations

import asyncio

import pytest

from mra_registry.web.deadlines import Deadlines


def test_a_wait_done_in_time_gives_its_result_and_leaves_nothing_behind():
    deadlines = Deadlines(sweep_seconds=0.01)

    async def main():
        value = await deadlines.within(5.0, asyncio.sleep(0.03, result="body"))
        await asyncio.sleep(0.03)  # sweeps run meanwhile: nothing of ours is cancelled
        return value, asyncio.current_task().cancelling()

    assert asyncio.run(main()) == ("body", 0)
    assert not deadlines._waiting and not deadlines._expired


def test_an_overdue_wait_is_a_timeout_and_the_task_goes_on():
    deadlines = Deadlines(sweep_seconds=0.01)

    async def main():
        with pytest.raises(TimeoutError):
            await deadlines.within(0.02, asyncio.Event().wait())  # never set
        await asyncio.sleep(0.02)  # the task was uncancelled: it can still wait
        return asyncio.current_task().cancelling()

    assert asyncio.run(main()) == 0


def test_a_cancellation_from_elsewhere_stays_a_cancellation():
    deadlines = Deadlines(sweep_seconds=0.01)

    async def main():
        waiting = asyncio.create_task(deadlines.within(60.0, asyncio.Event().wait()))
        await asyncio.sleep(0.02)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting

    asyncio.run(main())


def test_no_limit_means_no_sweep():
    deadlines = Deadlines(sweep_seconds=0.01)
    assert asyncio.run(deadlines.within(None, asyncio.sleep(0, result=1))) == 1
    assert deadlines._sweep is None


def test_one_app_served_by_one_loop_then_another_keeps_its_limits():
    deadlines = Deadlines(sweep_seconds=0.01)

    async def overdue():
        with pytest.raises(TimeoutError):
            await deadlines.within(0.02, asyncio.Event().wait())

    asyncio.run(overdue())
    asyncio.run(overdue())  # a sweep armed on the first (now closed) loop must not stand for this one


def test_a_wait_over_at_its_first_step_is_not_registered_and_arms_no_sweep():
    deadlines = Deadlines(sweep_seconds=0.01)

    async def ready():
        return "body"

    assert asyncio.run(deadlines.within(5.0, ready())) == "body"
    assert deadlines._sweep is None and not deadlines._waiting


def test_a_wait_that_waits_several_times_gets_every_result_and_error_passed_through():
    deadlines = Deadlines(sweep_seconds=0.01)
    failing: list[asyncio.Future] = []

    async def chunks():
        first = await asyncio.sleep(0.005, result="a")
        second = await asyncio.sleep(0.005, result="b")
        failing.append(asyncio.get_running_loop().create_future())
        try:
            await failing[0]  # fails below, from the outside
        except ValueError as error:
            return first + second + str(error)

    async def main():
        task = asyncio.create_task(deadlines.within(5.0, chunks()))
        await asyncio.sleep(0.03)
        assert deadlines._waiting  # registered: it had to wait
        failing[0].set_exception(ValueError("c"))
        return await task

    assert asyncio.run(main()) == "abc"
    assert not deadlines._waiting
