"""The main command: run the whole platform on the landing zone in a real Dagster instance.

    python -m pipelines.run            # what `make run` calls after generating the feeds

Registers every new delivery as a partition, loads each source's new deliveries in one run,
reads the 中关村发展集团 database for new and changed rows, then builds and tests the dbt models
downstream of the raw tables that received rows (every model when the dbt project changed, the
last build failed or the warehouse is new: see ``pipelines.lib.dbt_builds``), with entity
resolution between the models that gather firm mentions and those that use the links (a model
is trained on a new warehouse or with ``--retrain``; reviewers' new decisions are applied). All
steps are runs of the persistent Dagster instance in ``$DAGSTER_HOME`` (default
``.dagster_home/``, the one `make ui` shows). Ends with a summary per layer: rows, quarantined
rows, checks and time per step.
"""

import argparse
import contextlib
import datetime
import io
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.lib.dbt_manifest import DBT_TARGET_DIR
from pipelines.lib.instance import platform_instance
from pipelines.lib.paths import landing_dir, warehouse_path
from pipelines.lib.reconciliation import unbalanced_files
from pipelines.lib.resolution.store import resolution_summary

#: Dagster's console log stays at warnings: the full event log is in the instance and the UI.
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
#: Lines of dbt's output shown when its step fails (the whole log is dbt_project/target/dbt.log).
DBT_TAIL_LINES = 40


@dataclass
class Step:
    """Outcome of one Dagster run."""

    success: bool
    seconds: float
    run_id: str
    #: Raw tables that received rows in this run.
    changed: set[dg.AssetKey] = field(default_factory=set)
    checks_passed: int = 0
    checks_failed: int = 0


def _run(assets, selection, instance, resources, tags=None, run_config=None) -> Step:
    started = time.perf_counter()
    result = dg.materialize(
        assets,
        selection=selection,
        instance=instance,
        resources=resources,
        tags=tags or {},
        run_config=run_config or QUIET,
        raise_on_error=False,
    )
    changed = {
        event.asset_key
        for event in result.get_asset_materialization_events()
        if (rows := event.materialization.metadata.get("rows_loaded")) is not None and rows.value
    }
    checks = [evaluation.passed for evaluation in result.get_asset_check_evaluations()]
    return Step(
        result.success,
        time.perf_counter() - started,
        result.run_id,
        changed,
        checks_passed=sum(checks),
        checks_failed=len(checks) - sum(checks),
    )


def _report(layer: str, name: str, step: Step, timings: list[dict]) -> None:
    """Print one step's line and add it to ``timings`` (what ``--timings`` writes)."""
    status = "ok" if step.success else "FAILED"
    checks = f"checks {step.checks_passed} passed, {step.checks_failed} failed"
    print(
        f"  {name:<40} {step.seconds:7.1f} s  {status:<6} {checks}  (run {step.run_id[:8]})",
        flush=True,
    )
    timings.append(
        {
            "layer": layer,
            "step": name,
            "seconds": round(step.seconds, 2),
            "ok": step.success,
            "checks_passed": step.checks_passed,
            "checks_failed": step.checks_failed,
        }
    )


def _warehouse_busy(database: Path) -> str | None:
    """Why another process keeps the warehouse from being written, or None if it is free.

    DuckDB lets one process write a database file; a reader elsewhere (a DuckDB CLI left open)
    blocks every step, so the run refuses to start rather than fail step after step.
    """
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        duckdb.connect(str(database)).close()
    except duckdb.IOException as error:
        return str(error).splitlines()[0]
    return None


