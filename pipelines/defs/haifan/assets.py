"""The Haifan (海帆) list as quarterly snapshots: one Dagster partition per quarter.

The dbt models tagged ``quarterly`` (``haifan_candidates``, ``haifan_list_changes``) are built
for a range of quarters in one dbt invocation (single-run backfills), with the range given to
dbt as the vars ``haifan_first_quarter`` and ``haifan_last_quarter``. A quarter's partition exists
once the quarter has ended; the schedule builds it the day after. Rebuilding any past quarter
gives the same rows: the models read only what was known on its as-of date.
"""

from datetime import datetime

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, dbt_assets

from pipelines.defs.ingestion.assets import WAREHOUSE_POOL
from pipelines.defs.transformation.dbt import (
    DBT_PROJECT,
    QUARTERLY,
    PlatformTranslator,
    build_models,
)
from pipelines.lib.committee import create_decisions_table
from pipelines.lib.paths import warehouse_path

#: Quarters from the first the platform holds data for; a quarter's partition appears when it ends.
QUARTERS = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1,4,7,10 *",
    start="2025-01-01",
    fmt="%Y-%m-%d",
    timezone="Asia/Shanghai",
)


def quarter_label(quarter_start: datetime) -> str:
    """``2026Q3`` for the quarter starting on 2026-07-01."""
    return f"{quarter_start.year}Q{(quarter_start.month - 1) // 3 + 1}"


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    select=QUARTERLY,
    dagster_dbt_translator=PlatformTranslator(),
    partitions_def=QUARTERS,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WAREHOUSE_POOL,
    name="haifan_quarters",
)
def haifan_quarters(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """The Haifan candidates, list changes and committee decisions of the run's quarters."""
    with duckdb.connect(str(warehouse_path())) as connection:
        create_decisions_table(connection)
    first = context.partition_key_range.start
    last = context.partition_key_range.end
    yield from build_models(
        context,
        dbt,
        haifan_first_quarter=quarter_label(datetime.fromisoformat(first)),
        haifan_last_quarter=quarter_label(datetime.fromisoformat(last)),
    )


haifan_quarterly_job = dg.define_asset_job(
    "haifan_quarterly_job",
    selection=dg.AssetSelection.assets(haifan_quarters),
    partitions_def=QUARTERS,
)

#: The day after a quarter ends (its partition appears at midnight), its list is built.
haifan_quarterly_schedule = dg.build_schedule_from_partitioned_job(
    haifan_quarterly_job, default_status=dg.DefaultScheduleStatus.STOPPED
)


@dg.definitions
def haifan() -> dg.Definitions:
    """The quarterly Haifan assets, job and schedule."""
    return dg.Definitions(
        assets=[haifan_quarters],
        jobs=[haifan_quarterly_job],
        schedules=[haifan_quarterly_schedule],
    )
