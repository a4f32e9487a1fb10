"""Source lists derived from the registry, and registry entries written for tests: the same
sites reached through other channels."""

from __future__ import annotations

from typing import Any

from civicpulse.registry import Source, get_source, parse_sources, sources_for
from tests.conftest import FIXTURES

# Sources the bundled snapshot cannot hold (the demo skips them, saying so); their adapters are
# tested against a local server in tests/adapters/.
NOT_RECORDED = {
    "worldbank_governance": "no response of the live API for these codes exists offline",
    "ucdp_ged": "needs an access token; tests/adapters/test_conflict_apis.py",
    "acled": "needs an account; tests/adapters/test_conflict_apis.py",
}


def recorded(entity: str) -> list[str]:
    """The registry's `entity` sources the bundled snapshot holds, in registry order."""
    return [s.name for s in sources_for(entity) if any((FIXTURES / s.name).glob("*.warc"))]


SITE = "https://www.partnersglobal.org"
# The /newsroom/ listing as PartnersGlobal's theme prints it (News category only: seed 000).
NEWSROOM_LISTING = {
    "item": "article.post",
    "link": "h2.entry-title a[href]",
    "modified": "time.updated[datetime]",  # WordPress themes print it once a post is edited
    "next_page": "a.next.page-numbers[href]",
}


def partnersglobal_via(adapter: str, url: str, **options: Any) -> Source:
    """PartnersGlobal reached through `adapter` at `url`, with the registry's article options
    unless `options` replace them."""
    registry = get_source("partnersglobal")
    entry = {
        **registry.model_dump(),
        "name": f"partnersglobal_{adapter}",
        "adapter": adapter,
        "url": url,
        "options": {"trailing_slash": True, **options},
    }
    (source,) = parse_sources([entry], origin="tests/sources.py")
    return source


PARTNERSGLOBAL_LISTING = partnersglobal_via(
    "html_listing",
    f"{SITE}/newsroom/",
    max_pages=50,
    listing=NEWSROOM_LISTING,
    article=get_source("partnersglobal").options["article"],
)
