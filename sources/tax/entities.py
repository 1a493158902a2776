"""Annual tax declarations, each dated by the delivery that brings it."""

import numpy as np
import pandas as pd

from sources._shared.random import rng_for
from sources.config import SimulationConfig
from sources.world.entities import DISTRICTS, tax_office
from sources.world.generate import World

#: Yearly delivery days (month, day): regular declarations, late filers, corrections.
REGULAR, LATE, CORRECTIONS = (6, 30), (10, 31), (12, 15)


def _yearly_day(years: np.ndarray, month_day: tuple[int, int]) -> pd.DatetimeIndex:
    return pd.to_datetime(years * 10000 + month_day[0] * 100 + month_day[1], format="%Y%m%d")


def generate_declarations(world: World, config: SimulationConfig) -> pd.DataFrame:
    """One row per declaration version: original filings and later corrections.

    Columns: firm, uscc, year, revenue, tax_paid, tax_office, filed_on, declaration_id,
    is_correction, known_date.
    """
    rng = rng_for(config.seed, "tax", "declarations")
    revenue = world.revenue
    n = len(revenue)
    route = rng.choice(3, n, p=[0.90, 0.06, 0.04])  # regular, late, never
    year = revenue["year"].to_numpy()
    regular_day = _yearly_day(year + 1, REGULAR)
    late_day = _yearly_day(year + 1, LATE)
    known = np.where(route == 0, regular_day, late_day)
    filed = np.where(
        route == 0,
        regular_day - pd.to_timedelta(rng.integers(31, 120, n), unit="D"),
        late_day - pd.to_timedelta(rng.integers(5, 60, n), unit="D"),
    )
    uscc = world.firms["uscc"].to_numpy()[revenue["firm"].to_numpy()]
    originals = pd.DataFrame(
        {
            "firm": revenue["firm"].to_numpy(),
            "uscc": uscc,
            "year": year,
            "revenue": revenue["revenue"].to_numpy(),
            "tax_paid": revenue["tax_paid"].to_numpy(),
            "tax_office": revenue["area_code"]
            .map({a: tax_office(a) for a in DISTRICTS})
            .to_numpy(),
            "filed_on": pd.to_datetime(filed),
            # Declaration numbers are the bureau's own serials, independent of the taxpayer code.
            "declaration_id": "SB"
            + year.astype(str).astype(object)
            + pd.Series(np.arange(n)).map("{:08d}".format).to_numpy(),
            "is_correction": False,
            "known_date": pd.to_datetime(known),
        }
    )[route < 2]
    corrected = originals[rng.random(len(originals)) < 0.015].copy()
    factor = rng.uniform(0.8, 1.25, len(corrected))
    corrected["revenue"] = np.round(corrected["revenue"] * factor, 2)
    corrected["tax_paid"] = np.round(corrected["tax_paid"] * factor, 2)
    corrected["known_date"] = _yearly_day(corrected["year"].to_numpy() + 1, CORRECTIONS)
    corrected["filed_on"] = corrected["known_date"] - pd.Timedelta(days=20)
    corrected["declaration_id"] = "GZ" + corrected["declaration_id"].str[2:]
    corrected["is_correction"] = True
    declarations = pd.concat([originals, corrected], ignore_index=True)
    # What was already known at the start arrives in the initial extract, latest version only.
    start = pd.Timestamp(config.start)
    early = declarations["known_date"] <= start
    declarations.loc[early, "known_date"] = start
    declarations = declarations.sort_values(["known_date", "is_correction"], kind="stable")
    # Within one delivery a correction replaces the original it corrects.
    declarations = declarations.drop_duplicates(["firm", "year", "known_date"], keep="last")
    declarations = declarations[declarations["known_date"] <= pd.Timestamp(config.end)].reset_index(
        drop=True
    )
    declarations["name"] = world.name_on(
        declarations["firm"].to_numpy(), declarations["filed_on"].to_numpy()
    )
    return declarations
