{{ staging_indicator_values('fsi') }}
