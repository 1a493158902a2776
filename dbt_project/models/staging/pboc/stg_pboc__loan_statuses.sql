with

loan_status as (

    select * from {{ source('pboc', 'loan_status') }}

),

renamed as (

    select
        {{ remove_whitespace('"accountId"') }} as account_id,
        {{ clean_code('"borrowerUscc"') }} as uscc,
        {{ clean_text('"borrowerName"') }} as enterprise_name,
        {{ clean_code('"lenderCode"') }} as lender_code,
        {{ clean_text('"lenderName"') }} as lender_name,
        {{ clean_text('product') }} as loan_product,
        {{ clean_text('"guarantorType"') }} as guarantor_type,
        {{ clean_text('"fiveLevelClass"') }} as five_level_class,
        {{ to_yuan('"contractAmount"', '元') }} as contract_amount_yuan,
        {{ to_yuan('balance', '元') }} as balance_yuan,
        {{ to_yuan('"overdueAmount"', '元') }} as overdue_amount_yuan,
        {{ to_integer('"overdueDays"') }} as overdue_days,
        {{ parse_date('"reportMonth"') }} as report_month,
        {{ parse_date('"openDate"') }} as open_date,
        {{ parse_date('"maturityDate"') }} as maturity_date,
        {{ parse_date('"settleDate"') }} as settlement_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from loan_status

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['account_id', 'report_month']) }}

),

final as (

    select
        account_id || '#' || strftime(report_month, '%Y-%m') as loan_status_id,
        account_id,
        uscc,
        enterprise_name,
        {{ normalize_name('enterprise_name') }} as enterprise_name_normalized,
        lender_code,
        lender_name,
        loan_product,
        guarantor_type,
        five_level_class,
        contract_amount_yuan,
        balance_yuan,
        overdue_amount_yuan,
        overdue_days,
        report_month,
        open_date,
        maturity_date,
        settlement_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from latest_versions

)

select * from final
