{{ staging_indicator_values('ucdp_ged') }}
