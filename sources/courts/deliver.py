"""Deliver court documents and dishonest-debtor events as daily JSON files."""

import numpy as np
import pandas as pd

from sources._shared import codes, defects
from sources._shared.calendar import iso_dates
from sources._shared.landing import RECOVERABLE, Landing
from sources._shared.random import rng_for
from sources.config import SimulationConfig
from sources.world.generate import World

SOURCE = "courts"


def _damage_party_names(
    parties: pd.DataFrame,
    cases: pd.DataFrame,
    world: World,
    rng: np.random.Generator,
    config: SimulationConfig,
) -> pd.DataFrame:
    """Firm parties: former names, variants, typos; some carry an organisation code or USCC."""
    firm_rows = parties[parties["firm"] >= 0].copy()
    case = firm_rows["case"].to_numpy()
    firm_rows["_firm"] = firm_rows["firm"]
    firm_rows["_day"] = cases["filed_on"].to_numpy()[case]
    firm_rows["_known"] = cases["known_date"].to_numpy()[case]
    firm_rows["_uscc"] = firm_rows["uscc"]
    firm_rows = firm_rows.reset_index()
    defects.use_former_names(firm_rows, "name", world.names, rng, config.rate("former_name"))
    defects.vary_names(firm_rows, "name", rng, config.defect_rates)
    code_kind = rng.choice(3, len(firm_rows), p=[0.85, 0.10, 0.05])  # none, organisation code, USCC
    firm_rows["id_code"] = np.where(
        code_kind == 1,
        [codes.organisation_code(c) for c in firm_rows["uscc"]],
        np.where(code_kind == 2, firm_rows["uscc"], None),
    )
    parties = parties.copy()
    parties["id_code"] = None
    parties["_defect"] = ""
    parties["_detail"] = ""
    target = firm_rows["index"].to_numpy()
    for column in ("name", "id_code", "_defect", "_detail"):
        parties.loc[target, column] = firm_rows[column].to_numpy()
    return parties


def _documents(cases: pd.DataFrame, parties: pd.DataFrame) -> list[dict]:
    """One JSON document per case (in the order of ``cases``), parties nested."""
    party_dicts = [
        {"name": name, "role": role, "partyType": kind} | ({"idCode": code} if code else {})
        for name, role, kind, code in zip(
            parties["name"], parties["role"], parties["party_type"], parties["id_code"], strict=True
        )
    ]
    bounds = np.searchsorted(parties["case"].to_numpy(), np.arange(len(cases) + 1))
    return [
        {
            "docId": doc,
            "caseNo": number,
            "court": court,
            "caseType": kind,
            "cause": cause,
            "parties": party_dicts[bounds[i] : bounds[i + 1]],
            "amount": amount,
            "filedOn": filed,
            "judgedOn": judged,
            "publishedOn": published,
        }
        for i, (doc, number, court, kind, cause, amount, filed, judged, published) in enumerate(
            zip(
                cases["doc_id"],
                cases["case_no"],
                cases["court"],
                cases["case_type"],
                cases["cause"],
                cases["amount"],
                iso_dates(cases["filed_on"]),
                iso_dates(cases["judged_on"]),
                iso_dates(cases["published_on"]),
                strict=True,
            )
        )
    ]


def deliver_courts(
    cases: pd.DataFrame,
    parties: pd.DataFrame,
    dishonest: pd.DataFrame,
    world: World,
    landing: Landing,
    config: SimulationConfig,
) -> None:
    """Write the initial extract and one delivery per day: documents and list events."""
    rng = rng_for(config.seed, "courts", "deliver")
    start = pd.Timestamp(config.start)
    parties = _damage_party_names(parties, cases, world, rng, config)
    documents = _documents(cases, parties)
    # Cases are sorted by delivery day: a day's documents are one slice, numbered from 1 within it.
    known = cases["known_date"].to_numpy()
    days = pd.date_range(start, pd.Timestamp(config.end))
    bounds = np.searchsorted(known, days.to_numpy().astype(known.dtype))
    bounds = np.append(bounds, len(cases))
    first_of_day = bounds[np.searchsorted(bounds, np.arange(len(cases)), side="right") - 1]
    damaged = parties[parties["_defect"] != ""]
    for case, record_id, uscc, marks, detail in zip(
        damaged["case"],
        damaged["record_id"],
        damaged["uscc"],
        damaged["_defect"],
        damaged["_detail"],
        strict=True,
    ):
        for defect, note in zip(marks.split("|"), detail.split("|"), strict=True):
            landing.defects.add(
                feed="courts.cases",
                delivery_id=f"{pd.Timestamp(known[case]):%Y-%m-%d}",
                file="cases.json",
                row_number=int(case - first_of_day[case]) + 1,
                record_id=record_id,
                uscc=uscc,
                defect_class=defect,
                detail=note,
                recoverable=RECOVERABLE[defect],
            )
    dishonest = _dishonest_rows(dishonest, rng, config)
    dishonest_by_day = dict(tuple(dishonest.groupby("_known")))
    for k, day in enumerate(days):
        delivery_id = f"{day:%Y-%m-%d}"
        kind = "full" if day == start else "incremental"
        landing.json_documents(
            SOURCE,
            delivery_id,
            "cases.json",
            documents[bounds[k] : bounds[k + 1]],
            feed="courts.cases",
            kind=kind,
        )
        events = dishonest_by_day.get(day, dishonest.iloc[:0]).reset_index(drop=True)
        landing.log_defects(
            "courts.dishonest_debtors", delivery_id, "dishonest_debtors.json", events, "recordId"
        )
        public = events[[c for c in events.columns if not c.startswith("_")]]
        landing.json_documents(
            SOURCE,
            delivery_id,
            "dishonest_debtors.json",
            public.to_dict(orient="records"),
            feed="courts.dishonest_debtors",
            kind=kind,
        )


def _dishonest_rows(
    dishonest: pd.DataFrame, rng: np.random.Generator, config: SimulationConfig
) -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "recordId": dishonest["record_id"],
            "dishonestId": dishonest["dishonest_id"],
            "event": dishonest["event"],
            "caseNo": dishonest["enforcement_no"],
            "name": dishonest["name"],
            "idCode": np.select(
                [dishonest["code_kind"] == 0, dishonest["code_kind"] == 1],
                [dishonest["uscc"], [codes.organisation_code(c) for c in dishonest["uscc"]]],
                default=None,
            ),
            "court": dishonest["court"],
            "date": iso_dates(dishonest["day"]),
            "_uscc": dishonest["uscc"],
            "_firm": dishonest["firm"],
            "_day": dishonest["listed_on"],
            "_known": dishonest["known_date"],
        }
    ).reset_index(drop=True)
    defects.vary_names(rows, "name", rng, config.defect_rates)
    return rows
