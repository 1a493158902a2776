"""The Splink model of the probabilistic tier: its comparisons, blocking and unsupervised training.

Mentions (left) are linked to enterprise names (right), ``link_only``. The comparisons:

- ``name``: name keys equal; one character different but the same sound (同音); one character
  different; two characters different; else. Characters, not
  bytes: DuckDB's levenshtein() counts UTF-8 bytes, three per Chinese character.
- ``company_form``: the same form; 有限公司 against 有限责任公司; else (a branch is not its parent).
- ``district``: the court's or programme's district against the registration district.
- ``mention_date``: the name in use on the mention's date; a former name within the grace
  period; the firm not yet established; else.
- ``legal_representative``: the firm's legal representative among the judgment's persons.

Blocking covers every single-character substitution: the first two characters of the key, the
key from its second character, and the key without its second character.

Training uses no labels: u from random pairs, the prior from exact key matches, m by expectation
maximisation in two sessions (blocked on the key, which trains everything but the name, and on its
first two characters, which trains the name).
"""

import contextlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import splink
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

#: Columns of both sides of the linkage (Splink needs the same columns on both).
SPLINK_COLUMNS = [
    "unique_id",
    "name_key",
    "name_sounds",
    "company_form",
    "district",
    "mention_date",
    "valid_from_date",
    "valid_to_date",
    "established_date",
    "person_names",
    "representative_name",
    "key_head",
    "key_tail",
    "key_skip",
]

#: SQL macros the comparisons use, created in every working connection. char_differences is
#: null for names of different lengths; a cheap byte comparison first settles most pairs (a
#: differing character differs in at most 3 of its UTF-8 bytes), since training compares millions
#: of random pairs and the character-by-character count costs ten times as much.
_MACROS = """
create or replace macro char_differences(a, b) as
    case
        when length(a) <> length(b) then null
        -- Nested: DuckDB evaluates both sides of an AND, and hamming() needs equal byte lengths.
        when case when strlen(a) = strlen(b) then hamming(a, b) > 6 else false end then 3
        else list_count(list_filter(
            range(1, length(a) + 1), i -> substring(a, i, 1) <> substring(b, i, 1)))
    end;
create or replace macro differs_by_one_homophone(a, b, sounds_a, sounds_b) as
    case
        when char_differences(a, b) = 1 then list_bool_or(list_transform(
            range(1, length(a) + 1),
            i -> substring(a, i, 1) <> substring(b, i, 1)
                and list_has_any(string_split(sounds_a[i], '|'), string_split(sounds_b[i], '|'))
        ))
        else false
    end;
"""

#: Working tables holding the two sides in Splink's shape.
MENTION_SIDE = "splink_mentions"
NAME_SIDE = "splink_names"


def create_macros(work: duckdb.DuckDBPyConnection) -> None:
    """Create the comparison macros in the working connection."""
    work.execute(_MACROS)


def prepare_sides(work: duckdb.DuckDBPyConnection, mentions: str, names: str) -> None:
    """Shape ``mentions`` and ``names`` as the two sides of the linkage."""
    blocking_keys = """
        left(name_key, 2) as key_head,
        substr(name_key, 2) as key_tail,
        left(name_key, 1) || substr(name_key, 3) as key_skip"""
    work.execute(
        f"""
        create or replace table {MENTION_SIDE} as
        select
            mention_id as unique_id, name_key, name_sounds, company_form, district,
            mention_date, null::date as valid_from_date, null::date as valid_to_date,
            null::date as established_date, related_person_names as person_names,
            null::varchar as representative_name, {blocking_keys}
        from {mentions}
        where name_key is not null;
        create or replace table {NAME_SIDE} as
        select
            name_id as unique_id, name_key, name_sounds, company_form,
            registration_district as district, null::date as mention_date, valid_from_date,
            valid_to_date, established_date, null::varchar[] as person_names,
            legal_representative_name as representative_name, {blocking_keys}
        from {names}
        where name_key is not null
        """
    )


def _name_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="name",
        comparison_description="name key, character by character",
        comparison_levels=[
            cll.NullLevel("name_key").configure(label_for_charts="no name"),
            cll.CustomLevel("name_key_l = name_key_r", "same name key"),
            cll.CustomLevel(
                "differs_by_one_homophone(name_key_l, name_key_r, name_sounds_l, name_sounds_r)",
                "one character different, same sound",
            ),
            cll.CustomLevel(
                "char_differences(name_key_l, name_key_r) = 1", "one character different"
            ),
            cll.CustomLevel(
                "char_differences(name_key_l, name_key_r) = 2", "two characters different"
            ),
            cll.ElseLevel().configure(label_for_charts="names differ more"),
        ],
    )


