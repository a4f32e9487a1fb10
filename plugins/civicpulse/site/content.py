"""The warehouse, read once and read-only, as the plain dicts the site's templates show:
queries stay here, so the templates never meet SQL and the renderer never meets DuckDB."""

from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path
from statistics import fmean
from typing import Any

from civicpulse.site.indicators import CHARTED, CHARTS, HEADLINE, WGI

log = logging.getLogger(__name__)

Row = dict[str, Any]

COUNTRIES = """
with present as (
    select country_iso3 from marts.fct_indicator_values
    union
    select country_iso3 from marts.bridge_article_countries
)
select
    present.country_iso3 as iso3,
    coalesce(c.name_en, present.country_iso3) as name,
    c.region,
    c.subregion,
    c.income_group,
    lower(concat_ws(' ', present.country_iso3, c.name_en, c.name_fr, c.name_es,
        array_to_string(c.aliases, ' '))) as search
from present
left join marts.dim_countries as c on present.country_iso3 = c.country_iso3
where present.country_iso3 is not null
order by name
"""

TAGGED_ARTICLES = """
select
    b.country_iso3 as iso3,
    a.article_id,
    a.url,
    coalesce(a.title, a.url) as title,
    a.source_id,
    coalesce(a.published_date, a.updated_date)::varchar as article_date,
    b.is_about
from marts.bridge_article_countries as b
inner join marts.fct_articles as a on b.article_id = a.article_id
qualify row_number() over (
    partition by b.country_iso3
    order by coalesce(a.published_date, a.updated_date) desc nulls last, a.title
) <= $timeline
order by iso3, article_date desc nulls last, title
"""

# What each country's timeline is drawn from: all its articles, not only those shown.
COVERAGE = """
select
    b.country_iso3 as iso3,
    count(*) as articles,
    list(distinct a.source_id order by a.source_id) as sources
from marts.bridge_article_countries as b
inner join marts.fct_articles as a on b.article_id = a.article_id
group by b.country_iso3
"""

# Which countries each source's articles are tagged to.
SOURCE_COUNTRIES = """
select a.source_id, list(distinct b.country_iso3 order by b.country_iso3) as countries
from marts.bridge_article_countries as b
inner join marts.fct_articles as a on b.article_id = a.article_id
group by a.source_id
"""

TIMELINE = 200  # articles on a country's page, newest first; the count says how many in all

ARTICLE_TOPICS = """
select b.article_id, list(t.name order by t.name) as topics
from marts.bridge_article_topics as b
inner join marts.dim_topics as t on b.topic_id = t.topic_id
group by b.article_id
"""

INDICATOR_VALUES = """
select country_iso3 as iso3, indicator_id, year, value, vintage, source_id
from marts.fct_indicator_values
where list_contains($ids, indicator_id) and value is not null and country_iso3 is not null
order by iso3, indicator_id, year
"""

INDICATORS = """
select indicator_id, name, source_id, unit, scale_min, scale_max, higher_is_better
from marts.dim_indicators
"""

FIGURES = """
select
    f.country_iso3 as iso3, f.kind, f.value, f.figure_text, f.noun, f.verb, f.sentence,
    f.article_date::varchar as article_date, f.source_id, a.url, coalesce(a.title, a.url) as title
from marts.fct_program_figures as f
left join marts.fct_articles as a on f.article_id = a.article_id
where f.country_iso3 is not null
order by f.article_date desc nulls last, f.article_id, f.figure_number
"""

SOURCES = """
select
    sources.*,
    health.freshness,
    health.days_since_success,
    health.last_new_item_ds,
    health.items_last_run,
    health.items_trailing_median,
    health.alarms
from marts.dim_sources as sources
left join marts.source_health as health on sources.source_id = health.source_id
order by sources.source_id
"""

LATEST_ARTICLES = """
select
    source_id, url, coalesce(title, url) as title,
    coalesce(published_date, updated_date)::varchar as article_date,
    count(*) over (partition by source_id) as total
from marts.fct_articles
qualify
    row_number() over (partition by source_id order by article_date desc nulls last, title) <= 10
order by source_id, article_date desc nulls last, title
"""

# Per source, every indicator it defines (dim_indicators) or has values of: the WGI
# estimates are defined under one source and may be published by another.
SOURCE_INDICATORS = """
with published as (
    select
        source_id, indicator_id, count(*) as n_values,
        count(distinct country_iso3) as n_countries,
        min(year) as first_year, max(year) as last_year, max(vintage) as vintage
    from marts.fct_indicator_values
    group by source_id, indicator_id
),
defined as (select source_id, indicator_id from marts.dim_indicators)
select
    coalesce(p.source_id, d.source_id) as source_id,
    coalesce(p.indicator_id, d.indicator_id) as indicator_id,
    i.name, i.unit, coalesce(p.n_values, 0) as n_values, coalesce(p.n_countries, 0) as n_countries,
    p.first_year, p.last_year, p.vintage
from published as p
full join defined as d on p.source_id = d.source_id and p.indicator_id = d.indicator_id
left join marts.dim_indicators as i on coalesce(p.indicator_id, d.indicator_id) = i.indicator_id
order by source_id, indicator_id
"""


