"""Great Expectations context factory."""

import great_expectations as gx
from great_expectations.data_context import AbstractDataContext


def get_context() -> AbstractDataContext:
    """Return a fresh in-memory GX data context.

    The context is ephemeral because suites are built in Python (`expectations/suites/`) on
    every run: a file-backed context would write `gx/` JSON that duplicates, and then drifts
    from, the code, and would make concurrent pipeline runs and tests share mutable state.

    Returns:
        An `EphemeralDataContext`; nothing it creates outlives the process.
    """
    return gx.get_context(mode="ephemeral")
