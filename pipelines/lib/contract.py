"""The feed contract: what every source delivers to the landing zone, loaded from YAML.

The contract lives in ``pipelines/contract/<source>.yml``, one file per source system. Ingestion
reads it to find, decode and check each feed; ``python -m pipelines.lib.contract > docs/feeds.md``
renders the same contract as the human documentation, so the two cannot disagree.
"""

import functools
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

CONTRACT_DIR: Path = Path(__file__).resolve().parents[1] / "contract"
"""Folder holding one ``<source>.yml`` per source system."""

MANIFEST = "_manifest.json"
"""File name of the manifest in every delivery folder."""

SOURCE_ORDER = (
    "registry",
    "regulation",
    "pboc",
    "courts",
    "subsidies",
    "tax",
    "ratings",
    "lists",
)
"""Order of the sources in the contract and its documentation; other sources follow by name."""

TYPES = ("string", "integer", "decimal", "date", "timestamp", "boolean", "list")
"""Column types; ``list`` is a JSON array of objects described by the column's ``fields``."""

FORMATS = ("csv", "jsonl", "json", "xlsx", "sql")
"""File formats of the feeds."""

TEXT_FORMATS = ("csv", "jsonl", "json")
"""Formats that are read as text and therefore need an encoding."""

ENCODINGS = ("gbk", "utf-8", "utf-8-sig")
"""Encodings of text feeds (``utf-8-sig``: UTF-8 starting with a byte-order mark)."""

KEYED_BY = {
    "code": "rows carry the enterprise's USCC (统一社会信用代码) and its name",
    "name": "rows name the enterprise without a code; resolve to a USCC by entity resolution",
    "none": "rows are not about a registered enterprise (incubators, lenders)",
}
"""How a feed's rows identify the enterprise they are about."""

MONEY_UNITS = {"元": "yuan", "万元": "ten thousand yuan (multiply by 10,000 for yuan)"}
"""Units of money columns."""

MANIFEST_KINDS = {
    "full": "the initial extract on the first delivery date: everything known on that date",
    "incremental": "what became known since the previous delivery",
    "correction": "corrected versions of earlier records only",
    "redelivery": "an earlier delivery sent again, byte for byte, under a new delivery id",
}
"""Values of a manifest's ``kind``."""


class DateStyle(NamedTuple):
    """How a date column is written.

    Attributes:
        pattern: the pattern as people read it.
        example: the date 2025-03-01 (or its month) in this style.
        strptime: ``datetime.strptime`` format of a text style; None for typed cells and columns.
    """

    pattern: str
    example: str
    strptime: str | None


DATE_STYLES: dict[str, DateStyle] = {
    "iso": DateStyle("YYYY-MM-DD", "2025-03-01", "%Y-%m-%d"),
    "slash": DateStyle("YYYY/MM/DD", "2025/03/01", "%Y/%m/%d"),
    "slash_short": DateStyle("YYYY/M/D (no leading zeros)", "2025/3/1", "%Y/%m/%d"),
    "dot": DateStyle("YYYY.MM.DD", "2025.03.01", "%Y.%m.%d"),
    "chinese": DateStyle("YYYY年M月D日 (no leading zeros)", "2025年3月1日", "%Y年%m月%d日"),
    "compact": DateStyle("YYYYMMDD", "20250301", "%Y%m%d"),
    "year_month": DateStyle("YYYY-MM (a whole month)", "2025-03", "%Y-%m"),
    "excel": DateStyle("Excel date cell (formatted yyyy-mm-dd)", "2025-03-01", None),
    "sql": DateStyle("SQL DATE / DATETIME column", "2025-03-01 09:30:00", None),
}
"""Date styles of the feeds, by name."""

DEFECT_CLASSES: dict[str, str] = {
    "invalid_uscc_check": "a code-keyed row whose USCC has a wrong check character",
    "name_variant": "a name written another way (brackets, 北京市, company-form suffix, space)",
    "former_name": "a name-keyed row naming the firm by a name it no longer had on delivery",
    "typo": "a name with one character replaced by a homophone or look-alike",
    "traditional_chars": "a name written in traditional characters",
    "duplicate_row": "a row delivered twice in the same file (the copy follows the original)",
    "missing_value": "an optional field left empty",
    "missing_key": "a code-keyed row whose USCC is empty",
    "date_format_mix": "a date written in another style than the column's own",
    "unit_mix": "an amount of a yuan column written as text in 万元 (e.g. 12.5万)",
    "late_record": "a record delivered days after its usual delivery",
    "undecodable_row": "a row with bytes that are not valid in the file's encoding",
    "truncated_file": "a file cut off mid-line; its SHA-256 differs from the manifest",
    "schema_drift": "a column renamed or added from one delivery on",
    "duplicate_delivery": "a delivery sent again byte for byte under a new delivery id",
}
"""Defect classes a feed may show (the simulator's classes), with what each means."""

