"""Topics need more than one passing word; organisations come from the reviewed list (any of
their names, acronyms or translations) or from the patterns programme and body names follow."""

from __future__ import annotations

from civicpulse.enrich.organisations import tag_organisations
from civicpulse.enrich.text import sections
from civicpulse.enrich.topics import tag_topics


def topic_ids(title: str, body: str) -> set[str]:
    return {t.topic_id for t in tag_topics(sections(title, body, None))}


def test_a_topic_needs_more_than_a_passing_word() -> None:
    assert "gender" not in topic_ids("Budget talks", "Women and men met the mayor.")
    assert "gender" in topic_ids(
        "Ending gender-based violence", "Survivors of domestic violence found shelters."
    )


def test_topics_in_french_and_spanish() -> None:
    assert "security_sector" in topic_ids(
        "Réforme du secteur de la sécurité", "La police de proximité rapproche les citoyens."
    )
    assert "corruption" in topic_ids(
        "Corrupción en el Estado", "La lucha contra la corrupción exige rendición de cuentas."
    )


def test_listed_organisations_by_any_of_their_names() -> None:
    tags = tag_organisations(
        sections(
            None,
            "Funded by USAID and the U.S. State Department's INL, with ONU Femmes and the PNUD.",
            None,
        )
    )
    listed = {t.organisation_id for t in tags if t.organisation_id}
    assert {"usaid", "us_inl", "un_women", "undp"} <= listed


def test_unlisted_programmes_and_bodies_by_pattern() -> None:
    tags = tag_organisations(
        sections(
            None,
            "The Safer Streets for Girls project worked with the Executive Director of the "
            "Kindia Youth Association in Guinea.",
            None,
        )
    )
    found = {(t.name, t.kind) for t in tags if t.organisation_id is None}
    assert ("Safer Streets for Girls", "programme") in found
    assert ("Kindia Youth Association", "organisation") in found
