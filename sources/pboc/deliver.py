"""Deliver loan statuses as the credit reference centre's monthly JSON Lines files."""

import pandas as pd

from sources._shared import defects
from sources._shared.calendar import iso_dates
from sources._shared.landing import Landing
from sources._shared.random import rng_for
from sources.config import SimulationConfig
from sources.world.generate import World

SOURCE = "pboc"


def deliver_pboc(
    loans: pd.DataFrame,
    statuses: pd.DataFrame,
    world: World,
    landing: Landing,
    config: SimulationConfig,
) -> None:
    """Write one delivery per known date: every account's status for the months it reports."""
    rng = rng_for(config.seed, "pboc", "deliver")
    start = pd.Timestamp(config.start)
    for day, group in statuses.groupby("known_date", sort=True):
        loan = loans.iloc[group["loan"].to_numpy()]
        name = world.name_on(
            loan["firm"].to_numpy(), pd.to_datetime(group["report_month"]).to_numpy()
        )
        rows = pd.DataFrame(
            {
                "reportMonth": group["report_month"].to_numpy(),
                "accountId": loan["account_id"].to_numpy(),
                "borrowerUscc": loan["uscc"].to_numpy(),
                "borrowerName": name,
                "lenderCode": loan["lender_code"].to_numpy(),
                "lenderName": loan["lender_name"].to_numpy(),
                "product": loan["product"].to_numpy(),
                "guarantorType": loan["guarantor"].to_numpy(),
                "contractAmount": loan["amount"].to_numpy(),
                "balance": group["balance"].to_numpy(),
                "fiveLevelClass": group["five_level"].to_numpy(),
                "overdueDays": group["overdue_days"].to_numpy(),
                "overdueAmount": group["overdue_amount"].to_numpy(),
                "openDate": iso_dates(loan["opened_on"]),
                "maturityDate": iso_dates(loan["matures_on"]),
                "settleDate": group["settled_on"].to_numpy(),
                "_uscc": loan["uscc"].to_numpy(),
            }
        )
        rows["_record"] = rows["accountId"] + "@" + rows["reportMonth"]
        defects.corrupt_codes(rows, "borrowerUscc", rng, config.defect_rates)
        defects.blank_optional(
            rows, ["guarantorType", "maturityDate"], rng, config.rate("missing_value")
        )
        rows = defects.duplicate_rows(rows, rng, config.rate("duplicate_row"))
        landing.jsonl(
            SOURCE,
            f"{pd.Timestamp(day):%Y-%m-%d}",
            "loan_status.jsonl",
            rows,
            feed="pboc.loan_status",
            id_column="_record",
            kind="full" if day == start else "incremental",
        )