def load_content(warehouse: Path) -> dict[str, Any]:
    """Every country with an article or an indicator value, and every registry source."""
    import duckdb

    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}: build it first (`make demo`)")
    ids = sorted(set(HEADLINE) | set(CHARTED))
    with duckdb.connect(str(warehouse), read_only=True) as connection:

        def rows(sql: str, params: dict[str, object] | None = None) -> list[Row]:
            cursor = connection.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

        indicators = {row["indicator_id"]: row for row in rows(INDICATORS)}
        countries = rows(COUNTRIES)
        articles = rows(TAGGED_ARTICLES, {"timeline": TIMELINE})
        coverage = {row["iso3"]: row for row in rows(COVERAGE)}
        source_countries = {r["source_id"]: r["countries"] for r in rows(SOURCE_COUNTRIES)}
        topics = {row["article_id"]: row["topics"] for row in rows(ARTICLE_TOPICS)}
        values = rows(INDICATOR_VALUES, {"ids": ids})
        figures = rows(FIGURES)
        sources = rows(SOURCES)
        latest = rows(LATEST_ARTICLES)
        source_indicators = rows(SOURCE_INDICATORS)

    for article in articles:
        article["topics"] = topics.get(article["article_id"], [])
    articles_of, figures_of = _group(articles, "iso3"), _group(figures, "iso3")
    latest_by_source = _group(latest, "source_id")
    series_of: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for row in values:  # ordered by year, so each series runs oldest first
        series_of[row["iso3"]][row["indicator_id"]].append(row)
    return {
        "countries": [
            _country(
                country,
                articles_of.get(country["iso3"], []),
                coverage.get(country["iso3"], {"articles": 0, "sources": []}),
                series_of[country["iso3"]],
                figures_of.get(country["iso3"], []),
                indicators,
            )
            for country in countries
        ],
        "sources": [
            _source(source, source_countries, latest_by_source, source_indicators)
            for source in sources
        ],
    }


def _group(rows: list[Row], key: str) -> dict[str, list[Row]]:
    """Rows by the value of `key`, each group in the rows' order."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def _country(
    country: Row,
    articles: list[Row],
    coverage: Row,
    series: dict[str, list[Row]],
    figures: list[Row],
    indicators: dict[str, Row],
) -> Row:
    """One country's page: its headline values, charts, news and figures, and the latest
    values the index lists."""
    headline = [
        {**_describe(indicators.get(i, {"indicator_id": i})), **_point(series[i][-1])}
        for i in HEADLINE
        if series.get(i)
    ]
    return {
        **country,
        "articles": articles,  # the latest TIMELINE of them
        "article_count": coverage["articles"],
        "sources": list(coverage["sources"]),
        "headline": headline,
        "charts": _charts(series, indicators),
        "figures": [f for f in figures if f["kind"] == "programme_output"],
        "context_figures": [f for f in figures if f["kind"] != "programme_output"],
        "cpi": _point(series["cpi_score"][-1]) if series.get("cpi_score") else None,
        "wgi": _wgi_mean(series),
        "hdi": _point(series["hdi"][-1]) if series.get("hdi") else None,
    }


def _charts(series: dict[str, list[Row]], indicators: dict[str, Row]) -> list[Row]:
    """The charts that have data, each with a line (or bars) per indicator that has some."""
    charts = []
    for spec in CHARTS:
        lines = [
            {
                "label": str(indicators.get(i, {}).get("name") or i).removesuffix(": estimate"),
                "points": [
                    {"x": p["year"], "y": p["value"], "vintage": p["vintage"]} for p in series[i]
                ],
            }
            for i in spec.indicator_ids
            if series.get(i)
        ]
        if lines:
            charts.append(
                {
                    "id": f"chart-{spec.chart_id}",
                    "title": spec.title,
                    "kind": spec.kind,
                    "series": lines,
                }
            )
    return charts


def _describe(indicator: Row) -> Row:
    """An indicator's name, unit, scale and direction, in words."""
    better = indicator.get("higher_is_better")
    low, high = indicator.get("scale_min"), indicator.get("scale_max")
    return {
        "indicator_id": indicator["indicator_id"],
        "name": indicator.get("name") or indicator["indicator_id"],
        "unit": indicator.get("unit") or "",
        "scale": f"{low:g} to {high:g}" if low is not None and high is not None else "",
        "direction": "neither"
        if better is None
        else f"{'higher' if better else 'lower'} is better",
        "source_id": indicator.get("source_id"),
    }


def _point(row: Row) -> Row:
    """A value with its year, its release and the source that published it."""
    return {key: row[key] for key in ("value", "year", "vintage", "source_id")}


def _wgi_mean(series: dict[str, list[Row]]) -> Row | None:
    """The mean of the six WGI estimates in the latest year that has all six: one number
    for the index's column, named as a mean there."""
    by_year: dict[int, list[float]] = defaultdict(list)
    for indicator_id in WGI:
        for row in series.get(indicator_id, []):
            by_year[row["year"]].append(row["value"])
    complete = [year for year, found in by_year.items() if len(found) == len(WGI)]
    if not complete:
        return None
    year = max(complete)
    return {"value": fmean(by_year[year]), "year": year}


def _source(
    source: Row,
    countries_of: dict[str, list[str]],
    latest_of: dict[str, list[Row]],
    indicators: list[Row],
) -> Row:
    """One source's page: its registry entry and what of it the warehouse holds."""
    name = source["source_id"]
    recent = latest_of.get(name, [])
    return {
        **source,
        "hosts": list(source.get("hosts") or []),
        "article_count": recent[0]["total"] if recent else 0,
        "latest_articles": recent,
        "countries": list(countries_of.get(name, [])),
        "indicators": [row for row in indicators if row["source_id"] == name],
    }
