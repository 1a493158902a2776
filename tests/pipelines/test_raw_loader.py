import json
import shutil
import sqlite3
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.compute as pc
import pytest

from pipelines.lib.contract import MANIFEST, load_contract
from pipelines.lib.raw_loader import (
    DeliveryError,
    create_raw_layer,
    delivery_folders,
    load_database,
    load_deliveries,
)
from pipelines.lib.readers import read_table
from pipelines.lib.reconciliation import unbalanced_files

CONTRACT = load_contract()
SOURCES = sorted({feed.source.name for feed in CONTRACT.values()})


def _load_everything(connection, landing: Path) -> None:
    for source in SOURCES:
        load_deliveries(connection, landing, source, delivery_folders(landing, source), CONTRACT)
    database = landing / "subsidies" / "zgc_development" / "funding.sqlite"
    load_database(connection, f"sqlite:///{database}", CONTRACT["subsidies.zgc_development"])


@pytest.fixture(scope="module")
def loaded_world(small_world, tmp_path_factory):
    path = tmp_path_factory.mktemp("raw") / "raw.duckdb"
    connection = duckdb.connect(str(path))
    create_raw_layer(connection, CONTRACT)
    _load_everything(connection, small_world.landing)
    yield connection
    connection.close()


def _fresh(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(tmp_path / "raw.duckdb"))
    create_raw_layer(connection, CONTRACT)
    return connection


def _one_delivery(small_world, tmp_path: Path, source: str, delivery_id: str) -> Path:
    """A landing zone holding a copy of a single delivery, to damage."""
    landing = tmp_path / "landing"
    shutil.copytree(small_world.landing / source / delivery_id, landing / source / delivery_id)
    return landing


def test_every_delivered_table_reconciles_rows_in_with_loaded_plus_quarantined(loaded_world):
    loads = loaded_world.sql("select * from raw_meta.loads").df()

    unbalanced = loads[loads["rows_in"] != loads["rows_loaded"] + loads["rows_quarantined"]]

    assert unbalanced.empty
    assert loads["rows_loaded"].sum() > 0


def test_every_manifest_row_is_loaded_quarantined_or_in_a_logged_truncation(
    loaded_world, small_world
):
    loads = loaded_world.sql(
        "select source_file, rows_expected, rows_in from raw_meta.loads "
        "where rows_expected is not null and status = 'loaded'"
    ).df()
    truncated = pd.read_parquet(small_world.truth / "defects.parquet").query(
        "defect_class == 'truncated_file'"
    )

    short = loads[loads["rows_expected"] != loads["rows_in"]]

    assert set(short["source_file"].str.split("/").str[-1]) <= set(truncated["file"])
    lost = (short["rows_expected"] - short["rows_in"]).sum()
    assert lost == len(truncated) - 1  # the partial last line is read in and quarantined


def test_quarantined_rows_are_exactly_the_unrecoverable_defects(loaded_world, small_world):
    quarantine = loaded_world.sql("select feed, reason from raw_meta.quarantine").df()
    defects = pd.read_parquet(small_world.truth / "defects.parquet")
    unrecoverable = defects[defects["defect_class"].isin(["missing_key", "undecodable_row"])]

    assert (quarantine["reason"].str.startswith("missing required value")).sum() == (
        unrecoverable["defect_class"] == "missing_key"
    ).sum()
    assert (quarantine["reason"].str.startswith("undecodable bytes")).sum() == (
        unrecoverable["defect_class"] == "undecodable_row"
    ).sum()
    assert (quarantine["reason"] == "truncated line at the end of the file").sum() == 1


def test_a_byte_identical_redelivery_loads_nothing(loaded_world, small_world):
    redelivery = pd.read_parquet(small_world.truth / "defects.parquet").query(
        "defect_class == 'duplicate_delivery'"
    )["delivery_id"]

    statuses = loaded_world.execute(
        "select status, rows_loaded from raw_meta.loads where source = 'tax' and delivery_id = ?",
        [redelivery.iloc[0]],
    ).fetchall()

    assert statuses == [("duplicate", 0)]


def test_loading_the_same_landing_zone_again_changes_nothing(small_world, tmp_path):
    connection = _fresh(tmp_path)
    _load_everything(connection, small_world.landing)
    counts = connection.sql("select count(*) from raw_tax.declarations").fetchone()

    _load_everything(connection, small_world.landing)

    assert connection.sql("select count(*) from raw_tax.declarations").fetchone() == counts
    assert connection.sql("select count(*) from raw_subsidies.zgc_development").fetchone()[0] > 0


