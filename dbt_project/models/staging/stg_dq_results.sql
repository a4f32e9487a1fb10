with

source as (

    select * from {{ source('derived', 'dq_results') }}

),

renamed as (

    select
        source_id,
        table_name,
        ds,
        suite,
        validated_at::timestamptz as validated_at,
        batch_outcome,
        records,
        expectation,
        column_name,
        kwargs,
        policy,
        success,
        observed_value,
        unexpected_count,
        unexpected_percent

    from source

)

select * from renamed