_SOURCE_KEYS = {"source", "title", "publisher", "description", "feeds"}
_FEED_KEYS = {
    "name",
    "title",
    "description",
    "publisher",
    "path",
    "format",
    "encoding",
    "cadence",
    "kinds",
    "known_date",
    "defects",
    "notes",
    "sheets",
}
_TABLE_KEYS = {"sheet", "table", "title_rows", "keyed_by", "key", "record_id", "grain", "columns"}
_COLUMN_KEYS = {
    "name",
    "type",
    "required",
    "description",
    "unit",
    "date_style",
    "renamed_from",
    "aliases",
    "added_later",
    "may_be_absent",
    "pii",
    "fields",
}


class ContractError(ValueError):
    """A contract file that does not describe a feed completely and consistently."""


@dataclass(frozen=True)
class Column:
    """One column (or JSON field) as delivered.

    Attributes:
        name: name in the header or JSON key, exactly as delivered (the latest name if renamed).
        type: one of ``TYPES``.
        required: the platform quarantines a row without a value here.
        description: meaning, in English with the Chinese term.
        unit: ``元`` or ``万元`` for money columns.
        date_style: one of ``DATE_STYLES`` for date and timestamp columns.
        renamed_from: the name earlier deliveries used for this column (schema drift).
        aliases: other names the column may be delivered under in any delivery.
        added_later: the column is absent from deliveries before the schema drift.
        may_be_absent: a JSON key left out (not null) when there is no value.
        pii: personal data, to be kept in restricted layers.
        fields: fields of the objects of a ``list`` column.
    """

    name: str
    type: str
    required: bool
    description: str
    unit: str | None = None
    date_style: str | None = None
    renamed_from: str | None = None
    aliases: tuple[str, ...] = ()
    added_later: bool = False
    may_be_absent: bool = False
    pii: bool = False
    fields: tuple["Column", ...] = ()