def test_the_schema_drift_maps_the_renamed_column_and_keeps_the_new_one(loaded_world):
    drifted = loaded_world.sql(
        "select count(*) filter (where _extra_columns is not null), count(*) "
        "from raw_tax.declarations where _delivered_on >= date '2026-06-30'"
    ).fetchone()
    revenue = loaded_world.sql(
        "select count(*) from raw_tax.declarations where YYSRZE is null"
    ).fetchone()[0]

    assert drifted[0] == 0  # HYDM is in the contract (added_later), so nothing is unknown
    assert drifted[1] > 0
    assert revenue == 0


def test_an_empty_file_is_rejected_with_a_clear_message_and_the_rest_loads(small_world, tmp_path):
    landing = _one_delivery(small_world, tmp_path, "tax", "2025-01-01")
    (landing / "tax" / "2025-01-01" / "declarations.csv").write_bytes(b"")
    connection = _fresh(tmp_path)

    loads = load_deliveries(connection, landing, "tax", ["2025-01-01"], CONTRACT)

    assert [(load.status, load.message) for load in loads] == [
        ("rejected", "tax.declarations: the file is empty")
    ]


def test_a_file_in_the_wrong_encoding_quarantines_its_undecodable_rows(small_world, tmp_path):
    landing = _one_delivery(small_world, tmp_path, "registry", "2025-01-01")
    path = landing / "registry" / "2025-01-01" / "name_history.csv"
    header, *rows = path.read_bytes().decode("gbk").split("\r\n")
    # Latin-1 bytes of a UTF-8 text are not GBK: the header stays ASCII and readable.
    path.write_bytes(("\r\n".join([header, *rows])).encode("utf-8"))
    connection = _fresh(tmp_path)

    loads = load_deliveries(connection, landing, "registry", ["2025-01-01"], CONTRACT)

    history = next(load for load in loads if load.feed == "registry.name_history")
    assert history.rows_in == history.rows_loaded + history.rows_quarantined
    reasons = connection.sql("select distinct reason from raw_meta.quarantine").fetchall()
    assert history.rows_quarantined == 0 or all("undecodable" in r[0] for r in reasons)


def test_a_file_that_is_not_what_its_name_says_is_rejected(small_world, tmp_path):
    delivery = next(d for d in delivery_folders(small_world.landing, "lists") if "deloitte" in d)
    landing = _one_delivery(small_world, tmp_path, "lists", delivery)
    (landing / "lists" / delivery / "deloitte_fast50.xlsx").write_text("排名,公司名称\n1,x\n")
    connection = _fresh(tmp_path)

    loads = load_deliveries(connection, landing, "lists", [delivery], CONTRACT)

    assert loads[0].status == "rejected"
    assert "not an .xlsx workbook" in loads[0].message
    assert connection.sql("select count(*) from raw_lists.deloitte50").fetchone() == (0,)


def test_a_missing_required_column_rejects_the_file_and_quarantines_every_row(
    small_world, tmp_path
):
    landing = _one_delivery(small_world, tmp_path, "ratings", "2025-01-01")
    path = landing / "ratings" / "2025-01-01" / "ratings.csv"
    frame = pd.read_csv(path, dtype=str).drop(columns=["信用等级"])
    frame.to_csv(path, index=False)
    connection = _fresh(tmp_path)

    (load,) = load_deliveries(connection, landing, "ratings", ["2025-01-01"], CONTRACT)

    assert load.status == "rejected"
    assert "missing required column(s) 信用等级" in load.message
    assert load.rows_quarantined == load.rows_in == len(frame)


def test_a_delivery_for_an_unknown_source_is_refused(small_world, tmp_path):
    connection = _fresh(tmp_path)

    with pytest.raises(DeliveryError, match="unknown source 'weather'"):
        load_deliveries(connection, tmp_path, "weather", ["2025-01-01"], CONTRACT)


def test_a_delivery_without_manifest_is_refused_and_nothing_of_the_batch_is_written(
    small_world, tmp_path
):
    landing = _one_delivery(small_world, tmp_path, "tax", "2025-01-01")
    (landing / "tax" / "2025-06-30").mkdir()
    connection = _fresh(tmp_path)

    with pytest.raises(DeliveryError, match=r"has no _manifest\.json"):
        load_deliveries(connection, landing, "tax", ["2025-01-01", "2025-06-30"], CONTRACT)

    assert connection.sql("select count(*) from raw_tax.declarations").fetchone() == (0,)
    assert connection.sql("select count(*) from raw_meta.loads").fetchone() == (0,)


def test_a_file_matching_no_feed_is_rejected_and_reported(small_world, tmp_path):
    landing = _one_delivery(small_world, tmp_path, "tax", "2025-01-01")
    (landing / "tax" / "2025-01-01" / "notes.txt").write_text("hello")
    connection = _fresh(tmp_path)

    loads = load_deliveries(connection, landing, "tax", ["2025-01-01"], CONTRACT)

    assert ("rejected", "the file matches no feed of the contract") in {
        (load.status, load.message) for load in loads
    }
    assert any(load.status == "loaded" and load.rows_loaded > 0 for load in loads)


