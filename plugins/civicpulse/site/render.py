"""Render the static report site from the warehouse and the run summaries. The site is
written whole into a sibling folder and swapped in, so a reader never opens a half-written
site; its pages link relatively and bundle their scripts, so it works offline from `file://`."""

from __future__ import annotations

import logging
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from civicpulse.exports import warehouse_version
from civicpulse.files import replaced_folder
from civicpulse.settings import Settings, load_settings
from civicpulse.site.content import load_content
from civicpulse.site.history import last_success, run_history

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
SAFE_NAME = re.compile(r"[A-Za-z0-9_-]+")  # page names come from data: never a path


def render_site(settings: Settings | None = None) -> Path:
    """Render the site into the data folder's `reports/site/`; return its index page."""
    settings = settings or load_settings()
    content = load_content(settings.warehouse_path)
    history = run_history(settings.runs_root)

    final = settings.reports_root / "site"
    with replaced_folder(final) as staging:
        pages = write_site(
            staging, content, history, version=warehouse_version(settings.warehouse_path)
        )
    log.info("report site: %d pages in %s", pages, final)
    return final / "index.html"


def write_site(
    folder: Path, content: dict[str, Any], history: dict[str, list[dict[str, Any]]], version: str
) -> int:
    """Write every page and the static files into `folder`; the number of pages."""
    environment = _environment()
    countries = content["countries"]
    sources = [
        {**source, "runs": history.get(source["source_id"], [])} for source in content["sources"]
    ]
    for source in sources:
        source["last_success"] = last_success(source["runs"])
    unregistered = sorted(set(history) - {source["source_id"] for source in sources})
    if unregistered:
        log.warning("run summaries of sources not in the registry: %s", ", ".join(unregistered))
    common = {
        "built_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "warehouse_version": version,
        "country_names": {country["iso3"]: country["name"] for country in countries},
        "source_pages": {source["source_id"] for source in sources},
    }
    pages = [("index.html", "index.html.j2", {"countries": countries, "sources": sources})]
    pages += [
        (f"countries/{_name(c['iso3'])}.html", "country.html.j2", {"country": c}) for c in countries
    ]
    pages += [
        (f"sources/{_name(s['source_id'])}.html", "source.html.j2", {"source": s}) for s in sources
    ]
    for path, template, context in pages:
        root = "../" * path.count("/")
        html = environment.get_template(template).render(root=root, **common, **context)
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    shutil.copytree(HERE / "static", folder / "static", ignore=shutil.ignore_patterns("README.md"))
    return len(pages)


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(("html", "html.j2")),
        undefined=jinja2.StrictUndefined,  # a misspelt field fails the render, not the reader
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["number"] = _number
    environment.filters["external"] = _external
    return environment


def _name(key: str) -> str:
    if not SAFE_NAME.fullmatch(key):
        raise ValueError(f"not a safe page name: {key!r}")
    return key


def _number(value: object) -> str:
    """Whole numbers with thousands separators; others to three significant digits."""
    if not isinstance(value, int | float):
        return "" if value is None else str(value)
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.1f}"


def _external(url: object) -> str | None:
    """`url` if it is a web address: a scraped `javascript:` link never becomes a link."""
    text = str(url or "")
    return text if urlsplit(text).scheme in ("http", "https") else None
