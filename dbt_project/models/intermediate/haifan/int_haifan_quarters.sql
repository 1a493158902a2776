{#- The quarters the Haifan list is computed for, with their as-of dates (the quarter's last day):
    every quarter that has ended by the latest registry delivery, or, when the vars
    haifan_first_quarter and haifan_last_quarter are given (e.g. 2025Q1, 2026Q3; the Dagster
    quarterly partitions give them), those quarters only. Ephemeral, like every model of the
    quarterly build, so the vars reach the SQL of the mart that is built with them. -#}
{%- set first_quarter = var('haifan_first_quarter', none) -%}
{%- set last_quarter = var('haifan_last_quarter', none) -%}

with

enterprises as (

    select * from {{ ref('stg_registry__enterprises') }}

),

delivered as (

    select
        min(known_date) as first_known_date,
        max(known_date) as last_known_date
    from enterprises

),

quarter_starts as (

    select unnest(generate_series(
        date_trunc('quarter', first_known_date),
        date_trunc('quarter', last_known_date),
        interval 3 month
    ))::date as quarter_start_date
    from delivered

),

final as (

    select
        year(quarter_start_date) || 'Q' || quarter(quarter_start_date) as quarter,
        (quarter_start_date + interval 3 month - interval 1 day)::date as as_of_date
    from quarter_starts
    where (quarter_start_date + interval 3 month - interval 1 day)::date
        <= (select last_known_date from delivered)

)

select * from final
{%- if first_quarter is not none and last_quarter is not none %}
{#- Labels sort as their quarters do (2025Q4 < 2026Q1). #}
where quarter between '{{ first_quarter }}' and '{{ last_quarter }}'
{%- endif %}
