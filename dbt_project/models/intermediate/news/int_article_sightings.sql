{#- One staging model per article source: adding a source is one more `ref` in this list. -#}
{%- set article_models = [
    ref('stg_partnersglobal__articles'),
    ref('stg_ndi__articles'),
    ref('stg_usip__articles'),
    ref('stg_endvawnow__articles'),
] -%}

with

sightings as (

    {% for article_model in article_models %}
        select * from {{ article_model }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from sightings
