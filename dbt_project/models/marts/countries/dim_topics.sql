select * from {{ ref('topics') }}
