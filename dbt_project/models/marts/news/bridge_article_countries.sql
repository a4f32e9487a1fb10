{#- Every country an article names, with the evidence; `is_about` marks its subjects. -#}

with

mentions as (

    select
        article_id,
        enricher_version,
        unnest(countries, max_depth := 2)  -- noqa: AL03
    from {{ ref('int_article_enrichments') }}

)

select
    md5(article_id || '|' || iso3) as article_country_id,
    article_id,
    iso3 as country_iso3,
    is_about,
    is_primary,
    relevance,
    score,
    mentions,
    sections,
    terms as evidence_terms,
    in_list_only,
    enricher_version

from mentions
