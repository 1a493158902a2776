"""Identifier codes: USCCs (GB 32100) and ID numbers (GB 11643) in the registry's extracts, and
USCCs in the code-keyed feeds, valid except where the defect log says otherwise.
"""

import io
from pathlib import Path

import pandas as pd
import pytest
from stdnum.cn import ric, uscc

pytestmark = pytest.mark.integration

#: Defect classes that legitimately leave a row's code unreadable or invalid.
CODE_DEFECTS = ("invalid_uscc_check", "missing_key", "undecodable_row")
#: Code-keyed feeds: feed -> (source, file, sheet or None, USCC column).
CODE_KEYED_FEEDS = {
    "tax.declarations": ("tax", "declarations.csv", None, "NSRSBH"),
    "pboc.loan_status": ("pboc", "loan_status.jsonl", None, "borrowerUscc"),
    "ratings.ratings": ("ratings", "ratings.csv", None, "统一社会信用代码"),
    "regulation.abnormal_operations": (
        "regulation",
        "abnormal_operations.csv",
        None,
        "统一社会信用代码",
    ),
    "regulation.serious_illegal": ("regulation", "serious_illegal.csv", None, "统一社会信用代码"),
    "regulation.penalties": ("regulation", "penalties.csv", None, "统一社会信用代码"),
    "lists.certificates": ("lists", "certificates.csv", None, "统一社会信用代码"),
    "subsidies.zgc_admin": ("subsidies", "grants.xlsx", "资助明细", "统一社会信用代码"),
    "subsidies.hkj": ("subsidies", "support_details.xlsx", "业务明细", "社会信用代码"),
    "subsidies.district_finance": (
        "subsidies",
        "programme_payments.xlsx",
        "企业补贴",
        "统一社会信用代码",
    ),
}


@pytest.fixture(scope="module")
def enterprises(registry_enterprises, truth) -> pd.DataFrame:
    """Registry enterprise rows, without the rows logged with a defect that damages codes."""
    defects = truth("defects")
    damaged = defects[
        (defects["feed"] == "registry.enterprises") & defects["defect_class"].isin(CODE_DEFECTS)
    ]
    keys = pd.MultiIndex.from_frame(registry_enterprises[["delivery_id", "row_number"]])
    logged = pd.MultiIndex.from_arrays([damaged["delivery_id"], damaged["row_number"].astype(int)])
    return registry_enterprises[~keys.isin(logged)]


def test_registry_usccs_are_valid(enterprises):
    assert len(enterprises) > 0
    invalid = enterprises[
        ~enterprises["TYSHXYDM"].map(lambda c: isinstance(c, str) and uscc.is_valid(c))
    ]

    assert invalid.empty, invalid[["delivery_id", "row_number", "TYSHXYDM"]].head(10)


def test_legal_representative_id_numbers_are_valid(enterprises):
    invalid = enterprises[
        ~enterprises["FDDBRZJHM"].map(lambda n: isinstance(n, str) and ric.is_valid(n))
    ]

    assert invalid.empty, invalid[["delivery_id", "row_number", "FDDBRZJHM"]].head(10)


def test_branch_codes_differ_from_their_parents(enterprises):
    branches = enterprises[enterprises["LSQYTYSHXYDM"].notna()]

    assert len(branches) > 0
    assert (branches["TYSHXYDM"] != branches["LSQYTYSHXYDM"]).all()


def test_branch_parents_are_registered_enterprises(registry_enterprises):
    # Undecodable rows count here: their damaged bytes are in the name, after the code.
    parents = set(registry_enterprises["LSQYTYSHXYDM"].dropna())

    assert parents
    assert parents <= set(registry_enterprises["TYSHXYDM"])


def test_individual_business_codes_start_with_92(enterprises):
    individual = enterprises[enterprises["QYLX"] == "个体工商户"]

    assert len(individual) > 0
    assert individual["TYSHXYDM"].str.startswith("92").all()


def test_enterprise_codes_start_with_91(enterprises):
    others = enterprises[enterprises["QYLX"] != "个体工商户"]

    assert others["TYSHXYDM"].str.startswith("91").all()


def _codes(path: Path, sheet: str | None, column: str) -> pd.Series:
    """The USCC column of one delivered file, indexed by 1-based data row."""
    if path.suffix == ".jsonl":
        frame = pd.read_json(path, lines=True, dtype=False)
    elif path.suffix == ".xlsx":
        raw = pd.read_excel(path, sheet_name=sheet, header=None, dtype=str)
        header = int((raw.notna().sum(axis=1) > 1).to_numpy().argmax())  # below any title rows
        frame = raw.iloc[header + 1 :].set_axis(raw.iloc[header].tolist(), axis=1)
    else:
        # Complete lines only: a truncated file ends inside a row.
        data = path.read_bytes()
        complete = data[: data.rfind(b"\r\n") + 2]
        frame = pd.read_csv(io.BytesIO(complete), dtype=str, encoding="utf-8-sig")
    if frame.empty:
        return pd.Series(dtype=object)
    return frame[column].set_axis(range(1, len(frame) + 1))


def _rows(frame: pd.DataFrame) -> set[tuple[str, int]]:
    return set(zip(frame["delivery_id"], frame["row_number"].astype(int), strict=True))


@pytest.mark.parametrize("feed", list(CODE_KEYED_FEEDS))
def test_code_keyed_feeds_have_bad_codes_exactly_on_logged_rows(
    feed, truth, delivered_files, small_world
):
    source, file, sheet, column = CODE_KEYED_FEEDS[feed]
    defects = truth("defects")
    in_feed = defects[
        (defects["feed"] == feed) & (defects["file"] == (f"{file}#{sheet}" if sheet else file))
    ]
    logged = _rows(in_feed[in_feed["defect_class"].isin(["invalid_uscc_check", "missing_key"])])
    lost = _rows(in_feed[in_feed["defect_class"] == "truncated_file"])
    # A delivery sent again is logged once as a whole (duplicate_delivery), not row by row.
    redelivered = set(delivered_files.loc[delivered_files["kind"] == "redelivery", "delivery_id"])
    bad = set()
    for path in sorted(small_world.landing.glob(f"{source}/*/{file}")):
        if path.parent.name in redelivered:
            continue
        codes = _codes(path, sheet, column)
        valid = codes.map(lambda c: isinstance(c, str) and uscc.is_valid(c))
        bad |= {(path.parent.name, int(row)) for row in codes.index[~valid]}

    assert bad == logged - lost
