"""Benchmark ingestion and staging: the whole landing zone, then one more day's deliveries.

Runs the real main command (``python -m pipelines.run``: Dagster runs of every raw asset and of
``dbt build``) against a fresh warehouse and a fresh Dagster instance, in two passes:

1. everything except the last day's deliveries (the initial load of the simulated history), then
   every dbt model: the initial ingest and stage, timed end to end (process start to exit);
2. the last day's deliveries (one incremental daily delivery per daily source): the ingest is the
   time of its raw runs; end to end adds the process start and the dbt models downstream.

Targets (issue 3), at 140,000 firms: pass 1 at most 2 minutes end to end; the daily delivery's
ingest at most 15 seconds.

    python -m bench.ingest --landing landing        # after `make generate`
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def _last_day(landing: Path) -> list[Path]:
    """Delivery folders of the latest delivery date, across sources."""
    folders = [p.parent for p in landing.glob("*/*/_manifest.json")]
    latest = max(folder.name[:10] for folder in folders)
    return sorted(folder for folder in folders if folder.name[:10] == latest)


def _run(environment: dict[str, str], timings: Path) -> tuple[float, str]:
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "pipelines.run", "--timings", str(timings)],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        print(completed.stdout, completed.stderr, file=sys.stderr)
        raise SystemExit(f"pipelines.run failed with exit code {completed.returncode}")
    return seconds, completed.stdout


def _layer_seconds(timings: Path, layer: str) -> float:
    """Time of a layer's steps in a run's ``--timings`` report."""
    steps = json.loads(timings.read_text())["steps"]
    return round(sum(step["seconds"] for step in steps if step["layer"] == layer), 1)


def main(argv: list[str] | None = None) -> int:
    """Run both passes and print (and save) their figures."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.ingest", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--landing", type=Path, default=Path("landing"), help="a generated landing zone"
    )
    parser.add_argument(
        "--keep-warehouse",
        type=Path,
        metavar="FILE",
        help="copy the built warehouse to FILE (for bench.resolution)",
    )
    args = parser.parse_args(argv)
    landing = args.landing.resolve()
    if not (landing / "_simulation.json").is_file():
        print(
            f"error: {landing} is not a generated landing zone (run `make generate`)",
            file=sys.stderr,
        )
        return 2
    firms = json.loads((landing / "_simulation.json").read_text())["firms"]
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    held = work / "held"
    environment = {
        **os.environ,
        "LANDING_DIR": str(landing),
        "DUCKDB_DATABASE": str(work / "w.duckdb"),
        "DAGSTER_HOME": str(work / "dagster_home"),
    }
    last_day = _last_day(landing)
    moved = []
    try:
        for folder in last_day:
            target = held / folder.relative_to(landing)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(folder, target)
            moved.append((target, folder))
        initial, output = _run(environment, work / "initial.json")
        print(output)
        for target, folder in moved:
            shutil.move(target, folder)
        moved = []
        incremental, output = _run(environment, work / "daily.json")
        print(output)
    finally:
        for target, folder in moved:
            shutil.move(target, folder)
    figures = {
        "benchmark": "ingest",
        "firms": firms,
        "initial_load_and_stage_seconds": round(initial, 1),
        "initial_dbt_build_seconds": _layer_seconds(work / "initial.json", "dbt"),
        "daily_delivery_ingest_seconds": _layer_seconds(work / "daily.json", "raw"),
        "daily_delivery_end_to_end_seconds": round(incremental, 1),
        "daily_deliveries": [str(folder.relative_to(landing)) for folder in last_day],
        "peak_megabytes": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"ingest-{firms}.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    if args.keep_warehouse:
        shutil.copyfile(work / "w.duckdb", args.keep_warehouse)
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
