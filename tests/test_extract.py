"""civicpulse.extract on recorded pages: the evidence order, the generic fallback, dates,
bylines and languages. Pages are read straight from the recorded WARC files."""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import date, datetime, timedelta
from functools import cache
from urllib.parse import urlsplit

import pytest
import requests
from bs4 import BeautifulSoup

from civicpulse import dom, extract
from civicpulse.archive import read_responses, warc_files
from civicpulse.fetch import Fetcher, Page
from civicpulse.registry import get_source
from civicpulse.settings import Settings
from tests.conftest import FIXTURES
from tests.seeds import seed_posts
from tests.sources import PARTNERSGLOBAL_LISTING

SOURCE = PARTNERSGLOBAL_LISTING
SELECTORS = dict(SOURCE.options["article"])
LISTING = SOURCE.options["listing"]
CHILE = "https://www.partnersglobal.org/newsroom/protests-in-chile-what-they-mean-for-democracy/"
SITES = {
    "www.partnersglobal.org": "partnersglobal",
    "www.usip.org": "usip",
    "www.ndi.org": "ndi",
    "www.endvawnow.org": "endvawnow",
}
GUINEA_FR_EN = (
    "https://www.partnersglobal.org/newsroom/"
    "journees-dechanges-et-de-partage-dexperiences-2019-partenaires-pour-la-securite-en-guinee/"
)


@cache
def recorded_pages(site: str) -> dict[str, Page]:
    """Every recorded HTML response of a site, as the fetcher would have returned it."""
    pages = {}
    for path in warc_files(FIXTURES / site):
        for r in read_responses(path):
            headers = requests.structures.CaseInsensitiveDict(dict(r.headers))
            if r.status == 200 and "html" in headers.get("Content-Type", ""):
                fetched_at = datetime.fromisoformat(r.date.replace("Z", "+00:00"))
                pages[r.url] = Page(r.url, r.status, headers, r.body, fetched_at, r.record_id)
    return pages


def page(url: str) -> Page:
    """One recorded page; the test is skipped while its site is not recorded yet."""
    pages = recorded_pages(SITES[urlsplit(url).netloc])
    if url not in pages:
        pytest.skip(f"{url} is not in the recorded fixtures")
    return pages[url]


def seed_000_pages() -> list[Page]:
    """The nine seed-000 posts in listing order, which is the seed's order."""
    pages, url = recorded_pages("partnersglobal"), SOURCE.url
    ordered: list[Page] = []
    while url:
        soup = BeautifulSoup(pages[url].text, "lxml")
        links = [item.select_one(LISTING["link"]) for item in soup.select(LISTING["item"])]
        ordered += [pages[str(link["href"])] for link in links if link is not None]
        following = soup.select_one(LISTING["next_page"])
        url = str(following["href"]) if following else ""
    return ordered


def article_pages() -> list[Page]:
    """Every recorded PartnersGlobal post page (seed 000 and, when recorded, seed 001)."""
    listings = {SOURCE.url} | {u for u in recorded_pages("partnersglobal") if "/page/" in u}
    return [
        p
        for url, p in recorded_pages("partnersglobal").items()
        if url.startswith(SOURCE.url) and url not in listings
    ]


def edited(original: Page, old: bytes, new: bytes) -> Page:
    assert old in original.body, old
    return dataclasses.replace(original, body=original.body.replace(old, new, 1))


def with_json_ld(original: Page, data: object) -> Page:
    script = f'<script type="application/ld+json">{json.dumps(data)}</script>'.encode()
    return edited(original, b"</head>", script + b"</head>")


# --- the selector path ----------------------------------------------------------------------


@pytest.mark.parametrize("article", article_pages(), ids=lambda p: p.url.split("/")[-2][:40])
def test_partnersglobal_pages_read_body_by_selector_and_title_from_og(article: Page) -> None:
    record = extract.extract_article(article, SELECTORS, SOURCE.name)
    assert record["body_source"] == "selectors"
    assert record["title_source"] == "structured_data"  # og:title, same text as the <h1>
    assert record["extractor"] == extract.EXTRACTOR


