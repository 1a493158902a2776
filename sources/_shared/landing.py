"""The landing zone writer: deliveries in each source's own format, with manifests and a defect log.

Layout: ``<root>/<source>/<delivery_id>/<file>``, where a delivery id starts with its delivery date
(``YYYY-MM-DD``). Every delivery folder gets a ``_manifest.json`` naming its files with the row
count and SHA-256 the sender intended, so a receiver can tell a truncated or altered file.

Frames handed to the writer may carry private columns starting with ``_``: ``_defect`` (defect class
of that row, or empty), ``_detail`` and ``_uscc`` (the true USCC of the row's firm). They are logged
to the defect log with the row's final position and never written.
"""

import hashlib
import io
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import xlsxwriter

MANIFEST = "_manifest.json"


@dataclass
class DefectLog:
    """Every injected defect: feed, delivery, file, row, record id, true USCC, class and detail."""

    rows: list[dict] = field(default_factory=list)

    def add(self, **row: object) -> None:
        """Record one defect."""
        self.rows.append(row)

    def add_file_defect(
        self, feed: str, delivery_id: str, file: str, defect_class: str, detail: str
    ) -> None:
        """Record a defect of a whole file or delivery (no row), which a platform can recover."""
        self.add(
            feed=feed,
            delivery_id=delivery_id,
            file=file,
            row_number=None,
            record_id=None,
            uscc=None,
            defect_class=defect_class,
            detail=detail,
            recoverable=True,
        )

    def frame(self) -> pd.DataFrame:
        """The log as a frame, in a stable order."""
        columns = [
            "feed",
            "delivery_id",
            "file",
            "row_number",
            "record_id",
            "uscc",
            "defect_class",
            "detail",
            "recoverable",
        ]
        frame = pd.DataFrame(self.rows, columns=columns)
        frame["row_number"] = frame["row_number"].astype("Int64")
        return frame.sort_values(
            ["feed", "delivery_id", "file", "row_number", "defect_class"],
            ignore_index=True,
            na_position="first",
        )


#: Whether a platform can recover the intended content of a row with each defect class.
RECOVERABLE = {
    "invalid_uscc_check": True,  # the row also names the firm: resolvable by name
    "name_variant": True,
    "former_name": True,
    "typo": True,
    "traditional_chars": True,
    "duplicate_row": True,
    "missing_value": True,  # optional fields only
    "missing_key": False,
    "date_format_mix": True,
    "unit_mix": True,
    "late_record": True,
    "undecodable_row": False,
    "truncated_file": False,
    "schema_drift": True,
    "duplicate_delivery": True,
}


