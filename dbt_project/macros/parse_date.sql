{#- A date from text in any style the feeds use (docs/feeds.md, "Date styles"): iso 2025-03-01,
    slash 2025/03/01, slash_short 2025/3/1, dot 2025.03.01, chinese 2025年3月1日, compact
    20250301, year_month 2025-03 (its first day), and date-times such as 2025-03-01 09:30:00
    (sql). Columns mix styles (defect date_format_mix), so every column accepts every style.
    Unparseable text gives null (try_strptime), never an error. -#}
{% macro parse_date(expression) -%}
    cast(try_strptime({{ clean_text(expression) }}, [
        '%Y-%m-%d',
        '%Y/%m/%d',
        '%Y.%m.%d',
        '%Y年%m月%d日',
        '%Y%m%d',
        '%Y-%m-%d %H:%M:%S',
        '%Y-%m-%d %H:%M:%S.%f',
        '%Y-%m-%dT%H:%M:%S',
        '%Y/%m/%d %H:%M:%S',
        '%Y-%m',
        '%Y/%m',
        '%Y年%m月'
    ]) as date)
{%- endmacro %}


{#- A timestamp from SQL DATETIME text (2025-03-01 09:30:00[.ffffff]); null if unparseable. -#}
{% macro parse_timestamp(expression) -%}
    try_cast({{ clean_text(expression) }} as timestamp)
{%- endmacro %}