@dataclass(frozen=True)
class Table:
    """One table of a feed: a file's rows, one workbook sheet, or one SQL table.

    Attributes:
        name: sheet name (xlsx) or table name (sql); None for csv and JSON files.
        title_rows: rows above the header row (xlsx).
        keyed_by: one of ``KEYED_BY``.
        key: business key columns.
        record_id: columns identifying one delivered record.
        grain: what one row is.
        columns: columns in delivered order.
    """

    name: str | None
    title_rows: int
    keyed_by: str
    key: tuple[str, ...]
    record_id: tuple[str, ...]
    grain: str
    columns: tuple[Column, ...]

    def _versions(self) -> tuple[tuple[tuple[str, Column], ...], ...]:
        """Every schema version, oldest first, as (name delivered, column) pairs."""
        current = tuple((column.name, column) for column in self.columns)
        earlier = tuple(
            (column.renamed_from or column.name, column)
            for column in self.columns
            if not column.added_later
        )
        return (current,) if earlier == current else (earlier, current)

    def headers(self) -> tuple[tuple[str, ...], ...]:
        """Column names of every schema version, oldest first (one version without drift)."""
        return tuple(tuple(name for name, _ in version) for version in self._versions())

    def header_version(self, header: Sequence[str]) -> int | None:
        """Index in ``headers()`` of the version a delivered header matches, or None.

        A column's aliases are accepted in place of its name in any version.
        """
        for index, version in enumerate(self._versions()):
            if self._matches(header, version):
                return index
        return None

    def delivered_names(self, header: Sequence[str]) -> dict[str, str] | None:
        """Column name -> the name a delivered header gives it, or None if no version matches.

        Columns that the header's schema version lacks (added later) are left out.
        """
        for version in self._versions():
            if self._matches(header, version):
                return {
                    column.name: delivered
                    for delivered, (_, column) in zip(header, version, strict=True)
                }
        return None

    @staticmethod
    def _matches(header: Sequence[str], version: tuple[tuple[str, Column], ...]) -> bool:
        return len(header) == len(version) and all(
            delivered == expected or delivered in column.aliases
            for delivered, (expected, column) in zip(header, version, strict=True)
        )

    def column(self, name: str) -> Column:
        """The column of the given (current) name."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


@dataclass(frozen=True)
class Defect:
    """A defect class a feed is known to show.

    Attributes:
        defect_class: one of ``DEFECT_CLASSES``.
        shows: how it shows in this feed.
    """

    defect_class: str
    shows: str


@dataclass(frozen=True)
class Source:
    """A source system: the organisation behind one top folder of the landing zone.

    Attributes:
        name: folder name under the landing root.
        title: short title with the Chinese term.
        publisher: who delivers.
        description: what the source delivers and how.
    """

    name: str
    title: str
    publisher: str
    description: str


@dataclass(frozen=True)
class Feed:
    """One feed: a kind of file (or SQL table) a source delivers, with its schema.

    Attributes:
        id: ``<source>.<name>``, as in the platform's raw tables and the simulator's defect log.
        source: the source system.
        name: feed name within its source.
        title: short title with the Chinese term.
        description: what the feed holds.
        publisher: who delivers this feed.
        path: glob of the feed's files relative to the landing root (``*`` and ``?`` stay
            within one folder).
        format: one of ``FORMATS``.
        encoding: one of ``ENCODINGS`` for text formats; None for xlsx and sql.
        cadence: when deliveries arrive.
        kinds: manifest kinds the feed's deliveries have.
        known_date: column holding the date a row became known; None when a row is known from
            the date of the delivery that brings it.
        tables: the feed's tables (two for a workbook with two sheets).
        defects: known defects.
        notes: further remarks for users.
    """

    id: str
    source: Source
    name: str
    title: str
    description: str
    publisher: str
    path: str
    format: str
    encoding: str | None
    cadence: str
    kinds: tuple[str, ...]
    known_date: str | None
    tables: tuple[Table, ...]
    defects: tuple[Defect, ...]
    notes: tuple[str, ...]

    @property
    def table(self) -> Table:
        """The only table of a single-table feed."""
        if len(self.tables) != 1:
            raise ValueError(f"{self.id} has {len(self.tables)} tables")
        return self.tables[0]

    @property
    def columns(self) -> tuple[Column, ...]:
        """Columns of a single-table feed."""
        return self.table.columns

    def matches(self, relative_path: str) -> bool:
        """Whether a ``/``-separated path relative to the landing root is a file of this feed."""
        return _glob_regex(self.path).fullmatch(relative_path) is not None


@functools.cache
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob as a regular expression in which ``*`` and ``?`` never cross a ``/``."""
    parts = (
        "[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char) for char in pattern
    )
    return re.compile("".join(parts))


def load_contract(directory: Path = CONTRACT_DIR) -> dict[str, Feed]:
    """Load and check every source's contract.

    Args:
        directory: folder of ``<source>.yml`` files.

    Returns:
        Feeds by id (``<source>.<name>``), sources in ``SOURCE_ORDER``, feeds in file order.

    Raises:
        ContractError: if a file is incomplete, inconsistent or names unknown values.
    """
    feeds: dict[str, Feed] = {}
    rank = {source: index for index, source in enumerate(SOURCE_ORDER)}
    files = sorted(
        directory.glob("*.yml"), key=lambda file: (rank.get(file.stem, len(rank)), file.stem)
    )
    if not files:
        raise ContractError(f"no contract files in {directory}")
    for file in files:
        for feed in _load_source(file):
            if feed.id in feeds:
                raise ContractError(f"{file.name}: feed {feed.id} defined twice")
            feeds[feed.id] = feed
    return feeds


def _load_source(file: Path) -> list[Feed]:
    document = yaml.safe_load(file.read_text(encoding="utf-8"))
    where = file.name
    _check_keys(document, _SOURCE_KEYS, {"source", "title", "publisher", "description"}, where)
    if document["source"] != file.stem:
        raise ContractError(f"{where}: source {document['source']!r} must match the file name")
    source = Source(
        name=document["source"],
        title=document["title"],
        publisher=document["publisher"],
        description=document["description"],
    )
    return [_feed(raw, source, where) for raw in document.get("feeds") or []]


