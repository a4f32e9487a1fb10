"""The reports plugin (plugins/civicpulse_reports.py): Airflow's plugin loader finds it and its
app and UI links have the shapes the api-server and the UI accept; its app serves each report
folder, answers a clear page for one not built yet, refuses paths outside the folders and
callers without an Airflow login; importing it costs no FastAPI. The e2e test runs a real
`airflow api-server` with it and fetches pages and the plugin listing."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from civicpulse.settings import REPO_ROOT

PLUGINS = REPO_ROOT / "plugins"
AIRFLOW = str(Path(sys.executable).with_name("airflow"))
SECRET = "not for the api-server"
TRAVERSALS = (  # each from inside the site folder towards reports/failures/ or the data folder
    "/civicpulse/site/%2e%2e/failures/secret.md",
    "/civicpulse/site/..%2ffailures%2fsecret.md",
    "/civicpulse/site/%2e%2e/%2e%2e/secret.txt",
    "/civicpulse/site/leak/secret.md",  # a symlink out of the folder
    "/civicpulse/site//etc/passwd",
    "/civicpulse/failures/secret.md",  # not a report folder
)


@pytest.fixture(scope="module")
def loaded() -> tuple[Any, ModuleType]:
    """The plugin as Airflow's plugin loader finds it in plugins/, and its module."""
    from airflow._shared.plugins_manager import _load_plugins_from_plugin_directory

    plugins, errors = _load_plugins_from_plugin_directory(plugins_folder=str(PLUGINS))
    assert errors == {}
    [plugin] = [plugin for plugin in plugins if plugin.name == "civicpulse_reports"]
    return plugin, sys.modules[type(plugin).__module__]


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    """A data folder's reports/: the site (with a page, a stylesheet and a symlink out of it)
    and the Data Docs built, dbt docs not yet; secrets beside them."""
    root = tmp_path / "data" / "reports"
    (root / "site" / "static").mkdir(parents=True)
    (root / "site" / "index.html").write_text("<h1>report site</h1>")
    (root / "site" / "static" / "style.css").write_text("h1 { color: teal }")
    (root / "data_docs").mkdir()
    (root / "data_docs" / "index.html").write_text("<h1>data docs</h1>")
    (root / "failures").mkdir()
    (root / "failures" / "secret.md").write_text(SECRET)
    (root.parent / "secret.txt").write_text(SECRET)
    (root / "site" / "leak").symlink_to(root / "failures")
    return root


def client_for(app: FastAPI, url_prefix: str) -> TestClient:
    """The app mounted as the api-server mounts a plugin's app (`init_plugins`)."""
    api_server = FastAPI()
    api_server.mount(url_prefix, app)
    return TestClient(api_server)


@pytest.fixture
def client(loaded: tuple[Any, ModuleType], reports: Path) -> Iterator[TestClient]:
    """The plugin's app over `reports`, Airflow's login check replaced by a pass."""
    _, module = loaded
    app = module.create_app(reports)
    app.dependency_overrides[app.state.authorize] = lambda: None
    with client_for(app, module.URL_PREFIX) as client:
        yield client


def test_airflow_loads_the_plugin(loaded: tuple[Any, ModuleType]) -> None:
    from airflow._shared.plugins_manager import is_valid_plugin
    from airflow.api_fastapi.app import RESERVED_URL_PREFIXES
    from airflow.api_fastapi.core_api.datamodels.plugins import ExternalViewResponse

    plugin, module = loaded
    assert is_valid_plugin(type(plugin))
    assert module.__name__ == "civicpulse_reports"

    [entry] = plugin.fastapi_apps
    assert entry["url_prefix"] == "/civicpulse" and entry["name"]
    assert not entry["url_prefix"].startswith(tuple(RESERVED_URL_PREFIXES))
    assert isinstance(entry["app"], FastAPI)
    assert plugin.fastapi_apps[0]["app"] is entry["app"]  # built once

    views = [ExternalViewResponse.model_validate(view) for view in plugin.external_views]
    assert [view.href for view in views] == [
        "civicpulse/site/",  # relative: resolved against the UI's <base href>
        "civicpulse/data_docs/",
        "civicpulse/dbt_docs/",
    ]
    assert len({view.url_route for view in views}) == 3
    assert {(view.destination, view.category) for view in views} == {("nav", "browse")}


