"""Writing dbt's manifest, from which the dbt asset definitions are built."""

import os
import subprocess
import sys
from pathlib import Path

from pipelines.lib.paths import DBT_PROJECT_DIR, warehouse_path

#: dbt of this environment, whether or not the environment's bin folder is on PATH.
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")


def parse_dbt_project() -> None:
    """Run ``dbt parse``: writes ``dbt_project/target/manifest.json`` for the current models."""
    subprocess.run(
        [
            str(DBT_EXECUTABLE),
            "parse",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--quiet",
        ],
        check=True,
        env={**os.environ, "DUCKDB_DATABASE": str(warehouse_path())},
    )
