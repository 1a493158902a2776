"""The feed contract against its documentation and against a generated landing zone."""

import csv
import hashlib
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from pipelines.lib.contract import (
    DATE_STYLES,
    DEFECT_CLASSES,
    MANIFEST,
    ContractError,
    Feed,
    Table,
    load_contract,
    render_markdown,
)
from pipelines.lib.paths import REPO_ROOT
from sources._shared.landing import RECOVERABLE
from sources.config import DEFAULT_DEFECT_RATES

FEEDS = {
    "registry.enterprises",
    "registry.name_history",
    "registry.changes",
    "regulation.abnormal_operations",
    "regulation.serious_illegal",
    "regulation.penalties",
    "pboc.loan_status",
    "courts.cases",
    "courts.dishonest_debtors",
    "subsidies.zgc_admin",
    "subsidies.haidian_park",
    "subsidies.hkj",
    "subsidies.district_finance",
    "subsidies.zgc_development",
    "tax.declarations",
    "ratings.ratings",
    "lists.certificates",
    "lists.top100",
    "lists.deloitte50",
    "lists.zgc_top10",
    "lists.talents",
    "lists.incubators",
    "lists.incubator_recommendations",
    "lists.association_recommendations",
}


@dataclass(frozen=True)
class Delivered:
    """One delivered table: a text file, or one sheet of a workbook."""

    feed: Feed
    table: Table
    path: str  # relative to the landing root
    file: str  # as the defect log names it: the file name, `<name>#<sheet>` for a sheet
    header: tuple[str, ...]  # csv and xlsx header; empty for JSON
    rows: list[dict]  # data rows by delivered column name (JSON: the objects)

    @property
    def delivery_id(self) -> str:
        return self.path.split("/")[1]


@pytest.fixture(scope="module")
def contract() -> dict[str, Feed]:
    return load_contract()


@pytest.fixture(scope="module")
def files(small_world) -> list[str]:
    """Every delivered file (not manifests), relative to the landing root."""
    return sorted(
        path.relative_to(small_world.landing).as_posix()
        for path in small_world.landing.rglob("*")
        if path.is_file() and path.name != MANIFEST
    )


@pytest.fixture(scope="module")
def feed_of(files, contract) -> dict[str, Feed]:
    """The feed of every delivered file that matches exactly one feed."""
    matches = {path: [feed for feed in contract.values() if feed.matches(path)] for path in files}
    return {path: found[0] for path, found in matches.items() if len(found) == 1}


@pytest.fixture(scope="module")
def defects(small_world) -> pd.DataFrame:
    return pd.read_parquet(small_world.truth / "defects.parquet")


@pytest.fixture(scope="module")
def logged(defects) -> dict[tuple[str, str, str, str], set[int]]:
    """Row numbers of logged defects by (feed, delivery id, file, class).

    A re-delivery is logged once, as `duplicate_delivery`; its rows carry the original's defects.
    """
    rows: dict[tuple[str, str, str, str], set[int]] = defaultdict(set)
    for feed, delivery, file, row, defect in defects[
        ["feed", "delivery_id", "file", "row_number", "defect_class"]
    ].itertuples(index=False):
        rows[(feed, delivery, file, defect)].add(-1 if pd.isna(row) else int(row))
    again = defects[defects["defect_class"] == "duplicate_delivery"]
    for feed, delivery, file, detail in again[["feed", "delivery_id", "file", "detail"]].itertuples(
        index=False
    ):
        original = detail.removeprefix("identical to ")
        for defect in DEFECT_CLASSES:
            if (feed, original, file, defect) in rows:
                rows[(feed, delivery, file, defect)] |= rows[(feed, original, file, defect)]
    return rows


@pytest.fixture(scope="module")
def truncated(defects) -> set[str]:
    """Paths (relative to the landing root) of files logged as truncated."""
    cut = defects[defects["defect_class"] == "truncated_file"]
    return {
        f"{feed.split('.')[0]}/{delivery}/{file}"
        for feed, delivery, file in cut[["feed", "delivery_id", "file"]].itertuples(index=False)
    }


