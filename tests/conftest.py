"""Shared pytest fixtures."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from sources.config import SimulationConfig
from sources.simulate import RunResult, run

#: Size of the simulated world shared by the tests: small enough to build in seconds, large enough
#: that every defect class and Haifan criterion occurs.
SMALL_WORLD = SimulationConfig(firms=3000, seed=7)


@dataclass(frozen=True)
class GeneratedWorld:
    """A generated landing zone and its ground truth."""

    config: SimulationConfig
    landing: Path
    truth: Path
    result: RunResult


@pytest.fixture(scope="session")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> GeneratedWorld:
    """The small world, generated once per test session (read-only for tests)."""
    root = tmp_path_factory.mktemp("small_world")
    result = run(SMALL_WORLD, root / "landing", root / "truth")
    return GeneratedWorld(SMALL_WORLD, root / "landing", root / "truth", result)
