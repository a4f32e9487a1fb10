"""A page parsed once, with lxml (the parser trafilatura and htmldate use, so the same tree
serves every extraction step), CSS selectors compiled to XPath once per selector, and the
text of an element read as a reader sees it: without comments, scripts, styles, templates
or ruby annotations, its pieces joined by spaces."""

from __future__ import annotations

from functools import cache

from cssselect import HTMLTranslator, SelectorError
from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

# Comments are kept: text on either side of one is two pieces, not one word.
_PARSER = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8")
# Text that is not code or annotation: outside scripts, styles, templates and ruby notes.
PROSE_TEXT = (
    "descendant::text()[not(ancestor::script or ancestor::style or ancestor::template"
    " or ancestor::rt or ancestor::rp)]"
)
_PROSE = etree.XPath(PROSE_TEXT, smart_strings=False)


def parse(html: str) -> HtmlElement:
    """The document's <html> element. Parsed from UTF-8 bytes: lxml refuses a str that
    carries an XML encoding declaration, and the text is already decoded."""
    return document_fromstring(html.encode("utf-8", "surrogatepass"), parser=_PARSER)


def css_error(selector: str) -> str | None:
    """Why `selector` cannot be compiled, or None when it can."""
    try:
        _xpath(selector)
    except SelectorError as error:
        return str(error)
    return None


@cache
def _xpath(selector: str, with_root: bool = False) -> etree.XPath:
    prefix = "descendant-or-self::" if with_root else "descendant::"
    return etree.XPath(HTMLTranslator().css_to_xpath(selector, prefix=prefix))


def select(root: HtmlElement, selector: str) -> list[HtmlElement]:
    """Elements under `root` (the whole document for the <html> element) that `selector`
    matches, in document order."""
    return list(_xpath(selector, with_root=root.getparent() is None)(root))


def select_one(root: HtmlElement, selector: str) -> HtmlElement | None:
    found = select(root, selector)
    return found[0] if found else None


def is_element(node: object) -> bool:
    """An element, not a comment or processing instruction (whose `tag` is a function)."""
    return isinstance(getattr(node, "tag", None), str)


def strings(root: HtmlElement) -> list[str]:
    """The text pieces under `root` in document order, prose only."""
    return list(_PROSE(root))


def text(root: HtmlElement, separator: str = " ") -> str:
    return separator.join(strings(root))


def own_text(element: HtmlElement) -> str:
    """The text directly inside `element`, not inside its child elements."""
    pieces = [element.text or ""] + [child.tail or "" for child in element]
    return "".join(pieces)


def strip(root: HtmlElement, selector: str) -> None:
    """Remove what `selector` matches under `root`, keeping the text that follows each."""
    for element in select(root, selector):
        if element.getparent() is not None:
            element.drop_tree()
