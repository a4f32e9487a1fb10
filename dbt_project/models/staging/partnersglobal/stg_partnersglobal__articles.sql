with

source as (

    select * from {{ source('partnersglobal', 'articles') }}

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
        content_type,
        content_hash,

        ---------- dates
        published_date,
        fetched_at,

        ---------- lineage
        extractor,
        warc_record_id,
        ds

    from source

    -- each run day lands a full snapshot: keep the most recent sighting of each article
    qualify row_number() over (partition by url order by fetched_at desc, ds desc) = 1

)

select * from renamed
