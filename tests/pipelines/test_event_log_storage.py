"""The instance's pooled SQLite event log: same data as Dagster's, readable by other processes."""

import logging
import time

import dagster as dg
from dagster._core.events.log import EventLogEntry

from pipelines.lib.event_log_storage import PooledSqliteEventLogStorage
from pipelines.lib.instance import prepare_instance_home

DELIVERIES = dg.DynamicPartitionsDefinition(name="deliveries")


@dg.asset(partitions_def=DELIVERIES, backfill_policy=dg.BackfillPolicy.single_run())
def deliveries_loaded(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"deliveries": len(context.partition_keys)})


def test_the_instance_home_selects_the_pooled_event_log(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))

    prepare_instance_home()
    with dg.DagsterInstance.get() as instance:
        storage = instance.event_log_storage

    assert isinstance(storage, PooledSqliteEventLogStorage)
    assert "enabled: false" in (tmp_path / "dagster.yaml").read_text()


def test_a_ranged_run_records_every_partition_for_a_later_process(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    prepare_instance_home()
    keys = [f"2025-01-{day:02d}" for day in range(1, 31)]
    with dg.DagsterInstance.get() as instance:
        instance.add_dynamic_partitions("deliveries", keys)
        result = dg.materialize(
            [deliveries_loaded],
            instance=instance,
            tags={
                "dagster/asset_partition_range_start": keys[0],
                "dagster/asset_partition_range_end": keys[-1],
            },
        )
    assert result.success

    with dg.DagsterInstance.get() as later:
        materialized = later.get_materialized_partitions(deliveries_loaded.key)
        records = later.fetch_materializations(deliveries_loaded.key, limit=100).records
        latest = later.get_latest_materialization_event(deliveries_loaded.key)

    assert materialized == set(keys)
    assert sorted(r.partition_key for r in records) == keys  # one event each, stored in batches
    assert latest is not None and latest.dagster_event.partition in keys


def _entry(message: str) -> EventLogEntry:
    return EventLogEntry(
        error_info=None,
        level=logging.INFO,
        user_message=message,
        run_id="run-1",
        timestamp=time.time(),
    )


def _wait_for(message: str, messages: list[str]) -> bool:
    deadline = time.monotonic() + 15
    while message not in messages and time.monotonic() < deadline:
        time.sleep(0.1)
    return message in messages


def test_a_watcher_sees_events_that_are_still_in_the_write_ahead_log(tmp_path):
    writer = PooledSqliteEventLogStorage(str(tmp_path))
    watcher = PooledSqliteEventLogStorage(str(tmp_path))
    writer.store_event(_entry("run created"))  # creates the run's database file
    messages: list[str] = []
    watcher.watch("run-1", None, lambda entry, cursor: messages.append(entry.user_message))
    try:
        writer.store_event(_entry("a step started"))

        # The writer keeps its connection, so the event sits in run-1.db-wal, not run-1.db.
        assert _wait_for("a step started", messages)
    finally:
        writer.dispose()
        watcher.dispose()
