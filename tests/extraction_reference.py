"""What the extractor makes of every snapshot article page, kept as a reference: a faster or
restructured extractor must produce the same records (`test_extraction_reference.py`).

Each page is extracted as fetched and bloated to a real site's size (`article_pages.bloated`),
with what its channel states and without (as `civicpulse reextract` reads the archive), and
without its source's registry selectors (the generic path a new source takes).
After a deliberate change of output, rewrite the reference and justify the diff in the commit:

    .venv/bin/python -m tests.extraction_reference
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from civicpulse.articles import extract_page
from civicpulse.extract import NOTHING_STATED, ExtractionError, extract_article
from civicpulse.records import Record
from tests.article_pages import article_pages, bloated

REFERENCE = Path(__file__).parent / "fixtures" / "extraction_reference.json"
Outputs = dict[str, dict[str, Any]]


def outputs() -> tuple[Outputs, dict[str, str]]:
    """Every variant's record (its body as a hash) or error, by "url variant channel"; and
    the bodies by hash."""
    records: Outputs = {}
    bodies: dict[str, str] = {}
    for key, record in _extracted():
        if "body" in record:
            body = record.pop("body")
            digest = hashlib.sha256(body.encode()).hexdigest()[:16]
            bodies[digest], record["body"] = body, digest
        records[key] = record
    return records, bodies


def _extracted() -> Iterator[tuple[str, dict[str, Any]]]:
    for source, page, stated in article_pages():
        for size, variant in (("as fetched", page), ("bloated", bloated(page))):
            channels = {"unstated": NOTHING_STATED}
            if stated != NOTHING_STATED:
                channels["stated"] = stated
            for channel, evidence in channels.items():
                key = f"{page.url} {size} {channel}"
                yield key, _record(extract_page, source, variant, evidence)
            key = f"{page.url} {size} no selectors"
            yield key, _record(extract_article, variant, {}, source.name)


def _record(extract: Callable[..., Record], *args: Any) -> dict[str, Any]:
    """The record as JSON values, or the extraction error."""
    try:
        return {k: _plain(v) for k, v in extract(*args).items()}
    except ExtractionError as error:
        return {"error": str(error)}


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def write() -> None:
    records, bodies = outputs()
    text = json.dumps({"records": records, "bodies": bodies}, indent=1, ensure_ascii=False)
    REFERENCE.write_text(text + "\n", encoding="utf-8")
    print(f"{REFERENCE}: {len(records)} records, {len(bodies)} distinct bodies")


if __name__ == "__main__":
    write()
