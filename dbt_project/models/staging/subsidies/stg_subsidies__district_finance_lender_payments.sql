with

district_finance_lender_payments as (

    select * from {{ source('subsidies', 'district_finance_lender_payments') }}

),

renamed as (

    select
        {{ remove_whitespace('"补贴编号"') }} as payment_id,
        {{ clean_code('"金融机构编码"') }} as lender_code,
        {{ clean_text('"机构名称"') }} as lender_name,
        {{ clean_text('"补贴项目"') }} as programme,
        {{ to_integer('"年度"') }} as business_year,
        {{ to_yuan('"计算基数（元）"', '元') }} as base_amount_yuan,
        {{ to_yuan('"补贴金额（元）"', '元') }} as amount_yuan,
        {{ parse_date('"拨付日期"') }} as payment_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from district_finance_lender_payments

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['payment_id']) }}

),

final as (

    select
        payment_id,
        lender_code,
        lender_name,
        {{ programme_code('programme') }} as programme_code,
        {{ programme_name('programme') }} as programme_name,
        business_year,
        base_amount_yuan,
        amount_yuan,
        payment_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from latest_versions

)

select * from final
