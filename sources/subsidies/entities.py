"""Disbursements of every department, dated by the delivery (or database entry) recording them."""

import numpy as np
import pandas as pd

from sources._shared.calendar import delivered_on, monthly, quarter_ends, yearly
from sources._shared.random import rng_for
from sources.config import SimulationConfig
from sources.pboc.entities import LENDERS
from sources.ratings.entities import SCALE
from sources.world.generate import World

#: First grant date on record per criterion: C3 counts funding at any time on record, so its
#: funders deliver a long history; C2 looks back 24 months, so a few years suffice.
HISTORY_START = {"c2": pd.Timestamp("2021-01-01"), "c3": pd.Timestamp("2015-01-01")}

#: Department → (name, programmes or business types, yearly rate for tech firms, for others).
DEPARTMENTS = {
    "zgc_admin": (
        "中关村科技园区管理委员会",
        ("中关村前沿技术企业支持", "重大成果转化项目", "现代服务业试点", "知识产权专项"),
        0.06,
        0.002,
    ),
    "haidian_park": (
        "中关村科技园区海淀园管理委员会",
        ("海淀园企业发展支持资金", "创新券", "房租补贴", "人才引进奖励"),
        0.08,
        0.004,
    ),
    "hkj": (
        "北京海淀科技金融资本控股集团股份有限公司",
        ("股权投资", "专项资助", "融资担保"),
        0.03,
        0.002,
    ),
    "zgc_development": (
        "中关村发展集团股份有限公司",
        ("股权投资", "项目资助", "融资租赁"),
        0.015,
        0.001,
    ),
}
#: Business types that are not funding (grant or investment) for criterion C3.
NOT_FUNDING = ("融资担保", "融资租赁")
#: Which Haifan criterion a department's funding counts for.
CRITERION = {"zgc_admin": "c2", "haidian_park": "c2", "hkj": "c3", "zgc_development": "c3"}


def delivery_days(department: str, config: SimulationConfig) -> list:
    """Delivery schedule of a department's workbooks (the database has none: entries are live)."""
    if department == "zgc_admin":
        return [
            q + pd.Timedelta(days=15)
            for q in map(pd.Timestamp, quarter_ends(config.start, config.end))
        ]
    if department == "haidian_park":
        return monthly(config.start, config.end, 10)
    if department == "hkj":
        return sorted(
            yearly(config.start, config.end, 1, 20) + yearly(config.start, config.end, 7, 20)
        )
    if department == "district_finance":
        return [
            q + pd.Timedelta(days=20)
            for q in map(pd.Timestamp, quarter_ends(config.start, config.end))
        ]
    raise ValueError(department)


def _known(days: pd.Series, department: str, config: SimulationConfig) -> pd.Series:
    schedule = [pd.Timestamp(d).date() for d in delivery_days(department, config)]
    schedule = [d for d in schedule if d <= config.end]
    return delivered_on(days, schedule, config.start)


def generate_funding(world: World, config: SimulationConfig) -> pd.DataFrame:
    """Grants and investments of the four funding bodies, one row per disbursement.

    Columns: department, grant_id, firm, uscc, name, programme, amount (yuan), granted_on,
    known_date, counts_for (``c2``/``c3``, or None when the business type is not funding).
    """
    rng = rng_for(config.seed, "subsidies", "funding")
    firms = world.firms
    eligible = firms["type_class"].isin(["llc", "joint_stock"]).to_numpy()
    is_tech = firms["is_tech"].to_numpy()
    end = pd.Timestamp(config.end)
    frames = []
    for department, (_, programmes, tech_rate, other_rate) in DEPARTMENTS.items():
        history_start = HISTORY_START[CRITERION[department]]
        years = (end - history_start).days / 365.25
        count = rng.poisson(np.where(eligible, np.where(is_tech, tech_rate, other_rate) * years, 0))
        firm = np.repeat(np.arange(len(firms)), count)
        low = np.maximum(
            firms["established"].to_numpy()[firm] + np.timedelta64(90, "D"),
            history_start.to_datetime64(),
        )
        span = (end.to_datetime64() - low).astype("timedelta64[D]").astype(int)
        keep = span > 0
        firm, low, span = firm[keep], low[keep], span[keep]
        granted = pd.to_datetime(
            low + pd.to_timedelta((rng.random(len(firm)) * span).astype(int), unit="D").to_numpy()
        )
        programme = np.array(programmes)[rng.integers(0, len(programmes), len(firm))]
        amount = np.round(np.exp(rng.normal(np.log(8e5), 1.0, len(firm))), -2)
        frame = pd.DataFrame(
            {
                "department": department,
                "firm": firm,
                "programme": programme,
                "amount": amount,
                "granted_on": granted,
            }
        ).sort_values(["granted_on", "firm"], ignore_index=True)
        if department == "zgc_development":
            # The group's database records each entry a few days after signing; entries are live.
            frame["known_date"] = frame["granted_on"] + pd.to_timedelta(
                rng.integers(0, 30, len(frame)), unit="D"
            )
            frame["known_date"] = frame["known_date"].where(frame["known_date"] <= end)
        else:
            frame["known_date"] = _known(frame["granted_on"], department, config)
        frame["grant_id"] = [
            f"{department.upper()}-{d:%Y}-{i + 1:06d}" for i, d in enumerate(frame["granted_on"])
        ]
        frames.append(frame[frame["known_date"].notna()])
    funding = pd.concat(frames, ignore_index=True)
    funding["uscc"] = firms["uscc"].to_numpy()[funding["firm"].to_numpy()]
    funding["name"] = world.name_on(funding["firm"].to_numpy(), funding["granted_on"].to_numpy())
    funding["counts_for"] = (
        funding["department"].map(CRITERION).where(~funding["programme"].isin(NOT_FUNDING))
    )
    return funding


