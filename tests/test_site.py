"""The report site, rendered from a small warehouse built here (no Airflow, no dbt): which
countries get pages, which value is headlined, what is escaped, how runs are read, and that a
render swaps a whole site in or leaves the previous one. The browser test covers the rest."""

from __future__ import annotations

import json
import re

import duckdb
import pytest

from civicpulse.settings import Settings
from civicpulse.site import render_site
from civicpulse.site.history import last_success, run_history

TABLES = """
create schema marts;
create table marts.dim_countries (country_iso3 varchar, name_en varchar, name_fr varchar,
    name_es varchar, aliases varchar[], region varchar, subregion varchar, income_group varchar);
create table marts.dim_indicators (indicator_id varchar, name varchar, source_id varchar,
    unit varchar, scale_min double, scale_max double, higher_is_better boolean);
create table marts.dim_sources (source_id varchar, entity varchar, adapter varchar, url varchar,
    hosts varchar[], cadence varchar, owner varchar, license varchar, description varchar,
    suite varchar);
create table marts.dim_topics (topic_id varchar, name varchar);
create table marts.source_health (source_id varchar, freshness varchar,
    days_since_success double, last_new_item_ds varchar, items_last_run bigint,
    items_trailing_median double, alarms varchar[]);
create table marts.fct_articles (article_id varchar, source_id varchar, url varchar,
    title varchar, published_date date, updated_date date);
create table marts.bridge_article_countries (article_id varchar, country_iso3 varchar,
    is_about boolean);
create table marts.bridge_article_topics (article_id varchar, topic_id varchar);
create table marts.fct_program_figures (article_id varchar, figure_number bigint,
    source_id varchar, country_iso3 varchar, article_date date, kind varchar, value double,
    figure_text varchar, noun varchar, verb varchar, sentence varchar);
create table marts.fct_indicator_values (indicator_id varchar, country_iso3 varchar,
    year integer, value double, vintage varchar, source_id varchar);

insert into marts.dim_countries values
    ('GIN', 'Guinea', 'Guinée', 'Guinea', [], 'Africa', 'Western Africa', 'Lower middle'),
    ('FRA', 'France', 'France', 'Francia', [], 'Europe', 'Western Europe', 'High'),
    ('ATA', 'Antarctica', 'Antarctique', 'Antártida', [], null, null, null);
insert into marts.dim_indicators values
    ('cpi_score', 'Corruption Perceptions Index score', 'ti_cpi', 'score', 0, 100, true),
    ('fsi_total', 'Fragile States Index total', 'fsi', 'score', 0, 120, false);
insert into marts.dim_sources values
    ('partnersglobal', 'articles', 'wordpress_api', 'https://www.partnersglobal.org/', [
        'www.partnersglobal.org'], 'daily', '@news', 'for research', 'Posts.', 's'),
    ('ti_cpi', 'indicator_values', 'download', 'https://www.transparency.org/en/cpi', [
        'www.transparency.org'], 'weekly', '@indices', 'CC BY-ND 4.0', 'CPI.', 's');
insert into marts.dim_topics values ('security_sector', 'Policing and security-sector reform');
insert into marts.source_health values
    ('partnersglobal', 'fresh', 0.2, '2026-11-20', 15, 15, []),
    ('ti_cpi', 'overdue', 16.0, '2026-11-01', 40, 3717,
        ['layout change? items fell under half the trailing median']);
insert into marts.fct_articles values
    ('a1', 'partnersglobal', 'https://www.partnersglobal.org/a1', 'Police <script>x</script>',
        '2020-05-26', null),
    ('a2', 'partnersglobal', 'javascript:alert(1)', 'Not a link', null, null);
insert into marts.bridge_article_countries values ('a1', 'GIN', true), ('a2', 'GIN', false);
insert into marts.bridge_article_topics values ('a1', 'security_sector');
insert into marts.fct_program_figures values
    ('a1', 1, 'partnersglobal', 'GIN', '2020-05-26', 'programme_output', 1600,
        'more than 1,600 police officers', 'police officers', 'trained', 'It trained them.');
insert into marts.fct_indicator_values values
    ('cpi_score', 'GIN', 2021, 25, '2023-01-31', 'ti_cpi'),
    ('cpi_score', 'GIN', 2022, 25.5, '2023-01-31', 'ti_cpi'),
    ('cpi_score', 'FRA', 2022, 72, '2023-01-31', 'ti_cpi');
"""


