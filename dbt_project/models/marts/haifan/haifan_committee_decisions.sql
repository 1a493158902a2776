{#- Every Haifan candidate of every quarter built, with the admin committee's latest decision on
    it beside the computed result (never over it): approve, or reject with a reason. A view, so a
    decision recorded (pipelines.committee) shows at once. One row per quarter and candidate. -#}
{{ config(materialized='view') }}

with

candidates as (

    select * from {{ ref('haifan_candidates') }}
    where is_candidate

),

decisions as (

    select * from {{ source('committee', 'haifan_decisions') }}

),

latest_decisions as (

    select * from decisions
    qualify row_number() over (partition by quarter, uscc order by decided_at desc) = 1

),

final as (

    select
        candidates.quarter,
        candidates.uscc,
        candidates.enterprise_name,
        candidates.is_candidate,
        latest_decisions.decision as committee_decision,
        latest_decisions.reason as committee_reason,
        latest_decisions.decided_by,
        latest_decisions.decided_at
    from candidates
    left join latest_decisions
        on
            candidates.quarter = latest_decisions.quarter
            and candidates.uscc = latest_decisions.uscc

)

select * from final
