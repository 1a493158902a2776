"""Deliver registry records as the registry's GBK CSV extracts (pinyin-initial column names)."""

import numpy as np
import pandas as pd

from sources._shared import defects
from sources._shared.calendar import iso_dates
from sources._shared.landing import Landing
from sources._shared.random import rng_for
from sources.config import SimulationConfig
from sources.registry.entities import RegistryRecords
from sources.world.entities import DISTRICTS

SOURCE = "registry"
ENCODING = "gbk"


def _enterprise_rows(frame: pd.DataFrame) -> pd.DataFrame:
    district = frame["area_code"].map(DISTRICTS)
    return pd.DataFrame(
        {
            "TYSHXYDM": frame["uscc"],
            "QYMC": frame["name"],
            "QYLX": frame["type_label"],
            "DJZT": frame["status"],
            "SSQX": district,
            "DJJG": "北京市" + district + "市场监督管理局",
            "HYDM": frame["industry_code"],
            "HYMC": frame["industry_name"],
            "ZCZB": frame["capital_wan"],
            "CLRQ": iso_dates(frame["established"]),
            "FDDBR": frame["rep_name"],
            "FDDBRZJHM": frame["rep_id"],
            "LXDH": frame["rep_phone"],
            "CYRS": frame["employees"],
            "LSQYTYSHXYDM": frame["parent_uscc"],
            "_uscc": frame["uscc"],
        }
    )


def deliver_registry(records: RegistryRecords, landing: Landing, config: SimulationConfig) -> None:
    """Write the initial extract and one delivery per day of the period."""
    rng = rng_for(config.seed, "registry", "deliver")
    start = pd.Timestamp(config.start)
    full_id = f"{start:%Y-%m-%d}"

    initial = records.enterprises[records.enterprises["known_date"] == start]
    rows = _enterprise_rows(initial).reset_index(drop=True)
    defects.blank_optional(rows, ["LXDH", "CYRS", "HYDM"], rng, config.rate("missing_value"))
    undecodable = rng.choice(len(rows), int(config.rate("undecodable_row")), replace=False)
    defects.mark(rows, np.sort(undecodable), "undecodable_row", "QYMC bytes not GBK")
    landing.csv(
        SOURCE,
        full_id,
        "enterprises.csv",
        rows,
        feed="registry.enterprises",
        id_column="TYSHXYDM",
        encoding=ENCODING,
        kind="full",
        undecodable=frozenset(int(i) for i in undecodable),
    )

    history = pd.DataFrame(
        {
            "TYSHXYDM": records.name_history["uscc"],
            "CYM": records.name_history["name"],
            "QSRQ": iso_dates(records.name_history["valid_from"]),
            "ZZRQ": iso_dates(records.name_history["valid_to"]),
        }
    )
    landing.csv(
        SOURCE,
        full_id,
        "name_history.csv",
        history,
        feed="registry.name_history",
        id_column="TYSHXYDM",
        encoding=ENCODING,
        kind="full",
    )

    # Rows are formatted once for the whole period, then cut into daily deliveries.
    new_firms = records.enterprises[records.enterprises["known_date"] > start].reset_index(
        drop=True
    )
    firm_rows = _enterprise_rows(new_firms).assign(_known=new_firms["known_date"].to_numpy())
    changes = records.changes
    log = pd.DataFrame(
        {
            "BGID": changes["change_id"],
            "TYSHXYDM": changes["uscc"],
            "BGSX": changes["item"],
            "BGQNR": changes["before"],
            "BGHNR": changes["after"],
            "HZRQ": iso_dates(changes["day"]),
            "_uscc": changes["uscc"],
            "_known": changes["known_date"],
        }
    ).reset_index(drop=True)
    defects.mark(
        log,
        np.flatnonzero(changes["is_late"].to_numpy()),
        "late_record",
        "delivered days after the change",
    )
    log = defects.duplicate_rows(log, rng, config.rate("duplicate_row"))
    firms_by_day = dict(tuple(firm_rows.groupby("_known")))
    log_by_day = dict(tuple(log.groupby("_known")))
    for day in pd.date_range(start + pd.Timedelta(days=1), pd.Timestamp(config.end)):
        delivery_id = f"{day:%Y-%m-%d}"
        landing.csv(
            SOURCE,
            delivery_id,
            "enterprises.csv",
            firms_by_day.get(day, firm_rows.iloc[:0]),
            feed="registry.enterprises",
            id_column="TYSHXYDM",
            encoding=ENCODING,
        )
        landing.csv(
            SOURCE,
            delivery_id,
            "changes.csv",
            log_by_day.get(day, log.iloc[:0]),
            feed="registry.changes",
            id_column="BGID",
            encoding=ENCODING,
        )
