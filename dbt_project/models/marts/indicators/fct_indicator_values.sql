with

history as (

    select * from {{ ref('fct_indicator_value_history') }}

)

select * exclude (indicator_value_version_id, is_latest)
from history
where is_latest
