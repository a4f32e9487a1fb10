"""Read seed 000 (the real text of PartnersGlobal's newsroom) into posts, as a reader would."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

SEED_000 = Path(__file__).parent / "fixtures" / "partnersglobal" / "seed_000.txt"
_BYLINE = re.compile(r"^(?:by (?P<author>.+?)\s{2,}|\s+)(?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})\s*$")
# The mojibake in the seeds (Mac Roman read as UTF-8), and what the pipeline must repair.
MOJIBAKE = {"√°": "á", "√±": "ñ"}  # as in "Sebasti√°n Pi√±era"


@dataclass
class SeedPost:
    author: str | None = None
    published: date | None = None
    lines: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        """Non-empty lines, whitespace-normalised and with the known mojibake repaired."""
        out = []
        for line in self.lines:
            for damaged, repaired in MOJIBAKE.items():
                line = line.replace(damaged, repaired)
            if text := " ".join(line.split()):
                out.append(text)
        return out


def seed_posts(path: Path = SEED_000) -> list[SeedPost]:
    """Posts in seed order; the first (untitled byline-less Bahrain post) keeps its title line
    out of the body."""
    posts = [SeedPost()]
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _BYLINE.match(line)
        if match:
            published = datetime.strptime(match["date"], "%B %d, %Y").date()
            posts.append(SeedPost(match["author"], published))
        else:
            posts[-1].lines.append(line)
    posts[0].lines = posts[0].lines[1:]  # its first line is the title
    return posts
