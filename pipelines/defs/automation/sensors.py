"""Sensor that notices new deliveries in the landing zone and loads them."""

import dagster as dg

from pipelines.defs.ingestion.assets import RAW_ASSETS, SOURCES
from pipelines.lib.partitions import deliveries_partitions
from pipelines.lib.paths import landing_dir
from pipelines.lib.raw_loader import delivery_folders

#: Run tags that make one run cover a range of partitions (loaded in one transaction).
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def _source_keys(source: str) -> list[dg.AssetKey]:
    return [key for asset in RAW_ASSETS if asset.op.name == f"raw_{source}" for key in asset.keys]


def new_deliveries(instance: dg.DagsterInstance, source: str) -> list[str]:
    """Complete deliveries of a source in the landing zone that have no partition yet."""
    known = set(instance.get_dynamic_partitions(deliveries_partitions(source).name))
    return [d for d in delivery_folders(landing_dir(), source) if d not in known]


def range_run_request(source: str, deliveries: list[str]) -> dg.RunRequest:
    """One run loading a contiguous range of a source's newest deliveries."""
    return dg.RunRequest(
        run_key=f"{source}:{deliveries[0]}..{deliveries[-1]}",
        asset_selection=_source_keys(source),
        tags={RANGE_START: deliveries[0], RANGE_END: deliveries[-1]},
    )


@dg.sensor(minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED)
def landing_zone_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    """Add a partition for every new complete delivery and load each source's new ones in a run.

    A folder without a ``_manifest.json`` is still being delivered and is left for a later tick;
    a folder of a source the contract does not know is reported and never loaded.
    """
    partitions, runs = [], []
    for source in SOURCES:
        deliveries = new_deliveries(context.instance, source)
        if deliveries:
            partitions.append(
                dg.AddDynamicPartitionsRequest(deliveries_partitions(source).name, deliveries)
            )
            runs.append(range_run_request(source, deliveries))
    root = landing_dir()
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name not in SOURCES):
            if folder.name != "subsidies":
                context.log.warning(f"{folder} belongs to no source of the contract; ignored")
    return dg.SensorResult(run_requests=runs, dynamic_partitions_requests=partitions)


@dg.definitions
def sensors() -> dg.Definitions:
    """The landing-zone sensor."""
    return dg.Definitions(sensors=[landing_zone_sensor])