@pytest.fixture(scope="module")
def delivered(small_world, feed_of) -> list[Delivered]:
    """Every delivered text file and workbook sheet, parsed once."""
    tables = []
    for path, feed in feed_of.items():
        data = (small_world.landing / path).read_bytes()
        name = path.rsplit("/", 1)[1]
        if feed.format == "csv":
            reader = csv.reader(
                io.StringIO(data.decode(feed.encoding, errors="replace"), newline="")
            )
            header, *body = list(reader)
            rows = [dict(zip(header, row, strict=False)) for row in body]
            tables.append(Delivered(feed, feed.table, path, name, tuple(header), rows))
        elif feed.format == "jsonl":
            rows = [json.loads(line) for line in data.decode(feed.encoding).splitlines()]
            tables.append(Delivered(feed, feed.table, path, name, (), rows))
        elif feed.format == "json":
            rows = json.loads(data.decode(feed.encoding))
            tables.append(Delivered(feed, feed.table, path, name, (), rows))
        elif feed.format == "xlsx":
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
            for table, sheet in zip(feed.tables, book.worksheets, strict=False):
                values = [list(row) for row in sheet.iter_rows(values_only=True)]
                header = tuple(values[table.title_rows])
                rows = [
                    dict(zip(header, row, strict=True)) for row in values[table.title_rows + 1 :]
                ]
                tables.append(Delivered(feed, table, path, f"{name}#{sheet.title}", header, rows))
            book.close()
    return tables


def _intact(tables: list[Delivered], truncated: set[str]) -> list[Delivered]:
    return [table for table in tables if table.path not in truncated]


def _delivered_names(table: Delivered) -> dict[str, str]:
    """Contract column name -> the name this delivery uses (columns it lacks left out)."""
    if not table.header:
        return {column.name: column.name for column in table.table.columns}
    names = table.table.delivered_names(table.header)
    assert names is not None, f"{table.path}: unexpected header {table.header}"
    return names


# --- the contract itself -------------------------------------------------------------------------


def test_docs_feeds_md_is_the_rendered_contract(contract):
    documented = (REPO_ROOT / "docs" / "feeds.md").read_text(encoding="utf-8")

    assert documented == render_markdown(contract), (
        "docs/feeds.md is stale: run `python -m pipelines.lib.contract > docs/feeds.md`"
    )


def test_contract_describes_every_feed_of_the_landing_zone(contract):
    assert set(contract) == FEEDS


def test_contract_defect_classes_are_the_simulators_classes():
    assert set(DEFECT_CLASSES) == set(RECOVERABLE)
    assert set(DEFAULT_DEFECT_RATES) <= set(DEFECT_CLASSES)


def test_path_wildcards_do_not_cross_folders(contract):
    feed = contract["registry.enterprises"]

    assert feed.matches("registry/2025-01-01/enterprises.csv")
    assert not feed.matches("registry/2025-01-01/extra/enterprises.csv")
    assert not feed.matches("registry/2025-01-01_x/enterprises.csv")


def test_tax_header_versions_are_the_old_and_the_drifted_header(contract):
    table = contract["tax.declarations"].table
    old, new = table.headers()

    assert "YYSR" in old and "HYDM" not in old
    assert "YYSRZE" in new and new[-1] == "HYDM"
    assert table.header_version(old) == 0
    assert table.header_version(new) == 1
    assert table.header_version([*old, "HYDM"]) is None


def test_load_contract_rejects_an_unknown_column_type(tmp_path):
    source = (REPO_ROOT / "pipelines" / "contract" / "ratings.yml").read_text(encoding="utf-8")
    (tmp_path / "ratings.yml").write_text(
        source.replace("type: integer", "type: money", 1), encoding="utf-8"
    )

    with pytest.raises(ContractError, match="money"):
        load_contract(tmp_path)


def test_load_contract_rejects_a_key_that_is_not_a_column(tmp_path):
    source = (REPO_ROOT / "pipelines" / "contract" / "ratings.yml").read_text(encoding="utf-8")
    (tmp_path / "ratings.yml").write_text(
        source.replace("key: [评级编号]", "key: [评级号]", 1), encoding="utf-8"
    )

    with pytest.raises(ContractError, match="评级号"):
        load_contract(tmp_path)


# --- files and manifests -------------------------------------------------------------------------


def test_every_delivered_file_matches_exactly_one_feed(files, contract):
    counts = {path: sum(feed.matches(path) for feed in contract.values()) for path in files}

    assert {path: n for path, n in counts.items() if n != 1} == {}


def test_every_feed_has_delivered_files(feed_of, contract):
    assert set(contract) - {feed.id for feed in feed_of.values()} == set()


