"""Same seed and options give identical bytes; another seed gives other bytes.

Identity: the small world is compared with a repeat of its run in another Python process, with its
own string-hash seed (``repeat_run`` in conftest.py). Difference: two runs of one quarter that
differ only by their seed (a run's time goes mostly into daily deliveries, so a full-period pair
would cost two more small worlds).
"""

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from sources.config import SimulationConfig
from sources.simulate import run

pytestmark = pytest.mark.integration

SOURCES = ("registry", "regulation", "pboc", "courts", "subsidies", "tax", "ratings", "lists")
TRUTH_TABLES = ("entity_links", "defects", "haifan_outcomes", "firms")
DATABASE = Path("subsidies") / "zgc_development" / "funding.sqlite"
#: A short run (one quarter) for the seed comparison; every source delivers on its first day.
SHORT = SimulationConfig(firms=1000, seed=7, end=date(2025, 3, 31))


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _names(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _checksums(landing: Path) -> dict[tuple[str, str, str], str]:
    """(source, delivery, file) -> SHA-256, as every manifest of a landing zone states it."""
    checksums = {}
    for path in landing.glob("*/*/_manifest.json"):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        for file in manifest["files"]:
            key = (manifest["source"], manifest["delivery_id"], file["name"])
            checksums[key] = file["sha256"]
    return checksums


@pytest.fixture(scope="module")
def same_seed(small_world, repeat_run) -> dict[str, tuple[Path, Path]]:
    return {"original": (small_world.landing, small_world.truth), "repeat": repeat_run}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[int, tuple[Path, Path]]:
    """Landing and truth folders of the short run with seed 7 and with seed 8."""
    root = tmp_path_factory.mktemp("seeds")
    folders = {}
    for seed in (7, 8):
        folders[seed] = (root / str(seed) / "landing", root / str(seed) / "truth")
        run(replace(SHORT, seed=seed), *folders[seed])
    return folders


def test_same_seed_delivers_the_same_files(same_seed):
    original, repeat = (_names(same_seed[name][0]) for name in ("original", "repeat"))

    assert repeat == original


def test_same_seed_gives_identical_bytes_for_every_landing_file(same_seed):
    original, repeat = _files(same_seed["original"][0]), _files(same_seed["repeat"][0])

    differing = sorted(name for name in original if repeat.get(name) != original[name])

    assert len(original) > 1000
    assert differing == []


def test_same_seed_gives_identical_manifest_checksums(same_seed):
    original, repeat = (_checksums(same_seed[name][0]) for name in ("original", "repeat"))

    assert original
    assert repeat == original


def test_same_seed_gives_an_identical_subsidies_database(same_seed):
    original, repeat = (same_seed[name][0] / DATABASE for name in ("original", "repeat"))

    assert original.stat().st_size > 0
    assert repeat.read_bytes() == original.read_bytes()


@pytest.mark.parametrize("table", TRUTH_TABLES)
def test_same_seed_gives_identical_ground_truth(table, same_seed):
    original, repeat = (same_seed[name][1] / f"{table}.parquet" for name in ("original", "repeat"))

    assert repeat.read_bytes() == original.read_bytes()


@pytest.mark.parametrize("source", SOURCES)
def test_another_seed_changes_every_file_of_a_sources_initial_extract(source, seeds):
    def initial(landing: Path) -> dict[str, str]:
        return {
            f"{delivery}/{name}": sha
            for (from_source, delivery, name), sha in _checksums(landing).items()
            if from_source == source and delivery.startswith(str(SHORT.start))
        }

    seven, eight = initial(seeds[7][0]), initial(seeds[8][0])

    assert seven
    assert not set(seven.items()) & set(eight.items())


def test_another_seed_changes_the_subsidies_database(seeds):
    assert (seeds[8][0] / DATABASE).read_bytes() != (seeds[7][0] / DATABASE).read_bytes()


@pytest.mark.parametrize("table", TRUTH_TABLES)
def test_another_seed_changes_the_ground_truth(table, seeds):
    seven, eight = (seeds[seed][1] / f"{table}.parquet" for seed in (7, 8))

    assert eight.read_bytes() != seven.read_bytes()
