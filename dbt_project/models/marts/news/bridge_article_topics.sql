with

articles as (

    select
        article_id,
        content_hash
    from {{ ref('fct_articles') }}

),

enrichments as (

    select * from {{ ref('stg_article_enrichments') }}

),

tags as (

    select
        articles.article_id,
        enrichments.enricher_version,
        unnest(enrichments.topics) as topic

    from articles
    inner join enrichments on articles.content_hash = enrichments.content_hash

)

select
    md5(tags.article_id || '|' || topic.topic_id) as article_topic_id,
    tags.article_id,
    topic.topic_id,
    topic.score,
    topic.terms as matched_terms,
    tags.enricher_version

from tags
