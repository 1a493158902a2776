"""Injected defects: every class occurs, at its configured rate, and is really in the files."""

import json
import math
import re
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sources._shared.defects import traditional
from sources.config import DEFAULT_DEFECT_RATES
from sources.tax.deliver import ADDED, RENAMED

pytestmark = pytest.mark.integration

#: Feed -> (source, file) of the feeds that rate-based defects are injected into.
FEED_FILES = {
    "registry.enterprises": ("registry", "enterprises.csv"),
    "registry.changes": ("registry", "changes.csv"),
    "tax.declarations": ("tax", "declarations.csv"),
    "pboc.loan_status": ("pboc", "loan_status.jsonl"),
    "ratings.ratings": ("ratings", "ratings.csv"),
    "regulation.abnormal_operations": ("regulation", "abnormal_operations.csv"),
    "regulation.serious_illegal": ("regulation", "serious_illegal.csv"),
    "regulation.penalties": ("regulation", "penalties.csv"),
    "lists.certificates": ("lists", "certificates.csv"),
    "subsidies.zgc_admin": ("subsidies", "grants.xlsx"),
    "subsidies.hkj": ("subsidies", "support_details.xlsx"),
    "subsidies.haidian_park": ("subsidies", "disbursements.xlsx"),
    "subsidies.district_finance": ("subsidies", "programme_payments.xlsx"),
}
#: Workbooks with more than one sheet: feed -> the sheet its defects are injected into (the
#: programme office's firms sheet; the lenders' sheet carries no USCC and ISO dates).
DAMAGED_SHEET = {"subsidies.district_finance": "企业补贴"}
#: Feeds whose rows are keyed by a USCC column (check characters corrupted, keys emptied).
CODE_KEYED = (
    "tax.declarations",
    "pboc.loan_status",
    "ratings.ratings",
    "regulation.abnormal_operations",
    "regulation.serious_illegal",
    "regulation.penalties",
    "lists.certificates",
    "subsidies.zgc_admin",
    "subsidies.hkj",
    "subsidies.district_finance",
)
#: Feeds whose files repeat some rows.
DUPLICATING = (
    "registry.changes",
    "tax.declarations",
    "pboc.loan_status",
    "ratings.ratings",
    "regulation.abnormal_operations",
    "regulation.serious_illegal",
)
#: Rate-based classes -> the feeds (and, where it matters, the delivery kind) they hit.
RATE_FEEDS = {
    "invalid_uscc_check": [(feed, None) for feed in CODE_KEYED],
    "missing_key": [(feed, None) for feed in CODE_KEYED],
    "duplicate_row": [(feed, None) for feed in DUPLICATING],
    # The registry blanks optional fields of its initial full extract only.
    "missing_value": [
        ("registry.enterprises", "full"),
        ("pboc.loan_status", None),
        ("regulation.penalties", None),
    ],
    "date_format_mix": [("ratings.ratings", None), ("subsidies.district_finance", None)],
    "unit_mix": [("subsidies.haidian_park", None)],
    "late_record": [("registry.changes", None)],
}
#: Name damage, applied in this order; a row gets at most one of them.
NAME_CLASSES = ("typo", "traditional_chars", "name_variant")
ENCODINGS = {"registry": "gbk"}


def _binomial_deviation(hits: int, rows: int, rate: float) -> str | None:
    """Why ``hits`` of ``rows`` is implausible at ``rate`` (beyond four standard deviations)."""
    expected = rows * rate
    sigma = math.sqrt(rows * rate * (1 - rate))
    if abs(hits - expected) <= 4 * sigma:
        return None
    return f"{hits} of {rows} rows, expected {expected:.1f} ± {4 * sigma:.1f} (4 sigma)"


@pytest.fixture(scope="module")
def defects(truth) -> pd.DataFrame:
    return truth("defects")


@pytest.fixture(scope="module")
def row_keys(defects) -> pd.Series:
    """Each defect's row as one key, to tell duplicate copies from original rows."""
    return (
        defects["feed"]
        + "|"
        + defects["delivery_id"]
        + "|"
        + defects["file"].fillna("")
        + "|"
        + defects["row_number"].astype(str)
    )


