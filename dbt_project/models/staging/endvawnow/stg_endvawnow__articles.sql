{{ staging_articles('endvawnow') }}
