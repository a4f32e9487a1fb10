"""One article record from one HTML page, each field taken from the best evidence the page has.

Evidence is tried in a fixed order, and the first usable value wins:

1. ``structured_data``: what the page declares about itself: JSON-LD (``@graph`` included),
   OpenGraph and ``article:*`` meta tags, ``<meta name="author">``, ``<html lang>``;
2. ``feed``: what the channel that found the page (an RSS/Atom entry, an API record) states;
3. ``selectors``: the source's CSS selectors from the registry;
4. ``generic``: trafilatura for the body and title, htmldate for the publication date.

The record says where its title, body and publication date came from (``title_source``,
``body_source``, ``date_source``).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, cached_property
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import htmldate
from lingua import Language, LanguageDetector, LanguageDetectorBuilder
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.core import determine_returnstring
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title

from civicpulse import dom, main_text
from civicpulse.fetch import Page
from civicpulse.records import Record, clean_text

log = logging.getLogger(__name__)

EXTRACTOR = "civicpulse.extract/5"

EvidenceSource = Literal["structured_data", "feed", "selectors", "generic"]

_BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption"]
_SUMMARY_CHARS = 300
# trafilatura's XML elements as the HTML blocks they were ("list" is ol or ul by its rend).
_TRAFILATURA_TAGS = {"head": "h2", "item": "li", "list": "ul", "quote": "blockquote", "code": "pre"}
_DEFAULT_BOILERPLATE = "script, style"
# A list item's prose, less its nested items' (the text whose nearest `li` is the item).
_ITEM_TEXT = etree.XPath(
    f"{dom.PROSE_TEXT}[count(ancestor::li[1] | $item) = 1]", smart_strings=False
)
# Article types first: Yoast's @graph also holds a WebPage whose dates describe the page.
_ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting"}
_PAGE_TYPES = {"WebPage"}
# A language must hold this share of the body's (detected) characters to be listed.
_MIN_LANGUAGE_SHARE = 0.2
# lingua reads at most about this much of a body: a block's language shows in its first
# sentences, and a section in another language spans several blocks.
_BLOCK_HEAD_CHARS = 300
_LANGUAGE_SAMPLE_CHARS = 3_000
# lingua chooses among the Latin-script languages the sources write in and, where the text
# has letters of another script, every lingua language not written in Latin script (Arabic,
# Russian, Chinese, Thai, ...), whose models load only when first needed. Other Latin-script
# languages are left out: each one slows every page.
_LATIN_LANGUAGES = frozenset({Language.ENGLISH, Language.FRENCH, Language.SPANISH})
_LANGUAGES = _LATIN_LANGUAGES | (frozenset(Language.all()) - Language.all_with_latin_script())
_DETECTABLE = frozenset(language.iso_code_639_1.name.lower() for language in _LANGUAGES)
_ISO_639_1 = re.compile("[a-z]{2}")
# A letter outside the Latin script; a false alarm (a superscript digit, a ligature, an IPA
# letter) only costs time.
_NON_LATIN_LETTER = re.compile(r"[^\W\d_a-zA-Z\u00aa\u00b5\u00ba\u00c0-\u024f\u1e00-\u1eff]")
# A date without a time zone is in the future only when no zone on Earth has reached it yet.
_EARLIEST_ZONE = timedelta(hours=14)

_MONTH_NAMES = (
    "january february march april may june july august september october november december".split()
)
# Full names and their abbreviations ("Dec", "Sept"), lower-case, to month numbers.
_MONTHS = {
    name: number
    for number, month in enumerate(_MONTH_NAMES, start=1)
    for name in (month, month[:3])
} | {"sept": 9}
_ISO_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    # ISO 8601's basic format (Nikkei's JSON-LD: 20180619T055000+0900); the T is required,
    # since eight digits alone are as likely an ID as a date
    r"|(?<!\d)\d{8}T\d{4}(?:\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_HUMAN_DATE = re.compile(
    r"\b(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})\b"
    r"|\b(?P<day2>\d{1,2})\s+(?P<month2>[A-Za-z]{3,9})\.?,?\s+(?P<year2>\d{4})\b"
)
_BY_PREFIX = re.compile(r"^\s*by\b\s*:?\s*", re.IGNORECASE)
_BYLINE_SEPARATOR = re.compile(r"\s*(?:[;,&|]|\band\b)\s*", re.IGNORECASE)
# "Heather Ashby, Ph.D." is one person: a comma before a suffix does not start a new name.
_NAME_SUFFIX = re.compile(
    r"^(?:Ph\.?\s?D\.?|M\.?D\.?|J\.?D\.?|Jr\.?|Sr\.?|Esq\.?|MBA|MPH|MPA|II|III|IV)$",
    re.IGNORECASE,
)


class ExtractionError(ValueError):
    """An article page lacks something every article must have."""


@dataclass(frozen=True)
class Stated:
    """What a feed entry or an API record says about the article it links to. The publisher
    declares it, as it does the page's structured data, so it ranks just below that."""

    title: str | None = None
    published: str | None = None  # ISO 8601, as given
    updated: str | None = None
    authors: tuple[str, ...] = ()


