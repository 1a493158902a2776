"""List and programme records, dated by the delivery that brings them."""

import numpy as np
import pandas as pd

from sources._shared import names
from sources._shared.calendar import delivered_on, monthly
from sources._shared.random import rng_for
from sources.config import SimulationConfig
from sources.world.generate import World

CERTIFICATES = {"科技型中小企业": 0.75, "高新技术企业": 0.4, "中关村高新技术企业": 0.5}
#: High-growth lists: key → (publisher's list name, (month, day) of publication, size at 140,000
#: firms).
HIGH_GROWTH = {
    "top100": ("中关村高成长企业TOP100", (6, 15), 100),
    "deloitte50": ("德勤中国高成长企业50强", (12, 1), 50),
}
ZGC_TOP10 = ("中关村十大创新成果", "中关村十大优秀创业企业", "中关村十大海归创业企业")
ZGC_TOP10_PUBLISHED = (1, 20)
TALENT_PROGRAMMES = {
    "千人计划": (2009, 2018),
    "海聚工程": (2010, 2024),
    "高聚工程": (2010, 2024),
    "海英计划": (2015, 2025),
}
ASSOCIATION_CATEGORY = "信用良好科技型中小会员企业"
HISTORY_START = pd.Timestamp("2018-01-01")


def _scaled(size_at_default: int, config: SimulationConfig, floor: int) -> int:
    return max(floor, round(size_at_default * config.firms / 140_000))


def _monthly_known(days: pd.Series, config: SimulationConfig, day_of_month: int = 1) -> pd.Series:
    schedule = monthly(config.start, config.end, day_of_month)
    return delivered_on(days, schedule, config.start)


def _quarterly_known(days: pd.Series, config: SimulationConfig, day_of_month: int) -> pd.Series:
    schedule = [
        d for d in monthly(config.start, config.end, day_of_month) if d.month in (1, 4, 7, 10)
    ]
    return delivered_on(days, schedule, config.start)


def _operating_in(world: World, year: int) -> np.ndarray:
    active = world.revenue[world.revenue["year"] == year]["firm"].to_numpy()
    mask = np.zeros(len(world.firms), dtype=bool)
    mask[active] = True
    return mask


def generate_certificates(world: World, config: SimulationConfig) -> pd.DataFrame:
    """Technology-enterprise certificates: cert_no, firm, uscc, name, kind, issue and expiry."""
    rng = rng_for(config.seed, "lists", "certificates")
    firms = world.firms
    tech = np.flatnonzero(firms["is_tech"].to_numpy())
    rows = []
    for year in range(HISTORY_START.year, config.end.year + 1):
        holders = tech[
            (rng.random(len(tech)) < CERTIFICATES["科技型中小企业"])
            & _operating_in(world, min(year, config.end.year - 1))[tech]
        ]
        issued = pd.Timestamp(f"{year}-03-01") + pd.to_timedelta(
            rng.integers(0, 200, len(holders)), unit="D"
        )
        rows.append(
            pd.DataFrame(
                {
                    "firm": holders,
                    "kind": "科技型中小企业",
                    "issued_on": issued,
                    "expires_on": pd.Timestamp(f"{year}-12-31"),
                }
            )
        )
    for kind, years_valid, renew in (("高新技术企业", 3, 0.8), ("中关村高新技术企业", 2, 0.7)):
        holders = tech[rng.random(len(tech)) < CERTIFICATES[kind]]
        issued = pd.Series(
            pd.to_datetime(
                HISTORY_START.to_datetime64()
                - np.timedelta64(3 * 365, "D")
                + rng.integers(0, 4 * 365, len(holders)).astype("timedelta64[D]")
            )
        )
        alive = np.ones(len(holders), dtype=bool)
        while alive.any():
            current = issued[alive]
            expires = current + pd.DateOffset(years=years_valid) - pd.Timedelta(days=1)
            rows.append(
                pd.DataFrame(
                    {
                        "firm": holders[alive],
                        "kind": kind,
                        "issued_on": current.to_numpy(),
                        "expires_on": expires.to_numpy(),
                    }
                )
            )
            issued = (
                issued
                + pd.DateOffset(years=years_valid)
                + pd.to_timedelta(rng.integers(-30, 60, len(holders)), unit="D")
            )
            alive &= (rng.random(len(holders)) < renew) & (
                issued <= pd.Timestamp(config.end)
            ).to_numpy()
    certificates = pd.concat(rows, ignore_index=True)
    certificates = certificates[certificates["issued_on"] <= pd.Timestamp(config.end)]
    certificates = certificates.sort_values(["issued_on", "firm", "kind"], ignore_index=True)
    prefix = certificates["kind"].map(
        {"科技型中小企业": "KX", "高新技术企业": "GR", "中关村高新技术企业": "ZG"}
    )
    certificates["cert_no"] = [
        f"{p}{d:%Y}{i:08d}"
        for i, (p, d) in enumerate(zip(prefix, certificates["issued_on"], strict=True))
    ]
    certificates["uscc"] = firms["uscc"].to_numpy()[certificates["firm"].to_numpy()]
    certificates["name"] = world.name_on(
        certificates["firm"].to_numpy(), certificates["issued_on"].to_numpy()
    )
    certificates["known_date"] = _monthly_known(certificates["issued_on"], config)
    return certificates[certificates["known_date"].notna()].reset_index(drop=True)


