"""The pages without a browser (these run even where chromium is missing): served at /, /graphql and
/static with a same-origin Content-Security-Policy, and nothing in them that loads from elsewhere."""
from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from mra_registry.settings import Settings
from mra_registry.web.pages import STATIC_DIR
from tests.web.sample_app import create_app

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# Anything that would make a browser fetch from another host: a script, style, image, font, module import.
FOREIGN_LOAD = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//)|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:\bimport\b[^;\n]*["'](?:https?:)?//)|(?:@import)""",
    re.IGNORECASE)


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings.from_env({}))) as client:
        yield client


def test_the_officer_page_is_served_at_the_root_with_a_same_origin_policy(client):
    response = client.get("/", headers={"accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy and "script-src 'self'" in policy
    assert '<script type="module" src="static/js/main.js">' in response.text


def test_a_browser_get_of_graphql_is_the_explorer_and_a_query_still_gets_json(client):
    page = client.get("/graphql", headers={"accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and "GraphQL explorer" in page.text
    assert "content-security-policy" in page.headers
    assert "/schema.graphql" in page.text
    answer = client.get("/graphql", params={"query": "{ hello }"}, headers={"accept": BROWSER_ACCEPT})
    assert answer.json() == {"data": {"hello": "Hello, world!"}}


@pytest.mark.parametrize("path, media_type", [
    ("/static/js/main.js", "text/javascript"),
    ("/static/css/app.css", "text/css"),
    ("/static/favicon.svg", "image/svg+xml"),
])
def test_assets_are_served_with_their_media_type(client, path, media_type):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_path_outside_the_static_folder_is_not_served(client):
    assert client.get("/static/../pages.py").status_code == 404
    assert client.get("/static/%2e%2e/pages.py").status_code == 404


def test_every_module_a_page_names_exists():
    names = set()
    for page in STATIC_DIR.glob("*.html"):
        names |= set(re.findall(r'(?:src|href)="static/([^"]+)"', page.read_text(encoding="utf-8")))
    for module in (STATIC_DIR / "js").glob("*.js"):
        names |= {f"js/{name}" for name in re.findall(r'from "\./([^"]+)"', module.read_text(encoding="utf-8"))}
    missing = sorted(name for name in names if not (STATIC_DIR / name).is_file())
    assert names and not missing, f"named but not shipped: {missing}"


def test_nothing_shipped_loads_from_another_host():
    offenders = []
    for path in sorted(STATIC_DIR.rglob("*")):
        if path.suffix in {".html", ".js", ".css", ".svg"}:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if FOREIGN_LOAD.search(line):
                    offenders.append(f"{path.relative_to(STATIC_DIR)}:{number}: {line.strip()}")
    assert not offenders, "the pages must work offline:\n" + "\n".join(offenders)
