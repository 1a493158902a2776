{#- The latest known version of each firm-year's declaration ("latest correction wins"); the
    versions and the dates they were valid are in stg_tax__declaration_versions. -#}
with

declaration_versions as (

    select * from {{ ref('stg_tax__declaration_versions') }}

),

final as (

    select
        declaration_id,
        uscc,
        enterprise_name,
        enterprise_name_normalized,
        tax_office,
        industry_code,
        fiscal_year,
        operating_revenue_yuan,
        tax_payable_yuan,
        is_correction,
        filing_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from declaration_versions
    where is_latest_version

)

select * from final
