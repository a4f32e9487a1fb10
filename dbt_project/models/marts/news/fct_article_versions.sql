{#- A view: the versions are stored once, in `int_article_versions`. -#}
{{ config(materialized='view') }}

select * from {{ ref('int_article_versions') }}
