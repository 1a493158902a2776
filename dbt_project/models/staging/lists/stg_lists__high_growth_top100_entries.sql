with

top100 as (

    select * from {{ source('lists', 'top100') }}

),

renamed as (

    select
        {{ remove_whitespace('"记录编号"') }} as list_entry_id,
        {{ clean_text('"企业名称"') }} as enterprise_name,
        {{ to_integer('"年度"') }} as edition_year,
        {{ to_integer('"排名"') }} as list_rank,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from top100

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['edition_year', 'list_rank']) }}

),

final as (

    select
        list_entry_id,
        enterprise_name,
        {{ normalize_name('enterprise_name') }} as enterprise_name_normalized,
        edition_year,
        list_rank,
        known_date,
        delivery_id,
        source_file,
        row_number
    from latest_versions

)

select * from final
