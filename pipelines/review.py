"""Work the entity-resolution review queue: list it, export it, record decisions.

    python -m pipelines.review queue                      # mentions waiting, best candidates
    python -m pipelines.review queue --csv queue.csv      # the queue with an empty decision column
    python -m pipelines.review decide FEED RECORD_ID USCC same --reviewer 王芳
    python -m pipelines.review import queue.csv --reviewer 王芳

A decision says whether a mention (feed and record id) refers to a candidate enterprise (same)
or not (not_same). Decisions are kept in resolution.review_decisions with the reviewer and the
time; the next run of the pipeline applies them (docs/entity_resolution.md).
"""

import argparse
import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
from stdnum.cn import uscc as uscc_code

from pipelines.lib.catalog import model_relation, table_exists
from pipelines.lib.cli import UserError, connect_warehouse, exit_status
from pipelines.lib.resolution.inputs import MENTIONS_MODEL
from pipelines.lib.resolution.store import DECISIONS, REVIEW_QUEUE, create_resolution_tables

#: Spellings accepted in the decision column of an imported sheet.
DECISION_WORDS = {
    "same": "same",
    "yes": "same",
    "是": "same",
    "not_same": "not_same",
    "not-same": "not_same",
    "no": "not_same",
    "否": "not_same",
}
QUEUE_COLUMNS = [
    "feed",
    "record_id",
    "mentioned_name",
    "mention_date",
    "candidate_rank",
    "candidate_uscc",
    "candidate_name",
    "match_probability",
    "evidence",
    "decision",
]


@dataclass(frozen=True)
class Decision:
    """One reviewer decision about one mention and one candidate."""

    feed: str
    record_id: str
    candidate_uscc: str
    decision: str


def _evidence_text(explanation: str | None) -> str:
    """Splink's per-comparison explanation as one readable line."""
    if not explanation:
        return ""
    parts = []
    for comparison, detail in json.loads(explanation).items():
        if isinstance(detail, dict):
            parts.append(f"{comparison}: {detail['level']} ({detail['match_weight']:+.1f})")
        else:
            parts.append(f"{comparison}: {detail:+.1f}")
    return "; ".join(parts)


def _require_resolution(connection: duckdb.DuckDBPyConnection) -> None:
    if not table_exists(connection, "resolution", "review_queue"):
        raise UserError("entity resolution has not run on this warehouse yet (run `make run`)")


def _queue_rows(connection: duckdb.DuckDBPyConnection, feed: str | None) -> list[dict]:
    _require_resolution(connection)
    rows = connection.execute(
        f"""
        select feed, record_id, mentioned_name, mention_date, candidate_rank, candidate_uscc,
            candidate_name, match_probability, explanation
        from {REVIEW_QUEUE}
        where ? is null or feed = ?
        order by feed, record_id, candidate_rank
        """,
        [feed, feed],
    ).fetchall()
    return [
        {
            "feed": row[0],
            "record_id": row[1],
            "mentioned_name": row[2],
            "mention_date": row[3].isoformat() if row[3] else "",
            "candidate_rank": row[4],
            "candidate_uscc": row[5],
            "candidate_name": row[6],
            "match_probability": round(row[7], 4),
            "evidence": _evidence_text(row[8]),
            "decision": "",
        }
        for row in rows
    ]


def _show_queue(rows: list[dict]) -> None:
    if not rows:
        print("The review queue is empty.")
        return
    mentions = len({(row["feed"], row["record_id"]) for row in rows})
    print(f"{mentions} mentions in review ({len(rows)} candidates):")
    current = None
    for row in rows:
        if (row["feed"], row["record_id"]) != current:
            current = (row["feed"], row["record_id"])
            date = f" on {row['mention_date']}" if row["mention_date"] else ""
            print(f"\n{row['feed']} {row['record_id']}: {row['mentioned_name']}{date}")
        print(
            f"  {row['candidate_rank']}. {row['candidate_uscc']} {row['candidate_name']}"
            f"  p={row['match_probability']:.3f}\n     {row['evidence']}"
        )


def _write_csv(rows: list[dict], path: Path) -> None:
    # utf-8-sig: Excel, which reviewers fill the sheet in, reads Chinese text only with the BOM.
    with path.open("w", newline="", encoding="utf-8-sig") as sheet:
        writer = csv.DictWriter(sheet, fieldnames=QUEUE_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"Wrote {len(rows)} candidates to {path}; fill in the decision column (same / not_same).")


