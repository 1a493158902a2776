"""Entity resolution inside the whole graph: accuracy against the truth, incremental runs,
retraining, and reviewers' decisions applied by the next run."""

import json
import shutil

import duckdb
import pytest

from bench.resolution_metrics import measure
from pipelines.lib.resolution.parameters import ResolutionParameters
from pipelines.lib.resolution.resolve import resolve, train_model
from pipelines.lib.resolution.store import latest_model

pytestmark = pytest.mark.integration

#: Floors at this small scale (a few hundred mentions); the benchmark measures the targets.
PRECISION_FLOOR = 0.99
RECALL_FLOOR = 0.95


@pytest.fixture
def warehouse_copy(platform_run, tmp_path):
    root, completed = platform_run
    assert completed.returncode == 0, completed.stdout + completed.stderr
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(root / "warehouse.duckdb", copy)
    with duckdb.connect(str(copy)) as connection:
        yield connection


def test_links_meet_the_precision_and_recall_floors(platform_run):
    root, _ = platform_run
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as connection:
        overall = measure(connection, root / "truth")[-1]

    assert overall.mentions > 200
    assert overall.precision >= PRECISION_FLOOR
    assert overall.recall >= RECALL_FLOOR


def test_every_mention_has_one_outcome_and_the_marts_can_join_it(platform_run):
    root, _ = platform_run
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as connection:
        mentions, resolved, joined = connection.sql(
            """
            select count(*), count(*) filter (where resolution_status = 'resolved'),
                count(uscc)
            from main_intermediate.int_firm_mentions_resolved
            """
        ).fetchone()
        outcomes = connection.sql("select count(*) from resolution.entity_resolutions").fetchone()

    assert outcomes[0] == mentions
    assert joined == resolved > 0


def test_a_trained_model_is_stored_as_the_first_version(platform_run):
    root, _ = platform_run
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as connection:
        versions = connection.sql(
            "select model_version, training_mentions, model from resolution.models"
        ).fetchall()

    assert [(version, mentions > 0) for version, mentions, _ in versions] == [(1, True)]
    assert json.loads(versions[0][2])["link_type"] == "link_only"


def test_an_incremental_run_resolves_only_new_mentions_with_the_same_outcome(warehouse_copy):
    before = warehouse_copy.sql(
        "select feed, record_id, uscc, resolution_status from resolution.entity_resolutions "
        "order by all"
    ).fetchall()
    pending = sum(status != "resolved" for *_, status in before)
    warehouse_copy.execute(
        "delete from resolution.entity_resolutions where record_id in ("
        "select record_id from resolution.entity_resolutions "
        "where resolution_status = 'resolved' order by record_id limit 25)"
    )

    run = resolve(warehouse_copy, latest_model(warehouse_copy), ResolutionParameters())

    after = warehouse_copy.sql(
        "select feed, record_id, uscc, resolution_status from resolution.entity_resolutions "
        "order by all"
    ).fetchall()
    assert run.mentions == 25 + pending
    assert after == before


def test_retraining_stores_a_new_version(warehouse_copy):
    version, _ = train_model(warehouse_copy, ResolutionParameters())

    assert version == 2
    assert latest_model(warehouse_copy).version == 2


@pytest.fixture(scope="module")
def reviewed_run(second_run, main_command, platform_command):
    """Two decisions recorded through the review command, then the main command again."""
    root, _ = second_run
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as connection:
        linked = connection.sql(
            "select feed, record_id, uscc from resolution.entity_resolutions "
            "where resolution_method = 'exact_name' order by record_id limit 1"
        ).fetchone()
        unresolved = connection.sql(
            """
            select outcomes.feed, outcomes.record_id, enterprises.uscc
            from resolution.entity_resolutions as outcomes, stg_registry__enterprises as enterprises
            where outcomes.resolution_status = 'unresolved'
            order by outcomes.record_id, enterprises.uscc limit 1
            """
        ).fetchone()
    review = "pipelines.review"
    rejected = platform_command(root, review, "decide", *linked, "not_same", "--reviewer", "测试员")
    confirmed = platform_command(
        root, review, "decide", *unresolved, "same", "--reviewer", "测试员"
    )
    return (
        root,
        linked,
        unresolved,
        rejected,
        confirmed,
        main_command(root, "timings-reviewed.json"),
    )


def test_reviewers_decisions_are_applied_by_the_next_run(reviewed_run):
    root, linked, unresolved, rejected, confirmed, completed = reviewed_run

    assert rejected.returncode == confirmed.returncode == 0, rejected.stderr + confirmed.stderr
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "dbt build and entity resolution" in completed.stdout
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as connection:
        outcome = {
            (feed, record_id): (uscc, method)
            for feed, record_id, uscc, method in connection.sql(
                "select feed, record_id, uscc, resolution_method from resolution.entity_resolutions"
            ).fetchall()
        }
    assert outcome[linked[:2]][0] != linked[2]
    assert outcome[unresolved[:2]] == (unresolved[2], "reviewer")


def test_the_review_command_rejects_bad_input_in_one_line(second_run, platform_command):
    root, _ = second_run
    review = "pipelines.review"

    unknown_firm = platform_command(
        root,
        review,
        "decide",
        "lists.talents",
        "x",
        "911101080000000000",
        "same",
        "--reviewer",
        "a",
    )
    bad_decision = platform_command(
        root,
        review,
        "decide",
        "lists.talents",
        "x",
        "91110108MA01QXDW4B",
        "maybe",
        "--reviewer",
        "a",
    )

    assert unknown_firm.returncode == bad_decision.returncode == 2
    assert "Traceback" not in unknown_firm.stderr + bad_decision.stderr
    assert unknown_firm.stderr.startswith("error: ")
    assert len(unknown_firm.stderr.strip().splitlines()) == 1
