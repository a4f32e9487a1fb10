{#-
    Figures stated in articles, one row each, placed in the article's primary country and
    year: programme outputs (what a programme did or reached) can be summed by counted noun;
    context figures are what the article cites about the world.
-#}

with

articles as (

    select * from {{ ref('fct_articles') }}

),

enrichments as (

    select * from {{ ref('stg_article_enrichments') }}

),

stated as (

    select
        articles.article_id,
        articles.source_id,
        articles.primary_country_iso3,
        coalesce(articles.published_date, articles.updated_date) as article_date,
        enrichments.enricher_version,
        unnest(enrichments.figures) as figure,
        generate_subscripts(enrichments.figures, 1) as figure_number

    from articles
    inner join enrichments on articles.content_hash = enrichments.content_hash

)

select
    md5(stated.article_id || '|' || stated.figure_number) as figure_id,
    stated.article_id,
    stated.figure_number,
    stated.source_id,
    stated.primary_country_iso3 as country_iso3,
    stated.article_date,
    year(stated.article_date) as year,  -- noqa: RF04
    figure.value,
    figure.qualifier,
    figure.noun,
    figure.verb,
    figure.kind,
    figure.text as figure_text,
    figure.sentence,
    figure.section,
    stated.enricher_version

from stated
