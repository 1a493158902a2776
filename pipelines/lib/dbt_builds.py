"""Which dbt models a run must build: all of them, or only those downstream of new raw data.

A daily delivery touches a few raw tables; rebuilding and retesting every model for it would cost
a minute where seconds suffice. The warehouse keeps a log of dbt builds (``pipeline_meta.
dbt_builds``) with a fingerprint of the dbt project's files: while the project is unchanged and
the last build succeeded, only the models downstream of the raw tables that received rows are
built. A changed model, macro, seed, test or policy, a failed last build, or a new warehouse
means everything is built.
"""

import datetime
import hashlib
from dataclasses import dataclass

import duckdb

from pipelines.lib.catalog import table_exists
from pipelines.lib.dbt_manifest import project_files
from pipelines.lib.paths import DBT_PROJECT_DIR

SCHEMA = "pipeline_meta"
BUILDS_TABLE = f"{SCHEMA}.dbt_builds"


@dataclass(frozen=True)
class LastBuild:
    """The most recent dbt build recorded in the warehouse."""

    project_fingerprint: str
    succeeded: bool


def project_fingerprint() -> str:
    """SHA-256 over the path and bytes of every source file of the dbt project."""
    digest = hashlib.sha256()
    for path in project_files():
        relative = path.relative_to(DBT_PROJECT_DIR).as_posix()
        digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def last_build(connection: duckdb.DuckDBPyConnection) -> LastBuild | None:
    """The latest recorded build, or None for a warehouse dbt has not built yet."""
    if not table_exists(connection, SCHEMA, "dbt_builds"):
        return None
    row = connection.execute(
        f"select project_fingerprint, succeeded from {BUILDS_TABLE} "
        "order by finished_at desc limit 1"
    ).fetchone()
    return LastBuild(*row) if row else None


def record_build(
    connection: duckdb.DuckDBPyConnection, fingerprint: str, models: int, succeeded: bool
) -> None:
    """Append one build to the log."""
    connection.execute(f"create schema if not exists {SCHEMA}")
    connection.execute(
        f"""create table if not exists {BUILDS_TABLE} (
            finished_at timestamp, project_fingerprint varchar, models integer,
            succeeded boolean)"""
    )
    connection.execute(
        f"insert into {BUILDS_TABLE} values (?, ?, ?, ?)",
        [datetime.datetime.now(datetime.UTC).replace(tzinfo=None), fingerprint, models, succeeded],
    )
