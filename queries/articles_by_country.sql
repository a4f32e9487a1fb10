-- Every article with the countries it is about (most relevant first) and its topics.
select
    countries.name_en as country,
    articles.published_date,
    articles.source_id,
    articles.title,
    tags.is_primary,
    articles.topic_ids
from marts.bridge_article_countries as tags
inner join marts.fct_articles as articles on tags.article_id = articles.article_id
inner join marts.dim_countries as countries on tags.country_iso3 = countries.country_iso3
where tags.is_about
order by country, articles.published_date;
