"""What the platform's small commands share: one-line errors and the warehouse connection."""

import sys
from collections.abc import Callable

import duckdb

from pipelines.lib.paths import warehouse_path


class UserError(Exception):
    """A problem with a command's input or the warehouse, reported in one line, no traceback."""


def connect_warehouse(read_only: bool) -> duckdb.DuckDBPyConnection:
    """The warehouse, or a UserError when it does not exist or another process holds it."""
    path = warehouse_path()
    if not path.is_file():
        raise UserError(f"no warehouse at {path} (run `make run` first)")
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        raise UserError(
            f"the warehouse {path} is open in another process ({str(error).splitlines()[0]}); "
            "try again when the pipeline has finished"
        ) from error


def exit_status(command: Callable[[], None]) -> int:
    """Run a command: 0 when it succeeds, 2 (with ``error: …`` on stderr) for a UserError."""
    try:
        command()
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0
