{#-
    Passes when every non-null value is exactly three upper-case ASCII letters,
    the shape of an ISO 3166-1 alpha-3 code (World Bank aggregates such as `WLD` included).
-#}
{% test is_iso3(model, column_name) %}

select {{ column_name }}
from {{ model }}
where not regexp_full_match({{ column_name }}, '[A-Z]{3}')

{% endtest %}