def test_seed_posts_keep_their_paragraphs_bylines_and_dates() -> None:
    pages = seed_000_pages()
    for post, article in zip(seed_posts(), pages, strict=True):
        record = extract.extract_article(article, SELECTORS, SOURCE.name)
        assert record["body"].split("\n\n") == post.paragraphs, article.url
        assert record["authors"] == ([post.author] if post.author else [])
        assert record["published_date"] == post.published
        assert record["date_source"] == ("structured_data" if post.published else None)
        assert record["language"] == "en" and record["languages"] == ["en"]
        assert record["summary"] and len(record["summary"]) <= 301
        assert "Share this" not in record["body"] and "√" not in record["body"]


def test_no_title_anywhere_is_an_error_naming_the_page() -> None:
    article = page(CHILE)
    for old, new in [
        (b'<h1 class="entry-title">', b"<div>"),
        (b"</h1>", b"</div>"),
        (b'property="og:title"', b'property="x"'),
        (b"<title>", b"<x-title>"),
        (b"</title>", b"</x-title>"),
    ]:
        article = edited(article, old, new)
    with pytest.raises(extract.ExtractionError, match=f"{CHILE}: no title"):
        extract.extract_article(article, SELECTORS, SOURCE.name)


def test_no_body_anywhere_is_an_error_naming_the_page() -> None:
    stripped = dataclasses.replace(page(CHILE), body=b"<html><head><title>T</title></head></html>")
    with pytest.raises(extract.ExtractionError, match=f"{CHILE}: no body"):
        extract.extract_article(stripped, SELECTORS, SOURCE.name)


@pytest.mark.parametrize("body", [b"", b"  \n ", b"<!-- cached page expired -->"])
def test_an_empty_page_is_an_error_of_that_page(body: bytes) -> None:
    """A 200 with nothing in it fails its page (an ExtractionError, a ValueError), not the
    source's run (the parser's own error is not one)."""
    empty = dataclasses.replace(page(CHILE), body=body)
    with pytest.raises(extract.ExtractionError, match=f"{CHILE}: no HTML to extract"):
        extract.extract_article(empty, SELECTORS, SOURCE.name)


# --- generic fallback -------------------------------------------------------------------


@pytest.mark.parametrize("boilerplate", [True, False], ids=["with-boilerplate", "trafilatura-only"])
def test_without_a_body_selector_trafilatura_finds_the_main_paragraphs(boilerplate: bool) -> None:
    selectors = {k: v for k, v in SELECTORS.items() if k != "body"}
    if not boilerplate:
        del selectors["boilerplate"]  # trafilatura alone must leave the share widgets out
    for post, article in zip(seed_posts(), seed_000_pages(), strict=True):
        record = extract.extract_article(article, selectors, SOURCE.name)
        blocks = record["body"].split("\n\n")
        found = [p for p in post.paragraphs if p in blocks]
        assert len(found) >= 0.8 * len(post.paragraphs), article.url
        assert record["body_source"] == "generic"
        assert not {"Share this:", "Related", "Twitter", "Facebook"} & set(blocks)
        assert "All rights reserved" not in record["body"]  # the site footer


def test_trafilatura_fallbacks_still_rescue_a_weak_extraction() -> None:
    """trafilatura runs fast, without readability and justext, unless its own extraction is
    weak. Here its own rules find only a short lead paragraph. The story, in an unmarked
    `div`, is what the fallbacks are for, and it must not be lost."""
    lead = "Residents in Kankan met the district water committees on Tuesday."
    story = " ".join(
        f"Committee {n} reported what it spent on pumps and wells this year, and residents "
        f"asked how the next repairs will be chosen before the rainy season starts."
        for n in range(1, 6)
    )
    html = (
        f"<html><head><title>Water committees report</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><div><p>{lead}</p></div>"
        f"<div class='x'>{story}</div></body></html>"
    )
    weak = dataclasses.replace(page(CHILE), body=html.encode())

    record = extract.extract_article(weak, {}, "generic-only")

    assert record["body_source"] == "generic"
    assert "Committee 5 reported what it spent" in record["body"]


