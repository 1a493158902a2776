"""The README's simulator command, run as a user runs it: in a subprocess, at a small scale.

Small scale is 1,000 firms over one quarter: a run's time goes mostly into the daily deliveries of
the default 21-month period, which the command's behaviour checked here does not depend on.

Every subprocess pays the interpreter's start-up and imports (about 4 s here, without a bytecode
cache), so one bad input runs as a subprocess, beside the first run, and the three kinds of bad
input are checked through ``sources.cli.main`` in this process: it is what ``python -m sources.cli``
runs, and any exception other than argparse's exit fails those tests.
"""

import contextlib
import hashlib
import io
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from sources.cli import main

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("registry", "regulation", "pboc", "courts", "subsidies", "tax", "ratings", "lists")
TRUTH_TABLES = ("entity_links", "defects", "haifan_outcomes", "firms")
FOREIGN_NOTE = "someone else's files\n"
#: Bad input -> a word the error message must contain.
BAD_INPUTS = {
    "too_few_firms": "firms",
    "unknown_defect_class": "--defect-rate",
    "foreign_landing_folder": "not made by the simulator",
}


@dataclass(frozen=True)
class Finished:
    """Exit status and output of one command."""

    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Commands:
    """What the module's commands did, and the folders they were pointed at."""

    root: Path
    landing: Path
    truth: Path
    results: dict[str, Finished]
    before_rerun: dict[str, tuple[str, int]]
    after_rerun: dict[str, tuple[str, int]]


def _start(*args: object) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sources.cli", "generate", *map(str, args)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen) -> Finished:
    stdout, stderr = process.communicate(timeout=600)
    return Finished(process.returncode, stdout, stderr)


def _snapshot(*folders: Path) -> dict[str, tuple[str, int]]:
    """Every file under the folders: SHA-256 and modification time (a rewrite changes it)."""
    return {
        str(path): (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def commands(tmp_path_factory) -> Commands:
    root = tmp_path_factory.mktemp("readme")
    landing, truth = root / "landing", root / "truth"
    generate = ("--firms", 1000, "--end", "2025-03-31", "--landing", landing, "--truth", truth)
    shell_bad_input = _start("--firms", 10, "--landing", root / "few", "--truth", root / "few_t")
    results = {"generate": _finish(_start(*generate)), "bad_input": _finish(shell_bad_input)}
    before = _snapshot(landing, truth)
    results["rerun"] = _finish(_start(*generate))
    return Commands(root, landing, truth, results, before, _snapshot(landing, truth))


def _main(*args: object) -> Finished:
    """Run the command line's entry point in this process, as ``python -m sources.cli`` does."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = main(["generate", *map(str, args)])
        except SystemExit as exit_:
            code = exit_.code
    return Finished(code, stdout.getvalue(), stderr.getvalue())


@pytest.fixture
def bad_input(tmp_path) -> Callable[[str], Finished]:
    """Runs one kind of bad input against folders under ``tmp_path``."""
    landing, truth = tmp_path / "landing", tmp_path / "truth"

    def run(case: str) -> Finished:
        if case == "too_few_firms":
            return _main("--firms", 10, "--landing", landing, "--truth", truth)
        if case == "unknown_defect_class":
            return _main("--defect-rate", "nosuch=0.1", "--landing", landing, "--truth", truth)
        landing.mkdir()
        (landing / "notes.txt").write_text(FOREIGN_NOTE, encoding="utf-8")
        return _main("--firms", 1000, "--landing", landing, "--truth", truth)

    return run


def test_generate_exits_with_status_zero(commands):
    result = commands.results["generate"]

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("source", SOURCES)
def test_generate_summary_names_every_source(source, commands):
    summary = commands.results["generate"].stdout

    assert re.search(rf"^{source}\b", summary, flags=re.MULTILINE), summary


@pytest.mark.parametrize("source", SOURCES)
def test_generate_writes_every_source_into_the_landing_zone(source, commands):
    assert list((commands.landing / source).glob("*/_manifest.json"))


@pytest.mark.parametrize("table", TRUTH_TABLES)
def test_generate_writes_the_ground_truth(table, commands):
    assert (commands.truth / f"{table}.parquet").stat().st_size > 0


def test_generate_leaves_no_partial_folders(commands):
    assert commands.landing.exists()
    assert not list(commands.root.glob("*.partial"))


def test_rerun_with_the_same_options_exits_zero_saying_nothing_to_do(commands):
    result = commands.results["rerun"]

    assert result.returncode == 0, result.stderr
    assert "nothing to do" in result.stdout


def test_rerun_with_the_same_options_leaves_every_file_unchanged(commands):
    assert commands.before_rerun
    assert commands.after_rerun == commands.before_rerun


def test_bad_input_from_the_shell_exits_two_with_one_line_and_no_traceback(commands):
    result = commands.results["bad_input"]

    assert result.returncode == 2
    assert result.stderr.splitlines() == ["error: firms must be at least 100, got 10"]


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_exits_with_status_two(case, bad_input):
    assert bad_input(case).returncode == 2


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_prints_a_one_line_error_naming_the_problem(case, bad_input):
    stderr = bad_input(case).stderr
    # argparse prints its usage above the error line; that is the only other output allowed.
    errors = [line for line in stderr.splitlines() if "error:" in line]

    assert "Traceback" not in stderr
    assert len(errors) == 1, stderr
    assert errors[0] == stderr.splitlines()[-1]
    assert BAD_INPUTS[case] in errors[0]


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_creates_no_folder(case, bad_input, tmp_path):
    bad_input(case)

    # Only the foreign landing folder, made by the test itself, is there.
    expected = ["landing"] if case == "foreign_landing_folder" else []
    assert sorted(p.name for p in tmp_path.iterdir()) == expected


def test_foreign_landing_folder_is_left_untouched(bad_input, tmp_path):
    bad_input("foreign_landing_folder")

    assert [p.name for p in (tmp_path / "landing").iterdir()] == ["notes.txt"]
    assert (tmp_path / "landing" / "notes.txt").read_text(encoding="utf-8") == FOREIGN_NOTE