def _read_decisions(path: Path) -> list[Decision]:
    """The filled-in rows of an exported queue sheet; every problem is reported at once."""
    if not path.is_file():
        raise UserError(f"no such file: {path}")
    with path.open(newline="", encoding="utf-8-sig") as sheet:
        reader = csv.DictReader(sheet)
        missing = {"feed", "record_id", "candidate_uscc", "decision"} - set(reader.fieldnames or [])
        if missing:
            raise UserError(f"{path}: missing columns {', '.join(sorted(missing))}")
        decisions, problems = [], []
        for line, row in enumerate(reader, start=2):
            word = (row["decision"] or "").strip().lower()
            if not word:
                continue
            if word not in DECISION_WORDS:
                problems.append(f"line {line}: decision {row['decision']!r} is not same/not_same")
                continue
            decisions.append(
                Decision(
                    row["feed"].strip(),
                    row["record_id"].strip(),
                    row["candidate_uscc"].strip().upper(),
                    DECISION_WORDS[word],
                )
            )
    if problems:
        raise UserError(f"{path}: " + "; ".join(problems))
    return decisions


def _validate(connection: duckdb.DuckDBPyConnection, decisions: list[Decision]) -> None:
    """Every decision names a known mention and a registered enterprise."""
    problems = []
    mentions = model_relation(connection, MENTIONS_MODEL)
    registry = model_relation(connection, "stg_registry__enterprises")
    for decision in decisions:
        if not uscc_code.is_valid(decision.candidate_uscc):
            problems.append(f"{decision.candidate_uscc} is not a valid USCC")
            continue
        known = connection.execute(
            f"select count(*) from {mentions} where feed = ? and record_id = ?",
            [decision.feed, decision.record_id],
        ).fetchone()[0]
        if not known:
            problems.append(f"no mention {decision.feed} {decision.record_id}")
        registered = connection.execute(
            f"select count(*) from {registry} where uscc = ?", [decision.candidate_uscc]
        ).fetchone()[0]
        if not registered:
            problems.append(f"{decision.candidate_uscc} is not a registered enterprise")
    if problems:
        raise UserError("; ".join(problems[:10]) + (" …" if len(problems) > 10 else ""))


def _record(decisions: list[Decision], reviewer: str, note: str | None) -> None:
    if not reviewer.strip():
        raise UserError("--reviewer must name the reviewer")
    connection = connect_warehouse(read_only=False)
    try:
        _require_resolution(connection)
        _validate(connection, decisions)
        create_resolution_tables(connection)
        connection.executemany(
            f"insert into {DECISIONS} values (?, ?, ?, ?, ?, ?, now()::timestamp)",
            [
                (d.feed, d.record_id, d.candidate_uscc, d.decision, reviewer.strip(), note)
                for d in decisions
            ],
        )
    finally:
        connection.close()
    print(
        f"Recorded {len(decisions)} decisions by {reviewer.strip()}; "
        "the next `make run` (or python -m pipelines.run) applies them."
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.review",
        description="Work the entity-resolution review queue (docs/entity_resolution.md).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    queue = commands.add_parser(
        "queue", help="show the mentions in review and their candidates, or export them"
    )
    queue.add_argument("--feed", help="only this feed, e.g. courts.cases")
    queue.add_argument(
        "--csv", type=Path, metavar="FILE", help="write the queue to FILE to fill in decisions"
    )
    decide = commands.add_parser("decide", help="record one decision")
    decide.add_argument("feed", help="the mention's feed, e.g. lists.talents")
    decide.add_argument("record_id", help="the mention's record id in that feed")
    decide.add_argument("uscc", help="the candidate enterprise's USCC")
    decide.add_argument(
        "decision", choices=["same", "not_same"], help="whether the mention is that enterprise"
    )
    decide.add_argument("--reviewer", required=True, help="who decides (kept with the decision)")
    decide.add_argument("--note", help="why, for the record")
    imported = commands.add_parser(
        "import", help="record the decisions filled in a sheet exported by `queue --csv`"
    )
    imported.add_argument("file", type=Path, help="the filled-in CSV sheet")
    imported.add_argument("--reviewer", required=True, help="who decided")
    return parser


def _run(args: argparse.Namespace) -> None:
    if args.command == "queue":
        connection = connect_warehouse(read_only=True)
        try:
            rows = _queue_rows(connection, args.feed)
        finally:
            connection.close()
        if args.csv:
            _write_csv(rows, args.csv)
        else:
            _show_queue(rows)
    elif args.command == "decide":
        decision = Decision(args.feed, args.record_id, args.uscc.strip().upper(), args.decision)
        _record([decision], args.reviewer, args.note)
    else:
        decisions = _read_decisions(args.file)
        if not decisions:
            raise UserError(f"{args.file}: no row has a decision filled in")
        _record(decisions, args.reviewer, f"imported from {args.file.name}")


def main(argv: list[str] | None = None) -> int:
    """Run one command; 0 on success, 2 for a problem with the input or the warehouse."""
    args = _parser().parse_args(argv)
    return exit_status(lambda: _run(args))


if __name__ == "__main__":
    sys.exit(main())
