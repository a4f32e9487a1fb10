with

source as (

    select * from {{ source('derived', 'sources') }}

),

renamed as (

    select
        source_id,
        entity,
        adapter,
        url,
        hosts,
        cadence,
        has_body_selector,
        owner,
        license,
        description,
        suite

    from source

)

select * from renamed
