"""The hand labels of the seed articles (`fixtures/enrichment/seed_labels.yml`) and how a set
of predicted tags scores against them: micro precision and recall over (article, tag) pairs."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from civicpulse.countries import SEEDS
from tests.conftest import FIXTURES

LABELS = FIXTURES / "enrichment" / "seed_labels.yml"


def seed_labels() -> list[dict[str, Any]]:
    labels: list[dict[str, Any]] = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    return labels


@dataclass(frozen=True)
class Score:
    true_positives: int
    predicted: int
    expected: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    def __str__(self) -> str:
        return (
            f"precision {self.precision:.2f} ({self.true_positives}/{self.predicted}), "
            f"recall {self.recall:.2f} ({self.true_positives}/{self.expected})"
        )


def score(predicted: Mapping[str, Iterable[Any]], expected: Mapping[str, Iterable[Any]]) -> Score:
    """Micro-averaged over every article of `expected` (keyed by URL)."""
    hits = guessed = wanted = 0
    for url, truth in expected.items():
        got, want = set(predicted.get(url, ())), set(truth)
        hits, guessed, wanted = hits + len(got & want), guessed + len(got), wanted + len(want)
    return Score(hits, guessed, wanted)


def organisation_key(name: str) -> str:
    """A labelled organisation name as the warehouse keys it: the reviewed list's id when the
    name or one of its aliases is listed, else the name in lower case."""
    return _organisation_ids().get(name.lower(), name.lower())


def _organisation_ids() -> dict[str, str]:
    with (SEEDS / "organisations.csv").open(encoding="utf-8", newline="") as handle:
        return {
            spelling.lower(): row["organisation_id"]
            for row in csv.DictReader(handle)
            for spelling in [row["name"], *row["aliases"].split("|")]
            if spelling
        }
