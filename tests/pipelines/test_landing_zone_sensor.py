"""The landing-zone sensor: new complete deliveries become partitions and one run per source."""

import shutil

import dagster as dg
import pytest

from pipelines.defs.automation.sensors import RANGE_END, RANGE_START, landing_zone_sensor
from pipelines.lib.contract import MANIFEST
from pipelines.lib.partitions import deliveries_partitions


@pytest.fixture
def landing(small_world, tmp_path, monkeypatch):
    """Two sources' first deliveries, plus one still being delivered (no manifest yet)."""
    root = tmp_path / "landing"
    for source in ("tax", "ratings"):
        for folder in sorted((small_world.landing / source).iterdir())[:2]:
            shutil.copytree(folder, root / source / folder.name)
    unfinished = root / "ratings" / "2099-01-05"
    shutil.copytree(sorted((small_world.landing / "ratings").iterdir())[2], unfinished)
    (unfinished / MANIFEST).unlink()
    monkeypatch.setenv("LANDING_DIR", str(root))
    return root


def _tick(instance: dg.DagsterInstance) -> dg.SensorResult:
    return landing_zone_sensor(dg.build_sensor_context(instance=instance))


def test_new_complete_deliveries_become_partitions_and_one_run_per_source(landing):
    with dg.instance_for_test() as instance:
        result = _tick(instance)

    added = {
        request.partitions_def_name: request.partition_keys
        for request in result.dynamic_partitions_requests
    }
    expected = {
        source: sorted(p.name for p in (landing / source).iterdir() if (p / MANIFEST).exists())
        for source in ("ratings", "tax")
    }
    assert added == {deliveries_partitions(s).name: keys for s, keys in expected.items()}
    ranges = {request.run_key: request.tags for request in result.run_requests}
    assert ranges == {
        f"{source}:{keys[0]}..{keys[-1]}": {RANGE_START: keys[0], RANGE_END: keys[-1]}
        for source, keys in expected.items()
    }
    assert all("2099-01-05" not in keys for keys in added.values())


def test_deliveries_already_registered_request_nothing(landing):
    with dg.instance_for_test() as instance:
        for request in _tick(instance).dynamic_partitions_requests:
            instance.add_dynamic_partitions(request.partitions_def_name, request.partition_keys)

        result = _tick(instance)

    assert result.run_requests == [] and result.dynamic_partitions_requests == []


def test_a_delivery_is_picked_up_once_its_manifest_arrives(landing, small_world):
    with dg.instance_for_test() as instance:
        for request in _tick(instance).dynamic_partitions_requests:
            instance.add_dynamic_partitions(request.partitions_def_name, request.partition_keys)
        source_folder = sorted((small_world.landing / "ratings").iterdir())[2]
        shutil.copy(source_folder / MANIFEST, landing / "ratings" / "2099-01-05" / MANIFEST)

        result = _tick(instance)

    assert [r.partition_keys for r in result.dynamic_partitions_requests] == [["2099-01-05"]]
    assert [r.run_key for r in result.run_requests] == ["ratings:2099-01-05..2099-01-05"]
