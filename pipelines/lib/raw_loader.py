"""Load deliveries from the landing zone into the raw layer, reconciled row by row.

For every file of a delivery: match it to its feed in the contract, skip it if the same bytes were
loaded before (idempotent, keyed by content hash), read it, map its header to the contract's
columns (renamed columns map, unknown columns are kept in ``_extra_columns`` and reported), put each
row either in the feed's raw table or in ``raw_meta.quarantine`` with the reason, and record the
file's reconciliation in ``raw_meta.loads``. A delivery is loaded in one transaction: a failure
leaves nothing of it behind.
"""

import datetime
import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa

from pipelines.lib.contract import MANIFEST, Feed, Table
from pipelines.lib.raw_tables import (
    LOADS_TABLE,
    META_SCHEMA,
    METADATA_COLUMNS,
    QUARANTINE_TABLE,
    qualified_name,
    raw_schema,
)
from pipelines.lib.readers import (
    ROW_NUMBER,
    ReadResult,
    UnreadableFile,
    read_sql_table,
    read_table,
)
from pipelines.lib.sql_text import quote_identifier


class DeliveryError(Exception):
    """A delivery that cannot be loaded at all (unknown source, no manifest, not a folder)."""


@dataclass(frozen=True)
class FileLoad:
    """Reconciliation of one table of one delivered file (one row of ``raw_meta.loads``)."""

    source: str
    delivery_id: str
    feed: str
    raw_table: str
    source_file: str
    file_sha256: str
    rows_expected: int | None
    rows_in: int
    rows_loaded: int
    rows_quarantined: int
    status: str  # loaded, duplicate, rejected
    message: str


def create_raw_layer(connection: duckdb.DuckDBPyConnection, contract: dict[str, Feed]) -> None:
    """Create the raw schemas and tables that do not exist yet."""
    connection.execute(f"create schema if not exists {META_SCHEMA}")
    connection.execute(
        f"""create table if not exists {QUARANTINE_TABLE} (
            feed varchar, delivery_id varchar, source_file varchar, row_number bigint,
            reason varchar, raw_record varchar, quarantined_at timestamp)"""
    )
    connection.execute(
        f"""create table if not exists {LOADS_TABLE} (
            source varchar, delivery_id varchar, feed varchar, raw_table varchar,
            source_file varchar, file_sha256 varchar, rows_expected bigint, rows_in bigint,
            rows_loaded bigint, rows_quarantined bigint, status varchar, message varchar,
            loaded_at timestamp)"""
    )
    for feed in contract.values():
        connection.execute(f"create schema if not exists {raw_schema(feed)}")
        for table in feed.tables:
            columns = [f'"{c.name}" varchar' for c in table.columns]
            columns += [f"{name} {kind}" for name, kind, _ in METADATA_COLUMNS]
            connection.execute(
                f"create table if not exists {qualified_name(feed, table)} ({', '.join(columns)})"
            )


def delivery_folders(landing: Path, source: str) -> list[str]:
    """Delivery ids of a source that are complete (their manifest is present), oldest first."""
    folder = landing / source
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / MANIFEST).is_file())


def _feed_of(contract: dict[str, Feed], relative: str) -> Feed | None:
    matches = [feed for feed in contract.values() if feed.matches(relative)]
    return matches[0] if len(matches) == 1 else None


