"""Raw-layer assets: each source's deliveries loaded from the landing zone into ``raw_<source>``.

One multi-asset per source system produces its raw tables (``raw_<source>/<table>``), partitioned
by delivery. A run may cover many deliveries (single-run backfills): they are loaded in one
transaction, which is how the initial load of hundreds of daily deliveries stays fast. The
中关村发展集团 database is read through SQLAlchemy by its own, unpartitioned asset, incrementally.
"""

import os

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.lib.contract import Feed, load_contract
from pipelines.lib.partitions import deliveries_partitions
from pipelines.lib.paths import landing_dir
from pipelines.lib.raw_loader import FileLoad, create_raw_layer, load_database, load_deliveries
from pipelines.lib.raw_tables import raw_schema, raw_table_name
from pipelines.lib.reconciliation import unbalanced_files

CONTRACT = load_contract()
#: The feed read from a relational database rather than from delivery folders.
DATABASE_FEED = "subsidies.zgc_development"
#: All writers of the warehouse share this pool, so one step writes the DuckDB file at a time.
WAREHOUSE_POOL = "duckdb_warehouse"
#: Asset check of every raw table; blocking: an unbalanced load stops the models downstream.
RECONCILIATION_CHECK = "rows_reconcile"


def raw_asset_key(feed: Feed, table_name: str) -> dg.AssetKey:
    """Asset key of a raw table: ``raw_<source>/<table>``."""
    return dg.AssetKey([raw_schema(feed), table_name])


def database_url() -> str:
    """URL of the 中关村发展集团 database: ``SUBSIDY_DB_URL``, default its SQLite file."""
    default = landing_dir() / "subsidies" / "zgc_development" / "funding.sqlite"
    return os.environ.get("SUBSIDY_DB_URL", f"sqlite:///{default}")


def _materialization_metadata(loads: list[FileLoad]) -> dict[str, dg.MetadataValue]:
    """Kept to two numbers: a ranged run records it once per delivery partition (thousands)."""
    return {
        "rows_loaded": dg.MetadataValue.int(sum(load.rows_loaded for load in loads)),
        "rows_quarantined": dg.MetadataValue.int(sum(load.rows_quarantined for load in loads)),
    }


def _run_metadata(loads: list[FileLoad]) -> dict[str, dg.MetadataValue]:
    """What a run did to a table, recorded once per run on its reconciliation check."""
    notes = sorted({load.message for load in loads if load.message not in ("", "no rows")})
    return {
        "files": dg.MetadataValue.int(len(loads)),
        "rows_in": dg.MetadataValue.int(sum(load.rows_in for load in loads)),
        "rows_loaded": dg.MetadataValue.int(sum(load.rows_loaded for load in loads)),
        "rows_quarantined": dg.MetadataValue.int(sum(load.rows_quarantined for load in loads)),
        "rejected_files": dg.MetadataValue.int(sum(load.status == "rejected" for load in loads)),
        "duplicate_files": dg.MetadataValue.int(sum(load.status == "duplicate" for load in loads)),
        "notes": dg.MetadataValue.text("; ".join(notes)[:2000] or "none"),
    }


def _reconciliation_check(key: dg.AssetKey) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        RECONCILIATION_CHECK,
        asset=key,
        blocking=True,
        description="Every file of the run's deliveries reconciles: rows read = rows stored in "
        "the table + rows quarantined (counted in the warehouse, not taken from the loader).",
    )


def _reconciliation_result(
    key: dg.AssetKey, loads: list[FileLoad], unbalanced: list[tuple[str, str, int, int, int]]
) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=key,
        check_name=RECONCILIATION_CHECK,
        passed=not unbalanced,
        metadata=_run_metadata(loads)
        | {
            "unbalanced_files": dg.MetadataValue.int(len(unbalanced)),
            "first_unbalanced": dg.MetadataValue.text(
                "; ".join(
                    f"{file} of {delivery}: read {read}, stored {stored}, quarantined {held}"
                    for delivery, file, read, stored, held in unbalanced[:5]
                )
                or "none"
            ),
        },
    )


def _source_asset(source: str, feeds: list[Feed]) -> dg.AssetsDefinition:
    specs = [
        dg.AssetSpec(
            raw_asset_key(feed, raw_table_name(feed, table)),
            description=f"{feed.title}: every delivered row as text, with load metadata. "
            f"Grain: {table.grain}",
            group_name="raw",
            kinds={"duckdb"},
            metadata={"contract_feed": feed.id},
        )
        for feed in feeds
        for table in feed.tables
    ]

    @dg.multi_asset(
        name=f"raw_{source}",
        specs=specs,
        check_specs=[_reconciliation_check(spec.key) for spec in specs],
        partitions_def=deliveries_partitions(source),
        backfill_policy=dg.BackfillPolicy.single_run(),
        pool=WAREHOUSE_POOL,
    )
    def load_source(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
        """Load the deliveries of this run's partitions into the raw tables."""
        deliveries = sorted(context.partition_keys)
        with duckdb.get_connection() as connection:
            create_raw_layer(connection, CONTRACT)
            loads = load_deliveries(connection, landing_dir(), source, deliveries, CONTRACT)
            unbalanced = {
                spec.key: unbalanced_files(connection, ".".join(spec.key.path), deliveries)
                for spec in specs
            }
        context.log.info(f"{source}: loaded {len(deliveries)} deliveries, {len(loads)} tables")
        for spec in specs:
            table_loads = [load for load in loads if load.raw_table == ".".join(spec.key.path)]
            yield dg.MaterializeResult(
                asset_key=spec.key,
                metadata=_materialization_metadata(table_loads),
                check_results=[_reconciliation_result(spec.key, table_loads, unbalanced[spec.key])],
            )

    load_source.__doc__ = f"Raw tables of source {source}."
    return load_source


def _database_asset(feed: Feed) -> dg.AssetsDefinition:
    key = raw_asset_key(feed, raw_table_name(feed, feed.table))

    @dg.asset(
        key=key,
        group_name="raw",
        kinds={"duckdb", "sqlite"},
        pool=WAREHOUSE_POOL,
        metadata={"contract_feed": feed.id},
        check_specs=[_reconciliation_check(key)],
    )
    def load_database_feed(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
        """中关村发展集团 funding records read through SQLAlchemy: new and changed rows.

        Grain: one row per funding record as entered.
        """
        with duckdb.get_connection() as connection:
            create_raw_layer(connection, CONTRACT)
            load = load_database(connection, database_url(), feed)
            unbalanced = unbalanced_files(connection, load.raw_table, [load.delivery_id])
        return dg.MaterializeResult(
            metadata=_materialization_metadata([load]),
            check_results=[_reconciliation_result(key, [load], unbalanced)],
        )

    return load_database_feed


def _assets() -> list[dg.AssetsDefinition]:
    by_source: dict[str, list[Feed]] = {}
    for feed in CONTRACT.values():
        if feed.id != DATABASE_FEED:
            by_source.setdefault(feed.source.name, []).append(feed)
    return [_source_asset(source, feeds) for source, feeds in by_source.items()] + [
        _database_asset(CONTRACT[DATABASE_FEED])
    ]


RAW_ASSETS = _assets()
SOURCES = sorted({feed.source.name for feed in CONTRACT.values() if feed.id != DATABASE_FEED})


@dg.definitions
def ingestion() -> dg.Definitions:
    """The raw-layer assets."""
    return dg.Definitions(assets=RAW_ASSETS)
