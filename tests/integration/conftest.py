"""One run of the whole platform on a small world, shared by the integration tests.

The first run builds everything; the second finds nothing new. Tests that change the warehouse
work on a copy, or run after both (fixtures that depend on ``second_run``).
"""

import os
import subprocess
import sys
from datetime import date

import pytest

from sources.config import SimulationConfig
from sources.simulate import run

#: A quarter of deliveries keeps the run short: Dagster records every delivery partition.
WORLD = SimulationConfig(firms=1000, seed=3, end=date(2025, 3, 31))


def _environment(root) -> dict[str, str]:
    """The environment of the platform's commands in a test folder."""
    return {
        **os.environ,
        "LANDING_DIR": str(root / "landing"),
        "DUCKDB_DATABASE": str(root / "warehouse.duckdb"),
        "DAGSTER_HOME": str(root / "dagster_home"),
    }


def _main_command(root, timings: str = "timings.json"):
    """Run `python -m pipelines.run` on the test folder, its step times in ``root/timings``."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines.run", "--timings", str(root / timings)],
        env=_environment(root),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def _platform_command(root, module: str, *arguments: str):
    """Run one of the platform's small commands (``python -m <module>``) on the test warehouse."""
    return subprocess.run(
        [sys.executable, "-m", module, *arguments],
        env={**os.environ, "DUCKDB_DATABASE": str(root / "warehouse.duckdb")},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="session")
def platform_command():
    """A platform command (pipelines.review, pipelines.committee), as a function."""
    return _platform_command


@pytest.fixture(scope="session")
def main_command():
    """The main command, as a function of the test folder."""
    return _main_command


@pytest.fixture(scope="session")
def platform_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("platform")
    run(WORLD, root / "landing", root / "truth")
    return root, _main_command(root)


@pytest.fixture(scope="session")
def second_run(platform_run):
    root, _ = platform_run
    return root, _main_command(root, "timings-second.json")