def generate_list_entries(world: World, config: SimulationConfig) -> pd.DataFrame:
    """Entries of the high-growth and 中关村十大 lists by edition.

    Columns: list_key, list_name, edition, rank, firm, uscc, name, published_on, known_date.
    """
    rng = rng_for(config.seed, "lists", "high_growth")
    firms = world.firms
    revenue = world.revenue.pivot(index="firm", columns="year", values="revenue")
    tech = firms["is_tech"].to_numpy()
    rows = []
    for year in range(2019, config.end.year + 1):
        prior, base = year - 1, year - 3
        if base not in revenue.columns or prior not in revenue.columns:
            continue
        growth = (revenue[prior] / revenue[base]).replace([np.inf], np.nan)
        score = np.log(growth.reindex(np.arange(len(firms)))).to_numpy() + rng.normal(
            0, 0.3, len(firms)
        )
        score = np.where(
            tech & (revenue[prior].reindex(np.arange(len(firms))).to_numpy() > 5e6), score, np.nan
        )
        ranked = np.argsort(-np.nan_to_num(score, nan=-np.inf))
        for key, (list_name, (month, day), size) in HIGH_GROWTH.items():
            count = _scaled(size, config, 10)
            chosen = (
                ranked[rng.permutation(3 * count)[:count]]
                if key == "deloitte50"
                else ranked[:count]
            )
            rows.append(
                pd.DataFrame(
                    {
                        "list_key": key,
                        "list_name": list_name,
                        "edition": year,
                        "rank": np.arange(1, count + 1),
                        "firm": chosen,
                        "published_on": pd.Timestamp(year=year, month=month, day=day),
                    }
                )
            )
        pool = np.flatnonzero(tech & (firms["established"].dt.year.to_numpy() < year))
        for list_name in ZGC_TOP10:
            count = min(_scaled(10, config, 3), len(pool))
            chosen = pool[rng.choice(len(pool), count, replace=False)]
            rows.append(
                pd.DataFrame(
                    {
                        "list_key": "zgc_top10",
                        "list_name": list_name,
                        "edition": year - 1,
                        "rank": np.arange(1, count + 1),
                        "firm": chosen,
                        "published_on": pd.Timestamp(
                            year=year, month=ZGC_TOP10_PUBLISHED[0], day=ZGC_TOP10_PUBLISHED[1]
                        ),
                    }
                )
            )
    entries = pd.concat(rows, ignore_index=True)
    entries = entries[entries["published_on"] <= pd.Timestamp(config.end)].reset_index(drop=True)
    entries["record_id"] = (
        entries["list_key"].str.upper()
        + "-"
        + entries["edition"].astype(str)
        + "-"
        + entries["list_name"]
        .map({n: i for i, n in enumerate(ZGC_TOP10)})
        .fillna(0)
        .astype(int)
        .astype(str)
        + "-"
        + entries["rank"].astype(str).str.zfill(3)
    )
    entries["uscc"] = firms["uscc"].to_numpy()[entries["firm"].to_numpy()]
    entries["name"] = world.name_on(entries["firm"].to_numpy(), entries["published_on"].to_numpy())
    known = entries["published_on"] + pd.Timedelta(days=3)
    known[entries["published_on"] < pd.Timestamp(config.start)] = pd.Timestamp(config.start)
    entries["known_date"] = known.where(known <= pd.Timestamp(config.end))
    return entries[entries["known_date"].notna()].reset_index(drop=True)


