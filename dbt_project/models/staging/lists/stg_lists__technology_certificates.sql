with

certificates as (

    select * from {{ source('lists', 'certificates') }}

),

renamed as (

    select
        {{ remove_whitespace('"证书编号"') }} as certificate_id,
        {{ clean_code('"统一社会信用代码"') }} as uscc,
        {{ clean_text('"企业名称"') }} as enterprise_name,
        {{ clean_text('"证书类型"') }} as certificate_type,
        {{ parse_date('"发证日期"') }} as issued_date,
        {{ parse_date('"有效期至"') }} as valid_until_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from certificates

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['certificate_id']) }}

),

final as (

    select
        certificate_id,
        uscc,
        enterprise_name,
        {{ normalize_name('enterprise_name') }} as enterprise_name_normalized,
        certificate_type,
        issued_date,
        valid_until_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from latest_versions

)

select * from final
