"""Settings from the environment: documented defaults, accepted spellings, and clear refusals."""
from __future__ import annotations

import dataclasses

import pytest

from mra_registry.settings import Settings, SettingsError


def test_defaults():
    settings = Settings.from_env({})
    assert settings == Settings(
        database_url="sqlite:///mra-registry.sqlite3", max_body_bytes=1024 * 1024, max_query_tokens=20_000,
        max_query_depth=15, max_aliases=30, max_query_cost=50_000, max_batch=1000, max_input_list=1000, request_timeout_seconds=10.0,
        introspection=True, document_cache_size=1000, planned_execution=True, log_level="INFO",
        snapshot_poll_seconds=0.5, snapshot_max_staleness_seconds=30.0, database_timeout_seconds=3.0,
        statement_timeout_seconds=5.0, read_threads=4, header_timeout_seconds=10.0, body_timeout_seconds=10.0,
        keep_alive_seconds=5.0,
    )


def test_every_variable_is_read():
    settings = Settings.from_env({
        "MRA_DATABASE_URL": "postgresql://mra@db:5432/mra", "MRA_MAX_BODY_BYTES": "2048",
        "MRA_MAX_QUERY_TOKENS": "500", "MRA_MAX_QUERY_DEPTH": "5", "MRA_MAX_ALIASES": "0",
        "MRA_MAX_QUERY_COST": "1_000", "MRA_MAX_BATCH": "10", "MRA_MAX_INPUT_LIST": "7",
        "MRA_REQUEST_TIMEOUT_SECONDS": "2.5",
        "MRA_INTROSPECTION": "off", "MRA_DOCUMENT_CACHE_SIZE": "0", "MRA_LOG_LEVEL": "debug",
        "MRA_SNAPSHOT_POLL_SECONDS": "30", "MRA_PLANNED_EXECUTION": "off",
        "MRA_SNAPSHOT_MAX_STALENESS_SECONDS": "60", "MRA_DATABASE_TIMEOUT_SECONDS": "1.5",
        "MRA_STATEMENT_TIMEOUT_SECONDS": "4", "MRA_READ_THREADS": "2", "MRA_HEADER_TIMEOUT_SECONDS": "7",
        "MRA_BODY_TIMEOUT_SECONDS": "8", "MRA_KEEP_ALIVE_SECONDS": "3",
        "MRA_RECEIPT_SIGNING_KEY": "/run/secrets/receipt-key.jwk",
    })
    assert dataclasses.asdict(settings) == {
        "database_url": "postgresql+psycopg://mra@db:5432/mra",  # the driver we ship
        "max_body_bytes": 2048, "max_query_tokens": 500, "max_query_depth": 5, "max_aliases": 0,
        "max_query_cost": 1000, "max_batch": 10, "max_input_list": 7,
        "request_timeout_seconds": 2.5, "introspection": False,
        "document_cache_size": 0, "planned_execution": False, "log_level": "DEBUG", "snapshot_poll_seconds": 30.0,
        "snapshot_max_staleness_seconds": 60.0, "database_timeout_seconds": 1.5, "statement_timeout_seconds": 4.0,
        "read_threads": 2, "header_timeout_seconds": 7.0, "body_timeout_seconds": 8.0, "keep_alive_seconds": 3.0,
        "receipt_signing_key": "/run/secrets/receipt-key.jwk",
    }


def test_the_process_environment_is_the_default_source(monkeypatch):
    monkeypatch.setenv("MRA_MAX_BATCH", "12")
    assert Settings.from_env().max_batch == 12


@pytest.mark.parametrize("raw, expected", [("on", True), ("TRUE", True), ("1", True), ("yes", True),
                                           ("off", False), ("False", False), ("0", False), ("no", False)])
def test_introspection_spellings(raw, expected):
    assert Settings.from_env({"MRA_INTROSPECTION": raw}).introspection is expected


def test_an_empty_value_means_the_default():
    assert Settings.from_env({"MRA_MAX_BATCH": " ", "MRA_DATABASE_URL": ""}) == Settings.from_env({})


@pytest.mark.parametrize("name, raw, says", [
    ("MRA_MAX_BODY_BYTES", "1MB", "not a whole number"),
    ("MRA_MAX_BODY_BYTES", "0", "at least 1"),
    ("MRA_MAX_BATCH", "-5", "at least 1"),
    ("MRA_DOCUMENT_CACHE_SIZE", "-1", "at least 0"),
    ("MRA_REQUEST_TIMEOUT_SECONDS", "ten", "not a number of seconds"),
    ("MRA_REQUEST_TIMEOUT_SECONDS", "0", "positive"),
    ("MRA_REQUEST_TIMEOUT_SECONDS", "inf", "positive"),
    ("MRA_INTROSPECTION", "maybe", "on/off"),
    ("MRA_LOG_LEVEL", "LOUD", "DEBUG, INFO"),
    ("MRA_DATABASE_URL", "not a url", "not a database URL"),
])
def test_invalid_values_are_refused_naming_the_variable(name, raw, says):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({name: raw})
    assert name in str(refused.value) and says in str(refused.value)


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings.from_env({}).max_batch = 1