def test_a_body_selector_that_matches_nothing_falls_back_too() -> None:
    selectors = SELECTORS | {"body": "div.no-such-class"}
    record = extract.extract_article(page(CHILE), selectors, SOURCE.name)
    assert record["body_source"] == "generic"
    assert record["body"].startswith("Protests in Santiago, Oct. 22, 2019.")


# --- dates ------------------------------------------------------------------------------


def test_json_ld_date_wins_over_the_selector_date() -> None:
    injected = with_json_ld(
        page(CHILE),
        {
            "@context": "https://schema.org",
            "@graph": [  # as Yoast emits it: the page first, then the article, then people
                {"@type": "WebPage", "@id": "#webpage", "datePublished": "2019-11-01"},
                {
                    "@type": "BlogPosting",
                    "headline": "Chile’s Protests",
                    "datePublished": "2019-11-20T09:00:00-03:00",
                    "dateModified": "2019-11-26T10:00:00-03:00",
                    "author": [{"@id": "#/schema/person/1"}, "Ana Pérez and Luis Soto"],
                    "keywords": ["Chile", "Protest"],
                    "articleSection": ["Analysis"],
                    "inLanguage": "es-CL",
                },
                {"@type": "Person", "@id": "#/schema/person/1", "name": "Mishellt Melgarejo"},
            ],
        },
    )
    record = extract.extract_article(injected, SELECTORS, SOURCE.name)
    # The selector (and og) date is 2019-11-25; the WebPage's date describes the page only.
    assert (record["published_date"], record["date_source"]) == (
        date(2019, 11, 20),
        "structured_data",
    )
    assert record["updated_date"] == date(2019, 11, 26)
    assert record["title"] == "Chile’s Protests"
    assert record["authors"] == ["Mishellt Melgarejo", "Ana Pérez", "Luis Soto"]
    assert record["tags"] == ["Chile", "Protest"]
    assert record["content_type"] == "Analysis"
    assert record["language"] == "en"  # the body is English, whatever the metadata says


def test_the_selector_date_is_used_when_the_page_declares_none() -> None:
    bare = edited(page(CHILE), b'property="article:published_time"', b'property="x"')
    record = extract.extract_article(bare, SELECTORS, SOURCE.name)
    assert (record["published_date"], record["date_source"]) == (date(2019, 11, 25), "selectors")


@pytest.mark.parametrize("ahead", [timedelta(0), timedelta(days=1)], ids=["at-fetch", "future"])
def test_a_date_not_before_the_fetch_is_rejected(
    ahead: timedelta, caplog: pytest.LogCaptureFixture
) -> None:
    original = page(CHILE)
    future = (original.fetched_at + ahead).isoformat()
    injected = with_json_ld(
        edited(original, b'property="article:published_time"', b'property="x"'),
        {"@type": "NewsArticle", "datePublished": future},
    )
    with caplog.at_level(logging.WARNING, logger="civicpulse.extract"):
        record = extract.extract_article(injected, SELECTORS, SOURCE.name)
    assert (record["published_date"], record["date_source"]) == (date(2019, 11, 25), "selectors")
    assert any(future in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)


def test_generic_date_when_neither_structured_data_nor_selectors_have_one() -> None:
    bare = edited(page(CHILE), b'property="article:published_time"', b'property="x"')
    record = extract.extract_article(bare, SELECTORS | {"published": "time.none"}, SOURCE.name)
    # htmldate reads the <time datetime> markup itself
    assert (record["published_date"], record["date_source"]) == (date(2019, 11, 25), "generic")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019-11-25T14:20:00-05:00", date(2019, 11, 25)),
        ("2019-11-25", date(2019, 11, 25)),
        ("2023-03-23T00:00:00Z", date(2023, 3, 23)),
        ("20180619T055000+0900", date(2018, 6, 19)),  # ISO 8601's basic format
        ("20180619T0550Z", date(2018, 6, 19)),
        ("id 120180619T055000", None),
        ("20180619", None),  # eight digits alone: an ID as often as a date
        ("Thursday, March 23, 2023", date(2023, 3, 23)),
        ("December 29, 2011", date(2011, 12, 29)),
        ("Last edited: December 29, 2011", date(2011, 12, 29)),
        ("29 Dec. 2011", date(2011, 12, 29)),
        ("Sept. 3, 2020", date(2020, 9, 3)),
        ("Thursday, Smarch 23, 2023", None),
        ("February 30, 2023", None),
        ("Share this", None),
    ],
)
def test_date_forms(raw: str, expected: date | None) -> None:
    parsed = extract.parse_date(raw)
    assert (parsed.date() if parsed else None) == expected


