"""Verify the Haifan list against the simulator's ground truth, quarter by quarter, firm by firm.

Every firm of every quarter is compared on each check (B1-B3, C1-C7, M1-M2) and on the result.
A firm that differs is explained when one of its records was made unrecoverable by an injected
defect (truth/defects.parquet, recoverable = false: a truncated file, an undecodable row, a
missing key), or when one of its name-keyed mentions is not linked to it by entity resolution
(in review, unresolved, or linked elsewhere). Any other difference is unexplained: a bug in the
platform or in the simulator's truth, and the command exits 1.

    python -m bench.verify_haifan --warehouse warehouse/credit.duckdb --truth truth   # make verify
"""

import argparse
import json
import sys
from pathlib import Path

import duckdb

from pipelines.lib.catalog import model_relation

RESULTS = Path(__file__).resolve().parent / "results"

#: Check id of the truth -> its column in haifan_candidates.
CHECKS = {
    "b1": "b1_is_operating_and_taxed_in_haidian",
    "b2": "b2_is_independent_legal_person",
    "b3": "b3_is_within_revenue_cap",
    "c1": "c1_is_growing_technology_sme",
    "c2": "c2_has_zgc_or_park_grant",
    "c3": "c3_has_hkj_or_zgc_group_funding",
    "c4": "c4_is_on_latest_growth_list",
    "c5": "c5_employs_programme_talent",
    "c6": "c6_is_incubator_recommended",
    "c7": "c7_is_association_recommended",
    "m1": "m1_has_valid_rating",
    "m2": "m2_is_not_disqualified",
    "is_candidate": "is_candidate",
}


def _differences(connection: duckdb.DuckDBPyConnection, truth: Path, candidates: str) -> None:
    """Create ``differences``: one row per quarter and firm whose result or a check differs."""
    differing = " or ".join(
        f"platform.{column} is distinct from truth.{check}" for check, column in CHECKS.items()
    )
    checks = ", ".join(
        f"case when platform.{column} is distinct from truth.{check} then '{check}' end"
        for check, column in CHECKS.items()
    )
    connection.execute(
        f"""
        create temp table truth_outcomes as
        select * from read_parquet('{truth / "haifan_outcomes.parquet"}');
        create temp table truth_defects as
        select * from read_parquet('{truth / "defects.parquet"}');
        create temp table truth_links as
        select * from read_parquet('{truth / "entity_links.parquet"}');

        create temp table differences as
        with compared as (
            select
                coalesce(truth.quarter, platform.quarter) as quarter,
                coalesce(truth.uscc, platform.uscc) as uscc,
                truth.is_candidate as truth_is_candidate,
                platform.is_candidate as platform_is_candidate,
                list_filter([{checks}], check_id -> check_id is not null) as differing_checks
            from truth_outcomes as truth
            full outer join {candidates} as platform
                on truth.quarter = platform.quarter and truth.uscc = platform.uscc
            where truth.uscc is null or platform.uscc is null or {differing}
        ),
        defects as (
            select uscc, list(distinct defect_class || ' in ' || feed || ' (' || coalesce(
                record_id, file) || ')') as unrecoverable_defects
            from truth_defects
            where not recoverable and uscc is not null
            group by uscc
        ),
        missed_mentions as (
            select links.uscc, links.feed || ' ' || links.record_id || ': '
                || coalesce(outcomes.resolution_status, 'not resolved') as mention
            from truth_links as links
            left join resolution.entity_resolutions as outcomes
                on links.feed = outcomes.feed and links.record_id = outcomes.record_id
            where links.uscc is not null
                and (outcomes.uscc is distinct from links.uscc
                    or outcomes.resolution_status is distinct from 'resolved')
            union all
            select outcomes.uscc, outcomes.feed || ' ' || outcomes.record_id
                || ': linked here, truth says ' || coalesce(links.uscc, 'no firm')
            from resolution.entity_resolutions as outcomes
            left join truth_links as links
                on links.feed = outcomes.feed and links.record_id = outcomes.record_id
            where outcomes.resolution_status = 'resolved'
                and outcomes.uscc is distinct from links.uscc
        ),
        resolution_misses as (
            select uscc, list(distinct mention) as unlinked_mentions
            from missed_mentions
            group by uscc
        )
        select
            compared.*,
            defects.unrecoverable_defects,
            misses.unlinked_mentions,
            case
                when defects.uscc is not null then 'unrecoverable defect'
                when misses.uscc is not null then 'entity resolution'
                else 'unexplained'
            end as explanation
        from compared
        left join defects on compared.uscc = defects.uscc
        left join resolution_misses as misses on compared.uscc = misses.uscc
        """
    )


