"""The join, end to end: after one nightly run through Airflow, the seed articles carry the
countries, topics and figures an analyst labelled by hand, and the country-year panel puts
Guinea's articles beside its CPI and WGI scores. Precision and recall are printed (-s)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.enrich.labels import Score, organisation_key, score, seed_labels
from tests.nightly import Demo, query

pytestmark = pytest.mark.e2e

# The must-show: (a fragment of the article's URL, countries it is about).
MUST_TAG = [
    ("in-bahrain", {"BHR"}),
    ("trust-between-police-and-citizens-in-guinea", {"GIN"}),
    ("partenaires-pour-la-securite-en-guinee", {"GIN"}),
    ("tashkent-and-los-angeles", {"UZB", "USA"}),
    ("protests-in-chile", {"CHL"}),
    ("corruption-in-iraq", {"IRQ"}),
    ("share-fair-in-burkina-faso", {"BFA"}),
    ("liptako-gourma", {"BFA", "MLI", "NER"}),
    ("yemen-connecting-communities", {"YEM"}),
]


def _by_url(env: dict[str, str], sql: str) -> dict[str, list[object]]:
    found: dict[str, list[object]] = defaultdict(list)
    for url, value in query(env, sql):
        found[str(url)].append(value)
    return found


def test_seed_articles_are_tagged_as_labelled(demo: Demo) -> None:
    env = demo.env
    labels = seed_labels()
    about = _by_url(
        env,
        "select a.url, b.country_iso3 from marts.bridge_article_countries b "
        "join marts.fct_articles a using (article_id) where b.is_about",
    )
    primary = _by_url(
        env,
        "select url, primary_country_iso3 from marts.fct_articles "
        "where primary_country_iso3 is not null",
    )
    topics = _by_url(
        env,
        "select a.url, t.topic_id from marts.bridge_article_topics t "
        "join marts.fct_articles a using (article_id)",
    )
    figures = _by_url(
        env,
        "select a.url, f.value::bigint || ' ' || f.kind from marts.fct_program_figures f "
        "join marts.fct_articles a using (article_id)",
    )
    organisations = _by_url(
        env,
        "select a.url, coalesce(o.organisation_id, lower(o.organisation_name)) "
        "from marts.bridge_article_organisations o join marts.fct_articles a using (article_id)",
    )
    scores: dict[str, Score] = {
        "countries": score(about, {lab["url"]: lab["countries"] for lab in labels}),
        "primary": score(
            primary, {lab["url"]: [lab["primary"]] for lab in labels if lab["primary"]}
        ),
        "topics": score(topics, {lab["url"]: lab["topics"] for lab in labels}),
        "organisations": score(
            organisations,
            {lab["url"]: [organisation_key(n) for n in lab["organisations"]] for lab in labels},
        ),
        "figures": score(
            figures,
            {
                lab["url"]: [f"{int(f['value'])} {f['kind']}" for f in lab["figures"]]
                for lab in labels
            },
        ),
    }
    for name, result in scores.items():
        print(f"{name}: {result}")
    assert len(labels) == 26 and set(about) <= {lab["url"] for lab in labels}
    for fragment, countries in MUST_TAG:
        (url,) = [lab["url"] for lab in labels if fragment in lab["url"]][:1] or [fragment]
        assert countries <= set(about[url]), (fragment, about[url])
    assert "COL" not in about[next(u for u in about if "protests-in-chile" in u)]
    assert scores["countries"].precision >= 0.85 and scores["countries"].recall >= 0.85
    assert scores["primary"].precision >= 0.9
    assert scores["topics"].precision >= 0.6 and scores["topics"].recall >= 0.5
    assert scores["organisations"].precision >= 0.6 and scores["organisations"].recall >= 0.5
    assert scores["figures"].precision >= 0.5 and scores["figures"].recall >= 0.4


def test_the_panel_puts_guineas_articles_beside_its_indices(demo: Demo) -> None:
    env = demo.env
    rows = query(
        env,
        "select year, articles, cpi_score, cpi_score_vintage, wgi_rule_of_law, "
        "wgi_rule_of_law_vintage from marts.country_year_panel "
        "where country_iso3 = 'GIN' and articles > 0 and cpi_score is not null "
        "and wgi_rule_of_law is not null order by year",
    )
    assert rows, "no Guinea year has articles, CPI and WGI rule of law together"
    articles = query(
        env,
        "select count(distinct article_id) from marts.bridge_article_countries "
        "where country_iso3 = 'GIN' and is_about",
    )[0][0]
    assert sum(int(r[1]) for r in rows) <= int(articles)  # type: ignore[call-overload]
    assert all(r[3] and r[5] == "2020-09-25" for r in rows)  # vintages side by side


def test_every_source_is_in_dim_sources(demo: Demo) -> None:
    from civicpulse.registry import load_sources

    env = demo.env
    listed = {row[0] for row in query(env, "select source_id from marts.dim_sources")}
    assert listed == {s.name for s in load_sources()}
