"""Decoding an HTML page as a browser would: the charset from the HTTP header, else the one
the document declares (`<meta charset>`, `http-equiv`, an XML declaration, a byte-order
mark), else UTF-8 when the bytes are UTF-8, else windows-1252 (HTML's default)."""

from __future__ import annotations

import codecs
import logging
import re

log = logging.getLogger(__name__)

PRESCAN_BYTES = 4096  # browsers look for a declaration in the first 1024; be generous
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:\-]+)""",
    re.IGNORECASE,
)
# WHATWG's Encoding Standard reads these labels as windows-1252, as every browser does.
_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"}
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
    """`body` as text. An unknown label is skipped for the next candidate; only when none
    is known and the bytes are not UTF-8 does the page fail, on its own, naming the label."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    unknown: list[str] = []
    for label in (header_charset, declared_charset(body)):
        if not label:
            continue
        known = _codec(label)
        if known is None:
            unknown.append(label)
            continue
        return body.decode(known, errors="replace")
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


def _codec(label: str) -> str | None:
    name = label.strip().lower()
    if name in _WINDOWS_1252:
        return "cp1252"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
