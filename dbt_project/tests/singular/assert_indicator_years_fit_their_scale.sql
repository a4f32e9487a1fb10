-- A year of an indicator on a wide scale (0–50 or more) whose values, across at least 20
-- countries, all fit within a tenth of it: the source published that year on another scale
-- (a CPI edition's 0–10 scores read as 0–100), though each value passes the range test alone.
select
    history.indicator_id,
    history.year,
    history.vintage,
    count(*) as countries,
    max(history.value) as highest,
    any_value(dim.scale_max) as scale_max

from {{ ref('fct_indicator_value_history') }} as history
inner join {{ ref('dim_indicators') }} as dim on history.indicator_id = dim.indicator_id
where dim.scale_max >= 50
group by history.indicator_id, history.year, history.vintage
having count(*) >= 20 and max(history.value) <= any_value(dim.scale_max) / 10
