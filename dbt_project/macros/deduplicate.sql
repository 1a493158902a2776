{#- Keep one row per business key: the latest delivered version ("latest correction wins").
    Raw tables are append-only, so a key repeats when a source re-sends a record (a correction,
    a new version with an end date filled in) and when a file holds a row twice (defect
    duplicate_row). The latest version is the one of the latest delivery (known_date), then of
    the latest delivery id, then the last row of its file. Renders a QUALIFY clause for a CTE
    whose columns already carry the evidence names known_date, delivery_id and row_number. -#}
{% macro keep_latest_version(partition_by, order_by=none) -%}
    qualify row_number() over (
        partition by {{ partition_by | join(', ') }}
        order by {{ order_by or 'known_date desc, delivery_id desc nulls last, row_number desc' }}
    ) = 1
{%- endmacro %}
