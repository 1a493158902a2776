{#- Programme id and name of a district-finance programme written "S1 评级费用补贴": the id
    (S1..S7, POLICY_RULES §3) and the name after it; text without an id gives a null id. -#}
{% macro programme_code(expression) -%}
    nullif(regexp_extract(upper({{ expression }}), '^(S[0-9]+)', 1), '')
{%- endmacro %}


{#- The programme's name without its id, e.g. 评级费用补贴. -#}
{% macro programme_name(expression) -%}
    {{ clean_text("regexp_replace(" ~ expression ~ ", '^[Ss][0-9]+', '')") }}
{%- endmacro %}
