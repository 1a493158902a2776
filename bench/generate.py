"""Benchmark the simulator: wall time and peak memory to generate a world of N firms.

Runs the real command (``python -m sources.cli generate``) in a child process, so interpreter start,
imports and writing every file are counted, and reads the child's peak resident memory from the
kernel. Targets at 140,000 firms (issue 2): at most 60 s and 2 GB on the 2-core reference machine.

    python -m bench.generate --firms 140000          # or: make bench FIRMS=140000
"""

import argparse
import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
#: Targets at the default scale (issue 2); larger worlds are reported without a verdict.
TARGET_FIRMS = 140_000
TARGET_SECONDS = 60.0
TARGET_MEGABYTES = 2048.0


def _folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (and save) its figures."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--firms", type=int, default=TARGET_FIRMS, help="world size (default: %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=42, help="seed (default: %(default)s)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args(argv)

    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-generate-"))
    landing, truth = root / "landing", root / "truth"
    command = [
        sys.executable,
        "-m",
        "sources.cli",
        "generate",
        "--firms",
        str(args.firms),
        "--seed",
        str(args.seed),
        "--landing",
        str(landing),
        "--truth",
        str(truth),
        "--force",
    ]
    print(f"$ {' '.join(command)}", flush=True)
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if completed.returncode != 0:
        print(completed.stderr, file=sys.stderr)
        return completed.returncode
    print(completed.stderr, end="")
    figures = {
        "benchmark": "generate",
        "firms": args.firms,
        "seed": args.seed,
        "seconds": round(seconds, 1),
        "peak_megabytes": round(peak_mb),
        "landing_megabytes": round(_folder_size(landing) / 1e6, 1),
        "files": sum(1 for f in landing.rglob("*") if f.is_file()),
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
    }
    if args.firms == TARGET_FIRMS:
        figures["meets_targets"] = seconds <= TARGET_SECONDS and peak_mb <= TARGET_MEGABYTES
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"generate-{args.firms}.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    if args.keep is None:
        shutil.rmtree(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
