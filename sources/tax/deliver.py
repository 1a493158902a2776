"""Deliver tax declarations as the tax bureau's yearly CSV extracts (UTF-8 with BOM)."""

import pandas as pd

from sources._shared import defects
from sources._shared.calendar import styled_dates
from sources._shared.landing import Landing
from sources._shared.random import rng_for
from sources.config import SimulationConfig

SOURCE = "tax"
#: The delivery in which the bureau renamed a column and added one (schema drift).
DRIFT_YEAR_OFFSET = 1
RENAMED = ("YYSR", "YYSRZE")
ADDED = "HYDM"
#: The regular delivery that is delivered a second time, byte for byte, two days later.
REDELIVERED_DELAY_DAYS = 2


def deliver_tax(
    declarations: pd.DataFrame,
    industry_by_uscc: pd.Series,
    landing: Landing,
    config: SimulationConfig,
) -> None:
    """Write one delivery per known date; one later regular delivery carries a schema drift."""
    rng = rng_for(config.seed, "tax", "deliver")
    start = pd.Timestamp(config.start)
    regular_days = sorted(
        d
        for d in declarations["known_date"].unique()
        if pd.Timestamp(d).month == 6 and pd.Timestamp(d) > start
    )
    drift_day = (
        regular_days[min(DRIFT_YEAR_OFFSET, len(regular_days) - 1)] if regular_days else None
    )
    redelivered_day = regular_days[0] if regular_days else None
    for day, group in declarations.groupby("known_date", sort=True):
        delivery_id = f"{pd.Timestamp(day):%Y-%m-%d}"
        rows = pd.DataFrame(
            {
                "SBXH": group["declaration_id"],
                "NSRSBH": group["uscc"],
                "NSRMC": group["name"],
                "SSND": group["year"],
                "YYSR": group["revenue"].map("{:.2f}".format),
                "YNSE": group["tax_paid"].map("{:.2f}".format),
                "ZGSWJG": group["tax_office"],
                "SBRQ": styled_dates(group["filed_on"], "slash"),
                "GZBZ": group["is_correction"].map({True: "Y", False: "N"}),
                "_uscc": group["uscc"],
            }
        ).reset_index(drop=True)
        defects.corrupt_codes(rows, "NSRSBH", rng, config.defect_rates)
        rows = defects.duplicate_rows(rows, rng, config.rate("duplicate_row"))
        kind = (
            "full"
            if day == start
            else ("correction" if group["is_correction"].all() else "incremental")
        )
        # From the drift on, the bureau's extracts keep the new layout.
        if drift_day is not None and day >= drift_day:
            rows = rows.rename(columns={RENAMED[0]: RENAMED[1]})
            rows[ADDED] = rows["_uscc"].map(industry_by_uscc)
        if day == drift_day:
            landing.defects.add_file_defect(
                "tax.declarations",
                delivery_id,
                "declarations.csv",
                "schema_drift",
                f"{RENAMED[0]} renamed {RENAMED[1]}; {ADDED} added",
            )
        landing.csv(
            SOURCE,
            delivery_id,
            "declarations.csv",
            rows,
            feed="tax.declarations",
            id_column="SBXH",
            encoding="utf-8-sig",
            kind=kind,
        )
        if day == redelivered_day:
            again = f"{pd.Timestamp(day) + pd.Timedelta(days=REDELIVERED_DELAY_DAYS):%Y-%m-%d}"
            landing.copy_delivery(SOURCE, delivery_id, again)
            landing.defects.add_file_defect(
                "tax.declarations",
                again,
                "declarations.csv",
                "duplicate_delivery",
                f"identical to {delivery_id}",
            )
