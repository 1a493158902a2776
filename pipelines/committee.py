"""Record the admin committee's decisions on a quarter's Haifan candidates.

    python -m pipelines.committee record 2026Q3 91110108MA01QXDW4B approve --by 李明
    python -m pipelines.committee record 2026Q3 <USCC> reject --reason 材料不全 --by 李明
    python -m pipelines.committee import decisions.csv --by 李明

The CSV sheet has the columns quarter, uscc, decision and reason.

Decisions are kept beside the computed list, never over it: marts.haifan_committee_decisions
shows each candidate with the latest decision (docs/haifan.md).
"""

import argparse
import csv
import sys
from pathlib import Path

from pipelines.lib.catalog import model_relation, table_exists
from pipelines.lib.cli import UserError, connect_warehouse, exit_status
from pipelines.lib.committee import CommitteeDecision, problems_with, record_decisions


def _read(path: Path) -> list[CommitteeDecision]:
    if not path.is_file():
        raise UserError(f"no such file: {path}")
    with path.open(newline="", encoding="utf-8-sig") as sheet:
        reader = csv.DictReader(sheet)
        missing = {"quarter", "uscc", "decision"} - set(reader.fieldnames or [])
        if missing:
            raise UserError(f"{path}: missing columns {', '.join(sorted(missing))}")
        return [
            CommitteeDecision(
                row["quarter"].strip(),
                row["uscc"].strip().upper(),
                row["decision"].strip().lower(),
                (row.get("reason") or "").strip() or None,
            )
            for row in reader
            if (row["decision"] or "").strip()
        ]


def _record(decisions: list[CommitteeDecision], decided_by: str) -> None:
    if not decided_by.strip():
        raise UserError("--by must name who records the decisions")
    if not decisions:
        raise UserError("no decision to record")
    connection = connect_warehouse(read_only=False)
    try:
        if not table_exists(connection, "main_marts", "haifan_candidates"):
            raise UserError("no Haifan list in this warehouse yet (run `make run`)")
        problems = problems_with(
            connection, model_relation(connection, "haifan_candidates"), decisions
        )
        if problems:
            raise UserError("; ".join(problems[:10]) + (" …" if len(problems) > 10 else ""))
        record_decisions(connection, decisions, decided_by.strip())
    finally:
        connection.close()
    print(f"Recorded {len(decisions)} committee decisions by {decided_by.strip()}.")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.committee",
        description="Record the admin committee's decisions on Haifan candidates.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    record = commands.add_parser("record", help="record one decision")
    record.add_argument("quarter", help="the quarter of the list, e.g. 2026Q3")
    record.add_argument("uscc", help="the candidate's USCC")
    record.add_argument("decision", choices=["approve", "reject"])
    record.add_argument("--reason", help="why (required to reject)")
    record.add_argument("--by", required=True, help="who records it")
    imported = commands.add_parser("import", help="record the decisions of a CSV sheet")
    imported.add_argument("file", type=Path, help="columns quarter, uscc, decision, reason")
    imported.add_argument("--by", required=True, help="who records them")
    return parser


def _run(args: argparse.Namespace) -> None:
    if args.command == "record":
        decision = CommitteeDecision(
            args.quarter.strip(), args.uscc.strip().upper(), args.decision, args.reason
        )
        _record([decision], args.by)
    else:
        _record(_read(args.file), args.by)


def main(argv: list[str] | None = None) -> int:
    """Run one command; 0 on success, 2 for a problem with the input or the warehouse."""
    args = _parser().parse_args(argv)
    return exit_status(lambda: _run(args))


if __name__ == "__main__":
    sys.exit(main())
