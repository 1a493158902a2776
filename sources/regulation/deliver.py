"""Deliver regulation lists as weekly UTF-8 CSV files with Chinese headers."""

import pandas as pd

from sources._shared import defects
from sources._shared.calendar import iso_dates
from sources._shared.landing import Landing
from sources._shared.random import rng_for
from sources.config import SimulationConfig

SOURCE = "regulation"


def deliver_regulation(
    abnormal: pd.DataFrame,
    serious: pd.DataFrame,
    penalties: pd.DataFrame,
    landing: Landing,
    config: SimulationConfig,
) -> None:
    """Write one delivery per known date with the three lists' new rows."""
    rng = rng_for(config.seed, "regulation", "deliver")
    start = pd.Timestamp(config.start)
    days = sorted(
        set(abnormal["known_date"]) | set(serious["known_date"]) | set(penalties["known_date"])
    )
    by_day = [dict(tuple(frame.groupby("known_date"))) for frame in (abnormal, serious, penalties)]
    for day in days:
        delivery_id = f"{pd.Timestamp(day):%Y-%m-%d}"
        kind = "full" if day == start else "incremental"
        for feed, file, frame in (
            ("regulation.abnormal_operations", "abnormal_operations.csv", abnormal),
            ("regulation.serious_illegal", "serious_illegal.csv", serious),
        ):
            group = by_day[0 if frame is abnormal else 1].get(day, frame.iloc[:0])
            rows = pd.DataFrame(
                {
                    "记录编号": group["event_id"],
                    "名单编号": group["listing_id"],
                    "统一社会信用代码": group["uscc"],
                    "企业名称": group["name"],
                    "事项": group["event"],
                    "日期": iso_dates(group["day"]),
                    "原因": group["reason"],
                    "作出决定机关": group["authority"],
                    "_uscc": group["uscc"],
                }
            ).reset_index(drop=True)
            defects.corrupt_codes(rows, "统一社会信用代码", rng, config.defect_rates)
            rows = defects.duplicate_rows(rows, rng, config.rate("duplicate_row"))
            landing.csv(SOURCE, delivery_id, file, rows, feed=feed, id_column="记录编号", kind=kind)
        group = by_day[2].get(day, penalties.iloc[:0])
        rows = pd.DataFrame(
            {
                "行政处罚决定书文号": group["penalty_id"],
                "统一社会信用代码": group["uscc"],
                "企业名称": group["name"],
                "违法行为类型": group["violation"],
                "处罚内容": "罚款"
                + (group["fine"] / 10000).map("{:g}".format).astype(str)
                + "万元",
                "罚款金额(元)": group["fine"],
                "处罚决定日期": iso_dates(group["decided_on"]),
                "处罚机关": group["authority"],
                "_uscc": group["uscc"],
            }
        ).reset_index(drop=True)
        defects.corrupt_codes(rows, "统一社会信用代码", rng, config.defect_rates)
        defects.blank_optional(rows, ["处罚内容"], rng, config.rate("missing_value"))
        landing.csv(
            SOURCE,
            delivery_id,
            "penalties.csv",
            rows,
            feed="regulation.penalties",
            id_column="行政处罚决定书文号",
            kind=kind,
        )
