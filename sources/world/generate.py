"""Generate the world: firms with identity, life events, revenue and latent traits.

Everything here is the clean truth about firms, dated by when it happened. Sources render it into
their own records (dated also by when they learnt of it); nothing here is delivered as is.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from sources._shared import codes, names
from sources._shared.calendar import random_days
from sources._shared.random import rng_for
from sources.config import SimulationConfig
from sources.world.entities import (
    DISTRICT_WEIGHTS,
    DISTRICTS,
    FIRM_TYPES,
    HAIDIAN,
    TERMINAL_STATUSES,
)

#: Industry classes whose firms can hold technology-enterprise certificates.
TECH_INDUSTRY_PREFIXES = ("65", "64", "73", "75", "39", "27")
#: First fiscal year of revenue history.
FIRST_REVENUE_YEAR = 2018


@dataclass
class World:
    """The clean world.

    Attributes:
        firms: one row per firm (index ``firm``): identity and latent traits.
        names: one row per firm name with its validity ``[valid_from, valid_to)``.
        events: registry life events (status, district, legal representative, capital) by date.
        revenue: one row per firm and fiscal year it operated.
    """

    firms: pd.DataFrame
    names: pd.DataFrame
    events: pd.DataFrame
    revenue: pd.DataFrame

    def name_on(self, firm: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Name each firm had on each day (a firm is renamed at most once)."""
        current = self.names[self.names["valid_to"].isna()].set_index("firm")["name"]
        former = self.names[self.names["valid_to"].notna()].set_index("firm")
        names = current.reindex(np.arange(len(self.firms))).to_numpy()
        renamed_on = former["valid_to"].reindex(np.arange(len(self.firms))).to_numpy()
        former_names = former["name"].reindex(np.arange(len(self.firms))).to_numpy()
        firm = np.asarray(firm)
        before = np.asarray(day, dtype="datetime64[ns]") < renamed_on[firm]
        return np.where(before, former_names[firm], names[firm])


def generate_world(config: SimulationConfig) -> World:
    """Generate the clean world of ``config.firms`` firms."""
    firms = _firms(config)
    name_table = _names(config, firms)
    events = _events(config, firms)
    revenue = _revenue(config, firms, events)
    return World(firms=firms, names=name_table, events=events, revenue=revenue)