def generate_talents(world: World, config: SimulationConfig) -> pd.DataFrame:
    """Employment spells of programme talents; a spell's end arrives as a new version of its record.

    One row per record version: record_id, person, programme, selected_in, firm, uscc,
    employer_name, started_on, ended_on (None in the version before the end is known), known_date.
    """
    rng = rng_for(config.seed, "lists", "talents")
    firms = world.firms
    tech = np.flatnonzero(firms["is_tech"].to_numpy())
    others = np.flatnonzero(
        firms["type_class"].isin(["llc", "joint_stock"]).to_numpy() & ~firms["is_tech"].to_numpy()
    )
    count = max(20, round(0.35 * len(tech)))
    firm = np.where(
        rng.random(count) < 0.85,
        tech[rng.integers(0, len(tech), count)],
        others[rng.integers(0, len(others), count)],
    )
    programmes = list(TALENT_PROGRAMMES)
    programme = np.array(programmes)[rng.integers(0, len(programmes), count)]
    selected = np.array(
        [rng.integers(TALENT_PROGRAMMES[p][0], TALENT_PROGRAMMES[p][1] + 1) for p in programme]
    )
    low = np.maximum(firms["established"].to_numpy()[firm], np.datetime64("2015-01-01"))
    span = np.maximum((np.datetime64(config.end) - low).astype("timedelta64[D]").astype(int), 1)
    started = pd.Series(
        pd.to_datetime(low + (rng.random(count) * span).astype(int).astype("timedelta64[D]"))
    )
    ended = started + pd.to_timedelta(rng.integers(365, 5 * 365, count), unit="D")
    ended = ended.where((rng.random(count) < 0.35) & (ended <= pd.Timestamp(config.end)))
    spells = pd.DataFrame(
        {
            "record_id": [f"RC{i + 1:07d}" for i in range(count)],
            "person": names.draw_person_names(rng, count),
            "programme": programme,
            "selected_in": selected,
            "firm": firm,
            "started_on": started,
            "ended_on": ended,
        }
    )
    spells["uscc"] = firms["uscc"].to_numpy()[firm]
    spells["employer_name"] = world.name_on(firm, started.to_numpy())
    spells["start_known"] = _quarterly_known(spells["started_on"], config, 15)
    spells["end_known"] = _quarterly_known(
        spells["ended_on"].fillna(pd.Timestamp("2100-01-01")), config, 15
    )
    spells = spells[spells["start_known"].notna()]
    first = spells.assign(known_date=spells["start_known"])
    first.loc[first["end_known"] > first["start_known"], "ended_on"] = pd.NaT
    second = spells[
        spells["end_known"].notna() & (spells["end_known"] > spells["start_known"])
    ].assign(known_date=lambda f: f["end_known"])
    versions = pd.concat([first, second], ignore_index=True).drop(
        columns=["start_known", "end_known"]
    )
    return versions.sort_values(["known_date", "record_id"], ignore_index=True)


def _recommended_firms(
    rng: np.random.Generator,
    world: World,
    config: SimulationConfig,
    tech_rate: float,
    other_rate: float,
) -> tuple[np.ndarray, pd.Series]:
    """Companies recommended at yearly rates (higher for technology firms), and the dates."""
    firms = world.firms
    eligible = firms["type_class"].isin(["llc", "joint_stock"]).to_numpy()
    years = (pd.Timestamp(config.end) - HISTORY_START).days / 365.25
    per_firm = rng.poisson(
        np.where(eligible, np.where(firms["is_tech"].to_numpy(), tech_rate, other_rate) * years, 0)
    )
    firm = np.repeat(np.arange(len(firms)), per_firm)
    low = np.maximum(firms["established"].to_numpy()[firm], HISTORY_START.to_datetime64())
    span = (np.datetime64(config.end) - low).astype("timedelta64[D]").astype(int)
    firm, low, span = firm[span > 0], low[span > 0], span[span > 0]
    recommended = pd.Series(
        pd.to_datetime(low + (rng.random(len(firm)) * span).astype(int).astype("timedelta64[D]"))
    )
    return firm, recommended


