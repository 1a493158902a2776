"""Loan accounts and one status row per account and report month, dated by the monthly delivery."""

import numpy as np
import pandas as pd

from sources._shared.calendar import iso_dates
from sources._shared.random import rng_for
from sources.config import SimulationConfig
from sources.world.generate import World

#: Lenders: (financial-institution code, name).
LENDERS = (
    ("B0001H111000001", "中国工商银行股份有限公司北京市分行"),
    ("B0004H111000001", "中国建设银行股份有限公司北京市分行"),
    ("B0003H111000001", "中国农业银行股份有限公司北京市分行"),
    ("B0002H111000001", "中国银行股份有限公司北京市分行"),
    ("B0005H111000001", "交通银行股份有限公司北京市分行"),
    ("B0011H111000001", "招商银行股份有限公司北京分行"),
    ("B0171H111000001", "北京银行股份有限公司"),
    ("B0243H111000001", "北京农村商业银行股份有限公司"),
    ("B0015H111000001", "中信银行股份有限公司北京分行"),
    ("B0016H111000001", "中国民生银行股份有限公司北京分行"),
    ("B0309H111000001", "北京中关村银行股份有限公司"),
    ("B0010H111000001", "上海浦东发展银行股份有限公司北京分行"),
)
PRODUCTS = {
    "信用": 0.25,
    "保证": 0.30,
    "抵押": 0.25,
    "质押": 0.08,
    "股权质押": 0.04,
    "履约保证保险": 0.08,
}
GUARANTORS = {"融资担保公司": 0.5, "企业": 0.3, "个人": 0.2}
FIVE_LEVELS = ("正常", "关注", "次级", "可疑", "损失")
#: Months of status history in the initial extract.
HISTORY_MONTHS = 24
#: Each month's report is delivered on this day of the next month.
DELIVERY_DAY = 10
FIRST_OPEN = pd.Timestamp("2019-01-01")


def five_level(overdue_days: np.ndarray) -> np.ndarray:
    """Five-level loan classification from days overdue."""
    return np.array(FIVE_LEVELS)[np.searchsorted([1, 90, 180, 360], overdue_days, side="right")]


def generate_loans(world: World, config: SimulationConfig) -> pd.DataFrame:
    """One row per loan account: open and maturity dates, settlement, default and cure months."""
    rng = rng_for(config.seed, "pboc", "loans")
    firms = world.firms
    borrows = firms["type_class"].isin(["llc", "joint_stock", "sole", "partnership"]).to_numpy() & (
        rng.random(len(firms)) < np.where(firms["is_tech"].to_numpy(), 0.35, 0.18)
    )
    count = np.where(borrows, 1 + rng.poisson(0.6, len(firms)), 0)
    firm = np.repeat(np.arange(len(firms)), count)
    m = len(firm)
    low = np.maximum(
        firms["established"].to_numpy()[firm] + np.timedelta64(180, "D"), FIRST_OPEN.to_datetime64()
    )
    span = np.maximum((np.datetime64(config.end) - low).astype("timedelta64[D]").astype(int), 1)
    opened = pd.to_datetime(
        low + pd.to_timedelta((rng.random(m) * span).astype(int), unit="D").to_numpy()
    )
    term = rng.choice([12, 24, 36], m, p=[0.5, 0.3, 0.2])
    products = list(PRODUCTS)
    product = np.array(products)[rng.choice(len(products), m, p=list(PRODUCTS.values()))]
    guarantors = list(GUARANTORS)
    guarantor = np.where(
        product == "保证",
        np.array(guarantors)[rng.choice(len(guarantors), m, p=list(GUARANTORS.values()))],
        "无",
    )
    weak = np.exp(-0.6 * firms["quality"].to_numpy()[firm])
    defaults = rng.random(m) < np.clip(0.05 * weak, 0, 0.5)
    default_month = np.where(defaults, (rng.random(m) * (term - 2)).astype(int) + 2, 10_000)
    cure_month = np.where(
        defaults & (rng.random(m) < 0.5), default_month + rng.integers(1, 4, m), 10_000
    )
    prepaid = ~defaults & (rng.random(m) < 0.1)
    settle_month = np.where(
        defaults & (cure_month == 10_000),
        10_000,
        np.where(prepaid, (rng.random(m) * term).astype(int) + 1, term),
    )
    lender = rng.integers(0, len(LENDERS), m)
    loans = pd.DataFrame(
        {
            "firm": firm,
            "opened_on": opened,
            "term": term,
            "product": product,
            "guarantor": guarantor,
            "amount": np.round(np.exp(rng.normal(np.log(1e6), 1.0, m)), -3),
            "lender_code": np.array([c for c, _ in LENDERS])[lender],
            "lender_name": np.array([n for _, n in LENDERS])[lender],
            "default_month": default_month,
            "cure_month": cure_month,
            "settle_month": settle_month,
        }
    ).sort_values(["opened_on", "firm"], ignore_index=True)
    loans["account_id"] = [f"DK{d:%Y%m}{i:08d}" for i, d in enumerate(loans["opened_on"])]
    loans["matures_on"] = loans["opened_on"]
    for months in np.unique(loans["term"]):
        same = loans["term"] == months
        loans.loc[same, "matures_on"] = loans.loc[same, "opened_on"] + pd.DateOffset(
            months=int(months)
        )
    loans["uscc"] = firms["uscc"].to_numpy()[loans["firm"].to_numpy()]
    return loans


