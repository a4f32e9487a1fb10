{#- One staging model per indicator source: adding a source is one more `ref` in this list. -#}
{%- set indicator_models = [
    ref('stg_worldbank_wdi__indicator_values'),
    ref('stg_worldbank_governance__indicator_values'),
    ref('stg_ti_cpi__indicator_values'),
    ref('stg_undp_hdr__indicator_values'),
    ref('stg_fsi__indicator_values'),
    ref('stg_ucdp_brd__indicator_values'),
    ref('stg_ucdp_ged__indicator_values'),
    ref('stg_acled__indicator_values'),
] -%}

with

sightings as (

    {% for indicator_model in indicator_models %}
        select * from {{ indicator_model }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

exceptions as (

    select * from {{ ref('country_exceptions') }}

),

observations as (

    -- every run day lands a full snapshot: one row per observation, from its latest retrieval
    select * exclude (ds)
    from sightings
    qualify row_number() over (partition by observation_id order by retrieved_at desc, ds desc) = 1

),

remapped as (

    -- a reviewed exception added after landing applies at once, without landing again
    select
        observations.observation_id,
        observations.source_id,
        observations.indicator_id,
        observations.country,
        observations.country_scheme,
        observations.country_name,
        case
            when exceptions.scheme is not null then exceptions.iso3
            else observations.country_iso3
        end as country_iso3,
        observations.year,
        observations.value,
        observations.vintage,
        observations.retrieved_at,
        observations.url,
        observations.warc_record_id,
        observations.content_hash

    from observations
    left join exceptions
        on
            observations.country_scheme = exceptions.scheme
            and lower(trim(observations.country)) = lower(trim(exceptions.value))

)

select * from remapped
