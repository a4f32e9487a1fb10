"""Edited copies of the bundled snapshot, for runs against a site that changed or broke."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from civicpulse.archive import ArchivedResponse, WarcArchive, read_responses, warc_files
from tests.conftest import FIXTURES

LISTING_1 = "https://www.partnersglobal.org/newsroom/"
LISTING_2 = "https://www.partnersglobal.org/newsroom/page/2/"
Edit = Callable[[bytes], bytes]


def mark_edited(post_url: str, when: datetime | None = None) -> Edit:
    """A listing-page edit: the post's entry shows `<time class="updated">` (default: now),
    as WordPress themes print once a post is edited."""
    stamp = (when or datetime.now(UTC)).isoformat()

    def edit(listing: bytes) -> bytes:
        link = listing.index(post_url.encode())
        published = listing.index(b"</time>", link) + len(b"</time>")
        updated = f'<time class="updated" datetime="{stamp}">edited</time>'.encode()
        return listing[:published] + updated + listing[published:]

    return edit


def recorded(url: str) -> ArchivedResponse:
    """The bundled snapshot's response for `url`."""
    for path in warc_files(FIXTURES):
        for response in read_responses(path):
            if response.url == url:
                return response
    raise KeyError(url)


def edited_snapshot(
    folder: Path, edits: Mapping[str, Edit], added: Mapping[str, ArchivedResponse] = {}
) -> Path:
    """Write the bundled snapshot to `folder` with `edits` applied to the bodies of some URLs
    (their ETags change, as a server's would) and `added` responses appended."""
    with WarcArchive(folder / "snapshot.warc.gz") as archive:
        responses = [r for p in warc_files(FIXTURES) for r in read_responses(p)]
        for r in [*responses, *added.values()]:
            headers = r.headers
            body = r.body
            if r.url in edits:
                body = edits[r.url](r.body)
                headers = [
                    (k, f'W/"edited-{hash(body)}"' if k == "ETag" else v) for k, v in headers
                ]
            archive.write_response(r.url, r.status, r.reason, headers, body, datetime.now(UTC))
    return folder
