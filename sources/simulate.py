"""One simulation run: the world, every source's records, their deliveries and the ground truth."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sources._shared.landing import DefectLog, Landing
from sources.config import SimulationConfig
from sources.courts.deliver import deliver_courts
from sources.courts.entities import generate_cases, generate_dishonest
from sources.lists.deliver import deliver_lists
from sources.lists.entities import (
    generate_association_recommendations,
    generate_certificates,
    generate_incubators,
    generate_list_entries,
    generate_talents,
)
from sources.pboc.deliver import deliver_pboc
from sources.pboc.entities import generate_loans, generate_statuses
from sources.ratings.deliver import deliver_ratings
from sources.ratings.entities import SCALE, generate_ratings
from sources.registry.deliver import deliver_registry
from sources.registry.entities import RegistryRecords, generate_registry
from sources.regulation.deliver import deliver_regulation
from sources.regulation.entities import generate_list_events, generate_penalties
from sources.subsidies.deliver import deliver_subsidies
from sources.subsidies.entities import generate_funding, generate_programme_payments
from sources.tax.deliver import deliver_tax
from sources.tax.entities import generate_declarations
from sources.truth.haifan import haifan_outcomes
from sources.truth.policy import load_policy
from sources.world.entities import HAIDIAN, tax_office
from sources.world.generate import World, generate_world


@dataclass
class Simulation:
    """The clean records of every source about one world, each row dated by ``known_date``."""

    config: SimulationConfig
    world: World
    registry: RegistryRecords
    declarations: pd.DataFrame
    ratings: pd.DataFrame
    abnormal: pd.DataFrame
    serious: pd.DataFrame
    penalties: pd.DataFrame
    cases: pd.DataFrame
    parties: pd.DataFrame
    dishonest: pd.DataFrame
    funding: pd.DataFrame
    payments: pd.DataFrame
    lender_payments: pd.DataFrame
    loans: pd.DataFrame
    statuses: pd.DataFrame
    certificates: pd.DataFrame
    list_entries: pd.DataFrame
    talents: pd.DataFrame
    incubators: pd.DataFrame
    recommendations: pd.DataFrame
    association: pd.DataFrame

    def truth_inputs(self) -> dict[str, pd.DataFrame]:
        """The clean records the Haifan ground truth is computed from, keyed by firm number."""
        firms = self.world.firms
        enterprises = self.registry.enterprises.assign(
            is_legal_person=firms["is_legal_person"].to_numpy()[
                self.registry.enterprises["firm"].to_numpy()
            ]
        )
        list_events = pd.concat(
            [
                self.abnormal.assign(list_kind="abnormal"),
                self.serious.assign(list_kind="serious"),
                self.dishonest.rename(columns={"dishonest_id": "listing_id"}).assign(
                    list_kind="dishonest"
                ),
            ],
            ignore_index=True,
        )
        return {
            "enterprises": enterprises[
                ["firm", "known_date", "status", "area_code", "is_legal_person"]
            ],
            "changes": self.registry.changes[["firm", "kind", "day", "value", "known_date"]],
            "declarations": self.declarations.assign(
                is_haidian_office=self.declarations["tax_office"] == tax_office(HAIDIAN)
            )[["firm", "year", "revenue", "is_haidian_office", "known_date"]],
            "certificates": self.certificates[["firm", "issued_on", "expires_on", "known_date"]],
            "funding": self.funding[["firm", "counts_for", "granted_on", "known_date"]],
            "list_entries": self.list_entries[["firm", "list_name", "edition", "known_date"]],
            "talents": self.talents[["record_id", "firm", "started_on", "ended_on", "known_date"]],
            "incubators": self.incubators[
                ["incubator_name", "recognised_on", "revoked_on", "known_date"]
            ],
            "recommendations": self.recommendations[
                ["firm", "incubator_name", "recommended_on", "known_date"]
            ],
            "association": self.association[["firm", "recommended_on", "known_date"]],
            "ratings": self.ratings.assign(grade_rank=self.ratings["grade"].map(SCALE.index))[
                ["firm", "grade_rank", "rated_on", "known_date"]
            ],
            "list_events": list_events[
                ["list_kind", "listing_id", "firm", "event", "day", "known_date"]
            ],
            "cases": self.cases[["defendant", "is_fraud", "judged_on", "known_date"]],
            "penalties": self.penalties[["firm", "violation", "decided_on", "known_date"]],
        }

    def entity_links(self) -> pd.DataFrame:
        """(feed, record_id, uscc) for every name-keyed record.

        The USCC is null for organisations outside the world (banks, prosecutors), which must
        stay unresolved.
        """
        parties = self.parties[self.parties["party_type"] == "法人"]
        funding = self.funding[self.funding["department"] == "haidian_park"]
        entries = self.list_entries.assign(feed="lists." + self.list_entries["list_key"])
        frames = [
            pd.DataFrame(
                {"feed": "courts.cases", "record_id": parties["record_id"], "uscc": parties["uscc"]}
            ),
            pd.DataFrame(
                {
                    "feed": "courts.dishonest_debtors",
                    "record_id": self.dishonest["record_id"],
                    "uscc": self.dishonest["uscc"],
                }
            ),
            pd.DataFrame(
                {
                    "feed": "subsidies.haidian_park",
                    "record_id": funding["grant_id"],
                    "uscc": funding["uscc"],
                }
            ),
            pd.DataFrame(
                {
                    "feed": entries["feed"],
                    "record_id": entries["record_id"],
                    "uscc": entries["uscc"],
                }
            ),
            pd.DataFrame(
                {
                    "feed": "lists.talents",
                    "record_id": self.talents["record_id"],
                    "uscc": self.talents["uscc"],
                }
            ).drop_duplicates(),
            pd.DataFrame(
                {
                    "feed": "lists.incubator_recommendations",
                    "record_id": self.recommendations["record_id"],
                    "uscc": self.recommendations["uscc"],
                }
            ),
            pd.DataFrame(
                {
                    "feed": "lists.association_recommendations",
                    "record_id": self.association["record_id"],
                    "uscc": self.association["uscc"],
                }
            ),
        ]
        return (
            pd.concat(frames, ignore_index=True)
            .astype({"record_id": str})
            .sort_values(["feed", "record_id"], ignore_index=True)
        )


Progress = Callable[[str, float], None]


def _quiet(step: str, seconds: float) -> None:
    """Progress callback that reports nothing."""


def simulate(config: SimulationConfig, progress: Progress = _quiet) -> Simulation:
    """Generate the world and every source's clean records (nothing is written)."""
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        progress(name, now - clock)
        clock = now

    world = generate_world(config)
    step("world")
    registry = generate_registry(world, config)
    declarations = generate_declarations(world, config)
    ratings = generate_ratings(world, config)
    abnormal, serious = generate_list_events(world, config)
    penalties = generate_penalties(world, config)
    step("registry, tax, ratings, regulation records")
    cases, parties = generate_cases(world, config)
    dishonest = generate_dishonest(world, config)
    funding = generate_funding(world, config)
    payments, lender_payments = generate_programme_payments(world, ratings, config)
    loans = generate_loans(world, config)
    statuses = generate_statuses(loans, config)
    step("courts, subsidies, pboc records")
    incubators, recommendations = generate_incubators(world, config)
    simulation = Simulation(
        config=config,
        world=world,
        registry=registry,
        declarations=declarations,
        ratings=ratings,
        abnormal=abnormal,
        serious=serious,
        penalties=penalties,
        cases=cases,
        parties=parties,
        dishonest=dishonest,
        funding=funding,
        payments=payments,
        lender_payments=lender_payments,
        loans=loans,
        statuses=statuses,
        certificates=generate_certificates(world, config),
        list_entries=generate_list_entries(world, config),
        talents=generate_talents(world, config),
        incubators=incubators,
        recommendations=recommendations,
        association=generate_association_recommendations(world, config),
    )
    step("lists records")
    return simulation