def _firms(config: SimulationConfig) -> pd.DataFrame:
    rng = rng_for(config.seed, "world", "firms")
    n = config.firms
    type_classes = list(FIRM_TYPES)
    shares = np.array([FIRM_TYPES[t][1] for t in type_classes])
    type_class = np.array(type_classes)[rng.choice(len(type_classes), n, p=shares / shares.sum())]
    label_choice = rng.integers(0, 2, n)
    type_label = np.array(
        [
            FIRM_TYPES[t][0][k % len(FIRM_TYPES[t][0])]
            for t, k in zip(type_class, label_choice, strict=True)
        ],
        dtype=object,
    )
    industries = names.INDUSTRIES
    weights = np.array([w for *_, w in industries])
    industry = rng.choice(len(industries), n, p=weights / weights.sum())
    area_codes = np.array(list(DISTRICT_WEIGHTS))
    area_weights = np.array(list(DISTRICT_WEIGHTS.values()))
    area = area_codes[rng.choice(len(area_codes), n, p=area_weights)]

    # Establishment: most firms are young, as in Haidian's registry.
    age_days = np.minimum(rng.exponential(7 * 365.25, n), 30 * 365).astype(int)
    established = np.datetime64(config.end, "D") - age_days.astype("timedelta64[D]")
    established = np.maximum(established, np.datetime64("1996-01-01"))

    industry_code = np.array([industries[i][0] for i in industry], dtype=object)
    is_tech_industry = np.array([c.startswith(TECH_INDUSTRY_PREFIXES) for c in industry_code])
    is_company = np.isin(type_class, ["llc", "joint_stock"])
    is_tech = is_company & is_tech_industry & (rng.random(n) < 0.2)
    is_large = is_company & ~is_tech & (rng.random(n) < 0.012)

    parent = np.full(n, -1)
    branches = np.flatnonzero(type_class == "branch")
    companies = np.flatnonzero(is_company)
    parent[branches] = companies[rng.integers(0, len(companies), len(branches))]
    # A branch opens after its parent.
    established[branches] = np.maximum(established[branches], established[parent[branches]] + 30)

    rep_birth = random_days(rng, date(1960, 1, 1), date(1998, 12, 31), n)
    rep_area_pool = np.array(
        [
            "110101",
            "110102",
            "110105",
            "110106",
            "110107",
            "110108",
            "110109",
            "120101",
            "120103",
            "310101",
            "310104",
        ]
    )
    rep_area = rep_area_pool[rng.integers(0, len(rep_area_pool), n)]
    is_individual = type_class == "individual"
    uscc = codes.make_usccs(rng, area, is_individual, established >= np.datetime64("2016-01-01"))

    capital_wan = np.round(np.exp(rng.normal(np.log(100), 1.3, n)), 2)
    capital_wan[is_individual] = 0.0
    quality = rng.normal(0, 1, n) + np.where(is_tech, 0.6, 0.0) + np.where(is_large, 0.8, 0.0)

    return pd.DataFrame(
        {
            "uscc": uscc,
            "type_class": type_class,
            "type_label": type_label,
            "is_legal_person": np.array([FIRM_TYPES[t][2] for t in type_class]),
            "parent": parent,
            "industry_code": industry_code,
            "industry_name": np.array([industries[i][1] for i in industry], dtype=object),
            "industry_index": industry,
            "area_code": area,
            "established": pd.to_datetime(established),
            "capital_wan": capital_wan,
            "rep_name": names.draw_person_names(rng, n),
            "rep_id": codes.make_id_numbers(rng, rep_area, rep_birth),
            "rep_phone": np.char.add(
                "1", rng.integers(3000000000, 9999999999, n).astype(str)
            ).astype(object),
            "is_tech": is_tech,
            "is_large": is_large,
            "quality": quality,
        }
    ).rename_axis("firm")


def _company_names(
    rng: np.random.Generator, firms: pd.DataFrame, rows: np.ndarray, taken: set[str]
) -> np.ndarray:
    """Fresh unique names for the given firms, in the style of their type and industry."""
    result = np.empty(len(rows), dtype=object)
    pending = np.arange(len(rows))
    while len(pending):
        idx = rows[pending]
        trade = names.draw_trade_names(rng, len(idx))
        type_class = firms["type_class"].to_numpy()[idx]
        industry = firms["industry_index"].to_numpy()[idx]
        word_pick = rng.integers(0, 3, len(idx))
        candidates = []
        for t, tc, ind, k in zip(trade, type_class, industry, word_pick, strict=True):
            words = names.INDUSTRIES[ind][2]
            word = words[k % len(words)]
            if tc == "joint_stock":
                candidates.append(f"北京{t}{word}股份有限公司")
            elif tc == "sole":
                candidates.append(f"北京{t}{word}中心")
            elif tc == "partnership":
                candidates.append(f"北京{t}{word}中心（有限合伙）")
            elif tc == "individual":
                candidates.append(f"{t}{names.SHOP_WORDS[k % len(names.SHOP_WORDS)]}")
            else:
                candidates.append(f"北京{t}{word}有限{'责任' if k == 2 else ''}公司")
        still = []
        for j, name in zip(pending, candidates, strict=True):
            if name in taken:
                still.append(j)
            else:
                taken.add(name)
                result[j] = name
        pending = np.array(still, dtype=int)
    return result


