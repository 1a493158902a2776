{#- The records that disqualify an enterprise under Haifan M2 on a quarter's as-of date, one row
    per quarter, enterprise, reason and record: a current 失信被执行人 listing, a current listing on
    the 严重违法失信企业名单 or (when m2_abnormal_list_disqualifies) the 经营异常名录, a judgment as defendant
    for a fraud cause within the look-back, a penalty for 骗取财政补贴 within the look-back. A
    listing is current when its latest event known by as-of, on or before as-of, is a listing. -#}
with

quarters as (

    select * from {{ ref('int_haifan_quarters') }}

),

dishonest_debtor_list_events as (

    select * from {{ ref('stg_courts__dishonest_debtor_list_events') }}

),

serious_illegal_list_events as (

    select * from {{ ref('stg_regulation__serious_illegal_list_events') }}

),

abnormal_operations_list_events as (

    select * from {{ ref('stg_regulation__abnormal_operations_list_events') }}

),

case_parties as (

    select * from {{ ref('stg_courts__case_parties') }}

),

cases as (

    select * from {{ ref('stg_courts__cases') }}

),

penalties as (

    select * from {{ ref('stg_regulation__penalties') }}

),

fraud_causes as (

    select * from {{ ref('fraud_causes') }}

),

mentions as (

    select * from {{ ref('int_firm_mentions_resolved') }}
    where resolution_status = 'resolved'

),

list_events as (

    select
        'dishonest_debtor' as reason,
        events.listing_id,
        mentions.uscc,
        events.event_type in ('publication') as is_listing,
        events.event_date,
        events.known_date,
        events.list_event_id as record_id
    from dishonest_debtor_list_events as events
    inner join mentions
        on
            mentions.feed = 'courts.dishonest_debtors'
            and events.list_event_id = mentions.record_id

    union all

    select
        'serious_illegal' as reason,
        serious_illegal_list_events.listing_id,
        {{ registered_uscc('serious_illegal_list_events.uscc') }} as uscc,
        serious_illegal_list_events.event_type = 'entry' as is_listing,
        serious_illegal_list_events.event_date,
        serious_illegal_list_events.known_date,
        serious_illegal_list_events.list_event_id as record_id
    from serious_illegal_list_events

    union all

    select
        'abnormal_operations' as reason,
        abnormal_operations_list_events.listing_id,
        {{ registered_uscc('abnormal_operations_list_events.uscc') }} as uscc,
        abnormal_operations_list_events.event_type = 'entry' as is_listing,
        abnormal_operations_list_events.event_date,
        abnormal_operations_list_events.known_date,
        abnormal_operations_list_events.list_event_id as record_id
    from abnormal_operations_list_events
    where {{ policy('haifan', 'm2_abnormal_list_disqualifies') }}

),

current_listings as (

    select
        quarters.quarter,
        list_events.reason,
        list_events.listing_id,
        list_events.uscc,
        arg_max(list_events.is_listing, list_events.event_date) as is_listed,
        arg_max(list_events.record_id, list_events.event_date) as record_id
    from quarters
    inner join list_events
        on
            quarters.as_of_date >= list_events.known_date
            and quarters.as_of_date >= list_events.event_date
    group by all

),

listed as (

    select
        quarter,
        uscc,
        reason,
        record_id
    from current_listings
    where is_listed

),

fraud_judgments as (

    select
        quarters.quarter,
        mentions.uscc,
        'fraud_judgment' as reason,
        parties.case_party_id as record_id
    from quarters
    inner join cases
        on
            quarters.as_of_date >= cases.known_date
            and cases.judged_date
            between quarters.as_of_date
            - to_years({{ policy('haifan', 'm2_fraud_judgment_years') }})
            and quarters.as_of_date
    inner join fraud_causes on cases.cause = fraud_causes.cause
    inner join case_parties as parties
        on
            cases.document_id = parties.document_id
            and parties.party_role in ('被告', '被告单位')
    inner join mentions
        on
            mentions.feed = 'courts.cases'
            and parties.case_party_id = mentions.record_id

),

subsidy_frauds as (

    select
        quarters.quarter,
        {{ registered_uscc('penalties.uscc') }} as uscc,
        'subsidy_fraud' as reason,
        penalties.penalty_id as record_id
    from quarters
    inner join penalties
        on
            quarters.as_of_date >= penalties.known_date
            and penalties.violation_type = '骗取财政补贴'
            and penalties.decided_date
            between quarters.as_of_date - to_years({{ policy('haifan', 'm2_subsidy_fraud_years') }})
            and quarters.as_of_date

),

final as (

    select * from listed
    union all
    select * from fraud_judgments
    union all
    select * from subsidy_frauds

)

select * from final