def summary(ds: str, status: str) -> dict[str, object]:
    return {"source": "ti_cpi", "entity": "indicator_values", "ds": ds, "status": status}


@pytest.fixture
def warehouse(settings: Settings) -> Settings:
    """The `settings` data folder with a small warehouse and two nights of ti_cpi runs."""
    settings.data_root.mkdir(parents=True)
    with duckdb.connect(str(settings.warehouse_path)) as connection:
        connection.execute(TABLES)
    runs = settings.runs_root / "ti_cpi"
    runs.mkdir(parents=True)
    (runs / "2026-11-19.json").write_text(json.dumps(summary("2026-11-19", "published")))
    (runs / "2026-11-20.json").write_text(json.dumps(summary("2026-11-20", "failed")))
    (runs / "2026-11-21.json").write_text('{"source": "ti_cpi", "ds": ')  # torn
    return settings


def test_pages_for_countries_with_news_or_values_and_for_sources(warehouse: Settings) -> None:
    index = render_site(warehouse)
    site = index.parent
    assert sorted(p.name for p in (site / "countries").iterdir()) == ["FRA.html", "GIN.html"]
    assert sorted(p.name for p in (site / "sources").iterdir()) == [
        "partnersglobal.html",
        "ti_cpi.html",
    ]
    html = index.read_text()
    assert 'href="countries/GIN.html"' in html and 'id="search"' in html
    assert (site / "static" / "chart.umd.min.js").is_file()
    assert not (site / "static" / "README.md").exists()


def test_country_page_headlines_the_latest_value_and_escapes_the_news(warehouse: Settings) -> None:
    page = (render_site(warehouse).parent / "countries" / "GIN.html").read_text()
    headline = page.split('id="indicators"')[1].split('id="trends"')[0]
    assert "25.5" in headline and "2022" in headline and "higher is better" in headline
    assert "<script>x</script>" not in page and "Police &lt;script&gt;" in page
    assert "javascript:" not in page  # shown as text, never as a link
    assert "mentioned only" in page and "more than 1,600 police officers" in page
    (charts,) = re.findall(r'id="chart-data">(.*?)</script>', page, re.DOTALL)
    (cpi,) = json.loads(charts)
    assert [point["x"] for point in cpi["series"][0]["points"]] == [2021, 2022]


def test_every_asset_and_link_is_relative(warehouse: Settings) -> None:
    site = render_site(warehouse).parent
    for page in site.rglob("*.html"):
        html = page.read_text()
        assert not re.search(r'(src|href)="(//|https?://)[^"]*\.(js|css)', html), page
        assert 'href="/' not in html and 'src="/' not in html, page


def test_run_history_is_newest_first_and_last_success_skips_failures(
    warehouse: Settings,
) -> None:
    runs = run_history(warehouse.runs_root)["ti_cpi"]
    assert [run["ds"] for run in runs] == ["2026-11-20", "2026-11-19"]  # the torn one left out
    assert runs[0]["fetched"] == 0  # counters a summary lacks read as their defaults
    assert last_success(runs) == "2026-11-19"
    page = (render_site(warehouse).parent / "sources" / "ti_cpi.html").read_text()
    assert "Last success</dt><dd>2026-11-19" in page
    assert '<span class="badge">overdue</span> (16.0 days since its last success' in page
    assert "<li>layout change? items fell under half the trailing median</li>" in page


def test_a_render_replaces_the_site_whole_or_not_at_all(warehouse: Settings) -> None:
    index = render_site(warehouse)
    render_site(warehouse)
    assert [p.name for p in warehouse.reports_root.iterdir()] == ["site"]

    with duckdb.connect(str(warehouse.warehouse_path)) as connection:
        connection.execute("insert into marts.bridge_article_countries values ('a1', '../X', true)")
    with pytest.raises(ValueError, match="not a safe page name"):
        render_site(warehouse)
    assert [p.name for p in warehouse.reports_root.iterdir()] == ["site"]
    assert (index.parent / "countries" / "GIN.html").is_file()
    assert not (index.parent / "countries" / "X.html").exists()
