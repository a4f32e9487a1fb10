{{ staging_indicator_values('ti_cpi') }}
