"""The access log's lines are handed to logging at the end of the event-loop iteration their requests end in
(web/middleware.py AccessLines), in order, and none is lost when a loop ends or another one serves the app."""
from __future__ import annotations

import asyncio
import logging

from mra_registry.web.middleware import AccessLines


def _fields(n: int) -> dict:
    return {"request_id": f"r-{n}", "method": "GET", "path": "/healthz", "status": 200, "duration_ms": 0.1}


def _logged(caplog) -> list[str]:
    return [r.request_id for r in caplog.records if r.name == "mra_registry.web.access"]


def test_lines_of_one_iteration_go_out_together_at_its_end(caplog):
    lines = AccessLines()

    async def main():
        lines.add(_fields(1))
        lines.add(_fields(2))
        assert _logged(caplog) == []  # still this iteration
        await asyncio.sleep(0)
        assert _logged(caplog) == ["r-1", "r-2"]
        lines.add(_fields(3))
        await asyncio.sleep(0)

    with caplog.at_level(logging.INFO, logger="mra_registry.web.access"):
        asyncio.run(main())
    assert _logged(caplog) == ["r-1", "r-2", "r-3"]


def test_outside_a_loop_a_line_goes_out_at_once(caplog):
    with caplog.at_level(logging.INFO, logger="mra_registry.web.access"):
        AccessLines().add(_fields(7))
    assert _logged(caplog) == ["r-7"]


def test_a_line_left_by_a_loop_that_ended_goes_out_with_the_next_loop_s_first_or_at_flush(caplog):
    lines = AccessLines()

    async def add(n: int):
        lines.add(_fields(n))

    with caplog.at_level(logging.INFO, logger="mra_registry.web.access"):
        loop = asyncio.new_event_loop()
        loop.run_until_complete(add(1))  # ends right after the line was added: its flush may not have run
        loop.close()
        asyncio.run(add(2))
        lines.flush()  # what the app's shutdown does
    assert _logged(caplog) == ["r-1", "r-2"]


def test_direct_route_matches_below_the_mount_point_and_passes_the_rest_on():
    from mra_registry.web.middleware import DirectRoute

    reached = []

    def app_named(name):
        async def app(scope, receive, send):
            reached.append(name)
        return app

    route = DirectRoute(app_named("rest"), "/graphql", app_named("graphql"))
    scopes = [{"type": "http", "path": "/graphql", "root_path": ""},
              {"type": "http", "path": "/api/graphql", "root_path": "/api"},
              {"type": "http", "path": "/graphql/", "root_path": ""},
              {"type": "http", "path": "/healthz", "root_path": ""},
              {"type": "lifespan"}]
    for scope in scopes:
        asyncio.run(route(scope, None, None))
    assert reached == ["graphql", "graphql", "rest", "rest", "rest"]
