{#-
    Each article's current version with what `civicpulse.enrich` found in it: the nested
    lists the bridges and `fct_program_figures` unnest, and the article's primary country.
-#}

with

versions as (

    select * from {{ ref('int_article_versions') }}
    where is_current

),

enrichments as (

    select * from {{ ref('stg_article_enrichments') }}

)

select
    versions.article_id,
    versions.source_id,
    versions.content_hash,
    coalesce(versions.published_date, versions.updated_date) as article_date,
    enrichments.enricher_version,
    enrichments.countries,
    enrichments.topics,
    enrichments.organisations,
    enrichments.figures,
    -- noqa: disable=RF01,RF02,RF03
    list_filter(enrichments.countries, lambda c: c.is_primary)[1].iso3
        as primary_country_iso3,
    list_transform(
        list_filter(enrichments.countries, lambda c: c.is_about), lambda c: c.iso3
    ) as country_iso3s,
    list_transform(enrichments.topics, lambda t: t.topic_id) as topic_ids
    -- noqa: enable=RF01,RF02,RF03

from versions
inner join enrichments on versions.content_hash = enrichments.content_hash
