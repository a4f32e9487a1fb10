{{ staging_indicator_values('worldbank_governance') }}
