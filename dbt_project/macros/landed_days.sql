{% macro landed_days(landed, built, built_day, latest_only=false) %}
    {#-
        A predicate, of constants (so DuckDB skips other days' files from their statistics),
        selecting each source's run days in `landed` that the incremental model `built` has
        not read: those after the latest `built_day` of the source's rows there. With
        `latest_only`, only the latest such day: every run day lands a full snapshot, so it
        alone holds a source's current state.
    -#}
{%- if execute -%}
    {%- set days = run_query(
        'with landed as (select source_id, max(ds) as latest from ' ~ landed
        ~ ' group by source_id), built as (select source_id, max(' ~ built_day
        ~ ') as mark from ' ~ built ~ ' group by source_id)'
        ~ ' select landed.source_id, landed.latest, built.mark from landed'
        ~ ' left join built on landed.source_id = built.source_id order by 1'
    ) -%}
{%- set terms = [] -%}
{%- for source_id, latest, mark in days.rows -%}
{%- if mark is none or latest > mark -%}
{%- if latest_only -%}
                {%- do terms.append("(source_id = '" ~ source_id ~ "' and ds = '" ~ latest ~ "')") -%}
            {%- elif mark is none -%}
                {%- do terms.append("source_id = '" ~ source_id ~ "'") -%}
            {%- else -%}
                {%- do terms.append("(source_id = '" ~ source_id ~ "' and ds > '" ~ mark ~ "')") -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{- '(' ~ (terms | join(' or ')) ~ ')' if terms else 'false' -}}
    {%- else -%}
true
{%- endif -%}
{% endmacro %}