def generate_statuses(loans: pd.DataFrame, config: SimulationConfig) -> pd.DataFrame:
    """One row per loan and report month, from the history window up to the last delivered month."""
    first_report = pd.Period(config.start, "M") - HISTORY_MONTHS
    last_report = pd.Period(config.end, "M") - (1 if config.end.day >= DELIVERY_DAY else 2)
    open_period = loans["opened_on"].dt.to_period("M")
    open_index = np.array([p.ordinal for p in open_period])
    first_index = np.maximum(open_index, first_report.ordinal)
    settle_index = open_index + np.minimum(loans["settle_month"].to_numpy(), 10_000)
    last_index = np.minimum(settle_index, last_report.ordinal)
    months = np.maximum(last_index - first_index + 1, 0)
    loan = np.repeat(np.arange(len(loans)), months)
    offset = np.arange(len(loan)) - np.repeat(np.cumsum(months) - months, months)
    month = first_index[loan] + offset
    age = month - open_index[loan]
    term = loans["term"].to_numpy()[loan]
    amount = loans["amount"].to_numpy()[loan]
    default_month = loans["default_month"].to_numpy()[loan]
    cure_month = loans["cure_month"].to_numpy()[loan]
    in_default = (age >= default_month) & (age < cure_month)
    overdue_months = np.where(in_default, age - default_month + 1, 0)
    installment = amount / term
    paid_months = np.minimum(age - overdue_months, term)
    settled = month == settle_index[loan]
    balance = np.where(settled, 0.0, np.round(np.maximum(amount - installment * paid_months, 0), 2))
    overdue_days = np.minimum(overdue_months * 30, 999)
    statuses = pd.DataFrame(
        {
            "loan": loan,
            "report_month": pd.PeriodIndex.from_ordinals(month, freq="M").astype(str),
            "balance": balance,
            "overdue_days": overdue_days,
            "overdue_amount": np.round(np.minimum(installment * overdue_months, balance), 2),
            "five_level": five_level(overdue_days),
            # Settled three days before the end of the month of settlement.
            "settled_on": np.where(
                settled,
                iso_dates(
                    pd.PeriodIndex.from_ordinals(month, freq="M").end_time.normalize()
                    - pd.Timedelta(days=3)
                ),
                None,
            ),
        }
    )
    report_end = pd.PeriodIndex.from_ordinals(month, freq="M")
    delivered = (report_end + 1).start_time + pd.Timedelta(days=DELIVERY_DAY - 1)
    start = pd.Timestamp(config.start)
    statuses["known_date"] = np.where(delivered <= start, start, delivered)
    statuses["known_date"] = pd.to_datetime(statuses["known_date"])
    return statuses