def _feed(raw: dict[str, Any], source: Source, where: str) -> Feed:
    feed_id = f"{source.name}.{raw.get('name')}"
    where = f"{where}: {feed_id}"
    required = {"name", "title", "description", "path", "format", "encoding", "cadence", "kinds"}
    _check_keys(raw, _FEED_KEYS | _TABLE_KEYS, required, where)
    fmt = raw["format"]
    if fmt not in FORMATS:
        raise ContractError(f"{where}: format {fmt!r} is not one of {FORMATS}")
    encoding = raw["encoding"]
    if (fmt in TEXT_FORMATS) != (encoding is not None) or (
        encoding is not None and encoding not in ENCODINGS
    ):
        raise ContractError(f"{where}: text formats need one of {ENCODINGS}, others null")
    if not raw["path"].startswith(f"{source.name}/"):
        raise ContractError(f"{where}: path must start with {source.name}/")
    kinds = tuple(raw["kinds"])
    if unknown := set(kinds) - set(MANIFEST_KINDS):
        raise ContractError(f"{where}: unknown manifest kinds {sorted(unknown)}")
    if "sheets" in raw:
        if _TABLE_KEYS & set(raw):
            raise ContractError(f"{where}: give table keys per sheet when there are sheets")
        tables = tuple(_table(sheet, fmt, where) for sheet in raw["sheets"])
    else:
        tables = (_table({k: v for k, v in raw.items() if k in _TABLE_KEYS}, fmt, where),)
    defects = tuple(_defect(entry, where) for entry in raw.get("defects") or [])
    known_date = raw.get("known_date")
    if known_date is not None and all(
        known_date not in {c.name for c in table.columns} for table in tables
    ):
        raise ContractError(f"{where}: known_date {known_date!r} is not a column")
    return Feed(
        id=feed_id,
        source=source,
        name=raw["name"],
        title=raw["title"],
        description=raw["description"].strip(),
        publisher=raw.get("publisher") or source.publisher,
        path=raw["path"],
        format=fmt,
        encoding=encoding,
        cadence=raw["cadence"],
        kinds=kinds,
        known_date=known_date,
        tables=tables,
        defects=defects,
        notes=tuple(raw.get("notes") or ()),
    )


def _table(raw: dict[str, Any], fmt: str, where: str) -> Table:
    required = {"keyed_by", "key", "record_id", "grain", "columns"}
    name_key = {"xlsx": "sheet", "sql": "table"}.get(fmt)
    if name_key:
        required.add(name_key)
        where = f"{where} [{raw.get(name_key)}]"
    _check_keys(raw, _TABLE_KEYS, required, where)
    if raw["keyed_by"] not in KEYED_BY:
        raise ContractError(f"{where}: keyed_by must be one of {sorted(KEYED_BY)}")
    columns = tuple(_column(entry, where) for entry in raw["columns"])
    names = [column.name for column in columns]
    if len(set(names)) != len(names):
        raise ContractError(f"{where}: duplicate column names")
    for key_name in ("key", "record_id"):
        if missing := set(raw[key_name]) - set(names):
            raise ContractError(f"{where}: {key_name} names unknown columns {sorted(missing)}")
    return Table(
        name=raw.get(name_key) if name_key else None,
        title_rows=int(raw.get("title_rows") or 0),
        keyed_by=raw["keyed_by"],
        key=tuple(raw["key"]),
        record_id=tuple(raw["record_id"]),
        grain=raw["grain"],
        columns=columns,
    )


