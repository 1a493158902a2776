"""Questions about what the warehouse holds, asked of DuckDB's information schema."""

import duckdb


def table_exists(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether ``schema.table`` exists (a table or a view)."""
    return connection.execute(
        "select count(*) > 0 from information_schema.tables "
        "where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()[0]


def model_relation(warehouse: duckdb.DuckDBPyConnection, model: str) -> str:
    """The qualified name of a dbt model in the warehouse (its schema depends on the target)."""
    rows = warehouse.execute(
        "select table_schema from information_schema.tables where table_name = ?", [model]
    ).fetchall()
    if len(rows) != 1:
        raise LookupError(
            f"dbt model {model} is not in the warehouse (found {len(rows)}); build it first"
        )
    return f'"{rows[0][0]}"."{model}"'
