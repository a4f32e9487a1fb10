select * from {{ ref('stg_sources') }}
