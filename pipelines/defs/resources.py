"""Resources shared by every asset in the code location."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.lib.paths import warehouse_path

DUCKDB_RESOURCE_KEY = "duckdb"


@dg.definitions
def resources() -> dg.Definitions:
    """Bind the warehouse connection.

    `DUCKDB_DATABASE` is the one path shared with dbt's `profiles.yml` and the GX runner, so
    Dagster, dbt and expectations always read and write the same DuckDB file.
    """
    return dg.Definitions(
        resources={DUCKDB_RESOURCE_KEY: DuckDBResource(database=str(warehouse_path()))},
    )
