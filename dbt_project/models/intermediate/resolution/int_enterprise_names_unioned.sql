{#- Every name an enterprise has had, with the dates it was valid: the candidates of entity
    resolution. One row per enterprise and name; the current name is valid from the last rename
    (or the establishment) with no end. Enterprise attributes used as evidence ride along. -#}
{{ config(materialized='table') }}

with

enterprises as (

    select * from {{ ref('stg_registry__enterprises') }}

),

former_names as (

    select * from {{ ref('stg_registry__former_names') }}

),

last_renames as (

    select
        uscc,
        max(valid_to_date) as renamed_date
    from former_names
    group by all

),

current_names as (

    select
        enterprises.uscc,
        enterprises.enterprise_name,
        enterprises.enterprise_name_normalized,
        true as is_current_name,
        coalesce(last_renames.renamed_date, enterprises.established_date) as valid_from_date,
        null::date as valid_to_date
    from enterprises
    left join last_renames on enterprises.uscc = last_renames.uscc

),

earlier_names as (

    select
        uscc,
        former_name as enterprise_name,
        former_name_normalized as enterprise_name_normalized,
        false as is_current_name,
        valid_from_date,
        valid_to_date
    from former_names

),

all_names as (

    select * from current_names

    union all

    select * from earlier_names

),

final as (

    select
        all_names.uscc,
        all_names.enterprise_name,
        all_names.enterprise_name_normalized,
        {{ name_match_key('all_names.enterprise_name_normalized') }} as name_key,
        {{ company_form('all_names.enterprise_name_normalized') }} as company_form,
        all_names.is_current_name,
        enterprises.parent_uscc,
        enterprises.registration_district,
        enterprises.legal_representative_name,
        enterprises.established_date,
        all_names.valid_from_date,
        all_names.valid_to_date
    from all_names
    inner join enterprises on all_names.uscc = enterprises.uscc

)

select * from final
