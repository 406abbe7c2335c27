"""The API tests' fixtures (a fresh copy of the scenario database per test, operations run in-process)."""
from tests.api.conftest import _copies, api, scenario_db_url, scenario_template  # noqa: F401
