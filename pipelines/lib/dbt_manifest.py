"""dbt's manifest, from which the dbt asset definitions are built, kept current with the project.

``dbt parse`` takes seconds, so it runs only when the manifest is missing or older than one of
the project's files: after a model, macro, seed, test or the policy changed.
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

from pipelines.lib.paths import DBT_PROJECT_DIR, warehouse_path

#: dbt of this environment, whether or not the environment's bin folder is on PATH.
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")
#: Where dbt writes artefacts, the manifest among them; shared by `dbt parse` and the dbt
#: assets' builds, so each build reuses the saved parse (partial parsing).
DBT_TARGET_DIR = DBT_PROJECT_DIR / "target"
MANIFEST_PATH = DBT_TARGET_DIR / "manifest.json"
#: The policy configuration (POLICY_RULES' [choice]s), passed to every dbt command as vars.
POLICY_FILE = DBT_PROJECT_DIR / "policy.yml"
#: Folders dbt writes to; they are outputs, not part of the project.
_GENERATED = {"target", "logs", "dbt_packages"}


def project_files() -> Iterator[Path]:
    """Every source file of the dbt project, in a stable order."""
    for path in sorted(DBT_PROJECT_DIR.rglob("*")):
        relative = path.relative_to(DBT_PROJECT_DIR)
        if path.is_file() and relative.parts[0] not in _GENERATED and path.name != ".user.yml":
            yield path


def policy_vars(**extra: object) -> str:
    """``--vars`` for dbt: the policy configuration under ``policy``, plus ``extra`` vars.

    The models read every policy parameter through the macro ``policy()``; dbt has no way to read
    a second YAML file itself, so each dbt command is given this one.
    """
    policy = yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))
    return json.dumps({"policy": policy, **extra}, ensure_ascii=False)


def manifest_is_current() -> bool:
    """True if the manifest exists and no project file changed after it was written."""
    if not MANIFEST_PATH.exists():
        return False
    written = MANIFEST_PATH.stat().st_mtime
    return all(path.stat().st_mtime <= written for path in project_files())


def _dbt(*command: str) -> None:
    subprocess.run(
        [
            str(DBT_EXECUTABLE),
            *command,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--quiet",
            "--vars",
            policy_vars(),
        ],
        check=True,
        env={**os.environ, "DUCKDB_DATABASE": str(warehouse_path())},
    )


def generate_docs() -> None:
    """``dbt docs generate``: a static site of the models in ``dbt_project/target/index.html``.

    The catalog (column types, row counts) is read from the warehouse, so build it first.
    """
    _dbt("docs", "generate")


def ensure_manifest() -> None:
    """Run ``dbt parse`` unless the manifest is current (see :func:`manifest_is_current`)."""
    if manifest_is_current():
        return
    _dbt("parse")