def _column(raw: dict[str, Any], where: str) -> Column:
    _check_keys(raw, _COLUMN_KEYS, {"name", "type", "required", "description"}, where)
    where = f"{where} column {raw['name']}"
    kind = raw["type"]
    if kind not in TYPES:
        raise ContractError(f"{where}: type {kind!r} is not one of {TYPES}")
    if not isinstance(raw["required"], bool):
        raise ContractError(f"{where}: required must be true or false")
    style = raw.get("date_style")
    if (kind in ("date", "timestamp")) != (style is not None) or (
        style is not None and style not in DATE_STYLES
    ):
        raise ContractError(f"{where}: dates need a date_style of {sorted(DATE_STYLES)}")
    unit = raw.get("unit")
    if unit is not None and (unit not in MONEY_UNITS or kind not in ("integer", "decimal")):
        raise ContractError(f"{where}: unit must be one of {sorted(MONEY_UNITS)} on a number")
    if (kind == "list") != bool(raw.get("fields")):
        raise ContractError(f"{where}: list columns, and only they, have fields")
    return Column(
        name=str(raw["name"]),
        type=kind,
        required=raw["required"],
        description=raw["description"].strip(),
        unit=unit,
        date_style=style,
        renamed_from=raw.get("renamed_from"),
        aliases=tuple(raw.get("aliases") or ()),
        added_later=bool(raw.get("added_later", False)),
        may_be_absent=bool(raw.get("may_be_absent", False)),
        pii=bool(raw.get("pii", False)),
        fields=tuple(_column(entry, where) for entry in raw.get("fields") or ()),
    )


def _defect(raw: dict[str, Any], where: str) -> Defect:
    _check_keys(raw, {"class", "shows"}, {"class", "shows"}, where)
    if raw["class"] not in DEFECT_CLASSES:
        raise ContractError(f"{where}: unknown defect class {raw['class']!r}")
    return Defect(defect_class=raw["class"], shows=raw["shows"])


def _check_keys(raw: object, allowed: set[str], required: set[str], where: str) -> None:
    if not isinstance(raw, dict):
        raise ContractError(f"{where}: expected a mapping, got {type(raw).__name__}")
    if unknown := set(raw) - allowed:
        raise ContractError(f"{where}: unknown keys {sorted(unknown)}")
    if missing := required - set(raw):
        raise ContractError(f"{where}: missing keys {sorted(missing)}")


# --- Markdown ---------------------------------------------------------------------------------

