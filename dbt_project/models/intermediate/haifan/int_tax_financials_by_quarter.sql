{#- Each enterprise's financials as known on a quarter's as-of date: fiscal year Y (the latest year
    up to year(as_of) - 1 with revenue known), revenue of Y, Y-1 and Y-2 (the latest correction
    known by as-of), and whether Y's declaration was filed with the Haidian tax office (B1, B3,
    C1). One row per quarter and enterprise with any known declaration. -#}
with

quarters as (

    select * from {{ ref('int_haifan_quarters') }}

),

declaration_versions as (

    select * from {{ ref('stg_tax__declaration_versions') }}

),

known_years as (

    select
        quarters.quarter,
        {{ registered_uscc('versions.uscc') }} as uscc,
        versions.fiscal_year,
        arg_max(versions.operating_revenue_yuan, versions.known_date) as revenue_yuan,
        arg_max(versions.tax_office, versions.known_date) as tax_office,
        arg_max(versions.declaration_id, versions.known_date) as declaration_id
    from quarters
    inner join declaration_versions as versions
        on
            quarters.as_of_date >= versions.known_date
            and versions.fiscal_year <= year(quarters.as_of_date) - 1
    group by all

),

fiscal_years as (

    select
        quarter,
        uscc,
        max(fiscal_year) as fiscal_year
    from known_years
    group by all

),

final as (

    select
        fiscal_years.quarter,
        fiscal_years.uscc,
        fiscal_years.fiscal_year,
        year_y.revenue_yuan,
        year_y1.revenue_yuan as revenue_previous_year_yuan,
        year_y2.revenue_yuan as revenue_two_years_before_yuan,
        year_y.tax_office,
        year_y.declaration_id,
        year_y1.declaration_id as previous_year_declaration_id,
        year_y2.declaration_id as two_years_before_declaration_id,
        year_y.tax_office = '国家税务总局北京市海淀区税务局' as is_declared_in_haidian
    from fiscal_years
    inner join known_years as year_y
        on
            fiscal_years.quarter = year_y.quarter
            and fiscal_years.uscc = year_y.uscc
            and fiscal_years.fiscal_year = year_y.fiscal_year
    left join known_years as year_y1
        on
            fiscal_years.quarter = year_y1.quarter
            and fiscal_years.uscc = year_y1.uscc
            and fiscal_years.fiscal_year - 1 = year_y1.fiscal_year
    left join known_years as year_y2
        on
            fiscal_years.quarter = year_y2.quarter
            and fiscal_years.uscc = year_y2.uscc
            and fiscal_years.fiscal_year - 2 = year_y2.fiscal_year

)

select * from final
