{#- Every sighting of every observation (once per run day), its country mapped. -#}

with

sightings as (

    select * from {{ ref('stg_indicator_values') }}

),

exceptions as (

    select * from {{ ref('country_exceptions') }}

),

remapped as (

    -- a reviewed exception added after landing applies at once, without landing again
    select
        sightings.observation_id,
        sightings.source_id,
        sightings.indicator_id,
        sightings.country,
        sightings.country_scheme,
        sightings.country_name,
        case
            when exceptions.scheme is not null then exceptions.iso3
            else sightings.country_iso3
        end as country_iso3,
        sightings.year,
        sightings.value,
        sightings.vintage,
        sightings.retrieved_at,
        sightings.url,
        sightings.warc_record_id,
        sightings.content_hash,
        sightings.ds

    from sightings
    left join exceptions
        on
            sightings.country_scheme = exceptions.scheme
            and lower(trim(sightings.country)) = lower(trim(exceptions.value))

)

select * from remapped
