{#- Every country an article names, with the evidence; `is_about` marks its subjects. -#}

with

articles as (

    select
        article_id,
        content_hash
    from {{ ref('fct_articles') }}

),

enrichments as (

    select * from {{ ref('stg_article_enrichments') }}

),

mentions as (

    select
        articles.article_id,
        enrichments.enricher_version,
        unnest(enrichments.countries) as country

    from articles
    inner join enrichments on articles.content_hash = enrichments.content_hash

)

select
    md5(mentions.article_id || '|' || country.iso3) as article_country_id,
    mentions.article_id,
    country.iso3 as country_iso3,
    country.is_about,
    country.is_primary,
    country.relevance,
    country.score,
    country.mentions,
    country.sections,
    country.terms as evidence_terms,
    country.in_list_only,
    mentions.enricher_version

from mentions
