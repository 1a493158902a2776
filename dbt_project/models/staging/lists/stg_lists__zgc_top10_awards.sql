with

zgc_top10 as (

    select * from {{ source('lists', 'zgc_top10') }}

),

renamed as (

    select
        {{ remove_whitespace('"记录编号"') }} as list_entry_id,
        {{ clean_text('"评选名称"') }} as award_list,
        {{ clean_text('"企业名称"') }} as enterprise_name,
        {{ to_integer('"年度"') }} as award_year,
        {{ to_integer('"序号"') }} as list_position,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from zgc_top10

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['award_list', 'award_year', 'list_position']) }}

),

final as (

    select
        list_entry_id,
        award_list,
        enterprise_name,
        {{ normalize_name('enterprise_name') }} as enterprise_name_normalized,
        award_year,
        list_position,
        known_date,
        delivery_id,
        source_file,
        row_number
    from latest_versions

)

select * from final
