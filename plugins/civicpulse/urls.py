"""One spelling per article URL, so the variants a site and its sharers produce are one article."""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

log = logging.getLogger(__name__)

# Parameters that say who linked, not what is linked to.
_TRACKING = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|igshid|ref|ref_src)$",
    re.IGNORECASE,
)


def canonical_url(
    url: str, *, prefer_https: bool = True, trailing_slash: bool | None = None
) -> str:
    """`url` without tracking parameters, fragment, default port or case in the host; https
    when preferred (a site serving both), and the path's trailing slash as the site spells it
    (`trailing_slash`: True adds, False removes, None keeps)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if prefer_https and scheme == "http":
        scheme = "https"
    host = (parts.hostname or "").lower()
    if parts.port and (scheme, parts.port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{parts.port}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    return urlunsplit((scheme, host, _path(parts.path, trailing_slash), urlencode(query), ""))


def _path(path: str, trailing_slash: bool | None) -> str:
    if not path:
        return "/"
    last = path.rsplit("/", 1)[-1]
    if trailing_slash is None or "." in last:  # keep files such as /12-slug.html as they are
        return path
    stripped = path.rstrip("/") or "/"
    return stripped + "/" if trailing_slash and stripped != "/" else stripped
