{#-
    Every release's value for each indicator, country and year, side by side: a revision in a
    later release is a new row, the earlier one stays. `is_latest` marks what
    `fct_indicator_values` serves.
-#}

with

observations as (

    select * from {{ ref('int_indicator_values') }}

),

indicators as (

    select * from {{ ref('dim_indicators') }}

),

mapped as (

    select *
    from observations
    where
        country_iso3 is not null  -- the rest is listed in `unmapped_countries`
        and value is not null

),

ranked as (

    select
        *,
        row_number() over (
            partition by indicator_id, country_iso3, year
            order by vintage desc, retrieved_at desc
        ) = 1 as is_latest

    from mapped

)

select
    md5(concat_ws('|', ranked.indicator_id, ranked.country_iso3, ranked.year, ranked.vintage))
        as indicator_value_version_id,
    ranked.indicator_id,
    ranked.country_iso3,
    ranked.year,
    ranked.value,
    ranked.vintage,
    ranked.is_latest,
    (
        indicators.comparable_to is null
        and ranked.year >= coalesce(indicators.comparable_from, ranked.year)
    ) as is_comparable_with_current_method,
    ranked.source_id,
    ranked.country as source_country,
    ranked.country_scheme as source_country_scheme,
    ranked.retrieved_at,
    ranked.url,
    ranked.warc_record_id

from ranked
left join indicators on ranked.indicator_id = indicators.indicator_id
