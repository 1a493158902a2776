with

ratings as (

    select * from {{ source('ratings', 'ratings') }}

),

renamed as (

    select
        {{ remove_whitespace('"评级编号"') }} as rating_id,
        {{ clean_code('"统一社会信用代码"') }} as uscc,
        {{ clean_text('"企业名称"') }} as enterprise_name,
        {{ clean_text('"评级机构"') }} as rating_agency,
        {#- The scale uses ASCII + and -: full-width and typographic signs map to them. -#}
        translate({{ clean_code('"信用等级"') }}, '＋－−–', '+---') as credit_grade,
        {{ to_yuan('"评级费用(元)"', '元') }} as rating_fee_yuan,
        {{ parse_date('"评级日期"') }} as rating_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from ratings

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['rating_id']) }}

),

final as (

    select
        rating_id,
        uscc,
        enterprise_name,
        {{ normalize_name('enterprise_name') }} as enterprise_name_normalized,
        rating_agency,
        credit_grade,
        rating_fee_yuan,
        rating_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from latest_versions

)

select * from final
