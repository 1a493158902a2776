"""Haifan outcomes per firm and quarter, computed from the clean world under the default policy.

This is the simulator's own implementation of POLICY_RULES §1, written independently of the
platform's dbt models so that each can check the other. It reads the clean records of every source
(never the delivered files), each dated by when the platform learns of it (``known_date``), and uses
only what was known on each quarter's as-of date.
"""

from pathlib import Path

import duckdb
import pandas as pd

from sources._shared.calendar import quarter_ends, quarter_label
from sources.ratings.entities import SCALE
from sources.regulation.entities import SUBSIDY_FRAUD
from sources.world.entities import HAIDIAN, OPERATING

CHECKS = ("b1", "b2", "b3", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "m1", "m2")

_SQL = (Path(__file__).with_name("haifan.sql")).read_text(encoding="utf-8")


def haifan_outcomes(records: dict[str, pd.DataFrame], policy: dict, start, end) -> pd.DataFrame:
    """One row per firm known on each quarter's as-of date, with one boolean per check.

    Args:
        records: clean record frames by name (see ``sources.simulate.Simulation.truth_inputs``).
        policy: the policy configuration (``dbt_project/policy.yml``).
        start: first day of the simulated period; quarters ending within it are computed.
        end: last day of the simulated period.
    """
    rules = policy["haifan"]
    c3_months = rules["c3_window_months"]
    sql = _SQL.format(
        c2_months=int(rules["c2_window_months"]),
        c3_window=""
        if c3_months is None
        else f"and f.granted_on >= q.as_of - to_months({int(c3_months)})",
        c6_months=int(rules["c6_window_months"]),
        c7_months=int(rules["c7_window_months"]),
        fraud_years=int(rules["m2_fraud_judgment_years"]),
        subsidy_fraud=SUBSIDY_FRAUD,
        subsidy_fraud_years=int(rules["m2_subsidy_fraud_years"]),
        growth_method=rules["c1_growth_method"],
        operating=", ".join(f"'{s}'" for s in OPERATING),
        haidian=HAIDIAN,
        stale_years=int(rules["stale_after_years"]),
        revenue_cap=float(rules["revenue_cap_yuan"]),
        min_rank=SCALE.index(rules["m1_min_rating"]),
        rating_months=int(rules["rating_validity_months"]),
        abnormal_disqualifies=str(bool(rules["m2_abnormal_list_disqualifies"])).lower(),
        c1_revenue=float(rules["c1_min_revenue_yuan"]),
        c1_growth=float(rules["c1_min_growth"]),
    )
    ends = quarter_ends(start, end)
    connection = duckdb.connect()
    connection.execute("set threads to 2")
    quarters = pd.DataFrame(
        {"quarter": [quarter_label(d) for d in ends], "as_of": pd.to_datetime(ends)}
    )
    for name, frame in records.items():
        connection.register(name, frame)
    # One quarter at a time keeps the joins' memory to a seventh of a single pass.
    # A period without a quarter end runs once on no quarters, giving an empty, typed result.
    parts = []
    for row in range(max(len(quarters), 1)):
        connection.register("quarters", quarters.iloc[row : row + 1])
        parts.append(connection.execute(sql).df())
    connection.close()
    outcomes = pd.concat(parts, ignore_index=True)
    outcomes["is_candidate"] = (
        outcomes["b1"]
        & outcomes["b2"]
        & outcomes["b3"]
        & outcomes[["c1", "c2", "c3", "c4", "c5", "c6", "c7"]].any(axis=1)
        & outcomes["m1"]
        & outcomes["m2"]
    )
    return outcomes
