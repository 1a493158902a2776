"""Benchmark entity resolution on a built warehouse, against the simulator's ground truth.

On a copy of the warehouse (the original is not touched), three timed passes:

1. training: a new Splink model on every mention and name (expectation maximisation, no labels);
2. full resolution: every mention resolved with it; precision, recall and review queue per feed;
3. a daily delivery: the mentions of the latest delivery day forgotten, then resolved again
   incrementally with the trained model, as the daily run does.

Targets (issue 4), at 140,000 firms: precision >= 99.5% and recall >= 98% on accepted links,
review queue <= 1% of mentions, training and full resolution within 60 seconds.

    python -m bench.resolution --warehouse warehouse/credit.duckdb --truth truth
"""

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench.resolution_metrics import format_table, measure
from pipelines.lib.catalog import model_relation
from pipelines.lib.resolution.inputs import MENTIONS_MODEL
from pipelines.lib.resolution.parameters import ResolutionParameters
from pipelines.lib.resolution.resolve import resolve, train_model
from pipelines.lib.resolution.store import (
    RESOLUTIONS,
    latest_model,
)

RESULTS = Path(__file__).resolve().parent / "results"


def _forget_last_day(connection: duckdb.DuckDBPyConnection) -> tuple[str, int]:
    """Delete the outcomes of the latest delivery day's mentions, as if they had just arrived."""
    mentions = model_relation(connection, MENTIONS_MODEL)
    day, count = connection.sql(
        f"select max(known_date), count(*) filter (where known_date = (select max(known_date) "
        f"from {mentions})) from {mentions}"
    ).fetchone()
    connection.execute(
        f"""
        delete from {RESOLUTIONS}
        where exists (
            select 1 from {mentions} as mentions
            where mentions.feed = {RESOLUTIONS}.feed
                and mentions.record_id = {RESOLUTIONS}.record_id
                and mentions.known_date = ?
        )
        """,
        [day],
    )
    return str(day), count


def _firms(truth: Path) -> int:
    """Number of firms of the simulated world (from its truth)."""
    return duckdb.sql(
        "select count(*) from read_parquet(?)", params=[str(truth / "firms.parquet")]
    ).fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    """Run the three passes and print (and save) their figures."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.resolution", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--warehouse", type=Path, required=True, help="a warehouse built by pipelines.run"
    )
    parser.add_argument("--truth", type=Path, required=True, help="the simulator's truth folder")
    args = parser.parse_args(argv)
    if not (args.truth / "entity_links.parquet").is_file():
        print(f"error: no entity_links.parquet in {args.truth}", file=sys.stderr)
        return 2
    if not args.warehouse.is_file():
        print(f"error: no warehouse at {args.warehouse}", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="bench-resolution-"))
    copy = work / "w.duckdb"
    shutil.copyfile(args.warehouse, copy)
    parameters = ResolutionParameters()
    try:
        connection = duckdb.connect(str(copy))
        started = time.perf_counter()
        train_model(connection, parameters)
        training = time.perf_counter() - started
        model = latest_model(connection)
        started = time.perf_counter()
        full = resolve(connection, model, parameters, everything=True)
        resolving = time.perf_counter() - started
        metrics = measure(connection, args.truth.resolve())
        print(format_table(metrics))
        day, arrived = _forget_last_day(connection)
        started = time.perf_counter()
        daily = resolve(connection, model, parameters)
        incremental = time.perf_counter() - started
        connection.close()
    finally:
        shutil.rmtree(work)
    overall = metrics[-1]
    figures = {
        "benchmark": "resolution",
        "firms": _firms(args.truth),
        "mentions": overall.mentions,
        "training_seconds": round(training, 1),
        "full_resolution_seconds": round(resolving, 1),
        "training_and_full_resolution_seconds": round(training + resolving, 1),
        "full_resolution_steps": full.seconds,
        "daily_delivery_day": day,
        "daily_delivery_mentions": arrived,
        "daily_delivery_resolved": daily.mentions,
        "daily_delivery_seconds": round(incremental, 1),
        "peak_megabytes": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "overall": overall.as_dict(),
        "per_feed": [m.as_dict() for m in metrics[:-1]],
        "parameters": parameters.as_dict(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"resolution-{figures['firms']}.json").write_text(
        json.dumps(figures, indent=2, ensure_ascii=False) + "\n"
    )
    print(json.dumps({k: v for k, v in figures.items() if k != "per_feed"}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
