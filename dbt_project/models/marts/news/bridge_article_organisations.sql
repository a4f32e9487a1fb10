{#- Listed organisations carry their `organisation_id`; programmes found by pattern only a name. -#}

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

named as (

    select
        articles.article_id,
        enrichments.enricher_version,
        unnest(enrichments.organisations) as organisation

    from articles
    inner join enrichments on articles.content_hash = enrichments.content_hash

)

select
    md5(named.article_id || '|' || coalesce(organisation.organisation_id, organisation.name))
        as article_organisation_id,
    named.article_id,
    organisation.organisation_id,
    organisation.name as organisation_name,
    organisation.kind,
    organisation.organisation_id is not null as is_listed,
    organisation.mentions,
    organisation.terms as evidence_terms,
    named.enricher_version

from named
