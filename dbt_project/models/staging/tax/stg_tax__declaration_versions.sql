{#- Every version of a firm-year's declaration as it became known, for as-of computations: a
    correction replaces the original from its delivery date on, never before. -#}
with

declarations as (

    select * from {{ source('tax', 'declarations') }}

),

renamed as (

    select
        {{ remove_whitespace('"SBXH"') }} as declaration_id,
        {{ clean_code('"NSRSBH"') }} as uscc,
        {{ clean_text('"NSRMC"') }} as enterprise_name,
        {{ clean_text('"ZGSWJG"') }} as tax_office,
        {{ remove_whitespace('"HYDM"') }} as industry_code,
        {{ to_integer('"SSND"') }} as fiscal_year,
        {{ to_yuan('"YYSRZE"', '元') }} as operating_revenue_yuan,
        {{ to_yuan('"YNSE"', '元') }} as tax_payable_yuan,
        upper({{ remove_whitespace('"GZBZ"') }}) = 'Y' as is_correction,
        {{ parse_date('"SBRQ"') }} as filing_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from declarations

),

latest_versions_per_delivery_date as (

    select * from renamed
    {{ keep_latest_version(['uscc', 'fiscal_year', 'known_date']) }}

),

versioned as (

    select
        *,
        lead(known_date) over (
            partition by uscc, fiscal_year
            order by known_date
        ) as superseded_date
    from latest_versions_per_delivery_date

),

final as (

    select
        declaration_id,
        uscc,
        enterprise_name,
        {{ normalize_name('enterprise_name') }} as enterprise_name_normalized,
        tax_office,
        industry_code,
        fiscal_year,
        operating_revenue_yuan,
        tax_payable_yuan,
        is_correction,
        superseded_date is null as is_latest_version,
        filing_date,
        known_date,
        superseded_date,
        delivery_id,
        source_file,
        row_number
    from versioned

)

select * from final