class Landing:
    """Writes deliveries under one landing-zone root and remembers them for the manifests."""

    def __init__(self, root: Path, defects: DefectLog) -> None:
        """Start writing under ``root``."""
        self.root = root
        self.defects = defects
        self._deliveries: dict[tuple[str, str], dict] = {}

    def _register(
        self, source: str, delivery_id: str, kind: str, name: str, rows: int, data: bytes
    ) -> Path:
        folder = self.root / source / delivery_id
        folder.mkdir(parents=True, exist_ok=True)
        entry = self._deliveries.setdefault(
            (source, delivery_id),
            {
                "source": source,
                "delivery_id": delivery_id,
                "delivered_on": delivery_id[:10],
                "kind": kind,
                "files": [],
            },
        )
        entry["files"].append(
            {
                "name": name,
                "rows": rows,
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def log_defects(
        self,
        feed: str,
        delivery_id: str,
        name: str,
        frame: pd.DataFrame,
        id_column: str,
        first_row: int = 1,
    ) -> None:
        """Log the rows of ``frame`` marked with defects, numbered from ``first_row``."""
        if "_defect" not in frame.columns:
            return
        marked = frame["_defect"].fillna("").to_numpy()
        positions = np.flatnonzero(marked != "")
        record_ids = (
            frame[id_column].to_numpy() if id_column in frame.columns else np.full(len(frame), None)
        )
        usccs = frame["_uscc"].to_numpy() if "_uscc" in frame.columns else np.full(len(frame), None)
        details = frame["_detail"].fillna("").to_numpy()
        for position in positions:
            classes = str(marked[position]).split("|")
            notes = str(details[position]).split("|")
            for defect, note in zip(
                classes, notes + [""] * (len(classes) - len(notes)), strict=True
            ):
                self.defects.add(
                    feed=feed,
                    delivery_id=delivery_id,
                    file=name,
                    row_number=int(position) + first_row,
                    record_id=None if record_ids[position] is None else str(record_ids[position]),
                    uscc=usccs[position],
                    defect_class=defect,
                    detail=note,
                    recoverable=RECOVERABLE[defect],
                )

    @staticmethod
    def _public(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[[c for c in frame.columns if not str(c).startswith("_")]]

    def csv(
        self,
        source: str,
        delivery_id: str,
        name: str,
        frame: pd.DataFrame,
        *,
        feed: str,
        id_column: str,
        encoding: str = "utf-8",
        kind: str = "incremental",
        undecodable: frozenset[int] = frozenset(),
    ) -> Path:
        """Write a CSV file; rows at ``undecodable`` positions get bytes invalid in ``encoding``."""
        # pyarrow's writer is an order of magnitude faster than pandas' for the large extracts;
        # it quotes every text field, as many database exports do. Lines end in CRLF (Windows).
        buffer = io.BytesIO()
        table = pa.Table.from_pandas(_uniform_types(self._public(frame)), preserve_index=False)
        pacsv.write_csv(table, buffer, pacsv.WriteOptions(quoting_style="needed"))
        text = buffer.getvalue().decode("utf-8").replace("\n", "\r\n")
        if undecodable:
            lines = text.split("\r\n")
            # 0xFF is never a valid byte in GBK/GB18030 nor in UTF-8; it lands inside the quotes
            # of the first quoted field after the first, so the line stays well-formed CSV.
            data = b"\r\n".join(
                line.encode(encoding).replace(b',"', b',"\xff', 1)
                if i - 1 in undecodable
                else line.encode(encoding)
                for i, line in enumerate(lines)
            )
        else:
            data = text.encode(encoding)
        self.log_defects(feed, delivery_id, name, frame, id_column)
        return self._register(source, delivery_id, kind, name, len(frame), data)

    def jsonl(
        self,
        source: str,
        delivery_id: str,
        name: str,
        frame: pd.DataFrame,
        *,
        feed: str,
        id_column: str,
        kind: str = "incremental",
    ) -> Path:
        """Write a JSON Lines file, one object per row (missing values as null)."""
        # DuckDB writes JSON Lines in C++: monthly loan extracts have hundreds of thousands of rows.
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / name
            connection = duckdb.connect()
            # Through Arrow: DuckDB scans Arrow tables far faster than pandas object columns.
            rows = pa.Table.from_pandas(_uniform_types(self._public(frame)), preserve_index=False)
            connection.register("rows", rows)
            connection.execute(f"copy rows to '{path}' (format json)")
            connection.close()
            data = path.read_bytes()
        self.log_defects(feed, delivery_id, name, frame, id_column)
        return self._register(source, delivery_id, kind, name, len(frame), data)

    def json_documents(
        self,
        source: str,
        delivery_id: str,
        name: str,
        documents: list[dict],
        *,
        feed: str,
        kind: str = "incremental",
    ) -> Path:
        """Write a JSON array of (nested) documents."""
        data = json.dumps(documents, ensure_ascii=False).encode()
        return self._register(source, delivery_id, kind, name, len(documents), data)

    def xlsx(
        self,
        source: str,
        delivery_id: str,
        name: str,
        sheets: dict[str, pd.DataFrame],
        *,
        feed: str,
        id_column: str,
        title_rows: list[str] | None = None,
        kind: str = "incremental",
    ) -> Path:
        """Write a workbook, one sheet per frame, optionally below title rows (as departments do).

        The workbook's creation time is fixed so that the same seed gives identical bytes.
        """
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        book.set_properties({"created": pd.Timestamp(delivery_id[:10]).to_pydatetime()})
        date_style = book.add_format({"num_format": "yyyy-mm-dd"})
        rows = 0
        for sheet_name, frame in sheets.items():
            sheet = book.add_worksheet(sheet_name)
            offset = 0
            for title in title_rows or []:
                sheet.write(offset, 0, title)
                offset += 1
            public = self._public(frame)
            sheet.write_row(offset, 0, [str(c) for c in public.columns])
            for c, column in enumerate(public.columns):
                _write_column(sheet, offset + 1, c, public[column], date_style)
            self.log_defects(feed, delivery_id, f"{name}#{sheet_name}", frame, id_column)
            rows += len(frame)
        book.close()
        return self._register(source, delivery_id, kind, name, rows, buffer.getvalue())

    def truncate(self, path: Path, keep_fraction: float) -> int:
        """Cut a delivered file mid-line, as an interrupted transfer does; returns bytes kept."""
        data = path.read_bytes()
        cut = int(len(data) * keep_fraction)
        path.write_bytes(data[:cut])
        return cut

    def copy_delivery(self, source: str, delivery_id: str, new_id: str) -> None:
        """Deliver an earlier delivery again, byte for byte, under a new delivery id."""
        original = self._deliveries[(source, delivery_id)]
        folder = self.root / source / new_id
        folder.mkdir(parents=True, exist_ok=True)
        for file in original["files"]:
            (folder / file["name"]).write_bytes(
                (self.root / source / delivery_id / file["name"]).read_bytes()
            )
        self._deliveries[(source, new_id)] = {
            **original,
            "delivery_id": new_id,
            "delivered_on": new_id[:10],
            "kind": "redelivery",
        }

    def write_manifests(self) -> list[dict]:
        """Write every delivery's manifest; returns the manifests."""
        manifests = []
        for (source, delivery_id), entry in sorted(self._deliveries.items()):
            path = self.root / source / delivery_id / MANIFEST
            path.write_text(
                json.dumps(entry, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
            manifests.append(entry)
        return manifests


def _write_column(
    sheet: "xlsxwriter.worksheet.Worksheet",
    first_row: int,
    column: int,
    values: pd.Series,
    date_style: object,
) -> None:
    """Write one column with the cell type its values have (blank cells for missing values)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        for r, value in enumerate(values.tolist(), start=first_row):
            if not pd.isna(value):
                sheet.write_datetime(r, column, value, date_style)
        return
    for r, value in enumerate(values.tolist(), start=first_row):
        if value is None or (isinstance(value, float) and value != value):
            continue
        if isinstance(value, str):
            sheet.write_string(r, column, value)
        else:
            sheet.write_number(r, column, value)


def _uniform_types(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns that also hold numbers, as text throughout (Arrow needs one type per column)."""
    mixed = [
        column
        for column in frame.columns
        if frame[column].dtype == object
        and pd.api.types.infer_dtype(frame[column]) in ("mixed", "mixed-integer")
    ]
    if not mixed:
        return frame
    return frame.assign(**{c: frame[c].map(lambda v: v if v is None else str(v)) for c in mixed})
