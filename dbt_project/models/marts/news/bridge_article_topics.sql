with

tags as (

    select
        article_id,
        enricher_version,
        unnest(topics, max_depth := 2)  -- noqa: AL03
    from {{ ref('int_article_enrichments') }}

)

select
    md5(article_id || '|' || topic_id) as article_topic_id,
    article_id,
    topic_id,
    score,
    terms as matched_terms,
    enricher_version

from tags
