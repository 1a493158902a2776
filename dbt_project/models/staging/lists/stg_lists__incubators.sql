{#- The latest known version of each incubator's recognition; earlier versions and the dates
    they were valid are in stg_lists__incubator_versions. -#}
with

incubator_versions as (

    select * from {{ ref('stg_lists__incubator_versions') }}

),

final as (

    select
        incubator_id,
        incubator_name,
        incubator_name_normalized,
        recognized_date,
        revoked_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from incubator_versions
    where is_latest_version

)

select * from final
