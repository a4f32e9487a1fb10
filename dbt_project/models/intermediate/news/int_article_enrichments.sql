{#-
    Each article's current version with what `civicpulse.enrich` found in it: the nested
    lists the bridges and `fct_program_figures` unnest, and the article's primary country.

    Incremental: a build rewrites only the articles whose current content or enrichment
    differs from what this table holds (a new enricher version re-tags every article).
-#}
{{
    config(
        materialized='incremental',
        unique_key='article_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}

with

versions as (

    select
        article_id,
        source_id,
        content_hash,
        published_date,
        updated_date
    from {{ ref('int_article_versions') }}
    where is_current

),

enrichments as (

    select * from {{ ref('stg_article_enrichments') }}

),

current_enrichments as (

    select
        versions.*,
        enrichments.* exclude (content_hash)  -- noqa: RF02
    from versions
    -- an article whose content is not enriched (yet) keeps a row, with no tags
    left join enrichments on versions.content_hash = enrichments.content_hash
    {%- if is_incremental() %}
        left join {{ this }} as built on versions.article_id = built.article_id
        where
            built.content_hash is distinct from versions.content_hash
            or built.enricher_version is distinct from enrichments.enricher_version
    {%- endif %}

)

select
    current_enrichments.article_id,
    current_enrichments.source_id,
    current_enrichments.content_hash,
    coalesce(current_enrichments.published_date, current_enrichments.updated_date) as article_date,
    current_enrichments.enricher_version,
    current_enrichments.countries,
    current_enrichments.topics,
    current_enrichments.organisations,
    current_enrichments.figures,
    -- noqa: disable=RF01,RF02,RF03
    list_filter(countries, lambda c: c.is_primary)[1].iso3 as primary_country_iso3,
    list_transform(list_filter(countries, lambda c: c.is_about), lambda c: c.iso3)
        as country_iso3s,
    list_transform(topics, lambda t: t.topic_id) as topic_ids
    -- noqa: enable=RF01,RF02,RF03

from current_enrichments