def test_a_broken_app_leaves_the_api_server_up(
    loaded: tuple[Any, ModuleType],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The api-server reads `fastapi_apps` while it starts: an error is logged, not raised."""
    plugin, module = loaded
    monkeypatch.setenv("CIVICPULSE_MAX_RETRIES", "three")  # load_settings() fails
    monkeypatch.setattr(module, "reports_app", module.reports_app.__wrapped__)
    assert plugin.fastapi_apps == []
    assert "civicpulse reports: not served" in caplog.text


def test_import_loads_no_web_framework() -> None:
    """Every Airflow process (each task's runner too) imports the plugin: FastAPI is loaded
    only when the api-server reads `fastapi_apps`."""
    script = (
        "import sys; import airflow.plugins_manager; sys.path.insert(0, sys.argv[1]); "
        "import civicpulse_reports; "
        "heavy = {'fastapi', 'starlette', 'great_expectations', 'duckdb', 'pandas'}; "
        "print(sorted(heavy & sys.modules.keys()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(PLUGINS)], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stderr[-2000:]


def test_serves_the_reports(client: TestClient) -> None:
    page = client.get("/civicpulse/site/")
    assert page.status_code == 200 and page.text == "<h1>report site</h1>"
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert client.get("/civicpulse/site/index.html").text == "<h1>report site</h1>"
    assert client.get("/civicpulse/site/static/style.css").text == "h1 { color: teal }"
    docs = client.get("/civicpulse/data_docs/")
    assert docs.text == "<h1>data docs</h1>"
    assert "script-src 'none'" in docs.headers["content-security-policy"]  # GX's CDN scripts

    bare = client.get("/civicpulse/site", follow_redirects=False)
    assert bare.status_code in (307, 308)
    assert bare.headers["location"].endswith("/civicpulse/site/")
    head = client.head("/civicpulse/site/")
    assert head.status_code == 200 and head.content == b""
    assert client.get("/civicpulse/site/missing.html").status_code == 404


def test_a_report_not_built_yet_answers_a_page_saying_so(client: TestClient) -> None:
    page = client.get("/civicpulse/dbt_docs/")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "civicpulse dbt docs: not built yet" in page.text
    assert "reports/dbt_docs/" in page.text
    assert client.get("/civicpulse/dbt_docs/index.html").status_code == 404


def test_only_the_report_folders_are_served(client: TestClient) -> None:
    for path in TRAVERSALS:
        response = client.get(path)
        assert response.status_code == 404, path
        assert SECRET not in response.text, path
    assert client.post("/civicpulse/site/").status_code == 405


def test_callers_need_an_airflow_login(
    loaded: tuple[Any, ModuleType], reports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Airflow does not authenticate plugin apps: this one does, with Airflow's own check."""
    from airflow.api_fastapi.app import _AuthManagerState, create_auth_manager

    _, module = loaded
    monkeypatch.setattr(_AuthManagerState, "instance", None)  # restored afterwards
    create_auth_manager()  # the configured one (SimpleAuthManager), as the api-server does
    with client_for(module.create_app(reports), module.URL_PREFIX) as client:
        for path in ("/civicpulse/site/", "/civicpulse/dbt_docs/", TRAVERSALS[0]):
            response = client.get(path)
            assert response.status_code == 401, path
            assert "report site" not in response.text and SECRET not in response.text
        forged = {"Authorization": "Bearer not-a-jwt"}
        assert client.get("/civicpulse/site/", headers=forged).status_code == 403
        assert client.get("/civicpulse/site/", cookies={"_token": "not-a-jwt"}).status_code == 403


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def api_server(tmp_path: Path, reports: Path) -> Iterator[str]:
    """A real `airflow api-server` (one worker, SQLite, simple auth manager with one viewer)
    loading plugins/, on a free loopback port; its base URL. Its process group is killed."""
    home = tmp_path / "airflow"
    home.mkdir()
    passwords = home / "passwords.json"
    passwords.write_text(json.dumps({"viewer": "viewer-password"}))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "CIVICPULSE"))},
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PLUGINS),
        "AIRFLOW__CORE__DAGS_FOLDER": str(tmp_path / "no-dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "viewer:viewer",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__API_AUTH__JWT_SECRET": "test-only-jwt-secret-of-some-length",
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
        "CIVICPULSE_DATA": str(reports.parent),
    }
    subprocess.run([AIRFLOW, "db", "migrate"], env=env, check=True, capture_output=True)
    port = free_port()
    log = tmp_path / "api-server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [AIRFLOW, "api-server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: uvicorn's worker dies with it
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            try:
                if httpx.get(f"{base}/api/v2/version", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)  # polling while it imports Airflow
        yield base
    finally:
        for sig, grace in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                break
            try:
                process.wait(timeout=grace)
                break
            except subprocess.TimeoutExpired:
                pass


def raw_get(base: str, path: str, token: str) -> tuple[int, str]:
    """GET `path` exactly as written (no client normalises its `..`)."""
    url = httpx.URL(base)
    connection = http.client.HTTPConnection(url.host, url.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


@pytest.mark.e2e
def test_a_real_api_server_serves_the_reports(api_server: str) -> None:
    with httpx.Client(base_url=api_server, timeout=10) as http:
        login = {"username": "viewer", "password": "viewer-password"}
        token = http.post("/auth/token", json=login).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}

        assert http.get("/civicpulse/site/").status_code == 401
        page = http.get("/civicpulse/site/", headers=bearer)
        assert page.status_code == 200 and page.text == "<h1>report site</h1>"
        # what the UI's iframe sends: the session cookie the login set
        as_ui = http.get("/civicpulse/data_docs/", cookies={"_token": token})
        assert as_ui.status_code == 200 and as_ui.text == "<h1>data docs</h1>"
        missing = http.get("/civicpulse/dbt_docs/", headers=bearer)
        assert missing.status_code == 404 and "not built yet" in missing.text
        for path in (*TRAVERSALS, "/civicpulse/site/../failures/secret.md"):
            status, body = raw_get(api_server, path, token)
            assert status in (400, 404) and SECRET not in body, path

        listing = http.get("/api/v2/plugins", headers=bearer).json()["plugins"]
        [plugin] = [plugin for plugin in listing if plugin["name"] == "civicpulse_reports"]
        assert plugin["source"] == "$PLUGINS_FOLDER/civicpulse_reports.py"
        [app] = plugin["fastapi_apps"]
        assert app["url_prefix"] == "/civicpulse" and app["app"] == "fastapi.applications.FastAPI"
        assert {view["href"] for view in plugin["external_views"]} == {
            "civicpulse/site/",
            "civicpulse/data_docs/",
            "civicpulse/dbt_docs/",
        }
        errors = http.get("/api/v2/plugins/importErrors", headers=bearer).json()
        assert errors["import_errors"] == []
