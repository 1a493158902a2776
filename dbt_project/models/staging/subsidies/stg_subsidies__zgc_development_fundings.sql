{#- The SQL source has no deliveries: a row is known from its entry_time (Beijing time), and
    when the loader has read the live table more than once the latest read of a record wins. -#}
with

zgc_development as (

    select * from {{ source('subsidies', 'zgc_development') }}

),

renamed as (

    select
        {{ remove_whitespace('record_id') }} as funding_id,
        {{ clean_code('credit_code') }} as uscc,
        {{ clean_text('enterprise_name') }} as enterprise_name,
        {{ clean_text('funding_type') }} as funding_type,
        {{ to_yuan('amount_yuan', '元') }} as amount_yuan,
        {{ parse_date('sign_date') }} as signed_date,
        {{ parse_timestamp('entry_time') }} as entered_at_beijing,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number,
        _loaded_at as loaded_at
    from zgc_development

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['funding_id'], 'loaded_at desc, row_number desc') }}

),

final as (

    select
        funding_id,
        uscc,
        enterprise_name,
        {{ normalize_name('enterprise_name') }} as enterprise_name_normalized,
        funding_type,
        amount_yuan,
        signed_date,
        cast(entered_at_beijing as date) as known_date,
        delivery_id,
        source_file,
        row_number,
        entered_at_beijing - interval 8 hour as entered_at
    from latest_versions

)

select * from final
