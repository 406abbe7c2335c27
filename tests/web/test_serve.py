"""`mra-registry serve`: what it hands to uvicorn, what it refuses, what --help tells a newcomer, and the
JSON log format it configures. (A real server is started in test_e2e_server.py.)"""
from __future__ import annotations

import datetime
import json
import logging
import logging.config
import sys
from pathlib import Path

import pytest
import uvicorn

from mra_registry.cli import main
from mra_registry.web.logs import JsonFormatter, logging_config


@pytest.fixture
def uvicorn_calls(monkeypatch, tmp_path):
    """uvicorn.run recorded, not run, from a folder that holds the default database file (serve checks it exists)."""
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    monkeypatch.setenv("MRA_DATABASE_URL", "")  # recorded: what `--database` sets is undone after the test
    monkeypatch.delenv("MRA_DATABASE_URL")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mra-registry.sqlite3").touch()
    return calls


def test_serve_runs_the_app_factory_with_uvicorn(uvicorn_calls):
    assert main(["serve"]) == 0
    [(app, options)] = uvicorn_calls
    assert app == "mra_registry.web.app:create_app"
    assert options["factory"] is True
    assert (options["host"], options["port"], options["workers"], options["reload"]) == ("127.0.0.1", 8000, 1, False)
    assert options["access_log"] is False  # the app's own access log has the request id
    assert options["log_config"]["formatters"]["json"]["()"] == "mra_registry.web.logs.JsonFormatter"
    # slow clients: a time limit on the request head (web/protocol.py), on idle keep-alive, and h11's head size
    assert options["http"] == "mra_registry.web.protocol:HeaderTimeoutProtocol"
    assert options["timeout_keep_alive"] == 5.0
    assert options["h11_max_incomplete_event_size"] == 16 * 1024


def test_serve_options_reach_uvicorn(uvicorn_calls, monkeypatch):
    monkeypatch.setenv("MRA_LOG_LEVEL", "warning")
    assert main(["serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "3",
                 "--app-factory", "tests.web.sample_app:create_app"]) == 0
    [(app, options)] = uvicorn_calls
    assert app == "tests.web.sample_app:create_app"
    assert (options["host"], options["port"], options["workers"]) == ("0.0.0.0", 9000, 3)
    assert options["log_config"]["root"]["level"] == "WARNING"


def test_the_database_option_reaches_the_workers_through_the_environment(uvicorn_calls, monkeypatch):
    import os

    monkeypatch.setenv("MRA_DATABASE_URL", "sqlite:///other.sqlite3")  # restored after the test
    Path("chosen.sqlite3").touch()
    assert main(["--database", "sqlite:///chosen.sqlite3", "serve"]) == 0
    assert os.environ["MRA_DATABASE_URL"] == "sqlite:///chosen.sqlite3"


@pytest.mark.parametrize("argv, env, says", [
    (["serve"], {"MRA_MAX_BODY_BYTES": "lots"}, "MRA_MAX_BODY_BYTES"),
    (["serve", "--workers", "0"], {}, "--workers"),
    (["serve", "--reload", "--workers", "2"], {}, "--reload"),
])
def test_serve_refuses_to_start_with_a_clear_message(uvicorn_calls, monkeypatch, capsys, argv, env, says):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(argv) == 2
    assert uvicorn_calls == []
    error = capsys.readouterr().err
    assert error.startswith("cannot start:") and says in error


def test_serve_refuses_a_sqlite_database_file_that_does_not_exist_and_creates_none(uvicorn_calls, tmp_path, capsys):
    assert main(["--database", "sqlite:///typo.sqlite3", "serve"]) == 2
    assert uvicorn_calls == [] and not (tmp_path / "typo.sqlite3").exists()
    error = capsys.readouterr().err
    assert error.startswith("cannot start: there is no database at typo.sqlite3") and "mra-registry migrate" in error


@pytest.mark.parametrize("argv", [
    ["--database", "sqlite:///typo.sqlite3", "serve", "--app-factory", "tests.web.sample_app:create_app"],
    ["--database", "sqlite://", "serve"],  # in memory
    ["--database", "postgresql://nobody@127.0.0.1:1/none", "serve"],  # not checked here: readiness tells
])
def test_serve_checks_only_a_sqlite_file_of_the_registry_app(uvicorn_calls, argv):
    assert main(argv) == 0
    assert len(uvicorn_calls) == 1


def test_serve_help_explains_endpoints_settings_and_options(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = capsys.readouterr().out
    for needle in ["/graphql", "/healthz", "/readyz", "/schema.graphql", "MRA_DATABASE_URL", "--workers",
                   "--host", "--port", "127.0.0.1", "8000", "Examples:"]:
        assert needle in text


def test_log_lines_are_json_with_extra_fields_and_server_side_tracebacks():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "failed %s", ("here",),
                                                    sys.exc_info(), extra={"request_id": "r-1", "status": 500})
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "failed here" and line["level"] == "ERROR" and line["logger"] == "x"
    assert line["request_id"] == "r-1" and line["status"] == 500
    assert "ValueError: boom" in line["exception"]
    assert line["time"].endswith("+00:00")


@pytest.mark.parametrize("created", [0.0, 1.5, 1_764_748_800.0, 1_764_748_800.999, 1_764_748_801.0005,
                                     1_764_748_800.25, 1_764_748_859.1234])
def test_log_times_read_as_the_standard_library_writes_them(created):
    # the formatter remembers the last second's text: the second call with another second must not reuse it
    from mra_registry.web.logs import utc_timestamp

    expected = datetime.datetime.fromtimestamp(created, datetime.timezone.utc).isoformat(timespec="milliseconds")
    assert utc_timestamp(created) == expected
    assert utc_timestamp(created + 61.0) == datetime.datetime.fromtimestamp(
        created + 61.0, datetime.timezone.utc).isoformat(timespec="milliseconds")
    assert utc_timestamp(created) == expected


def test_the_logging_config_is_accepted_by_dictconfig():
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        logging.config.dictConfig(logging_config("DEBUG"))
        assert isinstance(root.handlers[-1].formatter, JsonFormatter)
        assert logging.getLogger("uvicorn.access").propagate is False
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