@pytest.fixture(scope="module")
def copies(defects, row_keys) -> set[str]:
    return set(row_keys[defects["defect_class"] == "duplicate_row"])


def _sheet_rows(path: Path, sheet: str) -> int:
    frame = pd.read_excel(path, sheet_name=sheet, header=None)
    header = int((frame.notna().sum(axis=1) > 1).to_numpy().argmax())
    return len(frame) - header - 1


def _original_rows(
    feed: str, kind: str | None, files: pd.DataFrame, defects: pd.DataFrame, landing: Path
) -> tuple[set[str], int]:
    """Delivery ids of a feed's files and their number of rows before duplication."""
    source, name = FEED_FILES[feed]
    chosen = files[(files["source"] == source) & (files["name"] == name)]
    # A delivery sent again repeats rows logged once, under the original delivery.
    chosen = chosen[chosen["kind"] == kind] if kind else chosen[chosen["kind"] != "redelivery"]
    if feed in DAMAGED_SHEET:
        rows = sum(
            _sheet_rows(landing / source / delivery / name, DAMAGED_SHEET[feed])
            for delivery in chosen["delivery_id"]
        )
    else:
        rows = int(chosen["rows"].sum())
    deliveries = set(chosen["delivery_id"])
    duplicates = defects[
        (defects["feed"] == feed)
        & defects["delivery_id"].isin(deliveries)
        & (defects["defect_class"] == "duplicate_row")
    ]
    return deliveries, rows - len(duplicates)


@pytest.mark.parametrize("defect_class", list(DEFAULT_DEFECT_RATES))
def test_every_configured_defect_class_is_logged(defect_class, defects):
    assert (defects["defect_class"] == defect_class).any()


@pytest.mark.parametrize("defect_class", list(RATE_FEEDS))
def test_rate_based_defects_occur_at_their_configured_rate(
    defect_class, defects, row_keys, copies, delivered_files, small_world
):
    rate = small_world.config.rate(defect_class)
    if defect_class == "missing_key":
        # Keys are emptied only on rows whose check character was not already corrupted.
        rate *= 1 - small_world.config.rate("invalid_uscc_check")
    hits, rows = 0, 0
    for feed, kind in RATE_FEEDS[defect_class]:
        deliveries, feed_rows = _original_rows(
            feed, kind, delivered_files, defects, small_world.landing
        )
        logged = (
            (defects["feed"] == feed)
            & defects["delivery_id"].isin(deliveries)
            & (defects["defect_class"] == defect_class)
        )
        if defect_class != "duplicate_row":
            logged &= ~row_keys.isin(copies)  # a copy repeats its original's defects
        hits += int(logged.sum())
        rows += feed_rows

    deviation = _binomial_deviation(hits, rows, rate)

    assert rows * rate >= 1, "too few eligible rows for the rate to show"
    assert deviation is None, deviation


@pytest.fixture(scope="module")
def firm_name_rows(name_keyed_rows, truth, defects) -> pd.DataFrame:
    """Name-keyed rows that name a firm of the world, with their name-damage class and the name
    as it was before the damage (from the defect's detail, ``was <name>``).
    """
    links = truth("entity_links")
    firm_rows = name_keyed_rows.merge(
        links[links["uscc"].notna()][["feed", "record_id"]].drop_duplicates(),
        on=["feed", "record_id"],
    )
    damage = defects[defects["defect_class"].isin(NAME_CLASSES)][
        ["feed", "delivery_id", "record_id", "defect_class", "detail"]
    ]
    rows = firm_rows.merge(damage, on=["feed", "delivery_id", "record_id"], how="left")
    assert len(rows) == len(firm_rows), "a row carries more than one kind of name damage"
    before = rows["detail"].fillna("")
    rows["original"] = rows["name"].where(~before.str.startswith("was "), before.str[4:])
    return rows


