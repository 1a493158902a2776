"""Seeded random streams: one independent generator per named stream of one seed.

Each part of the simulation draws from its own stream, so adding draws to one source does not shift
the numbers of another, and the same seed always gives the same bytes.
"""

import hashlib

import numpy as np


def rng_for(seed: int, *stream: str) -> np.random.Generator:
    """Return the generator for one named stream of a seed.

    Args:
        seed: the simulation's seed.
        *stream: path of names identifying the stream, e.g. ``("courts", "cases")``.
    """
    digest = hashlib.sha256("/".join(stream).encode()).digest()
    key = int.from_bytes(digest[:8], "little")
    return np.random.default_rng(np.random.SeedSequence([seed, key]))
