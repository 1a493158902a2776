"""The ground truth: entity links resolve to delivered records, and the Haifan outcomes keep the
policy's rules (POLICY_RULES §1), both on the small world and on hand-built boundary cases.
"""

from datetime import date

import pandas as pd
import pytest

from sources.ratings.entities import SCALE
from sources.truth.haifan import haifan_outcomes
from sources.truth.policy import load_policy

CRITERIA = ("c1", "c2", "c3", "c4", "c5", "c6", "c7")
CHECKS = ("b1", "b2", "b3", *CRITERIA, "m1", "m2", "is_candidate")
#: Registry type classes that are not independent legal persons (B2 fails).
NOT_LEGAL_PERSONS = ("branch", "sole", "partnership", "individual")
HAIDIAN_CODE = "110108"
HAIDIAN = "海淀区"
DISTRICT_CHANGE = "住所变更(跨区迁移)"


# --- the small world ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def links(truth) -> pd.DataFrame:
    return truth("entity_links")


@pytest.fixture(scope="module")
def outcomes(truth) -> pd.DataFrame:
    return truth("haifan_outcomes")


@pytest.fixture(scope="module")
def firms(truth) -> pd.DataFrame:
    return truth("firms")


@pytest.mark.integration
def test_entity_links_with_a_uscc_point_at_world_firms(links, firms):
    linked = links["uscc"].dropna()

    assert len(linked) > 0
    assert linked.isin(firms["uscc"]).all()


@pytest.mark.integration
def test_entity_links_cover_every_name_keyed_feed(links, name_keyed_rows):
    assert set(links["feed"]) == set(name_keyed_rows["feed"])


@pytest.mark.integration
def test_every_linked_record_id_is_delivered_in_its_feed(links, name_keyed_rows):
    delivered = name_keyed_rows[["feed", "record_id"]].drop_duplicates()

    found = links.merge(delivered, on=["feed", "record_id"], how="left", indicator=True)
    missing = found[found["_merge"] != "both"]

    assert missing.empty, missing[["feed", "record_id"]].head(10)


@pytest.mark.integration
def test_outcomes_have_one_row_per_quarter_and_firm(outcomes):
    assert not outcomes.duplicated(["quarter", "uscc"]).any()


@pytest.mark.integration
def test_outcomes_cover_every_quarter_of_the_period(outcomes, small_world):
    ends = pd.date_range(small_world.config.start, small_world.config.end, freq="QE")
    expected = [f"{d.year}Q{d.quarter}" for d in ends]

    assert sorted(outcomes["quarter"].unique()) == expected


@pytest.mark.integration
@pytest.mark.parametrize("check", CHECKS)
def test_outcome_checks_are_booleans(check, outcomes):
    assert outcomes[check].dtype == bool


@pytest.mark.integration
def test_candidates_pass_all_base_and_management_checks_and_a_criterion(outcomes):
    expected = (
        outcomes["b1"]
        & outcomes["b2"]
        & outcomes["b3"]
        & outcomes[list(CRITERIA)].any(axis=1)
        & outcomes["m1"]
        & outcomes["m2"]
    )

    assert (outcomes["is_candidate"] == expected).all()


@pytest.mark.integration
@pytest.mark.parametrize("criterion", CRITERIA)
def test_each_criterion_holds_for_a_handful_of_firms(criterion, outcomes):
    assert outcomes.loc[outcomes[criterion], "uscc"].nunique() >= 5


@pytest.mark.integration
def test_every_quarter_has_candidates(outcomes):
    candidates = outcomes.groupby("quarter")["is_candidate"].sum()

    assert (candidates > 0).all(), candidates


@pytest.mark.integration
@pytest.mark.parametrize("type_class", NOT_LEGAL_PERSONS)
def test_firms_that_are_not_legal_persons_never_pass_b2(type_class, outcomes, firms):
    of_type = outcomes[outcomes["uscc"].isin(firms.loc[firms["type_class"] == type_class, "uscc"])]

    assert len(of_type) > 0
    assert not of_type["b2"].any()


