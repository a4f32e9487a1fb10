{#-
    Every observation once, as its latest retrieval says, from the first retrieval that said
    so (every run day lands a full snapshot, so an unchanged value is seen every day): the
    retrieval an incremental `fct_indicator_value_history` keeps, too.
-#}

with

sightings as (

    select * from {{ ref('int_indicator_sightings') }}

),

compared as (

    select
        *,
        lag(value) over (
            partition by observation_id order by retrieved_at, ds
        ) as previous_value

    from sightings

)

select * exclude (previous_value)
from compared
where previous_value is distinct from value
qualify row_number() over (partition by observation_id order by retrieved_at desc, ds desc) = 1
