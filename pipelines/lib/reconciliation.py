"""Reconciliation of the raw layer, counted from what was stored rather than from the loader.

``raw_meta.loads`` records how many rows the loader read from each file; this module counts the
rows that file actually left in its raw table and in ``raw_meta.quarantine``. A file is balanced
when read = stored + quarantined; any other file lost or duplicated rows on the way.
"""

import duckdb

from pipelines.lib.raw_tables import LOADS_TABLE, QUARANTINE_TABLE


def unbalanced_files(
    connection: duckdb.DuckDBPyConnection, raw_table: str, delivery_ids: list[str] | None = None
) -> list[tuple[str, str, int, int, int]]:
    """Files of ``raw_table`` (of the given deliveries, default all) that do not reconcile.

    Returns:
        (delivery id, source file, rows read, rows stored, rows quarantined) per unbalanced file.
    """
    deliveries = "" if delivery_ids is None else "and delivery_id in (select unnest($deliveries))"
    stored_deliveries = (
        "" if delivery_ids is None else "where _delivery_id in (select unnest($deliveries))"
    )
    parameters = {"raw_table": raw_table} | (
        {} if delivery_ids is None else {"deliveries": delivery_ids}
    )
    return connection.execute(
        f"""
        with read_rows as (
            select delivery_id, source_file, sum(rows_in) as rows_read
            from {LOADS_TABLE}
            where raw_table = $raw_table {deliveries}
            group by all
        ),
        stored as (
            select _delivery_id as delivery_id, _source_file as source_file, count(*) as rows_stored
            from {raw_table} {stored_deliveries}
            group by all
        ),
        quarantined as (
            select delivery_id, source_file, count(*) as rows_quarantined
            from {QUARANTINE_TABLE}
            where row_number is not null {deliveries}
            group by all
        )
        select
            delivery_id, source_file, rows_read,
            coalesce(rows_stored, 0), coalesce(rows_quarantined, 0)
        from read_rows
        left join stored using (delivery_id, source_file)
        left join quarantined using (delivery_id, source_file)
        where rows_read <> coalesce(rows_stored, 0) + coalesce(rows_quarantined, 0)
        order by delivery_id, source_file
        """,
        parameters,
    ).fetchall()
