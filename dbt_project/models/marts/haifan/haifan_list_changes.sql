{#- How each quarter's Haifan list differs from the previous quarter's: every firm that is a
    candidate in either, as added, removed (with the checks it fails now) or retained. One row per
    quarter and firm (quarter, uscc). A quarter whose previous quarter has not been built has no
    rows: there is nothing to compare it with. -#}
with

quarters as (

    select * from {{ ref('int_haifan_quarters') }}
    where {{ haifan_quarters_built('quarter') }}

),

candidates as (

    select * from {{ ref('haifan_candidates') }}

),

built_quarters as (

    select distinct
        quarter,
        as_of_date
    from candidates

),

compared_quarters as (

    select
        quarters.quarter,
        previous.quarter as previous_quarter
    from quarters
    inner join built_quarters as previous
        on previous.as_of_date = last_day(quarters.as_of_date - interval 3 month)

),

current_list as (

    select
        compared_quarters.quarter,
        compared_quarters.previous_quarter,
        candidates.uscc,
        candidates.enterprise_name,
        candidates.is_candidate,
        candidates.failing_checks
    from compared_quarters
    inner join candidates on compared_quarters.quarter = candidates.quarter

),

previous_list as (

    select
        compared_quarters.quarter,
        candidates.uscc,
        candidates.enterprise_name,
        candidates.is_candidate
    from compared_quarters
    inner join candidates on compared_quarters.previous_quarter = candidates.quarter
    where candidates.is_candidate

),

listed_in_either as (

    select
        quarter,
        uscc
    from current_list
    where is_candidate

    union

    select
        quarter,
        uscc
    from previous_list

),

final as (

    select
        listed_in_either.quarter,
        listed_in_either.uscc,
        coalesce(current_list.enterprise_name, previous_list.enterprise_name) as enterprise_name,
        case
            when previous_list.uscc is null then 'added'
            when current_list.is_candidate then 'retained'
            else 'removed'
        end as list_change,
        case
            when previous_list.uscc is not null and not coalesce(current_list.is_candidate, false)
                then coalesce(current_list.failing_checks, ['not registered'])
        end as removal_reasons
    from listed_in_either
    left join current_list
        on
            listed_in_either.quarter = current_list.quarter
            and listed_in_either.uscc = current_list.uscc
    left join previous_list
        on
            listed_in_either.quarter = previous_list.quarter
            and listed_in_either.uscc = previous_list.uscc

)

select * from final
