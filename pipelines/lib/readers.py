"""Read one delivered file of a feed into text rows, keeping every row accounted for.

Every reader returns the header as delivered, the rows that parsed (each with its 1-based row
number in the file) and the rows that did not, each with the reason. Values stay text: typing is
staging's job, and a value that cannot be read as text is a reason to quarantine its row.

Why Python parsing rather than DuckDB's ``read_csv``/``read_json``: quarantine needs the exact row
number and reason of every rejected row, and the row number of every loaded row as evidence; the
DuckDB readers expose neither for accepted rows. Parsing is streamed line by line, so a damaged
line costs that line only.
"""

import csv
import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import sqlalchemy as sa

from pipelines.lib.contract import Feed, Table


class UnreadableFile(Exception):
    """A file that cannot be read as its feed's format at all (every row would be lost)."""


@dataclass
class ReadResult:
    """What one table of one file held.

    Attributes:
        header: column names as delivered (JSON: the keys of the records, in first-seen order).
        rows: parsed rows as (row number, values aligned with ``header``).
        rejects: rows that could not be parsed, as (row number, reason, raw text).
    """

    header: list[str]
    rows: list[tuple[int, list[str | None]]] = field(default_factory=list)
    rejects: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def rows_in(self) -> int:
        """Every row the file held: parsed plus rejected."""
        return len(self.rows) + len(self.rejects)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _lines(data: bytes) -> Iterator[bytes]:
    """Physical lines without their terminators (CRLF or LF)."""
    for line in data.split(b"\n"):
        yield line[:-1] if line.endswith(b"\r") else line


def read_csv(path: Path, encoding: str) -> ReadResult:
    """A delimited text file with a header row; undecodable or malformed lines are rejected."""
    codec = "gb18030" if encoding == "gbk" else "utf-8"
    data = path.read_bytes()
    if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise UnreadableFile("the file is empty")
    lines = list(_lines(data))
    if lines and lines[-1] == b"":
        lines.pop()
    ends_cleanly = data.endswith(b"\n")
    try:
        header = next(csv.reader([lines[0].decode(codec)]))
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"the header is not {encoding} text ({error.reason})") from error
    result = ReadResult(header=header)
    for number, raw in enumerate(lines[1:], start=1):
        if number == len(lines) - 1 and not ends_cleanly:
            # An interrupted transfer: the last line stops mid-row (maybe mid-character).
            result.rejects.append(
                (number, "truncated line at the end of the file", raw.decode(codec, "replace"))
            )
            continue
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as error:
            result.rejects.append(
                (
                    number,
                    f"undecodable bytes in {encoding} ({error.reason})",
                    raw.decode(codec, "replace"),
                )
            )
            continue
        try:
            values = next(csv.reader([text]))
        except csv.Error as error:
            result.rejects.append((number, f"malformed CSV line ({error})", text))
            continue
        if len(values) != len(header):
            result.rejects.append(
                (number, f"{len(values)} fields where the header has {len(header)}", text)
            )
        else:
            result.rows.append((number, [v if v != "" else None for v in values]))
    return result


def _from_records(records: Iterator[tuple[int, object, str]]) -> ReadResult:
    header: list[str] = []
    parsed: list[tuple[int, dict]] = []
    result = ReadResult(header=header)
    for number, record, raw in records:
        if not isinstance(record, dict):
            result.rejects.append((number, "not a JSON object", raw))
            continue
        for key in record:
            if key not in header:
                header.append(key)
        parsed.append((number, record))
    result.rows = [
        (number, [_text(record.get(key)) for key in header]) for number, record in parsed
    ]
    return result


def read_jsonl(path: Path) -> ReadResult:
    """JSON Lines: one object per line; a line that is not a JSON object is rejected."""
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFile("the file is empty")

    def records() -> Iterator[tuple[int, object, str]]:
        for number, raw in enumerate((line for line in _lines(data) if line.strip()), start=1):
            text = raw.decode("utf-8", "replace")
            try:
                yield number, json.loads(raw.decode("utf-8")), text
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                yield number, None, f"{text}\t({error})"

    return _from_records(records())


def read_json(path: Path) -> ReadResult:
    """A JSON array of objects (documents). A file that is not a JSON array cannot be read."""
    try:
        documents = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableFile(f"not a JSON document ({error})") from error
    if not isinstance(documents, list):
        raise UnreadableFile("expected a JSON array of documents")
    return _from_records(
        (number, record, json.dumps(record, ensure_ascii=False)[:2000])
        for number, record in enumerate(documents, start=1)
    )


def read_xlsx_sheet(path: Path, table: Table) -> ReadResult:
    """One worksheet: ``table.title_rows`` rows above the header; dates become ISO text."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook
        raise UnreadableFile(f"not an .xlsx workbook ({type(error).__name__}: {error})") from error
    try:
        if table.name not in book.sheetnames:
            raise UnreadableFile(f"no sheet named {table.name!r} (sheets: {book.sheetnames})")
        rows = book[table.name].iter_rows(values_only=True)
        for _ in range(table.title_rows):
            next(rows, None)
        header_row = next(rows, None)
        if header_row is None:
            raise UnreadableFile(f"sheet {table.name!r} has no header row")
        header = [str(v) for v in header_row if v is not None]
        result = ReadResult(header=header)
        for number, values in enumerate(rows, start=1):
            cells = list(values[: len(header)]) + [None] * max(0, len(header) - len(values))
            if all(v is None for v in cells):
                continue
            result.rows.append((number, [_cell_text(v) for v in cells]))
        return result
    finally:
        book.close()


def _cell_text(value: object, keep_time: bool = False) -> str | None:
    """Text of a cell or database value; workbook date cells become ``YYYY-MM-DD``."""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ") if keep_time else value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _text(value)


def read_sql_table(url: str, table: Table, since: str | None) -> ReadResult:
    """Rows of a source database table through SQLAlchemy, only those entered after ``since``.

    The table's ``entry_time`` is the watermark: each load takes the rows entered after the last
    one already loaded, so the database is read incrementally.
    """
    engine = sa.create_engine(url)
    try:
        metadata = sa.MetaData()
        source = sa.Table(table.name, metadata, autoload_with=engine)
        query = sa.select(source).order_by(source.c.entry_time, source.c.record_id)
        if since is not None:
            query = query.where(source.c.entry_time > sa.bindparam("since", since))
        with engine.connect() as connection:
            cursor = connection.execute(query)
            header = list(cursor.keys())
            result = ReadResult(header=header)
            for number, row in enumerate(cursor, start=1):
                result.rows.append((number, [_cell_text(v, keep_time=True) for v in row]))
        return result
    except sa.exc.SQLAlchemyError as error:
        raise UnreadableFile(
            f"cannot read {table.name} from the source database ({error})"
        ) from error
    finally:
        engine.dispose()


def read_table(path: Path, feed: Feed, table: Table) -> ReadResult:
    """Read one table of one delivered file in its feed's format."""
    if feed.format == "csv":
        return read_csv(path, feed.encoding or "utf-8")
    if feed.format == "jsonl":
        return read_jsonl(path)
    if feed.format == "json":
        return read_json(path)
    if feed.format == "xlsx":
        return read_xlsx_sheet(path, table)
    raise ValueError(f"{feed.id}: files of format {feed.format} are not read from the landing zone")
