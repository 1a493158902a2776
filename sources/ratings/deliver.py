"""Deliver ratings as the agencies' monthly CSV files; one file arrives truncated."""

from pathlib import Path

import pandas as pd

from sources._shared import defects
from sources._shared.calendar import iso_dates
from sources._shared.landing import Landing
from sources._shared.random import rng_for
from sources.config import SimulationConfig

SOURCE = "ratings"
FILE = "ratings.csv"
#: The monthly delivery whose file arrives cut off (an interrupted transfer), and the share of
#: bytes kept.
TRUNCATED_DELIVERY_INDEX = 10
TRUNCATED_KEEP = 0.55


def deliver_ratings(ratings: pd.DataFrame, landing: Landing, config: SimulationConfig) -> None:
    """Write one delivery per known date; one of them is truncated and its lost rows are logged."""
    rng = rng_for(config.seed, "ratings", "deliver")
    start = pd.Timestamp(config.start)
    days = sorted(ratings["known_date"].unique())
    truncated_day = days[min(TRUNCATED_DELIVERY_INDEX, len(days) - 1)]
    for day, group in ratings.groupby("known_date", sort=True):
        delivery_id = f"{pd.Timestamp(day):%Y-%m-%d}"
        rows = pd.DataFrame(
            {
                "评级编号": group["rating_id"],
                "企业名称": group["name"],
                "统一社会信用代码": group["uscc"],
                "评级机构": group["agency"],
                "信用等级": group["grade"],
                "评级日期": iso_dates(group["rated_on"]),
                "评级费用(元)": group["fee"],
                "_uscc": group["uscc"],
            }
        ).reset_index(drop=True)
        defects.corrupt_codes(rows, "统一社会信用代码", rng, config.defect_rates)
        defects.mix_date_formats(rows, "评级日期", rng, config.rate("date_format_mix"))
        rows = defects.duplicate_rows(rows, rng, config.rate("duplicate_row"))
        path = landing.csv(
            SOURCE,
            delivery_id,
            FILE,
            rows,
            feed="ratings.ratings",
            id_column="评级编号",
            kind="full" if day == start else "incremental",
        )
        if day == truncated_day:
            _truncate(landing, path, rows, delivery_id)


def _truncate(landing: Landing, path: Path, rows: pd.DataFrame, delivery_id: str) -> None:
    kept = landing.truncate(path, TRUNCATED_KEEP)
    data = path.read_bytes()
    complete_lines = data.count(b"\r\n") - 1  # header line excluded
    for position in range(complete_lines, len(rows)):
        row = rows.iloc[position]
        landing.defects.add(
            feed="ratings.ratings",
            delivery_id=delivery_id,
            file=FILE,
            row_number=position + 1,
            record_id=row["评级编号"],
            uscc=row["_uscc"],
            defect_class="truncated_file",
            detail=f"file cut after {kept} bytes"
            + ("; row cut mid-line" if position == complete_lines else "; row missing"),
            recoverable=False,
        )
