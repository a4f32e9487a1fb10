{{ staging_indicator_values('acled') }}
