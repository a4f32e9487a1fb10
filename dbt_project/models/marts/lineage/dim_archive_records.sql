{#-
    Every archived HTTP response: the end of every row's provenance. Articles, their
    versions and indicator values carry the `warc_record_id` of the response they were read
    from; the record is at `record_offset` in `warc_file` (relative to the data folder).
-#}

select * from {{ ref('stg_archive_records') }}
