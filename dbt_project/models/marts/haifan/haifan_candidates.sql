{#- The Haifan (海帆) list of POLICY_RULES §1: every enterprise known on a quarter's as-of date,
    each check with the values and the source records that decided it, and the result. One row
    per quarter and enterprise (quarter, uscc). Parameters come from policy.yml (macro policy()). -#}
with

registrations as (

    select * from {{ ref('int_enterprise_registrations_by_quarter') }}
    where {{ haifan_quarters_built('quarter') }}

),

financials as (

    select * from {{ ref('int_tax_financials_by_quarter') }}

),

ratings as (

    select * from {{ ref('int_credit_ratings_by_quarter') }}

),

qualifying_records as (

    select * from {{ ref('int_haifan_qualifying_records') }}

),

disqualifying_records as (

    select * from {{ ref('int_haifan_disqualifying_records') }}

),

rating_scale as (

    select * from {{ ref('credit_rating_scale') }}

),

minimum_rating as (

    select grade_rank from rating_scale
    where credit_grade = '{{ policy('haifan', 'm1_min_rating') }}'

),

qualifying as (

    select
        quarter,
        uscc,
        list(record_id order by record_id) filter (where check_id = 'c1') as c1_certificate_ids,
        list(record_id order by record_id) filter (where check_id = 'c2') as c2_grant_ids,
        list(record_id order by record_id) filter (where check_id = 'c3') as c3_funding_ids,
        list(record_id order by record_id) filter (where check_id = 'c4') as c4_list_entry_ids,
        list(record_id order by record_id) filter (where check_id = 'c5') as c5_employment_ids,
        list(record_id order by record_id) filter (where check_id = 'c6') as c6_recommendation_ids,
        list(record_id order by record_id) filter (where check_id = 'c7') as c7_recommendation_ids
    from qualifying_records
    group by all

),

disqualifying as (

    select
        quarter,
        uscc,
        list(distinct reason order by reason) as m2_disqualifying_reasons,
        list(record_id order by record_id) as m2_disqualifying_record_ids
    from disqualifying_records
    group by all

),

growth as (

    select
        quarter,
        uscc,
        {%- if policy('haifan', 'c1_growth_method') == 'cagr' %}
            case
                when revenue_two_years_before_yuan > 0
                    then sqrt(revenue_yuan / revenue_two_years_before_yuan) - 1
            end as revenue_growth
        {%- else %}
            case
                when revenue_two_years_before_yuan > 0 and revenue_previous_year_yuan > 0
                    then (
                        (revenue_yuan / revenue_previous_year_yuan - 1)
                        + (revenue_previous_year_yuan / revenue_two_years_before_yuan - 1)
                    ) / 2
            end as revenue_growth
        {%- endif %}
    from financials

),

checked as (

    select
        registrations.quarter,
        registrations.uscc,
        registrations.as_of_date,
        registrations.enterprise_name,
        registrations.enterprise_type,
        registrations.registration_status,
        registrations.registration_district,
        financials.fiscal_year,
        financials.revenue_yuan,
        financials.revenue_previous_year_yuan,
        financials.revenue_two_years_before_yuan,
        growth.revenue_growth,
        financials.tax_office,
        coalesce(
            financials.fiscal_year < year(registrations.as_of_date)
            - {{ policy('haifan', 'stale_after_years') }},
            true
        ) as is_stale_financials,
        ratings.credit_grade,
        ratings.rating_agency,
        ratings.rating_date,
        (ratings.rating_date + to_months({{ policy('haifan', 'rating_validity_months') }}))::date
            as rating_valid_until_date,
        coalesce(
            registrations.registration_status in ('存续', '在业')
            and registrations.registration_district = '海淀区'
            and financials.is_declared_in_haidian,
            false
        ) as b1_is_operating_and_taxed_in_haidian,
        list_filter(
            [
                registrations.status_record_id,
                registrations.district_record_id,
                financials.declaration_id
            ],
            record_id -> record_id is not null
        ) as b1_evidence_ids,
        registrations.is_independent_legal_person as b2_is_independent_legal_person,
        coalesce(
            financials.fiscal_year >= year(registrations.as_of_date)
            - {{ policy('haifan', 'stale_after_years') }}
            and financials.revenue_yuan <= {{ policy('haifan', 'revenue_cap_yuan') }},
            false
        ) as b3_is_within_revenue_cap,
        list_filter([financials.declaration_id], record_id -> record_id is not null)
            as b3_evidence_ids,
        coalesce(
            qualifying.c1_certificate_ids is not null
            and financials.revenue_yuan >= {{ policy('haifan', 'c1_min_revenue_yuan') }}
            {#- Rounded: growth of exactly 20% is 0.19999999999999996 in floating point. #}
            and round(growth.revenue_growth, 9) >= {{ policy('haifan', 'c1_min_growth') }},
            false
        ) as c1_is_growing_technology_sme,
        qualifying.c1_certificate_ids,
        list_filter(
            [
                financials.declaration_id,
                financials.previous_year_declaration_id,
                financials.two_years_before_declaration_id
            ],
            record_id -> record_id is not null
        ) as c1_declaration_ids,
        qualifying.c2_grant_ids is not null as c2_has_zgc_or_park_grant,
        qualifying.c2_grant_ids,
        qualifying.c3_funding_ids is not null as c3_has_hkj_or_zgc_group_funding,
        qualifying.c3_funding_ids,
        qualifying.c4_list_entry_ids is not null as c4_is_on_latest_growth_list,
        qualifying.c4_list_entry_ids,
        qualifying.c5_employment_ids is not null as c5_employs_programme_talent,
        qualifying.c5_employment_ids,
        qualifying.c6_recommendation_ids is not null as c6_is_incubator_recommended,
        qualifying.c6_recommendation_ids,
        qualifying.c7_recommendation_ids is not null as c7_is_association_recommended,
        qualifying.c7_recommendation_ids,
        coalesce(
            ratings.grade_rank <= minimum.grade_rank
            and registrations.as_of_date
            < ratings.rating_date + to_months({{ policy('haifan', 'rating_validity_months') }}),
            false
        ) as m1_has_valid_rating,
        ratings.rating_id as m1_rating_id,
        disqualifying.uscc is null as m2_is_not_disqualified,
        disqualifying.m2_disqualifying_reasons,
        disqualifying.m2_disqualifying_record_ids
    from registrations
    left join financials
        on registrations.quarter = financials.quarter and registrations.uscc = financials.uscc
    left join growth
        on registrations.quarter = growth.quarter and registrations.uscc = growth.uscc
    left join ratings
        on registrations.quarter = ratings.quarter and registrations.uscc = ratings.uscc
    left join qualifying
        on registrations.quarter = qualifying.quarter and registrations.uscc = qualifying.uscc
    left join disqualifying
        on
            registrations.quarter = disqualifying.quarter
            and registrations.uscc = disqualifying.uscc
    cross join minimum_rating as minimum

),

with_criteria as (

    select
        *,
        c1_is_growing_technology_sme
        or c2_has_zgc_or_park_grant
        or c3_has_hkj_or_zgc_group_funding
        or c4_is_on_latest_growth_list
        or c5_employs_programme_talent
        or c6_is_incubator_recommended
        or c7_is_association_recommended as meets_a_criterion
    from checked

),

final as (

    select
        * exclude (meets_a_criterion),
        b1_is_operating_and_taxed_in_haidian
        and b2_is_independent_legal_person
        and b3_is_within_revenue_cap
        and meets_a_criterion
        and m1_has_valid_rating
        and m2_is_not_disqualified as is_candidate,
        list_filter(
            [
                case when not b1_is_operating_and_taxed_in_haidian then 'b1' end,
                case when not b2_is_independent_legal_person then 'b2' end,
                case when not b3_is_within_revenue_cap then 'b3' end,
                case when not meets_a_criterion then 'c1-c7' end,
                case when not m1_has_valid_rating then 'm1' end,
                case when not m2_is_not_disqualified then 'm2' end
            ],
            check_id -> check_id is not null
        ) as failing_checks
    from with_criteria

)

select * from final
