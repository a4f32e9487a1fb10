-- Programme outputs the articles state, summed by country, year and what was counted.
select
    country_iso3,
    year,
    noun,
    sum(value) as total,
    count(*) as figures,
    list(figure_text) as as_written
from marts.fct_program_figures
where kind = 'programme_output' and country_iso3 is not null
group by country_iso3, year, noun
order by country_iso3 asc, year asc, total desc;
