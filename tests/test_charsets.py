"""Pages decode as a browser decodes them: the header's charset, else the document's own
declaration, else UTF-8 if it is UTF-8, else windows-1252; an unknown label fails the page
alone (and only when nothing else reads it)."""

from __future__ import annotations

import pytest

from civicpulse.charsets import UnknownCharset, decode_html

URL = "https://www.example.org/a"
TEXT = "Conakry, Guinée: la Sécurité, ça compte. Perú, año"


def page(charset_tag: str, text: str = TEXT, encoding: str = "latin-1") -> bytes:
    return f"<html><head>{charset_tag}</head><body><p>{text}</p></body></html>".encode(encoding)


@pytest.mark.parametrize(
    "tag",
    [
        '<meta charset="iso-8859-1">',
        "<meta charset=windows-1252>",
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
    ],
)
def test_a_charset_declared_only_in_the_document_is_honoured(tag: str) -> None:
    text = decode_html(page(tag), None, URL)
    assert TEXT in text and "\ufffd" not in text


def test_the_header_wins_over_the_document() -> None:
    body = page('<meta charset="iso-8859-1">', encoding="utf-8")
    assert TEXT in decode_html(body, "utf-8", URL)


def test_undeclared_bytes_read_as_utf8_else_windows_1252() -> None:
    assert TEXT in decode_html(page("", encoding="utf-8"), None, URL)
    assert TEXT + " \u2019" in decode_html(page("", TEXT + " \u2019", "cp1252"), None, URL)


def test_an_unknown_label_falls_through_to_a_known_one_or_to_utf8() -> None:
    latin = page('<meta charset="iso-8859-1">')
    assert TEXT in decode_html(latin, "x-no-such-charset", URL)  # the document's declaration
    assert TEXT in decode_html(page("", encoding="utf-8"), "x-no-such-charset", URL)


def test_an_unknown_label_on_bytes_that_are_not_utf8_fails_the_page_naming_it() -> None:
    with pytest.raises(UnknownCharset, match=r"a: declares charset 'x-no-such-charset'"):
        decode_html(page(""), "x-no-such-charset", URL)
    assert issubclass(UnknownCharset, ValueError)  # a per-page failure in articles.collect


def test_the_extractor_reads_the_page_as_decoded_not_as_its_declaration_says_again() -> None:
    """The text is parsed once decoded; a declaration left in it must not make the parser
    decode the (now UTF-8) text as Latin-1 a second time."""
    from datetime import UTC, datetime

    from requests.structures import CaseInsensitiveDict

    from civicpulse.extract import extract_article
    from civicpulse.fetch import Page

    body = page('<meta charset="iso-8859-1"><title>Guinée</title>').replace(b"<p>", b"<article><p>")
    headers = CaseInsensitiveDict({"Content-Type": "text/html"})
    fetched = Page(URL, 200, headers, body, datetime(2026, 11, 20, tzinfo=UTC), None)
    record = extract_article(fetched, {"title": "title", "body": "article"}, "example")
    assert (record["title"], record["body"]) == ("Guinée", TEXT)


def test_a_c1_control_in_a_script_is_code_not_mojibake(caplog: pytest.LogCaptureFixture) -> None:
    """core-js, inlined on many news sites, holds a literal U+0085; the page is not repaired
    (a whole-page repair costs ~60 ms on a large page) and no mojibake is reported."""
    script = '<script>var ws="\u200b\x85";</script><SCRIPT type="module">f("\x85")</SCRIPT>'
    html = f"<html><head>{script}</head><body><p>{TEXT}</p></body></html>"
    assert decode_html(html.encode(), "utf-8", URL) == html
    assert "C1 control" not in caplog.text
    capitals = "Éducation: Ça compte"  # as Latin-1, "Ã" and a C1 control each
    broken = html.replace(TEXT, capitals.encode().decode("latin-1"))  # outside code this time
    assert capitals in decode_html(broken.encode(), "utf-8", URL)
