"""Deliver lists and programmes: CSV files and the association's and Deloitte's workbooks."""

import numpy as np
import pandas as pd

from sources._shared import defects
from sources._shared.calendar import iso_dates, styled_dates
from sources._shared.landing import Landing
from sources._shared.random import rng_for
from sources.config import SimulationConfig
from sources.world.generate import World

SOURCE = "lists"


def _delivery_id(day: pd.Timestamp, feed: str) -> str:
    return f"{pd.Timestamp(day):%Y-%m-%d}_{feed}"


def _damage_names(
    rows: pd.DataFrame,
    column: str,
    group: pd.DataFrame,
    day_column: str,
    world: World,
    rng: np.random.Generator,
    config: SimulationConfig,
) -> pd.DataFrame:
    """Name-keyed rows: former names and spelling variants at their rates."""
    rows = rows.assign(
        _uscc=group["uscc"].to_numpy(),
        _firm=group["firm"].to_numpy(),
        _day=group[day_column].to_numpy(),
        _known=group["known_date"].to_numpy(),
    )
    defects.use_former_names(rows, column, world.names, rng, config.rate("former_name"))
    defects.vary_names(rows, column, rng, config.defect_rates)
    return rows


def _kind(day: pd.Timestamp, config: SimulationConfig) -> str:
    return "full" if day == pd.Timestamp(config.start) else "incremental"


def deliver_lists(
    certificates: pd.DataFrame,
    entries: pd.DataFrame,
    talents: pd.DataFrame,
    incubators: pd.DataFrame,
    recommendations: pd.DataFrame,
    association: pd.DataFrame,
    world: World,
    landing: Landing,
    config: SimulationConfig,
) -> None:
    """Write every list's deliveries."""
    rng = rng_for(config.seed, "lists", "deliver")
    for day, group in certificates.groupby("known_date", sort=True):
        rows = pd.DataFrame(
            {
                "证书编号": group["cert_no"],
                "企业名称": group["name"],
                "统一社会信用代码": group["uscc"],
                "证书类型": group["kind"],
                "发证日期": iso_dates(group["issued_on"]),
                "有效期至": iso_dates(group["expires_on"]),
                "_uscc": group["uscc"],
            }
        ).reset_index(drop=True)
        defects.corrupt_codes(rows, "统一社会信用代码", rng, config.defect_rates)
        landing.csv(
            SOURCE,
            _delivery_id(day, "certificates"),
            "certificates.csv",
            rows,
            feed="lists.certificates",
            id_column="证书编号",
            kind=_kind(day, config),
        )

    for (key, day), group in entries.groupby(["list_key", "known_date"], sort=True):
        group = group.reset_index(drop=True)
        delivery_id = _delivery_id(day, key)
        if key == "top100":
            rows = _damage_names(
                pd.DataFrame(
                    {
                        "记录编号": group["record_id"],
                        "年度": group["edition"],
                        "排名": group["rank"],
                        "企业名称": group["name"],
                    }
                ),
                "企业名称",
                group,
                "published_on",
                world,
                rng,
                config,
            )
            landing.csv(
                SOURCE,
                delivery_id,
                "high_growth_top100.csv",
                rows,
                feed="lists.top100",
                id_column="记录编号",
                kind=_kind(day, config),
            )
        elif key == "deloitte50":
            rows = _damage_names(
                pd.DataFrame(
                    {
                        "记录编号": group["record_id"],
                        "届次": group["edition"],
                        "排名": group["rank"],
                        "公司名称": group["name"],
                        "所在城市": "北京",
                    }
                ),
                "公司名称",
                group,
                "published_on",
                world,
                rng,
                config,
            )
            landing.xlsx(
                SOURCE,
                delivery_id,
                "deloitte_fast50.xlsx",
                {"榜单": rows},
                feed="lists.deloitte50",
                id_column="记录编号",
                kind=_kind(day, config),
            )
        else:
            rows = _damage_names(
                pd.DataFrame(
                    {
                        "记录编号": group["record_id"],
                        "评选名称": group["list_name"],
                        "年度": group["edition"],
                        "序号": group["rank"],
                        "企业名称": group["name"],
                    }
                ),
                "企业名称",
                group,
                "published_on",
                world,
                rng,
                config,
            )
            landing.csv(
                SOURCE,
                delivery_id,
                "zgc_top10.csv",
                rows,
                feed="lists.zgc_top10",
                id_column="记录编号",
                kind=_kind(day, config),
            )

    for day, group in talents.groupby("known_date", sort=True):
        group = group.reset_index(drop=True)
        rows = _damage_names(
            pd.DataFrame(
                {
                    "记录编号": group["record_id"],
                    "姓名": group["person"],
                    "入选计划": group["programme"],
                    "入选年份": group["selected_in"],
                    "工作单位": group["employer_name"],
                    "入职日期": iso_dates(group["started_on"]),
                    "离职日期": iso_dates(group["ended_on"]),
                }
            ),
            "工作单位",
            group,
            "started_on",
            world,
            rng,
            config,
        )
        landing.csv(
            SOURCE,
            _delivery_id(day, "talents"),
            "talents.csv",
            rows,
            feed="lists.talents",
            id_column="记录编号",
            kind=_kind(day, config),
        )

    incubators_by_day = dict(tuple(incubators.groupby("known_date")))
    recommendations_by_day = dict(tuple(recommendations.groupby("known_date")))
    for day in sorted(set(incubators_by_day) | set(recommendations_by_day)):
        delivery_id = _delivery_id(day, "incubators")
        group = incubators_by_day.get(day, incubators.iloc[:0])
        rows = pd.DataFrame(
            {
                "孵化器编号": group["incubator_id"],
                "孵化器名称": group["incubator_name"],
                "认定日期": iso_dates(group["recognised_on"]),
                "撤销认定日期": iso_dates(group["revoked_on"]),
            }
        )
        landing.csv(
            SOURCE,
            delivery_id,
            "incubators.csv",
            rows,
            feed="lists.incubators",
            id_column="孵化器编号",
            kind=_kind(day, config),
        )
        group = recommendations_by_day.get(day, recommendations.iloc[:0]).reset_index(drop=True)
        rows = _damage_names(
            pd.DataFrame(
                {
                    "推荐编号": group["record_id"],
                    "孵化器名称": group["incubator_name"],
                    "被推荐企业名称": group["name"],
                    "推荐日期": iso_dates(group["recommended_on"]),
                }
            ),
            "被推荐企业名称",
            group,
            "recommended_on",
            world,
            rng,
            config,
        )
        landing.csv(
            SOURCE,
            delivery_id,
            "incubator_recommendations.csv",
            rows,
            feed="lists.incubator_recommendations",
            id_column="推荐编号",
            kind=_kind(day, config),
        )

    for day, group in association.groupby("known_date", sort=True):
        group = group.reset_index(drop=True)
        rows = _damage_names(
            pd.DataFrame(
                {
                    "推荐编号": group["record_id"],
                    "会员企业名称": group["name"],
                    "推荐类别": "信用良好科技型中小会员企业",
                    "推荐日期": styled_dates(group["recommended_on"], "dot"),
                }
            ),
            "会员企业名称",
            group,
            "recommended_on",
            world,
            rng,
            config,
        )
        landing.xlsx(
            SOURCE,
            _delivery_id(day, "association"),
            "association_recommendations.xlsx",
            {"推荐名单": rows},
            feed="lists.association_recommendations",
            id_column="推荐编号",
            kind=_kind(day, config),
        )
