{#-
    Versions of each article: a sighting starts a new version when its content differs from
    the article's previous sighting (so an edit reverted later is a third version, not the
    first again). A version is valid from its first fetch until the next version's.
    Versions are found on the narrow columns; only their own rows are read whole.

    Incremental: a build reads each source's run days after its latest version's, and
    rebuilds only the articles seen there with content other than their current version's,
    from their versions so far plus the new sightings.
-#}
-- depends_on: {{ ref('stg_articles') }}
{{
    config(
        materialized='incremental',
        unique_key='article_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}

{%- set new_days = landed_days(ref('stg_articles'), this, 'first_seen_ds')
    if is_incremental() else 'true' %}

with

sightings as (

    -- a scan of its own: the narrow columns of every new sighting, never the bodies
    select
        article_id,
        content_hash,
        fetched_at,
        ds
    from {{ ref('stg_articles') }}
    where {{ new_days }}

),

landed as (

    -- the whole rows, read only for the sightings that start a version
    select * from {{ ref('stg_articles') }}
    where {{ new_days }}

),

{%- if is_incremental() %}

    changed as (

        select distinct sightings.article_id
        from sightings
        left join {{ this }} as built
            on sightings.article_id = built.article_id and built.is_current
        where built.content_hash is distinct from sightings.content_hash

    ),

    history as (

        select
            article_id,
            content_hash,
            valid_from as fetched_at,
            first_seen_ds as ds,
            true as is_built
        from {{ this }}
        where article_id in (select changed.article_id from changed)
        union all
        select
            *,
            false as is_built
        from sightings
        where article_id in (select changed.article_id from changed)

    ),

{%- else %}

history as (

    select *, false as is_built
    from sightings

),

{%- endif %}

compared as (

    select
        *,
        lag(content_hash) over (
            partition by article_id order by fetched_at, ds
        ) as previous_content_hash

    from history

),

numbered as (

    select
        article_id,
        ds,
        is_built,
        row_number() over (partition by article_id order by fetched_at, ds) as version_number,
        lead(fetched_at) over (partition by article_id order by fetched_at, ds) as valid_to

    from compared
    where previous_content_hash is distinct from content_hash

),

started as (

    -- each version's own row: from the landed sighting that started it, or as built
    select
        numbered.article_id,
        numbered.version_number,
        numbered.valid_to,
        landed.* exclude (article_id, fetched_at, ds),  -- noqa: RF02
        landed.fetched_at as valid_from,
        landed.ds as first_seen_ds

    from numbered
    inner join landed
        on numbered.article_id = landed.article_id and numbered.ds = landed.ds
    where not numbered.is_built

    {%- if is_incremental() %}

        union all by name

        select
            numbered.article_id,
            numbered.version_number,
            numbered.valid_to,
            built.* exclude (
                article_version_id, article_id, version_number, valid_to, is_current  -- noqa: RF02
            )

        from numbered
        inner join {{ this }} as built
            on numbered.article_id = built.article_id and numbered.ds = built.first_seen_ds
        where numbered.is_built

    {%- endif %}

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
    valid_from,
    valid_to,
    valid_to is null as is_current,
    extractor,
    warc_record_id,
    first_seen_ds

from started
