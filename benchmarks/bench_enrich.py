"""Enrichment throughput on one core: the snapshot's seed articles, extracted as the nightly
run extracts them, repeated to 10,000, through `enrich_article` (countries, topics,
organisations, figures). The target is at least 500 articles/s; the figure is printed beside
extraction's pages/s from the same process, so the two are compared on one machine at once.

    make bench            # or: .venv/bin/python benchmarks/bench_enrich.py --articles 10000
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_extract import article_pages, ours  # noqa: E402

from civicpulse.enrich.article import enrich_article, enricher_version  # noqa: E402

TARGET = 500.0  # articles per second on one core


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args(argv)

    pages = article_pages()
    started = time.perf_counter()
    records = [ours(source, page) for source, page in pages]
    extract_s = time.perf_counter() - started
    texts = [
        (r["title"], r["body"], r["tags"], r["language"])  # type: ignore[index]
        for r in records
    ]
    workload = (texts * (args.articles // len(texts) + 1))[: args.articles]
    enrich_article(*workload[0])  # warm up: lookups loaded and compiled once per process
    gc.collect()
    started = time.perf_counter()
    tags = sum(len(enrich_article(*text)["countries"]) for text in workload)
    enrich_s = time.perf_counter() - started

    rate = len(workload) / enrich_s
    words = sum(len((t[1] or "").split()) for t in workload)
    print(f"enrichment {enricher_version()}: {len(workload)} articles ({len(texts)} distinct, ")
    print(f"  {words / len(workload):.0f} words each on average), one process, one core")
    print(f"{'step':<30}{'articles/s':>12}")
    print(f"{'extract_article (snapshot)':<30}{len(pages) / extract_s:>12.1f}")
    print(f"{'enrich_article':<30}{rate:>12.1f}   ({tags} country tags)")
    print(f"enrichment / extraction throughput ratio: {rate / (len(pages) / extract_s):.1f}")
    print(f"target {TARGET:.0f} articles/s: {'met' if rate >= TARGET else 'NOT met'}")
    return 0 if rate >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
