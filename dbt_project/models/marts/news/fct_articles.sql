with

versions as (

    select * from {{ ref('int_article_versions') }}

)

select
    article_id,
    source_id,
    url,
    title,
    published_date,
    updated_date,
    date_source,
    authors,
    language,
    languages,
    content_type,
    tags,
    body,
    summary,
    version_number,
    valid_from as fetched_at,
    extractor,
    warc_record_id

from versions
where is_current