INTRO = """\
# Feed contract

<!-- Generated from pipelines/contract/*.yml by
     `python -m pipelines.lib.contract > docs/feeds.md`. Do not edit by hand: change the YAML and
     re-run; tests/pipelines/test_contract.py checks that this file is up to date. -->

This is what the platform reads. Every source system delivers into the **landing zone** in its own
format, and the pipeline reads nothing else: pointing the platform at real deliveries means making
them land exactly as described here. The simulator in `sources/` writes the same layout, formats,
encodings and column names, defects included, so everything below holds for both. The
machine-readable version is `pipelines/contract/<source>.yml`, loaded by
`pipelines.lib.contract.load_contract()`.

## Landing-zone layout

```
<landing root>/
  <source>/<delivery_id>/_manifest.json     one folder per delivery, with its manifest
  <source>/<delivery_id>/<file>             the delivered files
  subsidies/zgc_development/funding.sqlite  the one SQL source (no delivery folders, no manifest)
```

`<source>` is one of `registry`, `regulation`, `pboc`, `courts`, `subsidies`, `tax`, `ratings`,
`lists`. Each feed below gives its files as a glob relative to the landing root (`?` is one
character, `*` any characters within one folder); every delivered file matches exactly one feed.
The simulator's command line also writes `_simulation.json` at the root (the options that produced
the landing zone); it is not a delivery and the platform ignores it.

## Delivery ids and dates

A delivery id starts with the **delivery date**, `YYYY-MM-DD`. Sources with several independent
senders add a suffix: `_<department>` in `subsidies` (e.g. `2025-04-15_zgc_admin`) and `_<list>` in
`lists` (e.g. `2025-06-18_top100`). The first delivery of every sender, on the start date of the
period (2025-01-01 by default), is a **full** extract of everything the source knew on that date;
later deliveries are **incremental** and carry only what became known since. Daily feeds
(`registry`, `courts`) deliver every day, with header-only files or `[]` when nothing happened; the
other feeds deliver on their schedule only when they have records, so a missing delivery means
"nothing new".

## Manifests

Every delivery folder has a `_manifest.json` (UTF-8), written by the sender after its files:

```json
{{
  "source": "registry",
  "delivery_id": "2025-01-01",
  "delivered_on": "2025-01-01",
  "kind": "full",
  "files": [
    {{"name": "enterprises.csv", "rows": 2337, "bytes": 448431, "sha256": "567b74…"}}
  ]
}}
```

`rows` is the number of records the sender intended (data rows of a CSV file without the header,
objects of a JSON or JSON Lines file, data rows of all sheets of a workbook), `bytes` and `sha256`
those of the file as sent. A file whose size or SHA-256 differs from its manifest was cut off or
altered on the way: the platform must not load it silently (see `truncated_file`). `kind` is one of:

{kinds}

Ingestion is idempotent by content hash: a file whose SHA-256 was already loaded is not loaded
again.

## Re-deliveries, corrections and new versions

- **Re-delivery** (`kind: redelivery`): an earlier delivery sent again, byte for byte, under a new
  delivery id (the tax bureau re-sends its first regular June delivery two days later). Same SHA-256
  as the original: skip it; its records stay known from the original's date.
- **Corrections**: the tax bureau's 15 December delivery (`kind: correction`) holds corrected
  declarations only (`GZBZ = Y`, id prefix `GZ`); a correction replaces the original declaration of
  the same taxpayer and year from its delivery date on, never before.
- **New versions of a record**: `lists.talents` and `lists.incubators` deliver a record again under
  the same id when it changes (an end or revocation date filled in); the latest delivered version
  applies from its delivery date on.
- **Events instead of updates**: list entries and removals (`regulation.*`,
  `courts.dishonest_debtors`) and registry changes (`registry.changes`) arrive as new rows; a
  later event never rewrites an earlier row.
- **Schema drift**: a column may be renamed or added from one delivery on; the contract lists the
  old name (`renamed_from`) and marks added columns, and both headers are valid.

## When a record is known

A record is **known from the date of the delivery that brings it** (`delivered_on`, the first ten
characters of the delivery id), whatever dates it carries itself: a registry change approved on
3 March and delivered late on 10 March is known from 10 March. Every as-of computation uses only
records known on or before the as-of date (no look-ahead). The SQL source has no deliveries: a row
of `subsidies.zgc_development` is known from its `entry_time`.

## Reading the columns

Column names are given exactly as delivered (many are Chinese, or pinyin initials such as
`TYSHXYDM` = 统一社会信用代码). Types are the logical types the platform casts to: `string`,
`integer`, `decimal`, `date`, `timestamp`, `boolean`, and `list` for a nested JSON array of objects.
CSV files have the header on the first line and lines ending in CRLF; text fields are enclosed in
double quotes, numbers are not, and a missing value is an empty unquoted field. Read every field as
text first: codes such as `HYDM` or phone numbers may have leading zeros. JSON Lines files hold one
object per line (LF), JSON files one array of objects; a missing value is `null`.
**Required** columns must hold a value: a row without one goes to quarantine with the reason, never
dropped. A `+` after a name marks personal data (legal representatives' ID numbers and phones,
people's names), which stays in restricted layers.

Keyed by:

{keyed_by}

Money units: {units}. Staging converts everything to yuan.

Date styles:

{date_styles}

## Defect classes

Real deliveries are imperfect; the simulator injects these defects at configurable rates and logs
each one in `truth/defects.parquet` (feed, delivery id, file — `<file>#<sheet>` for workbooks —,
data row number from 1, record id, true USCC, class). Each feed lists the classes it shows.

{defects}

## Feeds at a glance

{glance}
"""


def render_markdown(contract: dict[str, Feed]) -> str:
    """The contract as the Markdown documentation for users (``docs/feeds.md``).

    Args:
        contract: feeds by id, as returned by ``load_contract``.

    Returns:
        The whole document, ending with a newline.
    """
    feeds = list(contract.values())
    intro = INTRO.format(
        kinds=_bullets(f"`{kind}`: {meaning}" for kind, meaning in MANIFEST_KINDS.items()),
        keyed_by=_bullets(f"`{kind}`: {meaning}" for kind, meaning in KEYED_BY.items()),
        units=", ".join(f"`{unit}` = {meaning}" for unit, meaning in MONEY_UNITS.items()),
        date_styles=_table_rows(
            ["style", "written as", "example"],
            [[f"`{name}`", s.pattern, f"`{s.example}`"] for name, s in DATE_STYLES.items()],
        ),
        defects=_table_rows(
            ["class", "meaning"],
            [[f"`{name}`", meaning] for name, meaning in DEFECT_CLASSES.items()],
        ),
        glance=_table_rows(
            ["feed", "files", "format", "encoding", "keyed by"],
            [
                [
                    f"[`{feed.id}`](#{_anchor(feed.id)})",
                    f"`{feed.path}`",
                    feed.format,
                    feed.encoding or "—",
                    ", ".join(dict.fromkeys(table.keyed_by for table in feed.tables)),
                ]
                for feed in feeds
            ],
        ),
    )
    sections = [intro.rstrip("\n")]
    sources: dict[str, list[Feed]] = {}
    for feed in feeds:
        sources.setdefault(feed.source.name, []).append(feed)
    for source_feeds in sources.values():
        source = source_feeds[0].source
        sections.append(
            f"## `{source.name}` — {source.title}\n\n"
            f"Publisher: {source.publisher}.\n\n{_one_line(source.description)}"
        )
        sections.extend(_render_feed(feed) for feed in source_feeds)
    return "\n\n".join(sections) + "\n"


