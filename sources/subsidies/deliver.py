"""Deliver disbursements: each department's own workbook layout, and one SQL database."""

from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from sources._shared import defects
from sources._shared.calendar import iso_dates, styled_dates
from sources._shared.landing import Landing
from sources._shared.random import rng_for
from sources.config import SimulationConfig
from sources.subsidies.entities import DEPARTMENTS
from sources.world.generate import World

SOURCE = "subsidies"
#: Where the 中关村发展集团 database lives, relative to the landing root, when no URL is given.
DATABASE_FILE = Path("subsidies") / "zgc_development" / "funding.sqlite"

FUNDING_TABLE = sa.Table(
    "funding_record",
    sa.MetaData(),
    sa.Column("record_id", sa.String(32), primary_key=True),
    sa.Column("enterprise_name", sa.String(200), nullable=False),
    sa.Column("credit_code", sa.String(18)),
    sa.Column("funding_type", sa.String(20), nullable=False),
    sa.Column("amount_yuan", sa.Numeric(16, 2), nullable=False),
    sa.Column("sign_date", sa.Date, nullable=False),
    sa.Column("entry_time", sa.DateTime, nullable=False),
)


def _delivery_id(day: pd.Timestamp, department: str) -> str:
    return f"{pd.Timestamp(day):%Y-%m-%d}_{department}"


def deliver_subsidies(
    funding: pd.DataFrame,
    payments: pd.DataFrame,
    lender_payments: pd.DataFrame,
    world: World,
    landing: Landing,
    config: SimulationConfig,
    database_url: str | None = None,
) -> str:
    """Write every department's workbooks and the database; returns the database URL."""
    rng = rng_for(config.seed, "subsidies", "deliver")
    start = pd.Timestamp(config.start)
    for (department, day), group in funding[funding["department"] != "zgc_development"].groupby(
        ["department", "known_date"], sort=True
    ):
        kind = "full" if day == start else "incremental"
        delivery_id = _delivery_id(day, department)
        group = group.reset_index(drop=True)
        if department == "zgc_admin":
            rows = pd.DataFrame(
                {
                    "拨付单号": group["grant_id"],
                    "企业名称": group["name"],
                    "统一社会信用代码": group["uscc"],
                    "项目类别": group["programme"],
                    "资助金额（万元）": np.round(group["amount"] / 1e4, 2),
                    "拨付日期": styled_dates(group["granted_on"], "chinese"),
                    "_uscc": group["uscc"],
                }
            )
            defects.corrupt_codes(rows, "统一社会信用代码", rng, config.defect_rates)
            landing.xlsx(
                SOURCE,
                delivery_id,
                "grants.xlsx",
                {"资助明细": rows},
                feed="subsidies.zgc_admin",
                id_column="拨付单号",
                kind=kind,
            )
        elif department == "haidian_park":
            rows = pd.DataFrame(
                {
                    "拨付编号": group["grant_id"],
                    "单位名称": group["name"],
                    "资金类别": group["programme"],
                    "金额（元）": group["amount"].astype(object),
                    "拨付日期": group["granted_on"],
                    "_uscc": group["uscc"],
                    "_firm": group["firm"],
                    "_day": group["granted_on"],
                    "_known": group["known_date"],
                }
            )
            defects.use_former_names(rows, "单位名称", world.names, rng, config.rate("former_name"))
            defects.vary_names(rows, "单位名称", rng, config.defect_rates)
            mixed = defects.choose(rng, len(rows), config.rate("unit_mix"))
            rows.iloc[mixed, rows.columns.get_loc("金额（元）")] = [
                f"{v / 1e4:g}万" for v in group["amount"].to_numpy()[mixed]
            ]
            defects.mark(rows, mixed, "unit_mix", "amount written in 万元 as text")
            landing.xlsx(
                SOURCE,
                delivery_id,
                "disbursements.xlsx",
                {"拨付清单": rows},
                feed="subsidies.haidian_park",
                id_column="拨付编号",
                kind=kind,
            )
        else:
            rows = pd.DataFrame(
                {
                    "业务编号": group["grant_id"],
                    "企业名称": group["name"],
                    "社会信用代码": group["uscc"],
                    "业务类型": group["programme"],
                    "金额(万元)": np.round(group["amount"] / 1e4, 2),
                    "业务日期": styled_dates(group["granted_on"], "slash_short"),
                    "_uscc": group["uscc"],
                }
            )
            defects.corrupt_codes(rows, "社会信用代码", rng, config.defect_rates)
            when = pd.Timestamp(day)
            year, half = (when.year - 1, "下半年") if when.month <= 6 else (when.year, "上半年")
            period = f"{year}年{half}" if kind != "full" else f"截至{when.year - 1}年末历年"
            landing.xlsx(
                SOURCE,
                delivery_id,
                "support_details.xlsx",
                {"业务明细": rows},
                feed="subsidies.hkj",
                id_column="业务编号",
                kind=kind,
                title_rows=[DEPARTMENTS["hkj"][0], f"企业支持业务明细（{period}）"],
            )
    _deliver_programmes(payments, lender_payments, landing, rng, config)
    return _write_database(
        funding[funding["department"] == "zgc_development"], landing, database_url
    )


