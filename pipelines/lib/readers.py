"""Read one delivered file of a feed into text rows, keeping every row accounted for.

Every reader returns the header as delivered, the rows that parsed (an Arrow table: the 1-based
row number in the file, then one text column per header name) and the rows that did not, each
with the reason. Values stay text: typing is staging's job, and a value that cannot be read as
text is a reason to quarantine its row.

Line-oriented files (CSV, JSON Lines) are read by DuckDB's own readers, strictly (all but the
smallest: see ``DUCKDB_MIN_BYTES``): any damage makes DuckDB refuse the whole file. Such a file,
and only such a file, is then re-read line by line in Python, which finds each bad line and its
reason, so a damaged line costs that line only. DuckDB numbers rows in file order
(``row_number() over ()`` keeps the scan's order), the numbers the line-by-line reader gives.
Workbooks go through openpyxl, JSON documents through Python's ``json``, the source database
through SQLAlchemy.
"""

import csv
import datetime
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
import sqlalchemy as sa

from pipelines.lib.contract import Feed, Table
from pipelines.lib.sql_text import quote_literal

#: Name of the row-number column of :attr:`ReadResult.rows`.
ROW_NUMBER = "_row_number"
#: Smaller files are read line by line: there DuckDB's fixed cost per query (milliseconds, paid
#: by hundreds of small daily files) exceeds the parsing it saves. Both give the same rows.
DUCKDB_MIN_BYTES = 256 * 1024


class UnreadableFile(Exception):
    """A file that cannot be read as its feed's format at all (every row would be lost)."""


@dataclass
class ReadResult:
    """What one table of one file held.

    Attributes:
        header: column names as delivered (JSON: the keys of the records, in first-seen order).
        rows: the parsed rows: ``_row_number`` then one text column per name of ``header``.
        rejects: rows that could not be parsed, as (row number, reason, raw text).
    """

    header: list[str]
    rows: pa.Table
    rejects: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def rows_in(self) -> int:
        """Every row the file held: parsed plus rejected."""
        return self.rows.num_rows + len(self.rejects)


def _unique(header: list[str]) -> list[str]:
    """Header names made unique (a repeated name gets ``_2``, ``_3``…), as DuckDB does."""
    seen: dict[str, int] = {}
    names = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return names


def _columnar(header: list[str], rows: list[tuple[int, list[str | None]]]) -> pa.Table:
    """Rows parsed in Python as an Arrow table shaped like DuckDB's."""
    arrays = [pa.array([number for number, _ in rows], pa.int64())]
    arrays += [pa.array([values[i] for _, values in rows], pa.string()) for i in range(len(header))]
    return pa.Table.from_arrays(arrays, names=[ROW_NUMBER, *header])


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


def _codec(encoding: str) -> str:
    # GB18030 is a superset of GBK: sources that say GBK often send its extra characters too.
    return "gb18030" if encoding == "gbk" else "utf-8"


def _csv_with_duckdb(
    connection: duckdb.DuckDBPyConnection, path: Path, data: bytes, encoding: str
) -> ReadResult | None:
    """The whole CSV file through DuckDB's reader, or None if any line is damaged."""
    if len(data) < DUCKDB_MIN_BYTES or not data.endswith(b"\n"):
        return None  # small, or maybe truncated: only the line-by-line reader can tell
    with tempfile.TemporaryDirectory(prefix="raw-csv-") as scratch:
        source = path
        if _codec(encoding) != "utf-8":
            # Python's codec transcodes GBK in milliseconds; DuckDB's encodings extension takes
            # seconds per file, so DuckDB reads a UTF-8 copy.
            try:
                text = data.decode(_codec(encoding))
            except UnicodeDecodeError:
                return None
            source = Path(scratch) / "utf8.csv"
            source.write_text(text, encoding="utf-8")
        try:
            rows = connection.execute(
                f"select row_number() over () as {ROW_NUMBER}, * from read_csv(?, header = true, "
                "all_varchar = true, delim = ',', quote = '\"', escape = '\"', "
                "strict_mode = true, null_padding = false, ignore_errors = false)",
                [str(source)],
            ).to_arrow_table()
        except duckdb.Error:
            return None
    return ReadResult(header=rows.column_names[1:], rows=rows)


def _csv_line_by_line(data: bytes, encoding: str) -> ReadResult:
    codec = _codec(encoding)
    lines = list(_lines(data))
    if lines and lines[-1] == b"":
        lines.pop()
    ends_cleanly = data.endswith(b"\n")
    try:
        header = _unique(next(csv.reader([lines[0].decode(codec)])))
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"the header is not {encoding} text ({error.reason})") from error
    rows, rejects = [], []
    for number, raw in enumerate(lines[1:], start=1):
        if number == len(lines) - 1 and not ends_cleanly:
            # An interrupted transfer: the last line stops mid-row (maybe mid-character).
            rejects.append(
                (number, "truncated line at the end of the file", raw.decode(codec, "replace"))
            )
            continue
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as error:
            reason = f"undecodable bytes in {encoding} ({error.reason})"
            rejects.append((number, reason, raw.decode(codec, "replace")))
            continue
        try:
            values = next(csv.reader([text]))
        except csv.Error as error:
            rejects.append((number, f"malformed CSV line ({error})", text))
            continue
        if len(values) != len(header):
            rejects.append(
                (number, f"{len(values)} fields where the header has {len(header)}", text)
            )
        else:
            rows.append((number, [v if v != "" else None for v in values]))
    return ReadResult(header=header, rows=_columnar(header, rows), rejects=rejects)


