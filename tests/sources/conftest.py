"""Views of the shared small world's landing zone and ground truth, read once per session, and
the repeat run of the determinism tests.

The views read what a receiver sees (the delivered files and their manifests), never the
simulator's in-memory records, so the tests check the deliveries themselves.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pytest

from sources.config import SimulationConfig

REPO = Path(__file__).resolve().parents[2]

#: Name-keyed feeds: feed -> (source, file, sheet or None, record-id column, name column).
NAME_KEYED_FEEDS = {
    "courts.dishonest_debtors": ("courts", "dishonest_debtors.json", None, "recordId", "name"),
    "lists.top100": ("lists", "high_growth_top100.csv", None, "记录编号", "企业名称"),
    "lists.deloitte50": ("lists", "deloitte_fast50.xlsx", "榜单", "记录编号", "公司名称"),
    "lists.zgc_top10": ("lists", "zgc_top10.csv", None, "记录编号", "企业名称"),
    "lists.talents": ("lists", "talents.csv", None, "记录编号", "工作单位"),
    "lists.incubator_recommendations": (
        "lists",
        "incubator_recommendations.csv",
        None,
        "推荐编号",
        "被推荐企业名称",
    ),
    "lists.association_recommendations": (
        "lists",
        "association_recommendations.xlsx",
        "推荐名单",
        "推荐编号",
        "会员企业名称",
    ),
    "subsidies.haidian_park": (
        "subsidies",
        "disbursements.xlsx",
        "拨付清单",
        "拨付编号",
        "单位名称",
    ),
}
#: Court documents nest their parties; a party's record id is ``<docId>#<position>``.
COURT_CASES = "courts.cases"


@pytest.fixture(scope="session")
def manifests(small_world) -> list[dict]:
    """Every delivery's manifest, as written in the landing zone."""
    paths = sorted(small_world.landing.glob("*/*/_manifest.json"))
    return [json.loads(path.read_text(encoding="utf-8")) for path in paths]


@pytest.fixture(scope="session")
def delivered_files(manifests) -> pd.DataFrame:
    """One row per file a manifest lists: source, delivery, kind, date, name, rows, bytes, sha."""
    return pd.DataFrame(
        [
            {
                "source": manifest["source"],
                "delivery_id": manifest["delivery_id"],
                "kind": manifest["kind"],
                "delivered_on": pd.Timestamp(manifest["delivered_on"]),
                **file,
            }
            for manifest in manifests
            for file in manifest["files"]
        ]
    )


@pytest.fixture(scope="session")
def truth(small_world) -> Callable[[str], pd.DataFrame]:
    """Reader of one ground-truth table by name, as written to the truth folder."""
    cache: dict[str, pd.DataFrame] = {}

    def read(name: str) -> pd.DataFrame:
        if name not in cache:
            cache[name] = pd.read_parquet(small_world.truth / f"{name}.parquet")
        return cache[name]

    return read


def _read_registry_files(paths: list[Path]) -> pd.DataFrame:
    """Rows of same-header registry CSV files (GBK; undecodable bytes replaced), as text.

    Parsed in one go (hundreds of daily files), with ``delivery_id`` and ``row_number`` (1-based
    data row within its file, as the defect log counts) added.
    """
    headers, bodies, deliveries, numbers = set(), [], [], []
    for path in paths:
        header, _, body = path.read_bytes().partition(b"\r\n")
        headers.add(header)
        rows = body.count(b"\r\n")
        bodies.append(body)
        deliveries += [path.parent.name] * rows
        numbers += range(1, rows + 1)
    assert len(headers) == 1, headers
    data = headers.pop() + b"\r\n" + b"".join(bodies)
    frame = pd.read_csv(io.BytesIO(data), encoding="gbk", encoding_errors="replace", dtype=str)
    assert len(frame) == len(deliveries)
    return frame.assign(delivery_id=deliveries, row_number=numbers)


@pytest.fixture(scope="session")
def registry_enterprises(small_world) -> pd.DataFrame:
    """Every row of every registry enterprises file, as text, with delivery_id and row_number."""
    return _read_registry_files(sorted(small_world.landing.glob("registry/*/enterprises.csv")))


@pytest.fixture(scope="session")
def registry_changes(small_world) -> pd.DataFrame:
    """Every row of every registry change-log file, as text, with delivery_id and row_number."""
    return _read_registry_files(sorted(small_world.landing.glob("registry/*/changes.csv")))


