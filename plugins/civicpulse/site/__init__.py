"""The static report site: an index of countries and sources, a page per country and per
source, rendered from the warehouse after each nightly build."""

from civicpulse.site.render import render_site

__all__ = ["render_site"]
