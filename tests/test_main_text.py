"""civicpulse.main_text: trafilatura fast, and thorough wherever fast mode could differ."""

from __future__ import annotations

from trafilatura.core import bare_extraction

from civicpulse import dom, main_text

LEAD = "Residents in Kankan met the district water committees on Tuesday to hear their reports."
TEASER = (
    '<div class="story-teaser"><p>Related story {n}: community radio stations in the region '
    "expand their reporting on local budgets and public spending this year.</p></div>"
)


def _text(settings: object, html: str) -> str:
    document = bare_extraction(dom.parse(html), options=settings)
    return str(document.raw_text) if document is not None else ""


def test_where_fast_mode_kept_teasers_the_thorough_run_decides() -> None:
    """With a short main text, fast mode keeps teaser blocks the thorough run prunes."""
    teasers = "".join(TEASER.format(n=n) for n in range(4))
    html = (
        f"<html><head><title>T</title></head><body><article><h1>Water committees</h1>"
        f"<p>{LEAD}</p></article>{teasers}</body></html>"
    )
    fast, thorough = _text(main_text.SETTINGS, html), _text(main_text.THOROUGH, html)
    assert fast != thorough  # the premise: here the two modes differ

    document = main_text.extract(dom.parse(html))

    assert document is not None and document.raw_text == thorough
