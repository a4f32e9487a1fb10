with

source as (

    select * from {{ source('derived', 'archive_records') }}

),

renamed as (

    select
        warc_record_id,
        warc_file,
        record_offset,
        target_uri,
        warc_date::timestamptz as archived_at,
        http_status,
        content_type,
        payload_bytes,
        payload_sha256

    from source

)

select * from renamed
