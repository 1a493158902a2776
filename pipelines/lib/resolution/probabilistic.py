"""The probabilistic tier: candidates scored by the Splink model, then one decision per mention.

Splink scores each (mention, name) pair on its own. A mention names at most one firm, so the
candidates of one mention compete: the probability that candidate j is the firm is its odds over
the sum of every candidate's odds plus the odds that the mention is none of them
(``unlinked_odds``). A lone candidate with good evidence becomes near-certain; two similar
candidates (near-twins, 有限公司 and 有限责任公司 of one trade name) share the probability and go
to review rather than one being picked.
"""

import math

import duckdb
from splink import Linker

from pipelines.lib.resolution.model import (
    MENTION_SIDE,
    prepare_sides,
    register_sides,
    splink_warnings,
)

#: Pairs scoring below this match weight (odds about 1 in 4,000) are not kept as candidates.
WEIGHT_FLOOR = -12.0


def _level_labels(model: dict) -> list[tuple[str, int, str]]:
    """(comparison, comparison vector value, label) for every level of the model.

    Splink numbers a comparison's levels from the most similar down to 0 for the else level, and
    -1 for the null level.
    """
    rows = []
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        value = sum(1 for level in levels if not level.get("is_null_level")) - 1
        for level in levels:
            label = level.get("label_for_charts") or level["sql_condition"]
            if level.get("is_null_level"):
                rows.append((comparison["output_column_name"], -1, label))
            else:
                rows.append((comparison["output_column_name"], value, label))
                value -= 1
    return rows


def score_candidates(work: duckdb.DuckDBPyConnection, model: dict, mentions: str) -> list[str]:
    """Create ``candidate_scores`` (mention_id, uscc, name_id, match_weight, explanation).

    One row per mention and enterprise (its best-scoring name), for the mentions in table
    ``mentions``. Returns Splink's warnings (e.g. parameters a small training set left at their
    defaults).
    """
    if work.sql(f"select count(*) from {mentions}").fetchone()[0] == 0:
        # Nothing left after the deterministic tiers: Splink is not started for no pairs.
        work.execute(
            "create or replace table candidate_scores (mention_id varchar, uscc varchar, "
            "name_id varchar, candidate_name varchar, match_weight double, explanation json)"
        )
        return []
    prepare_sides(work, mentions, "names")
    _, sides = register_sides(work)
    with splink_warnings() as warnings:
        linker = Linker(sides, model, log_level=None)
        predictions = linker.inference.predict(threshold_match_weight=WEIGHT_FLOOR)
    comparisons = [c["output_column_name"] for c in model["comparisons"]]
    prior = model["probability_two_random_records_match"]
    prior_weight = math.log2(prior / (1 - prior))
    work.execute(
        "create or replace table level_labels (comparison varchar, value int, label varchar)"
    )
    work.executemany("insert into level_labels values (?, ?, ?)", _level_labels(model))
    explanation = ", ".join(
        f"""'{name}', json_object(
                'level', (select label from level_labels
                          where comparison = '{name}' and value = gamma_{name}),
                'match_weight', round(mw_{name}, 2))"""
        for name in comparisons
    )
    work.execute(
        f"""
        create or replace table candidate_scores as
        with oriented as (
            select
                *,
                case when source_dataset_l = 'mentions' then unique_id_l else unique_id_r end
                    as mention_id,
                case when source_dataset_l = 'mentions' then unique_id_r else unique_id_l end
                    as name_id
            from {predictions.physical_name}
        )
        select
            oriented.mention_id,
            names.uscc,
            oriented.name_id,
            names.enterprise_name as candidate_name,
            oriented.match_weight,
            json_object({explanation}, 'prior', {prior_weight:.2f}) as explanation
        from oriented
        inner join names on oriented.name_id = names.name_id
        qualify row_number() over (
            partition by oriented.mention_id, names.uscc order by oriented.match_weight desc
        ) = 1
        """
    )
    predictions.drop_table_from_database_and_remove_from_cache()
    work.execute(f"drop table {MENTION_SIDE}")
    return warnings


def decide(work: duckdb.DuckDBPyConnection, unlinked_odds: float) -> None:
    """Create ``candidate_probabilities``: each candidate's probability among its mention's.

    Candidates a reviewer rejected (``rejected_candidates``) are left out first.
    """
    work.execute(
        f"""
        create or replace table candidate_probabilities as
        with kept as (
            select * from candidate_scores
            where not exists (
                select 1 from rejected_candidates as rejected
                where rejected.mention_id = candidate_scores.mention_id
                    and rejected.uscc = candidate_scores.uscc
            )
        )
        select
            *,
            pow(2, match_weight) / (
                {float(unlinked_odds)} + sum(pow(2, match_weight)) over (partition by mention_id)
            ) as match_probability,
            row_number() over (partition by mention_id order by match_weight desc)
                as candidate_rank
        from kept
        """
    )