def generate_incubators(
    world: World, config: SimulationConfig
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Recognised incubators (one row per record version) and their recommendations of firms."""
    rng = rng_for(config.seed, "lists", "incubators")
    count = _scaled(60, config, 5)
    trade = names.draw_trade_names(rng, count)
    incubator_names = [f"北京{t}科技企业孵化器有限公司" for t in dict.fromkeys(trade)]
    count = len(incubator_names)
    recognised = pd.Series(
        pd.to_datetime(
            np.datetime64("2010-01-01") + rng.integers(0, 16 * 365, count).astype("timedelta64[D]")
        )
    )
    revoked = recognised + pd.to_timedelta(rng.integers(2 * 365, 8 * 365, count), unit="D")
    revoked = revoked.where((rng.random(count) < 0.2) & (revoked <= pd.Timestamp(config.end)))
    incubators = pd.DataFrame(
        {
            "incubator_id": [f"FHQ{i + 1:04d}" for i in range(count)],
            "incubator_name": incubator_names,
            "recognised_on": recognised,
            "revoked_on": revoked,
        }
    )
    incubators["recognition_known"] = _monthly_known(incubators["recognised_on"], config)
    incubators["revocation_known"] = _monthly_known(
        incubators["revoked_on"].fillna(pd.Timestamp("2100-01-01")), config
    )
    first = incubators[incubators["recognition_known"].notna()].assign(
        known_date=lambda f: f["recognition_known"]
    )
    first.loc[first["revocation_known"] > first["recognition_known"], "revoked_on"] = pd.NaT
    second = incubators[
        incubators["revocation_known"].notna()
        & (incubators["revocation_known"] > incubators["recognition_known"])
    ].assign(known_date=lambda f: f["revocation_known"])
    versions = pd.concat([first, second], ignore_index=True).drop(
        columns=["recognition_known", "revocation_known"]
    )
    versions = versions.sort_values(["known_date", "incubator_id"], ignore_index=True)

    firms = world.firms
    firm, recommended = _recommended_firms(rng, world, config, tech_rate=0.05, other_rate=0.004)
    # Most recommendations come from an incubator recognised on the day; some do not.
    picks = rng.integers(0, count, (len(firm), 4))
    rec_np = recommended.to_numpy()
    ok = (recognised.to_numpy()[picks] <= rec_np[:, None]) & ~(
        revoked.to_numpy()[picks] <= rec_np[:, None]
    )
    first_ok = np.where(ok.any(axis=1), picks[np.arange(len(firm)), ok.argmax(axis=1)], picks[:, 0])
    chosen = np.where(rng.random(len(firm)) < 0.88, first_ok, picks[:, 0])
    recommendations = pd.DataFrame(
        {
            "firm": firm,
            "recommended_on": recommended,
            "incubator_name": np.array(incubator_names)[chosen],
        }
    )
    recommendations = recommendations.sort_values(["recommended_on", "firm"], ignore_index=True)
    recommendations["record_id"] = [
        f"FHTJ{d:%Y}{i + 1:06d}" for i, d in enumerate(recommendations["recommended_on"])
    ]
    recommendations["uscc"] = firms["uscc"].to_numpy()[recommendations["firm"].to_numpy()]
    recommendations["name"] = world.name_on(
        recommendations["firm"].to_numpy(), recommendations["recommended_on"].to_numpy()
    )
    recommendations["known_date"] = _monthly_known(recommendations["recommended_on"], config)
    return versions, recommendations[recommendations["known_date"].notna()].reset_index(drop=True)


def generate_association_recommendations(world: World, config: SimulationConfig) -> pd.DataFrame:
    """Recommendations by 海淀区私营个体经济协会 of credit-sound technology SME members."""
    rng = rng_for(config.seed, "lists", "association")
    firms = world.firms
    firm, recommended = _recommended_firms(rng, world, config, tech_rate=0.03, other_rate=0.003)
    picks = pd.DataFrame({"firm": firm, "recommended_on": recommended}).sort_values(
        ["recommended_on", "firm"], ignore_index=True
    )
    picks["record_id"] = [f"XH{d:%Y}{i + 1:06d}" for i, d in enumerate(picks["recommended_on"])]
    picks["uscc"] = firms["uscc"].to_numpy()[picks["firm"].to_numpy()]
    picks["name"] = world.name_on(picks["firm"].to_numpy(), picks["recommended_on"].to_numpy())
    picks["known_date"] = _quarterly_known(picks["recommended_on"], config, 5)
    return picks[picks["known_date"].notna()].reset_index(drop=True)
