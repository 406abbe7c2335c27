"""README.md's `check` examples print exactly what README says, on the data README says: the real data of its
main command, or the demo database of invented fixtures (run through the CLI, on a real SQLite database)."""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REFERENCE, ROOT, SCENARIOS

README = ROOT / "README.md"
IMPORT_REQUIREMENTS = ROOT / "data" / "reference" / "import-requirements.json"
_EXAMPLE = re.compile(r"```sh\n(?P<command>\.venv/bin/mra-registry (?:[^`]*? )?check [^`]*?)```\n```\n(?P<output>.*?)```",
                      re.S)


def examples() -> list[tuple[str, str]]:
    found = [(m["command"], m["output"]) for m in _EXAMPLE.finditer(README.read_text(encoding="utf-8"))]
    assert len(found) >= 3, "README lost its check examples"
    return found


def cli(*args: str, database: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mra_registry", "--database", database, *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.fixture(scope="module")
def databases(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("readme")
    made = {}
    for name, documents in (("real", (REFERENCE, IMPORT_REQUIREMENTS)), ("demo", (SCENARIOS,))):
        url = f"sqlite:///{folder / (name + '.sqlite3')}"
        assert cli("migrate", database=url).returncode == 0
        loaded = cli("load", *map(str, documents), database=url)
        assert loaded.returncode == 0, loaded.stderr
        made[name] = url
    return made


@pytest.mark.parametrize("command, output", examples(), ids=lambda text: text.split("\n")[0][:40])
def test_each_check_example_prints_what_readme_shows(databases, command, output):
    words = shlex.split(command.replace("\\\n", " "))[1:]  # without .venv/bin/mra-registry
    database = databases["real"]
    if words[0] == "--database":
        assert words[1] == "sqlite:///demo.sqlite3", "README's examples use the real data or the demo database"
        database, words = databases["demo"], words[2:]
    result = cli(*words, database=database)
    assert result.stdout == output, result.stderr
