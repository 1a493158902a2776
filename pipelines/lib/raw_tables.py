"""Names and shapes of the raw layer: one DuckDB table per feed (per sheet for workbooks).

A raw table ``raw_<source>.<table>`` holds every delivered row of one feed as text, exactly as
delivered, under the contract's current column names (a renamed column is mapped to its current
name), followed by the load metadata below. Rows that break the contract go to
``raw_meta.quarantine`` instead, with the reason; ``raw_meta.loads`` records every file's
reconciliation (rows in = rows loaded + rows quarantined).
"""

from pipelines.lib.contract import Feed, Table

META_SCHEMA = "raw_meta"
QUARANTINE_TABLE = f"{META_SCHEMA}.quarantine"
LOADS_TABLE = f"{META_SCHEMA}.loads"

#: Load metadata on every raw row: (column, DuckDB type, meaning).
METADATA_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("_delivery_id", "varchar", "delivery folder name, e.g. 2025-06-30 or 2025-04-15_zgc_admin"),
    ("_delivered_on", "date", "date of the delivery: the date the platform learnt of the row"),
    ("_source_file", "varchar", "file path relative to the landing root (#sheet for workbooks)"),
    ("_file_sha256", "varchar", "SHA-256 of the delivered file's bytes"),
    ("_row_number", "bigint", "1-based data row (or JSON record) number within the file"),
    ("_loaded_at", "timestamp", "when the row was loaded (UTC)"),
    ("_extra_columns", "json", "columns the contract does not know, as a JSON object; else null"),
)

#: Table names of the sheets of multi-sheet feeds (single-table feeds use the feed name).
SHEET_TABLES = {
    ("subsidies.district_finance", "企业补贴"): "district_finance_firm_payments",
    ("subsidies.district_finance", "机构补贴"): "district_finance_lender_payments",
}


def raw_schema(feed: Feed) -> str:
    """Schema of a feed's raw tables."""
    return f"raw_{feed.source.name}"


def raw_table_name(feed: Feed, table: Table) -> str:
    """Unqualified raw table name of one of a feed's tables."""
    if len(feed.tables) == 1:
        return feed.name
    return SHEET_TABLES[(feed.id, table.name)]


def qualified_name(feed: Feed, table: Table) -> str:
    """``raw_<source>.<table>``."""
    return f"{raw_schema(feed)}.{raw_table_name(feed, table)}"
