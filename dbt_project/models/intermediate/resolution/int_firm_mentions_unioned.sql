{#- Every record that names a firm without a dependable code, from every feed that has them: the
    input of entity resolution (pipelines/lib/resolution). One row per mention, keyed by feed and
    the feed's own record id (the ids of the simulator's truth/entity_links.parquet). Court
    parties are the legal-person parties only: natural persons are never firms. -#}
{{ config(materialized='table') }}

with

case_parties as (

    select * from {{ ref('stg_courts__case_parties') }}

),

cases as (

    select * from {{ ref('stg_courts__cases') }}

),

dishonest_debtor_list_events as (

    select * from {{ ref('stg_courts__dishonest_debtor_list_events') }}

),

association_recommendations as (

    select * from {{ ref('stg_lists__association_recommendations') }}

),

deloitte_fast50_entries as (

    select * from {{ ref('stg_lists__deloitte_fast50_entries') }}

),

incubator_recommendations as (

    select * from {{ ref('stg_lists__incubator_recommendations') }}

),

talent_employments as (

    select * from {{ ref('stg_lists__talent_employments') }}

),

high_growth_top100_entries as (

    select * from {{ ref('stg_lists__high_growth_top100_entries') }}

),

zgc_top10_awards as (

    select * from {{ ref('stg_lists__zgc_top10_awards') }}

),

haidian_park_disbursements as (

    select * from {{ ref('stg_subsidies__haidian_park_disbursements') }}

),

persons_per_document as (

    {#- A judgment names the firm's legal representative as a natural-person party when both
        are defendants (fraud cases): evidence for the link. -#}
    select
        document_id,
        list(party_name order by party_position) as person_names
    from case_parties
    where party_type = '自然人'
    group by all

),

court_party_mentions as (

    select
        'courts.cases' as feed,
        case_parties.case_party_id as record_id,
        case_parties.party_name as mentioned_name,
        case_parties.party_name_normalized as mentioned_name_normalized,
        case_parties.party_id_code as id_code,
        regexp_extract(cases.court_name, '^北京市(.+区)人民法院$', 1) as district,
        persons_per_document.person_names as related_person_names,
        cases.filed_date as mention_date,
        case_parties.known_date
    from case_parties
    inner join cases on case_parties.document_id = cases.document_id
    left join persons_per_document on case_parties.document_id = persons_per_document.document_id
    where case_parties.party_type = '法人'

),

dishonest_debtor_mentions as (

    select
        'courts.dishonest_debtors' as feed,
        list_event_id as record_id,
        debtor_name as mentioned_name,
        debtor_name_normalized as mentioned_name_normalized,
        debtor_id_code as id_code,
        regexp_extract(court_name, '^北京市(.+区)人民法院$', 1) as district,
        cast(null as varchar[]) as related_person_names,
        event_date as mention_date,
        known_date
    from dishonest_debtor_list_events

),

list_mentions as (

    select
        'lists.association_recommendations' as feed,
        recommendation_id as record_id,
        enterprise_name as mentioned_name,
        enterprise_name_normalized as mentioned_name_normalized,
        recommended_date as mention_date,
        known_date
    from association_recommendations

    union all

    select
        'lists.deloitte50' as feed,
        list_entry_id as record_id,
        enterprise_name as mentioned_name,
        enterprise_name_normalized as mentioned_name_normalized,
        known_date as mention_date,
        known_date
    from deloitte_fast50_entries

    union all

    select
        'lists.incubator_recommendations' as feed,
        recommendation_id as record_id,
        enterprise_name as mentioned_name,
        enterprise_name_normalized as mentioned_name_normalized,
        recommended_date as mention_date,
        known_date
    from incubator_recommendations

    union all

    select
        'lists.talents' as feed,
        employment_id as record_id,
        employer_name as mentioned_name,
        employer_name_normalized as mentioned_name_normalized,
        employment_start_date as mention_date,
        known_date
    from talent_employments

    union all

    select
        'lists.top100' as feed,
        list_entry_id as record_id,
        enterprise_name as mentioned_name,
        enterprise_name_normalized as mentioned_name_normalized,
        known_date as mention_date,
        known_date
    from high_growth_top100_entries

    union all

    select
        'lists.zgc_top10' as feed,
        list_entry_id as record_id,
        enterprise_name as mentioned_name,
        enterprise_name_normalized as mentioned_name_normalized,
        known_date as mention_date,
        known_date
    from zgc_top10_awards

),

subsidy_mentions as (

    {#- The park pays firms registered in its district. -#}
    select
        'subsidies.haidian_park' as feed,
        disbursement_id as record_id,
        enterprise_name as mentioned_name,
        enterprise_name_normalized as mentioned_name_normalized,
        '海淀区' as district,
        payment_date as mention_date,
        known_date
    from haidian_park_disbursements

),

unioned as (

    select * from court_party_mentions

    union all by name

    select * from dishonest_debtor_mentions

    union all by name

    select * from list_mentions

    union all by name

    select * from subsidy_mentions

),

final as (

    select
        feed,
        record_id,
        mentioned_name,
        mentioned_name_normalized,
        {{ name_match_key('mentioned_name_normalized') }} as name_key,
        {{ company_form('mentioned_name_normalized') }} as company_form,
        case when length(replace(id_code, '-', '')) = 18 then id_code end as id_uscc,
        case
            when length(replace(id_code, '-', '')) = 9 then replace(id_code, '-', '')
        end as id_organisation_code,
        nullif(district, '') as district,
        related_person_names,
        mention_date,
        known_date
    from unioned

)

select * from final