def _form_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="company_form",
        comparison_description="legal form ending the name",
        comparison_levels=[
            cll.NullLevel("company_form").configure(label_for_charts="no form known"),
            cll.CustomLevel("company_form_l = company_form_r", "same form"),
            cll.CustomLevel(
                "company_form_l in ('有限公司', '有限责任公司') "
                "and company_form_r in ('有限公司', '有限责任公司')",
                "有限公司 and 有限责任公司",
            ),
            cll.ElseLevel().configure(label_for_charts="different form"),
        ],
    )


def _district_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="district",
        comparison_description="district the record points to against the registration district",
        comparison_levels=[
            cll.CustomLevel(
                "district_l is null or district_r is null", "no district known"
            ).configure(is_null_level=True),
            cll.CustomLevel("district_l = district_r", "same district"),
            cll.ElseLevel().configure(label_for_charts="different district"),
        ],
    )


def _date_comparison(grace_days: int) -> cl.CustomComparison:
    in_use = (
        "mention_date_l >= valid_from_date_r "
        "and (valid_to_date_r is null or mention_date_l < valid_to_date_r)"
    )
    return cl.CustomComparison(
        output_column_name="mention_date",
        comparison_description="mention date against the name's validity",
        comparison_levels=[
            cll.CustomLevel("mention_date_l is null", "no mention date").configure(
                is_null_level=True
            ),
            cll.CustomLevel(in_use, "name in use on the mention date"),
            cll.CustomLevel(
                f"mention_date_l >= valid_to_date_r "
                f"and mention_date_l < valid_to_date_r + {int(grace_days)}",
                "former name, within the grace period",
            ),
            cll.CustomLevel(
                "mention_date_l < established_date_r", "before the firm was established"
            ),
            cll.ElseLevel().configure(label_for_charts="name not in use on the mention date"),
        ],
    )


def _representative_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="legal_representative",
        comparison_description="legal representative among the record's persons",
        comparison_levels=[
            cll.CustomLevel(
                "person_names_l is null or representative_name_r is null", "not known"
            ).configure(is_null_level=True),
            cll.CustomLevel(
                "list_contains(person_names_l, representative_name_r)",
                "legal representative named",
            ),
            cll.ElseLevel().configure(label_for_charts="legal representative not among them"),
        ],
    )


def settings(grace_days: int) -> SettingsCreator:
    """The untrained model."""
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[
            block_on("key_head"),
            block_on("key_tail"),
            block_on("key_skip"),
        ],
        comparisons=[
            _name_comparison(),
            _form_comparison(),
            _district_comparison(),
            _date_comparison(grace_days),
            _representative_comparison(),
        ],
        retain_intermediate_calculation_columns=True,
    )


@dataclass(frozen=True)
class TrainedModel:
    """A model's Splink JSON, what it was trained on, and Splink's warnings while training."""

    model: dict
    mentions: int
    names: int
    seconds: float
    warnings: list[str]
    splink_version: str = splink.__version__


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split()))


@contextlib.contextmanager
def splink_warnings() -> Iterator[list[str]]:
    """Collect Splink's warnings (levels not observed in training, untrained parameters).

    Splink would print them to stderr; the assets record them in Dagster's event log instead.
    """
    splink_logger = logging.getLogger("splink")
    collector = _Collector()
    propagate, level = splink_logger.propagate, splink_logger.level
    splink_logger.addHandler(collector)
    splink_logger.propagate = False
    splink_logger.setLevel(logging.WARNING)
    try:
        yield collector.messages
    finally:
        splink_logger.removeHandler(collector)
        splink_logger.propagate, splink_logger.level = propagate, level


def register_sides(work: duckdb.DuckDBPyConnection) -> tuple[DuckDBAPI, list]:
    """Splink's database API on ``work`` and the two sides registered with it."""
    database = DuckDBAPI(work)
    sides = [
        database.register(MENTION_SIDE, dataset_display_name="mentions"),
        database.register(NAME_SIDE, dataset_display_name="names"),
    ]
    return database, sides


def train(work: duckdb.DuckDBPyConnection, grace_days: int, seed: int = 42) -> TrainedModel:
    """Train a model on the prepared sides (``prepare_sides``) without labels."""
    started = time.perf_counter()
    _, sides = register_sides(work)
    with splink_warnings() as warnings:
        linker = Linker(sides, settings(grace_days), log_level=None)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("name_key")], recall=0.95
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=5_000_000, seed=seed)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("name_key"), estimate_without_term_frequencies=True
        )
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("key_head"), estimate_without_term_frequencies=True
        )
    counts = {
        side: work.sql(f"select count(*) from {side}").fetchone()[0]
        for side in (MENTION_SIDE, NAME_SIDE)
    }
    return TrainedModel(
        model=linker.misc.save_model_to_json(),
        mentions=counts[MENTION_SIDE],
        names=counts[NAME_SIDE],
        seconds=time.perf_counter() - started,
        warnings=warnings,
    )
