"""Article enrichment: the countries, topics, organisations and programme figures an article
states, found in its text with reviewed lookups (dbt seeds). Pure: text in, tags out."""
