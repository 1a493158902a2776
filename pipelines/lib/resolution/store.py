"""The warehouse tables of entity resolution, schema ``resolution``.

``entity_resolutions`` and ``review_queue`` are rewritten per mention by each run;
``review_decisions`` is the reviewers' input (pipelines.review); ``models`` keeps every trained
model, versioned. No primary-key constraints: DuckDB checks them eagerly within a transaction,
so deleting and re-inserting a key fails; dbt tests guard the keys instead.
"""

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb

from pipelines.lib.catalog import table_exists

SCHEMA = "resolution"
RESOLUTIONS = f"{SCHEMA}.entity_resolutions"
REVIEW_QUEUE = f"{SCHEMA}.review_queue"
DECISIONS = f"{SCHEMA}.review_decisions"
MODELS = f"{SCHEMA}.models"

_DDL = f"""
create schema if not exists {SCHEMA};
create table if not exists {RESOLUTIONS} (
    feed varchar not null,
    record_id varchar not null,
    mentioned_name varchar,
    uscc varchar,
    resolution_status varchar not null
        check (resolution_status in ('resolved', 'in_review', 'unresolved')),
    resolution_method varchar check (resolution_method in (
        'registered_code', 'organisation_code', 'exact_name', 'normalised_name',
        'probabilistic', 'reviewer'
    )),
    match_probability double,
    evidence json,
    model_version integer,
    input_fingerprint varchar not null,
    resolved_at timestamp not null
);
create table if not exists {REVIEW_QUEUE} (
    feed varchar not null,
    record_id varchar not null,
    mentioned_name varchar,
    mention_date date,
    candidate_rank integer not null,
    candidate_uscc varchar not null,
    candidate_name varchar,
    match_probability double not null,
    match_weight double not null,
    explanation json,
    model_version integer not null,
    queued_at timestamp not null
);
create table if not exists {DECISIONS} (
    feed varchar not null,
    record_id varchar not null,
    candidate_uscc varchar not null,
    decision varchar not null check (decision in ('same', 'not_same')),
    reviewer varchar not null,
    note varchar,
    decided_at timestamp not null
);
create table if not exists {MODELS} (
    model_version integer not null,
    trained_at timestamp not null,
    splink_version varchar not null,
    training_mentions bigint not null,
    training_names bigint not null,
    training_seconds double not null,
    model json not null
);
"""


def create_resolution_tables(connection: duckdb.DuckDBPyConnection) -> None:
    """Create the schema and its tables where missing (idempotent)."""
    connection.execute(_DDL)


@dataclass(frozen=True)
class StoredModel:
    """A trained model as kept in ``resolution.models``."""

    version: int
    trained_at: datetime
    model: dict


def latest_model(connection: duckdb.DuckDBPyConnection) -> StoredModel | None:
    """The most recent trained model, or None before the first training."""
    row = connection.execute(
        f"select model_version, trained_at, model from {MODELS} order by model_version desc limit 1"
    ).fetchone()
    if row is None:
        return None
    return StoredModel(row[0], row[1], json.loads(row[2]))


def save_model(
    connection: duckdb.DuckDBPyConnection,
    model: dict,
    *,
    splink_version: str,
    mentions: int,
    names: int,
    seconds: float,
) -> int:
    """Store a newly trained model as the next version; returns its version number."""
    version = connection.execute(
        f"select coalesce(max(model_version), 0) + 1 from {MODELS}"
    ).fetchone()[0]
    connection.execute(
        f"insert into {MODELS} values (?, now()::timestamp, ?, ?, ?, ?, ?)",
        [version, splink_version, mentions, names, round(seconds, 2), json.dumps(model)],
    )
    return version


@dataclass(frozen=True)
class ResolutionState:
    """What the main command needs to know before planning entity resolution."""

    has_model: bool
    #: Reviewers' decisions recorded after their mention was last resolved.
    decisions_pending: int


def resolution_state(connection: duckdb.DuckDBPyConnection) -> ResolutionState:
    """Whether a model exists and how many decisions wait (none on a new warehouse)."""
    if not all(
        table_exists(connection, SCHEMA, t)
        for t in ("models", "review_decisions", "entity_resolutions")
    ):
        return ResolutionState(has_model=False, decisions_pending=0)
    has_model = connection.execute(f"select count(*) > 0 from {MODELS}").fetchone()[0]
    pending = connection.execute(
        f"""
        select count(*) from {DECISIONS} as decisions
        where not exists (
            select 1 from {RESOLUTIONS} as done
            where done.feed = decisions.feed and done.record_id = decisions.record_id
                and done.resolved_at >= decisions.decided_at
        )
        """
    ).fetchone()[0]
    return ResolutionState(has_model=has_model, decisions_pending=pending)


def resolution_summary(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Mentions per outcome (``resolved by <method>``, ``in review``, ``unresolved``)."""
    if not table_exists(connection, SCHEMA, "entity_resolutions"):
        return []
    return connection.sql(
        f"""
        select
            case resolution_status
                when 'resolved' then 'resolved by ' || resolution_method
                else replace(resolution_status, '_', ' ')
            end as outcome,
            count(*) as mentions
        from {RESOLUTIONS}
        group by resolution_status, resolution_method
        order by resolution_status, mentions desc
        """
    ).fetchall()
