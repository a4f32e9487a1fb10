{#-
    The staging model of an article source: every article source lands the same columns
    (plugins/civicpulse/schemas.py), so each `stg_<source>__articles` is this one call.
    Each run day lands a full snapshot, so an article appears once per run day it was seen;
    `int_article_versions` turns these sightings into versions.
-#}
{% macro staging_articles(source_name) %}

with

source as (

    select * from {{ source(source_name, 'articles') }}

),

renamed as (

    select
        ---------- ids
        md5(source_id || url) as article_id,
        source_id,
        url,

        ---------- text
        title,
        body,
        summary,
        authors,
        tags,
        language,
        languages,
        content_type,
        content_hash,

        ---------- dates
        published_date,
        updated_date,
        fetched_at,

        ---------- lineage
        date_source,
        extractor,
        warc_record_id,
        ds

    from source

)

select * from renamed

{% endmacro %}
