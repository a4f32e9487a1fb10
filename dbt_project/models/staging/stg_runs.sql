with

source as (

    select * from {{ source('derived', 'runs') }}

),

renamed as (

    select
        source_id,
        entity,
        ds,
        status,
        finished_at::timestamptz as finished_at,
        records,
        extracted,
        by_selectors,
        fetched,
        not_modified,
        retries,
        new,
        updated,
        failed,
        skipped,
        refused,
        quarantined,
        unmapped,
        detail

    from source

)

select * from renamed
