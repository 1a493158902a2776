"""Registry records as the registry knows them, each dated by when the platform learns of it."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sources._shared.random import rng_for
from sources.config import SimulationConfig
from sources.world.entities import DISTRICTS, OPERATING
from sources.world.generate import World, district_at

#: Change-log item names (变更事项) per world event kind.
CHANGE_ITEMS = {
    "status": "登记状态变更",
    "district": "住所变更(跨区迁移)",
    "legal_rep": "法定代表人变更",
    "capital": "注册资本变更",
    "name": "名称变更",
}


@dataclass
class RegistryRecords:
    """Clean registry records.

    Attributes:
        enterprises: one row per firm as first delivered (the initial extract's state on the start
            date, or the registration of a firm established later), with ``known_date``.
        name_history: former names ended before the start date (initial extract).
        changes: one row per change after the start date, with ``known_date`` and ``is_late``.
    """

    enterprises: pd.DataFrame
    name_history: pd.DataFrame
    changes: pd.DataFrame


def generate_registry(world: World, config: SimulationConfig) -> RegistryRecords:
    """Registry records of every firm."""
    rng = rng_for(config.seed, "registry", "records")
    firms = world.firms
    start = pd.Timestamp(config.start)
    end = pd.Timestamp(config.end)

    events = world.events.copy()
    renames = world.names[world.names["valid_to"].notna()]
    events = pd.concat(
        [
            events,
            pd.DataFrame(
                {
                    "firm": renames["firm"].to_numpy(),
                    "day": renames["valid_to"].to_numpy(),
                    "kind": "name",
                    "value": None,
                }
            ),
        ],
        ignore_index=True,
    )
    before = events[events["day"] < start]
    during = events[(events["day"] >= start)].copy()

    # State at the start: registration values updated by every event before it.
    status = np.where(rng.random(len(firms)) < 0.3, OPERATING[1], OPERATING[0]).astype(object)
    area = firms["area_code"].to_numpy().copy()
    rep_name = firms["rep_name"].to_numpy().copy()
    capital = firms["capital_wan"].to_numpy().astype(object).copy()
    last = before.sort_values("day").groupby(["firm", "kind"]).tail(1)
    for kind, target in (
        ("status", status),
        ("district", area),
        ("legal_rep", rep_name),
        ("capital", capital),
    ):
        rows = last[last["kind"] == kind]
        target[rows["firm"].to_numpy()] = rows["value"].to_numpy()
    capital = capital.astype(float)
    established = firms["established"]
    is_new = (established >= start).to_numpy()
    first_day = np.where(is_new, established + pd.Timedelta(days=1), start)
    name_then = world.name_on(
        np.arange(len(firms)), np.where(is_new, established, start - pd.Timedelta(days=1))
    )
    latest_revenue = world.revenue.sort_values("year").groupby("firm")["revenue"].last()
    revenue = latest_revenue.reindex(np.arange(len(firms))).fillna(3e5).to_numpy()
    employees = np.maximum(1, np.round(revenue / 6e5 * rng.uniform(0.5, 1.5, len(firms)))).astype(
        int
    )
    employees[firms["type_class"].to_numpy() == "individual"] = rng.integers(
        1, 6, int((firms["type_class"] == "individual").sum())
    )
    parent = firms["parent"].to_numpy()
    parent_uscc = np.where(parent >= 0, firms["uscc"].to_numpy()[np.maximum(parent, 0)], None)

    enterprises = pd.DataFrame(
        {
            "firm": np.arange(len(firms)),
            "uscc": firms["uscc"].to_numpy(),
            "name": name_then,
            "type_label": firms["type_label"].to_numpy(),
            "status": np.where(is_new, OPERATING[0], status),
            "area_code": np.where(is_new, firms["area_code"].to_numpy(), area),
            "industry_code": firms["industry_code"].to_numpy(),
            "industry_name": firms["industry_name"].to_numpy(),
            "capital_wan": np.where(is_new, firms["capital_wan"].to_numpy(), capital),
            "established": established.to_numpy(),
            "rep_name": np.where(is_new, firms["rep_name"].to_numpy(), rep_name),
            "rep_id": firms["rep_id"].to_numpy(),
            "rep_phone": firms["rep_phone"].to_numpy(),
            "employees": employees,
            "parent_uscc": parent_uscc,
            "known_date": pd.to_datetime(first_day),
        }
    )
    # Firms that ended before the start are still in the extract with their final status; firms
    # established on or after the end are not known yet.
    enterprises = enterprises[enterprises["known_date"] <= end].reset_index(drop=True)

    history = world.names[world.names["valid_to"].notna() & (world.names["valid_to"] < start)]
    name_history = history.assign(
        uscc=firms["uscc"].to_numpy()[history["firm"].to_numpy()], known_date=start
    ).reset_index(drop=True)

    during = during[during["day"] < end].sort_values(["day", "firm", "kind"], ignore_index=True)
    during["uscc"] = firms["uscc"].to_numpy()[during["firm"].to_numpy()]
    names_after = world.name_on(during["firm"].to_numpy(), during["day"].to_numpy())
    names_before = world.name_on(
        during["firm"].to_numpy(), (during["day"] - pd.Timedelta(days=1)).to_numpy()
    )
    during["item"] = during["kind"].map(CHANGE_ITEMS)
    during["after"] = np.where(
        during["kind"] == "name",
        names_after,
        np.where(during["kind"] == "district", during["value"].map(DISTRICTS), during["value"]),
    )
    area_before = district_at(
        firms, world.events, during["firm"].to_numpy(), during["day"] - pd.Timedelta(days=1)
    )
    # A firm has at most one event of each kind, so the value before a change in the period is
    # its value on the start date (or at registration).
    firm = during["firm"].to_numpy()
    during["before"] = np.select(
        [during["kind"] == k for k in ("name", "district", "status", "legal_rep", "capital")],
        [
            names_before,
            pd.Series(area_before).map(DISTRICTS).to_numpy(),
            status[firm],
            rep_name[firm],
            capital[firm].astype(str),
        ],
        default=None,
    )
    late = rng.random(len(during)) < config.rate("late_record")
    delay = np.where(late, rng.integers(3, 11, len(during)), 1)
    during["known_date"] = during["day"] + pd.to_timedelta(delay, unit="D")
    during["is_late"] = late
    during["change_id"] = [f"BG{d:%Y%m%d}{i:06d}" for i, d in enumerate(during["day"])]
    changes = during[during["known_date"] <= end].reset_index(drop=True)
    return RegistryRecords(enterprises=enterprises, name_history=name_history, changes=changes)
