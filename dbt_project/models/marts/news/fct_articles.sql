{#-
    A view: each article's current version (stored once, in `int_article_versions`) with
    its tags (`int_article_enrichments`).
-#}
{{ config(materialized='view') }}

with

versions as (

    select * from {{ ref('int_article_versions') }}
    where is_current

),

enriched as (

    select * from {{ ref('int_article_enrichments') }}

)

select
    versions.article_id,
    versions.source_id,
    versions.url,
    versions.title,
    versions.published_date,
    versions.updated_date,
    versions.date_source,
    versions.authors,
    versions.language,
    versions.languages,
    versions.content_type,
    versions.tags,
    versions.body,
    versions.summary,
    enriched.primary_country_iso3,
    coalesce(enriched.country_iso3s, []) as country_iso3s,
    coalesce(enriched.topic_ids, []) as topic_ids,
    versions.version_number,
    versions.valid_from as fetched_at,
    versions.content_hash,
    versions.extractor,
    enriched.enricher_version,
    versions.warc_record_id

from versions
left join enriched
    on
        versions.article_id = enriched.article_id
        and versions.content_hash = enriched.content_hash
