{#- Staging of one of market regulation's list feeds (经营异常名录, 严重违法失信企业名单): both
    deliver the same columns, so one definition serves both models. -#}
{% macro stage_regulation_list_events(list_relation) %}
with

list_events as (

    select * from {{ list_relation }}

),

renamed as (

    select
        {{ remove_whitespace('"记录编号"') }} as list_event_id,
        {{ remove_whitespace('"名单编号"') }} as listing_id,
        {{ clean_code('"统一社会信用代码"') }} as uscc,
        {{ clean_text('"企业名称"') }} as enterprise_name,
        {{ clean_text('"事项"') }} as event_name,
        {{ clean_text('"原因"') }} as reason,
        {{ clean_text('"作出决定机关"') }} as deciding_authority,
        {{ parse_date('"日期"') }} as event_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from list_events

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['list_event_id']) }}

),

final as (

    select
        list_event_id,
        listing_id,
        uscc,
        enterprise_name,
        {{ normalize_name('enterprise_name') }} as enterprise_name_normalized,
        case event_name
            when '列入' then 'entry'
            when '移出' then 'removal'
            else event_name
        end as event_type,
        reason,
        deciding_authority,
        event_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from latest_versions

)

select * from final
{% endmacro %}