@dataclass
class RunResult:
    """What a run wrote: delivery manifests, truth tables, database URL and step timings."""

    manifests: list[dict]
    truth: dict[str, pd.DataFrame]
    database_url: str
    timings: dict[str, float] = field(default_factory=dict)


def run(
    config: SimulationConfig,
    landing_dir: Path,
    truth_dir: Path,
    database_url: str | None = None,
    progress: Progress = _quiet,
) -> RunResult:
    """Simulate, deliver every source to ``landing_dir`` and write the truth to ``truth_dir``."""
    timings: dict[str, float] = {}

    def record(name: str, seconds: float) -> None:
        timings[name] = seconds
        progress(name, seconds)

    simulation = simulate(config, record)
    defects = DefectLog()
    landing = Landing(landing_dir, defects)
    world = simulation.world
    clock = time.perf_counter()
    for name, deliver in (
        ("registry", lambda: deliver_registry(simulation.registry, landing, config)),
        (
            "tax",
            lambda: deliver_tax(
                simulation.declarations,
                world.firms.set_index("uscc")["industry_code"],
                landing,
                config,
            ),
        ),
        ("ratings", lambda: deliver_ratings(simulation.ratings, landing, config)),
        (
            "regulation",
            lambda: deliver_regulation(
                simulation.abnormal, simulation.serious, simulation.penalties, landing, config
            ),
        ),
        (
            "courts",
            lambda: deliver_courts(
                simulation.cases, simulation.parties, simulation.dishonest, world, landing, config
            ),
        ),
        (
            "pboc",
            lambda: deliver_pboc(simulation.loans, simulation.statuses, world, landing, config),
        ),
        (
            "lists",
            lambda: deliver_lists(
                simulation.certificates,
                simulation.list_entries,
                simulation.talents,
                simulation.incubators,
                simulation.recommendations,
                simulation.association,
                world,
                landing,
                config,
            ),
        ),
    ):
        deliver()
        now = time.perf_counter()
        record(f"deliver {name}", now - clock)
        clock = now
    database_url = deliver_subsidies(
        simulation.funding,
        simulation.payments,
        simulation.lender_payments,
        world,
        landing,
        config,
        database_url,
    )
    manifests = landing.write_manifests()
    now = time.perf_counter()
    record("deliver subsidies", now - clock)
    clock = now

    outcomes = haifan_outcomes(simulation.truth_inputs(), load_policy(), config.start, config.end)
    outcomes.insert(2, "uscc", world.firms["uscc"].to_numpy()[outcomes["firm"].to_numpy()])
    outcomes["rating"] = outcomes["grade_rank"].map(
        lambda r: SCALE[int(r)] if pd.notna(r) else None
    )
    outcomes = outcomes.drop(columns=["firm", "grade_rank"])
    firms = world.firms.reset_index(drop=True)[
        ["uscc", "type_class", "industry_code", "area_code", "established", "is_tech", "is_large"]
    ]
    truth = {
        "entity_links": simulation.entity_links(),
        "defects": defects.frame(),
        "haifan_outcomes": outcomes,
        "firms": firms,
    }
    truth_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in truth.items():
        frame.to_parquet(truth_dir / f"{name}.parquet", index=False)
    record("ground truth", time.perf_counter() - clock)
    return RunResult(manifests=manifests, truth=truth, database_url=database_url, timings=timings)
