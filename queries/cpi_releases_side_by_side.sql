-- Every release's CPI score for the programme countries: a revision is a new row.
select
    country_iso3,
    year,
    vintage,
    value,
    is_latest
from marts.fct_indicator_value_history
where indicator_id = 'cpi_score' and country_iso3 in ('GIN', 'BFA', 'IRQ', 'UZB', 'CHL')
order by country_iso3, year, vintage;