@pytest.mark.parametrize("defect_class", NAME_CLASSES)
def test_name_damage_occurs_at_its_configured_rate(defect_class, firm_name_rows, small_world):
    rows = firm_name_rows
    if defect_class in ("traditional_chars", "name_variant"):
        rows = rows[rows["defect_class"] != "typo"]
    if defect_class == "traditional_chars":
        # Only names with a character that has a traditional form can be damaged this way.
        rows = rows[rows["original"].map(lambda name: traditional(name) != name)]
    if defect_class == "name_variant":
        rows = rows[rows["defect_class"] != "traditional_chars"]
    rate = small_world.config.rate(defect_class)
    hits = int((rows["defect_class"] == defect_class).sum())
    deviation = _binomial_deviation(hits, len(rows), rate)

    assert len(rows) * rate >= 1, "too few eligible rows for the rate to show"
    assert deviation is None, deviation


def test_former_name_defects_say_why_the_name_is_former(defects):
    former = defects[defects["defect_class"] == "former_name"]
    reasons = {"former name used after the rename", "name before the firm's rename"}

    assert len(former) > 0
    wrong = former[~former["detail"].isin(reasons)]

    assert wrong.empty, wrong[["feed", "delivery_id", "record_id", "detail"]].to_string()


def test_undecodable_rows_number_as_configured(defects, small_world):
    undecodable = defects[defects["defect_class"] == "undecodable_row"]

    assert len(undecodable) == int(small_world.config.rate("undecodable_row"))


@pytest.fixture(scope="module")
def truncated(defects) -> pd.DataFrame:
    return defects[defects["defect_class"] == "truncated_file"]


def _manifest_entry(files: pd.DataFrame, source: str, delivery_id: str, name: str) -> pd.Series:
    entry = files[
        (files["source"] == source)
        & (files["delivery_id"] == delivery_id)
        & (files["name"] == name)
    ]
    assert len(entry) == 1, (source, delivery_id, name)
    return entry.iloc[0]


def test_exactly_one_file_is_truncated(truncated):
    assert len(truncated.drop_duplicates(["feed", "delivery_id", "file"])) == 1


def test_truncated_file_is_shorter_than_its_manifest_says(truncated, delivered_files, small_world):
    feed, delivery_id, file = truncated.iloc[0][["feed", "delivery_id", "file"]]
    source = feed.split(".")[0]
    entry = _manifest_entry(delivered_files, source, delivery_id, file)

    size = (small_world.landing / source / delivery_id / file).stat().st_size

    assert size < entry["bytes"]


def test_truncated_rows_are_the_rows_cut_off(truncated, delivered_files, small_world):
    feed, delivery_id, file = truncated.iloc[0][["feed", "delivery_id", "file"]]
    source = feed.split(".")[0]
    entry = _manifest_entry(delivered_files, source, delivery_id, file)
    data = (small_world.landing / source / delivery_id / file).read_bytes()
    complete = data.count(b"\r\n") - 1  # the header line is complete too

    assert sorted(truncated["row_number"]) == list(range(complete + 1, entry["rows"] + 1))


def _registry_lines(landing: Path, delivery_id: str, file: str) -> list[bytes]:
    return (landing / "registry" / delivery_id / file).read_bytes().split(b"\r\n")


def test_undecodable_rows_fail_to_decode_as_gbk(defects, small_world):
    undecodable = defects[defects["defect_class"] == "undecodable_row"]
    decodable = []
    for row in undecodable.itertuples():
        line = _registry_lines(small_world.landing, row.delivery_id, row.file)[row.row_number]
        try:
            line.decode("gbk")
        except UnicodeDecodeError:
            continue
        decodable.append((row.delivery_id, row.file, row.row_number))

    assert decodable == []


def _tax_header(landing: Path, delivery_id: str) -> list[str]:
    with open(landing / "tax" / delivery_id / "declarations.csv", encoding="utf-8-sig") as file:
        return file.readline().strip().replace('"', "").split(",")


def test_schema_drift_delivery_has_the_renamed_and_added_columns(defects, small_world):
    drift = defects[defects["defect_class"] == "schema_drift"]
    assert len(drift) == 1

    header = _tax_header(small_world.landing, drift.iloc[0]["delivery_id"])

    assert RENAMED[1] in header
    assert ADDED in header
    assert RENAMED[0] not in header


