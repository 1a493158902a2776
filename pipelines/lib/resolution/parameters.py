"""The thresholds and windows of entity resolution, in one place (docs/entity_resolution.md)."""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ResolutionParameters:
    """Decision thresholds and evidence windows.

    Attributes:
        accept_probability: a candidate whose probability reaches this is linked without review.
        review_probability: the best candidate between this and ``accept_probability`` goes to
            the review queue; below it the mention stays unresolved.
        former_name_grace_days: a former name still identifies its firm for this many days after
            the rename (documents drafted before it, lists compiled from older sheets).
        unlinked_odds: the odds, against the candidates' own odds (Splink's pairwise match
            odds), that a mention whose name resembles registered names is nevertheless none of
            them: a name with a second error, which blocking cannot reach, or a name the registry
            has not delivered. Blocking reaches every name one character away, so this is rare:
            0.005. It keeps a lone weak candidate from being accepted by elimination.
        queue_candidates: candidates shown per mention in the review queue.
    """

    accept_probability: float = 0.9
    review_probability: float = 0.3
    former_name_grace_days: int = 365
    unlinked_odds: float = 0.005
    queue_candidates: int = 3

    def __post_init__(self) -> None:
        """Reject thresholds that cannot order the three outcomes."""
        if not 0 < self.review_probability <= self.accept_probability <= 1:
            raise ValueError(
                "need 0 < review_probability <= accept_probability <= 1, got "
                f"{self.review_probability} and {self.accept_probability}"
            )
        if self.unlinked_odds <= 0:
            raise ValueError(f"unlinked_odds must be positive, got {self.unlinked_odds}")

    def as_dict(self) -> dict:
        """The parameters as recorded beside each run's results."""
        return asdict(self)