NOTHING_STATED = Stated()


@dataclass(frozen=True)
class Declared:
    """What a page declares about itself: JSON-LD nodes (articles first), meta tags, lang."""

    nodes: list[dict[str, Any]]
    by_id: dict[str, dict[str, Any]]
    meta: dict[str, list[str]]
    html_lang: str | None

    def ld(self, key: str) -> Any:
        """The first non-empty value of `key` among the JSON-LD nodes."""
        return next((node[key] for node in self.nodes if node.get(key)), None)

    def first_meta(self, key: str) -> str | None:
        return next(iter(self.meta.get(key, [])), None)


def extract_article(
    page: Page, selectors: Mapping[str, str], source_id: str, stated: Stated = NOTHING_STATED
) -> Record:
    """One article record from a page: structured data, feed, then selectors, then generic."""
    try:
        tree = dom.parse(page.text)  # once: every step below reads this tree or a copy of it
    except etree.ParserError as error:  # nothing but whitespace or comments
        raise ExtractionError(f"{page.url}: no HTML to extract ({error})") from None
    declared = declared_metadata(tree)  # before the body step, which removes scripts in place
    generic = Generic(tree, selectors, page.fetched_at)
    title, title_source = _first_text(_title_evidence(declared, stated, tree, selectors, generic))
    if not title:
        raise ExtractionError(
            f"{page.url}: no title (no JSON-LD headline or og:title, selector "
            f"{selectors.get('title')!r} matched nothing, no generic title)"
        )
    blocks, body_source = _body(page, tree, selectors, title, generic)
    if not blocks:
        raise ExtractionError(
            f"{page.url}: no body (selector {selectors.get('body')!r} matched no text, "
            "generic extraction found none)"
        )
    published, date_source = _first_date(
        _published_evidence(declared, stated, tree, selectors, generic), page
    )
    updated, _ = _first_date(_updated_evidence(declared, stated, tree, selectors), page)
    languages = _languages(blocks, declared)
    return {
        "source_id": source_id,
        "url": canonical_url(tree, page.url),
        "title": title,
        "published_date": published,
        "updated_date": updated,
        "date_source": date_source,
        "title_source": title_source,
        "body_source": body_source,
        "authors": _authors(declared, stated, tree, selectors),
        "language": languages[0] if languages else None,
        "languages": languages,
        "content_type": _content_type(declared, tree, selectors),
        "tags": _tags(declared, tree, selectors),
        "body": "\n\n".join(blocks),
        "summary": _summary(declared, blocks, title),
        "extractor": EXTRACTOR,
        "fetched_at": page.fetched_at,
        "warc_record_id": page.warc_record_id,
    }


