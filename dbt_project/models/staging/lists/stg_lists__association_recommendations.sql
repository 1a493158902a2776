with

association_recommendations as (

    select * from {{ source('lists', 'association_recommendations') }}

),

renamed as (

    select
        {{ remove_whitespace('"推荐编号"') }} as recommendation_id,
        {{ clean_text('"会员企业名称"') }} as enterprise_name,
        {{ clean_text('"推荐类别"') }} as recommendation_category,
        {{ parse_date('"推荐日期"') }} as recommended_date,
        _delivered_on as known_date,
        _delivery_id as delivery_id,
        _source_file as source_file,
        _row_number as row_number
    from association_recommendations

),

latest_versions as (

    select * from renamed
    {{ keep_latest_version(['recommendation_id']) }}

),

final as (

    select
        recommendation_id,
        enterprise_name,
        {{ normalize_name('enterprise_name') }} as enterprise_name_normalized,
        recommendation_category,
        recommended_date,
        known_date,
        delivery_id,
        source_file,
        row_number
    from latest_versions

)

select * from final
