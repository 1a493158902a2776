with

changes as (

    select * from {{ source('registry', 'changes') }}

),

renamed as (

    select
        {{ remove_whitespace('"BGID"') }} as change_id,
        {{ clean_code('"TYSHXYDM"') }} as uscc,
        {{ clean_text('"BGSX"') }} as change_item,
        {{ clean_text('"BGQNR"') }} as value_before,
        {{ clean_text('"BGHNR"') }} as value_after,
        {{ parse_date('"HZRQ"') }} as approved_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from changes

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['change_id']) }}

),

categorised as (

    select
        *,
        case change_item
            when '登记状态变更' then 'status'
            when '住所变更(跨区迁移)' then 'district'
            when '法定代表人变更' then 'legal_representative'
            when '注册资本变更' then 'registered_capital'
            when '名称变更' then 'name'
            else change_item
        end as change_type
    from latest_versions

),

final as (

    select
        change_id,
        uscc,
        change_type,
        change_item,
        value_before,
        value_after,
        case
            when change_type = 'name' then {{ normalize_name('value_before') }}
        end as enterprise_name_before_normalized,
        case
            when change_type = 'name' then {{ normalize_name('value_after') }}
        end as enterprise_name_after_normalized,
        case
            when change_type = 'registered_capital' then {{ to_yuan('value_after', '万元') }}
        end as registered_capital_after_yuan,
        approved_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from categorised

)

select * from final
