{#- One row per party of a judgment document: the document's nested `parties` JSON array
    unnested, position by position (0-based, as the ground truth's <docId>#<position>). -#}
with

cases as (

    select * from {{ source('courts', 'cases') }}

),

renamed as (

    select
        {{ remove_whitespace('"docId"') }} as document_id,
        json_transform(
            try_cast(parties as json),
            '[{"name": "VARCHAR", "role": "VARCHAR", "partyType": "VARCHAR", "idCode": "VARCHAR"}]'
        ) as parties,
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

unnested as (

    select
        document_id,
        known_date,
        delivery_id,
        source_file,
        row_number,
        unnest(parties) as party,
        generate_subscripts(parties, 1) - 1 as party_position
    from latest_versions

),

cleaned as (

    select
        document_id,
        party_position,
        {{ clean_text("struct_extract(party, 'name')") }} as party_name,
        {{ clean_text("struct_extract(party, 'role')") }} as party_role,
        {{ clean_text("struct_extract(party, 'partyType')") }} as party_type,
        {{ clean_code("struct_extract(party, 'idCode')") }} as party_id_code,
        known_date,
        delivery_id,
        source_file,
        row_number
    from unnested

),

final as (

    select
        document_id || '#' || party_position as case_party_id,
        document_id,
        case when length(party_id_code) = 18 then party_id_code end as party_uscc,
        party_id_code,
        party_name,
        {{ normalize_name('party_name') }} as party_name_normalized,
        party_role,
        party_type,
        cast(party_position as integer) as party_position,
        known_date,
        delivery_id,
        source_file,
        row_number
    from cleaned

)

select * from final
