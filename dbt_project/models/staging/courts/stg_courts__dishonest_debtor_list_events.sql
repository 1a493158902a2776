with

dishonest_debtors as (

    select * from {{ source('courts', 'dishonest_debtors') }}

),

renamed as (

    select
        {{ remove_whitespace('"recordId"') }} as list_event_id,
        {{ remove_whitespace('"dishonestId"') }} as listing_id,
        {{ clean_code('"idCode"') }} as debtor_id_code,
        {{ clean_text('name') }} as debtor_name,
        {{ clean_text('event') }} as event_name,
        {{ clean_text('"caseNo"') }} as enforcement_case_number,
        {{ clean_text('court') }} as court_name,
        {{ parse_date('date') }} as event_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from dishonest_debtors

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['list_event_id']) }}

),

final as (

    select
        list_event_id,
        listing_id,
        case when length(debtor_id_code) = 18 then debtor_id_code end as debtor_uscc,
        debtor_id_code,
        debtor_name,
        {{ normalize_name('debtor_name') }} as debtor_name_normalized,
        case event_name
            when '发布' then 'publication'
            when '删除' then 'deletion'
            else event_name
        end as event_type,
        enforcement_case_number,
        court_name,
        event_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from latest_versions

)

select * from final
