{#- Countries as a source published them that no crosswalk entry matched: fix them with a row in
    seeds/country_exceptions.csv. Their values are kept in the raw files, never dropped. -#}

with

observations as (

    select * from {{ ref('int_indicator_values') }}

)

select
    source_id,
    country_scheme,
    country,
    any_value(country_name) as country_name,
    count(*) as observations,
    min(year) as first_year,
    max(year) as last_year

from observations
where country_iso3 is null
group by source_id, country_scheme, country
