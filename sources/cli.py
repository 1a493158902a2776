"""Command line of the simulator: ``python -m sources.cli generate --firms 140000``.

Writes the landing zone and the ground truth atomically (into ``*.partial`` folders renamed into
place at the end), so a crash never leaves a half-written landing zone for the pipeline to read.
"""

import argparse
import json
import resource
import shutil
import sys
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sources.config import DEFAULT_DEFECT_RATES, SimulationConfig

if TYPE_CHECKING:
    from sources.simulate import RunResult

#: File in the landing root recording the options that produced it.
MARKER = "_simulation.json"


class UsageError(Exception):
    """A mistake in the command line or its targets, reported without a traceback."""


def _parse_rate(text: str) -> tuple[str, float]:
    name, _, value = text.partition("=")
    if name not in DEFAULT_DEFECT_RATES or not value:
        raise argparse.ArgumentTypeError(
            f"expected CLASS=RATE with CLASS one of: {', '.join(DEFAULT_DEFECT_RATES)}"
        )
    try:
        return name, float(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"rate of {name} is not a number: {value}") from error


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used by the docs)."""
    parser = argparse.ArgumentParser(
        prog="python -m sources.cli",
        description="Simulate the source systems of the Haidian credit platform: a seeded world "
        "of firms, each system's deliveries to the landing zone in its own format, and the ground "
        "truth beside them.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser(
        "generate",
        help="generate the landing zone and the ground truth",
        description="Generate every source's deliveries into LANDING and the ground truth into "
        "TRUTH. "
        "Same seed and options give identical bytes. Re-running with the same options is a no-op.",
    )
    generate.add_argument(
        "--firms", type=int, default=140_000, help="number of firms (default: %(default)s)"
    )
    generate.add_argument("--seed", type=int, default=42, help="random seed (default: %(default)s)")
    generate.add_argument(
        "--landing",
        type=Path,
        default=Path("landing"),
        help="landing-zone folder (default: %(default)s)",
    )
    generate.add_argument(
        "--truth",
        type=Path,
        default=Path("truth"),
        help="ground-truth folder, never read by the pipeline (default: %(default)s)",
    )
    generate.add_argument(
        "--start",
        type=date.fromisoformat,
        default=SimulationConfig.start,
        help="date of the initial full extracts, YYYY-MM-DD (default: %(default)s)",
    )
    generate.add_argument(
        "--end",
        type=date.fromisoformat,
        default=SimulationConfig.end,
        help="last day of the simulated period, YYYY-MM-DD (default: %(default)s)",
    )
    generate.add_argument(
        "--database-url",
        help="SQLAlchemy URL of the 中关村发展集团 database "
        "(default: a SQLite file in the landing zone)",
    )
    generate.add_argument(
        "--defect-rate",
        type=_parse_rate,
        action="append",
        default=[],
        metavar="CLASS=RATE",
        help="override one defect rate, e.g. typo=0.05 (repeatable); classes: "
        + ", ".join(DEFAULT_DEFECT_RATES),
    )
    generate.add_argument(
        "--force",
        action="store_true",
        help="replace an existing landing zone generated with other options",
    )
    return parser


def _prepare(target: Path, force: bool, options: dict) -> bool:
    """Decide whether to generate into ``target``; returns False when it already holds this run."""
    marker = target / MARKER
    if not target.exists() or not any(target.iterdir()):
        return True
    if not marker.exists():
        raise UsageError(
            f"{target} exists and was not made by the simulator; choose another folder"
        )
    if json.loads(marker.read_text(encoding="utf-8")) == options and not force:
        return False
    if not force:
        raise UsageError(
            f"{target} holds a landing zone generated with other options; "
            "pass --force to replace it"
        )
    return True


def _swap_in(partial: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    partial.rename(target)


def _summary(result: "RunResult", landing: Path, seconds: float) -> str:
    manifests = pd.DataFrame(
        [
            {
                "source": m["source"],
                "delivery": m["delivery_id"],
                "files": len(m["files"]),
                "rows": sum(f["rows"] for f in m["files"]),
                "bytes": sum(f["bytes"] for f in m["files"]),
            }
            for m in result.manifests
        ]
    )
    per_source = manifests.groupby("source").agg(
        deliveries=("delivery", "count"),
        files=("files", "sum"),
        rows=("rows", "sum"),
        megabytes=("bytes", "sum"),
    )
    per_source["megabytes"] = (per_source["megabytes"] / 1e6).round(1)
    defects = result.truth["defects"]
    outcomes = result.truth["haifan_outcomes"]
    checks = [
        "b1",
        "b2",
        "b3",
        "c1",
        "c2",
        "c3",
        "c4",
        "c5",
        "c6",
        "c7",
        "m1",
        "m2",
        "is_candidate",
    ]
    per_quarter = outcomes.groupby("quarter")[checks].sum()
    per_quarter.insert(0, "firms", outcomes.groupby("quarter").size())
    links = result.truth["entity_links"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        f"Landing zone: {landing}  (database: {result.database_url})",
        per_source.to_string(),
        "",
        "Injected defects (truth/defects.parquet):",
        defects.groupby("defect_class").size().rename("rows").to_string(),
        "",
        f"Name-keyed records with a true USCC (truth/entity_links.parquet): "
        f"{links['uscc'].notna().sum():,} of {len(links):,}",
        "Haifan ground truth, firms passing each check (truth/haifan_outcomes.parquet):",
        per_quarter.to_string(),
        "",
        f"Done in {seconds:.1f} s, peak memory {peak:,.0f} MB.",
    ]
    return "\n".join(lines)


def generate(args: argparse.Namespace) -> int:
    """Run the ``generate`` command."""
    rates = dict(DEFAULT_DEFECT_RATES) | dict(args.defect_rate)
    try:
        config = SimulationConfig(
            firms=args.firms, seed=args.seed, start=args.start, end=args.end, defect_rates=rates
        )
    except ValueError as error:
        raise UsageError(str(error)) from error
    options = {k: str(v) if isinstance(v, date) else v for k, v in asdict(config).items()}
    options["database_url"] = args.database_url
    landing, truth = args.landing.resolve(), args.truth.resolve()
    if not _prepare(landing, args.force, options):
        print(
            f"{landing} already holds this simulation "
            f"({config.firms:,} firms, seed {config.seed}); "
            "nothing to do (pass --force to regenerate)."
        )
        return 0
    partial_landing = landing.with_name(landing.name + ".partial")
    partial_truth = truth.with_name(truth.name + ".partial")
    for folder in (partial_landing, partial_truth):
        shutil.rmtree(folder, ignore_errors=True)

    started = time.perf_counter()
    print(
        f"Generating {config.firms:,} firms, seed {config.seed}, "
        f"{config.start} to {config.end} ...",
        file=sys.stderr,
    )

    def progress(step: str, seconds: float) -> None:
        print(f"  {step:<45} {seconds:6.1f} s", file=sys.stderr, flush=True)

    # Imported here so that --help and usage errors answer at once.
    from sources.simulate import run

    result = run(config, partial_landing, partial_truth, args.database_url, progress)
    (partial_landing / MARKER).write_text(
        json.dumps(options, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    _swap_in(partial_truth, truth)
    _swap_in(partial_landing, landing)
    if args.database_url is None:
        result.database_url = result.database_url.replace(str(partial_landing), str(landing))
    print(_summary(result, landing, time.perf_counter() - started))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; user errors print a message and return 2, without a traceback."""
    args = build_parser().parse_args(argv)
    try:
        return generate(args)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
