with

name_history as (

    select * from {{ source('registry', 'name_history') }}

),

renamed as (

    select
        {{ clean_code('"TYSHXYDM"') }} as uscc,
        {{ clean_text('"CYM"') }} as former_name,
        {{ parse_date('"QSRQ"') }} as valid_from_date,
        {{ parse_date('"ZZRQ"') }} as valid_to_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from name_history

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['uscc', 'valid_from_date']) }}

),

final as (

    select
        uscc,
        former_name,
        {{ normalize_name('former_name') }} as former_name_normalized,
        valid_from_date,
        valid_to_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from latest_versions

)

select * from final
