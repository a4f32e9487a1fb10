with

indicator_values as (

    select * from {{ ref('stg_worldbank_wdi__indicator_values') }}

),

final as (

    select
        indicator_value_id,
        source_id,
        indicator_id,
        indicator_name,
        country_iso3,
        country_name,
        year,
        value,
        source_updated_date,
        fetched_at,
        warc_record_id

    from indicator_values

)

select * from final
