"""One article's enrichment, and the version that names the code and lookups producing it:
any change to either re-enriches every article on the next build."""

from __future__ import annotations

import hashlib
import logging
from functools import cache
from pathlib import Path
from typing import Any

from civicpulse.countries import SEEDS
from civicpulse.enrich.countries import tag_countries
from civicpulse.enrich.figures import figures
from civicpulse.enrich.organisations import tag_organisations
from civicpulse.enrich.text import sections
from civicpulse.enrich.topics import tag_topics

log = logging.getLogger(__name__)

LOOKUPS = (
    "countries.csv",
    "gazetteer.csv",
    "gazetteer_reviewed.csv",
    "topics.csv",
    "topic_terms.csv",
    "organisations.csv",
)


@cache
def enricher_version(seeds: Path = SEEDS) -> str:
    """`enrich-<hash>` of this package's code and the lookups it reads."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    for name in LOOKUPS:
        path = seeds / name
        digest.update(name.encode() + (path.read_bytes() if path.exists() else b""))
    return f"enrich-{digest.hexdigest()[:12]}"


def enrich_article(
    title: str | None,
    body: str | None,
    tags: list[str] | None = None,
    language: str | None = None,
) -> dict[str, Any]:
    """Countries, topics, organisations and figures of one article, as plain data, with the
    version of the enricher that found them."""
    parts = sections(title, body, tags)
    countries = tag_countries(parts)
    # vars(), not dataclasses.asdict: these hold no nested dataclasses, and asdict's
    # deep copy was a tenth of the time
    return {
        "enricher_version": enricher_version(),
        "countries": [
            {k: v for k, v in vars(tag).items() if k != "first_position"} for tag in countries
        ],
        "topics": [vars(tag) for tag in tag_topics(parts)],
        "organisations": [vars(tag) for tag in tag_organisations(parts)],
        "figures": [vars(figure) for figure in figures(parts, language)],
    }
