"""Entity resolution as Dagster assets, between the dbt models of mentions and their users.

They sit between the dbt models that gather mentions and names and the models that use the links
(docs/entity_resolution.md).

- ``resolution/entity_resolution_model``: a Splink model trained without labels, stored as the
  next version in ``resolution.models``. Materialised on demand or by the weekly schedule, not by
  every run: resolution reuses the latest version.
- ``resolution/entity_resolutions`` and ``resolution/review_queue``: the pending mentions
  resolved with the latest model (new or changed mentions, those still in review or unresolved,
  and those a reviewer has judged since); ``relink_all`` resolves every mention again.
"""

import dagster as dg
from dagster_dbt import get_asset_key_for_model
from dagster_duckdb import DuckDBResource

from pipelines.defs.ingestion.assets import WAREHOUSE_POOL
from pipelines.defs.transformation.dbt import dbt_models
from pipelines.lib.catalog import model_relation
from pipelines.lib.resolution.inputs import MENTIONS_MODEL, NAMES_MODEL
from pipelines.lib.resolution.parameters import ResolutionParameters
from pipelines.lib.resolution.resolve import ResolutionRun, resolve, train_model
from pipelines.lib.resolution.store import (
    RESOLUTIONS,
    create_resolution_tables,
    latest_model,
)

MODEL_KEY = dg.AssetKey(["resolution", "entity_resolution_model"])
RESOLUTIONS_KEY = dg.AssetKey(["resolution", "entity_resolutions"])
REVIEW_QUEUE_KEY = dg.AssetKey(["resolution", "review_queue"])
#: The dbt models resolution reads.
INPUT_KEYS = [
    get_asset_key_for_model([dbt_models], model) for model in (MENTIONS_MODEL, NAMES_MODEL)
]
ONE_OUTCOME_CHECK = "one_outcome_per_mention"
_DEFAULTS = ResolutionParameters()


class ResolutionConfig(dg.Config):
    """Thresholds of one resolution run (defaults: pipelines.lib.resolution.parameters)."""

    accept_probability: float = _DEFAULTS.accept_probability
    review_probability: float = _DEFAULTS.review_probability
    relink_all: bool = False