def test_manifests_name_the_source_and_delivery_of_their_folder(small_world):
    for manifest_path in small_world.landing.glob(f"*/*/{MANIFEST}"):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        folder = manifest_path.parent

        assert (manifest["source"], manifest["delivery_id"]) == (folder.parent.name, folder.name)
        assert manifest["delivered_on"] == folder.name[:10]


def test_manifests_list_exactly_the_files_of_their_delivery(small_world):
    for manifest_path in small_world.landing.glob(f"*/*/{MANIFEST}"):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        present = {p.name for p in manifest_path.parent.iterdir() if p.name != MANIFEST}

        assert {file["name"] for file in manifest["files"]} == present, manifest_path


def test_every_delivery_folder_has_a_manifest(small_world, feed_of):
    folders = {path.rsplit("/", 1)[0] for path, feed in feed_of.items() if feed.format != "sql"}

    assert {f for f in folders if not (small_world.landing / f / MANIFEST).exists()} == set()


def test_manifest_sha256_matches_every_file_not_logged_truncated(small_world, truncated):
    mismatched = set()
    for manifest_path in small_world.landing.glob(f"*/*/{MANIFEST}"):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        for file in manifest["files"]:
            data = (manifest_path.parent / file["name"]).read_bytes()
            if hashlib.sha256(data).hexdigest() != file["sha256"] or len(data) != file["bytes"]:
                mismatched.add(f"{manifest['source']}/{manifest['delivery_id']}/{file['name']}")

    assert mismatched - truncated == set()


def test_files_logged_truncated_fail_their_manifest_sha256(small_world, truncated):
    assert truncated, "the simulator should deliver one truncated file"
    for path in truncated:
        folder, name = (small_world.landing / path).parent, path.rsplit("/", 1)[1]
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        stated = next(file["sha256"] for file in manifest["files"] if file["name"] == name)

        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() != stated


def test_manifest_row_counts_match_the_delivered_rows(small_world, delivered, truncated):
    counted: dict[str, int] = defaultdict(int)
    for table in _intact(delivered, truncated):
        counted[table.path] += len(table.rows)
    stated = {}
    for manifest_path in small_world.landing.glob(f"*/*/{MANIFEST}"):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        for file in manifest["files"]:
            stated[f"{manifest['source']}/{manifest['delivery_id']}/{file['name']}"] = file["rows"]

    assert {path: stated[path] for path in counted} == dict(counted)


def test_manifest_kinds_are_documented_for_their_feeds(small_world, feed_of):
    for manifest_path in small_world.landing.glob(f"*/*/{MANIFEST}"):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        for file in manifest["files"]:
            feed = feed_of[f"{manifest['source']}/{manifest['delivery_id']}/{file['name']}"]

            assert manifest["kind"] in feed.kinds, (feed.id, manifest["delivery_id"])


# --- headers and keys ----------------------------------------------------------------------------


def test_csv_headers_are_a_contract_header_version(delivered):
    for table in delivered:
        if table.feed.format == "csv":
            assert table.table.header_version(table.header) is not None, table.path


def test_only_deliveries_logged_as_schema_drift_use_a_later_header(delivered, logged):
    drifted = {
        (table.feed.id, table.delivery_id, table.file)
        for table in delivered
        if table.header and table.table.header_version(table.header) not in (None, 0)
    }
    logged_drift = {key[:3] for key in logged if key[3] == "schema_drift"}

    assert drifted == logged_drift
    assert drifted, "the simulator should deliver one schema drift"


def test_xlsx_sheets_are_the_contract_sheets_in_order(small_world, feed_of):
    for path, feed in feed_of.items():
        if feed.format == "xlsx":
            book = openpyxl.load_workbook(small_world.landing / path, read_only=True)

            assert book.sheetnames == [table.name for table in feed.tables], path
            book.close()


def test_xlsx_headers_follow_the_documented_title_rows(delivered):
    for table in delivered:
        if table.feed.format == "xlsx":
            assert table.header == table.table.headers()[-1], table.file


def test_json_lines_objects_have_exactly_the_contract_fields(delivered):
    for table in delivered:
        if table.feed.format == "jsonl":
            expected = [column.name for column in table.table.columns]
            assert all(list(row) == expected for row in table.rows), table.path


def test_json_documents_have_exactly_the_contract_fields(delivered):
    for table in delivered:
        if table.feed.format == "json":
            expected = [column.name for column in table.table.columns]
            assert all(list(row) == expected for row in table.rows), table.path


