{#-
    Every sighting of every article source: one row per article and run day it was seen
    (each run day lands a full snapshot); `int_article_versions` turns sightings into
    versions. A source listed in the `staging_overrides` var is staged by its own model
    instead, which returns these columns.
-#}
{%- set configured = var('staging_overrides', {}) -%}
{%- set overrides = configured['articles'] if configured is mapping else {} -%}

with

source as (

    select * from {{ source('raw', 'articles') }}
    {%- if overrides %}
        where source_id not in ('{{ overrides.keys() | join("', '") }}')
    {%- endif %}

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
        body_source,
        extractor,
        warc_record_id,
        ds

    from source

),

staged as (

    select * from renamed
    {%- for model in overrides.values() %}
        union all by name
        select * from {{ ref(model) }}
    {%- endfor %}

)

select * from staged
