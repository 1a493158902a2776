"""The main command: run the whole platform on the landing zone in a real Dagster instance.

    python -m pipelines.run            # what `make run` calls after generating the feeds

Registers every new delivery as a partition, loads each source's new deliveries in one run,
reads the 中关村发展集团 database, then builds and tests every dbt model, all as runs of the
persistent Dagster instance in ``$DAGSTER_HOME`` (default ``.dagster_home/``, the one `make ui`
shows). Ends with a summary per layer: rows, quarantined rows, checks and time per step.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.lib.instance import platform_instance
from pipelines.lib.paths import landing_dir, warehouse_path

#: Dagster's console log stays at warnings: the full event log is in the instance and the UI.
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def _run(step: str, assets, selection, instance, resources, tags=None) -> tuple[bool, float]:
    started = time.perf_counter()
    result = dg.materialize(
        assets,
        selection=selection,
        instance=instance,
        resources=resources,
        tags=tags or {},
        run_config=QUIET,
        raise_on_error=False,
    )
    seconds = time.perf_counter() - started
    status = "ok" if result.success else "FAILED"
    print(f"  {step:<40} {seconds:7.1f} s  {status}  (run {result.run_id[:8]})", flush=True)
    return result.success, seconds


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
            "count(*) filter (where status = 'duplicate') as duplicates, "
            "count(*) filter (where rows_in <> rows_loaded + rows_quarantined) as unreconciled "
            "from raw_meta.loads group by all order by source"
        ).df()
        views = connection.sql(
            "select table_schema, table_name from information_schema.tables "
            "where table_name like 'stg\\_%' escape '\\' order by table_name"
        ).fetchall()
        staging = [
            (name, connection.sql(f'select count(*) from "{schema}"."{name}"').fetchone()[0])
            for schema, name in views
        ]
    finally:
        connection.close()
    lines = ["Raw layer (raw_meta.loads):", raw.to_string(index=False), "", "Staging models:"]
    lines += [f"  {name:<50} {rows:>10,} rows" for name, rows in staging]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run every step; returns non-zero if a step failed."""
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.run", description=__doc__.split("\n")[0]
    )
    parser.parse_args(argv)
    if not landing_dir().is_dir():
        print(
            f"error: no landing zone at {landing_dir()} (run `make generate` first)",
            file=sys.stderr,
        )
        return 2

    # Imported here, not at the top: loading the definitions parses the dbt project, which
    # `--help` and the landing-zone check above should not wait for.
    from pipelines.lib.dbt_manifest import parse_dbt_project

    parse_dbt_project()  # the models may have changed since the manifest was last written
    from pipelines.definitions import defs
    from pipelines.defs.automation.sensors import RANGE_END, RANGE_START, new_deliveries
    from pipelines.defs.ingestion.assets import DATABASE_FEED, RAW_ASSETS, SOURCES, raw_asset_key
    from pipelines.defs.transformation.dbt import dbt_models
    from pipelines.lib.contract import load_contract
    from pipelines.lib.partitions import deliveries_partitions
    from pipelines.lib.raw_tables import raw_table_name

    instance = platform_instance()
    definitions = defs()
    resources = definitions.resources or {}
    assets = [*RAW_ASSETS, dbt_models]
    print(f"Landing zone {landing_dir()} → warehouse {warehouse_path()}", flush=True)
    print(f"Dagster instance {os.environ['DAGSTER_HOME']}", flush=True)
    ok = True
    total = time.perf_counter()
    for source in SOURCES:
        deliveries = new_deliveries(instance, source)
        if not deliveries:
            print(f"  raw {source:<36} no new deliveries", flush=True)
            continue
        instance.add_dynamic_partitions(deliveries_partitions(source).name, deliveries)
        keys = [k for a in RAW_ASSETS if a.op.name == f"raw_{source}" for k in a.keys]
        success, _ = _run(
            f"raw {source} ({len(deliveries)} deliveries)",
            assets,
            keys,
            instance,
            resources,
            {RANGE_START: deliveries[0], RANGE_END: deliveries[-1]},
        )
        ok &= success
    feed = load_contract()[DATABASE_FEED]
    success, _ = _run(
        "raw subsidies database",
        assets,
        [raw_asset_key(feed, raw_table_name(feed, feed.table))],
        instance,
        resources,
    )
    ok &= success
    success, _ = _run("dbt build", assets, list(dbt_models.keys), instance, resources)
    ok &= success
    print(f"Finished in {time.perf_counter() - total:.1f} s{'' if ok else ' with FAILED steps'}.")
    print(_summary(warehouse_path()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
