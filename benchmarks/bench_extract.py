"""Extraction throughput and memory over the recorded snapshot's article pages.

Our extractor (`extract_article`, with each source's registry selectors) against trafilatura's
bare `extract()` on the same pages, in the same process and run, so the figures are a ratio
on one machine at one moment. Peak memory is what each side allocates (tracemalloc) in a
separate pass, so the tracing does not slow the timed passes.

    make bench            # or: .venv/bin/python benchmarks/bench_extract.py --rounds 5
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import trafilatura
from requests.structures import CaseInsensitiveDict

from civicpulse.adapters.feed import feed_entries
from civicpulse.adapters.html_listing import article_links
from civicpulse.adapters.sitemap import sitemap_links
from civicpulse.adapters.wordpress_api import api_posts
from civicpulse.archive import read_responses, warc_files
from civicpulse.extract import extract_article
from civicpulse.fetch import Fetcher, Page
from civicpulse.registry import Source, sources_for
from civicpulse.settings import load_settings

SNAPSHOT = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
Pages = list[tuple[Source, Page]]


# How each kind of source finds its article URLs (listing pages are not articles).
DISCOVER = {
    "feed": feed_entries,
    "html_listing": article_links,
    "sitemap": sitemap_links,
    "wordpress_api": api_posts,
}


def article_pages() -> Pages:
    """Every article page the snapshot holds, found as the adapters find them, with its source."""
    recorded = {r.url: r for path in warc_files(SNAPSHOT) for r in read_responses(path)}
    settings = load_settings(
        {"CIVICPULSE_REPLAY": str(SNAPSHOT), "CIVICPULSE_DATA": "/nonexistent"}
    )
    now = datetime.now(UTC)
    pages = []
    for source in sources_for("articles"):
        with Fetcher(source.hosts, settings) as client:
            urls = [found.url for found in DISCOVER[source.adapter](source, client)]
        for url in urls:
            response = recorded[url]
            headers = CaseInsensitiveDict(dict(response.headers))
            pages.append((source, Page(url, 200, headers, response.body, now, response.record_id)))
    return pages


def ours(source: Source, page: Page) -> object:
    return extract_article(page, source.options.get("article", {}), source.name)


def bare(source: Source, page: Page) -> object:
    return trafilatura.extract(page.text)


def timed(extractor: Callable[[Source, Page], object], pages: Pages, rounds: int) -> float:
    """Best of `rounds` passes, in seconds: the least disturbed by the rest of the machine."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        for source, page in pages:
            extractor(source, page)
        best = min(best, time.perf_counter() - start)
    return best


def peak_bytes(extractor: Callable[[Source, Page], object], pages: Pages) -> int:
    gc.collect()
    tracemalloc.start()
    for source, page in pages:
        extractor(source, page)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed passes per extractor")
    args = parser.parse_args(argv)

    pages = article_pages()
    megabytes = sum(len(page.body) for _, page in pages) / 1e6
    for extractor in (ours, bare):  # warm up: lingua's models, lxml, trafilatura's caches
        timed(extractor, pages, 1)
    ours_s, bare_s = timed(ours, pages, args.rounds), timed(bare, pages, args.rounds)
    ours_peak, bare_peak = peak_bytes(ours, pages), peak_bytes(bare, pages)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    print(f"pages: {len(pages)} ({megabytes:.2f} MB of HTML), best of {args.rounds} passes")
    print(f"{'extractor':<28}{'pages/s':>10}{'MB/s':>8}{'peak alloc MB':>16}")
    for name, seconds, peak in (
        ("civicpulse extract_article", ours_s, ours_peak),
        ("trafilatura.extract (bare)", bare_s, bare_peak),
    ):
        print(
            f"{name:<28}{len(pages) / seconds:>10.1f}{megabytes / seconds:>8.2f}{peak / 1e6:>16.1f}"
        )
    print(f"throughput ratio (ours / bare): {bare_s / ours_s:.2f}")
    print(f"peak allocation ratio (ours / bare): {ours_peak / bare_peak:.2f}")
    print(f"process peak RSS: {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
