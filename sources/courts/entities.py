"""Court cases, their parties and dishonest-debtor listings, dated by their daily delivery."""

import numpy as np
import pandas as pd

from sources._shared import names
from sources._shared.random import rng_for
from sources.config import SimulationConfig
from sources.world.entities import DISTRICTS
from sources.world.generate import World

HISTORY_START = pd.Timestamp("2018-01-01")
#: Causes whose judgment against a firm as defendant disqualifies it from the Haifan list (M2).
FRAUD_CAUSES = ("合同诈骗", "骗取贷款", "贷款诈骗", "票据诈骗", "虚开增值税专用发票", "诈骗")
CIVIL_CAUSES = (
    "买卖合同纠纷",
    "借款合同纠纷",
    "金融借款合同纠纷",
    "劳动争议",
    "房屋租赁合同纠纷",
    "服务合同纠纷",
    "技术合同纠纷",
)
BANKS = (
    "中国工商银行股份有限公司北京海淀支行",
    "中国建设银行股份有限公司北京中关村分行",
    "北京银行股份有限公司中关村分行",
    "招商银行股份有限公司北京分行",
    "北京农村商业银行股份有限公司海淀支行",
)
#: Court code in case numbers per district (京0108 is the Haidian court).
COURT_CODES = {code: f"京{code[2:]}" for code in DISTRICTS}


def court_name(area_code: str) -> str:
    """The district court of an area."""
    return f"北京市{DISTRICTS[area_code]}人民法院"


def _known(days: pd.Series, config: SimulationConfig) -> pd.Series:
    """Delivered the day after publication; the initial extract brings what was published before."""
    known = days + pd.Timedelta(days=1)
    known[days < pd.Timestamp(config.start)] = pd.Timestamp(config.start)
    return known.where(known <= pd.Timestamp(config.end))


