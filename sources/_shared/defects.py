"""Defect injection: the imperfections of real deliveries, at configured rates, marked for the log.

Each helper marks the rows it damaged in the frame's private ``_defect`` column (classes joined by
``|``) and ``_detail``; the landing writer logs them with their final row numbers.
"""

import numpy as np
import pandas as pd

from sources._shared import codes
from sources._shared.calendar import styled_dates
from sources._shared.names import TRADITIONAL_MAP, TYPO_MAP

_FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
_HALF_WIDTH = {v: k for k, v in _FULL_WIDTH.items()} | {"（": "(", "）": ")"}


def mark(frame: pd.DataFrame, rows: np.ndarray, defect: str, detail: pd.Series | str = "") -> None:
    """Mark rows (positions) of ``frame`` as carrying a defect."""
    if "_defect" not in frame.columns:
        frame["_defect"] = ""
        frame["_detail"] = ""
    if len(rows) == 0:
        return
    column = frame.columns.get_loc("_defect")
    previous = frame.iloc[rows, column].to_numpy().astype(str)
    frame.iloc[rows, column] = np.where(previous == "", defect, np.char.add(previous, "|" + defect))
    details = (
        detail.to_numpy().astype(str)
        if isinstance(detail, pd.Series)
        else np.full(len(rows), detail, dtype=object).astype(str)
    )
    # Details line up with the classes in ``_defect``: one per class, joined the same way.
    previous_details = frame.iloc[rows, frame.columns.get_loc("_detail")].to_numpy().astype(str)
    details = np.where(
        previous == "", details, np.char.add(np.char.add(previous_details, "|"), details)
    )
    frame.iloc[rows, frame.columns.get_loc("_detail")] = details


def choose(rng: np.random.Generator, size: int, rate: float) -> np.ndarray:
    """Positions of the rows hit by a defect of the given rate."""
    return np.flatnonzero(rng.random(size) < rate)


def name_variant(name: str, pick: int) -> str:
    """A different spelling of the same name, as other systems write it."""
    kind = pick % 5
    if kind == 0 and ("(" in name or "（" in name):
        return (
            name.replace("（", "(").replace("）", ")")
            if "（" in name
            else name.replace("(", "（").replace(")", "）")
        )
    if kind <= 1 and name.startswith("北京") and not name.startswith("北京市"):
        return "北京市" + name[2:]
    if kind == 2 and name.endswith("有限公司") and not name.endswith("股份有限公司"):
        return name[:-4] + "有限责任公司"
    if kind == 3 and name.startswith("北京"):
        return name[2:] + "（北京）" if pick % 2 else name[2:]
    return name[:2] + " " + name[2:]


def typo(name: str, pick: int) -> str:
    """The name with one trade-name character replaced by a homophone or look-alike."""
    positions = [i for i, c in enumerate(name) if c in TYPO_MAP and i >= 2]
    if not positions:
        return name[:-1] + "司" if not name.endswith("司") else name.replace("公司", "公 司")
    i = positions[pick % len(positions)]
    return name[:i] + TYPO_MAP[name[i]] + name[i + 1 :]


def traditional(name: str) -> str:
    """The name in traditional characters where they differ."""
    return "".join(TRADITIONAL_MAP.get(c, c) for c in name)


def to_full_width(text: str) -> str:
    """ASCII letters, digits and punctuation as full-width forms."""
    return "".join(_FULL_WIDTH.get(c, c) for c in text)


def vary_names(
    frame: pd.DataFrame, column: str, rng: np.random.Generator, rates: dict[str, float]
) -> None:
    """Damage a name column: variants, typos and traditional characters at their rates."""
    n = len(frame)
    names = frame[column].to_numpy(dtype=object).copy()
    picks = rng.integers(0, 1000, n)
    damaged = np.zeros(n, dtype=bool)
    for defect, function in (
        ("typo", typo),
        ("traditional_chars", None),
        ("name_variant", name_variant),
    ):
        rows = choose(rng, n, rates[defect])
        rows = rows[~damaged[rows]]
        if function is None:
            new = [traditional(names[i]) for i in rows]
        else:
            new = [function(names[i], picks[i]) for i in rows]
        changed = np.array([a != names[i] for a, i in zip(new, rows, strict=True)], dtype=bool)
        rows = rows[changed]
        before = names[rows].copy()
        names[rows] = np.array(new, dtype=object)[changed]
        damaged[rows] = True
        mark(frame, rows, defect, pd.Series(before, dtype=object).radd("was "))
    frame[column] = names


