{#-
    Figures stated in articles, one row each, placed in the article's primary country and
    year: programme outputs (what a programme did or reached) can be summed by counted noun;
    context figures are what the article cites about the world.
-#}

with

stated as (

    select
        article_id,
        source_id,
        primary_country_iso3,
        article_date,
        enricher_version,
        unnest(figures, max_depth := 2),  -- noqa: AL03
        generate_subscripts(figures, 1) as figure_number
    from {{ ref('int_article_enrichments') }}

)

select
    md5(article_id || '|' || figure_number) as figure_id,
    article_id,
    figure_number,
    source_id,
    primary_country_iso3 as country_iso3,
    article_date,
    year(article_date) as year,  -- noqa: RF04
    value,
    qualifier,
    noun,
    verb,
    kind,
    text as figure_text,
    sentence,
    section,
    enricher_version

from stated
