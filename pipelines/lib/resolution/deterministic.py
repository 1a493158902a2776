"""The deterministic tiers: links that need no model.

In order, the first that names exactly one enterprise decides:

1. ``registered_code``: the record carries a USCC that is registered.
2. ``organisation_code``: it carries a 9-character organisation code, which is characters 9-17 of
   exactly one registered USCC.
3. ``exact_name``: its normalised name (white space, width, traditional characters) equals a
   name the enterprise bore, preferring names valid on the mention's date, then former names
   within the grace period after the rename, then any.
4. ``normalised_name``: the same on the name key (place prefix, region tag, 有限责任公司).

A name matching two enterprises at its best date fit decides nothing: the mention goes on to the
model, where the other evidence (company form, district, dates) may tell them apart.
"""

import duckdb


def link_deterministically(work: duckdb.DuckDBPyConnection, former_name_grace_days: int) -> int:
    """Create ``deterministic_links`` (mention_id, uscc, resolution_method, evidence) in ``work``.

    Returns:
        The number of mentions linked.
    """
    grace = int(former_name_grace_days)
    work.execute(
        f"""
        create or replace table deterministic_links as
        with

        registered as (
            select distinct uscc from names
        ),

        by_registered_code as (
            select
                mentions.mention_id,
                mentions.id_uscc as uscc,
                'registered_code' as resolution_method,
                1 as tier,
                json_object('code', mentions.id_uscc) as evidence
            from mentions
            inner join registered on mentions.id_uscc = registered.uscc
        ),

        by_organisation_code as (
            select
                mentions.mention_id,
                any_value(registered.uscc) as uscc,
                'organisation_code' as resolution_method,
                2 as tier,
                json_object('code', any_value(mentions.id_organisation_code)) as evidence
            from mentions
            inner join registered
                on mentions.id_organisation_code = substr(registered.uscc, 9, 9)
            group by mentions.mention_id
            having count(*) = 1
        ),

        exact_matches as (
            select mentions.*, names.* exclude (name_key, company_form), 3 as tier
            from mentions
            inner join names
                on mentions.mentioned_name_normalized = names.enterprise_name_normalized
        ),

        key_matches as (
            select mentions.*, names.* exclude (name_key, company_form), 4 as tier
            from mentions
            inner join names on mentions.name_key = names.name_key
        ),

        name_matches as (
            select
                mention_id,
                uscc,
                enterprise_name,
                is_current_name,
                tier,
                case
                    when mention_date is null then 1
                    when mention_date >= valid_from_date
                        and (valid_to_date is null or mention_date < valid_to_date) then 0
                    when mention_date >= valid_to_date
                        and mention_date < valid_to_date + {grace} then 1
                    else 2
                end as date_fit
            from (select * from exact_matches union all by name select * from key_matches)
        ),

        best_name_matches as (
            select * from name_matches
            qualify rank() over (partition by mention_id order by tier, date_fit) = 1
        ),

        by_name as (
            select
                mention_id,
                any_value(uscc) as uscc,
                case any_value(tier)
                    when 3 then 'exact_name' else 'normalised_name'
                end as resolution_method,
                any_value(tier) as tier,
                json_object(
                    'matched_name', any_value(enterprise_name),
                    'is_current_name', any_value(is_current_name),
                    'name_in_use_on_mention_date', any_value(date_fit) = 0,
                    'former_name_within_grace', any_value(date_fit) = 1
                ) as evidence
            from best_name_matches
            group by mention_id
            having count(distinct uscc) = 1
        ),

        every_tier as (
            select * from by_registered_code
            union all
            select * from by_organisation_code
            union all
            select * from by_name
        )

        select mention_id, uscc, resolution_method, evidence
        from every_tier
        qualify row_number() over (partition by mention_id order by tier) = 1
        """
    )
    return work.sql("select count(*) from deterministic_links").fetchone()[0]