class Generic:
    """The generic steps (trafilatura, htmldate), run only when the page's own evidence is
    missing, on one copy of the page without the source's boilerplate and comments: left
    in, a share widget's "Share this:" heading can pass for the title, and related items
    carry dates of their own. A copy, so the selector steps still read the page as it is."""

    def __init__(self, tree: HtmlElement, selectors: Mapping[str, str], fetched_at: datetime):
        self._tree, self._selectors, self._fetched_at = tree, selectors, fetched_at

    @cached_property
    def page(self) -> HtmlElement:
        page = deepcopy(self._tree)
        etree.strip_tags(page, etree.Comment, etree.ProcessingInstruction)
        dom.strip(page, self._selectors.get("boilerplate", _DEFAULT_BOILERPLATE))
        return page

    def title(self) -> str | None:
        """trafilatura's title (`extract_metadata`'s steps for it, without its costly rest)."""
        metadata = examine_meta(self.page)
        try:
            metadata = extract_meta_json(self.page, metadata)
        except Exception as error:  # noqa: BLE001 - trafilatura guards this call the same way
            log.warning("ignoring trafilatura's JSON metadata error: %s", error)
        return metadata.title or extract_title(self.page)

    def body(self) -> list[str]:
        """trafilatura's main text as blocks, like the selector path's. Read from its XML,
        which keeps what its HTML output loses: whether a list is numbered."""
        # `trafilatura.extract`'s steps, less the fingerprint its XML output carries (a
        # simhash of the text: a fifth of its time on a small page, and not needed here).
        document = main_text.extract(self.page)
        if document is None:
            return []
        xml = determine_returnstring(document, main_text.SETTINGS)
        doc = etree.fromstring(xml.encode("utf-8"))
        for element in doc.iter(*_TRAFILATURA_TAGS):
            if element.tag == "list":
                element.tag = "ol" if str(element.get("rend", "")).startswith("ol") else "ul"
            else:
                element.tag = _TRAFILATURA_TAGS[element.tag]
        main = doc.find("main")
        return body_text_blocks(main) if main is not None else []

    def published(self) -> str | None:
        # Markup only (no extensive search): in running text htmldate takes copyright years
        # and related-article dates for the article's own date.
        return htmldate.find_date(
            self.page,
            extensive_search=False,
            original_date=True,
            max_date=self._fetched_at.date().isoformat(),
        )


# --- structured data ---------------------------------------------------------------------


