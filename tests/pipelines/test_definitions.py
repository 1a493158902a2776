from dagster_duckdb import DuckDBResource

from pipelines.definitions import defs
from pipelines.defs.resources import DUCKDB_RESOURCE_KEY


def test_definitions_load_and_bind_the_duckdb_resource():
    definitions = defs()

    resources = definitions.resources or {}

    assert isinstance(resources.get(DUCKDB_RESOURCE_KEY), DuckDBResource)


def test_duckdb_resource_follows_the_duckdb_database_env_var(monkeypatch, tmp_path):
    database = tmp_path / "t.duckdb"
    monkeypatch.setenv("DUCKDB_DATABASE", str(database))

    resource = (defs().resources or {})[DUCKDB_RESOURCE_KEY]

    assert resource.database == str(database)
