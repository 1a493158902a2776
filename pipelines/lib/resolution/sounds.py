"""Readings (pinyin without tones) of the characters of names.

A mistyped firm name usually keeps its sound (同音字: 兴达 for 星达), which makes a one-character
difference far stronger evidence.

Every reading of a character counts (长 is chang and zhang), since a name's context is unknown.
"""

import duckdb
import pyarrow as pa
from pypinyin import Style, pinyin


def _readings(character: str) -> str:
    """The character's readings joined by '|', or the character itself when it has none."""
    readings = pinyin(character, style=Style.NORMAL, heteronym=True, errors="default")[0]
    return "|".join(sorted(set(readings))) or character


def add_name_sounds(work: duckdb.DuckDBPyConnection, table: str) -> None:
    """Add ``name_sounds`` to ``table``: one entry of readings per character of its ``name_key``."""
    characters = [
        row[0]
        for row in work.sql(
            f"select distinct unnest(string_split(name_key, '')) from {table} where name_key <> ''"
        ).fetchall()
    ]
    sounds = pa.table({"character": characters, "readings": [_readings(c) for c in characters]})
    work.register("_character_sounds", sounds)
    try:
        work.execute(
            f"""
            create or replace table {table} as
            select
                {table}.*,
                list_transform(
                    string_split({table}.name_key, ''), c -> coalesce(sound_map[c], c)
                ) as name_sounds
            from {table}, (
                select map(list(character), list(readings)) as sound_map from _character_sounds
            )
            """
        )
    finally:
        work.unregister("_character_sounds")
