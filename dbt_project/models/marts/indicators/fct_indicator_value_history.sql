{#-
    Every release's value for each indicator, country and year, side by side: a revision in a
    later release is a new row, the earlier one stays. `is_latest` marks what
    `fct_indicator_values` serves.

    Incremental: a build reads the latest run day of each source that landed since the
    latest day its rows here came from, and rewrites the indicator, country and year keys
    where it finds a value this table does not hold yet. A value seen again keeps the row
    (and the retrieval) that first recorded it, as a full build does.
-#}
-- depends_on: {{ ref('stg_indicator_values') }}, {{ ref('int_indicator_sightings') }}
{{
    config(
        materialized='incremental',
        unique_key=['indicator_id', 'country_iso3', 'year'],
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}

with

{%- if is_incremental() %}

    sightings as (

        select * from {{ ref('int_indicator_sightings') }}
        where {{ landed_days(ref('stg_indicator_values'), this, 'landed_ds', latest_only=true) }}

    ),

    observations as (

        select *
        from sightings
        qualify
            row_number() over (
                partition by observation_id order by retrieved_at desc, ds desc
            ) = 1

    ),

{%- else %}

observations as (

    select * from {{ ref('int_indicator_values') }}

),

{%- endif %}

mapped as (

    select
        md5(concat_ws('|', indicator_id, country_iso3, year, vintage))
            as indicator_value_version_id,
        indicator_id,
        country_iso3,
        year,
        value,
        vintage,
        source_id,
        country as source_country,
        country_scheme as source_country_scheme,
        retrieved_at,
        ds as landed_ds,
        url,
        warc_record_id

    from observations
    where
        country_iso3 is not null  -- the rest is listed in `unmapped_countries`
        and value is not null

),

{%- if is_incremental() %}

    fresh as (

        select mapped.*
        from mapped
        left join {{ this }} as built
            on mapped.indicator_value_version_id = built.indicator_value_version_id
        where built.value is distinct from mapped.value

    ),

    candidates as (

        select * exclude (is_latest, is_comparable_with_current_method)
        from {{ this }}
        where
            (indicator_id, country_iso3, year) in (
                select (fresh.indicator_id, fresh.country_iso3, fresh.year) from fresh
            )
            and indicator_value_version_id not in (
                select fresh.indicator_value_version_id from fresh
            )
        union all by name
        select * from fresh

    ),

{%- else %}

candidates as (

    select * from mapped

),

{%- endif %}

ranked as (

    select
        *,
        row_number() over (
            partition by indicator_id, country_iso3, year
            order by vintage desc, retrieved_at desc
        ) = 1 as is_latest

    from candidates

),

indicators as (

    select * from {{ ref('dim_indicators') }}

)

select
    ranked.indicator_value_version_id,
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
    ranked.source_country,
    ranked.source_country_scheme,
    ranked.retrieved_at,
    ranked.landed_ds,
    ranked.url,
    ranked.warc_record_id

from ranked
left join indicators on ranked.indicator_id = indicators.indicator_id
