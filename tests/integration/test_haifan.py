"""The quarterly Haifan list in the whole graph: built per quarter, equal to the ground truth
but for explained differences, not rebuilt when nothing changed."""

import json

import duckdb
import pytest

from bench.verify_haifan import main as verify

pytestmark = pytest.mark.integration


def test_the_list_is_built_for_every_ended_quarter(platform_run):
    root, _ = platform_run
    steps = json.loads((root / "timings.json").read_text())["steps"]
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as connection:
        quarters = connection.sql(
            "select quarter, count(*), count(*) filter (where is_candidate) "
            "from main_marts.haifan_candidates group by all order by all"
        ).fetchall()
        firms = connection.sql("select count(*) from stg_registry__enterprises").fetchone()[0]

    assert [step["step"] for step in steps if step["layer"] == "haifan"] == [
        "Haifan quarters 2025Q1-2025Q1"
    ]
    assert [(quarter, count) for quarter, count, _ in quarters] == [("2025Q1", firms)]
    assert quarters[0][2] > 0


def test_every_difference_from_the_ground_truth_is_explained(platform_run, tmp_path):
    root, _ = platform_run

    status = verify(
        [
            *("--warehouse", str(root / "warehouse.duckdb")),
            *("--truth", str(root / "truth")),
            *("--report", str(tmp_path / "report.json")),
        ]
    )

    report = json.loads((tmp_path / "report.json").read_text())
    assert status == 0, [f for f in report["firms_differing"] if f["explanation"] == "unexplained"]
    assert report["quarters"][0]["truth_candidates"] > 0


def test_a_run_with_nothing_new_does_not_rebuild_the_quarters(second_run):
    _, completed = second_run

    assert "skipped: every ended quarter is built" in completed.stdout


def test_committee_decisions_show_beside_the_computed_list(second_run, platform_command):
    root, _ = second_run
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as connection:
        quarter, uscc = connection.sql(
            "select quarter, uscc from main_marts.haifan_candidates where is_candidate "
            "order by uscc limit 1"
        ).fetchone()

    committee = "pipelines.committee"
    reasonless = platform_command(
        root, committee, "record", quarter, uscc, "reject", "--by", "委员"
    )
    approved = platform_command(root, committee, "record", quarter, uscc, "approve", "--by", "委员")

    assert reasonless.returncode == 2
    assert "needs a reason" in reasonless.stderr and "Traceback" not in reasonless.stderr
    assert approved.returncode == 0, approved.stderr
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as connection:
        decision = connection.execute(
            "select is_candidate, committee_decision from main_marts.haifan_committee_decisions "
            "where quarter = ? and uscc = ?",
            [quarter, uscc],
        ).fetchone()
    assert decision == (True, "approve")