def test_tax_deliveries_before_the_drift_have_the_original_columns(
    defects, delivered_files, small_world
):
    # (In the default period the drift is in the last tax delivery, so none follows it.)
    drift = defects.loc[defects["defect_class"] == "schema_drift", "delivery_id"].iloc[0]
    deliveries = set(delivered_files.loc[delivered_files["source"] == "tax", "delivery_id"])
    headers = {d: _tax_header(small_world.landing, d) for d in sorted(deliveries) if d < drift}

    assert headers
    assert all(RENAMED[0] in h and ADDED not in h for h in headers.values()), headers


@pytest.fixture(scope="module")
def redelivery(defects) -> tuple[str, str, str]:
    """(source, delivery delivered again, original delivery)."""
    logged = defects[defects["defect_class"] == "duplicate_delivery"]
    assert len(logged) == 1
    row = logged.iloc[0]
    original = re.fullmatch(r"identical to (\S+)", row["detail"])
    assert original, row["detail"]
    return row["feed"].split(".")[0], row["delivery_id"], original.group(1)


def test_duplicate_delivery_is_byte_identical_to_its_original(redelivery, small_world):
    source, again, original = redelivery
    folder, original_folder = (small_world.landing / source / d for d in (again, original))
    names = sorted(p.name for p in original_folder.iterdir() if p.name != "_manifest.json")

    assert names
    assert sorted(p.name for p in folder.iterdir() if p.name != "_manifest.json") == names
    assert all((folder / n).read_bytes() == (original_folder / n).read_bytes() for n in names)


def test_duplicate_delivery_manifest_lists_the_original_files(redelivery, manifests):
    source, again, original = redelivery
    by_id = {(m["source"], m["delivery_id"]): m for m in manifests}

    assert by_id[(source, again)]["files"] == by_id[(source, original)]["files"]


def test_defects_point_at_delivered_files(defects, delivered_files):
    with_file = defects[defects["file"].notna()]
    pointed = pd.DataFrame(
        {
            "source": with_file["feed"].str.split(".").str[0],
            "delivery_id": with_file["delivery_id"],
            "name": with_file["file"].str.split("#").str[0],
        }
    ).drop_duplicates()
    known = pointed.merge(
        delivered_files[["source", "delivery_id", "name"]], how="left", indicator=True
    )

    assert (known["_merge"] == "both").all(), known[known["_merge"] != "both"].head()


@cache
def _row_texts(path: Path, sheet: str | None) -> tuple[str, ...]:
    """The data rows of a delivered file as text (header and title rows left out)."""
    data = path.read_bytes()
    if path.suffix == ".json":
        return tuple(json.dumps(d, ensure_ascii=False) for d in json.loads(data))
    if path.suffix == ".jsonl":
        return tuple(line.decode() for line in data.split(b"\n") if line)
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        rows = [
            [str(v) for v in values if v is not None]
            for values in book[sheet].iter_rows(values_only=True)
        ]
        book.close()
        header = next(i for i, cells in enumerate(rows) if len(cells) > 1)
        return tuple("|".join(cells) for cells in rows[header + 1 :])
    encoding = ENCODINGS.get(path.parent.parent.name, "utf-8")
    lines = data.split(b"\r\n")[1:]
    if lines and lines[-1] == b"":
        lines = lines[:-1]
    return tuple(line.decode(encoding, errors="replace") for line in lines)


def test_defect_rows_exist_in_their_files_and_carry_their_record_id(defects, small_world):
    # Rows lost to the truncation are no longer in the file, by design.
    rows = defects[
        defects["row_number"].notna()
        & defects["record_id"].notna()
        & (defects["defect_class"] != "truncated_file")
    ]
    wrong = []
    for row in rows.itertuples():
        name, _, sheet = row.file.partition("#")
        path = small_world.landing / row.feed.split(".")[0] / row.delivery_id / name
        texts = _row_texts(path, sheet or None)
        # Court parties (doc#position) and loan statuses (account@month) have compound ids.
        parts = re.split("[#@]", row.record_id)
        if not (
            1 <= row.row_number <= len(texts)
            and all(part in texts[row.row_number - 1] for part in parts)
        ):
            wrong.append((row.feed, row.delivery_id, row.file, row.row_number, row.record_id))

    assert len(rows) > 0
    assert wrong == []
