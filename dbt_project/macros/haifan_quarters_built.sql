{#- A filter on a quarter column keeping the quarters of this build of the quarterly marts:
    those between the vars haifan_first_quarter and haifan_last_quarter (the Dagster quarterly
    partitions of the run), or every quarter when they are not given. Labels sort as their
    quarters do (2025Q4 < 2026Q1). -#}
{% macro haifan_quarters_built(quarter_column) -%}
    {%- set first_quarter = var('haifan_first_quarter', none) -%}
    {%- set last_quarter = var('haifan_last_quarter', none) -%}
    {%- if first_quarter is not none and last_quarter is not none -%}
        {{ quarter_column }} between '{{ first_quarter }}' and '{{ last_quarter }}'
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
