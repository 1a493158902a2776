"""One resolution run: pending mentions through the tiers, the model and reviewers' decisions.

The outcome is written to the warehouse in one transaction.
"""

import time
from dataclasses import dataclass, field

import duckdb

from pipelines.lib.catalog import model_relation
from pipelines.lib.resolution.deterministic import link_deterministically
from pipelines.lib.resolution.inputs import MENTIONS_MODEL, load_mentions, load_names
from pipelines.lib.resolution.model import TrainedModel, create_macros, prepare_sides, train
from pipelines.lib.resolution.parameters import ResolutionParameters
from pipelines.lib.resolution.probabilistic import decide, score_candidates
from pipelines.lib.resolution.sounds import add_name_sounds
from pipelines.lib.resolution.store import (
    DECISIONS,
    RESOLUTIONS,
    REVIEW_QUEUE,
    StoredModel,
    create_resolution_tables,
    save_model,
)


@dataclass
class ResolutionRun:
    """What one run did: mentions by outcome, and where the time went."""

    mentions: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    in_review: int = 0
    unresolved: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    #: Splink's warnings while scoring.
    warnings: list[str] = field(default_factory=list)


class _Clock:
    def __init__(self, seconds: dict[str, float]) -> None:
        self._seconds = seconds
        self._last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self._seconds[step] = round(now - self._last, 2)
        self._last = now


def _working_database(warehouse: duckdb.DuckDBPyConnection, everything: bool) -> tuple:
    work = duckdb.connect()
    create_macros(work)
    mentions = load_mentions(warehouse, work, everything)
    return work, mentions


def _load_decisions(warehouse: duckdb.DuckDBPyConnection, work: duckdb.DuckDBPyConnection) -> None:
    """Reviewers' latest word per mention and candidate: confirmed and rejected links."""
    latest = warehouse.sql(
        f"""
        select feed || '|' || record_id as mention_id, candidate_uscc as uscc, decision,
            reviewer, decided_at
        from {DECISIONS}
        qualify row_number() over (
            partition by feed, record_id, candidate_uscc order by decided_at desc
        ) = 1
        """
    ).to_arrow_table()
    work.register("_decisions", latest)
    work.execute(
        """
        create or replace table rejected_candidates as
        select mention_id, uscc from _decisions where decision = 'not_same';
        create or replace table confirmed_links as
        select * from _decisions where decision = 'same'
        qualify row_number() over (partition by mention_id order by decided_at desc) = 1
        """
    )
    work.unregister("_decisions")


def resolve(
    warehouse: duckdb.DuckDBPyConnection,
    model: StoredModel,
    parameters: ResolutionParameters,
    everything: bool = False,
) -> ResolutionRun:
    """Resolve the pending mentions (every mention if ``everything``) and store the outcome."""
    run = ResolutionRun()
    clock = _Clock(run.seconds)
    create_resolution_tables(warehouse)
    work, run.mentions = _working_database(warehouse, everything)
    if run.mentions == 0:
        return run
    load_names(warehouse, work)
    add_name_sounds(work, "mentions")
    _load_decisions(warehouse, work)
    clock.lap("load")
    link_deterministically(work, parameters.former_name_grace_days)
    # A reviewer's "not the same" overrules a deterministic link too.
    work.execute(
        """
        delete from deterministic_links
        where exists (
            select 1 from rejected_candidates as rejected
            where rejected.mention_id = deterministic_links.mention_id
                and rejected.uscc = deterministic_links.uscc
        );
        create or replace table residual_mentions as
        select * from mentions
        where mention_id not in (select mention_id from deterministic_links)
            and mention_id not in (select mention_id from confirmed_links)
        """
    )
    clock.lap("deterministic")
    run.warnings = score_candidates(work, model.model, "residual_mentions")
    decide(work, parameters.unlinked_odds)
    clock.lap("probabilistic")
    _outcomes(work, model.version, parameters)
    _store(warehouse, work)
    clock.lap("store")
    for method, count in work.sql(
        "select coalesce(resolution_method, resolution_status), count(*) from outcomes "
        "group by all order by all"
    ).fetchall():
        run.by_method[method] = count
    run.in_review = run.by_method.pop("in_review", 0)
    run.unresolved = run.by_method.pop("unresolved", 0)
    work.close()
    return run


