-- Every served value lies within its indicator's declared scale (dim_indicators); an unbounded
-- side (null) is not checked.
select
    fct.indicator_id,
    fct.country_iso3,
    fct.year,
    fct.value,
    dim.scale_min,
    dim.scale_max

from {{ ref('fct_indicator_value_history') }} as fct
inner join {{ ref('dim_indicators') }} as dim on fct.indicator_id = dim.indicator_id
where fct.value < dim.scale_min or fct.value > dim.scale_max
