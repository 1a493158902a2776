"""The single Definitions entry point of the code location.

Definitions are autoloaded from `pipelines/defs/`, where each module contributes its own small
`Definitions`; there is deliberately no hand-maintained master list here.
"""

import dagster as dg

from pipelines.lib.paths import REPO_ROOT


@dg.definitions
def defs() -> dg.Definitions:
    """Load every definition under `pipelines/defs/` (lazily, when Dagster asks for them)."""
    # `path_within_project` rather than STYLE.md's `project_root=`: Dagster 1.13 deprecates the
    # latter (removal in 2.0). `[tool.dg.project]` in pyproject.toml names the defs module.
    return dg.load_from_defs_folder(path_within_project=REPO_ROOT)
