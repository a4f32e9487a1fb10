"""Index files published for download (CSV, XLS, XLSX): each configured file is fetched and
read by the parser its registry entry names; every file is one release (`vintage`)."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from civicpulse.fetch import Fetcher, FetchError
from civicpulse.indicators import indicator_record
from civicpulse.indices import acled, cpi, fsi, ucdp, undp_hdr, wgi
from civicpulse.indices.observations import Observation, ParseError
from civicpulse.records import Failure, Record
from civicpulse.registry import Source

log = logging.getLogger(__name__)

MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
Parser = Callable[..., Iterable[Observation]]
PARSERS: dict[str, Parser] = {
    "acled_export_csv": acled.parse_export_csv,
    "cpi": cpi.parse,
    "fsi": fsi.parse,
    "ucdp_battle_deaths_csv": ucdp.parse_battle_deaths_csv,
    "undp_hdr": undp_hdr.parse,
    "wgi": wgi.parse,
}


def records(
    source: Source, client: Fetcher, known: Mapping[str, Record]
) -> Iterator[Record | Failure]:
    """Every observation of every configured file. A file that cannot be fetched or read is
    one failure naming it; the other files still land. (`known` is unused: a release file
    is small and read whole.)"""
    parser = PARSERS[source.options["parser"]]
    parser_options: dict[str, Any] = source.options.get("parser_options", {})
    for file in source.options["files"]:
        url, vintage = str(file["url"]), str(file["vintage"])
        try:
            page = client.get(url)
            name, body = _file(page.body, page.url, file.get("member"))
            observations = list(parser(body, name, **parser_options))
        except (FetchError, ParseError) as error:
            log.error("%s: %s", source.name, error)
            yield Failure(url, str(error))
            continue
        log.info(
            "%s: %d observations in %s (release %s)", source.name, len(observations), name, vintage
        )
        for observation in observations:
            yield indicator_record(source.name, observation, page, vintage)


def _file(body: bytes, url: str, member: str | None) -> tuple[str, bytes]:
    """The file's name and bytes: the download itself, or `member` of a downloaded zip."""
    if member is None:
        return unquote(urlsplit(url).path.rsplit("/", 1)[-1]), body
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            size = archive.getinfo(member).file_size
            if size > MAX_UNZIPPED_BYTES:  # a zip bomb, or not the file we expect
                raise ParseError(url, None, f"{member} unzips to {size} bytes")
            return member, archive.read(member)
    except (zipfile.BadZipFile, KeyError) as error:
        raise ParseError(url, None, f"no member {member!r} in the zip: {error}") from error
