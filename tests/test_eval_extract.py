"""The fidelity evaluation (`benchmarks/eval_extract.py`) behind running trafilatura's
fallbacks only for a weak result: its shingle scores, and a run over a labelled set in the
benchmark's layout."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from benchmarks.eval_extract import evaluate, main, score
from civicpulse import main_text

ARTICLE = [
    "Civil society groups in Conakry met district officials on Tuesday to review how the new "
    "water committees will report spending to residents.",
    "The committees were elected in March after a year of consultations run by local partners, "
    "and each now publishes its accounts on a notice board every quarter.",
    "Organisers said the next step is a hotline that lets residents flag a broken pump before "
    "the rainy season, when repairs take longest.",
]
PAGE = """<!doctype html><html lang="en"><head><title>Water committees report to residents</title>
</head><body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/about">About us</a></li><li><a href="/donate">Donate</a></li></ul></nav>
<main><article><h1>Water committees report to residents</h1>{paragraphs}</article></main>
<footer><p>Copyright 2026 Example Partners. All rights reserved.</p>
<ul><li><a href="/privacy">Privacy</a></li><li><a href="/contact">Contact</a></li></ul>
</footer></body></html>"""


def test_scores_are_shingle_precision_and_recall() -> None:
    text = " ".join(ARTICLE)
    assert score(text, text) == score(f"  {text}\n", text)
    assert score(text, text).f1 == 1.0 and score(text, text).exact
    half = score(ARTICLE[0], f"{ARTICLE[0]} {ARTICLE[1]}")
    assert half.precision == 1.0 and 0.3 < half.recall < 0.6 and not half.exact
    assert score("", text).recall == 0.0 and score("", text).f1 == 0.0
    assert score("entirely unrelated words about football scores", text).f1 == 0.0


def test_a_labelled_set_is_scored_for_every_variant(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE)
    (tmp_path / "html" / "article.html.gz").write_bytes(
        gzip.compress(PAGE.format(paragraphs=paragraphs).encode())
    )
    (tmp_path / "html" / "empty.html").write_text("<html><body><nav>Home</nav></body></html>")
    truth = {
        "article": {"articleBody": "\n".join(ARTICLE), "url": "https://example.org/a"},
        "empty": {"articleBody": "A story the page does not hold at all, in five words."},
    }
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))

    shipped = main_text.SETTINGS
    scores = evaluate(tmp_path)
    assert main_text.SETTINGS is shipped  # the thorough variant puts the settings back

    assert set(scores) == {"generic (as shipped)", "generic, fallbacks", "bare trafilatura"}
    for found in scores.values():
        article, empty = found
        assert article.f1 > 0.95, article
        assert empty.recall == 0.0
    assert evaluate(tmp_path, limit=1)["generic (as shipped)"] == scores["generic (as shipped)"][:1]


def test_the_command_prints_one_row_per_variant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "a.html").write_text(PAGE.format(paragraphs=f"<p>{ARTICLE[0]}</p>"))
    (tmp_path / "ground-truth.json").write_text(json.dumps({"a": {"articleBody": ARTICLE[0]}}))
    assert main([str(tmp_path)]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].split() == ["variant", "pages", "precision", "recall", "F1", "exact"]
    assert len(rows) == 4 and all(row.split()[-5] == "1" for row in rows[1:])


def test_newspaper4k_test_data_is_read_as_a_labelled_set(tmp_path: Path) -> None:
    """html/<id>.html beside txt/<id>.txt; a text without its page is left out."""
    (tmp_path / "html").mkdir()
    (tmp_path / "txt").mkdir()
    (tmp_path / "html" / "a.html").write_text(PAGE.format(paragraphs=f"<p>{ARTICLE[1]}</p>"))
    (tmp_path / "txt" / "a.txt").write_text(ARTICLE[1])
    (tmp_path / "txt" / "orphan.txt").write_text(ARTICLE[2])
    scores = evaluate(tmp_path)
    assert [len(found) for found in scores.values()] == [1, 1, 1]
    assert scores["generic (as shipped)"][0].f1 > 0.95
