with

sightings as (

    select * from {{ ref('stg_indicator_values') }}

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