def test_nested_json_objects_have_the_contract_fields_in_order(delivered):
    nested = 0
    for table in delivered:
        for column in table.table.columns if table.feed.format == "json" else ():
            if not column.fields:
                continue
            always = {field.name for field in column.fields if not field.may_be_absent}
            for item in (item for row in table.rows for item in row[column.name]):
                nested += 1
                assert always <= set(item), table.path
                assert list(item) == [f.name for f in column.fields if f.name in item], table.path

    assert nested, "court documents should have parties"


def test_sql_table_has_exactly_the_contract_columns(small_world, feed_of):
    feed_paths = [path for path, feed in feed_of.items() if feed.format == "sql"]
    assert feed_paths
    for path in feed_paths:
        table = feed_of[path].table
        engine = sa.create_engine(f"sqlite:///{small_world.landing / path}")
        try:
            columns = [column["name"] for column in sa.inspect(engine).get_columns(table.name)]
        finally:
            engine.dispose()

        assert columns == [column.name for column in table.columns]


# --- values --------------------------------------------------------------------------------------


def test_text_files_decode_except_rows_logged_undecodable(small_world, feed_of, logged, truncated):
    for path, feed in feed_of.items():
        if feed.format not in ("csv", "jsonl", "json") or path in truncated:
            continue
        data = (small_world.landing / path).read_bytes()
        # CSV: line 0 is the header, so line numbers are row numbers; JSON: records from 1.
        lines = data.split(b"\r\n") if feed.format == "csv" else [b"", *data.split(b"\n")]
        failing = set()
        for number, line in enumerate(lines):
            try:
                line.decode(feed.encoding if number == 0 else feed.encoding.removesuffix("-sig"))
            except UnicodeDecodeError:
                failing.add(number)
        delivery, name = path.split("/")[1:]

        assert failing == logged.get((feed.id, delivery, name, "undecodable_row"), set()), path


def test_utf8_sig_files_start_with_a_byte_order_mark_and_others_do_not(small_world, feed_of):
    for path, feed in feed_of.items():
        if feed.encoding is not None:
            has_bom = (small_world.landing / path).read_bytes().startswith(b"\xef\xbb\xbf")

            assert has_bom == (feed.encoding == "utf-8-sig"), path


def _is_in_style(value: object, style: str) -> bool:
    if style == "excel":
        return isinstance(value, datetime)
    try:
        datetime.strptime(str(value), DATE_STYLES[style].strptime or "")
    except ValueError:
        return False
    return True


def test_dates_follow_their_documented_style_except_rows_logged_mixed(delivered, logged, truncated):
    for table in _intact(delivered, truncated):
        names = _delivered_names(table)
        key = (table.feed.id, table.delivery_id, table.file)
        mixed = logged.get((*key, "date_format_mix"), set())
        off_style = {
            number
            for column in table.table.columns
            if column.date_style not in (None, "sql") and column.name in names
            for number, row in enumerate(table.rows, start=1)
            if row[names[column.name]] not in (None, "")
            and not _is_in_style(row[names[column.name]], column.date_style)
        }

        assert off_style == mixed, table.path


def test_required_values_are_missing_only_in_rows_logged_missing_key(delivered, logged, truncated):
    for table in _intact(delivered, truncated):
        names = _delivered_names(table)
        allowed = logged.get((table.feed.id, table.delivery_id, table.file, "missing_key"), set())
        for column in table.table.columns:
            if not column.required or column.name not in names:
                continue
            empty = {
                number
                for number, row in enumerate(table.rows, start=1)
                if row.get(names[column.name]) in (None, "")
            }

            assert empty <= allowed, (table.path, column.name, sorted(empty - allowed)[:5])


def test_logged_missing_values_are_in_optional_columns(defects, contract):
    missing = defects[
        (defects["defect_class"] == "missing_value") & defects["detail"].str.endswith(" empty")
    ]
    assert len(missing), "the simulator should leave optional fields empty"
    # The copy of a duplicated row is logged with "copy of the previous row" for all its classes.
    for feed_id, detail in missing[["feed", "detail"]].drop_duplicates().itertuples(index=False):
        column = contract[feed_id].table.column(detail.removesuffix(" empty"))

        assert not column.required, (feed_id, column.name)


def test_logged_defect_classes_are_documented_for_their_feed(defects, contract):
    logged_classes = set(defects[["feed", "defect_class"]].itertuples(index=False, name=None))
    documented = {
        (feed.id, defect.defect_class) for feed in contract.values() for defect in feed.defects
    }

    assert logged_classes - documented == set()
