"""Identifier codes: USCC (GB 32100-2015), organisation codes (GB 11714) and ID numbers (GB 11643).

Check characters come from python-stdnum, the maintained implementation the platform also validates
with; only the organisation-code check inside a USCC, which stdnum does not provide, is
computed here.
"""

import numpy as np
from stdnum.cn import ric, uscc

#: Characters allowed in a USCC body (GB 32100-2015 excludes I, O, Z, S and V).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])
_ORG_CHECKS = np.array(list("0123456789X0"))


def _organisation_codes(values: np.ndarray) -> np.ndarray:
    """Organisation codes (GB 11714) of bodies given as character values (0 to 35), with check."""
    check = 11 - (values @ _ORG_WEIGHTS) % 11
    digits = np.array(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    body = digits[values]
    return np.array(["".join(row) for row in body], dtype=object) + _ORG_CHECKS[check]


def make_usccs(
    rng: np.random.Generator,
    area_codes: np.ndarray,
    is_individual: np.ndarray,
    is_new_style: np.ndarray,
) -> np.ndarray:
    """Unique, valid USCCs.

    Args:
        rng: random stream.
        area_codes: six-digit area code of the registering authority per firm.
        is_individual: individual businesses get organisation type 2 (``92…``), enterprises ``91…``.
        is_new_style: firms registered since the 2015 reform get ``MA``-prefixed organisation codes.
    """
    size = len(area_codes)
    alphabet_values = np.array([int(c, 36) for c in USCC_ALPHABET])
    codes = np.empty(size, dtype=object)
    pending = np.arange(size)
    seen: set[str] = set()
    while len(pending):
        values = rng.integers(0, 10, (len(pending), 8))
        new_style = is_new_style[pending]
        values[new_style, :2] = [int("M", 36), int("A", 36)]
        values[new_style, 2:] = alphabet_values[
            rng.integers(0, len(USCC_ALPHABET), (int(new_style.sum()), 6))
        ]
        organisation = _organisation_codes(values)
        kind = np.where(is_individual[pending], "92", "91").astype(object)
        prefixes = kind + area_codes[pending].astype(object) + organisation
        still = []
        for position, prefix in zip(pending, prefixes, strict=True):
            code = prefix + uscc.calc_check_digit(prefix)
            if code in seen:
                still.append(position)
            else:
                seen.add(code)
                codes[position] = code
        pending = np.array(still, dtype=int)
    return codes


def corrupt_check_character(code: str) -> str:
    """The same USCC with a different, therefore invalid, check character."""
    position = (USCC_ALPHABET.index(code[-1]) + 7) % len(USCC_ALPHABET)
    return code[:-1] + USCC_ALPHABET[position]


def organisation_code(code: str) -> str:
    """The organisation code embedded in a USCC, written as courts do (``XXXXXXXX-X``)."""
    return f"{code[8:16]}-{code[16]}"


def make_id_numbers(
    rng: np.random.Generator, area_codes: np.ndarray, birth_days: np.ndarray
) -> np.ndarray:
    """Resident ID numbers (GB 11643) with valid check characters.

    Args:
        rng: random stream.
        area_codes: six-digit area code of the holder's registration.
        birth_days: ``datetime64[D]`` birth dates.
    """
    births = np.datetime_as_string(birth_days, unit="D")
    sequence = rng.integers(1, 1000, len(area_codes))
    numbers = []
    for area, birth, seq in zip(area_codes, births, sequence, strict=True):
        body = f"{area}{birth.replace('-', '')}{seq:03d}"
        numbers.append(body + ric.calc_check_digit(body + "0"))
    return np.array(numbers, dtype=object)
