{#- A delivered USCC as the registered code it stands for: the code itself when registered or
    unknown, else the one registered code with the same first 17 characters. Feeds deliver some
    codes with a wrong check character (the 18th, computed from the other 17: defect
    invalid_uscc_check); the first 17 identify the enterprise. Qualify the expression with its
    table's name: unqualified, `uscc` would name the registry's column inside the subquery. -#}
{% macro registered_uscc(expression) -%}
    coalesce(
        (
            select any_value(registry.uscc)
            from {{ ref('stg_registry__enterprises') }} as registry
            where left(registry.uscc, 17) = left({{ expression }}, 17)
            having count(*) = 1
        ),
        {{ expression }}
    )
{%- endmacro %}
