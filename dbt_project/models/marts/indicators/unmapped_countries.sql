{#- Countries as a source published them that no crosswalk entry matched: fix them with a row in
    seeds/country_exceptions.csv. Their values are kept in the raw files, never dropped. -#}

with

observations as (

    select * from {{ ref('int_indicator_sightings') }}
    where country_iso3 is null

)

select
    source_id,
    country_scheme,
    country,
    any_value(country_name) as country_name,
    count(distinct observation_id) as observations,
    min(year) as first_year,
    max(year) as last_year

from observations
group by source_id, country_scheme, country
