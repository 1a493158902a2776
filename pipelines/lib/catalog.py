"""Questions about what the warehouse holds, asked of DuckDB's information schema."""

import duckdb


def table_exists(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether ``schema.table`` exists (a table or a view)."""
    return connection.execute(
        "select count(*) > 0 from information_schema.tables "
        "where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()[0]
