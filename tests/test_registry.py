"""The registry: every entry is complete on disk, and bad entries fail naming entry and field."""

from __future__ import annotations

from typing import Any

import pytest

from civicpulse.adapters import ADAPTERS
from civicpulse.quality import suite_path
from civicpulse.registry import RegistryError, load_sources, parse_sources
from civicpulse.settings import REPO_ROOT

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


# Sources the bundled snapshot cannot hold (the demo skips them, saying so); their adapters are
# tested against a local server in tests/adapters/.
NOT_RECORDED = {
    "worldbank_governance": "no response of the live API for these codes exists offline",
    "ucdp_ged": "needs an access token; tests/adapters/test_conflict_apis.py",
    "acled": "needs an account; tests/adapters/test_conflict_apis.py",
}


def test_registry_has_unique_snake_case_names() -> None:
    names = [s.name for s in SOURCES]
    assert len(names) == len(set(names)) >= 2


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.name)
def test_every_source_brings_suite_staging_models_and_fixtures(source: Any) -> None:
    assert source.adapter in ADAPTERS
    assert suite_path(f"{source.name}__{source.entity}").is_file()
    assert (REPO_ROOT / "dbt_project" / "models" / "staging" / source.name).is_dir()
    if source.name not in NOT_RECORDED:
        assert any((REPO_ROOT / "tests" / "fixtures" / source.name).glob("*.warc"))


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
