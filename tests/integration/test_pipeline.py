"""The whole graph on a small world: a real Dagster instance, real dbt, in a temporary folder."""

import json
import os
import subprocess

import dagster as dg
import duckdb
import pytest

from pipelines.lib.dbt_manifest import DBT_EXECUTABLE, MANIFEST_PATH, policy_vars
from pipelines.lib.paths import DBT_PROJECT_DIR

pytestmark = pytest.mark.integration


def test_the_main_command_runs_every_step_successfully(platform_run):
    _, completed = platform_run

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "FAILED" not in completed.stdout
    assert "dbt build" in completed.stdout


def test_every_delivery_reconciles_rows_in_with_loaded_plus_quarantined(platform_run):
    root, _ = platform_run
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as connection:
        unbalanced, deliveries = connection.sql(
            "select count(*) filter (where rows_in <> rows_loaded + rows_quarantined), "
            "count(distinct source || delivery_id) from raw_meta.loads"
        ).fetchone()
    delivered = sum(1 for _ in (root / "landing").glob("*/*/_manifest.json"))

    assert unbalanced == 0
    assert deliveries == delivered + 1  # plus the read of the source database


def test_staging_models_are_built_from_the_raw_tables(platform_run):
    root, _ = platform_run
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as connection:
        enterprises = connection.sql("select count(*) from stg_registry__enterprises").fetchone()[0]
        raw = connection.sql(
            "select count(distinct TYSHXYDM) from raw_registry.enterprises"
        ).fetchone()[0]

    assert enterprises == raw > 0


def test_the_runs_are_recorded_in_the_dagster_instance(platform_run, monkeypatch):
    root, _ = platform_run
    monkeypatch.setenv("DAGSTER_HOME", str(root / "dagster_home"))

    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs()
        partitions = instance.get_dynamic_partitions("registry_deliveries")

    assert runs and all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs)
    registry = sum(1 for _ in (root / "landing" / "registry").glob("*/_manifest.json"))
    assert len(partitions) == registry


def test_every_file_reconciles_and_every_check_passes(platform_run):
    root, completed = platform_run
    steps = json.loads((root / "timings.json").read_text())["steps"]

    assert "Every file reconciles" in completed.stdout
    assert all(step["checks_failed"] == 0 for step in steps)
    raw_checks = sum(step["checks_passed"] for step in steps if step["layer"] == "raw")
    dbt_checks = sum(step["checks_passed"] for step in steps if step["layer"] == "dbt")
    assert raw_checks > 0 and dbt_checks > 0


def test_a_run_without_new_deliveries_loads_nothing_and_skips_dbt(second_run):
    root, completed = second_run
    steps = json.loads((root / "timings-second.json").read_text())["steps"]

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "no new raw data, models are current" in completed.stdout
    assert [step["step"] for step in steps] == ["raw subsidies database"]


def test_a_warehouse_held_open_elsewhere_stops_the_run_with_one_line(second_run, main_command):
    root, _ = second_run
    with duckdb.connect(str(root / "warehouse.duckdb")):
        completed = main_command(root)

    assert completed.returncode == 2
    assert "is open in another process" in completed.stderr
    assert "Traceback" not in completed.stderr + completed.stdout
    assert len(completed.stderr.strip().splitlines()) == 1


def test_the_dbt_unit_tests_pass(platform_run):
    root, _ = platform_run
    completed = subprocess.run(
        [
            *(str(DBT_EXECUTABLE), "test", "--select", "test_type:unit", "--profiles-dir", "."),
            *("--vars", policy_vars()),
        ],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, "DUCKDB_DATABASE": str(root / "warehouse.duckdb")},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )

    unit_tests = json.loads(MANIFEST_PATH.read_text())["unit_tests"]
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert unit_tests and f"PASS={len(unit_tests)} " in completed.stdout
