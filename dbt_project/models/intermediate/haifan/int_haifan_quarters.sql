{#- The quarters the Haifan list can be computed for, with their as-of dates (the quarter's last
    day): every quarter that has ended, from the quarter of the first registry delivery to the
    quarter of the last. The quarterly marts pick the quarters of their build (macro
    haifan_quarters_built). -#}

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

    select
        unnest(generate_series(
            date_trunc('quarter', first_known_date),
            date_trunc('quarter', last_known_date),
            interval 3 month
        ))::date as quarter_start_date
    from delivered

),

final as (

    select
        year(quarter_starts.quarter_start_date) || 'Q'
        || quarter(quarter_starts.quarter_start_date) as quarter, -- noqa: RF04
        (quarter_starts.quarter_start_date + interval 3 month - interval 1 day)::date as as_of_date
    from quarter_starts
    where
        (quarter_starts.quarter_start_date + interval 3 month - interval 1 day)::date
        < current_date

)

select * from final
