{#- A code or identifier (USCC 统一社会信用代码, resident ID number, lender code) as comparable
    text: white space removed, upper case (letters of a USCC, the check character X of an ID). -#}
{% macro clean_code(expression) -%}
    upper({{ remove_whitespace(expression) }})
{%- endmacro %}
