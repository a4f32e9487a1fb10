"""The registry: every entry is complete on disk, and bad entries fail naming entry and field."""

from __future__ import annotations

from typing import Any

import pytest

from civicpulse.adapters import ADAPTERS
from civicpulse.quality import suite_for, suite_path
from civicpulse.registry import RegistryError, load_sources, parse_sources
from tests.conftest import FIXTURES
from tests.sources import NOT_RECORDED

SOURCES = load_sources()


def entry(**overrides: Any) -> dict[str, Any]:
    base = {
        "name": "example_news",
        "adapter": "html_listing",
        "url": "https://www.example.org/news/",
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
        ([entry(adapter="rss_magic")], "entry 1 ('example_news'): field adapter: unknown value"),
        ([entry(url=None)], "entry 1 ('example_news'): field url: missing"),
        ([entry(url="www.example.org/news")], "field url: Value error, must be an absolute"),
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
