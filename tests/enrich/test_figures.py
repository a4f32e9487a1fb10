"""Programme figures: value, qualifier, counted noun, verb and kind, from the sentences the
issue names and their French and Spanish forms; years, dates and ordinals are not figures."""

from __future__ import annotations

import pytest

from civicpulse.enrich.figures import figures
from civicpulse.enrich.text import sections

CASES = [
    # sentence, lang, (value, qualifier, noun, verb, kind)
    (
        "The project trained more than 1,600 police officers.",
        "en",
        (1600, "gt", "police officers", "trained", "programme_output"),
    ),
    (
        "They visited 27 schools last spring.",
        "en",
        (27, "exact", "schools", "visited", "programme_output"),
    ),
    (
        "The team met with nearly 11,000 students.",
        "en",
        (11000, "lt_approx", "students", "met with", "programme_output"),
    ),
    (
        "More than 400 people attended the fair.",
        "en",
        (400, "gt", "people", "attended", "programme_output"),
    ),
    (
        "Since 2015 more than 250 citizens of Burkina Faso have been killed.",
        "en",
        (250, "gt", "citizens", "killed", "context"),
    ),
    (
        "Displacement tripled to almost 600,000 internally displaced persons.",
        "en",
        (600000, "lt_approx", "internally displaced persons", None, "context"),
    ),
    (
        "Nearly 4,800 people died in the violence.",
        "en",
        (4800, "lt_approx", "people", "died", "context"),
    ),
    ("A metro ticket costs 30 pesos.", "en", (30, "exact", "pesos", "costs", "context")),
    (
        "The programme trained three hundred volunteers.",
        "en",
        (300, "exact", "volunteers", "trained", "programme_output"),
    ),
    (
        "Dozens of women took part in the dialogue.",
        "en",
        (24, "approx", "women", "took", "programme_output"),
    ),
    (
        "Partners trained police in six regions.",  # "six" is English as well as French
        "en",
        (6, "exact", "regions", "trained", "programme_output"),
    ),
    (
        "Le projet a formé plus de 1 600 policiers.",
        "fr",
        (1600, "gt", "policiers", "formé", "programme_output"),
    ),
    (
        "Environ 300 participants ont assisté à l'atelier.",
        "fr",
        (300, "approx", "participants", None, "programme_output"),
    ),
    (
        "El programa capacitó a más de 1.200 carabineros.",
        "es",
        (1200, "gt", "carabineros", "capacitó", "programme_output"),
    ),
]


@pytest.mark.parametrize(("sentence", "lang", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_figures(sentence: str, lang: str, expected: tuple[object, ...]) -> None:
    (figure,) = figures(sections(None, sentence, None), lang)
    got = (int(figure.value), figure.qualifier, figure.noun, figure.verb, figure.kind)
    assert got == expected
    assert figure.sentence == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "In 2019, the council met again.",  # a year
        "The forum opened on 26 February.",  # a date
        "It was the 3rd forum of its kind.",  # an ordinal
        "A 12-month process began.",  # a modifier, not a count
        "Three years ago the law changed.",  # a time in the past
        "COVID-19 changed policing.",  # a name
        "Once the forum ended, talks began.",  # English "once" is not Spanish eleven
    ],
)
def test_not_figures(sentence: str) -> None:
    assert figures(sections(None, sentence, None), "en") == []
