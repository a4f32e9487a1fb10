{#-
    Versions of each article: a sighting starts a new version when its content differs from
    the article's previous sighting (so an edit reverted later is a third version, not the
    first again). A version is valid from its first fetch until the next version's.
-#}

with

sightings as (

    select * from {{ ref('stg_articles') }}

),

compared as (

    select
        *,
        lag(content_hash) over (
            partition by article_id order by fetched_at, ds
        ) as previous_content_hash

    from sightings

),

changes as (

    select * exclude (previous_content_hash)
    from compared
    where previous_content_hash is distinct from content_hash

),

numbered as (

    select
        *,
        row_number() over (partition by article_id order by fetched_at, ds) as version_number,
        lead(fetched_at) over (partition by article_id order by fetched_at, ds) as valid_to

    from changes

)

select
    md5(article_id || ':' || version_number) as article_version_id,
    article_id,
    version_number,
    source_id,
    url,
    title,
    body,
    summary,
    authors,
    tags,
    language,
    languages,
    content_type,
    content_hash,
    published_date,
    updated_date,
    date_source,
    fetched_at as valid_from,
    valid_to,
    valid_to is null as is_current,
    extractor,
    warc_record_id

from numbered
