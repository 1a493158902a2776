"""Repository-relative default locations, overridable through environment variables.

Every process (Dagster, dbt, GX, tests) must agree on where the warehouse and landing zone
live. Defaults are anchored at the repository root rather than the working directory so that
`dagster dev`, `pytest` and `make` give the same answer wherever they are started from.
"""

import os
from pathlib import Path

REPO_ROOT: Path = Path(__file__).resolve().parents[2]
"""Root of the repository (the directory holding `pyproject.toml`)."""

DBT_PROJECT_DIR: Path = REPO_ROOT / "dbt_project"
"""The dbt project that builds staging, intermediate and mart models."""

DEFAULT_WAREHOUSE_PATH: Path = REPO_ROOT / "warehouse" / "credit.duckdb"
"""DuckDB file used when `DUCKDB_DATABASE` is unset."""

DEFAULT_LANDING_DIR: Path = REPO_ROOT / "landing"
"""Landing zone used when `LANDING_DIR` is unset."""


def warehouse_path() -> Path:
    """Return the DuckDB warehouse file shared by Dagster, dbt and GX.

    Returns:
        `$DUCKDB_DATABASE` if set (relative values are taken from the repository root),
        otherwise `<repo>/warehouse/credit.duckdb`.
    """
    return _from_env("DUCKDB_DATABASE", DEFAULT_WAREHOUSE_PATH)


def landing_dir() -> Path:
    """Return the landing zone where source systems deliver their feeds.

    Returns:
        `$LANDING_DIR` if set (relative values are taken from the repository root),
        otherwise `<repo>/landing`.
    """
    return _from_env("LANDING_DIR", DEFAULT_LANDING_DIR)


def _from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    if not value:
        return default
    path = Path(value).expanduser()
    return path if path.is_absolute() else REPO_ROOT / path
