"""Seed fidelity: after the nightly run (`make demo`), every paragraph of every item of every
seed is, in order, a paragraph of exactly one article's body in `marts.fct_articles`, with the
item's byline, date and language.

The expected items come from the seed text and the item boundaries (seed line ranges) of the
metadata YAML next to it, never from the pipeline's output:

- PartnersGlobal seed 000 (``tests/seeds.py``): read as a reader would, a post per byline/date
  line. Seed 001 (``partnersglobal/posts_001.yml``): each post's ``lines``, without its first
  line when that is the title; the date is the YAML's (editorial, rendered on the page), the
  language its ``lang`` (the bilingual Guinea page is French first).

- NDI (``ndi/publications.yml``): each publication's ``lines`` are its body. The seed has no
  byline and no date; the date is the YAML's (editorial, rendered on the page).
- endvawnow (``endvawnow/articles.yml``): an article's ``lines`` are its whole page text; its
  ``title_line`` is the title and its ``edited_line`` ("Last edited: December 29, 2011") gives
  the updated date, so both stay out of the body. No byline, no publication date.
- USIP (``usip/items.yml``): the program's ``lines`` are its body (no byline, no date). Each
  publication's ``lines`` are a teaser, read as a reader would: the title (twice), the long date
  ("Thursday, March 23, 2023"), "By: A;  B", the summary, "Type: ..." and the run-together
  topics. The summary is the body of the publication's page, which holds nothing more.

The YAMLs' ``boilerplate_lines`` and USIP's related-content headings and "View All" links are
page furniture: they must be no article's paragraph.

Seed lines are normalised as the pipeline normalises text (``clean_text``: whitespace
collapsed, mojibake repaired); spacer lines holding only a no-break space are empty. The
extractor renders a list item as "• text", which is exactly what an indented "  • text" seed
line normalises to, so paragraphs are compared to the body's blocks (split on blank lines)
for equality.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from civicpulse.records import clean_text
from tests.conftest import FIXTURES
from tests.nightly import Demo, query
from tests.seeds import seed_posts

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class SeedItem:
    seed: str  # "002"
    source: str  # registry name
    name: str
    paragraphs: tuple[str, ...]
    furniture: tuple[str, ...]  # the seed's page-furniture lines, normalised
    authors: tuple[str, ...] = ()
    published: date | None = None
    updated: date | None = None
    language: str = "en"


def _seed_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _span(lines: list[str], span: str | int) -> list[str]:
    """Lines ``"first-last"`` (1-based, inclusive) of a seed."""
    first, _, last = str(span).partition("-")
    return lines[int(first) - 1 : int(last or first)]


def _paragraphs(lines: list[str]) -> tuple[str, ...]:
    return tuple(text for line in lines if (text := clean_text(line)))


def _meta(path: str) -> dict[str, Any]:
    return yaml.safe_load((FIXTURES / path).read_text(encoding="utf-8"))


def partnersglobal_items() -> Iterator[SeedItem]:
    for number, post in enumerate(seed_posts()):
        authors = (post.author,) if post.author else ()
        yield SeedItem(
            "000",
            "partnersglobal",
            str(number),
            tuple(post.paragraphs),
            (),
            authors,
            post.published,
        )
    lines = _seed_lines(FIXTURES / "partnersglobal" / "seed_001.txt")
    for post in _meta("partnersglobal/posts_001.yml")["posts"]:
        body = _span(lines, post["lines"])
        if post["title_source"] == "seed":
            body = body[1:]
        yield SeedItem(
            "001",
            "partnersglobal",
            post["slug"][:40],
            _paragraphs(body),
            (),
            published=date.fromisoformat(post["date"]),
            language=post.get("lang", "en"),
        )


def ndi_items() -> Iterator[SeedItem]:
    lines = _seed_lines(FIXTURES / "ndi" / "seed_002.txt")
    for pub in _meta("ndi/publications.yml")["publications"]:
        furniture = _paragraphs([lines[n - 1] for n in pub["boilerplate_lines"]])
        yield SeedItem(
            "002",
            "ndi",
            pub["slug"],
            _paragraphs(_span(lines, pub["lines"])),
            furniture,
            published=date.fromisoformat(pub["date"]),
        )


def endvawnow_items() -> Iterator[SeedItem]:
    lines = _seed_lines(FIXTURES / "endvawnow" / "seed_003.txt")
    for article in _meta("endvawnow/articles.yml")["articles"]:
        first, _, last = article["lines"].partition("-")
        not_body = {article["title_line"], article["edited_line"], *article["boilerplate_lines"]}
        body = [lines[n - 1] for n in range(int(first), int(last) + 1) if n not in not_body]
        edited = clean_text(lines[article["edited_line"] - 1]).removeprefix("Last edited: ")
        yield SeedItem(
            "003",
            "endvawnow",
            str(article["id"]),
            _paragraphs(body),
            _paragraphs([lines[n - 1] for n in article["boilerplate_lines"]]),
            updated=datetime.strptime(edited, "%B %d, %Y").date(),
            language=article["lang"],
        )


def usip_items() -> Iterator[SeedItem]:
    lines = _seed_lines(FIXTURES / "usip" / "seed_004.txt")
    meta = _meta("usip/items.yml")
    furniture = _paragraphs(
        [lines[block[key] - 1] for block in meta["blocks"] for key in ("heading_line", "more_line")]
    )
    program = meta["program"]
    yield SeedItem(
        "004", "usip", program["slug"], _paragraphs(_span(lines, program["lines"])), furniture
    )
    for pub in meta["publications"]:
        title, heading, long_date, byline, *summary, kind, _topics = _paragraphs(
            _span(lines, pub["lines"])
        )
        assert title == heading and byline.startswith("By:") and kind.startswith("Type:")
        yield SeedItem(
            "004",
            "usip",
            pub["slug"],
            tuple(summary),
            furniture,
            authors=tuple(clean_text(name) for name in byline.removeprefix("By:").split(";")),
            published=datetime.strptime(long_date, "%A, %B %d, %Y").date(),
            language=pub.get("lang", "en"),
        )


ITEMS = [*partnersglobal_items(), *ndi_items(), *endvawnow_items(), *usip_items()]
CASES = [pytest.param(item, id=f"{item.seed}-{item.source}-{item.name}") for item in ITEMS]


def _first_out_of_order(paragraphs: tuple[str, ...], blocks: list[str]) -> str | None:
    """The first paragraph not found after the previous one's block, if any."""
    remaining = iter(blocks)
    for paragraph in paragraphs:
        if paragraph not in remaining:
            return paragraph
    return None