@pytest.mark.integration
def test_companies_pass_b2(outcomes, firms):
    companies = firms.loc[firms["type_class"].isin(["llc", "joint_stock"]), "uscc"]

    assert outcomes.loc[outcomes["uscc"].isin(companies), "b2"].all()


@pytest.mark.integration
def test_firms_never_registered_in_haidian_never_pass_b1(
    outcomes, firms, registry_enterprises, registry_changes
):
    changes = registry_changes
    moved_in = changes[(changes["BGSX"] == DISTRICT_CHANGE) & (changes["BGHNR"] == HAIDIAN)]
    outside = (
        set(firms.loc[firms["area_code"] != HAIDIAN_CODE, "uscc"])
        - set(registry_enterprises.loc[registry_enterprises["SSQX"] == HAIDIAN, "TYSHXYDM"])
        - set(moved_in["TYSHXYDM"])
    )
    of_outside = outcomes[outcomes["uscc"].isin(outside)]

    assert len(of_outside) > 0
    assert not of_outside["b1"].any()


# --- boundary rules on hand-built records ------------------------------------------------------

#: The record frames ``haifan_outcomes`` reads (see ``Simulation.truth_inputs``), with dtypes.
DATE = "datetime64[ns]"
SCHEMA = {
    "enterprises": {
        "firm": "int64",
        "known_date": DATE,
        "status": object,
        "area_code": object,
        "is_legal_person": bool,
    },
    "changes": {"firm": "int64", "kind": object, "day": DATE, "value": object, "known_date": DATE},
    "declarations": {
        "firm": "int64",
        "year": "int64",
        "revenue": "float64",
        "is_haidian_office": bool,
        "known_date": DATE,
    },
    "certificates": {"firm": "int64", "issued_on": DATE, "expires_on": DATE, "known_date": DATE},
    "funding": {"firm": "int64", "counts_for": object, "granted_on": DATE, "known_date": DATE},
    "list_entries": {"firm": "int64", "list_name": object, "edition": "int64", "known_date": DATE},
    "talents": {
        "record_id": object,
        "firm": "int64",
        "started_on": DATE,
        "ended_on": DATE,
        "known_date": DATE,
    },
    "incubators": {
        "incubator_name": object,
        "recognised_on": DATE,
        "revoked_on": DATE,
        "known_date": DATE,
    },
    "recommendations": {
        "firm": "int64",
        "incubator_name": object,
        "recommended_on": DATE,
        "known_date": DATE,
    },
    "association": {"firm": "int64", "recommended_on": DATE, "known_date": DATE},
    "ratings": {"firm": "int64", "grade_rank": "int64", "rated_on": DATE, "known_date": DATE},
    "list_events": {
        "list_kind": object,
        "listing_id": object,
        "firm": "int64",
        "event": object,
        "day": DATE,
        "known_date": DATE,
    },
    "cases": {"defendant": "int64", "is_fraud": bool, "judged_on": DATE, "known_date": DATE},
    "penalties": {"firm": "int64", "violation": object, "decided_on": DATE, "known_date": DATE},
}
#: One quarter, 2026Q3: as_of is 2026-09-30.
START, END = date(2026, 7, 1), date(2026, 9, 30)
AS_OF = pd.Timestamp(END)
#: An operating Haidian company known since long before the quarter.
ENTERPRISE = {
    "firm": 0,
    "known_date": pd.Timestamp("2020-01-02"),
    "status": "存续",
    "area_code": HAIDIAN_CODE,
    "is_legal_person": True,
}