def _names(config: SimulationConfig, firms: pd.DataFrame) -> pd.DataFrame:
    rng = rng_for(config.seed, "world", "names")
    n = len(firms)
    taken: set[str] = set()
    type_class = firms["type_class"].to_numpy()
    own = np.flatnonzero(~np.isin(type_class, ["branch"]))
    current = np.empty(n, dtype=object)
    current[own] = _company_names(rng, firms, own, taken)
    individual = np.flatnonzero(type_class == "individual")
    districts = firms["area_code"].map(DISTRICTS).to_numpy()
    current[individual] = np.char.add(
        np.char.add("北京市", districts[individual].astype(str)), current[individual].astype(str)
    ).astype(object)

    established = firms["established"].to_numpy()
    end = np.datetime64(config.end, "D")
    renamed = np.flatnonzero(
        np.isin(type_class, ["llc", "joint_stock", "sole", "partnership"]) & (rng.random(n) < 0.08)
    )
    span = (end + 365 - established[renamed].astype("datetime64[D]")).astype(int)
    rename_day = (
        established[renamed].astype("datetime64[D]")
        + 365
        + (rng.random(len(renamed)) * np.maximum(span - 365, 1)).astype(int)
    )
    keep = rename_day <= end
    renamed, rename_day = renamed[keep], rename_day[keep]
    # The firm's name before the rename is a fresh name; the drawn "current" stays current.
    former = _company_names(rng, firms, renamed, taken)

    branches = np.flatnonzero(type_class == "branch")
    places = np.array(names.BRANCH_PLACES)[rng.integers(0, len(names.BRANCH_PLACES), len(branches))]
    branch_names = []
    for parent, place in zip(firms["parent"].to_numpy()[branches], places, strict=True):
        name = f"{current[parent]}{place}分公司"
        suffix = 2
        while name in taken:
            name = f"{current[parent]}{place}第{suffix}分公司"
            suffix += 1
        taken.add(name)
        branch_names.append(name)
    current[branches] = np.array(branch_names, dtype=object)

    valid_from = pd.to_datetime(established)
    current_rows = pd.DataFrame({"firm": np.arange(n), "name": current, "valid_from": valid_from})
    current_rows.loc[renamed, "valid_from"] = pd.to_datetime(rename_day)
    former_rows = pd.DataFrame(
        {
            "firm": renamed,
            "name": former,
            "valid_from": valid_from[renamed],
            "valid_to": pd.to_datetime(rename_day),
        }
    )
    current_rows["valid_to"] = pd.Series(
        pd.NaT, index=current_rows.index, dtype=former_rows["valid_to"].dtype
    )
    return pd.concat([former_rows, current_rows], ignore_index=True).sort_values(
        ["firm", "valid_from"], ignore_index=True
    )


def _events(config: SimulationConfig, firms: pd.DataFrame) -> pd.DataFrame:
    """Registry life events after establishment: status, district, legal representative, capital."""
    rng = rng_for(config.seed, "world", "events")
    n = len(firms)
    established = firms["established"].to_numpy().astype("datetime64[D]")
    horizon = np.datetime64(config.end, "D")
    frames = []

    def dated(mask: np.ndarray, min_age: int, after_end: int) -> tuple[np.ndarray, np.ndarray]:
        rows = np.flatnonzero(mask)
        low = established[rows] + min_age
        span = np.maximum((horizon + after_end - low).astype(int), 1)
        day = low + (rng.random(len(rows)) * span).astype(int)
        keep = day <= horizon
        return rows[keep], day[keep]

    statuses = np.array(list(TERMINAL_STATUSES))
    status_p = np.array(list(TERMINAL_STATUSES.values()))
    weak = np.clip(0.9 - 0.25 * firms["quality"].to_numpy(), 0.3, 1.6)
    ends = rng.random(n) < status_p.sum() * 2.5 * weak
    rows, day = dated(ends, 180, 8 * 365)
    frames.append(
        pd.DataFrame(
            {
                "firm": rows,
                "day": day,
                "kind": "status",
                "value": statuses[
                    rng.choice(len(statuses), len(rows), p=status_p / status_p.sum())
                ],
            }
        )
    )

    movable = ~firms["type_class"].isin(["branch", "individual"]).to_numpy()
    rows, day = dated(movable & (rng.random(n) < 0.10), 365, 6 * 365)
    area = firms["area_code"].to_numpy()[rows]
    others = np.array([c for c in DISTRICTS if c != HAIDIAN])
    target = np.where(area == HAIDIAN, others[rng.integers(0, len(others), len(rows))], HAIDIAN)
    frames.append(pd.DataFrame({"firm": rows, "day": day, "kind": "district", "value": target}))

    rows, day = dated(rng.random(n) < 0.06, 200, 3 * 365)
    frames.append(
        pd.DataFrame(
            {
                "firm": rows,
                "day": day,
                "kind": "legal_rep",
                "value": names.draw_person_names(rng, len(rows)),
            }
        )
    )

    rows, day = dated(movable & (rng.random(n) < 0.05), 200, 3 * 365)
    capital = firms["capital_wan"].to_numpy()[rows] * rng.choice([0.5, 2.0, 5.0], len(rows))
    frames.append(
        pd.DataFrame(
            {"firm": rows, "day": day, "kind": "capital", "value": np.round(capital, 2).astype(str)}
        )
    )

    events = pd.concat(frames, ignore_index=True)
    events["day"] = pd.to_datetime(events["day"])
    # A firm that has ended has no later events.
    end_day = events[events["kind"] == "status"].set_index("firm")["day"]
    later = events["day"] > events["firm"].map(end_day)
    return events[~later.fillna(False)].sort_values(["day", "firm", "kind"], ignore_index=True)


