"""Load the project's policy configuration (``dbt_project/policy.yml``)."""

from pathlib import Path

import yaml

POLICY_FILE = Path(__file__).resolve().parents[2] / "dbt_project" / "policy.yml"


def load_policy(path: Path = POLICY_FILE) -> dict:
    """The policy configuration as a dict."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))
