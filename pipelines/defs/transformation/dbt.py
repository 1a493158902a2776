"""dbt models as Dagster assets: staging, intermediate and marts, downstream of the raw tables.

dbt sources are the raw tables, so a source ``tax.declarations`` maps to the raw asset
``raw_tax/declarations`` and the lineage joins up in one graph; dbt tests become asset checks.
Tables written by Python assets in the middle of the graph (entity resolution) are dbt sources
that name their asset key in ``meta.dagster.asset_key``.
"""

import os
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from pipelines.defs.ingestion.assets import WAREHOUSE_POOL
from pipelines.lib.dbt_manifest import (
    DBT_EXECUTABLE,
    DBT_TARGET_DIR,
    ensure_manifest,
    policy_vars,
)
from pipelines.lib.paths import DBT_PROJECT_DIR, warehouse_path

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR)
# Whoever loads the definitions (`dagster dev`, tests, `make run`, CI) gets a manifest matching
# the models, parsed with this environment's dbt (DbtProject.prepare_if_dev would look for `dbt`
# on PATH, absent unless the venv is active, and only under `dagster dev`).
ensure_manifest()


class PlatformTranslator(DagsterDbtTranslator):
    """Sources are the raw tables and the Python assets' tables; models are grouped by layer."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        """A source's ``meta.dagster.asset_key``, else ``raw_<source>/<table>``; dbt's default.

        A source names its key when a Python asset writes the table (resolution/
        entity_resolutions); the other sources are raw tables; models keep dbt's default.
        """
        explicit = dbt_resource_props.get("meta", {}).get("dagster", {}).get("asset_key")
        if explicit:
            return dg.AssetKey(explicit)
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(
                [f"raw_{dbt_resource_props['source_name']}", dbt_resource_props["name"]]
            )
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """The model's layer: the folder under ``models/``."""
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else super().get_group_name(dbt_resource_props)


#: dbt models built per quarter by their own partitioned asset (pipelines/defs/haifan).
QUARTERLY = "tag:quarterly"


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    dagster_dbt_translator=PlatformTranslator(),
    exclude=QUARTERLY,
    pool=WAREHOUSE_POOL,
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Every dbt model but the quarterly ones, built and tested by ``dbt build``.

    Data tests are reported as asset checks.
    """
    yield from build_models(context, dbt)


def build_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, **quarter_vars: str
) -> Iterator:
    """Run ``dbt build`` of the context's selected models with the policy as vars."""
    os.environ["DUCKDB_DATABASE"] = str(warehouse_path())
    # The graph runs dbt in two steps around entity resolution (a Python asset between the
    # models that feed it and those that read its links). dbt's default (eager) would run a
    # test of the second step's models in the first, as soon as one of its parents is built;
    # buildable waits until every parent is built or upstream of what is.
    os.environ["DBT_INDIRECT_SELECTION"] = "buildable"
    # One target folder for every build (not dagster-dbt's folder per run), so dbt reuses its
    # saved parse instead of parsing the project again: builds are serialised by the pool.
    # dbt unit tests check the models' logic on fixed inputs, not the data: they run in the test
    # suite (tests/integration), not in every build of the warehouse.
    build = ["build", "--exclude-resource-type", "unit_test", "--vars", policy_vars(**quarter_vars)]
    yield from dbt.cli(build, context=context, target_path=DBT_TARGET_DIR).stream()


@dg.definitions
def transformation() -> dg.Definitions:
    """The dbt assets and the dbt CLI resource."""
    return dg.Definitions(
        assets=[dbt_models],
        resources={
            "dbt": DbtCliResource(
                project_dir=DBT_PROJECT,
                dbt_executable=str(DBT_EXECUTABLE),
                # dbt's log file (dbt_project/target/dbt.log) at info: at debug it holds every
                # compiled query, 15 MB and 7 s per build. DBT_LOG_LEVEL_FILE=debug restores it.
                global_config_flags=[
                    "--log-level-file",
                    os.environ.get("DBT_LOG_LEVEL_FILE", "info"),
                ],
            )
        },
    )
