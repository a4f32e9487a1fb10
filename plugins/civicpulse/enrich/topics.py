"""Which themes an article treats, from the reviewed taxonomy (`seeds/topics.csv`,
`seeds/topic_terms.csv`: en/fr/es terms with weights): a topic is tagged when its weighted
terms add up, so one passing word never tags an article."""

from __future__ import annotations

import csv
import logging
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from civicpulse.countries import SEEDS
from civicpulse.enrich.matcher import Entry, Matcher
from civicpulse.enrich.text import Section

log = logging.getLogger(__name__)

SECTION_WEIGHTS = {"title": 3.0, "lead": 1.5, "body": 1.0, "tags": 3.0}
MIN_SCORE = 4.0
# Repeats of one term add less and less: an article saying "police" twenty times is not
# thereby about policing reform.
REPEAT_DECAY = 0.5


@dataclass(frozen=True)
class TopicTerm:
    topic_id: str
    weight: float


@dataclass
class TopicTag:
    topic_id: str
    score: float
    terms: list[str]


@cache
def taxonomy(seeds: Path = SEEDS) -> Matcher[TopicTerm]:
    """The matcher over every topic term (case and accents folded)."""
    with (seeds / "topic_terms.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return Matcher(
        Entry(row["term"], TopicTerm(row["topic_id"], float(row["weight"]))) for row in rows
    )


def tag_topics(parts: list[Section], matcher: Matcher[TopicTerm] | None = None) -> list[TopicTag]:
    """Topics whose terms score at least `MIN_SCORE`, highest first."""
    matcher = matcher or taxonomy()
    seen: dict[tuple[str, str], int] = defaultdict(int)
    scores: dict[str, float] = defaultdict(float)
    terms: dict[str, set[str]] = defaultdict(set)
    for part in parts:
        for match in matcher.find(part.tokens):
            key = match.text.lower()
            for topic in {e.payload.topic_id: e.payload for e in match.entries}.values():
                repeats = seen[(topic.topic_id, key)]
                seen[(topic.topic_id, key)] += 1
                scores[topic.topic_id] += (
                    topic.weight * SECTION_WEIGHTS[part.name] * REPEAT_DECAY**repeats
                )
                terms[topic.topic_id].add(key)
    tags = [
        TopicTag(topic, round(score, 3), sorted(terms[topic]))
        for topic, score in scores.items()
        if score >= MIN_SCORE
    ]
    return sorted(tags, key=lambda t: (-t.score, t.topic_id))
