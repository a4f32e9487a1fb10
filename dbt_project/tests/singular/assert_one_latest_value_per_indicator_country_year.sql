-- fct_indicator_values serves exactly one value per indicator, country and year.
select
    indicator_id,
    country_iso3,
    year,
    count(*) as releases

from {{ ref('fct_indicator_values') }}
group by indicator_id, country_iso3, year
having count(*) > 1
