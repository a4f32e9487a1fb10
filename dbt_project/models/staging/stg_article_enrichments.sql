{#- The enrichment of every current article content, nested (one list per kind of tag). -#}

with

source as (

    select * from {{ source('derived', 'article_enrichments') }}

),

renamed as (

    select
        content_hash,
        enricher_version,
        enriched_at,
        countries,
        topics,
        organisations,
        figures

    from source

)

select * from renamed