def generate_cases(world: World, config: SimulationConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cases (one row each) and their parties (one row per party), with ``known_date`` on cases.

    Parties carry ``firm`` (the world firm, or -1 for persons, banks and prosecutors).
    """
    rng = rng_for(config.seed, "courts", "cases")
    firms = world.firms
    n = len(firms)
    weak = np.exp(-0.6 * firms["quality"].to_numpy())
    civil = np.flatnonzero(rng.random(n) < np.clip(0.05 * weak, 0, 0.6))
    civil = np.concatenate([civil, civil[rng.random(len(civil)) < 0.4]])
    fraud = np.flatnonzero(rng.random(n) < np.clip(0.006 * weak**1.5, 0, 0.2))
    defendant = np.concatenate([civil, fraud])
    is_fraud = np.concatenate([np.zeros(len(civil), bool), np.ones(len(fraud), bool)])
    low = np.maximum(
        firms["established"].to_numpy()[defendant] + np.timedelta64(60, "D"),
        HISTORY_START.to_datetime64(),
    )
    span = np.maximum((np.datetime64(config.end) - low).astype("timedelta64[D]").astype(int), 1)
    filed = pd.to_datetime(
        low + pd.to_timedelta((rng.random(len(defendant)) * span).astype(int), unit="D").to_numpy()
    )
    judged = filed + pd.to_timedelta(rng.integers(60, 400, len(defendant)), unit="D")
    published = judged + pd.to_timedelta(rng.integers(7, 60, len(defendant)), unit="D")
    cases = pd.DataFrame(
        {
            "defendant": defendant,
            "is_fraud": is_fraud,
            "filed_on": filed,
            "judged_on": judged,
            "published_on": published,
        }
    )
    cases["known_date"] = _known(cases["published_on"], config)
    cases = cases[cases["known_date"].notna()].sort_values(
        ["known_date", "filed_on", "defendant"], ignore_index=True
    )
    m = len(cases)
    area = firms["area_code"].to_numpy()[cases["defendant"].to_numpy()]
    cases["court"] = [court_name(a) for a in area]
    kind = np.where(cases["is_fraud"], "刑初", "民初")
    cases["case_type"] = np.where(cases["is_fraud"], "刑事一审", "民事一审")
    cases["cause"] = np.where(
        cases["is_fraud"],
        np.array(FRAUD_CAUSES)[rng.integers(0, len(FRAUD_CAUSES), m)],
        np.array(CIVIL_CAUSES)[rng.integers(0, len(CIVIL_CAUSES), m)],
    )
    cases["amount"] = np.round(np.exp(rng.normal(np.log(3e5), 1.2, m)), 2)
    sequence = cases.groupby([area, cases["filed_on"].dt.year, kind]).cumcount().to_numpy() + 1
    cases["case_no"] = [
        f"（{d.year}）{COURT_CODES[a]}{k}{s + 1000 * (k == '刑初')}号"
        for d, a, k, s in zip(cases["filed_on"], area, kind, sequence, strict=True)
    ]
    cases["doc_id"] = [f"{x:016x}{i:06d}" for i, x in enumerate(rng.integers(0, 2**62, m))]
    return cases, _parties(world, cases, rng)


def _parties(world: World, cases: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    m = len(cases)
    firms = world.firms
    plaintiff_kind = rng.choice(3, m, p=[0.4, 0.2, 0.4])  # person, bank, world firm
    plaintiff_firm = rng.integers(0, len(firms), m)
    persons = names.draw_person_names(rng, m)
    banks = np.array(BANKS, dtype=object)[rng.integers(0, len(BANKS), m)]
    fraud = cases["is_fraud"].to_numpy()
    prosecutor = np.array(
        [c.replace("人民法院", "人民检察院") for c in cases["court"]], dtype=object
    )
    first = pd.DataFrame(
        {
            "case": np.arange(m),
            "position": 0,
            "role": np.where(fraud, "公诉机关", "原告"),
            "party_type": np.where(
                fraud | (plaintiff_kind == 1),
                "法人",
                np.where(plaintiff_kind == 0, "自然人", "法人"),
            ),
            "firm": np.where(~fraud & (plaintiff_kind == 2), plaintiff_firm, -1),
            "name": np.where(fraud, prosecutor, np.where(plaintiff_kind == 0, persons, banks)),
        }
    )
    second = pd.DataFrame(
        {
            "case": np.arange(m),
            "position": 1,
            "role": np.where(fraud, "被告单位", "被告"),
            "party_type": "法人",
            "firm": cases["defendant"].to_numpy(),
            "name": None,
        }
    )
    third = pd.DataFrame(
        {
            "case": np.flatnonzero(fraud),
            "position": 2,
            "role": "被告人",
            "party_type": "自然人",
            "firm": -1,
            "name": firms["rep_name"].to_numpy()[cases["defendant"].to_numpy()[fraud]],
        }
    )
    parties = pd.concat([first, second, third], ignore_index=True).sort_values(
        ["case", "position"], ignore_index=True
    )
    is_firm = parties["firm"].to_numpy() >= 0
    filed = cases["filed_on"].to_numpy()[parties["case"].to_numpy()]
    firm_names = world.name_on(parties["firm"].to_numpy()[is_firm], filed[is_firm])
    parties.loc[is_firm, "name"] = firm_names
    parties["uscc"] = np.where(
        is_firm, firms["uscc"].to_numpy()[np.maximum(parties["firm"].to_numpy(), 0)], None
    )
    parties["doc_id"] = cases["doc_id"].to_numpy()[parties["case"].to_numpy()]
    parties["record_id"] = parties["doc_id"] + "#" + parties["position"].astype(str)
    return parties


def generate_dishonest(world: World, config: SimulationConfig) -> pd.DataFrame:
    """Listing and deletion events of the dishonest-debtor list (失信被执行人)."""
    rng = rng_for(config.seed, "courts", "dishonest")
    firms = world.firms
    weak = np.exp(-0.6 * firms["quality"].to_numpy())
    rows = np.flatnonzero(rng.random(len(firms)) < np.clip(0.012 * weak, 0, 0.3))
    low = np.maximum(
        firms["established"].to_numpy()[rows] + np.timedelta64(365, "D"),
        HISTORY_START.to_datetime64(),
    )
    span = np.maximum((np.datetime64(config.end) - low).astype("timedelta64[D]").astype(int), 1)
    listed = pd.to_datetime(
        low + pd.to_timedelta((rng.random(len(rows)) * span).astype(int), unit="D").to_numpy()
    )
    deleted = listed + pd.to_timedelta(rng.integers(180, 730, len(rows)), unit="D")
    deleted = deleted.where(rng.random(len(rows)) < 0.5)
    area = firms["area_code"].to_numpy()[rows]
    spells = pd.DataFrame(
        {
            "firm": rows,
            "listed_on": listed,
            "deleted_on": deleted,
            "court": [court_name(a) for a in area],
            "enforcement_no": [
                f"（{d.year}）{COURT_CODES[a]}执{i + 1}号"
                for i, (d, a) in enumerate(zip(listed, area, strict=True))
            ],
            "code_kind": rng.choice(
                3, len(rows), p=[0.85, 0.10, 0.05]
            ),  # USCC, organisation code, none
        }
    )
    spells["dishonest_id"] = [f"SX{d:%Y}{i:07d}" for i, d in enumerate(spells["listed_on"])]
    entries = spells.assign(event="发布", day=spells["listed_on"])
    removals = spells[spells["deleted_on"].notna()].assign(
        event="删除", day=lambda f: f["deleted_on"]
    )
    events = pd.concat([entries, removals], ignore_index=True)
    events = events[events["day"] <= pd.Timestamp(config.end)].copy()
    events["known_date"] = _known(events["day"], config)
    events = events[events["known_date"].notna()]
    events["uscc"] = firms["uscc"].to_numpy()[events["firm"].to_numpy()]
    events["name"] = world.name_on(events["firm"].to_numpy(), events["listed_on"].to_numpy())
    events["record_id"] = events["dishonest_id"].astype(object) + np.where(
        events["event"] == "发布", "-P", "-D"
    ).astype(object)
    return events.sort_values(["known_date", "record_id"], ignore_index=True)