def _summary(database: Path) -> str:
    try:
        connection = duckdb.connect(str(database), read_only=True)
    except duckdb.IOException as error:
        return f"No summary: the warehouse is busy ({error})."
    try:
        raw = connection.sql(
            "select source, count(distinct delivery_id) as deliveries, count(*) as tables, "
            "sum(rows_in) as rows_in, sum(rows_loaded) as rows_loaded, "
            "sum(rows_quarantined) as rows_quarantined, "
            "count(*) filter (where status = 'rejected') as rejected, "
            "count(*) filter (where status = 'duplicate') as duplicates "
            "from raw_meta.loads group by all order by source"
        ).df()
        unbalanced = [
            file
            for (table,) in connection.sql(
                "select distinct raw_table from raw_meta.loads where raw_table <> ''"
            ).fetchall()
            for file in unbalanced_files(connection, table)
        ]
        views = connection.sql(
            "select table_schema, table_name from information_schema.tables "
            "where table_name like 'stg\\_%' escape '\\' order by table_name"
        ).fetchall()
        staging = [
            (name, connection.sql(f'select count(*) from "{schema}"."{name}"').fetchone()[0])
            for schema, name in views
        ]
        resolutions = resolution_summary(connection)
    finally:
        connection.close()
    lines = ["Raw layer (raw_meta.loads):", raw.to_string(index=False)]
    lines.append(
        "Every file reconciles (rows read = rows stored + rows quarantined)."
        if not unbalanced
        else f"{len(unbalanced)} files do NOT reconcile, e.g. {unbalanced[:3]}"
    )
    lines += ["", "Staging models:"]
    lines += [f"  {name:<50} {rows:>10,} rows" for name, rows in staging]
    if resolutions:
        lines += ["", "Entity resolution (resolution.entity_resolutions):"]
        lines += [f"  {outcome:<50} {count:>10,} mentions" for outcome, count in resolutions]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run every step; returns non-zero if a step failed."""
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.run", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--all-models",
        action="store_true",
        help="build and test every dbt model, not only those downstream of new raw data",
    )
    parser.add_argument(
        "--retrain",
        action="store_true",
        help="train a new entity-resolution model and resolve every mention with it "
        "(otherwise the latest model resolves new mentions; a new warehouse trains one)",
    )
    parser.add_argument(
        "--timings",
        type=Path,
        metavar="FILE",
        help="also write each step's time and outcome to FILE as JSON (benchmarks, monitoring)",
    )
    args = parser.parse_args(argv)
    if not landing_dir().is_dir():
        print(
            f"error: no landing zone at {landing_dir()} (run `make generate` first)",
            file=sys.stderr,
        )
        return 2

    busy = _warehouse_busy(warehouse_path())
    if busy:
        print(
            f"error: the warehouse {warehouse_path()} is open in another process ({busy}); "
            "close it there and run again (readers should use a published copy)",
            file=sys.stderr,
        )
        return 2

    # Imported here, not at the top: loading the definitions may parse the dbt project, which
    # `--help` and the landing-zone check above should not wait for.
    from pipelines.definitions import defs
    from pipelines.defs.automation.sensors import RANGE_END, RANGE_START, new_deliveries
    from pipelines.defs.ingestion.assets import DATABASE_FEED, RAW_ASSETS, SOURCES, raw_asset_key
    from pipelines.defs.resolution.assets import entity_resolution_model, entity_resolutions
    from pipelines.defs.transformation.dbt import dbt_models
    from pipelines.lib.contract import load_contract
    from pipelines.lib.partitions import deliveries_partitions
    from pipelines.lib.raw_tables import raw_table_name

    instance = platform_instance()
    definitions = defs()
    resources = definitions.resources or {}
    assets = [*RAW_ASSETS, dbt_models, entity_resolution_model, entity_resolutions]
    print(f"Landing zone {landing_dir()} → warehouse {warehouse_path()}", flush=True)
    print(f"Dagster instance {os.environ['DAGSTER_HOME']}", flush=True)
    ok = True
    changed: set[dg.AssetKey] = set()
    timings: list[dict] = []
    total = time.perf_counter()
    for source in SOURCES:
        deliveries = new_deliveries(instance, source)
        if not deliveries:
            print(f"  raw {source:<36} no new deliveries", flush=True)
            continue
        instance.add_dynamic_partitions(deliveries_partitions(source).name, deliveries)
        keys = [k for a in RAW_ASSETS if a.op.name == f"raw_{source}" for k in a.keys]
        tags = {RANGE_START: deliveries[0], RANGE_END: deliveries[-1]}
        step = _run(assets, keys, instance, resources, tags)
        _report("raw", f"raw {source} ({len(deliveries)} deliveries)", step, timings)
        ok &= step.success
        changed |= step.changed
    feed = load_contract()[DATABASE_FEED]
    step = _run(
        assets, [raw_asset_key(feed, raw_table_name(feed, feed.table))], instance, resources
    )
    _report("raw", "raw subsidies database", step, timings)
    ok &= step.success
    changed |= step.changed
    built, every_model = _build_models(definitions, assets, changed, args, instance, timings)
    ok &= built
    if built:
        ok &= _build_quarters(instance, resources, every_model, timings)
    seconds = time.perf_counter() - total
    print(f"Finished in {seconds:.1f} s{'' if ok else ' with FAILED steps'}.")
    if args.timings:
        report = {"seconds": round(seconds, 2), "ok": ok, "steps": timings}
        args.timings.write_text(json.dumps(report, indent=2) + "\n")
    print(_summary(warehouse_path()))
    return 0 if ok else 1


def _quarters_to_build(instance, rebuild_all: bool) -> list[str]:
    """Partition keys of the ended quarters the data reaches: all, or from the first not built."""
    from pipelines.defs.haifan.assets import QUARTERS, haifan_quarters

    with duckdb.connect(str(warehouse_path()), read_only=True) as connection:
        last_known = connection.sql(
            "select max(known_date) from stg_registry__enterprises"
        ).fetchone()[0]
    if last_known is None:
        return []  # no registry delivery yet: no firm to list
    covered = [
        key
        for key in QUARTERS.get_partition_keys()
        if QUARTERS.time_window_for_partition_key(key).start.date() <= last_known
    ]
    if rebuild_all:
        return covered
    key = next(iter(haifan_quarters.keys))
    built = instance.get_materialized_partitions(key)
    missing = [quarter for quarter in covered if quarter not in built]
    # One contiguous range per run: from the first quarter missing to the last covered.
    return covered[covered.index(missing[0]) :] if missing else []


def _build_quarters(instance, resources, rebuild_all: bool, timings) -> bool:
    """Build the Haifan list of the quarters that need it, in one run; False if it failed."""
    from pipelines.defs.automation.sensors import RANGE_END, RANGE_START
    from pipelines.defs.haifan.assets import haifan_quarters, quarter_label

    quarters = _quarters_to_build(instance, rebuild_all)
    if not quarters:
        print(f"  {'Haifan quarters':<40} skipped: every ended quarter is built", flush=True)
        return True
    labels = [quarter_label(datetime.date.fromisoformat(q)) for q in (quarters[0], quarters[-1])]
    tags = {RANGE_START: quarters[0], RANGE_END: quarters[-1]}
    with contextlib.redirect_stdout(io.StringIO()) as dbt_output:
        step = _run([haifan_quarters], list(haifan_quarters.keys), instance, resources, tags)
    _report("haifan", f"Haifan quarters {labels[0]}-{labels[1]}", step, timings)
    if not step.success:
        print("\n".join(dbt_output.getvalue().splitlines()[-DBT_TAIL_LINES:]), flush=True)
    return step.success


def _build_models(definitions, assets, changed, args, instance, timings) -> tuple[bool, bool]:
    """Build the dbt models and run entity resolution where needed.

    Returns:
        Whether the step succeeded (or had nothing to do), and whether it built every model.
    """
    from pipelines.defs.resolution.assets import MODEL_KEY, RESOLUTIONS_KEY, entity_resolutions
    from pipelines.defs.transformation.dbt import dbt_models
    from pipelines.lib.dbt_builds import last_build, project_fingerprint, record_build
    from pipelines.lib.resolution.store import resolution_state

    fingerprint = project_fingerprint()
    try:
        with duckdb.connect(str(warehouse_path())) as connection:
            previous = last_build(connection)
            resolution = resolution_state(connection)
    except duckdb.IOException as error:
        print(f"  dbt build not started: the warehouse is open elsewhere ({error})", flush=True)
        return False, False
    models = set(dbt_models.keys) | set(entity_resolutions.keys)
    if args.all_models or previous is None or not previous.succeeded:
        selection, why, every_model = models, "every model", True
    elif previous.project_fingerprint != fingerprint:
        selection, why, every_model = models, "every model: the dbt project changed", True
    else:
        # Reviewers' decisions recorded since the last resolution are applied by this run.
        starts = changed | ({RESOLUTIONS_KEY} if resolution.decisions_pending else set())
        downstream = dg.AssetSelection.assets(*starts).downstream()
        selection = downstream.resolve(definitions.resolve_asset_graph()) & models
        why = f"{len(selection)} of {len(models)} models, downstream of new data or decisions"
        every_model = False
    if not selection:
        print(f"  {'dbt build':<40} skipped: no new raw data, models are current", flush=True)
        return True, False
    retrain = args.retrain or not resolution.has_model
    if retrain and RESOLUTIONS_KEY in selection:
        selection = selection | {MODEL_KEY}
        why += ", entity-resolution model trained"
    run_config = QUIET
    if RESOLUTIONS_KEY in selection:
        relink = {"entity_resolutions": {"config": {"relink_all": bool(args.retrain)}}}
        run_config = QUIET | {"ops": relink}
    # dagster-dbt echoes every dbt event to stdout; the console shows the step's outcome only.
    with contextlib.redirect_stdout(io.StringIO()) as dbt_output:
        step = _run(
            assets, sorted(selection), instance, definitions.resources or {}, None, run_config
        )
    _report("dbt", f"dbt build and entity resolution ({why})", step, timings)
    if not step.success:
        print("\n".join(dbt_output.getvalue().splitlines()[-DBT_TAIL_LINES:]), flush=True)
        print(f"  (full dbt log: {DBT_TARGET_DIR / 'dbt.log'})", flush=True)
    try:
        with duckdb.connect(str(warehouse_path())) as connection:
            record_build(connection, fingerprint, len(selection), step.success)
    except duckdb.IOException as error:
        # Unrecorded, the next run builds every model again: slower, never wrong.
        print(f"  dbt build not recorded: the warehouse is open elsewhere ({error})", flush=True)
    return step.success, every_model


if __name__ == "__main__":
    sys.exit(main())
