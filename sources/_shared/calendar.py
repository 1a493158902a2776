"""Dates of the simulated period: quarters, delivery schedules and month arithmetic."""

from datetime import date, timedelta

import numpy as np
import pandas as pd


def add_months(day: date, months: int) -> date:
    """Shift a date by whole months, clamping to the month's last day as SQL does."""
    return (pd.Timestamp(day) + pd.DateOffset(months=months)).date()


def quarter_ends(start: date, end: date) -> list[date]:
    """Last days of every quarter that ends within ``[start, end]``."""
    return [d.date() for d in pd.date_range(start, end, freq="QE")]


def quarter_label(as_of: date) -> str:
    """Quarter name of a date, e.g. ``2026Q3``."""
    return f"{as_of.year}Q{(as_of.month - 1) // 3 + 1}"


def daily(start: date, end: date) -> list[date]:
    """Every day of ``[start, end]``."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def monthly(start: date, end: date, day: int) -> list[date]:
    """The given day of every month within ``[start, end]``."""
    days = pd.date_range(start.replace(day=1), end, freq="MS") + pd.Timedelta(days=day - 1)
    return [d.date() for d in days if start <= d.date() <= end]


def weekly(start: date, end: date, weekday: int) -> list[date]:
    """Every given weekday (Monday = 0) within ``[start, end]``."""
    first = start + timedelta(days=(weekday - start.weekday()) % 7)
    return [first + timedelta(days=7 * i) for i in range((end - first).days // 7 + 1)]


def yearly(start: date, end: date, month: int, day: int) -> list[date]:
    """The given month and day of every year within ``[start, end]``."""
    days = [date(y, month, day) for y in range(start.year, end.year + 1)]
    return [d for d in days if start <= d <= end]


def next_delivery(event_days: np.ndarray, delivery_days: list[date]) -> np.ndarray:
    """For each event date, the first delivery date on or after it (NaT when none is left).

    Args:
        event_days: ``datetime64[D]`` array of event dates.
        delivery_days: sorted delivery dates.
    """
    schedule = np.array(delivery_days, dtype="datetime64[D]")
    position = np.searchsorted(schedule, event_days, side="left")
    padded = np.append(schedule, np.datetime64("NaT"))
    return padded[position]


def delivered_on(days: pd.Series, schedule: list, start: date) -> pd.Series:
    """Date of the delivery that brings each event.

    The first scheduled delivery after the event's day; the initial extract (``start``) for events
    before it; NaT when no delivery is left in the period.
    """
    following = (days + pd.Timedelta(days=1)).to_numpy().astype("datetime64[D]")
    known = pd.Series(pd.to_datetime(next_delivery(following, schedule)), index=days.index)
    known[days < pd.Timestamp(start)] = pd.Timestamp(start)
    return known


def random_days(rng: np.random.Generator, low: date, high: date, size: int) -> np.ndarray:
    """Uniform random dates in ``[low, high]`` as ``datetime64[D]``."""
    span = (high - low).days + 1
    return np.datetime64(low, "D") + rng.integers(0, span, size).astype("timedelta64[D]")


def iso_dates(values: pd.Series | np.ndarray) -> np.ndarray:
    """Dates as ``YYYY-MM-DD`` strings (None for missing), formatted in C, not per element."""
    days = np.asarray(values, dtype="datetime64[D]")
    text = np.datetime_as_string(days, unit="D").astype(object)
    text[np.isnat(days)] = None
    return text


#: Date styles of the sources' files, as format templates over (year, month, day, month, day) with
#: the last two without leading zeros.
DATE_STYLES = {
    "iso": "{0}-{1}-{2}",
    "slash": "{0}/{1}/{2}",
    "dot": "{0}.{1}.{2}",
    "slash_short": "{0}/{3}/{4}",
    "chinese": "{0}年{3}月{4}日",
    "compact": "{0}{1}{2}",
}


def styled_dates(values: pd.Series | np.ndarray, style: str) -> np.ndarray:
    """Dates in one of ``DATE_STYLES`` (None for missing)."""
    if style in ("iso", "slash", "dot", "compact"):
        iso = iso_dates(values)
        present = np.array([v is not None for v in iso], dtype=bool)
        separator = {"iso": "-", "slash": "/", "dot": ".", "compact": ""}[style]
        out = np.full(len(iso), None, dtype=object)
        out[present] = np.char.replace(iso[present].astype(str), "-", separator).astype(object)
        return out
    template = DATE_STYLES[style]
    return np.array(
        [
            None
            if v is None
            else template.format(v[:4], v[5:7], v[8:10], int(v[5:7]), int(v[8:10]))
            for v in iso_dates(values)
        ],
        dtype=object,
    )
