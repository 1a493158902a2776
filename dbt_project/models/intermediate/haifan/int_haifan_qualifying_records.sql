{#- The records that meet a qualifying criterion of the Haifan list on a quarter's as-of date, one
    row per quarter, enterprise, criterion and record (the evidence ids of the mart). Only records
    known by as-of count; records that name firms by name count through their entity resolution.

    c1: a technology certificate valid on as-of (revenue and growth are checked in the mart);
    c2: a grant of 中关村管委会 or 海淀园管委会 within the c2 window;
    c3: funding of 海科金 or 中关村发展集团 (investment or grant, not guarantees or leases);
    c4: an entry of the latest known edition of each list;
    c5: an employment of a programme talent active on as-of;
    c6: a recommendation by an incubator recognised on its date, within the c6 window;
    c7: a recommendation by the private-economy association, within the c7 window. -#}
with

quarters as (

    select * from {{ ref('int_haifan_quarters') }}

),

technology_certificates as (

    select * from {{ ref('stg_lists__technology_certificates') }}

),

zgc_admin_grants as (

    select * from {{ ref('stg_subsidies__zgc_admin_grants') }}

),

haidian_park_disbursements as (

    select * from {{ ref('stg_subsidies__haidian_park_disbursements') }}

),

hkj_support_transactions as (

    select * from {{ ref('stg_subsidies__hkj_support_transactions') }}

),

zgc_development_fundings as (

    select * from {{ ref('stg_subsidies__zgc_development_fundings') }}

),

high_growth_top100_entries as (

    select * from {{ ref('stg_lists__high_growth_top100_entries') }}

),

deloitte_fast50_entries as (

    select * from {{ ref('stg_lists__deloitte_fast50_entries') }}

),

zgc_top10_awards as (

    select * from {{ ref('stg_lists__zgc_top10_awards') }}

),

talent_employment_versions as (

    select * from {{ ref('stg_lists__talent_employment_versions') }}

),

incubator_versions as (

    select * from {{ ref('stg_lists__incubator_versions') }}

),

incubator_recommendations as (

    select * from {{ ref('stg_lists__incubator_recommendations') }}

),

association_recommendations as (

    select * from {{ ref('stg_lists__association_recommendations') }}

),

mentions as (

    select * from {{ ref('int_firm_mentions_resolved') }}
    where resolution_status = 'resolved'

),

certified as (

    select
        quarters.quarter,
        {{ registered_uscc('certificates.uscc') }} as uscc,
        'c1' as check_id,
        certificates.certificate_id as record_id
    from quarters
    inner join technology_certificates as certificates
        on
            quarters.as_of_date >= certificates.known_date
            and quarters.as_of_date >= certificates.issued_date
            and quarters.as_of_date <= certificates.valid_until_date

),

grants as (

    select
        zgc_admin_grants.grant_id as record_id,
        {{ registered_uscc('zgc_admin_grants.uscc') }} as uscc,
        zgc_admin_grants.payment_date,
        zgc_admin_grants.known_date
    from zgc_admin_grants

    union all

    select
        park.disbursement_id as record_id,
        mentions.uscc,
        park.payment_date,
        park.known_date
    from haidian_park_disbursements as park
    inner join mentions
        on
            mentions.feed = 'subsidies.haidian_park'
            and park.disbursement_id = mentions.record_id

),

granted as (

    select
        quarters.quarter,
        grants.uscc,
        'c2' as check_id,
        grants.record_id
    from quarters
    inner join grants
        on
            quarters.as_of_date >= grants.known_date
            and grants.payment_date
            between quarters.as_of_date - to_months({{ policy('haifan', 'c2_window_months') }})
            and quarters.as_of_date

),

fundings as (

    select
        hkj_support_transactions.transaction_id as record_id,
        {{ registered_uscc('hkj_support_transactions.uscc') }} as uscc,
        hkj_support_transactions.business_date as funded_date,
        hkj_support_transactions.known_date
    from hkj_support_transactions
    where hkj_support_transactions.business_type in ('股权投资', '专项资助')

    union all

    select
        zgc_development_fundings.funding_id as record_id,
        {{ registered_uscc('zgc_development_fundings.uscc') }} as uscc,
        zgc_development_fundings.signed_date as funded_date,
        zgc_development_fundings.known_date
    from zgc_development_fundings
    where zgc_development_fundings.funding_type in ('股权投资', '项目资助')

),

funded as (

    select
        quarters.quarter,
        fundings.uscc,
        'c3' as check_id,
        fundings.record_id
    from quarters
    inner join fundings
        on
            quarters.as_of_date >= fundings.known_date
            and fundings.funded_date <= quarters.as_of_date
            {%- set c3_window = policy('haifan', 'c3_window_months') %}
            {%- if c3_window not in (none, 'None', '') %}
                and fundings.funded_date >= quarters.as_of_date - to_months({{ c3_window }})
            {%- endif %}

),

list_entries as (

    select
        'lists.top100' as feed,
        '高成长企业TOP100' as list_name,
        edition_year,
        list_entry_id,
        known_date
    from high_growth_top100_entries

    union all

    select
        'lists.deloitte50' as feed,
        '德勤高成长企业50强' as list_name,
        edition_year,
        list_entry_id,
        known_date
    from deloitte_fast50_entries

    union all

    select
        'lists.zgc_top10' as feed,
        award_list as list_name,
        award_year as edition_year,
        list_entry_id,
        known_date
    from zgc_top10_awards

),

latest_editions as (

    select
        quarters.quarter,
        list_entries.list_name,
        max(list_entries.edition_year) as edition_year
    from quarters
    inner join list_entries on quarters.as_of_date >= list_entries.known_date
    group by all

),

listed as (

    select
        latest_editions.quarter,
        mentions.uscc,
        'c4' as check_id,
        list_entries.list_entry_id as record_id
    from latest_editions
    inner join list_entries
        on
            latest_editions.list_name = list_entries.list_name
            and latest_editions.edition_year = list_entries.edition_year
    inner join mentions
        on
            list_entries.feed = mentions.feed
            and list_entries.list_entry_id = mentions.record_id

),

employments_as_known as (

    select
        quarters.quarter,
        quarters.as_of_date,
        versions.employment_id,
        arg_max(versions.employment_start_date, versions.known_date) as employment_start_date,
        arg_max(versions.employment_end_date, versions.known_date) as employment_end_date
    from quarters
    inner join talent_employment_versions as versions
        on quarters.as_of_date >= versions.known_date
    group by all

),

employing as (

    select
        employments.quarter,
        mentions.uscc,
        'c5' as check_id,
        employments.employment_id as record_id
    from employments_as_known as employments
    inner join mentions
        on
            mentions.feed = 'lists.talents'
            and employments.employment_id = mentions.record_id
    where
        employments.employment_start_date <= employments.as_of_date
        and (
            employments.employment_end_date is null
            or employments.employment_end_date > employments.as_of_date
        )

),

incubators_as_known as (

    select
        quarters.quarter,
        versions.incubator_name_normalized,
        arg_max(versions.recognized_date, versions.known_date) as recognized_date,
        arg_max(versions.revoked_date, versions.known_date) as revoked_date
    from quarters
    inner join incubator_versions as versions on quarters.as_of_date >= versions.known_date
    group by all

),

incubated as (

    select
        quarters.quarter,
        mentions.uscc,
        'c6' as check_id,
        recommendations.recommendation_id as record_id
    from quarters
    inner join incubator_recommendations as recommendations
        on
            quarters.as_of_date >= recommendations.known_date
            and recommendations.recommended_date
            between quarters.as_of_date - to_months({{ policy('haifan', 'c6_window_months') }})
            and quarters.as_of_date
    inner join incubators_as_known as incubators
        on
            quarters.quarter = incubators.quarter
            and recommendations.incubator_name_normalized = incubators.incubator_name_normalized
            and recommendations.recommended_date >= incubators.recognized_date
            and (
                incubators.revoked_date is null
                or recommendations.recommended_date < incubators.revoked_date
            )
    inner join mentions
        on
            mentions.feed = 'lists.incubator_recommendations'
            and recommendations.recommendation_id = mentions.record_id

),

associated as (

    select
        quarters.quarter,
        mentions.uscc,
        'c7' as check_id,
        recommendations.recommendation_id as record_id
    from quarters
    inner join association_recommendations as recommendations
        on
            quarters.as_of_date >= recommendations.known_date
            and recommendations.recommended_date
            between quarters.as_of_date - to_months({{ policy('haifan', 'c7_window_months') }})
            and quarters.as_of_date
    inner join mentions
        on
            mentions.feed = 'lists.association_recommendations'
            and recommendations.recommendation_id = mentions.record_id

),

final as (

    select * from certified
    union all
    select * from granted
    union all
    select * from funded
    union all
    select * from listed
    union all
    select * from employing
    union all
    select * from incubated
    union all
    select * from associated

)

select * from final
