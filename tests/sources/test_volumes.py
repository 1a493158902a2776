"""Volumes and shares of the small world, and each source's delivery schedule."""

import pandas as pd
import pytest

from sources.config import SimulationConfig
from sources.simulate import simulate

pytestmark = pytest.mark.integration

SOURCES = ("registry", "regulation", "pboc", "courts", "subsidies", "tax", "ratings", "lists")
HAIDIAN = "海淀区"


@pytest.fixture(scope="module")
def firms(truth) -> pd.DataFrame:
    return truth("firms")


@pytest.fixture(scope="module")
def period(small_world) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(small_world.config.start), pd.Timestamp(small_world.config.end)


def _deliveries(delivered_files: pd.DataFrame, source: str, kind: str) -> pd.Series:
    rows = delivered_files[
        (delivered_files["source"] == source) & (delivered_files["kind"] == kind)
    ]
    return rows.drop_duplicates("delivery_id")["delivered_on"]


def test_firm_count_equals_the_configured_count(firms, small_world):
    assert len(firms) == small_world.config.firms


def test_the_smallest_allowed_world_can_be_simulated():
    # 100 firms is the least SimulationConfig accepts; the seed is the command line's default.
    simulation = simulate(SimulationConfig(firms=100, seed=42))

    assert len(simulation.world.firms) == 100


def test_every_firm_has_its_own_uscc(firms):
    assert firms["uscc"].is_unique


def test_registry_delivers_every_firm_established_before_the_end(
    firms, registry_enterprises, period
):
    established = firms[firms["established"] < period[1]]

    assert set(registry_enterprises["TYSHXYDM"]) == set(established["uscc"])


def test_registry_delivers_each_firm_once(registry_enterprises):
    assert registry_enterprises["TYSHXYDM"].is_unique


def test_large_firms_are_at_most_one_and_a_half_percent(firms):
    assert 0 < firms["is_large"].mean() <= 0.015


def test_technology_firms_are_five_to_ten_percent(firms):
    assert 0.05 <= firms["is_tech"].mean() <= 0.10


def test_firms_registered_outside_haidian_are_ten_to_thirty_percent(registry_enterprises):
    outside = (registry_enterprises["SSQX"] != HAIDIAN).mean()

    assert 0.10 <= outside <= 0.30


@pytest.mark.parametrize("source", SOURCES)
def test_full_extracts_are_delivered_on_the_start_date_only(source, delivered_files, period):
    full = _deliveries(delivered_files, source, "full")

    assert set(full) == {period[0]}


@pytest.mark.parametrize("source", SOURCES)
def test_no_delivery_falls_outside_the_period(source, delivered_files, period):
    days = delivered_files.loc[delivered_files["source"] == source, "delivered_on"]

    assert days.between(*period).all()


@pytest.mark.parametrize("source", ["registry", "courts"])
def test_daily_sources_deliver_every_day_after_the_start(source, delivered_files, period):
    days = _deliveries(delivered_files, source, "incremental")
    expected = pd.date_range(period[0] + pd.Timedelta(days=1), period[1])

    assert sorted(days) == list(expected)


def test_pboc_delivers_once_in_every_month_of_the_period(delivered_files, period):
    months = _deliveries(delivered_files, "pboc", "incremental").dt.to_period("M")
    expected = pd.period_range(period[0], period[1], freq="M")

    assert sorted(months) == list(expected)


def test_tax_delivers_in_every_year_of_the_period(delivered_files, period):
    years = _deliveries(delivered_files, "tax", "incremental").dt.year

    assert set(years) == set(range(period[0].year, period[1].year + 1))