def generate_programme_payments(
    world: World, ratings: pd.DataFrame, config: SimulationConfig
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Payments of the plan's programmes (POLICY_RULES §3).

    Per firm: S1, S2, S3, S6, S7; per lender: S4, S5.

    A small share of payments breaks its programme's rate or cap, as policy monitoring must find.
    """
    rng = rng_for(config.seed, "subsidies", "programmes")
    firms = world.firms
    frames = []
    good = ratings[ratings["grade"].map(SCALE.index) <= SCALE.index("BB-")]
    s1 = good[rng.random(len(good)) < 0.7]
    base = s1["fee"].to_numpy().astype(float)
    amount = np.minimum(np.round(base * rng.uniform(0.4, 0.6, len(s1)), 2), 5000)
    frames.append(
        pd.DataFrame(
            {
                "programme": "S1 评级费用补贴",
                "firm": s1["firm"].to_numpy(),
                "base": base,
                "amount": amount,
                "paid_on": s1["rated_on"].to_numpy() + np.timedelta64(60, "D"),
            }
        )
    )
    n = len(firms)
    for programme, rate, share, cap, low, high in (
        ("S2 信用报告费用补贴", 0.5, 0.01, 1000, 1500, 6000),
        ("S3 贷款贴息", 0.5, 0.006, None, 5e3, 3e5),
        ("S6 宽带费用补贴", 0.2, 0.004, None, 5e3, 1e5),
        ("S7 技术转让补贴", 0.2, 0.002, 1_000_000, 1e5, 8e6),
    ):
        who = np.flatnonzero(rng.random(n) < share * 2)
        base = np.round(rng.uniform(low, high, len(who)), 2)
        amount = np.round(base * rate, 2)
        if cap is not None:
            amount = np.minimum(amount, cap)
        paid = pd.to_datetime(
            np.datetime64(config.start)
            - 365
            + rng.integers(0, 365 + (config.end - config.start).days, len(who)).astype(
                "timedelta64[D]"
            )
        )
        frames.append(
            pd.DataFrame(
                {
                    "programme": programme,
                    "firm": who,
                    "base": base,
                    "amount": amount,
                    "paid_on": paid,
                }
            )
        )
    payments = pd.concat(frames, ignore_index=True)
    breaks = rng.random(len(payments)) < 0.02
    payments.loc[breaks, "amount"] = np.round(payments.loc[breaks, "base"] * 0.9, 2)
    payments["breaks_rule"] = breaks
    payments = payments[payments["paid_on"] <= pd.Timestamp(config.end)].sort_values(
        ["paid_on", "firm"], ignore_index=True
    )
    payments["payment_id"] = [f"JRB-{d:%Y}-{i + 1:06d}" for i, d in enumerate(payments["paid_on"])]
    payments["uscc"] = firms["uscc"].to_numpy()[payments["firm"].to_numpy()]
    payments["name"] = world.name_on(payments["firm"].to_numpy(), payments["paid_on"].to_numpy())
    payments["known_date"] = _known(payments["paid_on"], "district_finance", config)
    payments = payments[payments["known_date"].notna()].reset_index(drop=True)
    return payments, _lender_payments(rng, config)


def _lender_payments(rng: np.random.Generator, config: SimulationConfig) -> pd.DataFrame:
    rows = []
    for year in range(config.start.year - 1, config.end.year):
        for lender in LENDERS:
            balance = float(np.round(rng.uniform(2e8, 9e8), -4))
            s4 = min(round(balance * 0.005, 2), 3_000_000)
            first_loans = float(np.round(rng.uniform(5e7, 2e8), -4))
            s5 = min(round(first_loans * 0.0075, 2), 1_000_000)
            rows.append(
                {
                    "lender": lender,
                    "year": year,
                    "programme": "S4 风险准备金补贴",
                    "base": balance,
                    "amount": s4,
                }
            )
            rows.append(
                {
                    "lender": lender,
                    "year": year,
                    "programme": "S5 增量业务补贴",
                    "base": first_loans,
                    "amount": s5,
                }
            )
    payments = pd.DataFrame(rows)
    payments["paid_on"] = pd.to_datetime((payments["year"] + 1).astype(str) + "-03-31")
    payments["payment_id"] = [f"JRB-JG-{y}-{i + 1:04d}" for i, y in enumerate(payments["year"])]
    payments["known_date"] = _known(payments["paid_on"], "district_finance", config)
    return payments[payments["known_date"].notna()].reset_index(drop=True)
