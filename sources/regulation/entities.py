"""List entries, removals and administrative penalties, dated by their weekly delivery."""

import numpy as np
import pandas as pd

from sources._shared.calendar import delivered_on, weekly
from sources._shared.random import rng_for
from sources.config import SimulationConfig
from sources.world.entities import DISTRICTS
from sources.world.generate import World

HISTORY_START = pd.Timestamp("2018-01-01")
ABNORMAL_REASONS = (
    "通过登记的住所或者经营场所无法联系",
    "未按规定期限公示年度报告",
    "公示企业信息隐瞒真实情况、弄虚作假",
)
SERIOUS_REASONS = (
    "被列入经营异常名录届满3年仍未履行相关义务",
    "提交虚假材料或者采取其他欺诈手段隐瞒重要事实",
)
#: Violation types of administrative penalties; 骗取财政补贴 disqualifies from the Haifan list (M2).
SUBSIDY_FRAUD = "骗取财政补贴"
VIOLATIONS = {
    "虚假宣传": 0.3,
    "未按规定公示信息": 0.25,
    "无照经营": 0.15,
    "产品质量不合格": 0.2,
    SUBSIDY_FRAUD: 0.1,
}


def delivery_days(config: SimulationConfig) -> list:
    """Weekly (Monday) delivery days of the period."""
    return weekly(config.start, config.end, 0)


def _known(days: pd.Series, config: SimulationConfig) -> pd.Series:
    """Delivery of an event: the first Monday after it; the initial extract for earlier ones."""
    return delivered_on(days, delivery_days(config), config.start)


def _spells(
    world: World,
    config: SimulationConfig,
    rng: np.random.Generator,
    rate: np.ndarray,
    min_days: int,
    max_days: int,
    removed_share: float,
) -> pd.DataFrame:
    """Listing spells: listed on a day, perhaps removed some days later."""
    firms = world.firms
    rows = np.flatnonzero(rng.random(len(firms)) < rate)
    low = np.maximum(
        firms["established"].to_numpy()[rows] + np.timedelta64(180, "D"),
        HISTORY_START.to_datetime64(),
    )
    span = np.maximum((np.datetime64(config.end) - low).astype("timedelta64[D]").astype(int), 1)
    listed = low + pd.to_timedelta((rng.random(len(rows)) * span).astype(int), unit="D").to_numpy()
    removed = (
        listed + pd.to_timedelta(rng.integers(min_days, max_days, len(rows)), unit="D").to_numpy()
    )
    removed = np.where(rng.random(len(rows)) < removed_share, removed, np.datetime64("NaT"))
    return pd.DataFrame(
        {"firm": rows, "listed_on": pd.to_datetime(listed), "removed_on": pd.to_datetime(removed)}
    )


def _events(
    world: World,
    config: SimulationConfig,
    spells: pd.DataFrame,
    prefix: str,
    reasons: tuple[str, ...],
    rng: np.random.Generator,
) -> pd.DataFrame:
    spells = spells.reset_index(drop=True)
    spells["listing_id"] = [f"{prefix}{d:%Y}{i:07d}" for i, d in enumerate(spells["listed_on"])]
    entries = spells.assign(
        event="列入",
        day=spells["listed_on"],
        reason=np.array(reasons)[rng.integers(0, len(reasons), len(spells))],
    )
    removals = spells[spells["removed_on"].notna()].assign(
        event="移出", day=lambda f: f["removed_on"], reason="已履行相关义务，申请移出"
    )
    events = pd.concat([entries, removals], ignore_index=True)
    events = events[events["day"] <= pd.Timestamp(config.end)].copy()
    events["known_date"] = _known(events["day"], config)
    events = events[events["known_date"].notna()]
    area = world.firms["area_code"].to_numpy()[events["firm"].to_numpy()]
    events["authority"] = ["北京市" + DISTRICTS[a] + "市场监督管理局" for a in area]
    events["uscc"] = world.firms["uscc"].to_numpy()[events["firm"].to_numpy()]
    events["name"] = world.name_on(events["firm"].to_numpy(), events["day"].to_numpy())
    events["event_id"] = events["listing_id"].astype(object) + np.where(
        events["event"] == "列入", "-L", "-R"
    ).astype(object)
    return events.sort_values(["known_date", "day", "event_id"], ignore_index=True)


def generate_list_events(
    world: World, config: SimulationConfig
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Entry and removal events of the abnormal-operations and serious-illegal lists."""
    rng = rng_for(config.seed, "regulation", "lists")
    weak = np.exp(-0.6 * world.firms["quality"].to_numpy())
    abnormal = _spells(world, config, rng, np.clip(0.07 * weak, 0, 0.5), 30, 540, 0.6)
    serious = _spells(world, config, rng, np.clip(0.004 * weak, 0, 0.1), 3 * 365, 4 * 365, 0.5)
    return (
        _events(world, config, abnormal, "JYYC", ABNORMAL_REASONS, rng),
        _events(world, config, serious, "YZWF", SERIOUS_REASONS, rng),
    )


def generate_penalties(world: World, config: SimulationConfig) -> pd.DataFrame:
    """Administrative penalties: penalty_id, firm, uscc, name, violation, fine, decided_on."""
    rng = rng_for(config.seed, "regulation", "penalties")
    spells = _spells(world, config, rng, np.full(len(world.firms), 0.03), 1, 2, 0.0)
    penalties = spells.rename(columns={"listed_on": "decided_on"}).drop(columns="removed_on")
    penalties = penalties[penalties["decided_on"] <= pd.Timestamp(config.end)].reset_index(
        drop=True
    )
    kinds = list(VIOLATIONS)
    shares = np.array(list(VIOLATIONS.values()))
    penalties["violation"] = np.array(kinds)[rng.choice(len(kinds), len(penalties), p=shares)]
    penalties["fine"] = rng.integers(1, 200, len(penalties)) * 1000
    area = world.firms["area_code"].to_numpy()[penalties["firm"].to_numpy()]
    penalties["authority"] = ["北京市" + DISTRICTS[a] + "市场监督管理局" for a in area]
    short = [DISTRICTS[a][0] for a in area]
    penalties["penalty_id"] = [
        f"京{s}市监罚〔{d:%Y}〕{i + 1:05d}号"
        for i, (s, d) in enumerate(zip(short, penalties["decided_on"], strict=True))
    ]
    penalties["uscc"] = world.firms["uscc"].to_numpy()[penalties["firm"].to_numpy()]
    penalties["name"] = world.name_on(
        penalties["firm"].to_numpy(), penalties["decided_on"].to_numpy()
    )
    penalties["known_date"] = _known(penalties["decided_on"], config)
    return penalties[penalties["known_date"].notna()].sort_values(
        ["known_date", "penalty_id"], ignore_index=True
    )
