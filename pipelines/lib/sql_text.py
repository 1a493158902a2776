"""Quoting for the few SQL texts built from delivered names (column headers, JSON keys).

Values always travel as bound parameters; names cannot, so they are quoted here, never pasted.
"""


def quote_identifier(name: str) -> str:
    """``name`` as a double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """``text`` as a single-quoted SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
