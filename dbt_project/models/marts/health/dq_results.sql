{#- Every expectation of every batch validation, so analysts can query quality over time. -#}

select
    md5(concat_ws('|', source_id, table_name, ds, expectation, kwargs)) as dq_result_id,
    source_id,
    table_name,
    ds as run_ds,
    validated_at,
    suite,
    expectation,
    column_name,
    kwargs,
    policy,
    success,
    observed_value,
    unexpected_count,
    unexpected_percent,
    records as batch_records,
    batch_outcome

from {{ ref('stg_dq_results') }}
