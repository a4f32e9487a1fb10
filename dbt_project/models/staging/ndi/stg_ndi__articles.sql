{{ staging_articles('ndi') }}
