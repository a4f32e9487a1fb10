{#-
    Every observation of every index source, once per run day it was seen (each run day
    lands a full snapshot). A source listed in the `staging_overrides` var is staged by its
    own model instead, which returns these columns.
-#}
{%- set configured = var('staging_overrides', {}) -%}
{%- set overrides = configured['indicator_values'] if configured is mapping else {} -%}

with

source as (

    select * from {{ source('raw', 'indicator_values') }}
    {%- if overrides %}
        where source_id not in ('{{ overrides.keys() | join("', '") }}')
    {%- endif %}

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

),

staged as (

    select * from renamed
    {%- for model in overrides.values() %}
        union all by name
        select * from {{ ref(model) }}
    {%- endfor %}

)

select * from staged
