"""A synthetic scale-up of the data folder, in the real landed schemas: articles of the
registry's news sources (bodies of realistic length, dates over 15 years, tagged over 60
countries, with their enrichment) and indicator values of its index sources over several
releases. `add_night` lands one more night: every article seen again, plus new ones.

DuckDB writes it all, so a million articles take seconds, not an hour of Python.

    .venv/bin/python benchmarks/scale_data.py /tmp/scale --articles 1000000 --values 5000000
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from civicpulse.enrichment import SCHEMA as ENRICHMENT_SCHEMA
from civicpulse.registry import load_sources
from civicpulse.schemas import SCHEMAS
from civicpulse.settings import REPO_ROOT

SEEDS = REPO_ROOT / "dbt_project" / "seeds"
FIRST_NIGHT = date(2026, 11, 30)
COUNTRIES = 60  # articles are tagged over this many countries


def generate(root: Path, articles: int, values: int) -> None:
    """Land the first night's snapshot of every source under `root` (a data folder)."""
    with duckdb.connect() as db:
        _lookups(db)
        sources = _sources("articles")
        for number, source in enumerate(sources):
            _land_articles(db, root, source, FIRST_NIGHT, number, len(sources), articles)
            print(f"  {source}: articles landed", flush=True)
        _write_enrichments(db, root, articles)
        _land_indicator_values(db, root, values)


def add_night(root: Path, new: int) -> str:
    """Land the next night: each news source's snapshot again (every article seen, none
    changed) plus `new` new articles; return the new run day."""
    night = FIRST_NIGHT + timedelta(days=1)
    articles = _article_count(root)
    sources = _sources("articles")
    with duckdb.connect() as db:
        _lookups(db)
        for number, source in enumerate(sources):
            _land_articles(db, root, source, night, number, len(sources), articles + new)
        _write_enrichments(db, root, articles + new)
    return night.isoformat()


def _sources(entity: str) -> list[str]:
    return [s.name for s in load_sources() if s.entity == entity]


def _lookups(db: duckdb.DuckDBPyConnection) -> None:
    """Sentences of real prose (the seeds' descriptions and notes) to draw bodies from, and
    the countries, topics, organisations and indicators to tag and measure."""
    prose = []
    for name, column in (("topics.csv", "description"), ("indicators.csv", "methodology_note")):
        with (SEEDS / name).open(encoding="utf-8") as handle:
            prose += [row[column] for row in csv.DictReader(handle) if row[column]]
    words = " ".join(prose).split()
    rng = random.Random(20261201)
    sentences = [
        " ".join(rng.choice(words) for _ in range(rng.randint(8, 32))).capitalize() + "."
        for _ in range(5000)
    ]
    db.execute("create table sentences as select unnest(?::varchar[]) as sentence", [sentences])
    db.execute("create table pool as select list(sentence) as sentences from sentences")
    db.execute(
        f"create table countries as select iso3, name_en, row_number() over () - 1 as n "
        f"from read_csv('{SEEDS / 'countries.csv'}', all_varchar = true) "
        f"where region is not null"
    )
    db.execute(f"create table topics as select list(topic_id) as ids from '{SEEDS / 'topics.csv'}'")
    db.execute(
        "create table organisations as select list(organisation_id) as ids, list(name) as names "
        f"from read_csv('{SEEDS / 'organisations.csv'}', all_varchar = true)"
    )
    db.execute(
        "create table indicators as select indicator_id, source_id, "
        "coalesce(scale_min::double, 0) as low, coalesce(scale_max::double, 100) as high, "
        "row_number() over (order by indicator_id) - 1 as n "
        f"from read_csv('{SEEDS / 'indicators.csv'}', all_varchar = true) "
        "where source_id is not null"
    )


def _article_rows(first: int, count: int, number: int, of: int) -> str:
    """SQL for articles `first`..`first+count` of source `number` (every `of`-th id)."""
    return f"""
        select
            i,
            'https://scale.example.org/news/' || i as url,
            'Programme update ' || i as title,
            date '2011-01-01' + (hash(i, 'date') % 5475)::int as published_date,
            array_to_string(
                list_transform(
                    range(4 + (-ln(1 - (hash(i, 'length') % 10000) / 10000.0) * 22)::int),
                    lambda k: pool.sentences[1 + (hash(i, k) % 5000)::int]
                ),
                ' '
            ) as body
        from range({first + number}, {first + count}, {of}) as ids (i), pool
    """


def _land_articles(
    db: duckdb.DuckDBPyConnection,
    root: Path,
    source: str,
    night: date,
    number: int,
    of: int,
    count: int,
) -> None:
    folder = root / "raw" / source / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{night.isoformat()}.parquet"
    db.execute(f"""
        copy (
            select
                '{source}' as source_id,
                url,
                title,
                published_date,
                null::date as updated_date,
                ['Staff'] as authors,
                'en' as language,
                ['en'] as languages,
                'news' as content_type,
                ['programme'] as tags,
                body,
                left(body, 200) as summary,
                'civicpulse.extract/scale' as extractor,
                'structured_data' as title_source,
                'structured_data' as date_source,
                'selectors' as body_source,
                null::varchar as etag,
                null::varchar as last_modified,
                left(md5(i::varchar), 16) as content_hash,
                timestamptz '{night.isoformat()} 02:00:00+00' as fetched_at,
                '<urn:uuid:' || uuid() || '>' as warc_record_id,
                '{night.isoformat()}' as ds
            from ({_article_rows(0, count, number, of)})
        ) to '{path}' (format parquet, row_group_size 100000)
    """)
    _conform(path, "articles")


