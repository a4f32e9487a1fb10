{#-
    One row per country and year that has any article about it or any headline indicator
    value: what the organisations reported beside how the indices measured the country.
    Each indicator column holds the latest release's value, next to that release's vintage.
-#}
{%- set indicators = [
    ('cpi_score', 'cpi_score'),
    ('wgi_voice_accountability', 'GOV_WGI_VA.EST'),
    ('wgi_political_stability', 'GOV_WGI_PV.EST'),
    ('wgi_government_effectiveness', 'GOV_WGI_GE.EST'),
    ('wgi_regulatory_quality', 'GOV_WGI_RQ.EST'),
    ('wgi_rule_of_law', 'GOV_WGI_RL.EST'),
    ('wgi_control_of_corruption', 'GOV_WGI_CC.EST'),
    ('wbl_index', 'SG.LAW.INDX'),
    ('hdi', 'hdi'),
    ('gii', 'gii'),
    ('fsi_total', 'fsi_total'),
    ('battle_deaths', 'ucdp_battle_deaths'),
    ('gdp_per_capita_usd', 'NY.GDP.PCAP.CD'),
    ('population', 'SP.POP.TOTL'),
    ('women_in_parliament_pct', 'SG.GEN.PARL.ZS'),
] -%}

with

articles as (

    select
        article_id,
        source_id,
        year(coalesce(published_date, updated_date)) as year  -- noqa: RF04
    from {{ ref('fct_articles') }}
    where coalesce(published_date, updated_date) is not null

),

about as (

    select
        article_id,
        country_iso3
    from {{ ref('bridge_article_countries') }}
    where is_about

),

topics as (

    select
        article_id,
        topic_id
    from {{ ref('bridge_article_topics') }}

),

figures as (

    select * from {{ ref('fct_program_figures') }}
    where kind = 'programme_output' and country_iso3 is not null and year is not null

),

indicator_values as (

    select * from {{ ref('fct_indicator_values') }}

),

article_counts as (

    select
        about.country_iso3,
        articles.year,
        count(*) as articles,
        histogram(articles.source_id) as articles_by_source

    from about
    inner join articles on about.article_id = articles.article_id
    group by about.country_iso3, articles.year

),

topic_counts as (

    select
        about.country_iso3,
        articles.year,
        histogram(topics.topic_id) as articles_by_topic

    from about
    inner join articles on about.article_id = articles.article_id
    inner join topics on about.article_id = topics.article_id
    group by about.country_iso3, articles.year

),

output_totals as (

    select
        country_iso3,
        year,
        noun,
        sum(value) as total

    from figures
    group by country_iso3, year, noun

),

outputs as (

    select
        country_iso3,
        year,
        map_from_entries(list((noun, total) order by noun)) as programme_outputs

    from output_totals
    group by country_iso3, year

),

indicator_columns as (

    select
        country_iso3,
        year,
    {%- for column, indicator_id in indicators %}
        max(value) filter (where indicator_id = '{{ indicator_id }}') as {{ column }},
        max(vintage) filter (
            where indicator_id = '{{ indicator_id }}'
        ) as {{ column }}_vintage{{ "," if not loop.last }}  -- noqa: LT02
    {%- endfor %}

    from indicator_values
    where
        indicator_id in (
            {%- for _, indicator_id in indicators %}
                '{{ indicator_id }}'{{ "," if not loop.last }}
            {%- endfor %}
        )
    group by country_iso3, year

),

country_years as (

    select
        country_iso3,
        year
    from article_counts
    union
    select
        country_iso3,
        year
    from indicator_columns

)

select
    country_years.country_iso3 || '-' || country_years.year as country_year_id,
    country_years.country_iso3,
    country_years.year,
    coalesce(article_counts.articles, 0) as articles,
    coalesce(article_counts.articles_by_source, map()) as articles_by_source,
    coalesce(topic_counts.articles_by_topic, map()) as articles_by_topic,
    coalesce(outputs.programme_outputs, map()) as programme_outputs,
    {%- for column, _ in indicators %}
        indicator_columns.{{ column }},
        indicator_columns.{{ column }}_vintage,
    {%- endfor %}
    list_filter([
        {%- for column, _ in indicators %}
            if(indicator_columns.{{ column }} is not null, '{{ column }}', null)
            {{- "," if not loop.last }}
        {%- endfor %}
    ], lambda x: x is not null) as coverage  -- noqa: RF02

from country_years
left join article_counts
    on
        country_years.country_iso3 = article_counts.country_iso3
        and country_years.year = article_counts.year
left join topic_counts
    on
        country_years.country_iso3 = topic_counts.country_iso3
        and country_years.year = topic_counts.year
left join outputs
    on
        country_years.country_iso3 = outputs.country_iso3
        and country_years.year = outputs.year
left join indicator_columns
    on
        country_years.country_iso3 = indicator_columns.country_iso3
        and country_years.year = indicator_columns.year
