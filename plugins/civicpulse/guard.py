"""The content guard: a page that answers 200 but is an error page (a "soft 404"), or a
known article whose new version lost most of its text, is refused. A known article keeps
its previous version; the run summary says which page was refused and why."""

from __future__ import annotations

import re
from collections.abc import Mapping

from civicpulse.records import FETCHED_URL, Record

# Error-page titles in the languages the sources publish in (and the commonest others).
SOFT_404 = re.compile(
    r"page (?:was |could not be )?not found|^\W*(?:error\W*)?404(?:\W*$|\s*[-|:\u2013\u2014])"
    r"|\b404\W+(?:error|not found)|can.t be found"
    r"|^\W*not found\W*$|page (?:does not|doesn't) exist|page introuvable"
    r"|p[aá]gina no encontrada|no se encontr[oó] la p[aá]gina|seite nicht gefunden",
    re.IGNORECASE,
)
KEPT_SHARE = 0.5  # a new version with less than this share of the old text is refused
MIN_TEXT = 500  # characters of the old version below which a shrink says nothing


def refusal(record: Record, previous: Record | None) -> str | None:
    """Why `record` must not be published (None when it may): it reads as an error page,
    or it holds less than half the text of the article's `previous` version."""
    title = str(record.get("title") or "")
    if SOFT_404.search(title):
        return f"soft 404: served with HTTP 200, titled {title!r}"
    body = str(record.get("body") or "")
    if len(body) < MIN_TEXT and SOFT_404.search(body):
        return f"soft 404: served with HTTP 200, saying {body[:80]!r}"
    old = len(str((previous or {}).get("body") or ""))
    if old >= MIN_TEXT and len(body) < old * KEPT_SHARE:
        return (
            f"lost {1 - len(body) / old:.0%} of its text ({old:,} to {len(body):,} characters): "
            "a broken or changed page, not an edit"
        )
    return None


def guarded(
    rows: list[Record], known: Mapping[str, Record]
) -> tuple[list[Record], list[tuple[str, str]]]:
    """`rows` with every refused record replaced by the article's previous version (or
    left out, if it has none), and the refusals as (url, reason)."""
    kept, refused = [], []
    for row in rows:
        url = str(row.get("url"))
        reason = refusal(row, known.get(url))
        if reason is None:
            kept.append(row)
            continue
        refused.append((url, reason))
        if url in known:
            kept.append(known[url])
    return kept, refused


def unique_by_url(rows: list[Record]) -> tuple[list[Record], list[tuple[str, str]]]:
    """One record per URL: two fetched pages that declare the same canonical URL (a
    tracking query, a mirror path) are one article, and it is the page at that URL, not a
    page that merely points at it. Each dropped page is returned as (its fetched URL,
    reason), to be counted as skipped rather than fail the batch. Pops `FETCHED_URL` (a
    carried-forward record has none: it is its own page)."""
    kept: dict[str, tuple[Record, str]] = {}  # canonical URL -> (record, fetched URL)
    unkeyed: list[Record] = []  # a row without URL is the suite's to set aside
    duplicates = []
    for row in rows:
        url = row.get("url")
        fetched = str(row.pop(FETCHED_URL, None) or url)
        if url is None:
            unkeyed.append(row)
        elif url not in kept:
            kept[url] = (row, fetched)
        else:
            if fetched == url != kept[url][1]:  # the page at its own URL wins
                kept[url], (row, fetched) = (row, fetched), kept[url]
            duplicates.append((fetched, f"declares the canonical URL {url}, already collected"))
    return [row for row, _ in kept.values()] + unkeyed, duplicates
