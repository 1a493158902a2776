{#- Each enterprise known on a quarter's as-of date, with its registration as known then: status
    and district from the registry record (as of the day before its delivery) and the changes
    approved and delivered by as-of (B1, B2). One row per quarter and enterprise. -#}
with

quarters as (

    select * from {{ ref('int_haifan_quarters') }}

),

enterprises as (

    select * from {{ ref('stg_registry__enterprises') }}

),

registration_changes as (

    select * from {{ ref('stg_registry__registration_changes') }}

),

registry_states as (

    {#- A registry record states the firm as it stood the day before it was delivered. -#}
    select
        uscc,
        'status' as change_type,
        registration_status as value_after,
        known_date - 1 as effective_date,
        known_date,
        uscc as record_id
    from enterprises

    union all

    select
        uscc,
        'district' as change_type,
        registration_district as value_after,
        known_date - 1 as effective_date,
        known_date,
        uscc as record_id
    from enterprises

    union all

    select
        uscc,
        change_type,
        value_after,
        approved_date as effective_date,
        known_date,
        change_id as record_id
    from registration_changes
    where change_type in ('status', 'district')

),

states_by_quarter as (

    select
        quarters.quarter,
        states.uscc,
        states.change_type,
        arg_max(states.value_after, states.effective_date) as value_after,
        arg_max(states.record_id, states.effective_date) as record_id
    from quarters
    inner join registry_states as states
        on
            quarters.as_of_date >= states.known_date
            and quarters.as_of_date >= states.effective_date
    group by all

),

final as (

    select
        quarters.quarter,
        quarters.as_of_date,
        enterprises.uscc,
        enterprises.enterprise_name,
        enterprises.enterprise_type,
        status.value_after as registration_status,
        district.value_after as registration_district,
        status.record_id as status_record_id,
        district.record_id as district_record_id,
        not(
            enterprises.enterprise_type like '%分公司%'
            or enterprises.enterprise_type like '%分支机构%'
            or enterprises.enterprise_type like '%个人独资%'
            or enterprises.enterprise_type like '%合伙%'
            or enterprises.enterprise_type like '%个体工商户%'
        ) as is_independent_legal_person
    from quarters
    inner join enterprises on quarters.as_of_date >= enterprises.known_date
    left join states_by_quarter as status
        on
            quarters.quarter = status.quarter
            and enterprises.uscc = status.uscc
            and status.change_type = 'status'
    left join states_by_quarter as district
        on
            quarters.quarter = district.quarter
            and enterprises.uscc = district.uscc
            and district.change_type = 'district'

)

select * from final