def read_csv(connection: duckdb.DuckDBPyConnection, path: Path, encoding: str) -> ReadResult:
    """A delimited text file with a header row; undecodable or malformed lines are rejected."""
    data = path.read_bytes()
    if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise UnreadableFile("the file is empty")
    return _csv_with_duckdb(connection, path, data, encoding) or _csv_line_by_line(data, encoding)


def _from_records(records: Iterator[tuple[int, object, str]]) -> ReadResult:
    header: list[str] = []
    parsed: list[tuple[int, dict]] = []
    rejects = []
    for number, record, raw in records:
        if not isinstance(record, dict):
            rejects.append((number, "not a JSON object", raw))
            continue
        for key in record:
            if key not in header:
                header.append(key)
        parsed.append((number, record))
    rows = [(number, [_text(record.get(key)) for key in header]) for number, record in parsed]
    return ReadResult(header=header, rows=_columnar(header, rows), rejects=rejects)


def _jsonl_with_duckdb(connection: duckdb.DuckDBPyConnection, path: Path) -> ReadResult | None:
    """Every line through DuckDB's JSON reader, or None if any line is not a JSON object."""
    try:
        layouts = connection.execute(
            """select json_type(json) = 'OBJECT' as is_object, json_keys(json) as keys,
                    min(line) as first_line
                from (select row_number() over () as line, json
                      from read_json(?, format = 'newline_delimited', records = false))
                group by all order by first_line""",
            [str(path)],
        ).fetchall()
        if not all(is_object for is_object, _, _ in layouts):
            return None
        # The keys in first-seen order, as the line-by-line reader lists them.
        header = list(dict.fromkeys(key for _, keys, _ in layouts for key in keys))
        # Every key is known from the pass above, so reading them as text columns drops none.
        columns = ", ".join(f"{quote_literal(key)}: 'varchar'" for key in header)
        rows = connection.execute(
            f"select row_number() over () as {ROW_NUMBER}, * from read_json(?, "
            f"format = 'newline_delimited', columns = {{{columns}}})",
            [str(path)],
        ).to_arrow_table()
    except duckdb.Error:
        return None
    return ReadResult(header=header, rows=rows)


def read_jsonl(connection: duckdb.DuckDBPyConnection, path: Path) -> ReadResult:
    """JSON Lines: one object per line; a line that is not a JSON object is rejected.

    Values are kept as written (a number ``469000.0`` stays ``469000.0``); nested values as JSON.
    """
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFile("the file is empty")
    whole = len(data) >= DUCKDB_MIN_BYTES and data.endswith(b"\n")
    fast = _jsonl_with_duckdb(connection, path) if whole else None
    if fast is not None:
        return fast

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
        sheet_rows = book[table.name].iter_rows(values_only=True)
        for _ in range(table.title_rows):
            next(sheet_rows, None)
        header_row = next(sheet_rows, None)
        if header_row is None:
            raise UnreadableFile(f"sheet {table.name!r} has no header row")
        header = _unique([str(v) for v in header_row if v is not None])
        rows = []
        for number, values in enumerate(sheet_rows, start=1):
            cells = list(values[: len(header)]) + [None] * max(0, len(header) - len(values))
            if all(v is None for v in cells):
                continue
            rows.append((number, [_cell_text(v) for v in cells]))
        return ReadResult(header=header, rows=_columnar(header, rows))
    finally:
        book.close()


def _cell_text(value: object, keep_time: bool = False) -> str | None:
    """Text of a cell or database value; workbook date cells become ``YYYY-MM-DD``."""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ") if keep_time else value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _text(value)


def read_sql_table(url: str, table: Table) -> ReadResult:
    """Every row of a source database table, through SQLAlchemy, in entry order."""
    engine = sa.create_engine(url)
    try:
        metadata = sa.MetaData()
        source = sa.Table(table.name, metadata, autoload_with=engine)
        query = sa.select(source).order_by(source.c.entry_time, source.c.record_id)
        with engine.connect() as connection:
            cursor = connection.execute(query)
            header = list(cursor.keys())
            rows = [
                (number, [_cell_text(v, keep_time=True) for v in row])
                for number, row in enumerate(cursor, start=1)
            ]
        return ReadResult(header=header, rows=_columnar(header, rows))
    except sa.exc.SQLAlchemyError as error:
        raise UnreadableFile(
            f"cannot read {table.name} from the source database ({error})"
        ) from error
    finally:
        engine.dispose()


def read_table(
    connection: duckdb.DuckDBPyConnection, path: Path, feed: Feed, table: Table
) -> ReadResult:
    """Read one table of one delivered file in its feed's format."""
    if feed.format == "csv":
        return read_csv(connection, path, feed.encoding or "utf-8")
    if feed.format == "jsonl":
        return read_jsonl(connection, path)
    if feed.format == "json":
        return read_json(path)
    if feed.format == "xlsx":
        return read_xlsx_sheet(path, table)
    raise ValueError(f"{feed.id}: files of format {feed.format} are not read from the landing zone")
