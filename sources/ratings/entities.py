"""Ratings issued by the agencies, each dated by the monthly delivery that brings it."""

import numpy as np
import pandas as pd

from sources._shared.calendar import monthly, next_delivery
from sources._shared.random import rng_for
from sources.config import SimulationConfig
from sources.world.generate import World

#: Rating scale, best to worst (POLICY_RULES §1).
SCALE = (
    "AAA",
    "AA+",
    "AA",
    "AA-",
    "A+",
    "A",
    "A-",
    "BBB+",
    "BBB",
    "BBB-",
    "BB+",
    "BB",
    "BB-",
    "B+",
    "B",
    "B-",
    "CCC",
    "CC",
    "C",
)
AGENCIES = (
    "联合资信评估股份有限公司",
    "中诚信国际信用评级有限责任公司",
    "大公国际资信评估有限公司",
    "东方金诚国际信用评估有限公司",
    "北京中北联信用评估有限公司",
)
#: Agencies deliver on this day of the month the ratings of the month before.
DELIVERY_DAY = 5
FIRST_RATING_DAY = pd.Timestamp("2019-01-01")


def delivery_days(config: SimulationConfig) -> list:
    """Monthly delivery days of the period."""
    return monthly(config.start, config.end, DELIVERY_DAY)


def generate_ratings(world: World, config: SimulationConfig) -> pd.DataFrame:
    """One row per rating: firm, uscc, name, agency, grade, rated_on, fee, rating_id, known_date."""
    rng = rng_for(config.seed, "ratings", "ratings")
    firms = world.firms
    n = len(firms)
    rated = np.flatnonzero(
        firms["type_class"].isin(["llc", "joint_stock"]).to_numpy()
        & (rng.random(n) < np.where(firms["is_tech"].to_numpy(), 0.55, 0.05))
    )
    # Each rated firm is rated about yearly from a first date on, until it stops being rated.
    established = firms["established"].to_numpy()[rated]
    first = (
        np.maximum(established, FIRST_RATING_DAY.to_datetime64())
        + pd.to_timedelta(rng.integers(90, 3 * 365, len(rated)), unit="D").to_numpy()
    )
    level = np.clip(np.round(10.5 - 1.6 * firms["quality"].to_numpy()[rated]), 0, len(SCALE) - 1)
    rows = []
    day = first.astype("datetime64[D]")
    alive = np.ones(len(rated), dtype=bool)
    end = np.datetime64(config.end, "D")
    for _ in range(10):
        alive &= day <= end
        if not alive.any():
            break
        grade = np.clip(level + rng.integers(-1, 2, len(rated)), 0, len(SCALE) - 1).astype(int)
        rows.append(
            pd.DataFrame(
                {
                    "firm": rated[alive],
                    "rated_on": day[alive],
                    "grade": grade[alive],
                    "agency": rng.integers(0, len(AGENCIES), len(rated))[alive],
                }
            )
        )
        day = day + rng.integers(300, 420, len(rated))
        alive &= rng.random(len(rated)) < 0.85
    ratings = pd.concat(rows, ignore_index=True).sort_values(
        ["rated_on", "firm"], ignore_index=True
    )
    ratings["grade"] = np.array(SCALE)[ratings["grade"].to_numpy()]
    ratings["agency"] = np.array(AGENCIES)[ratings["agency"].to_numpy()]
    ratings["uscc"] = firms["uscc"].to_numpy()[ratings["firm"].to_numpy()]
    ratings["name"] = world.name_on(ratings["firm"].to_numpy(), ratings["rated_on"].to_numpy())
    ratings["fee"] = rng.integers(15, 61, len(ratings)) * 1000
    ratings["rating_id"] = [
        f"PJ{d:%Y%m}{i:07d}" for i, d in enumerate(pd.to_datetime(ratings["rated_on"]))
    ]
    ratings["rated_on"] = pd.to_datetime(ratings["rated_on"])
    known = next_delivery(
        (ratings["rated_on"] + pd.offsets.MonthBegin(1)).to_numpy().astype("datetime64[D]"),
        delivery_days(config),
    )
    start = pd.Timestamp(config.start)
    ratings["known_date"] = pd.to_datetime(known)
    ratings.loc[ratings["rated_on"] < start, "known_date"] = start
    return ratings[ratings["known_date"].notna()].reset_index(drop=True)