def _outcome(**tables: list[dict]) -> pd.Series:
    """The single outcome row of firm 0 in 2026Q3, given some tables' rows (others empty)."""
    tables.setdefault("enterprises", [ENTERPRISE])
    records = {
        name: pd.DataFrame(tables.get(name, []), columns=list(columns)).astype(columns)
        for name, columns in SCHEMA.items()
    }
    result = haifan_outcomes(records, load_policy(), START, END)
    assert len(result) == 1
    return result.iloc[0]


def _declarations(revenue_by_year: dict[int, float]) -> list[dict]:
    return [
        {
            "firm": 0,
            "year": year,
            "revenue": revenue,
            "is_haidian_office": True,
            "known_date": pd.Timestamp(f"{year + 1}-06-30"),
        }
        for year, revenue in revenue_by_year.items()
    ]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("rated_on", "passes"),
    [("2025-09-30", False), ("2025-10-01", True)],
    ids=["exactly-12-months-old", "one-day-younger"],
)
def test_m1_rating_is_valid_for_twelve_months(rated_on, passes):
    rating = {
        "firm": 0,
        "grade_rank": SCALE.index("BBB"),
        "rated_on": pd.Timestamp(rated_on),
        "known_date": pd.Timestamp(rated_on) + pd.Timedelta(days=5),
    }

    assert _outcome(ratings=[rating])["m1"] == passes


@pytest.mark.unit
@pytest.mark.parametrize(("grade", "passes"), [("BB-", True), ("B+", False)])
def test_m1_needs_bb_minus_or_better(grade, passes):
    rating = {
        "firm": 0,
        "grade_rank": SCALE.index(grade),
        "rated_on": pd.Timestamp("2026-06-01"),
        "known_date": pd.Timestamp("2026-07-05"),
    }

    assert _outcome(ratings=[rating])["m1"] == passes


@pytest.mark.unit
@pytest.mark.parametrize(
    ("granted_on", "passes"),
    [("2024-09-30", True), ("2024-09-29", False)],
    ids=["exactly-24-months-before", "one-day-earlier"],
)
def test_c2_counts_grants_within_24_months_before_as_of(granted_on, passes):
    grant = {
        "firm": 0,
        "counts_for": "c2",
        "granted_on": pd.Timestamp(granted_on),
        "known_date": pd.Timestamp(granted_on) + pd.Timedelta(days=10),
    }

    assert _outcome(funding=[grant])["c2"] == passes


@pytest.mark.unit
@pytest.mark.parametrize(("revenue", "passes"), [(150_000_000.0, True), (150_000_000.01, False)])
def test_b3_revenue_cap_is_inclusive(revenue, passes):
    outcome = _outcome(declarations=_declarations({2025: revenue}))

    assert outcome["fiscal_year"] == 2025
    assert outcome["b3"] == passes


@pytest.mark.unit
@pytest.mark.parametrize(
    ("revenue_y", "passes"),
    [(36_000_000.0, True), (35_999_000.0, False)],
    ids=["growth-exactly-20-percent", "growth-just-below"],
)
def test_c1_growth_threshold_is_inclusive(revenue_y, passes):
    # CAGR over 2023 -> 2025: (36,000,000 / 25,000,000) ** 0.5 - 1 = 20% exactly.
    certificate = {
        "firm": 0,
        "issued_on": pd.Timestamp("2026-03-01"),
        "expires_on": pd.Timestamp("2026-12-31"),
        "known_date": pd.Timestamp("2026-04-01"),
    }
    revenue = {2023: 25_000_000.0, 2024: 30_000_000.0, 2025: revenue_y}

    outcome = _outcome(certificates=[certificate], declarations=_declarations(revenue))

    assert outcome["c1"] == passes


@pytest.mark.unit
def test_a_period_without_a_quarter_end_has_no_outcomes():
    records = {
        name: pd.DataFrame(columns=list(columns)).astype(columns)
        for name, columns in SCHEMA.items()
    }

    result = haifan_outcomes(records, load_policy(), date(2026, 7, 1), date(2026, 8, 31))

    assert result.empty
