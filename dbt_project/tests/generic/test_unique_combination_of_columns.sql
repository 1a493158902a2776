{#- Fails for every combination of the given columns that occurs more than once: the primary-key
    test of models keyed by several columns (same contract as dbt_utils' test of that name,
    without adding a package for it). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

    select
        {{ combination_of_columns | join(',\n        ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1

{% endtest %}
