{#- Text as delivered, trimmed of every kind of leading/trailing white space (ASCII, ideographic
    U+3000, no-break, byte-order mark); empty text becomes null. DuckDB's trim() only strips
    ASCII spaces, which leaves the ideographic spaces that Chinese sources type. -#}
{% macro clean_text(expression) -%}
    nullif(regexp_replace({{ expression }}, '^[\s\p{Z}\x{FEFF}]+|[\s\p{Z}\x{FEFF}]+$', '', 'g'), '')
{%- endmacro %}


{#- Text with all white space removed (inside too): codes, amounts, normalised names. -#}
{% macro remove_whitespace(expression) -%}
    nullif(regexp_replace({{ expression }}, '[\s\p{Z}\x{200B}\x{FEFF}]+', '', 'g'), '')
{%- endmacro %}