def _column_mapping(table: Table, header: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """Contract column → header position; unknown header columns; missing required columns."""
    position = {name: index for index, name in enumerate(header)}
    mapping: dict[str, int] = {}
    known: set[str] = set()
    for column in table.columns:
        for name in (column.name, column.renamed_from, *column.aliases):
            if name is not None and name in position:
                mapping[column.name] = position[name]
                known.add(name)
                break
    unknown = [name for name in header if name not in known]
    missing = [c.name for c in table.columns if c.required and c.name not in mapping]
    return mapping, unknown, missing


class _Batch:
    """Collects the rows, quarantine and reconciliation of a batch of deliveries; writes at once.

    DuckDB's cost is per statement, not per row: one insert per raw table for a whole batch makes
    loading hundreds of small daily deliveries cheap.
    """

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self.connection = connection
        self.loaded_at = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        self.quarantine: list[tuple] = []
        self.loads: list[FileLoad] = []
        self.tables: dict[str, list[pa.Table]] = {}
        self.loaded_hashes: dict[tuple[str, str], str] = {
            (raw_table, sha256): delivery
            for raw_table, sha256, delivery in connection.execute(
                f"select raw_table, file_sha256, min(delivery_id) from {LOADS_TABLE} "
                "where status = 'loaded' and rows_loaded > 0 group by all"
            ).fetchall()
        }

    def reject(
        self,
        feed: str,
        delivery_id: str,
        source_file: str,
        row_number: int | None,
        reason: str,
        raw: str,
    ) -> None:
        """Quarantine one row (or a whole file, with no row number)."""
        self.quarantine.append(
            (feed, delivery_id, source_file, row_number, reason, raw, self.loaded_at)
        )

    def add(self, load: FileLoad) -> None:
        """Record one table's reconciliation; remember its bytes if it loaded rows."""
        self.loads.append(load)
        if load.status == "loaded" and load.rows_loaded > 0:
            self.loaded_hashes.setdefault((load.raw_table, load.file_sha256), load.delivery_id)

    def insert(
        self,
        feed: Feed,
        table: Table,
        result: ReadResult,
        delivery_id: str,
        delivered_on: datetime.date,
        source_file: str,
        sha256: str,
        mapping: dict[str, int],
        unknown: list[str],
    ) -> int:
        """Queue the rows of ``result`` that carry every required value; quarantine the others.

        Columnar throughout (Arrow): contract columns under their current names, then the load
        metadata; only the few rows quarantined, and unknown columns, are handled row by row.
        """
        rows = result.rows

        def delivered(name: str) -> pa.ChunkedArray:
            return rows.column(result.header[mapping[name]])

        lacking = {
            c.name: pc.fill_null(pc.equal(delivered(c.name), ""), True)
            for c in table.columns
            if c.required
        }
        incomplete = functools.reduce(pc.or_, lacking.values(), pa.repeat(False, rows.num_rows))
        for index in pc.indices_nonzero(incomplete).to_pylist():
            absent = [name for name, flags in lacking.items() if flags[index].as_py()]
            record = {name: rows.column(name)[index].as_py() for name in result.header}
            self.reject(
                feed.id,
                delivery_id,
                source_file,
                rows.column(ROW_NUMBER)[index].as_py(),
                f"missing required value in {', '.join(absent)}",
                json.dumps(record, ensure_ascii=False),
            )
        for number, reason, raw in result.rejects:
            self.reject(feed.id, delivery_id, source_file, number, reason, raw)
        rows = rows.filter(pc.invert(incomplete))
        size = rows.num_rows
        if size == 0:
            return 0
        columns = {
            c.name: delivered(c.name) if c.name in mapping else pa.nulls(size, pa.string())
            for c in table.columns
        }
        extras = (
            pa.array(
                [
                    json.dumps(record, ensure_ascii=False)
                    for record in rows.select(unknown).to_pylist()
                ],
                pa.string(),
            )
            if unknown
            else pa.nulls(size, pa.string())
        )
        metadata = {
            "_delivery_id": pa.repeat(pa.scalar(delivery_id, pa.string()), size),
            "_delivered_on": pa.repeat(pa.scalar(delivered_on, pa.date32()), size),
            "_source_file": pa.repeat(pa.scalar(source_file, pa.string()), size),
            "_file_sha256": pa.repeat(pa.scalar(sha256, pa.string()), size),
            "_row_number": rows.column(ROW_NUMBER),
            "_loaded_at": pa.repeat(pa.scalar(self.loaded_at, pa.timestamp("us")), size),
            "_extra_columns": extras,
        }
        self.tables.setdefault(qualified_name(feed, table), []).append(pa.table(columns | metadata))
        return size

    def write(self) -> None:
        """Write everything collected, in one transaction: all of it or nothing."""
        quarantine = pa.table(
            {
                name: pa.array([row[i] for row in self.quarantine], kind)
                for i, (name, kind) in enumerate(
                    [
                        ("feed", pa.string()),
                        ("delivery_id", pa.string()),
                        ("source_file", pa.string()),
                        ("row_number", pa.int64()),
                        ("reason", pa.string()),
                        ("raw_record", pa.string()),
                        ("quarantined_at", pa.timestamp("us")),
                    ]
                )
            }
        )
        loads = (
            pa.Table.from_pylist(
                [{**vars(load), "loaded_at": self.loaded_at} for load in self.loads]
            )
            if self.loads
            else None
        )
        self.connection.execute("begin transaction")
        try:
            for name, parts in self.tables.items():
                self.connection.register("incoming_rows", pa.concat_tables(parts))
                self.connection.execute(f"insert into {name} select * from incoming_rows")
            if self.quarantine:
                self.connection.register("incoming_rows", quarantine)
                self.connection.execute(
                    f"insert into {QUARANTINE_TABLE} select * from incoming_rows"
                )
            if loads is not None:
                self.connection.register("incoming_rows", loads)
                self.connection.execute(
                    f"insert into {LOADS_TABLE} select source, delivery_id, feed, raw_table, "
                    "source_file, file_sha256, rows_expected, rows_in, rows_loaded, "
                    "rows_quarantined, status, message, loaded_at from incoming_rows"
                )
            self.connection.execute("commit")
        except BaseException:
            self.connection.execute("rollback")
            raise
        finally:
            self.connection.unregister("incoming_rows")


def load_deliveries(
    connection: duckdb.DuckDBPyConnection,
    landing: Path,
    source: str,
    delivery_ids: list[str],
    contract: dict[str, Feed],
) -> list[FileLoad]:
    """Load delivery folders of one source into the raw layer in one transaction.

    Returns:
        The reconciliation of every table of every file.

    Raises:
        DeliveryError: a delivery cannot be loaded at all; nothing of the batch is written.
    """
    if source not in {feed.source.name for feed in contract.values()}:
        raise DeliveryError(f"unknown source {source!r}: the contract has no feeds for it")
    batch = _Batch(connection)
    for delivery_id in delivery_ids:
        folder = landing / source / delivery_id
        if not (folder / MANIFEST).is_file():
            raise DeliveryError(f"{folder} has no {MANIFEST}: not a complete delivery")
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            announced = {f["name"]: f for f in manifest["files"]}
            delivered_on = datetime.date.fromisoformat(delivery_id[:10])
        except (ValueError, KeyError, TypeError) as error:
            raise DeliveryError(
                f"{folder}: unreadable manifest or delivery id ({error})"
            ) from error
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST):
            entry = announced.get(path.relative_to(folder).as_posix())
            _load_file(batch, contract, source, delivery_id, delivered_on, landing, path, entry)
    batch.write()
    return batch.loads


