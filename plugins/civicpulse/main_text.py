"""trafilatura's extraction of a page's main text, fast unless its result looks weak.

Fast mode skips trafilatura's readability and justext comparisons, about a third of the call
(`make bench` prints both). A result is run again with them where they could matter: where
trafilatura would have consulted them on its own extraction (nothing, under its minimum
size, no paragraph text, more tables than paragraphs) and where fast mode's one other
difference showed (it keeps teaser-class blocks when its main pass comes up short).

Not caught: readability replacing a healthy extraction because readability's text is more
than twice as long. On the 26 snapshot pages (as fetched and bloated) and on the 23 real news
pages of newspaper4k's test set, the thorough run changed no body (`make eval-extract`).
"""

from __future__ import annotations

from copy import copy
from typing import Any

from lxml import etree
from lxml.html import HtmlElement
from trafilatura.core import bare_extraction
from trafilatura.settings import Document, Extractor

# Built once: construction parses trafilatura's config, and extraction only reads the
# settings (where trafilatura changes one, it changes a copy).
SETTINGS = Extractor(output_format="xml", precision=True, comments=False, fast=True)
THOROUGH = copy(SETTINGS)
THOROUGH.fast = False
# Elements trafilatura may take for teasers ("teaser" or "Teaser" in the class or id), and
# more: any tag, any "easer". Selected through their attributes, the cheaper way by far.
_TEASERS = etree.XPath("//@class[contains(., 'easer')]/.. | //@id[contains(., 'easer')]/..")
_TEASER_SAMPLE_CHARS = 60  # of a teaser's text, enough to recognise it in the result


def extract(tree: HtmlElement) -> Document | None:
    """The page's main text as trafilatura's document; `tree` is left as it is (trafilatura
    works on a copy). Read at each call, `SETTINGS` may be swapped to measure another."""
    settings = SETTINGS
    document = bare_extraction(tree, options=settings)
    if settings.fast and not _stands(document, tree):
        document = bare_extraction(tree, options=THOROUGH)
    return document if isinstance(document, Document) else None


def _stands(document: Document | dict[str, Any] | None, tree: HtmlElement) -> bool:
    """Whether a fast result is one the thorough run would return unchanged (but for the
    readability case above)."""
    if not isinstance(document, Document) or document.body is None:
        return False
    body = document.body
    weak = (
        len(document.raw_text or "") < SETTINGS.min_extracted_size
        or not body.xpath(".//p//text()")
        or len(body.findall(".//table")) > len(body.findall(".//p"))
    )
    return not weak and not _kept_teasers(tree, document)


def _kept_teasers(tree: HtmlElement, document: Document) -> bool:
    """Whether a teaser block's text made it into the result."""
    text = " ".join((document.raw_text or "").split())
    return any((sample := _opening(teaser)) and sample in text for teaser in _TEASERS(tree))


def _opening(element: HtmlElement) -> str:
    """The first characters of an element's text, without reading all of it; its pieces
    joined by spaces and whitespace collapsed, as trafilatura's result text is."""
    pieces, length = [], 0
    for piece in element.itertext():
        pieces.append(piece)
        length += len(piece)
        if length > 2 * _TEASER_SAMPLE_CHARS:
            break
    return " ".join(" ".join(pieces).split())[:_TEASER_SAMPLE_CHARS]
