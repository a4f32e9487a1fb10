{#- The country crosswalk: generated from maintained libraries (seeds/countries.csv, `make
    countries`), corrected by the reviewed seeds/country_exceptions.csv. -#}

with

countries as (

    select * from {{ ref('countries') }}

),

exceptions as (

    select * from {{ ref('country_exceptions') }}

),

gw_corrections as (

    select
        iso3,
        min(value) as gw_code

    from exceptions
    where scheme = 'gw' and kind = 'correction'
    group by iso3

),

aliases as (

    select
        iso3,
        list(value order by value) as aliases

    from exceptions
    where kind = 'alias' and scheme in ('iso3', 'name')
    group by iso3

)

select
    countries.iso3 as country_iso3,
    countries.iso2 as country_iso2,
    countries.iso_numeric,
    coalesce(gw_corrections.gw_code, countries.gw_code) as gw_code,
    countries.name_en,
    coalesce(countries.name_fr, countries.name_en) as name_fr,
    coalesce(countries.name_es, countries.name_en) as name_es,
    coalesce(aliases.aliases, []) as aliases,
    countries.name_regex,
    countries.region,
    countries.subregion,
    countries.income_group

from countries
left join gw_corrections on countries.iso3 = gw_corrections.iso3
left join aliases on countries.iso3 = aliases.iso3