def _outcomes(
    work: duckdb.DuckDBPyConnection, model_version: int, parameters: ResolutionParameters
) -> None:
    """Create ``outcomes`` (one row per mention) and ``queue`` in ``work``."""
    accept = float(parameters.accept_probability)
    review = float(parameters.review_probability)
    work.execute(
        f"""
        create or replace table best_candidates as
        select * from candidate_probabilities where candidate_rank = 1;

        create or replace table outcomes as
        select
            mentions.feed,
            mentions.record_id,
            mentions.mentioned_name,
            coalesce(
                confirmed.uscc,
                deterministic.uscc,
                case when best.match_probability >= {accept} then best.uscc end
            ) as uscc,
            case
                when confirmed.uscc is not null or deterministic.uscc is not null
                    or best.match_probability >= {accept} then 'resolved'
                when best.match_probability >= {review} then 'in_review'
                else 'unresolved'
            end as resolution_status,
            case
                when confirmed.uscc is not null then 'reviewer'
                when deterministic.uscc is not null then deterministic.resolution_method
                when best.match_probability >= {accept} then 'probabilistic'
            end as resolution_method,
            case
                when confirmed.uscc is not null or deterministic.uscc is not null then 1.0
                else best.match_probability
            end as match_probability,
            case
                when confirmed.uscc is not null then json_object(
                    'reviewer', confirmed.reviewer, 'decided_at', confirmed.decided_at)
                when deterministic.uscc is not null then deterministic.evidence
                when best.uscc is not null then json_object(
                    'candidate_uscc', best.uscc,
                    'candidate_name', best.candidate_name,
                    'match_weight', round(best.match_weight, 2),
                    'comparisons', best.explanation)
            end as evidence,
            case when deterministic.uscc is null and confirmed.uscc is null
                then {int(model_version)} end as model_version,
            mentions.input_fingerprint,
            now()::timestamp as resolved_at
        from mentions
        left join confirmed_links as confirmed on mentions.mention_id = confirmed.mention_id
        left join deterministic_links as deterministic
            on mentions.mention_id = deterministic.mention_id
        left join best_candidates as best on mentions.mention_id = best.mention_id;

        create or replace table queue as
        select
            mentions.feed,
            mentions.record_id,
            mentions.mentioned_name,
            mentions.mention_date,
            candidates.candidate_rank,
            candidates.uscc as candidate_uscc,
            candidates.candidate_name,
            candidates.match_probability,
            candidates.match_weight,
            candidates.explanation,
            {int(model_version)} as model_version,
            now()::timestamp as queued_at
        from candidate_probabilities as candidates
        inner join mentions on candidates.mention_id = mentions.mention_id
        inner join outcomes
            on mentions.feed = outcomes.feed and mentions.record_id = outcomes.record_id
        where outcomes.resolution_status = 'in_review'
            and candidates.candidate_rank <= {int(parameters.queue_candidates)}
        """
    )


def _store(warehouse: duckdb.DuckDBPyConnection, work: duckdb.DuckDBPyConnection) -> None:
    """Replace the stored outcome of every mention of this run, in one transaction."""
    outcomes = work.sql("select * from outcomes").to_arrow_table()
    queue = work.sql("select * from queue").to_arrow_table()
    warehouse.register("_outcomes", outcomes)
    warehouse.register("_queue", queue)
    try:
        warehouse.execute("begin transaction")
        for table in (RESOLUTIONS, REVIEW_QUEUE):
            warehouse.execute(
                f"""
                delete from {table}
                where exists (
                    select 1 from _outcomes
                    where _outcomes.feed = {table}.feed and _outcomes.record_id = {table}.record_id
                )
                """
            )
        # Outcomes of mentions gone from the feeds (a record withdrawn) go with them.
        mentions = model_relation(warehouse, MENTIONS_MODEL)
        for table in (RESOLUTIONS, REVIEW_QUEUE):
            warehouse.execute(
                f"""
                delete from {table}
                where not exists (
                    select 1 from {mentions} as mentions
                    where mentions.feed = {table}.feed and mentions.record_id = {table}.record_id
                )
                """
            )
        warehouse.execute(f"insert into {RESOLUTIONS} by name select * from _outcomes")
        warehouse.execute(f"insert into {REVIEW_QUEUE} by name select * from _queue")
        warehouse.execute("commit")
    except BaseException:
        warehouse.execute("rollback")
        raise
    finally:
        warehouse.unregister("_outcomes")
        warehouse.unregister("_queue")


def train_model(
    warehouse: duckdb.DuckDBPyConnection, parameters: ResolutionParameters
) -> tuple[int, TrainedModel]:
    """Train a model on every mention and name in the warehouse and store it as the next version.

    Returns:
        The new version number and the trained model.
    """
    create_resolution_tables(warehouse)
    work, _ = _working_database(warehouse, everything=True)
    load_names(warehouse, work)
    add_name_sounds(work, "mentions")
    prepare_sides(work, "mentions", "names")
    trained = train(work, parameters.former_name_grace_days)
    work.close()
    version = save_model(
        warehouse,
        trained.model,
        splink_version=trained.splink_version,
        mentions=trained.mentions,
        names=trained.names,
        seconds=trained.seconds,
    )
    return version, trained
