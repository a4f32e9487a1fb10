{#- Listed organisations carry their `organisation_id`; names found by pattern only a name. -#}

with

named as (

    select
        article_id,
        enricher_version,
        unnest(organisations, max_depth := 2)  -- noqa: AL03
    from {{ ref('int_article_enrichments') }}

)

select
    md5(article_id || '|' || coalesce(organisation_id, name))
        as article_organisation_id,
    article_id,
    organisation_id,
    name as organisation_name,
    kind,
    organisation_id is not null as is_listed,
    mentions,
    terms as evidence_terms,
    enricher_version

from named
