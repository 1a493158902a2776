with

cases as (

    select * from {{ source('courts', 'cases') }}

),

renamed as (

    select
        {{ remove_whitespace('"docId"') }} as document_id,
        {{ clean_text('"caseNo"') }} as case_number,
        {{ clean_text('court') }} as court_name,
        {{ clean_text('"caseType"') }} as case_type,
        {{ clean_text('cause') }} as cause,
        {{ to_yuan('amount', '元') }} as amount_yuan,
        cast(json_array_length(try_cast(parties as json)) as integer) as party_count,
        {{ parse_date('"filedOn"') }} as filed_date,
        {{ parse_date('"judgedOn"') }} as judged_date,
        {{ parse_date('"publishedOn"') }} as published_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from cases

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['document_id']) }}

),

final as (

    select
        document_id,
        case_number,
        court_name,
        case_type,
        cause,
        amount_yuan,
        party_count,
        filed_date,
        judged_date,
        published_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from latest_versions

)

select * from final
