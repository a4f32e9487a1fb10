"""Edited copies of the bundled snapshot, for runs against a site that changed or broke."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from civicpulse.archive import ArchivedResponse, WarcArchive, read_responses, warc_files
from tests.conftest import FIXTURES

LISTING_1 = "https://www.partnersglobal.org/newsroom/"
LISTING_2 = "https://www.partnersglobal.org/newsroom/page/2/"
REST_POSTS = "https://www.partnersglobal.org/wp-json/wp/v2/posts?per_page=100&page=1"
Edit = Callable[[bytes], bytes]


def mark_modified(post_url: str, when: datetime | None = None) -> Edit:
    """A REST API edit: the post's `modified_gmt` becomes `when`, as WordPress records once a
    post is edited. By default the next whole second: WordPress stores no fractions, and the
    edit must be later than a fetch made just now."""
    stamp = _wp_time(when)

    def edit(body: bytes) -> bytes:
        posts = json.loads(body)
        [post] = [p for p in posts if p["link"] == post_url]
        post["modified"] = post["modified_gmt"] = stamp
        return json.dumps(posts).encode()

    return edit


def add_post(post_url: str, title: str, when: datetime | None = None) -> Edit:
    """A REST API edit: a post published at `when` (default: as above) heads the collection."""
    stamp = _wp_time(when)

    def edit(body: bytes) -> bytes:
        posts = json.loads(body)
        new = {**posts[0], "id": 99999, "link": post_url, "title": {"rendered": title}}
        new.update(date=stamp, date_gmt=stamp, modified=stamp, modified_gmt=stamp)
        return json.dumps([new, *posts]).encode()

    return edit


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


def _wp_time(when: datetime | None) -> str:
    moment = when or datetime.now(UTC) + timedelta(seconds=1)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


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
    """Write the bundled snapshot to `folder`, laid out as it is (one folder per source), with
    `edits` applied to the bodies of some URLs (their ETags change, as a server's would) and
    `added` responses in a file of their own."""
    for path in warc_files(FIXTURES):
        copy = folder / path.relative_to(FIXTURES).with_suffix(".warc.gz")
        copy.parent.mkdir(parents=True, exist_ok=True)
        with WarcArchive(copy) as archive:
            for r in read_responses(path):
                _write(archive, r, edits.get(r.url))
    with WarcArchive(folder / "added.warc.gz") as archive:
        for r in added.values():
            _write(archive, r, None)
    return folder


def add_recording(folder: Path, source: str, responses: Mapping[str, ArchivedResponse]) -> Path:
    """Write `responses` into a snapshot `folder` as the recording of `source`."""
    (folder / source).mkdir(parents=True, exist_ok=True)
    with WarcArchive(folder / source / "recorded.warc.gz") as archive:
        for response in responses.values():
            _write(archive, response, None)
    return folder


def _write(archive: WarcArchive, response: ArchivedResponse, edit: Edit | None) -> None:
    headers, body = response.headers, response.body
    if edit is not None:
        body = edit(body)
        headers = [(k, f'W/"edited-{hash(body)}"' if k == "ETag" else v) for k, v in headers]
    archive.write_response(
        response.url, response.status, response.reason, headers, body, datetime.now(UTC)
    )
