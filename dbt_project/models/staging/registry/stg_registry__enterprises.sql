with

enterprises as (

    select * from {{ source('registry', 'enterprises') }}

),

renamed as (

    select
        {{ clean_code('"TYSHXYDM"') }} as uscc,
        {{ clean_code('"LSQYTYSHXYDM"') }} as parent_uscc,
        {{ clean_text('"QYMC"') }} as enterprise_name,
        {{ clean_text('"QYLX"') }} as enterprise_type,
        {{ clean_text('"DJZT"') }} as registration_status,
        {{ clean_text('"SSQX"') }} as registration_district,
        {{ clean_text('"DJJG"') }} as registration_authority,
        {{ remove_whitespace('"HYDM"') }} as industry_code,
        {{ clean_text('"HYMC"') }} as industry_name,
        {{ clean_text('"FDDBR"') }} as legal_representative_name,
        {{ clean_code('"FDDBRZJHM"') }} as legal_representative_id_number,
        {{ remove_whitespace('"LXDH"') }} as phone_number,
        {{ to_yuan('"ZCZB"', '万元') }} as registered_capital_yuan,
        {{ to_integer('"CYRS"') }} as employee_count,
        {{ parse_date('"CLRQ"') }} as established_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from enterprises

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['uscc']) }}

),

final as (

    select
        uscc,
        parent_uscc,
        enterprise_name,
        {{ normalize_name('enterprise_name') }} as enterprise_name_normalized,
        enterprise_type,
        registration_status,
        registration_district,
        registration_authority,
        industry_code,
        industry_name,
        legal_representative_name,
        legal_representative_id_number,
        phone_number,
        registered_capital_yuan,
        employee_count,
        registration_status in ('存续', '在业') as is_operating,
        established_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from latest_versions

)

select * from final