def _load_file(
    batch: _Batch,
    contract: dict[str, Feed],
    source: str,
    delivery_id: str,
    delivered_on: datetime.date,
    landing: Path,
    path: Path,
    entry: dict | None,
) -> None:
    """Load every table of one file, recording each table's reconciliation."""
    relative = path.relative_to(landing).as_posix()
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    feed = _feed_of(contract, relative)

    def record(
        feed_id: str,
        raw_table: str,
        source_file: str,
        expected: int | None,
        rows_in: int,
        loaded: int,
        status: str,
        message: str,
    ) -> None:
        batch.add(
            FileLoad(
                source,
                delivery_id,
                feed_id,
                raw_table,
                source_file,
                sha256,
                expected,
                rows_in,
                loaded,
                rows_in - loaded,
                status,
                message,
            )
        )

    if feed is None:
        message = "the file matches no feed of the contract"
        batch.reject(f"{source}.unknown", delivery_id, relative, None, message, "")
        record(f"{source}.unknown", "", relative, None, 0, 0, "rejected", message)
        return
    notes = []
    if entry is None:
        notes.append("file not listed in the manifest")
    elif entry.get("sha256") != sha256:
        notes.append(
            f"SHA-256 differs from the manifest ({entry.get('bytes')} bytes announced, "
            f"{len(data)} delivered)"
        )
    for table in feed.tables:
        source_file = f"{relative}#{table.name}" if feed.format == "xlsx" else relative
        raw_table = qualified_name(feed, table)
        expected = entry.get("rows") if entry is not None and len(feed.tables) == 1 else None
        try:
            result = read_table(batch.connection, path, feed, table)
        except UnreadableFile as error:
            message = f"{feed.id}: {error}"
            batch.reject(feed.id, delivery_id, source_file, None, message, "")
            record(feed.id, raw_table, source_file, expected, 0, 0, "rejected", message)
            continue
        if result.rows_in == 0:
            record(feed.id, raw_table, source_file, expected, 0, 0, "loaded", "no rows")
            continue
        # The same bytes already loaded for this feed: a re-delivery, which changes nothing.
        previous = batch.loaded_hashes.get((raw_table, sha256))
        if previous is not None:
            record(
                feed.id,
                raw_table,
                source_file,
                expected,
                0,
                0,
                "duplicate",
                f"{result.rows_in} rows identical to the file loaded from delivery {previous}",
            )
            continue
        mapping, unknown, missing = _column_mapping(table, result.header)
        if missing:
            message = f"missing required column(s) {', '.join(missing)}; header: {result.header}"
            for row in result.rows.to_pylist():
                number = row.pop(ROW_NUMBER)
                raw = json.dumps(row, ensure_ascii=False)
                batch.reject(feed.id, delivery_id, source_file, number, message, raw)
            for number, reason, raw in result.rejects:
                batch.reject(feed.id, delivery_id, source_file, number, reason, raw)
            record(
                feed.id, raw_table, source_file, expected, result.rows_in, 0, "rejected", message
            )
            continue
        loaded = batch.insert(
            feed, table, result, delivery_id, delivered_on, source_file, sha256, mapping, unknown
        )
        file_notes = list(notes)
        if unknown:
            file_notes.append(f"unknown columns kept in _extra_columns: {', '.join(unknown)}")
        renamed = [
            f"{result.header[i]}→{name}" for name, i in mapping.items() if result.header[i] != name
        ]
        if renamed:
            file_notes.append(f"renamed columns mapped: {', '.join(renamed)}")
        if expected is not None and expected != result.rows_in:
            file_notes.append(
                f"manifest announces {expected} rows, the file holds {result.rows_in}"
            )
        record(
            feed.id,
            raw_table,
            source_file,
            expected,
            result.rows_in,
            loaded,
            "loaded",
            "; ".join(file_notes),
        )


