with

source as (

    select * from {{ source('worldbank_wdi', 'indicator_values') }}

),

latest as (

    -- each run day lands a full snapshot: keep the most recent sighting of each observation
    select * from source
    qualify
        row_number() over (
            partition by indicator_id, country_iso3, year
            order by fetched_at desc, ds desc
        ) = 1

),

renamed as (

    select
        ---------- ids
        md5(concat_ws('|', source_id, indicator_id, country_iso3, year)) as indicator_value_id,
        source_id,
        indicator_id,
        country_iso3,

        ---------- descriptions
        indicator_name,
        country_name,

        ---------- numerics
        year,
        value,

        ---------- dates
        source_updated_date,
        fetched_at,

        ---------- lineage
        url,
        warc_record_id,
        ds

    from latest

    -- the API returns null observations; if the latest snapshot has none, there is none
    where value is not null

)

select * from renamed
