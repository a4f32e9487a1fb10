{{ staging_articles('partnersglobal') }}
