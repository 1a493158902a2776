{#- Each enterprise's most recent credit rating known on a quarter's as-of date (by rating date;
    several on one day: the worst), with its rank on the scale (M1). One row per quarter and
    rated enterprise. -#}
with

quarters as (

    select * from {{ ref('int_haifan_quarters') }}

),

credit_ratings as (

    select * from {{ ref('stg_ratings__credit_ratings') }}

),

rating_scale as (

    select * from {{ ref('credit_rating_scale') }}

),

ranked as (

    select
        credit_ratings.* replace ({{ registered_uscc('credit_ratings.uscc') }} as uscc),
        rating_scale.grade_rank
    from credit_ratings
    inner join rating_scale on credit_ratings.credit_grade = rating_scale.credit_grade

),

final as (

    select
        quarters.quarter,
        ranked.uscc,
        ranked.rating_id,
        ranked.rating_agency,
        ranked.credit_grade,
        ranked.grade_rank,
        ranked.rating_date
    from quarters
    inner join ranked
        on
            quarters.as_of_date >= ranked.known_date
            and quarters.as_of_date >= ranked.rating_date
    qualify row_number() over (
        partition by quarters.quarter, ranked.uscc
        order by ranked.rating_date desc, ranked.grade_rank desc, ranked.rating_id asc
    ) = 1

)

select * from final
