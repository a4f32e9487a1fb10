{#-
    The staging model of an indicator source: every indicator source lands the same columns
    (plugins/civicpulse/schemas.py), so each `stg_<source>__indicator_values` is this one call.
    One row per observation and run day it was seen (each run day lands a full snapshot).
-#}
{% macro staging_indicator_values(source_name) %}

with

source as (

    select * from {{ source(source_name, 'indicator_values') }}

),

renamed as (

    select
        ---------- ids
        md5(
            concat_ws('|', source_id, indicator_id, country_scheme, country, year, vintage)
        ) as observation_id,
        source_id,
        indicator_id,

        ---------- country, as published and mapped
        country,
        country_scheme,
        country_name,
        country_iso3,

        ---------- numerics
        year,
        value,

        ---------- release and lineage
        vintage,
        fetched_at as retrieved_at,
        url,
        warc_record_id,
        content_hash,
        ds

    from source

)

select * from renamed

{% endmacro %}