def _deliver_programmes(
    payments: pd.DataFrame,
    lender_payments: pd.DataFrame,
    landing: Landing,
    rng: np.random.Generator,
    config: SimulationConfig,
) -> None:
    start = pd.Timestamp(config.start)
    lenders_by_day = dict(tuple(lender_payments.groupby("known_date")))
    for day, group in payments.groupby("known_date", sort=True):
        firms = pd.DataFrame(
            {
                "补贴编号": group["payment_id"],
                "企业名称": group["name"],
                "统一社会信用代码": group["uscc"],
                "补贴项目": group["programme"],
                "计算基数（元）": group["base"],
                "补贴金额（元）": group["amount"],
                "拨付日期": iso_dates(group["paid_on"]),
                "_uscc": group["uscc"],
            }
        ).reset_index(drop=True)
        defects.corrupt_codes(firms, "统一社会信用代码", rng, config.defect_rates)
        defects.mix_date_formats(firms, "拨付日期", rng, config.rate("date_format_mix"))
        lenders = lenders_by_day.get(day, lender_payments.iloc[:0])
        institutions = pd.DataFrame(
            {
                "补贴编号": lenders["payment_id"],
                "机构名称": lenders["lender"].map(lambda x: x[1]),
                "金融机构编码": lenders["lender"].map(lambda x: x[0]),
                "补贴项目": lenders["programme"],
                "年度": lenders["year"],
                "计算基数（元）": lenders["base"],
                "补贴金额（元）": lenders["amount"],
                "拨付日期": iso_dates(lenders["paid_on"]),
            }
        ).reset_index(drop=True)
        landing.xlsx(
            SOURCE,
            _delivery_id(day, "district_finance"),
            "programme_payments.xlsx",
            {"企业补贴": firms, "机构补贴": institutions},
            feed="subsidies.district_finance",
            id_column="补贴编号",
            kind="full" if day == start else "incremental",
        )


def _write_database(funding: pd.DataFrame, landing: Landing, database_url: str | None) -> str:
    """Write the 中关村发展集团 funding records to its relational database through SQLAlchemy."""
    if database_url is None:
        path = landing.root / DATABASE_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        database_url = f"sqlite:///{path}"
    engine = sa.create_engine(database_url)
    entered = funding["known_date"] + pd.to_timedelta(
        (funding.index.to_numpy() * 7919) % 36000 + 30000, unit="s"
    )
    records = [
        {
            "record_id": r.grant_id,
            "enterprise_name": r.name,
            "credit_code": r.uscc,
            "funding_type": r.programme,
            "amount_yuan": round(float(r.amount), 2),
            "sign_date": r.granted_on.date(),
            "entry_time": e.to_pydatetime(),
        }
        for r, e in zip(funding.itertuples(index=False), entered, strict=True)
    ]
    with engine.begin() as connection:
        FUNDING_TABLE.metadata.drop_all(connection)
        FUNDING_TABLE.metadata.create_all(connection)
        connection.execute(FUNDING_TABLE.insert(), records)
    engine.dispose()
    return database_url
