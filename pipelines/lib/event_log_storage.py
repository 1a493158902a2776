"""Dagster's SQLite event log, with its connections kept open between writes.

Each delivery partition a run loads is one materialization event per raw table, and the initial
load covers thousands of them. The stock ``SqliteEventLogStorage`` builds a new SQLAlchemy engine
for every statement: each write pays for opening the file, compiling the insert afresh and, on
close, checkpointing the write-ahead log, about 30 ms an event. This subclass keeps one engine
per database file (the index and the most recent runs), so statements are compiled once and
connections stay open; commits use ``synchronous=NORMAL``, SQLite's advice for write-ahead logs
(an application crash loses nothing; a power cut may lose the last events, never corrupts).
Everything else, including the files' schema and layout, is Dagster's: ``dagster dev`` and any
other process read the same instance.

Selected in ``$DAGSTER_HOME/dagster.yaml`` (see ``pipelines.lib.instance``).
"""

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from dagster._core.events import ASSET_EVENTS
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SqliteEventLogStorage,
    SqliteEventLogStorageWatchdog,
)
from dagster._core.storage.sqlite import create_db_conn_string
from watchdog.events import PatternMatchingEventHandler
from watchdog.observers import Observer

#: Engines kept open: the index shard plus the runs written or watched most recently.
OPEN_ENGINES = 8
#: Seconds a statement waits for another process's lock, as in Dagster's own storage.
BUSY_TIMEOUT_SECONDS = 30
#: Events Dagster hands over at once (its ``DAGSTER_EVENT_BATCH_SIZE``): the materializations
#: of a ranged run, one per delivery partition, then cost two transactions a batch.
EVENT_BATCH_SIZE = "500"


def _tune_connection(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class _WriteAheadLogWatchdog(SqliteEventLogStorageWatchdog):
    """Dagster's run-log watcher, also woken by writes to the run's write-ahead log.

    With connections kept open, commits land in ``<run>.db-wal`` and reach ``<run>.db`` only at
    a checkpoint; the UI's live view of a running run must not wait for that.
    """

    def __init__(self, storage: SqliteEventLogStorage, run_id: str, callback, cursor):
        super().__init__(storage, run_id, callback, cursor)
        PatternMatchingEventHandler.__init__(
            self, patterns=[self._log_path, f"{self._log_path}-wal"]
        )

    def on_modified(self, event) -> None:
        """Read the run's new events, whichever of its two files changed."""
        self._process_log()


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """``SqliteEventLogStorage`` that reuses one engine, and its connections, per database file."""

    def __init__(self, base_dir: str, inst_data=None):
        """Same arguments as ``SqliteEventLogStorage``: the folder of the ``.db`` files."""
        self._engines: OrderedDict[str, sa.Engine] = OrderedDict()
        self._engines_lock = threading.Lock()
        # Every process that writes events builds this storage first, so setting Dagster's
        # switch here reaches them all (the UI, the daemon, run workers, pipelines.run).
        os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", EVENT_BATCH_SIZE)
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> "PooledSqliteEventLogStorage":
        """Build from the ``config`` block of ``dagster.yaml`` (same keys as Dagster's class)."""
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> sa.Engine:
        with self._engines_lock:
            engine = self._engines.pop(shard, None)
            if engine is None:
                engine = sa.create_engine(
                    create_db_conn_string(self._base_dir, shard),
                    connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
                )
                sa.event.listen(engine, "connect", _tune_connection)
            self._engines[shard] = engine
            while len(self._engines) > OPEN_ENGINES:
                _, oldest = self._engines.popitem(last=False)
                oldest.dispose()
            return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[sa.Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as connection, connection.begin():
                yield connection

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        """Store one run's batch of asset events in two transactions, not two per event.

        What the stock ``store_event`` does for an asset event (insert it in the run's database,
        mirror it in the index with its tags and asset record), for the whole batch at once.
        Any other batch is stored event by event.
        """
        run_ids = {event.run_id for event in events}
        if len(run_ids) != 1 or not all(
            event.is_dagster_event and event.dagster_event_type in ASSET_EVENTS for event in events
        ):
            super().store_event_batch(events)
            return
        with self.run_connection(run_ids.pop()) as connection:
            connection.execute(self.prepare_insert_event_batch(events))
        with self.index_transaction() as connection:
            event_ids = [
                connection.execute(self.prepare_insert_event(event)).inserted_primary_key[0]
                for event in events
            ]
            self._store_asset_event_tags(connection, events, event_ids)
            for event, event_id in zip(events, event_ids, strict=True):
                self._store_asset_event(connection, event, event_id)

    def has_table(self, table_name: str) -> bool:
        """Whether the index database has a table (asked on every asset event)."""
        engine = self._engine(INDEX_SHARD_NAME)
        with engine.connect() as connection:
            return bool(engine.dialect.has_table(connection, table_name))

    @property
    def supports_partition_subset_in_asset_materialization_planned_events(self) -> bool:
        """Plan a ranged run with one event per asset, not one per partition.

        Dagster's own switch (``DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS``), set here so
        every process of the instance agrees. A failed ranged run then leaves its partitions
        "missing" rather than "failed" in the UI; the run itself shows the failure.
        """
        return True

    def watch(self, run_id: str, cursor: str | None, callback) -> None:
        """Call ``callback`` with each new event of a run (the UI's live run view)."""
        if not self._obs:
            self._obs = Observer()
            self._obs.start()
        watchdog = _WriteAheadLogWatchdog(self, run_id, callback, cursor)
        self._watchers[run_id][callback] = (
            watchdog,
            self._obs.schedule(watchdog, self._base_dir, recursive=True),
        )

    def dispose(self) -> None:
        """Close every kept connection (called when the instance is disposed)."""
        with self._engines_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()
        super().dispose()
