"""The registry: every entry is complete on disk, and bad entries fail naming entry and field."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from civicpulse.adapters import ADAPTERS
from civicpulse.quality import suite_for, suite_path
from civicpulse.registry import (
    OPTIONS,
    REGISTRY_PATH,
    RegistryError,
    get_source,
    load_sources,
    parse_sources,
)
from tests.conftest import FIXTURES
from tests.sources import NOT_RECORDED
from tests.test_new_source import ENTRIES

SOURCES = load_sources()


def entry(**overrides: Any) -> dict[str, Any]:
    base = {
        "name": "example_news",
        "adapter": "feed",
        "url": "https://www.example.org/news/feed/",
        "entity": "articles",
        "owner": "@someone",
        "license": "CC BY 4.0",
        "description": "Example.",
    }
    return {k: v for k, v in {**base, **overrides}.items() if v is not None}


def test_registry_has_unique_snake_case_names() -> None:
    names = [s.name for s in SOURCES]
    assert len(names) == len(set(names)) >= 2


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.name)
def test_every_source_has_an_adapter_a_suite_and_a_recording(source: Any) -> None:
    """The entry is all a source needs: its own suite is optional (the entity's default
    validates it) and no dbt file names it; only its recording is needed, for the tests."""
    assert source.adapter in ADAPTERS
    assert suite_path(suite_for(source.name, source.entity)).is_file()
    assert (source.name in NOT_RECORDED) != any((FIXTURES / source.name).glob("*.warc"))


def test_a_source_without_a_suite_of_its_own_gets_its_entitys_default() -> None:
    assert suite_for("example_news", "articles") == "default__articles"
    assert suite_for("ti_cpi", "indicator_values") == "ti_cpi__indicator_values"


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([entry(adapter="rss_magic")], "entry 1 ('example_news'): field adapter: unknown adapter"),
        ([entry(url=None)], "entry 1 ('example_news'): field url: missing"),
        ([entry(url="www.example.org/news")], "field url: must be an absolute"),
        ([entry(), entry(url="https://b.example/")], "entry 2 ('example_news'): field name: dup"),
        ([entry(name="Bad-Name")], "field name: String should match pattern"),
        ([entry(colour="blue")], "field colour: Extra inputs are not permitted"),
    ],
)
def test_bad_entries_name_the_entry_and_field(entries: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(RegistryError, match="^sources.yml: ") as raised:
        parse_sources(entries)
    assert message in str(raised.value)


def test_source_hosts_are_the_url_host_plus_declared_extras() -> None:
    (source,) = parse_sources([entry(extra_hosts=["cdn.example.org"])])
    assert source.hosts == {"www.example.org", "cdn.example.org"}


def test_every_adapter_kind_has_its_options_checked() -> None:
    assert set(OPTIONS) == set(ADAPTERS)


NDI = get_source("ndi").model_dump()
CPI = get_source("ti_cpi").model_dump()
WDI = get_source("worldbank_wdi").model_dump()


def changed(source: dict[str, Any], **options: Any) -> dict[str, Any]:
    """A registry entry with `options` changed (None: removed)."""
    merged = {k: v for k, v in {**source["options"], **options}.items() if v is not None}
    return {**source, "options": merged}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (changed(NDI, listing=None), "adapter html_listing needs options.listing"),
        (changed(NDI, max_pages=None), "adapter html_listing needs options.max_pages"),
        (
            changed(NDI, listing={"item": ".row", "link": "a[href]"}),
            "adapter html_listing needs options.listing.next_page",
        ),
        (changed(NDI, colour="blue"), "adapter html_listing knows no option options.colour"),
        (
            changed(NDI, article={"titel": "h1"}),
            "adapter html_listing knows no option options.article.titel",
        ),
        (
            changed(NDI, max_pages="many"),
            "options.max_pages: Input should be a valid integer, unable to parse string as an "
            "integer (got 'many')",
        ),
        (changed(NDI, refresh_days=-1), "options.refresh_days: Input should be greater than"),
        (
            changed(NDI, article={"body": "div.entry-content >"}),
            "options.article.body: not a CSS selector the extractor can use: "
            "'div.entry-content >': Expected selector",
        ),
        ({**NDI, "adapter": "sitemap", "options": {"include": "(news"}}, "options.include: not a"),
        ({**CPI, "options": {}}, "adapter download needs options.parser; adapter download needs"),
        (changed(CPI, parser="cpi_2024"), "options.parser: unknown parser 'cpi_2024'; known: "),
        (
            changed(CPI, parser_options={"indicators": ["cpi"]}),
            "adapter download cannot pass options.parser_options to parser cpi: got an "
            "unexpected keyword argument 'indicators'",
        ),
        (changed(CPI, files=[]), "options.files: List should have at least 1 item"),
        (
            changed(CPI, files=[{"url": "https://images.transparencycdn.org/cpi.xlsx"}]),
            "adapter download needs options.files.0.vintage",
        ),
        (
            changed(WDI, indicators=None),
            "adapter worldbank_api needs options.indicators or options.indicator_sources",
        ),
    ],
)
def test_bad_options_name_the_entry_adapter_option_and_problem(
    bad: dict[str, Any], message: str
) -> None:
    """Caught when the registry loads, not as a KeyError in the adapter at run time."""
    with pytest.raises(RegistryError) as raised:
        parse_sources([bad])
    assert str(raised.value).startswith(f"sources.yml: entry 1 ({bad['name']!r}): {message}")


def test_a_deployments_registry_is_checked_as_the_bundled_one(tmp_path: Path) -> None:
    """`CIVICPULSE_REGISTRY` (how tests/test_new_source.py adds its sources) still loads its
    entries, and a bad one there fails naming the file and the entry."""
    registry = tmp_path / "sources.yml"
    registry.write_text(REGISTRY_PATH.read_text(encoding="utf-8") + ENTRIES, encoding="utf-8")
    names = subprocess.run(
        [
            sys.executable,
            "-c",
            "from civicpulse.registry import load_sources as l; "
            "print(' '.join(s.name for s in l()))",
        ],
        env=os.environ | {"CIVICPULSE_REGISTRY": str(registry)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert names == [s.name for s in SOURCES] + ["peace_example", "peace_example_deaths"]

    broken = tmp_path / "broken.yml"
    broken.write_text(ENTRIES.replace("parser: ucdp_battle_deaths_csv", "parser: ucdp"))
    with pytest.raises(RegistryError, match=r"^broken.yml: entry 2 \('peace_example_deaths'\)"):
        load_sources(broken)
