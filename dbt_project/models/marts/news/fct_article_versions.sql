select * from {{ ref('int_article_versions') }}
