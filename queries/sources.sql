-- The registry beside what each source has delivered.
select
    sources.source_id,
    sources.entity,
    sources.cadence,
    sources.suite,
    count(distinct articles.article_id) as articles,
    count(distinct indicators.indicator_value_version_id) as indicator_values
from marts.dim_sources as sources
left join marts.fct_articles as articles on sources.source_id = articles.source_id
left join marts.fct_indicator_value_history as indicators
    on sources.source_id = indicators.source_id
group by all
order by sources.entity, sources.source_id;
