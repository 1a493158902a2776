with

haidian_park as (

    select * from {{ source('subsidies', 'haidian_park') }}

),

renamed as (

    select
        {{ remove_whitespace('"拨付编号"') }} as disbursement_id,
        {{ clean_text('"单位名称"') }} as enterprise_name,
        {{ clean_text('"资金类别"') }} as fund_category,
        {{ to_yuan('"金额（元）"', '元') }} as amount_yuan,
        coalesce(contains("金额（元）", '万'), false) as is_amount_written_in_wan,
        {{ parse_date('"拨付日期"') }} as payment_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from haidian_park

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['disbursement_id']) }}

),

final as (

    select
        disbursement_id,
        enterprise_name,
        {{ normalize_name('enterprise_name') }} as enterprise_name_normalized,
        fund_category,
        amount_yuan,
        is_amount_written_in_wan,
        payment_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from latest_versions

)

select * from final
