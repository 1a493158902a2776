with

penalties as (

    select * from {{ source('regulation', 'penalties') }}

),

renamed as (

    select
        {{ remove_whitespace('"行政处罚决定书文号"') }} as penalty_id,
        {{ clean_code('"统一社会信用代码"') }} as uscc,
        {{ clean_text('"企业名称"') }} as enterprise_name,
        {{ clean_text('"违法行为类型"') }} as violation_type,
        {{ clean_text('"处罚内容"') }} as penalty_text,
        {{ clean_text('"处罚机关"') }} as penalising_authority,
        {{ to_yuan('"罚款金额(元)"', '元') }} as fine_amount_yuan,
        {{ parse_date('"处罚决定日期"') }} as decided_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from penalties

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['penalty_id']) }}

),

final as (

    select
        penalty_id,
        uscc,
        enterprise_name,
        {{ normalize_name('enterprise_name') }} as enterprise_name_normalized,
        violation_type,
        penalty_text,
        penalising_authority,
        fine_amount_yuan,
        decided_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from latest_versions

)

select * from final