def _article_count(root: Path) -> int:
    return int((root / "scale.txt").read_text().split()[0])


def _write_enrichments(db: duckdb.DuckDBPyConnection, root: Path, total: int) -> None:
    """Each article's enrichment: 1 to 3 of the first 60 countries (one primary), 0 to 3
    topics, 0 to 2 organisations, and a programme figure in one article of four."""
    path = root / "derived" / "article_enrichments.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(".article_enrichments.parquet.tmp")
    db.execute(f"""
        copy (
            select
                left(md5(i::varchar), 16) as content_hash,
                'enrich-scale' as enricher_version,
                now() as enriched_at,
                list_transform(
                    range(1 + (hash(i, 'countries') % 3)::int),
                    lambda k: {{
                        'iso3': tagged.iso3s[1 + ((hash(i, 'country') + k * 7) % {COUNTRIES})::int],
                        'mentions': 2::int, 'sections': ['body'], 'terms': ['term'],
                        'score': 2.0, 'relevance': 1.0, 'is_about': true,
                        'is_primary': k = 0, 'in_list_only': false
                    }}
                ) as countries,
                list_transform(
                    range((hash(i, 'topics') % 4)::int),
                    lambda k: {{
                        'topic_id': topics.ids[1 + ((hash(i) + k) % len(topics.ids))::int],
                        'score': 3.0, 'terms': ['term']
                    }}
                ) as topics,
                list_transform(
                    range((hash(i, 'organisations') % 3)::int),
                    lambda k: {{
                        'organisation_id': organisations.ids[1 + k],
                        'name': organisations.names[1 + k],
                        'kind': 'implementer', 'mentions': 1::int, 'terms': ['term']
                    }}
                ) as organisations,
                list_transform(
                    range(case when hash(i, 'figures') % 4 = 0 then 1 else 0 end),
                    lambda k: {{
                        'value': (hash(i, k) % 5000)::double, 'qualifier': 'exact',
                        'noun': 'people', 'verb': 'train', 'kind': 'programme_output',
                        'text': 'people', 'sentence': 'People were trained.', 'section': 'body'
                    }}
                ) as figures
            from range({total}) as ids (i), topics, organisations, (
                select list(iso3 order by n) as iso3s from countries where n < {COUNTRIES}
            ) as tagged
        ) to '{staged}' (format parquet)
    """)
    _conform(staged, None)
    staged.replace(path)
    (root / "scale.txt").write_text(f"{total} articles\n")


def _land_indicator_values(db: duckdb.DuckDBPyConnection, root: Path, values: int) -> None:
    """`values` observations: every indicator of the seed, 200 countries, years from 1990,
    over as many releases (vintages) as it takes; each source's in its own file."""
    (indicators,) = db.execute("select count(*) from indicators").fetchone() or (0,)
    per_release = indicators * 200 * 36
    db.execute(f"""
        create table observations as
        select
            indicators.source_id,
            indicators.indicator_id,
            countries.iso3 as country,
            'iso3' as country_scheme,
            countries.name_en as country_name,
            countries.iso3 as country_iso3,
            (1990 + (i // {indicators * 200}) % 36)::int as year,
            low + (hash(i) % 10001) / 10000.0 * (high - low) as value,
            (2010 + i // {per_release})::varchar as vintage,
            'https://scale.example.org/releases/' || indicators.source_id as url,
            left(md5(i::varchar), 16) as content_hash,
            timestamptz '{FIRST_NIGHT.isoformat()} 03:00:00+00' as fetched_at,
            '<urn:uuid:' || uuid() || '>' as warc_record_id,
            '{FIRST_NIGHT.isoformat()}' as ds
        from range({values}) as ids (i)
        join indicators on indicators.n = i % {indicators}
        join countries on countries.n = (i // {indicators}) % 200
    """)
    for (source,) in db.execute("select distinct source_id from observations").fetchall():
        folder = root / "raw" / source / "indicator_values"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{FIRST_NIGHT.isoformat()}.parquet"
        db.execute(
            f"copy (select * from observations where source_id = '{source}') to '{path}' "
            "(format parquet, row_group_size 100000)"
        )
        _conform(path, "indicator_values")
        print(f"  {source}: indicator values landed", flush=True)


def _conform(path: Path, entity: str | None) -> None:
    """Cast the file to the exact landed schema (Arrow types, nullability, field order)."""
    schema = SCHEMAS[entity] if entity else ENRICHMENT_SCHEMA
    table = pq.read_table(path).select(schema.names).cast(schema)
    pq.write_table(table, path, row_group_size=100_000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="data folder to fill (created)")
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--values", type=int, default=5_000_000)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generate(args.root, args.articles, args.values)
    print(f"generated in {time.perf_counter() - started:.0f} s: {args.root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