@pytest.fixture(scope="module")
def articles(demo: Demo) -> dict[str, dict[str, Any]]:
    """Every article of the warehouse the nightly run built, by URL."""
    env = demo.env
    columns = ("url", "source_id", "body", "authors", "published_date", "updated_date", "language")
    rows = query(env, f"select {', '.join(columns)} from marts.fct_articles")
    return {str(row[0]): dict(zip(columns, row, strict=True)) for row in rows}


@pytest.mark.parametrize("item", CASES)
def test_seed_item_is_one_article_with_its_byline_and_date(
    item: SeedItem, articles: dict[str, dict[str, Any]]
) -> None:
    bodies = {url: str(article["body"]).split("\n\n") for url, article in articles.items()}

    leaked = [(line, url) for line in item.furniture for url, b in bodies.items() if line in b]
    assert not leaked, "page furniture in a body"

    assert item.paragraphs, "the seed item has no text"
    holders = {p: [url for url, b in bodies.items() if p in b] for p in item.paragraphs}
    assert len(holders[item.paragraphs[0]]) == 1, holders[item.paragraphs[0]]
    [url] = holders[item.paragraphs[0]]
    elsewhere = {p[:80]: where for p, where in holders.items() if where != [url]}
    assert not elsewhere, f"paragraphs not (only) in {url}"
    assert _first_out_of_order(item.paragraphs, bodies[url]) is None, "paragraphs out of order"

    article = articles[url]
    assert article["source_id"] == item.source
    assert tuple(article["authors"]) == item.authors
    assert article["published_date"] == item.published
    assert article["updated_date"] == item.updated
    assert article["language"] == item.language
