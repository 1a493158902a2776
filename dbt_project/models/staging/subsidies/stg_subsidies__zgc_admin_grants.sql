with

zgc_admin as (

    select * from {{ source('subsidies', 'zgc_admin') }}

),

renamed as (

    select
        {{ remove_whitespace('"拨付单号"') }} as grant_id,
        {{ clean_code('"统一社会信用代码"') }} as uscc,
        {{ clean_text('"企业名称"') }} as enterprise_name,
        {{ clean_text('"项目类别"') }} as programme,
        {{ to_yuan('"资助金额（万元）"', '万元') }} as amount_yuan,
        {{ parse_date('"拨付日期"') }} as payment_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from zgc_admin

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['grant_id']) }}

),

final as (

    select
        grant_id,
        uscc,
        enterprise_name,
        {{ normalize_name('enterprise_name') }} as enterprise_name_normalized,
        programme,
        amount_yuan,
        payment_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from latest_versions

)

select * from final
