"""The admin committee's decisions on a quarter's Haifan candidates, kept beside the computed list.

Decisions live in ``committee.haifan_decisions`` (append-only: the latest decision per quarter and
firm counts); the mart ``haifan_committee_decisions`` shows them next to each candidate.
"""

from dataclasses import dataclass

import duckdb

SCHEMA = "committee"
DECISIONS = f"{SCHEMA}.haifan_decisions"

_DDL = f"""
create schema if not exists {SCHEMA};
create table if not exists {DECISIONS} (
    quarter varchar not null,
    uscc varchar not null,
    decision varchar not null check (decision in ('approve', 'reject')),
    reason varchar,
    decided_by varchar not null,
    decided_at timestamp not null,
    check (decision = 'approve' or reason is not null)
);
"""


@dataclass(frozen=True)
class CommitteeDecision:
    """One decision on one firm of one quarter's list; a rejection carries its reason."""

    quarter: str
    uscc: str
    decision: str
    reason: str | None = None


def create_decisions_table(connection: duckdb.DuckDBPyConnection) -> None:
    """Create the schema and table where missing (idempotent)."""
    connection.execute(_DDL)


def problems_with(
    connection: duckdb.DuckDBPyConnection, candidates: str, decisions: list[CommitteeDecision]
) -> list[str]:
    """Why decisions cannot be recorded: not a candidate of that quarter, or a reasonless reject."""
    problems = []
    for d in decisions:
        if d.decision not in ("approve", "reject"):
            problems.append(f"{d.quarter} {d.uscc}: decision {d.decision!r} is not approve/reject")
        if d.decision == "reject" and not (d.reason or "").strip():
            problems.append(f"{d.quarter} {d.uscc}: a rejection needs a reason")
        listed = connection.execute(
            f"select count(*) from {candidates} where quarter = ? and uscc = ? and is_candidate",
            [d.quarter, d.uscc],
        ).fetchone()[0]
        if not listed:
            problems.append(f"{d.uscc} is not a candidate of {d.quarter}")
    return problems


def record_decisions(
    connection: duckdb.DuckDBPyConnection, decisions: list[CommitteeDecision], decided_by: str
) -> None:
    """Append the decisions, all in one transaction."""
    create_decisions_table(connection)
    connection.execute("begin transaction")
    try:
        connection.executemany(
            f"insert into {DECISIONS} values (?, ?, ?, ?, ?, now()::timestamp)",
            [(d.quarter, d.uscc, d.decision, d.reason, decided_by) for d in decisions],
        )
        connection.execute("commit")
    except BaseException:
        connection.execute("rollback")
        raise
