{#- Every mention of a firm by name with the enterprise it was resolved to: what the marts join
    on to credit court cases, list entries, talents and park disbursements to an enterprise.
    Unresolved mentions and those in review keep a null uscc. -#}
with

mentions as (

    select * from {{ ref('int_firm_mentions_unioned') }}

),

resolutions as (

    select * from {{ source('resolution', 'entity_resolutions') }}

),

final as (

    select
        mentions.feed,
        mentions.record_id,
        mentions.mentioned_name,
        resolutions.uscc,
        resolutions.resolution_status,
        resolutions.resolution_method,
        resolutions.match_probability,
        mentions.mention_date,
        mentions.known_date
    from mentions
    left join resolutions
        on mentions.feed = resolutions.feed and mentions.record_id = resolutions.record_id

)

select * from final
