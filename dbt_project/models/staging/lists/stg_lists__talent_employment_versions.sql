{#- Every version of an employment record as it became known: the record is re-delivered under
    the same id when the employment ends, and the later version applies from its delivery date
    on, never before. -#}
with

talents as (

    select * from {{ source('lists', 'talents') }}

),

renamed as (

    select
        {{ remove_whitespace('"记录编号"') }} as employment_id,
        {{ clean_text('"姓名"') }} as talent_name,
        {{ clean_text('"入选计划"') }} as talent_programme,
        {{ clean_text('"工作单位"') }} as employer_name,
        {{ to_integer('"入选年份"') }} as selection_year,
        {{ parse_date('"入职日期"') }} as employment_start_date,
        {{ parse_date('"离职日期"') }} as employment_end_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from talents

),

latest_versions_per_delivery_date as (

    select * from renamed
    {{ keep_latest_version(['employment_id', 'known_date']) }}

),

versioned as (

    select
        *,
        lead(known_date) over (
            partition by employment_id
            order by known_date
        ) as superseded_date
    from latest_versions_per_delivery_date

),

final as (

    select
        employment_id,
        talent_name,
        talent_programme,
        employer_name,
        {{ normalize_name('employer_name') }} as employer_name_normalized,
        selection_year,
        superseded_date is null as is_latest_version,
        employment_start_date,
        employment_end_date,
        known_date,
        superseded_date,
        delivery_id,
        source_file,
        row_number
    from versioned

)

select * from final
