{#- One staging model per article source: adding a source is one more `ref` in this list. -#}
{%- set article_models = [
    ref('stg_partnersglobal__articles'),
    ref('stg_ndi__articles'),
    ref('stg_usip__articles'),
    ref('stg_endvawnow__articles'),
] -%}

with

articles as (

    {% for article_model in article_models %}
        select
            article_id,
            source_id,
            url,
            title,
            published_date,
            updated_date,
            date_source,
            authors,
            language,
            languages,
            content_type,
            tags,
            body,
            summary,
            fetched_at,
            extractor,
            warc_record_id

        from {{ article_model }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from articles
