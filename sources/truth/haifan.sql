-- Haifan checks per firm for the quarters in `quarters`; see sources/truth/haifan.py.
-- Placeholders in braces are filled from the policy configuration.
with
status_events as (
    select firm, known_date, known_date - interval 1 day as day, status as value from enterprises
    union all
    select firm, known_date, day, value from changes where kind = 'status'
),
district_events as (
    select firm, known_date, known_date - interval 1 day as day, area_code as value from enterprises
    union all
    select firm, known_date, day, value from changes where kind = 'district'
),
firms_known as (
    select q.quarter, q.as_of, e.firm, e.is_legal_person
    from quarters as q inner join enterprises as e on e.known_date <= q.as_of
),
status_on as (
    select q.quarter, s.firm, arg_max(s.value, s.day) as status
    from quarters as q inner join status_events as s on s.known_date <= q.as_of and s.day <= q.as_of
    group by all
),
district_on as (
    select q.quarter, d.firm, arg_max(d.value, d.day) as area_code
    from quarters as q inner join district_events as d on d.known_date <= q.as_of and d.day <= q.as_of
    group by all
),
tax_known as (
    select q.quarter, t.firm, t.year,
        arg_max(t.revenue, t.known_date) as revenue, arg_max(t.is_haidian_office, t.known_date) as is_haidian_office
    from quarters as q inner join declarations as t
        on t.known_date <= q.as_of and t.year <= year(q.as_of) - 1
    group by all
),
fiscal as (
    select quarter, firm, max(year) as fiscal_year from tax_known group by all
),
financials as (
    select f.quarter, f.firm, f.fiscal_year,
        y.revenue as revenue_y, y.is_haidian_office as is_haidian_office_y, y1.revenue as revenue_y1, y2.revenue as revenue_y2
    from fiscal as f
    inner join tax_known as y on y.quarter = f.quarter and y.firm = f.firm and y.year = f.fiscal_year
    left join tax_known as y1 on y1.quarter = f.quarter and y1.firm = f.firm and y1.year = f.fiscal_year - 1
    left join tax_known as y2 on y2.quarter = f.quarter and y2.firm = f.firm and y2.year = f.fiscal_year - 2
),
certified as (
    select distinct q.quarter, c.firm
    from quarters as q inner join certificates as c
        on c.known_date <= q.as_of and c.issued_on <= q.as_of and q.as_of <= c.expires_on
),
funded_c2 as (
    select distinct q.quarter, f.firm
    from quarters as q inner join funding as f
        on f.counts_for = 'c2' and f.known_date <= q.as_of
        and f.granted_on between q.as_of - to_months({c2_months}) and q.as_of
),
funded_c3 as (
    select distinct q.quarter, f.firm
    from quarters as q inner join funding as f
        on f.counts_for = 'c3' and f.known_date <= q.as_of and f.granted_on <= q.as_of
        {c3_window}
),
latest_editions as (
    select q.quarter, e.list_name, max(e.edition) as edition
    from quarters as q inner join list_entries as e on e.known_date <= q.as_of
    group by all
),
listed as (
    select distinct l.quarter, e.firm
    from latest_editions as l inner join list_entries as e
        on e.list_name = l.list_name and e.edition = l.edition
),
talent_versions as (
    select q.quarter, q.as_of, t.record_id, arg_max(t.firm, t.known_date) as firm,
        arg_max(t.started_on, t.known_date) as started_on, arg_max(t.ended_on, t.known_date) as ended_on
    from quarters as q inner join talents as t on t.known_date <= q.as_of
    group by all
),
employing as (
    select distinct quarter, firm from talent_versions
    where started_on <= as_of and (ended_on is null or ended_on > as_of)
),
incubator_versions as (
    select q.quarter, i.incubator_name, arg_max(i.recognised_on, i.known_date) as recognised_on,
        arg_max(i.revoked_on, i.known_date) as revoked_on
    from quarters as q inner join incubators as i on i.known_date <= q.as_of
    group by all
),
incubated as (
    select distinct q.quarter, r.firm
    from quarters as q
    inner join recommendations as r
        on r.known_date <= q.as_of
        and r.recommended_on between q.as_of - to_months({c6_months}) and q.as_of
    inner join incubator_versions as i
        on i.quarter = q.quarter and i.incubator_name = r.incubator_name
        and i.recognised_on <= r.recommended_on and (i.revoked_on is null or i.revoked_on > r.recommended_on)
),
associated as (
    select distinct q.quarter, a.firm
    from quarters as q inner join association as a
        on a.known_date <= q.as_of
        and a.recommended_on between q.as_of - to_months({c7_months}) and q.as_of
),
latest_rating as (
    select q.quarter, q.as_of, r.firm,
        arg_max(r.grade_rank, date_diff('day', date '1970-01-01', r.rated_on) * 100 + r.grade_rank) as grade_rank,
        max(r.rated_on) as rated_on
    from quarters as q inner join ratings as r on r.known_date <= q.as_of and r.rated_on <= q.as_of
    group by all
),
list_current as (
    select distinct quarter, list_kind, firm
    from (
        select q.quarter, l.list_kind, l.listing_id, l.firm, arg_max(l.event, l.day) as last_event
        from quarters as q inner join list_events as l on l.known_date <= q.as_of and l.day <= q.as_of
        group by all
    )
    where last_event in ('列入', '发布')
),
fraud_judged as (
    select distinct q.quarter, c.defendant as firm
    from quarters as q inner join cases as c
        on c.is_fraud and c.known_date <= q.as_of
        and c.judged_on between q.as_of - to_years({fraud_years}) and q.as_of
),
subsidy_fraud as (
    select distinct q.quarter, p.firm
    from quarters as q inner join penalties as p
        on p.violation = '{subsidy_fraud}' and p.known_date <= q.as_of
        and p.decided_on between q.as_of - to_years({subsidy_fraud_years}) and q.as_of
),
checks as (
    select
        k.quarter, k.as_of, k.firm, fin.fiscal_year, fin.revenue_y,
        case when '{growth_method}' = 'cagr' then
            case when fin.revenue_y2 > 0 then sqrt(fin.revenue_y / fin.revenue_y2) - 1 end
        else
            case when fin.revenue_y2 > 0 and fin.revenue_y1 > 0 then
                ((fin.revenue_y / fin.revenue_y1 - 1) + (fin.revenue_y1 / fin.revenue_y2 - 1)) / 2 end
        end as growth,
        r.grade_rank, r.rated_on,
        coalesce(s.status in ({operating}) and d.area_code = '{haidian}'
            and fin.is_haidian_office_y, false) as b1,
        k.is_legal_person as b2,
        coalesce(fin.fiscal_year >= year(k.as_of) - {stale_years}
            and fin.revenue_y <= {revenue_cap}, false) as b3,
        cert.firm is not null as is_certified,
        c2.firm is not null as c2,
        c3.firm is not null as c3,
        c4.firm is not null as c4,
        c5.firm is not null as c5,
        c6.firm is not null as c6,
        c7.firm is not null as c7,
        coalesce(r.grade_rank <= {min_rank} and k.as_of < r.rated_on + to_months({rating_months}), false) as m1,
        not (
            dishonest.firm is not null or serious.firm is not null or fj.firm is not null
            or sf.firm is not null or ({abnormal_disqualifies} and abnormal.firm is not null)
        ) as m2
    from firms_known as k
    left join status_on as s on s.quarter = k.quarter and s.firm = k.firm
    left join district_on as d on d.quarter = k.quarter and d.firm = k.firm
    left join financials as fin on fin.quarter = k.quarter and fin.firm = k.firm
    left join certified as cert on cert.quarter = k.quarter and cert.firm = k.firm
    left join funded_c2 as c2 on c2.quarter = k.quarter and c2.firm = k.firm
    left join funded_c3 as c3 on c3.quarter = k.quarter and c3.firm = k.firm
    left join listed as c4 on c4.quarter = k.quarter and c4.firm = k.firm
    left join employing as c5 on c5.quarter = k.quarter and c5.firm = k.firm
    left join incubated as c6 on c6.quarter = k.quarter and c6.firm = k.firm
    left join associated as c7 on c7.quarter = k.quarter and c7.firm = k.firm
    left join latest_rating as r on r.quarter = k.quarter and r.firm = k.firm
    left join list_current as dishonest
        on dishonest.quarter = k.quarter and dishonest.firm = k.firm and dishonest.list_kind = 'dishonest'
    left join list_current as serious
        on serious.quarter = k.quarter and serious.firm = k.firm and serious.list_kind = 'serious'
    left join list_current as abnormal
        on abnormal.quarter = k.quarter and abnormal.firm = k.firm and abnormal.list_kind = 'abnormal'
    left join fraud_judged as fj on fj.quarter = k.quarter and fj.firm = k.firm
    left join subsidy_fraud as sf on sf.quarter = k.quarter and sf.firm = k.firm
)
select
    quarter, as_of as as_of_date, firm, b1, b2, b3,
    -- Growth is compared rounded to 9 decimals: exactly 20% must pass although
    -- sqrt(1.44) - 1 is 0.19999999999999996 in floating point.
    coalesce(
        is_certified and revenue_y >= {c1_revenue} and round(growth, 9) >= {c1_growth}, false
    ) as c1,
    c2, c3, c4, c5, c6, c7, m1, m2, fiscal_year, revenue_y as revenue, growth, grade_rank, rated_on
from checks
order by quarter, firm
