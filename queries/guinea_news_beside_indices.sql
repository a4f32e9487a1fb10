-- What the organisations reported about Guinea, year by year, beside its scores.
select
    year,
    articles,
    articles_by_topic,
    programme_outputs,
    cpi_score,
    wgi_rule_of_law,
    wgi_control_of_corruption,
    hdi
from marts.country_year_panel
where country_iso3 = 'GIN' and year between 2017 and 2021
order by year;
