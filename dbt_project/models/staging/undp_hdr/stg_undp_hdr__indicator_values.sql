{{ staging_indicator_values('undp_hdr') }}
