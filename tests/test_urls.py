"""URL variants of one article collapse to one spelling."""

from __future__ import annotations

import pytest

from civicpulse.urls import canonical_url

POST = "https://www.partnersglobal.org/newsroom/protests-in-chile-what-they-mean-for-democracy/"


@pytest.mark.parametrize(
    "variant",
    [
        POST,
        POST.replace("https://", "http://"),
        POST.replace("www.partnersglobal.org", "WWW.PartnersGlobal.org:443"),
        POST.rstrip("/"),
        POST + "?utm_source=twitter&utm_medium=social",
        POST + "?fbclid=IwAR0abc#comments",
    ],
)
def test_variants_of_a_post_are_one_url(variant: str) -> None:
    assert canonical_url(variant, trailing_slash=True) == POST


def test_meaningful_query_parameters_and_files_are_kept() -> None:
    listing = "https://www.ndi.org/publications?page=1&utm_campaign=x"
    assert canonical_url(listing) == "https://www.ndi.org/publications?page=1"
    page = "https://www.endvawnow.org/en/articles/1087-establishing-partnerships.html"
    assert canonical_url(page, trailing_slash=True) == page


def test_http_is_kept_when_the_site_is_http_only() -> None:
    assert canonical_url("http://example.org/a/", prefer_https=False) == "http://example.org/a/"
