"""Decoding an HTML page as a browser would: the charset from the HTTP header, else the one
the document declares (`<meta charset>`, `http-equiv`, an XML declaration, a byte-order
mark), else UTF-8 when the bytes are UTF-8, else windows-1252 (HTML's default). Unlike a
browser, a UTF-8 declaration the bytes contradict is not believed: servers that label every
page UTF-8 serve old Latin-1 pages too, and U+FFFD for every accent loses the text."""

from __future__ import annotations

import codecs
import logging
import re

import ftfy

log = logging.getLogger(__name__)

PRESCAN_BYTES = 4096  # browsers look for a declaration in the first 1024; be generous
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:\-]+)""",
    re.IGNORECASE,
)
# WHATWG's Encoding Standard reads these labels as windows-1252, as every browser does.
_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"}
_C1_CONTROL = re.compile("[\x80-\x9f]")
# Code, where a C1 control is no sign of mojibake: core-js, inlined on many news sites, tests
# its string methods on a literal U+0085.
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class UnknownCharset(ValueError):
    """The page declares only charsets no codec knows, and is not UTF-8 either."""


def declared_charset(body: bytes) -> str | None:
    """The charset the document itself declares in its first bytes, if any."""
    match = _DECLARED.search(body[:PRESCAN_BYTES])
    if match is None:
        return None
    return (match.group(1) or match.group(2)).decode("ascii")


def decode_html(body: bytes, header_charset: str | None, url: str) -> str:
    """`body` as text, with Latin-1 mojibake repaired: HTML never holds the C1 controls
    U+0080-U+009F, but UTF-8 read as Latin-1 does ("Ç" as "Ã" and U+0087), and parsers drop
    them before later repairs could see them."""
    text = _decode(body, header_charset, url)
    if _C1_CONTROL.search(text) and _C1_CONTROL.search(_SCRIPT_OR_STYLE.sub("", text)):
        log.warning("%s: C1 control characters, UTF-8 read as Latin-1 once; repaired", url)
        text = ftfy.fix_encoding(text)
    return text


def _decode(body: bytes, header_charset: str | None, url: str) -> str:
    """`body` as text. An unknown label is skipped for the next candidate; only when none
    is known and the bytes are not UTF-8 does the page fail, on its own, naming the label."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    unknown: list[str] = []
    for label in filter(None, (header_charset, declared_charset(body))):
        text = _decode_as(body, label, url)
        if text is not None:
            return text
        if _codec(label) is None:
            unknown.append(label)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        if unknown:
            raise UnknownCharset(
                f"{url}: declares charset {unknown[0]!r}, which no codec knows, and is not UTF-8"
            ) from None
        return body.decode("cp1252", errors="replace")
    if unknown:
        log.warning("%s: unknown charset %r declared; the bytes are UTF-8", url, unknown[0])
    return text


def _decode_as(body: bytes, label: str, url: str) -> str | None:
    """`body` read as `label` says, or None when no codec knows it, or when it says UTF-8
    and the bytes are not."""
    known = _codec(label)
    if known is None:
        return None
    if known == "utf-8":
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            log.warning("%s: declares charset %r but is not UTF-8", url, label)
            return None
    return body.decode(known, errors="replace")


def _codec(label: str) -> str | None:
    name = label.strip().lower()
    if name in _WINDOWS_1252:
        return "cp1252"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
