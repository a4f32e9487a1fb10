{{ staging_articles('usip') }}