def corrupt_codes(
    frame: pd.DataFrame, column: str, rng: np.random.Generator, rates: dict[str, float]
) -> None:
    """Damage a USCC column: wrong check characters and empty keys at their rates."""
    n = len(frame)
    values = frame[column].to_numpy(dtype=object).copy()
    bad = choose(rng, n, rates["invalid_uscc_check"])
    values[bad] = [codes.corrupt_check_character(values[i]) for i in bad]
    mark(frame, bad, "invalid_uscc_check")
    empty = choose(rng, n, rates["missing_key"])
    empty = empty[~np.isin(empty, bad)]
    values[empty] = None
    mark(frame, empty, "missing_key")
    frame[column] = values


def blank_optional(
    frame: pd.DataFrame, columns: list[str], rng: np.random.Generator, rate: float
) -> None:
    """Leave optional fields empty at the given rate (one field per damaged row)."""
    rows = choose(rng, len(frame), rate)
    which = rng.integers(0, len(columns), len(rows))
    for k, column in enumerate(columns):
        target = rows[which == k]
        frame.iloc[target, frame.columns.get_loc(column)] = None
        mark(frame, target, "missing_value", f"{column} empty")


def duplicate_rows(frame: pd.DataFrame, rng: np.random.Generator, rate: float) -> pd.DataFrame:
    """Deliver some rows twice; the copy follows its original."""
    repeats = 1 + (rng.random(len(frame)) < rate)
    if repeats.max(initial=1) == 1:
        return frame
    order = np.repeat(np.arange(len(frame)), repeats)
    out = frame.iloc[order].reset_index(drop=True)
    copies = np.flatnonzero(np.diff(order, prepend=-1) == 0)
    mark(out, copies, "duplicate_row", "copy of the previous row")
    return out


def mix_date_formats(
    frame: pd.DataFrame,
    column: str,
    rng: np.random.Generator,
    rate: float,
    styles: tuple[str, ...] = ("slash", "chinese", "compact"),
) -> None:
    """Write some dates of a text date column in another style (see ``DATE_STYLES``)."""
    rows = choose(rng, len(frame), rate)
    rows = rows[frame[column].iloc[rows].notna().to_numpy()]
    if len(rows) == 0:
        return
    parsed = pd.to_datetime(frame[column].iloc[rows], format="mixed").to_numpy()
    style = np.array(styles)[rng.integers(0, len(styles), len(rows))]
    frame.iloc[rows, frame.columns.get_loc(column)] = [
        styled_dates(parsed[k : k + 1], s)[0] for k, s in enumerate(style)
    ]
    mark(frame, rows, "date_format_mix", f"{column} in another style")


def use_former_names(
    frame: pd.DataFrame,
    name_column: str,
    names_table: pd.DataFrame,
    rng: np.random.Generator,
    rate: float,
) -> None:
    """Let records of recently renamed firms keep the former name, and log every former name used.

    The frame needs private columns ``_firm`` (world firm), ``_day`` (the record's date) and
    ``_known`` (its delivery date). A record dated within a year after its firm's rename uses the
    former name at ``rate``; any record whose name differs from the firm's name on delivery because
    of a rename is logged as ``former_name``.
    """
    renames = names_table[names_table["valid_to"].notna()].drop_duplicates("firm", keep="last")
    renamed_on = renames.set_index("firm")["valid_to"]
    former = renames.set_index("firm")["name"]
    current = names_table[names_table["valid_to"].isna()].set_index("firm")["name"]
    firm = frame["_firm"]
    rename_day = firm.map(renamed_on)
    days_after = (pd.to_datetime(frame["_day"]) - rename_day).dt.days
    stale = ((days_after >= 0) & (days_after < 365) & (rng.random(len(frame)) < rate)).to_numpy()
    frame.loc[stale, name_column] = firm[stale].map(former).to_numpy()
    renamed_before_delivery = rename_day.notna() & (rename_day <= pd.to_datetime(frame["_known"]))
    uses_former = (renamed_before_delivery & (frame[name_column] != firm.map(current))).to_numpy()
    rows = np.flatnonzero(uses_former)
    details = np.where(
        stale[rows], "former name used after the rename", "name before the firm's rename"
    )
    mark(frame, rows, "former_name", pd.Series(details, dtype=object))
