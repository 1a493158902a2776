"""Entity resolution measured against the simulator's ground truth (truth/entity_links.parquet).

Per feed: mentions, mentions of a registered firm (the truth has a USCC), links accepted, links
correct, precision (correct / accepted), recall (correct / mentions of a registered firm) and the
review queue (mentions in review, and their share of all mentions).
"""

from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from pipelines.lib.resolution.store import RESOLUTIONS


@dataclass(frozen=True)
class FeedMetrics:
    """Accuracy of the stored resolutions of one feed (or of all: feed ``all``)."""

    feed: str
    mentions: int
    linkable: int
    accepted: int
    correct: int
    in_review: int

    @property
    def precision(self) -> float:
        """Share of accepted links that name the right enterprise."""
        return self.correct / self.accepted if self.accepted else 1.0

    @property
    def recall(self) -> float:
        """Share of mentions of a registered firm linked to it."""
        return self.correct / self.linkable if self.linkable else 1.0

    @property
    def review_share(self) -> float:
        """Share of mentions waiting in the review queue."""
        return self.in_review / self.mentions if self.mentions else 0.0

    def as_dict(self) -> dict:
        """Counts and rates, rates in percent."""
        return asdict(self) | {
            "precision_percent": round(100 * self.precision, 2),
            "recall_percent": round(100 * self.recall, 2),
            "review_percent": round(100 * self.review_share, 2),
        }


def measure(connection: duckdb.DuckDBPyConnection, truth: Path) -> list[FeedMetrics]:
    """Metrics per feed and overall (last, feed ``all``) of the resolutions in the warehouse."""
    links = truth / "entity_links.parquet"
    rows = connection.execute(
        f"""
        select
            coalesce(resolutions.feed, 'all') as feed,
            count(*) as mentions,
            count(truth.uscc) as linkable,
            count(*) filter (where resolution_status = 'resolved') as accepted,
            count(*) filter (
                where resolution_status = 'resolved' and resolutions.uscc = truth.uscc
            ) as correct,
            count(*) filter (where resolution_status = 'in_review') as in_review
        from {RESOLUTIONS} as resolutions
        left join read_parquet(?) as truth
            on resolutions.feed = truth.feed and resolutions.record_id = truth.record_id
        group by rollup (resolutions.feed)
        order by resolutions.feed is null, resolutions.feed
        """,
        [str(links)],
    ).fetchall()
    return [FeedMetrics(*row) for row in rows]


def format_table(metrics: list[FeedMetrics]) -> str:
    """The metrics as an aligned text table."""
    header = (
        f"{'feed':<36}{'mentions':>9}{'linkable':>9}{'accepted':>9}{'correct':>9}"
        f"{'precision':>10}{'recall':>8}{'review':>8}"
    )
    lines = [header]
    for m in metrics:
        lines.append(
            f"{m.feed:<36}{m.mentions:>9}{m.linkable:>9}{m.accepted:>9}{m.correct:>9}"
            f"{100 * m.precision:>9.2f}%{100 * m.recall:>7.2f}%{100 * m.review_share:>7.2f}%"
        )
    return "\n".join(lines)
