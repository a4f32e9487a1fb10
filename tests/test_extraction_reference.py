"""Every snapshot article page, as fetched and bloated to a real site's size, with and without
its channel's evidence, extracts to the record the reference holds: titles, dates, authors,
languages, evidence columns and bodies. A deliberate change rewrites the reference
(`python -m tests.extraction_reference`) and says why in its commit."""

from __future__ import annotations

import json

from tests.extraction_reference import REFERENCE, outputs


def test_every_snapshot_page_extracts_as_the_reference_says() -> None:
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    records, _ = outputs()
    assert records.keys() == reference["records"].keys()
    changed = [
        f"{key}: {field}: {before!r} -> {now!r}"
        for key, record in records.items()
        for field in record.keys() | reference["records"][key].keys()
        if (now := record.get(field)) != (before := reference["records"][key].get(field))
    ]
    assert not changed, "\n".join(changed[:20])


def test_bloating_a_page_adds_only_what_real_sites_carry() -> None:
    """The bloated pages the reference and the benchmark use are of a real site's size and
    keep the article; they add no structured data of their own."""
    from tests.article_pages import article_pages, bloated

    for _, page, _ in article_pages():
        grown = bloated(page)
        assert 150_000 <= len(grown.body) <= 210_000, page.url
        assert page.body.count(b"application/ld+json") == grown.body.count(b"application/ld+json")
