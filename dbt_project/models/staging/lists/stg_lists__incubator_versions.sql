{#- Every version of an incubator's recognition as it became known: the record is re-delivered
    under the same id when the recognition is revoked, and the later version applies from its
    delivery date on, never before. -#}
with

incubators as (

    select * from {{ source('lists', 'incubators') }}

),

renamed as (

    select
        {{ remove_whitespace('"孵化器编号"') }} as incubator_id,
        {{ clean_text('"孵化器名称"') }} as incubator_name,
        {{ parse_date('"认定日期"') }} as recognized_date,
        {{ parse_date('"撤销认定日期"') }} as revoked_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from incubators

),

latest_versions_per_delivery_date as (

    select * from renamed
    {{ keep_latest_version(['incubator_id', 'known_date']) }}

),

versioned as (

    select
        *,
        lead(known_date) over (
            partition by incubator_id
            order by known_date
        ) as superseded_date
    from latest_versions_per_delivery_date

),

final as (

    select
        incubator_id,
        incubator_name,
        {{ normalize_name('incubator_name') }} as incubator_name_normalized,
        superseded_date is null as is_latest_version,
        recognized_date,
        revoked_date,
        known_date,
        superseded_date,
        delivery_id,
        source_file,
        row_number
    from versioned

)

select * from final