def _read_table(path: Path, sheet: str | None) -> pd.DataFrame:
    if path.suffix == ".json":
        return pd.DataFrame(json.loads(path.read_bytes()))
    if path.suffix == ".xlsx":
        return pd.read_excel(path, sheet_name=sheet, dtype=str)
    return pd.read_csv(path, dtype=str)


@pytest.fixture(scope="session")
def name_keyed_rows(small_world) -> pd.DataFrame:
    """Every delivered row of the name-keyed feeds: feed, delivery_id, record_id, name.

    Court cases contribute one row per party (record id ``<docId>#<position>``).
    """
    frames = []
    for path in sorted(small_world.landing.glob("courts/*/cases.json")):
        documents = json.loads(path.read_bytes())
        parties = [
            (f"{document['docId']}#{position}", party["name"])
            for document in documents
            for position, party in enumerate(document["parties"])
        ]
        frames.append(
            pd.DataFrame(parties, columns=["record_id", "name"]).assign(
                feed=COURT_CASES, delivery_id=path.parent.name
            )
        )
    for feed, (source, file, sheet, id_column, name_column) in NAME_KEYED_FEEDS.items():
        for path in sorted(small_world.landing.glob(f"{source}/*/{file}")):
            table = _read_table(path, sheet)
            if table.empty:
                continue
            frames.append(
                pd.DataFrame(
                    {
                        "feed": feed,
                        "delivery_id": path.parent.name,
                        "record_id": table[id_column].astype(str),
                        "name": table[name_column],
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)[["feed", "delivery_id", "record_id", "name"]]


# --- the determinism tests' repeat run ---------------------------------------------------------

#: The configuration the determinism tests run again; it must equal the shared small world's
#: (``SMALL_WORLD`` in tests/conftest.py), whose files the repeat run is compared with.
REPEATED = SimulationConfig(firms=3000, seed=7)
#: Runs the simulation of a JSON-encoded configuration into a landing and a truth folder.
_RUN = """
import json, sys
from datetime import date
from pathlib import Path
from sources.config import SimulationConfig
from sources.simulate import run
options = json.loads(sys.argv[1])
options["start"], options["end"] = map(date.fromisoformat, (options["start"], options["end"]))
run(SimulationConfig(**options), Path(sys.argv[2]), Path(sys.argv[3]))
"""
#: The repeat run once started: its process and its folder (removed at the end of the session).
_repeat: list[tuple[subprocess.Popen, Path]] = []


def _start_repeat_run() -> tuple[subprocess.Popen, Path]:
    """Start, once, a repeat of ``REPEATED`` in its own process.

    The repeat runs with a string-hash seed of its own, so output that depends on the iteration
    order of sets of strings cannot pass as deterministic. It starts as soon as the session knows
    it will need it, so it overlaps the shared world's generation (the machine has two cores).
    """
    if not _repeat:
        root = Path(tempfile.mkdtemp(prefix="determinism-"))
        options = asdict(REPEATED) | {"start": str(REPEATED.start), "end": str(REPEATED.end)}
        hash_seed = "1" if os.environ.get("PYTHONHASHSEED") == "0" else "0"
        with open(root / "stderr.txt", "wb") as errors:
            process = subprocess.Popen(
                [sys.executable, "-c", _RUN, json.dumps(options), root / "landing", root / "truth"],
                cwd=REPO,
                env=os.environ | {"PYTHONHASHSEED": hash_seed},
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
        _repeat.append((process, root))
    return _repeat[0]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the repeat run early when a selected test needs it (not in xdist workers)."""
    selected = any("repeat_run" in getattr(item, "fixturenames", ()) for item in session.items)
    collect_only = session.config.option.collectonly
    if selected and not collect_only and not hasattr(session.config, "workerinput"):
        _start_repeat_run()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop the repeat run if still going (an interrupted session) and remove its folder."""
    for process, root in _repeat:
        if process.poll() is None:
            process.kill()
        process.wait()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def repeat_run(small_world) -> tuple[Path, Path]:
    """Landing and truth folders of a repeat of the small world's run, in another process."""
    assert small_world.config == REPEATED, "keep REPEATED equal to the shared small world"
    process, root = _start_repeat_run()
    process.wait(timeout=900)
    assert process.returncode == 0, (root / "stderr.txt").read_text(errors="replace")
    return root / "landing", root / "truth"
