"""The daily schedule: refresh the database-fed raw table, rebuild the models, resolve mentions."""

import dagster as dg

from pipelines.defs.ingestion.assets import DATABASE_FEED, raw_asset_key
from pipelines.defs.resolution.assets import entity_resolutions
from pipelines.defs.transformation.dbt import dbt_models
from pipelines.lib.contract import load_contract
from pipelines.lib.raw_tables import raw_table_name

_FEED = load_contract()[DATABASE_FEED]

#: Delivery folders are loaded by the landing-zone sensor as they arrive; the nightly job reads
#: the source database, rebuilds the models on everything loaded by then and resolves the new
#: mentions with the latest entity-resolution model (retrained by its own weekly schedule).
daily_refresh_job = dg.define_asset_job(
    "daily_refresh_job",
    selection=dg.AssetSelection.assets(raw_asset_key(_FEED, raw_table_name(_FEED, _FEED.table)))
    | dg.AssetSelection.assets(dbt_models)
    | dg.AssetSelection.assets(entity_resolutions),
)

daily_refresh_schedule = dg.ScheduleDefinition(
    job=daily_refresh_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)


@dg.definitions
def schedules() -> dg.Definitions:
    """The nightly refresh job and its 02:00 (Asia/Shanghai) schedule."""
    return dg.Definitions(jobs=[daily_refresh_job], schedules=[daily_refresh_schedule])