def _render_feed(feed: Feed) -> str:
    facts = [
        ["Files", f"`{feed.path}`"],
        ["Format", feed.format],
        ["Encoding", feed.encoding or "— (binary; text is Unicode)"],
        *([["Publisher", feed.publisher]] if feed.publisher != feed.source.publisher else []),
        ["Cadence", feed.cadence],
        ["Manifest kinds", ", ".join(f"`{kind}`" for kind in feed.kinds) or "— (no manifest)"],
        ["Known from", f"`{feed.known_date}`" if feed.known_date else "the delivery date"],
    ]
    if len(feed.tables) == 1:
        facts.extend(_table_facts(feed.table, feed.format))
    parts = [
        f"### `{feed.id}`\n\n**{feed.title}.** {_one_line(feed.description)}",
        _table_rows(["", ""], facts),
    ]
    for table in feed.tables:
        if len(feed.tables) > 1:
            parts.append(
                f"#### Sheet `{table.name}`\n\n"
                + _table_rows(["", ""], _table_facts(table, feed.format))
            )
        parts.append(_columns(table))
    defects = [f"`{d.defect_class}`: {_one_line(d.shows)}" for d in feed.defects]
    parts.append("Known defects:\n\n" + (_bullets(defects) if defects else "- none"))
    if feed.notes:
        parts.append("Notes:\n\n" + _bullets(_one_line(note) for note in feed.notes))
    return "\n\n".join(parts)


def _table_facts(table: Table, fmt: str) -> list[list[str]]:
    facts = []
    if fmt == "xlsx":
        facts.append(["Sheet", f"`{table.name}`, header on row {table.title_rows + 1}"])
    if fmt == "sql":
        facts.append(["Table", f"`{table.name}`"])
    facts += [
        ["Keyed by", table.keyed_by],
        ["Business key", ", ".join(f"`{name}`" for name in table.key)],
        ["Record id", ", ".join(f"`{name}`" for name in table.record_id)],
        ["Grain", table.grain],
    ]
    return facts


def _columns(table: Table) -> str:
    rows = []
    for column in table.columns:
        rows.append(_column_row(column, ""))
        rows.extend(_column_row(field, f"{column.name}[].") for field in column.fields)
    return _table_rows(["column", "type", "required", "unit / date style", "description"], rows)


def _column_row(column: Column, prefix: str) -> list[str]:
    notes = []
    if column.renamed_from:
        notes.append(f"Delivered as `{column.renamed_from}` before the schema drift.")
    if column.added_later:
        notes.append("Absent from deliveries before the schema drift.")
    if column.aliases:
        notes.append("Also delivered as " + ", ".join(f"`{a}`" for a in column.aliases) + ".")
    if column.may_be_absent:
        notes.append("The key is left out when there is no value.")
    if column.date_style:
        format_ = f"{column.date_style}: {DATE_STYLES[column.date_style].pattern}"
    else:
        format_ = column.unit or ""
    return [
        f"`{prefix}{column.name}`" + (" +" if column.pii else ""),
        column.type,
        "yes" if column.required else "no",
        format_,
        " ".join([_one_line(column.description), *notes]),
    ]


def _table_rows(header: list[str], rows: list[list[str]]) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value: str) -> str:
    return _one_line(value).replace("|", "\\|")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _anchor(feed_id: str) -> str:
    """GitHub's anchor of a ``### `<feed id>``` heading."""
    return re.sub(r"[^\w\- ]", "", feed_id.lower()).replace(" ", "-")


def main() -> None:
    """Write the rendered contract to standard output."""
    sys.stdout.write(render_markdown(load_contract()))


if __name__ == "__main__":
    main()
