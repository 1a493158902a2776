"""Options of one simulation run: size, seed, period and defect rates."""

from dataclasses import dataclass, field
from datetime import date

#: Injected defect classes and their default rates (share of eligible records unless noted).
#: Documented for users in docs/feeds.md; every injected defect is logged in truth/defects.
DEFAULT_DEFECT_RATES: dict[str, float] = {
    "invalid_uscc_check": 0.002,  # code-keyed rows whose USCC check character is wrong
    "name_variant": 0.10,  # name-keyed rows written with a width/prefix/suffix/space variant
    # name-keyed rows dated within a year after a rename that still use the old name
    "former_name": 0.6,
    "typo": 0.02,  # name-keyed rows with one character replaced by a look-alike or homophone
    "traditional_chars": 0.01,  # name-keyed rows written in traditional characters
    "duplicate_row": 0.005,  # rows delivered twice in the same file
    "missing_value": 0.01,  # optional fields left empty
    "missing_key": 0.0005,  # code-keyed rows whose key field is empty
    "date_format_mix": 0.02,  # rows whose date is written in another style than the file's own
    "unit_mix": 0.01,  # rows of a yuan column written as a text amount in 万元 ("12.5万")
    "late_record": 0.02,  # registry changes delivered days after their usual next-day delivery
    "undecodable_row": 5,  # count (not a rate): registry rows with bytes that are not GBK
}


@dataclass(frozen=True)
class SimulationConfig:
    """What to simulate.

    Attributes:
        firms: number of firms in the world (every volume scales with it).
        seed: seed of every random stream; same seed and options give identical bytes.
        start: date of the initial full extract of every source.
        end: last day of the simulated period (inclusive).
        defect_rates: rate per defect class; see ``DEFAULT_DEFECT_RATES``.
    """

    firms: int = 140_000
    seed: int = 42
    start: date = date(2025, 1, 1)
    end: date = date(2026, 9, 30)
    defect_rates: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_DEFECT_RATES))

    def __post_init__(self) -> None:
        """Reject options that cannot describe a world."""
        if self.firms < 100:
            raise ValueError(f"firms must be at least 100, got {self.firms}")
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        unknown = set(self.defect_rates) - set(DEFAULT_DEFECT_RATES)
        if unknown:
            raise ValueError(f"unknown defect classes: {', '.join(sorted(unknown))}")

    def rate(self, defect_class: str) -> float:
        """Rate of one defect class."""
        return self.defect_rates[defect_class]
