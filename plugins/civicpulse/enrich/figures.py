"""Programme figures an article states, as rows analysts can sum: the value, how it is
qualified ("more than" -> gt), what is counted ("police officers"), the verb ("trained"), the
sentence, and whether it is a programme output (what the programme did or reached) or a
context figure the article cites (deaths, displaced people, prices, shares)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from civicpulse.enrich.numbers import Number, numbers
from civicpulse.enrich.text import Section, fold

log = logging.getLogger(__name__)

# Before the number, as folded text: longest first.
QUALIFIERS = [
    ("gt", "more than|over|at least|upwards of|in excess of|plus de|au moins|mas de|al menos"),
    (
        "lt_approx",
        "nearly|almost|close to|just under|up to|pres de|presque|pas moins de|casi|cerca de|hasta",
    ),
    (
        "approx",
        "about|around|approximately|some|roughly|an estimated|estimated|environ|quelque"
        "|quelques|unos|unas|alrededor de|aproximadamente|aux alentours de",
    ),
]
_QUALIFIER = [(kind, re.compile(rf"(?:^|\s)(?:{words})\s*$")) for kind, words in QUALIFIERS]
# What a programme does or reaches (en/fr/es, as folded words).
OUTPUT_VERBS = set(
    """trained train training met meet meeting attended attend attending visited visit reached
    reach engaged engage participated participate participating took part gathered convened
    carried elected
    brought hosted held organized organised supported support benefited benefit served
    mentored educated sensitized sensitised equipped certified graduated enrolled registered
    joined distributed provided awarded funded launched completed conducted established
    formed created reached interviewed surveyed consulted
    forme formes formee formees forma reuni reunis rassemble rassembles participe
    accompagne accompagnes sensibilise sensibilises touche touches beneficie
    organise organises visite visites
    capacitado capacitados capacitadas capacito formados formadas participaron asistieron
    reunio reunieron visito visitaron beneficiados beneficio apoyo organizo""".split()
)
CONTEXT_VERBS = set(
    """killed died dead death deaths displaced fled injured wounded arrested detained cost costs
    costing earn earns earned lost lose live lives living estimated account accounts rose fell
    increased decreased declined grew tues morts deplaces blesses muertos murieron desplazados
    heridos""".split()
)
# Counted nouns that make a figure an output by themselves.
OUTPUT_NOUNS = set(
    """participants attendees trainees beneficiaries graduates workshops trainings sessions
    grants dialogues forums meetings schools students officers policiers participantes
    beneficiarios talleres ateliers sessions stagiaires beneficiaires activities events
    representatives delegates members leaders councilors councillors officials volunteers
    mentors journees activites evenements representants""".split()
)
CONTEXT_NOUNS = set(
    """percent per cent pourcent por ciento pesos dollars euros cents francs usd us$ years
    months days weeks hours idps refugees deaths casualties victims fatalities inhabitants
    residents population cases protesters demonstrators citizens quarters""".split()
)
_STOP = set(
    """of who that which whom whose and or in on at from to by for with as than is are was
    were have has had be been being will would can could this these those its their our
    during since after before between among including de des du la le les et ou en a au aux
    qui que dont pour par avec sur dans del los las y o que con por para entre where when
    while whose ont sont est etait etaient fut ha han fueron son era eran last next each
    every per ago the an""".split()
)
_CURRENCY = re.compile(r"(?:US\$|\$|€|£|USD|EUR|FCFA|CFA)\s*$")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_MONTHS = set(
    """january february march april may june july august september october november december
    janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
    enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre
    diciembre""".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\$|%", re.UNICODE)


@dataclass
class Figure:
    value: float
    qualifier: str  # gt | lt_approx | approx | exact
    noun: str | None
    verb: str | None
    kind: str  # programme_output | context
    text: str  # the qualifier, number and noun as written
    sentence: str
    section: str


def figures(parts: list[Section], lang: str | None) -> list[Figure]:
    """Every figure in the title, lead and body, in reading order."""
    out = []
    for part in parts:
        if part.name == "tags":
            continue
        for number in numbers(part.tokens, lang or "en"):
            start, sentence = part.tokens.sentence_text(number.word)
            shifted = replace(number, start=number.start - start, end=number.end - start)
            figure = _figure(sentence.rstrip(), shifted, part.name)
            if figure is not None:
                out.append(figure)
    return out


def _figure(sentence: str, number: Number, section: str) -> Figure | None:
    if _not_a_count(sentence, number):
        return None
    before = sentence[: number.start]
    after = sentence[number.end :]
    qualifier = _qualifier(before, number)
    noun, noun_end = _noun(after)
    currency = _CURRENCY.search(before)
    if currency:
        noun = currency.group().strip()
    if noun is None:
        return None  # a bare number counts nothing an analyst can sum
    verb = _verb(before, after[noun_end:])
    start = len(before.rstrip()) if qualifier == "exact" else _qualifier_start(before)
    if currency:
        start = min(start, currency.start())
    text = sentence[start : number.end + noun_end].strip()
    return Figure(
        number.value, qualifier, noun, verb, _kind(noun, verb), text, sentence.strip(), section
    )


def _not_a_count(sentence: str, number: Number) -> bool:
    """Years, dates, ordinals and list numbering are not figures."""
    digits = number.text.replace(",", "").replace(" ", "")
    if _YEAR.match(digits) and not re.match(r"\s*%", sentence[number.end :]):
        return True
    neighbours = re.findall(
        r"[^\W\d_]+", fold(sentence[max(0, number.start - 12) : number.end + 12])
    )
    if any(word in _MONTHS for word in neighbours) and number.value <= 31:
        return True
    after = sentence[number.end :]
    if re.match(r"(?:st|nd|rd|th|er|e|eme|º|°)\b", after):
        return True
    if re.match(r"[-‐–][^\W\d_]", after):  # "12-month process", "five-year project"
        return True
    if re.match(r"\s+\w+\s+(?:ago|plus tôt|atrás)\b", after):  # "three years ago"
        return True
    return number.start == 0 and re.match(r"[.)]", sentence[number.end :]) is not None


def _qualifier(before: str, number: Number) -> str:
    if number.vague:
        return "approx"
    folded = fold(before.rstrip()[-40:])
    for kind, pattern in _QUALIFIER:
        if pattern.search(" " + folded):
            return kind
    return "exact"


def _qualifier_start(before: str) -> int:
    folded = fold(before)
    best = len(before.rstrip())
    for _kind, pattern in _QUALIFIER:
        match = pattern.search(" " + folded.rstrip())
        if match:
            best = min(best, max(0, match.start()))
    return best


def _noun(after: str) -> tuple[str | None, int]:
    """The counted noun phrase right after the number: up to three words, "of" skipped once
    for vague quantities ("dozens of people")."""
    words: list[str] = []
    end = 0
    for match in _WORD.finditer(after):
        word = match.group()
        key = fold(word)
        gap = after[end : match.start()]
        if re.search(r"[,;:()\"“”]", gap):
            break
        if not words and key in ("of", "de", "d'") and match.start() < 3:
            end = match.end()
            continue
        if word == "%":
            return "percent", match.end()
        if key in _STOP or len(words) == 3:
            break
        if not words and match.start() - end > 2:
            break  # the noun follows the number, or it is not counted
        if key in OUTPUT_VERBS or key in CONTEXT_VERBS or (words and key.endswith("ed")):
            # a participle inside the phrase ("internally displaced persons") is not its verb;
            # a verb after it ("people attended the", "women took part") ends it
            following = re.match(r"\s+([^\W\d_]+)", after[match.end() :])
            inside = (
                words
                and key.endswith("ed")
                and following is not None
                and fold(following.group(1)) not in _STOP
            )
            if not inside:
                break
        words.append(word.lower())
        end = match.end()
    return (" ".join(words), end) if words else (None, 0)


def _verb(before: str, after: str) -> str | None:
    """The verb that governs the figure: right after the counted noun ("people attended"),
    else the nearest one before it in the sentence ("trained more than 1,600")."""
    for word in [fold(w) for w in re.findall(r"[^\W\d_]+|[,;]", after)[:6]]:
        if word in ("and", "et", "y", ",", ";", "who", "qui", "que"):
            break
        if word in OUTPUT_VERBS or word in CONTEXT_VERBS:
            return word
    words: list[str] = re.findall(r"[^\W\d_]+", before)
    for i in range(len(words) - 1, max(-1, len(words) - 9), -1):
        key = fold(words[i])
        if key in OUTPUT_VERBS or key in CONTEXT_VERBS:
            if key in ("met", "meet") and i + 1 < len(words) and fold(words[i + 1]) == "with":
                return f"{words[i].lower()} with"
            return words[i].lower()
    return None


def _kind(noun: str, verb: str | None) -> str:
    head = fold(noun.split()[-1]) if noun else ""
    if verb and fold(verb.split()[0]) in CONTEXT_VERBS:
        return "context"
    if head in CONTEXT_NOUNS or fold(noun) in CONTEXT_NOUNS or noun in ("$", "US$", "€", "£"):
        return "context"
    if verb and fold(verb.split()[0]) in OUTPUT_VERBS:
        return "programme_output"
    return "programme_output" if head in OUTPUT_NOUNS else "context"
