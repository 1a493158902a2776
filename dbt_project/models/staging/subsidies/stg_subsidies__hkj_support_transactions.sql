with

hkj as (

    select * from {{ source('subsidies', 'hkj') }}

),

renamed as (

    select
        {{ remove_whitespace('"业务编号"') }} as transaction_id,
        {{ clean_code('"社会信用代码"') }} as uscc,
        {{ clean_text('"企业名称"') }} as enterprise_name,
        {{ clean_text('"业务类型"') }} as business_type,
        {{ to_yuan('"金额(万元)"', '万元') }} as amount_yuan,
        {{ parse_date('"业务日期"') }} as business_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from hkj

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['transaction_id']) }}

),

final as (

    select
        transaction_id,
        uscc,
        enterprise_name,
        {{ normalize_name('enterprise_name') }} as enterprise_name_normalized,
        business_type,
        amount_yuan,
        business_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from latest_versions

)

select * from final