def test_manifest_is_the_sign_of_a_complete_delivery(small_world, tmp_path):
    landing = _one_delivery(small_world, tmp_path, "tax", "2025-01-01")
    (landing / "tax" / "2025-06-30").mkdir()

    assert delivery_folders(landing, "tax") == ["2025-01-01"]
    assert json.loads((landing / "tax" / "2025-01-01" / MANIFEST).read_text())["source"] == "tax"


def _read_clean_and_damaged(small_world, tmp_path: Path, pattern: str, feed_id: str):
    """A delivered file as read whole, and with its third data row damaged.

    The clean file is read by DuckDB; the damaged one makes DuckDB refuse it, so the line-by-line
    reader reads it: the two must agree on every other row.
    """
    feed = CONTRACT[feed_id]
    source = max(small_world.landing.glob(pattern), key=lambda p: p.stat().st_size)
    clean, damaged = tmp_path / f"clean{source.suffix}", tmp_path / f"damaged{source.suffix}"
    shutil.copy(source, clean)
    lines = source.read_bytes().splitlines(keepends=True)
    header_lines = 0 if feed.format == "jsonl" else 1
    lines[header_lines + 2] = b"\xff\xfe" + lines[header_lines + 2]
    damaged.write_bytes(b"".join(lines))
    connection = duckdb.connect()
    return (
        read_table(connection, clean, feed, feed.table),
        read_table(connection, damaged, feed, feed.table),
    )


@pytest.mark.parametrize(
    ("feed_id", "pattern"),
    [
        ("registry.changes", "registry/*/changes.csv"),
        ("tax.declarations", "tax/*/*.csv"),
        ("pboc.loan_status", "pboc/*/*.jsonl"),
    ],
)
def test_a_damaged_line_costs_only_that_line_and_the_rest_reads_as_duckdb_reads_it(
    small_world, tmp_path, feed_id, pattern
):
    clean, damaged = _read_clean_and_damaged(small_world, tmp_path, pattern, feed_id)

    assert clean.rejects == []
    assert [number for number, _, _ in damaged.rejects] == [3]
    assert damaged.header == clean.header
    kept = clean.rows.filter(pc.not_equal(clean.rows["_row_number"], 3))
    if feed_id == "pboc.loan_status":
        # Through DuckDB a JSON number keeps its written form (469000.0); Python's reader
        # writes integral floats without ".0". Staging reads both as the same number.
        for fast, slow in zip(kept.to_pylist(), damaged.rows.to_pylist(), strict=True):
            assert all(
                value == slow[key] or float(value) == float(slow[key])
                for key, value in fast.items()
            )
    else:
        assert damaged.rows.equals(kept)


def test_a_database_row_edited_in_place_loads_as_a_new_version(small_world, tmp_path):
    database = tmp_path / "funding.sqlite"
    shutil.copy(small_world.landing / "subsidies" / "zgc_development" / "funding.sqlite", database)
    feed = CONTRACT["subsidies.zgc_development"]
    connection = _fresh(tmp_path)
    first = load_database(connection, f"sqlite:///{database}", feed)
    unchanged = load_database(connection, f"sqlite:///{database}", feed)
    with sqlite3.connect(database) as source:
        record_id = source.execute("select min(record_id) from funding_record").fetchone()[0]
        source.execute(
            "update funding_record set amount_yuan = amount_yuan + 1 where record_id = ?",
            [record_id],
        )

    edited = load_database(connection, f"sqlite:///{database}", feed)

    assert first.rows_loaded > 0
    assert unchanged.rows_in == unchanged.rows_loaded == 0
    assert edited.rows_loaded == 1
    versions = connection.execute(
        "select count(*) from raw_subsidies.zgc_development where record_id = ?", [str(record_id)]
    ).fetchone()[0]
    assert versions == 2


def test_a_row_lost_after_loading_makes_its_file_unbalanced(small_world, tmp_path):
    delivery = sorted(p.parent.name for p in small_world.landing.glob("pboc/*/loan_status.jsonl"))[
        1
    ]
    landing = _one_delivery(small_world, tmp_path, "pboc", delivery)
    connection = _fresh(tmp_path)
    load_deliveries(connection, landing, "pboc", [delivery], CONTRACT)
    balanced = unbalanced_files(connection, "raw_pboc.loan_status", [delivery])

    connection.execute("delete from raw_pboc.loan_status where _row_number = 2")

    [(delivery_id, source_file, read, stored, quarantined)] = unbalanced_files(
        connection, "raw_pboc.loan_status"
    )
    assert balanced == []
    assert (delivery_id, source_file) == (delivery, f"pboc/{delivery}/loan_status.jsonl")
    assert read == stored + quarantined + 1