def _revenue(config: SimulationConfig, firms: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Annual revenue per firm and fiscal year it operated in, and its district at year end."""
    rng = rng_for(config.seed, "world", "revenue")
    n = len(firms)
    years = np.arange(FIRST_REVENUE_YEAR, config.end.year)
    is_tech = firms["is_tech"].to_numpy()
    is_large = firms["is_large"].to_numpy()
    individual = (firms["type_class"] == "individual").to_numpy()
    base = np.where(individual, np.log(3e5), np.where(is_tech, np.log(1.5e7), np.log(2.5e6)))
    base = np.where(is_large, np.log(4e8), base)
    log_revenue = rng.normal(base, np.where(is_large, 0.8, 1.3))
    high_growth = is_tech & (rng.random(n) < 0.35)
    trend = np.where(high_growth, rng.normal(0.22, 0.07, n), rng.normal(0.03, 0.08, n))
    shell = rng.random(n) < 0.04

    established_year = firms["established"].dt.year.to_numpy()
    status = events[events["kind"] == "status"]
    end_year = np.full(n, 9999)
    end_year[status["firm"].to_numpy()] = status["day"].dt.year.to_numpy()

    rows = []
    level = log_revenue.copy()
    for year in years:
        level = level + trend + rng.normal(0, 0.08, n)
        active = (established_year <= year) & (end_year > year)
        revenue = np.where(shell, 0.0, np.round(np.exp(level), 2))
        rows.append(
            pd.DataFrame({"firm": np.flatnonzero(active), "year": year, "revenue": revenue[active]})
        )
    revenue = pd.concat(rows, ignore_index=True)
    # Revenue of the first (partial) year is smaller.
    first = revenue["year"] == established_year[revenue["firm"]]
    revenue.loc[first, "revenue"] = np.round(revenue.loc[first, "revenue"] * 0.4, 2)
    revenue["tax_paid"] = np.round(revenue["revenue"] * rng.uniform(0.01, 0.06, len(revenue)), 2)
    revenue["area_code"] = district_at(
        firms,
        events,
        revenue["firm"].to_numpy(),
        pd.to_datetime(revenue["year"].astype(str) + "-12-31"),
    )
    return revenue


def district_at(
    firms: pd.DataFrame, events: pd.DataFrame, firm: np.ndarray, day: pd.Series
) -> np.ndarray:
    """District (area code) of each firm on each day, from its registration and moves."""
    moves = events[events["kind"] == "district"][["firm", "day", "value"]]
    area = firms["area_code"].to_numpy()[firm].copy()
    if moves.empty:
        return area
    query = pd.DataFrame(
        {
            "firm": firm,
            "day": pd.to_datetime(day).to_numpy().astype("datetime64[s]"),
            "order": np.arange(len(firm)),
        }
    )
    query = query.sort_values("day")
    moves = moves.sort_values("day").rename(columns={"day": "move_day"})
    moves["move_day"] = moves["move_day"].astype("datetime64[s]")
    joined = pd.merge_asof(
        query, moves, left_on="day", right_on="move_day", by="firm", direction="backward"
    )
    joined = joined.sort_values("order")
    moved = joined["value"].notna().to_numpy()
    area[moved] = joined["value"].to_numpy()[moved]
    return area