def main(argv: list[str] | None = None) -> int:
    """Compare, print a table per quarter, save the report; 1 if a difference is unexplained."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.verify_haifan", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--warehouse", type=Path, required=True, help="a built warehouse")
    parser.add_argument("--truth", type=Path, required=True, help="the simulator's truth folder")
    parser.add_argument(
        "--report",
        type=Path,
        default=RESULTS / "verify-haifan.json",
        help="where to write every differing firm with its explanation (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    for path in (args.warehouse, args.truth / "haifan_outcomes.parquet"):
        if not path.exists():
            print(f"error: {path} does not exist", file=sys.stderr)
            return 2
    try:
        connection = duckdb.connect(str(args.warehouse), read_only=True)
    except duckdb.IOException as error:
        print(f"error: cannot open {args.warehouse}: {error}", file=sys.stderr)
        return 2
    candidates = model_relation(connection, "haifan_candidates")
    _differences(connection, args.truth.resolve(), candidates)
    per_quarter = connection.sql(
        f"""
        with truth as (
            select quarter, count(*) as firms, count(*) filter (where is_candidate) as candidates
            from truth_outcomes group by quarter
        ),
        platform as (
            select quarter, count(*) filter (where is_candidate) as candidates
            from {candidates} group by quarter
        ),
        differing as (
            select
                quarter,
                count(*) filter (
                    where coalesce(truth_is_candidate, false)
                        <> coalesce(platform_is_candidate, false)
                ) as result_differs,
                count(*) filter (where explanation = 'unrecoverable defect') as by_defect,
                count(*) filter (where explanation = 'entity resolution') as by_resolution,
                count(*) filter (where explanation = 'unexplained') as unexplained
            from differences group by quarter
        )
        select
            truth.quarter, truth.firms, truth.candidates as truth_candidates,
            coalesce(platform.candidates, 0) as platform_candidates,
            coalesce(differing.result_differs, 0) as result_differs,
            coalesce(differing.by_defect, 0) as firms_differing_by_defect,
            coalesce(differing.by_resolution, 0) as firms_differing_by_resolution,
            coalesce(differing.unexplained, 0) as firms_differing_unexplained
        from truth
        left join platform using (quarter)
        left join differing using (quarter)
        order by truth.quarter
        """
    )
    print(per_quarter.df().to_string(index=False))
    rows = [dict(zip(per_quarter.columns, row, strict=True)) for row in per_quarter.fetchall()]
    firms = connection.execute(
        "select quarter, uscc, truth_is_candidate, platform_is_candidate, differing_checks, "
        "explanation, unrecoverable_defects, unlinked_mentions from differences "
        "order by quarter, explanation, uscc"
    ).fetchall()
    columns = [
        "quarter",
        "uscc",
        "truth_is_candidate",
        "platform_is_candidate",
        "differing_checks",
        "explanation",
        "unrecoverable_defects",
        "unlinked_mentions",
    ]
    report = {
        "benchmark": "verify_haifan",
        "quarters": rows,
        "firms_differing": [dict(zip(columns, row, strict=True)) for row in firms],
    }
    path = args.report
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n")
    unexplained = [row for row in firms if row[5] == "unexplained"]
    for row in unexplained[:20]:
        print(f"UNEXPLAINED {row[0]} {row[1]}: checks {row[4]}")
    print(f"Report of every differing firm and its explanation: {path}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