def test_a_calendar_date_is_future_only_once_no_time_zone_has_reached_it() -> None:
    fetched = datetime.fromisoformat("2026-11-20T02:00:00+00:00")
    assert not extract.is_after_fetch(datetime(2026, 11, 20), fetched)  # already 20th in Tokyo
    assert extract.is_after_fetch(datetime(2026, 11, 21), fetched)
    assert extract.is_after_fetch(fetched, fetched)
    assert not extract.is_after_fetch(fetched - timedelta(seconds=1), fetched)


# --- bylines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By: Heather Ashby, Ph.D.;  Lauren Baillie;  Mary Glantz, Ph.D.",
         ["Heather Ashby, Ph.D.", "Lauren Baillie", "Mary Glantz, Ph.D."]),
        ("by Jillian Slutzker Rocker", ["Jillian Slutzker Rocker"]),
        ("Lauren Baillie and Heather Ashby", ["Lauren Baillie", "Heather Ashby"]),
        ("A. Diaz, R. Vasquez-Yetter, and A. Diaz", ["A. Diaz", "R. Vasquez-Yetter"]),
        ("BY: Byron Sanders", ["Byron Sanders"]),
        ("Alexander Andrews", ["Alexander Andrews"]),
        ("By:", []),
    ],
)  # fmt: skip
def test_bylines_split_into_names(byline: str, names: list[str]) -> None:
    assert extract.split_byline(byline) == names


def test_usip_byline_element_gives_each_author_once() -> None:
    article = page(
        "https://www.usip.org/publications/2023/03/how-iccs-warrant-putin-could-impact-ukraine-war"
    )
    selectors = {
        "title": "h1.page-title",
        "authors": ".publication-by-line",
        "body": ".publication__body",
    }
    record = extract.extract_article(article, selectors, "usip")
    assert record["authors"] == ["Heather Ashby, Ph.D.", "Lauren Baillie", "Mary Glantz, Ph.D."]


# --- languages --------------------------------------------------------------------------


def test_french_then_english_page_reports_the_majority_and_both() -> None:
    record = extract.extract_article(page(GUINEA_FR_EN), SELECTORS, SOURCE.name)
    french, english = record["body"].split("\n\n")
    assert len(french) > len(english) >= 0.2 * (len(french) + len(english))  # the premise
    assert record["language"] == "fr"
    assert record["languages"] == ["fr", "en"]


def test_spanish_publication_on_an_english_site_is_spanish() -> None:
    article = page(
        "https://www.usip.org/publications/2022/07/hacia-una-cultura-de-estado-de-derecho"
    )
    record = extract.extract_article(article, {"body": ".publication__body"}, "usip")
    assert (record["language"], record["languages"]) == ("es", ["es"])
    assert record["published_date"] == date(2022, 7, 22)