def load_database(connection: duckdb.DuckDBPyConnection, url: str, feed: Feed) -> FileLoad:
    """Load the rows of a source database table that are new or changed since the last load.

    The whole table is read (it is small) and compared with every version already loaded, so a
    row edited in place arrives as a new version, which staging prefers; unchanged rows are
    skipped. A watermark on entry time would miss those edits.
    """
    table = feed.table
    raw_table = qualified_name(feed, table)
    read = read_sql_table(url, table)
    mapping, unknown, missing = _column_mapping(table, read.header)
    if missing:
        raise DeliveryError(f"{feed.id}: the source table lacks required column(s) {missing}")
    result = _new_versions(connection, read, table, mapping, raw_table)
    today = datetime.date.today()
    delivery_id = f"{today.isoformat()}_{feed.name}"
    # Credentials never reach the warehouse: only the database part of the URL is recorded.
    where = sa_url_without_password(url)
    batch = _Batch(connection)
    loaded = batch.insert(feed, table, result, delivery_id, today, where, "", mapping, unknown)
    load = FileLoad(
        feed.source.name,
        delivery_id,
        feed.id,
        raw_table,
        where,
        "",
        None,
        result.rows_in,
        loaded,
        result.rows_in - loaded,
        "loaded",
        f"{result.rows_in} new or changed of {read.rows_in} rows read",
    )
    batch.add(load)
    batch.write()
    return load


def _new_versions(
    connection: duckdb.DuckDBPyConnection,
    read: ReadResult,
    table: Table,
    mapping: dict[str, int],
    raw_table: str,
) -> ReadResult:
    """The rows of ``read`` whose contract columns match no version already in ``raw_table``."""
    same = " and ".join(
        f"loaded.{quote_identifier(name)} is not distinct from "
        f"incoming.{quote_identifier(read.header[position])}"
        for name, position in mapping.items()
    )
    connection.register("incoming_rows", read.rows)
    try:
        rows = connection.execute(
            f"select * from incoming_rows as incoming where not exists "
            f"(select 1 from {raw_table} as loaded where {same}) order by {ROW_NUMBER}"
        ).to_arrow_table()
    finally:
        connection.unregister("incoming_rows")
    return ReadResult(header=read.header, rows=rows, rejects=read.rejects)


def sa_url_without_password(url: str) -> str:
    """A database URL safe to record (password masked)."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)