def declared_metadata(tree: HtmlElement) -> Declared:
    """Parse the page's JSON-LD, meta tags and <html lang> once."""
    nodes = _json_ld_nodes(tree)
    typed = [n for n in nodes if _types(n) & _ARTICLE_TYPES] + [
        n for n in nodes if _types(n) & _PAGE_TYPES and not _types(n) & _ARTICLE_TYPES
    ]
    by_id = {str(n["@id"]): n for n in nodes if isinstance(n.get("@id"), str)}
    meta: dict[str, list[str]] = {}
    for tag in tree.iter("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        if key and tag.get("content"):
            meta.setdefault(key.lower(), []).append(tag.get("content"))
    lang = tree.get("lang") or tree.get("xml:lang")
    return Declared(typed, by_id, meta, _iso_language(lang) if lang else None)


def _json_ld_nodes(tree: HtmlElement) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if script.get("type") != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except json.JSONDecodeError as error:
            log.warning("ignoring malformed JSON-LD: %s", error)
            continue
        for item in data if isinstance(data, list) else [data]:
            graph = item.get("@graph") if isinstance(item, dict) else None
            nodes.extend(
                n for n in (graph if isinstance(graph, list) else [item]) if isinstance(n, dict)
            )
    return nodes


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    return {kind} if isinstance(kind, str) else {k for k in kind or [] if isinstance(k, str)}


def _ld_people(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    """Names from a JSON-LD author: a string, a Person (or a reference to one), or a list."""
    if isinstance(value, str):
        return split_byline(value)
    if isinstance(value, list):
        return [name for item in value for name in _ld_people(item, by_id)]
    if isinstance(value, dict):
        person = value if value.get("name") else by_id.get(str(value.get("@id")), {})
        name = person.get("name")
        return [clean_text(name)] if isinstance(name, str) and clean_text(name) else []
    return []


def _without_site_name(title: str | None, site_name: str | None) -> str | None:
    """og:title often carries " – Site" or " | Site"; the article's title does not."""
    if title and site_name:
        match = re.fullmatch(rf"(.+?)\s+[-–—|·]\s+{re.escape(site_name)}", title.strip())
        if match:
            return match.group(1)
    return title


# --- titles and bodies -------------------------------------------------------------------


def _title_evidence(
    declared: Declared,
    stated: Stated,
    tree: HtmlElement,
    selectors: Mapping[str, str],
    generic: Generic,
) -> Iterator[tuple[EvidenceSource, str | None]]:
    headline = declared.ld("headline")
    yield "structured_data", headline if isinstance(headline, str) else None
    og_title = declared.first_meta("og:title")
    yield "structured_data", _without_site_name(og_title, declared.first_meta("og:site_name"))
    yield "feed", stated.title
    if "title" in selectors:
        yield "selectors", _text(dom.select_one(tree, selectors["title"]))
    yield "generic", generic.title()


def _first_text(
    evidence: Iterable[tuple[EvidenceSource, str | None]],
) -> tuple[str, EvidenceSource | None]:
    for source, raw in evidence:
        if raw and (text := clean_text(raw)):
            return text, source
    return "", None


def _body(
    page: Page,
    tree: HtmlElement,
    selectors: Mapping[str, str],
    title: str,
    generic: Generic,
) -> tuple[list[str], EvidenceSource | None]:
    """Blocks from the body selector; trafilatura when it is absent or yields no text."""
    root = dom.select_one(tree, selectors["body"]) if "body" in selectors else None
    if root is not None:
        # In place, as before: selector fields read afterwards never see boilerplate either.
        dom.strip(root, selectors.get("boilerplate", _DEFAULT_BOILERPLATE))
        if blocks := body_text_blocks(root):
            return blocks, "selectors"
    if "body" in selectors:
        log.warning("%s: body selector %r found no text; generic", page.url, selectors["body"])
    blocks = generic.body()
    # trafilatura keeps the page's <h1>; the title is a field of its own.
    if blocks and blocks[0] == title:
        blocks = blocks[1:]
    return blocks, "generic" if blocks else None


def body_text_blocks(root: HtmlElement) -> list[str]:
    """Paragraph-level texts in document order; list items keep their bullet or number. A
    `div` holding text of its own and no blocks (an image's title, a pull quote) is a block."""
    blocks = []
    for element in root.iterdescendants(*_BLOCKS, "div"):
        if element.tag == "div":
            if _is_text_div(element):
                blocks.append(clean_text(dom.text(element)))
            continue
        enclosing = _enclosing_block(element)
        nested_item = element.tag == "li" and enclosing is not None and enclosing.tag == "li"
        if enclosing is not None and not nested_item:
            continue  # already part of an enclosing block's text
        text = clean_text(_own_text(element))
        if not text:
            continue
        if element.tag == "li":
            text = f"{_list_marker(element)} {text}"
        blocks.append(text)
    return blocks


def _enclosing_block(element: HtmlElement) -> HtmlElement | None:
    return next(element.iterancestors(*_BLOCKS), None)


def _is_text_div(div: HtmlElement) -> bool:
    return (
        bool(dom.own_text(div).strip())
        and next(div.iterdescendants("div", *_BLOCKS), None) is None
        and _enclosing_block(div) is None
    )


def _own_text(element: HtmlElement) -> str:
    """The element's text; for a list item, without its nested list (whose items are blocks
    of their own, as a reader sees them)."""
    if element.tag != "li":
        return dom.text(element)
    return " ".join(_ITEM_TEXT(element, item=element))


def _list_marker(item: HtmlElement) -> str:
    parent = item.getparent()
    if parent is not None and parent.tag == "ol":
        return f"{[child for child in parent if child.tag == 'li'].index(item) + 1}."
    return "•"


# --- dates -------------------------------------------------------------------------------


def _published_evidence(
    declared: Declared,
    stated: Stated,
    tree: HtmlElement,
    selectors: Mapping[str, str],
    generic: Generic,
) -> Iterator[tuple[EvidenceSource, str | None]]:
    published = declared.ld("datePublished")
    yield "structured_data", published if isinstance(published, str) else None
    yield "structured_data", declared.first_meta("article:published_time")
    yield "feed", stated.published
    yield "selectors", _selected_date(tree, selectors.get("published"))
    yield "generic", generic.published()


def _updated_evidence(
    declared: Declared, stated: Stated, tree: HtmlElement, selectors: Mapping[str, str]
) -> Iterator[tuple[EvidenceSource, str | None]]:
    modified = declared.ld("dateModified")
    yield "structured_data", modified if isinstance(modified, str) else None
    yield "structured_data", declared.first_meta("article:modified_time")
    yield "feed", stated.updated
    yield "selectors", _selected_date(tree, selectors.get("updated"))
    # No generic step: htmldate's "latest date" on a page is mostly a copyright or a sidebar.


def _selected_date(tree: HtmlElement, selector: str | None) -> str | None:
    """A date element's machine-readable `datetime` or `content`, else its text."""
    element = dom.select_one(tree, selector) if selector else None
    if element is None:
        return None
    return str(element.get("datetime") or element.get("content") or dom.text(element, "")).strip()


def _first_date(
    evidence: Iterable[tuple[EvidenceSource, str | None]], page: Page
) -> tuple[date | None, EvidenceSource | None]:
    for source, raw in evidence:
        if not raw:
            continue
        when = parse_date(raw)
        if when is None:
            log.warning("%s: unparseable date %r from %s", page.url, raw, source)
        elif is_after_fetch(when, page.fetched_at):
            log.warning(
                "%s: rejecting date %r from %s: not before the fetch", page.url, raw, source
            )
        else:
            return when.date(), source
    return None, None


def parse_date(raw: str) -> datetime | None:
    """An ISO 8601 date or datetime, or a long English form ("Thursday, March 23, 2023",
    "Last edited: December 29, 2011", "29 Dec. 2011") anywhere in `raw`. Naive unless the
    text gives a time zone."""
    iso = _ISO_DATE.search(raw)
    if iso:
        try:
            return datetime.fromisoformat(iso.group())
        except ValueError:
            pass  # e.g. 2011-13-45: try the long forms
    for match in _HUMAN_DATE.finditer(raw):
        month = _MONTHS.get((match["month"] or match["month2"]).lower())
        day, year = match["day"] or match["day2"], match["year"] or match["year2"]
        if month is not None:
            try:
                return datetime(int(year), month, int(day))
            except ValueError:
                continue
    return None


def is_after_fetch(when: datetime, fetched_at: datetime) -> bool:
    """Whether a date cannot be a publication date because it is not before the fetch."""
    fetched = fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=UTC)
    if when.tzinfo is not None:
        return when >= fetched
    return when.date() > (fetched.astimezone(UTC) + _EARLIEST_ZONE).date()


# --- people, tags, section ---------------------------------------------------------------


def split_byline(byline: str) -> list[str]:
    """Names in a byline: "By: A;  B", "A and B", "A, B" -> [A, B], without repeats."""
    names: list[str] = []
    for piece in _BYLINE_SEPARATOR.split(_BY_PREFIX.sub("", clean_text(byline))):
        if not piece:
            continue
        if names and _NAME_SUFFIX.match(piece):
            names[-1] = f"{names[-1]}, {piece}"
        else:
            names.append(piece)
    return _unique(names)


def _authors(
    declared: Declared, stated: Stated, tree: HtmlElement, selectors: Mapping[str, str]
) -> list[str]:
    # No generic step: trafilatura's author guesses name organisations and photographers.
    for names in (
        _ld_people(declared.ld("author"), declared.by_id),
        [name for meta in declared.meta.get("author", []) for name in split_byline(meta)],
        [name for byline in stated.authors for name in split_byline(byline)],
        [
            name
            for el in _select_all(tree, selectors, "authors")
            for name in split_byline(_text(el))
        ],
    ):
        if names:
            return _unique(names)
    return []


def _tags(declared: Declared, tree: HtmlElement, selectors: Mapping[str, str]) -> list[str]:
    keywords = declared.ld("keywords")
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    for found in (
        [k for k in keywords or [] if isinstance(k, str)],
        declared.meta.get("article:tag", []),
        [_text(el) for el in _select_all(tree, selectors, "tags")],
    ):
        if tags := _unique(clean_text(tag) for tag in found):
            return tags
    return []


def _content_type(
    declared: Declared, tree: HtmlElement, selectors: Mapping[str, str]
) -> str | None:
    section = declared.ld("articleSection")
    if isinstance(section, list):
        section = next((s for s in section if isinstance(s, str)), None)
    evidence = [
        section if isinstance(section, str) else None,
        declared.first_meta("article:section"),
        _text(dom.select_one(tree, selectors["content_type"]))
        if "content_type" in selectors
        else None,
    ]
    return next((text for raw in evidence if raw and (text := clean_text(raw))), None)


def _select_all(tree: HtmlElement, selectors: Mapping[str, str], key: str) -> list[HtmlElement]:
    return dom.select(tree, selectors[key]) if key in selectors else []


# --- language and summary ----------------------------------------------------------------


@cache
def _detector(non_latin: bool) -> LanguageDetector:
    """One per process and kind of text: on Latin letters alone lingua's alphabet rules would
    set every other script's language aside anyway, at a cost."""
    languages = _LANGUAGES if non_latin else _LATIN_LANGUAGES
    return LanguageDetectorBuilder.from_languages(*languages).build()


def _languages(blocks: list[str], declared: Declared) -> list[str]:
    """The body's languages; the declared one where lingua finds none, or where the page
    declares, as an ISO 639-1 code, a language lingua does not choose among (Latvian,
    Portuguese, Burmese): lingua would only pick the nearest it knows (a Latvian news story
    came out Spanish). Free text ("English", "und", "x-default") is no such declaration."""
    stated = _declared_languages(declared)
    if stated and _ISO_639_1.fullmatch(stated[0]) and stated[0] not in _DETECTABLE:
        return stated
    return body_languages(blocks) or stated


def body_languages(blocks: list[str]) -> list[str]:
    """Languages holding at least a fifth of the body's characters, majority first.

    Detected block by block, so a French section followed by its English translation counts
    as both; blocks lingua cannot call do not count.
    """
    chars: dict[str, int] = {}
    sampled = _language_sample(blocks)
    detector = _detector(any(_NON_LATIN_LETTER.search(head) for head, _ in sampled))
    detected = [detector.detect_language_of(head) for head, _ in sampled]
    for (_, length), language in zip(sampled, detected, strict=True):
        if language is not None:
            code = language.iso_code_639_1.name.lower()
            chars[code] = chars.get(code, 0) + length
    total = sum(chars.values())
    ranked = sorted(chars, key=lambda code: chars[code], reverse=True)
    return [code for code in ranked if chars[code] >= _MIN_LANGUAGE_SHARE * total]


def _language_sample(blocks: list[str]) -> list[tuple[str, int]]:
    """What lingua reads of the body (its cost grows with every character), with the length
    each piece stands for: each block's head, and of a long body, evenly spaced blocks."""
    heads = [block[:_BLOCK_HEAD_CHARS] for block in blocks]
    step = max(1, -(-sum(map(len, heads)) // _LANGUAGE_SAMPLE_CHARS))  # ceiling division
    return [(heads[i], len(blocks[i])) for i in range(0, len(blocks), step)]


def _declared_languages(declared: Declared) -> list[str]:
    in_language = declared.ld("inLanguage")
    declared_lang = _iso_language(in_language) if isinstance(in_language, str) else None
    lang = declared_lang or declared.html_lang
    return [lang] if lang else []


def _iso_language(tag: str) -> str:
    """The primary subtag of a language tag: en-US -> en, fr_FR -> fr."""
    return re.split(r"[-_]", tag.strip())[0].lower()


def _summary(declared: Declared, blocks: list[str], title: str) -> str | None:
    description = declared.ld("description")
    candidates = [
        description if isinstance(description, str) else None,
        declared.first_meta("og:description"),
        declared.first_meta("description"),
        blocks[0] if blocks else None,
    ]
    for raw in candidates:
        text = clean_text(raw or "")
        # A description that only repeats the title says nothing; the first block does better.
        if text and text != title:
            return _truncated(text)
    return None


def _truncated(text: str) -> str:
    if len(text) <= _SUMMARY_CHARS:
        return text
    return text[:_SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"


# --- small helpers -----------------------------------------------------------------------


def canonical_url(tree: HtmlElement, fetched_url: str) -> str:
    """The page's declared canonical URL when it is on the fetched host, else the fetched URL."""
    link = next(
        (
            el
            for el in tree.iter("link")
            if "canonical" in el.get("rel", "").split() and el.get("href") is not None
        ),
        None,
    )
    if link is not None:
        candidate = urljoin(fetched_url, str(link.get("href")))
        fetched = urlsplit(fetched_url)
        if fetched.scheme == "file" or urlsplit(candidate).hostname == fetched.hostname:
            return candidate  # a saved page (file) can only name its URL this way
    return fetched_url


def _text(element: HtmlElement | None) -> str:
    return clean_text(dom.text(element)) if element is not None else ""


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))
