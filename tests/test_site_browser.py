"""The report site in headless Chromium (Debian's, driven by Playwright), after one nightly
run through Airflow: every page renders without console errors, every chart holds data,
every internal link resolves, the search box filters, and no request leaves `file://`.
Screenshots of the index and the Guinea page are saved and their folder printed (-s)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from civicpulse.site.indicators import CHARTED
from tests.nightly import query

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")

# One round trip per page: its title and heading, its links, and per declared chart whether
# Chart.js drew it on its canvas with at least one data point.
PAGE_JS = """() => {
    const declared = document.getElementById("chart-data");
    const charts = declared ? JSON.parse(declared.textContent) : [];
    const h1 = document.querySelector("main h1");
    return {
        title: document.title,
        heading: h1 !== null && h1.offsetHeight > 0,
        links: Array.from(document.querySelectorAll("a[href]"), a => a.href),
        canvases: document.querySelectorAll("canvas").length,
        charts: charts.map(spec => {
            const chart = Chart.getChart(document.getElementById(spec.id));
            return [spec.id, !!chart && chart.data.datasets.some(d => d.data.length > 0)];
        }),
    };
}"""
VISIBLE_ROWS_JS = """() => Array.from(document.querySelectorAll("#country-table tbody tr"))
    .filter(row => !row.hidden && row.offsetParent !== null)
    .map(row => row.cells[0].textContent.trim())"""


def require_chromium() -> None:
    """Skip without Debian's chromium, except in CI, where a missing browser is a failure."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.mark.xdist_group("demo")  # the shared run, though requested late: see conftest.py
def test_report_site_in_a_browser(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    require_chromium()  # before the nightly run, which a skip would waste
    env = request.getfixturevalue("demo").env
    reports = Path(env["CIVICPULSE_DATA"]) / "reports"
    index = reports / "site" / "index.html"
    assert index.exists(), f"the nightly run rendered no site at {index}"
    charted = {
        str(iso3)
        for (iso3,) in query(
            env,
            "select distinct country_iso3 from marts.fct_indicator_values "
            f"where indicator_id in {tuple(CHARTED)} and value is not null",
        )
    }
    started = time.monotonic()
    stats = check_site(index, charted, [reports / "screenshots", tmp_path])
    print(f"\nbrowser check: {stats} in {time.monotonic() - started:.1f} s")
    print(f"screenshots: {reports / 'screenshots'} and {tmp_path}")


def check_site(index: Path, charted: set[str], screenshot_dirs: list[Path]) -> dict[str, int]:
    """Visit the index and every page it links to; assert as the module docstring says,
    and that exactly the countries in `charted` have charts. Page, link and chart counts
    are returned for the log."""
    from playwright.sync_api import Route, sync_playwright

    site = index.parent.resolve()
    left_file: list[str] = []
    errors: list[str] = []
    stats = {"pages": 0, "internal_links": 0, "external_links": 0, "charts": 0}

    def block(route: Route) -> None:
        left_file.append(route.request.url)
        route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.on("request", lambda r: None if _local(r.url) else left_file.append(r.url))
        context.route(lambda url: not _local(url), block)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))

        def visit(path: Path) -> list[Path]:
            """Open `path`; check it rendered, its charts hold data and its internal links
            resolve; return the links' targets."""
            page.goto(path.as_uri())
            found = page.evaluate(PAGE_JS)
            assert found["title"] and found["heading"], path
            stats["pages"] += 1
            stats["charts"] += _check_charts(path, found, charted)
            targets = []
            for href in found["links"]:
                if not href.startswith("file://"):
                    assert urlsplit(href).scheme in ("http", "https"), (path, href)
                    stats["external_links"] += 1
                    continue
                target = Path(unquote(urlsplit(href).path))
                assert target.is_file(), f"{path.name} links to a missing {target}"
                assert target.resolve().is_relative_to(site), f"{path.name} leaves the site"
                stats["internal_links"] += 1
                targets.append(target)
            return targets

        linked = visit(index)
        _check_search(page)
        _screenshot(page, "index.png", screenshot_dirs)
        pages = sorted({t for t in linked if t.parent.name in ("countries", "sources")})
        assert any(p.parent.name == "sources" for p in pages), "the index links no source page"
        for path in pages:
            visit(path)
            if path.name == "GIN.html":
                _screenshot(page, "guinea.png", screenshot_dirs)
        browser.close()

    assert (screenshot_dirs[0] / "guinea.png").is_file(), "the index links no Guinea page"
    assert not left_file, f"requests left file://: {left_file[:10]}"
    assert not errors, f"console or page errors: {errors[:10]}"
    assert stats["charts"] > 0
    return stats


def _local(url: str) -> bool:
    return url.startswith("file://")


def _check_search(page: Any) -> None:
    """Typing "guin" leaves Guinea and the other Guineas, and hides the rest."""
    every = page.evaluate(VISIBLE_ROWS_JS)
    page.fill("#search", "guin")
    shown = page.evaluate(VISIBLE_ROWS_JS)
    assert "Guinea" in shown, shown
    assert "France" in every and "France" not in shown
    assert all("guin" in name.lower() for name in shown), shown
    page.fill("#search", "")
    assert len(page.evaluate(VISIBLE_ROWS_JS)) == len(every)


def _check_charts(path: Path, found: dict[str, Any], charted: set[str]) -> int:
    """Each chart the page declares is drawn on its own canvas, with data points; a country
    with charted values (`charted`, by ISO3) has charts, and Guinea all five."""
    drawn = dict(found["charts"])
    assert len(drawn) == found["canvases"], f"{path.name}: a canvas without a chart"
    assert all(drawn.values()), f"{path.name}: charts without data points: {drawn}"
    if path.parent.name == "countries":
        assert bool(drawn) == (path.stem in charted), f"{path.name}: charts {sorted(drawn)}"
    if path.name == "GIN.html":
        expected = {"chart-cpi", "chart-wgi", "chart-hdi_gii", "chart-fsi", "chart-battle_deaths"}
        assert set(drawn) == expected
    return len(drawn)


def _screenshot(page: Any, name: str, folders: list[Path]) -> None:
    first = folders[0] / name
    first.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(first), full_page=True)
    for folder in folders[1:]:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(first, folder / name)