@dg.asset(
    key=MODEL_KEY,
    deps=INPUT_KEYS,
    group_name="resolution",
    kinds={"splink", "duckdb"},
    pool=WAREHOUSE_POOL,
)
def entity_resolution_model(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """Splink model linking mentions to enterprise names, trained by expectation maximisation.

    Grain: one row per version in resolution.models; the latest is used.
    """
    parameters = ResolutionParameters()
    with duckdb.get_connection() as connection:
        version, trained = train_model(connection, parameters)
    context.log.info(
        f"entity resolution model version {version} trained in {trained.seconds:.1f} s"
    )
    return dg.MaterializeResult(
        metadata={
            "model_version": dg.MetadataValue.int(version),
            "training_mentions": dg.MetadataValue.int(trained.mentions),
            "training_names": dg.MetadataValue.int(trained.names),
            "training_seconds": dg.MetadataValue.float(round(trained.seconds, 2)),
            "splink_version": dg.MetadataValue.text(trained.splink_version),
            "parameters": dg.MetadataValue.md(_parameters_table(trained.model)),
            "splink_warnings": dg.MetadataValue.text("\n".join(trained.warnings) or "none"),
        }
    )


def _parameters_table(model: dict) -> str:
    """The trained m and u probabilities as a Markdown table, for the asset's page."""
    lines = ["| comparison | level | m | u |", "|---|---|---|---|"]
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            lines.append(
                f"| {comparison['output_column_name']} | {level.get('label_for_charts', '')} "
                f"| {'' if m is None else f'{m:.4g}'} | {'' if u is None else f'{u:.4g}'} |"
            )
    prior = model["probability_two_random_records_match"]
    return "\n".join([*lines, "", f"Prior match probability of two random records: {prior:.3g}"])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            RESOLUTIONS_KEY,
            deps=[*INPUT_KEYS, MODEL_KEY],
            description="One row per mention of a firm by name: its USCC, the method, the "
            "probability and the evidence (status resolved, in_review or unresolved).",
            group_name="resolution",
            kinds={"splink", "duckdb"},
        ),
        dg.AssetSpec(
            REVIEW_QUEUE_KEY,
            deps=[RESOLUTIONS_KEY],
            description="Mentions in review with their best candidates, probabilities and "
            "Splink's per-comparison explanation. Grain: one row per mention and candidate.",
            group_name="resolution",
            kinds={"duckdb"},
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            ONE_OUTCOME_CHECK,
            asset=RESOLUTIONS_KEY,
            blocking=True,
            description="Every mention has exactly one outcome, and no outcome is orphaned.",
        )
    ],
    pool=WAREHOUSE_POOL,
)
def entity_resolutions(
    context: dg.AssetExecutionContext, config: ResolutionConfig, duckdb: DuckDBResource
):
    """Resolve the pending mentions with the latest model and store links and review queue."""
    parameters = ResolutionParameters(
        accept_probability=config.accept_probability,
        review_probability=config.review_probability,
    )
    with duckdb.get_connection() as connection:
        create_resolution_tables(connection)
        model = latest_model(connection)
        if model is None:
            raise dg.Failure(
                "No trained entity-resolution model yet: materialize "
                f"{MODEL_KEY.to_user_string()} first (python -m pipelines.run does on a new "
                "warehouse)."
            )
        run = resolve(connection, model, parameters, everything=config.relink_all)
        problems = _outcome_problems(connection)
        totals = dict(
            connection.sql(
                f"select resolution_status, count(*) from {RESOLUTIONS} group by all"
            ).fetchall()
        )
    context.log.info(f"entity resolution (model version {model.version}): {_summary(run)}")
    for warning in run.warnings:
        context.log.info(f"Splink: {warning}")
    yield dg.MaterializeResult(
        asset_key=RESOLUTIONS_KEY,
        metadata={
            "model_version": dg.MetadataValue.int(model.version),
            "mentions_resolved_now": dg.MetadataValue.int(run.mentions),
            **{f"now_{method}": dg.MetadataValue.int(n) for method, n in run.by_method.items()},
            "now_in_review": dg.MetadataValue.int(run.in_review),
            "now_unresolved": dg.MetadataValue.int(run.unresolved),
            **{f"total_{status}": dg.MetadataValue.int(n) for status, n in totals.items()},
            "seconds": dg.MetadataValue.json(run.seconds),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name=ONE_OUTCOME_CHECK,
                passed=not problems,
                metadata={"problems": dg.MetadataValue.text("; ".join(problems) or "none")},
            )
        ],
    )
    yield dg.MaterializeResult(
        asset_key=REVIEW_QUEUE_KEY,
        metadata={"mentions_in_review": dg.MetadataValue.int(totals.get("in_review", 0))},
    )


def _summary(run: ResolutionRun) -> str:
    methods = ", ".join(f"{method} {n}" for method, n in run.by_method.items())
    return (
        f"{run.mentions} mentions: {methods or 'none linked'}; in review {run.in_review}, "
        f"unresolved {run.unresolved}"
    )


def _outcome_problems(connection) -> list[str]:
    """What breaks 'one outcome per mention', counted in the warehouse."""
    mentions = model_relation(connection, MENTIONS_MODEL)
    missing, orphaned, duplicated = connection.sql(
        f"""
        select
            (select count(*) from {mentions} as m where not exists (
                select 1 from {RESOLUTIONS} as r
                where r.feed = m.feed and r.record_id = m.record_id)),
            (select count(*) from {RESOLUTIONS} as r where not exists (
                select 1 from {mentions} as m
                where r.feed = m.feed and r.record_id = m.record_id)),
            (select count(*) from (
                select 1 from {RESOLUTIONS} group by feed, record_id having count(*) > 1))
        """
    ).fetchone()
    return [
        f"{count} {what}"
        for count, what in (
            (missing, "mentions without an outcome"),
            (orphaned, "outcomes of mentions that no longer exist"),
            (duplicated, "mentions with more than one outcome"),
        )
        if count
    ]


retrain_entity_resolution_job = dg.define_asset_job(
    "retrain_entity_resolution_job", selection=dg.AssetSelection.assets(MODEL_KEY)
)

#: Names and mentions drift slowly; a weekly model keeps up without retraining every night.
retrain_entity_resolution_schedule = dg.ScheduleDefinition(
    job=retrain_entity_resolution_job,
    cron_schedule="0 3 * * 0",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)


@dg.definitions
def resolution() -> dg.Definitions:
    """The resolution assets and the weekly retraining schedule."""
    return dg.Definitions(
        assets=[entity_resolution_model, entity_resolutions],
        jobs=[retrain_entity_resolution_job],
        schedules=[retrain_entity_resolution_schedule],
    )
