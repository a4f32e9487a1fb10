"""Country-name traps: each case names the countries the text must, and must not, be tagged
with. Every case fails if its rule is removed (longest match, phrases that name no country,
personal names, settling the Congos, lists of many, fr/es forms)."""

from __future__ import annotations

import pytest

from civicpulse.enrich.countries import tag_countries
from civicpulse.enrich.text import sections

CASES = [
    ("Funding", "Kenya received US$ 5 million for police reform in Nairobi.", {"KEN"}, {"USA"}),
    # (title, body, about, never named)
    (
        "Dialogue in Guinea-Bissau",
        "Police leaders from Guinea-Bissau met in Bissau.",
        {"GNB"},
        {"GIN"},
    ),
    (
        "Nigeria votes",
        "Nigeria held elections; Nigerian observers were deployed.",
        {"NGA"},
        {"NER"},
    ),
    (
        "Niger after the coup",
        "Niger's junta met Nigerien civil society in Niamey.",
        {"NER"},
        {"NGA"},
    ),
    (
        "Equatorial Guinea",
        "Malabo hosted the summit of Equatorial Guinea's government.",
        {"GNQ"},
        {"GIN"},
    ),
    ("Papua New Guinea", "Port Moresby police in Papua New Guinea were trained.", {"PNG"}, {"GIN"}),
    (
        "Oil in the delta",
        "Militants in the Niger Delta attacked a pipeline near Port Harcourt, Nigeria.",
        {"NGA"},
        {"NER"},
    ),
    (
        "Maritime security",
        "Piracy in the Gulf of Guinea fell; Ghana's navy patrolled.",
        {"GHA"},
        {"GIN"},
    ),
    (
        "Eastern Congo",
        "Fighting near Goma in the Democratic Republic of the Congo displaced thousands. "
        "Congo's army said it would respond.",
        {"COD"},
        {"COG"},
    ),
    (
        "Brazzaville talks",
        "In Brazzaville, the Republic of the Congo hosted talks; Congo's president spoke.",
        {"COG"},
        {"COD"},
    ),
    (
        "A US conference",
        "The meeting in Atlanta, Georgia brought mayors from across the United States.",
        {"USA"},
        {"GEO"},
    ),
    (
        "Tbilisi protests",
        "Protesters in Tbilisi, Georgia rejected the bill; Georgians marched.",
        {"GEO"},
        set(),
    ),
    (
        "Basketball diplomacy",
        "Michael Jordan visited Kenya, where Kenyan students met him.",
        {"KEN"},
        {"JOR"},
    ),
    (
        "Podcast",
        "Host Chad Smith interviewed activists from Peru about Peruvian elections.",
        {"PER"},
        {"TCD"},
    ),
    (
        "Refugees in Jordan",
        "Jordan hosts refugees; in Amman, Jordanian officials met UNHCR.",
        {"JOR"},
        set(),
    ),
    (
        "Earthquake in Türkiye",
        "After the earthquake in Türkiye, Turkish NGOs worked in Turkey's south.",
        {"TUR"},
        set(),
    ),
    (
        "Thanksgiving",
        "We roasted a turkey and then talked about Chile, where Chilean police reformed.",
        {"CHL"},
        {"TUR"},
    ),
    (
        "Sahel violence",
        "Attacks spread across Mali, Niger, Chad, Sudan and Somalia. In Burkina Faso, the "
        "Burkinabè army and Ouagadougou's mayor responded.",
        {"BFA"},
        set(),
    ),
    ("Sécurité en Guinée", "La police guinéenne a formé des agents à Conakry.", {"GIN"}, set()),
    (
        "Seguridad en Chile",
        "Los carabineros chilenos y el gobierno de Santiago dialogaron.",
        {"CHL"},
        set(),
    ),
    ("Bahrain", "Bahraini women lawyers in Manama won reforms.", {"BHR"}, set()),
]


@pytest.mark.parametrize(("title", "body", "about", "never"), CASES, ids=[c[0] for c in CASES])
def test_country_traps(title: str, body: str, about: set[str], never: set[str]) -> None:
    tags = tag_countries(sections(title, body, []))
    assert {t.iso3 for t in tags if t.is_about} == about
    assert not never & {t.iso3 for t in tags}


def test_a_list_of_many_is_a_mention_not_the_subject() -> None:
    tags = {t.iso3: t for t in tag_countries(sections(*CASES[17][:2], []))}
    assert {"MLI", "NER", "TCD", "SDN", "SOM"} <= tags.keys()
    assert all(tags[c].in_list_only and not tags[c].is_about for c in ("MLI", "NER", "TCD"))
    assert tags["BFA"].is_primary and tags["BFA"].mentions == 3


def test_evidence_says_where_and_by_which_words() -> None:
    (guinea,) = [
        t
        for t in tag_countries(
            sections("Guinea's police", "Officers in Conakry.\n\nGuinean reform.", ["Guinea"])
        )
        if t.iso3 == "GIN"
    ]
    assert guinea.sections == ["title", "lead", "body", "tags"]
    assert set(guinea.terms) == {"Guinea", "Conakry", "Guinean"}
    assert guinea.is_primary and guinea.relevance == 1.0


def test_a_bare_congo_is_the_congo_the_text_names() -> None:
    for title, body, (iso3,), _ in [c for c in CASES if "Congo" in c[1]]:
        tags = {t.iso3: t for t in tag_countries(sections(title, body, []))}
        assert "Congo" in tags[iso3].terms  # "Congo's army", "Congo's president"
        assert set(tags) == {iso3}
