"""Body fidelity of the generic path on a labelled page set: as shipped (trafilatura's
readability and justext fallbacks only for a weak result), with the fallbacks always run, and
bare `trafilatura.extract`.

The fallbacks are about a third of the generic path's trafilatura call (`make bench` prints
both floors); whether running them only where its own extraction is weak
(`civicpulse.main_text`) loses fidelity can only be measured on labelled pages. Give it a
set in the layout of Zyte's article-extraction-benchmark:
`html/<id>.html.gz` (or `.html`) and `ground-truth.json`, mapping each id to at least
`{"articleBody": ...}` (and `"url"`, when known); or in that of newspaper4k's test data
(`tests/data` of its sdist on PyPI): `html/<id>.html` and `txt/<id>.txt`.

Scores are averaged over pages: precision, recall and F1 of word 4-shingles (the benchmark's
measure; a text shorter than four words is one shingle), and exact match of the
whitespace-normalised text. A page the extractor refuses (no title or no body) scores as an
empty extraction.

    .venv/bin/python benchmarks/eval_extract.py PATH [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import trafilatura
from requests.structures import CaseInsensitiveDict

from civicpulse import main_text
from civicpulse.extract import NOTHING_STATED, ExtractionError, extract_article
from civicpulse.fetch import Page

SHINGLE = 4
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    exact: bool


def shingles(text: str) -> Counter[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


def score(extracted: str, expected: str) -> Score:
    """Shingle precision and recall of `extracted` against `expected`; nothing extracted is
    precise (it says nothing wrong) and recalls nothing."""
    got, want = shingles(extracted), shingles(expected)
    common = sum((got & want).values())
    precision = common / sum(got.values()) if got else 1.0
    recall = common / sum(want.values()) if want else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1, " ".join(extracted.split()) == " ".join(expected.split()))


def labelled_pages(root: Path) -> Iterator[tuple[Page, str]]:
    """Each page of the set as the crawl would hold it, with its expected body."""
    truth = _ground_truth(root)
    for page_id, expected in sorted(truth.items()):
        gz, plain = root / "html" / f"{page_id}.html.gz", root / "html" / f"{page_id}.html"
        body = gzip.decompress(gz.read_bytes()) if gz.exists() else plain.read_bytes()
        url = expected.get("url") or f"https://example.org/{page_id}"
        page = Page(url, 200, CaseInsensitiveDict(), body, datetime.now(UTC), page_id)
        yield page, expected.get("articleBody") or ""


def _ground_truth(root: Path) -> dict[str, dict[str, str]]:
    if (root / "ground-truth.json").exists():
        truth: dict[str, dict[str, str]] = json.loads(
            (root / "ground-truth.json").read_text(encoding="utf-8")
        )
        return truth
    texts = sorted((root / "txt").glob("*.txt"))
    if not texts:
        raise SystemExit(f"{root}: neither ground-truth.json nor txt/*.txt")
    return {
        text.stem: {"articleBody": text.read_text(encoding="utf-8")}
        for text in texts
        if (root / "html" / f"{text.stem}.html").exists()
    }


def generic(page: Page) -> str:
    try:
        return str(extract_article(page, {}, "eval", NOTHING_STATED)["body"])
    except ExtractionError:
        return ""


def generic_thorough(page: Page) -> str:
    """The generic path with the fallbacks always run: its trafilatura settings swapped."""
    shipped, main_text.SETTINGS = main_text.SETTINGS, main_text.THOROUGH
    try:
        return generic(page)
    finally:
        main_text.SETTINGS = shipped


def bare(page: Page) -> str:
    return trafilatura.extract(page.text) or ""


VARIANTS: dict[str, Callable[[Page], str]] = {
    "generic (as shipped)": generic,
    "generic, fallbacks": generic_thorough,
    "bare trafilatura": bare,
}


def evaluate(root: Path, limit: int | None = None) -> dict[str, list[Score]]:
    scores: dict[str, list[Score]] = {name: [] for name in VARIANTS}
    for count, (page, expected) in enumerate(labelled_pages(root), start=1):
        for name, variant in VARIANTS.items():
            scores[name].append(score(variant(page), expected))
        if limit and count >= limit:
            break
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="folder with html/ and ground-truth.json or txt/")
    parser.add_argument("--limit", type=int, help="only the first N pages (by id)")
    args = parser.parse_args(argv)
    scores = evaluate(args.root, args.limit)
    print(f"{'variant':<22}{'pages':>6}{'precision':>11}{'recall':>8}{'F1':>7}{'exact':>7}")
    for name, found in scores.items():
        n = len(found) or 1
        print(
            f"{name:<22}{len(found):>6}{sum(s.precision for s in found) / n:>11.3f}"
            f"{sum(s.recall for s in found) / n:>8.3f}{sum(s.f1 for s in found) / n:>7.3f}"
            f"{sum(s.exact for s in found) / n:>7.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