def test_minor_language_under_a_fifth_is_not_listed() -> None:
    english = extract.extract_article(page(CHILE), SELECTORS, SOURCE.name)["body"].split("\n\n")
    french = "Ces trois journées ont été l’occasion de rencontres entre la police et les citoyens."
    assert extract.body_languages([*english, french]) == ["en"]
    paragraph = english[2]  # "What prompted these protests …"
    mostly_french = [french] * (len(paragraph) // len(french) + 1) + [paragraph]
    assert extract.body_languages(mostly_french) == ["fr", "en"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ناقشت منظمات المجتمع المدني في بغداد مع المسؤولين المحليين سبل تعزيز الشفافية.", "ar"),
        ("Правозащитные организации в Ташкенте обсудили с властями доступ граждан к суду.", "ru"),
        ("民间组织与地方官员在会议上讨论了如何提高公共支出的透明度和问责制。", "zh"),
        ("องค์กรภาคประชาสังคมได้หารือกับเจ้าหน้าที่ท้องถิ่นเกี่ยวกับความโปร่งใสของงบประมาณ DNA", "th"),
    ],
    ids=["arabic", "russian", "chinese", "thai-with-a-latin-word"],
)
def test_a_body_in_a_script_of_its_own_is_named_without_a_declaration(text: str, code: str) -> None:
    """Not the nearest of English, French and Spanish (a Thai story once came out French)."""
    assert extract.body_languages([text, text]) == [code]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "lv",
            "Pilsoniskās sabiedrības organizācijas tikās ar pašvaldības pārstāvjiem, lai "
            "apspriestu budžeta pārredzamību un iedzīvotāju līdzdalību lēmumu pieņemšanā.",
        ),
        (
            "pt-BR",
            "As organizações da sociedade civil reuniram-se com as autoridades locais para "
            "discutir a transparência do orçamento municipal e a participação dos cidadãos.",
        ),
    ],
    ids=["latvian", "portuguese"],
)
def test_a_declared_language_lingua_does_not_choose_among_is_believed(lang: str, text: str) -> None:
    """lingua only picks among the languages it is given; a Latvian news story came out
    Spanish, English and French. The page's own declaration is the better evidence."""
    html = f'<html lang="{lang}"><head><title>T</title></head><body><p>{text}</p></body></html>'
    record = extract.extract_article(
        dataclasses.replace(page(CHILE), body=html.encode()), {"body": "body"}, "any"
    )
    assert record["languages"] == [lang.split("-")[0]]


@pytest.mark.parametrize("lang", ["x-default", "und", "English"])
def test_a_declaration_that_is_no_language_code_leaves_the_body_to_lingua(lang: str) -> None:
    text = "Civil society groups met district officials to review the new water committees."
    html = f'<html lang="{lang}"><head><title>T</title></head><body><p>{text}</p></body></html>'
    record = extract.extract_article(
        dataclasses.replace(page(CHILE), body=html.encode()), {"body": "body"}, "any"
    )
    assert record["languages"] == ["en"]


def test_language_falls_back_to_html_lang_without_detectable_text() -> None:
    assert extract.body_languages(["2019", "•"]) == []
    tree = dom.parse('<html lang="fr-FR"><body><p>2019</p></body></html>')
    assert extract._declared_languages(extract.declared_metadata(tree)) == ["fr"]


# --- other recorded sites, when they are recorded ---------------------------------------


def test_endvawnow_last_edited_date_and_nested_lists() -> None:
    article = page("https://www.endvawnow.org/en/articles/1057-establishing-partnerships.html")
    selectors = {"title": "#article h1", "published": "p.last-edited", "body": ".article-body"}
    record = extract.extract_article(article, selectors, "endvawnow")
    assert (record["published_date"], record["date_source"]) == (date(2011, 12, 29), "selectors")
    assert record["title"] == "Establishing partnerships"
    assert record["body"].startswith("• Partnerships within the security sector")
    assert record["summary"].endswith("…") and len(record["summary"]) <= 301


def test_ndi_page_without_selectors_is_all_generic_or_declared() -> None:
    url = (
        "https://www.ndi.org/publications/"
        "liptako-gourma-civil-society-and-parliamentarians-join-forces-security-sector-governance"
    )
    record = extract.extract_article(page(url), {}, "ndi")
    assert record["title_source"] == "structured_data" and record["body_source"] == "generic"
    assert record["published_date"] == date(2019, 3, 7)
    assert record["body"].startswith("In the Liptako-Gourma Region")
    assert "SHARE" not in record["body"] and "Tags:" not in record["body"]
    assert record["body"].endswith("funding from the Danish and Norwegian governments.")


def test_dates_of_related_items_are_not_the_pages_date(settings: Settings) -> None:
    """USIP's programme page has no date; its "Related Publications" teasers do."""
    usip = get_source("usip")
    with Fetcher(usip.hosts, settings) as client:
        program = client.get("https://www.usip.org/programs/justice-and-security-dialogues")
    record = extract.extract_article(program, usip.options["article"], usip.name)
    assert (record["published_date"], record["date_source"]) == (None, None)
