{#- The latest known version of each employment record; earlier versions and the dates they
    were valid are in stg_lists__talent_employment_versions. -#}
with

talent_employment_versions as (

    select * from {{ ref('stg_lists__talent_employment_versions') }}

),

final as (

    select
        employment_id,
        talent_name,
        talent_programme,
        employer_name,
        employer_name_normalized,
        selection_year,
        employment_start_date,
        employment_end_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from talent_employment_versions
    where is_latest_version

)

select * from final
