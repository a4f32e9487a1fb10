"""The nightly reports in the Airflow UI: the report site, GX Data Docs and dbt docs, served
read-only by the api-server under `/civicpulse/<folder>/` and linked from the UI's Browse menu,
so reading them needs a UI login, not access to the data volume.

Airflow mounts a plugin's FastAPI app with `app.mount()`, which inherits none of the core API's
authentication: every plugin route is public unless the plugin checks the caller itself. Each
route here depends on Airflow's own `requires_access_view(AccessView.WEBSITE)`: the UI's
session cookie (which the browser sends to the same-origin iframe) or a bearer token, and an
auth manager that lets that user see the UI.

Every Airflow process imports this module (the scheduler, the dag-processor, each task's
runner), and only the api-server serves pages, so FastAPI and Airflow's API modules are imported
when `fastapi_apps` is first read, never at import."""

# No `from __future__ import annotations`: FastAPI reads the route's parameter annotations,
# and `Request` is imported inside `create_app`, so they must be objects, not strings.
import functools
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from airflow.plugins_manager import AirflowPlugin

from civicpulse.settings import load_settings

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger(__name__)

URL_PREFIX = "/civicpulse"

# Pages are served from Airflow's origin, so a script on them could act with the reader's
# session: each site may run only the scripts it needs. GX's pages link jQuery, Bootstrap and
# Vega from CDNs; blocked, they read as they do offline (see civicpulse.data_docs), styled.
_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self' data:",
    "style-src": "'self' 'unsafe-inline'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",  # the UI's iframe, nobody else's
}


def _csp(**overrides: str) -> str:
    """A Content-Security-Policy header: `_POLICY` with `overrides` (script_src=...)."""
    policy = _POLICY | {name.replace("_", "-"): value for name, value in overrides.items()}
    return "; ".join(f"{name} {value}" for name, value in policy.items())


class Report(NamedTuple):
    folder: str  # under the data folder's reports/, and under URL_PREFIX
    title: str
    url_route: str  # the UI's /plugin/<url_route> page showing it in an iframe
    csp: str


REPORTS = (
    Report("site", "civicpulse report", "civicpulse-report", _csp(script_src="'self'")),
    Report(
        "data_docs",
        "civicpulse data quality (GX Data Docs)",
        "civicpulse-data-docs",
        _csp(
            script_src="'none'",
            style_src="'self' 'unsafe-inline' https:",
            font_src="'self' data: https:",
        ),
    ),
    Report(  # `dbt docs generate --static`: one page, its whole app inline
        "dbt_docs",
        "civicpulse dbt docs",
        "civicpulse-dbt-docs",
        _csp(script_src="'self' 'unsafe-inline' 'unsafe-eval'"),
    ),
)

NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}: not built yet</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto">
<h1>{title}: not built yet</h1>
<p>The nightly build has not produced <code>reports/{folder}/</code> in the data folder yet.
The <code>build_warehouse</code> DAG writes it: it appears here once that DAG has run.</p>
</body></html>
"""


def create_app(reports_root: Path) -> "FastAPI":
    """The app serving each report folder of `reports_root` (GET and HEAD only), behind
    Airflow's authentication; a folder not built yet answers with a page saying so."""
    from airflow.api_fastapi.auth.managers.models.resource_details import AccessView
    from airflow.api_fastapi.core_api.security import requires_access_view
    from fastapi import Depends, FastAPI, HTTPException, Request, Response
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    authorize = requires_access_view(AccessView.WEBSITE)
    app = FastAPI(
        title="civicpulse reports",
        dependencies=[Depends(authorize)],
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.authorize = authorize  # the dependency, for tests to override

    def add_route(report: Report) -> None:
        folder = reports_root / report.folder
        # Each request looks the file up again, so the build's folder swaps need no restart;
        # `get_response` confines it to `folder` (symlinks resolved) and answers 404 outside.
        files = StaticFiles(directory=folder, html=True, check_dir=False)

        async def serve(request: Request, path: str) -> Response:
            relative = os.path.normpath(os.path.join(".", *path.split("/")))
            if relative == ".." or relative.startswith("../"):
                raise HTTPException(status_code=404)
            if not folder.is_dir():
                page = NOT_BUILT.format(title=report.title, folder=report.folder)
                response: Response = HTMLResponse(page, status_code=404)
            else:
                response = await files.get_response(relative, request.scope)
            response.headers["Content-Security-Policy"] = report.csp
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Cache-Control"] = "no-cache"  # revalidate: rebuilt nightly
            return response

        app.add_api_route(
            f"/{report.folder}/{{path:path}}", serve, methods=["GET", "HEAD"], name=report.folder
        )

    for report in REPORTS:
        add_route(report)
    return app


@functools.cache
def reports_app() -> "FastAPI":
    """The one app the api-server mounts, over the configured data folder."""
    return create_app(load_settings().reports_root)


class _AppsOnFirstRead:
    """`fastapi_apps` as a descriptor: the app is built when the api-server (or `airflow
    plugins`) reads it, so the other processes loading this plugin never import FastAPI."""

    def __get__(self, plugin: object, owner: type | None = None) -> list[dict[str, Any]]:
        try:
            app = reports_app()
        except Exception:  # read while the api-server starts: the reports must not stop it
            log.exception("civicpulse reports: not served")
            return []
        return [{"app": app, "url_prefix": URL_PREFIX, "name": "civicpulse reports"}]


class CivicpulseReportsPlugin(AirflowPlugin):
    """The reports' routes, and a Browse menu entry per report opening it inside the UI."""

    name = "civicpulse_reports"
    fastapi_apps = _AppsOnFirstRead()
    external_views = [
        {
            "name": report.title,
            # relative: the UI resolves it against its <base href>, so a base_url path works
            "href": f"{URL_PREFIX.lstrip('/')}/{report.folder}/",
            "url_route": report.url_route,
            "destination": "nav",
            "category": "browse",
        }
        for report in REPORTS
    ]
