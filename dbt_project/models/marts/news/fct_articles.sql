with

versions as (

    select * from {{ ref('int_article_versions') }}
    where is_current

),

enrichments as (

    select * from {{ ref('stg_article_enrichments') }}

),

tagged as (

    -- the countries the article is about (most relevant first) and its topics, for filtering
    select
        enrichments.content_hash,
        enrichments.enricher_version,
        -- noqa: disable=RF02,RF03
        list_filter(enrichments.countries, lambda c: c.is_primary)[1].iso3
            as primary_country_iso3,
        list_transform(
            list_filter(enrichments.countries, lambda c: c.is_about), lambda c: c.iso3
        ) as country_iso3s,
        list_transform(enrichments.topics, lambda t: t.topic_id) as topic_ids
        -- noqa: enable=RF02,RF03

    from enrichments

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
    tagged.primary_country_iso3,
    coalesce(tagged.country_iso3s, []) as country_iso3s,
    coalesce(tagged.topic_ids, []) as topic_ids,
    versions.version_number,
    versions.valid_from as fetched_at,
    versions.content_hash,
    versions.extractor,
    tagged.enricher_version,
    versions.warc_record_id

from versions
left join tagged on versions.content_hash = tagged.content_hash
