-- Where each programme figure came from: its article, and the archived response (WARC file
-- and byte offset, payload sha256) the article was extracted from.
select
    figures.country_iso3,
    figures.figure_text,
    articles.url,
    archive.warc_file,
    archive.record_offset,
    archive.http_status,
    left(archive.payload_sha256, 12) as sha256_prefix
from marts.fct_program_figures as figures
inner join marts.fct_articles as articles on figures.article_id = articles.article_id
inner join marts.dim_archive_records as archive
    on articles.warc_record_id = archive.warc_record_id
where figures.kind = 'programme_output'
order by figures.country_iso3, figures.figure_text;
