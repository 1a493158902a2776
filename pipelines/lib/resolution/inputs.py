"""The mentions to resolve and the candidate names, copied into the working database.

Resolution runs in an in-memory database, so Splink writes its scratch tables there and not into
the warehouse.

Both come from dbt: ``int_firm_mentions_unioned`` and ``int_enterprise_names_unioned``.
"""

import duckdb
import pyarrow as pa

from pipelines.lib.catalog import model_relation
from pipelines.lib.resolution.sounds import add_name_sounds
from pipelines.lib.resolution.store import DECISIONS, RESOLUTIONS

MENTIONS_MODEL = "int_firm_mentions_unioned"
NAMES_MODEL = "int_enterprise_names_unioned"

#: What makes a mention's resolution stale when it changes: the fields resolution reads.
_FINGERPRINT = """md5(concat_ws('|', mentioned_name_normalized, id_uscc, id_organisation_code,
    district, array_to_string(related_person_names, ','), mention_date))"""


def load_mentions(
    warehouse: duckdb.DuckDBPyConnection, work: duckdb.DuckDBPyConnection, everything: bool
) -> int:
    """Copy the mentions that need resolving into ``work.mentions``; returns their number.

    Unless ``everything``, these are the mentions not resolved yet: new ones, ones whose fields
    changed since they were resolved, ones left in review or unresolved (a firm registered since,
    or a reviewer's decision, may settle them now), and resolved ones a reviewer has judged since.
    """
    mentions = model_relation(warehouse, MENTIONS_MODEL)
    pending = (
        ""
        if everything
        else f"""
        where not exists (
            select 1 from {RESOLUTIONS} as done
            where done.feed = mentions.feed and done.record_id = mentions.record_id
                and done.input_fingerprint = {_FINGERPRINT}
                and done.resolution_status = 'resolved'
                and not exists (
                    select 1 from {DECISIONS} as decisions
                    where decisions.feed = done.feed and decisions.record_id = done.record_id
                        and decisions.decided_at > done.resolved_at
                )
        )"""
    )
    table = warehouse.sql(
        f"""
        select
            feed || '|' || record_id as mention_id,
            *,
            {_FINGERPRINT} as input_fingerprint
        from {mentions} as mentions
        {pending}
        """
    ).to_arrow_table()
    copy_into(work, "mentions", table)
    return table.num_rows


def load_names(warehouse: duckdb.DuckDBPyConnection, work: duckdb.DuckDBPyConnection) -> int:
    """Copy every enterprise name into ``work.names``, with its sounds; returns their number."""
    names = model_relation(warehouse, NAMES_MODEL)
    table = warehouse.sql(
        f"select uscc || '#' || row_number() over () as name_id, * from {names}"
    ).to_arrow_table()
    copy_into(work, "names", table)
    add_name_sounds(work, "names")
    return table.num_rows


def copy_into(work: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """Create (or replace) table ``name`` in ``work`` with the rows of an Arrow table."""
    work.register("_incoming", table)
    try:
        work.execute(f"create or replace table {name} as select * from _incoming")
    finally:
        work.unregister("_incoming")
