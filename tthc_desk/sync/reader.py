"""Reading a provincial-portal case list into plain rows, with every unusable row rejected with a reason.

No database here: the import service takes `ParsedFile.rows` (keyed on `code`) and writes them.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tthc_desk.domain import Channel, Status
from tthc_desk.errors import ImportFailed
from tthc_desk.sync.columns import (
    DATE_FIELDS,
    FIELD_LABELS,
    HEADER_SCAN_ROWS,
    ColumnMapping,
    apply_saved,
    find_header,
)
from tthc_desk.sync.legacy import UNICODE, decode_cell
from tthc_desk.sync.values import code_text, parse_channel, parse_datetime, parse_status, plain_text
from tthc_desk.sync.workbook import DEFAULT_LIMITS, ReadLimits, SheetData, column_letter, load_sheet

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
CODE_FIELDS = frozenset({"code", "citizen_id", "phone", "procedure_code"})
TEXT_FIELDS = ("applicant", "address", "email", "procedure_name", "field", "unit")
_STEP = 1000
# Characters that only Unicode text holds: anything above Latin-1 except the cp1252 punctuation.
_NOT_LEGACY = re.compile("[^\x00-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                         "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")  # fmt: skip


class ImportCancelled(ImportFailed):
    """The user cancelled while the file was being read."""

    def __init__(self) -> None:
        super().__init__("Đã huỷ đọc tệp.")


@dataclasses.dataclass(frozen=True, slots=True)
class PortalRow:
    """One case as the portal file gives it; text is NFC, codes are text, dates are naive datetimes."""

    row_number: int
    code: str
    applicant: str = ""
    citizen_id: str = ""
    phone: str = ""
    address: str = ""
    email: str = ""
    procedure_code: str = ""
    procedure_name: str = ""
    field: str = ""
    unit: str = ""
    channel: Channel | None = None
    status: Status | None = None
    received_at: datetime | None = None
    due_at: datetime | None = None
    finished_at: datetime | None = None
    returned_at: datetime | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row left out: `reason` is shown as is ("Dòng 7: Ngày tiếp nhận '31/02/2025' không hợp lệ")."""

    row_number: int
    reason: str
    raw: dict[str, Any]  # header -> cell value (legacy text decoded), in column order


@dataclasses.dataclass
class ParsedFile:
    """What a portal file holds, before anything is written."""

    path: Path
    sheet_name: str
    source: str
    mapping: ColumnMapping
    rows: list[PortalRow]
    rejected: list[RejectedRow]
    encodings: dict[str, int]  # non-ASCII text cells by detected encoding: 'unicode', 'tcvn3', 'vni'
    warnings: list[str]

    @property
    def header_row(self) -> int:
        return self.mapping.header_row


def read_cases_file(
    path: str | Path,
    mapping: ColumnMapping | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    *,
    sheet: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> ParsedFile:
    """Read a portal case list; raise `ImportFailed` when the file as a whole cannot be used."""
    data = load_sheet(path, sheet=sheet, limits=limits)
    encodings: Counter[str] = Counter()
    decoder = _Decoder(data, encodings)
    scan = _Decoder(data, Counter())  # header candidates are not counted: data rows among them come again
    head = [[scan(v, r, c) for c, v in enumerate(row)] for r, row in enumerate(data.rows[:HEADER_SCAN_ROWS])]
    mapping = apply_saved(mapping, head) if mapping is not None else find_header(head)
    missing = mapping.missing()
    if missing:
        names = ", ".join(f"'{FIELD_LABELS[f]}'" for f in missing)
        raise ImportFailed(f"Tệp '{Path(path).name}' thiếu cột bắt buộc {names}. Hãy chỉnh ánh xạ cột.")
    _fill_merged(data, mapping.header_row)
    parser = _RowParser(mapping, decoder)
    result = ParsedFile(Path(path), data.sheet_name, data.source, mapping, [], [], {}, [])
    first_codes: dict[str, int] = {}
    total = len(data.rows)
    for index in range(mapping.header_row, total):
        if index % _STEP == 0:
            if cancel is not None and cancel():
                raise ImportCancelled()
            if progress is not None:
                progress(index, total)
        _take_row(parser, data.rows[index], index, first_codes, result)
    if progress is not None:
        progress(total, total)
    result.encodings = dict(encodings)
    return result


def _take_row(parser: _RowParser, raw: list[Any], index: int, first_codes: dict[str, int], out: ParsedFile) -> None:
    number = index + 1
    parsed = parser.parse(raw, index)
    if parsed is None:
        return  # an empty row
    row, problems, notes = parsed
    if row is not None and not problems:
        earlier = first_codes.setdefault(row.code, number)
        if earlier != number:
            problems.append(f"Mã hồ sơ '{row.code}' trùng với dòng {earlier}")
    if problems:
        out.rejected.append(RejectedRow(number, f"Dòng {number}: " + "; ".join(problems), parser.raw(raw, index)))
        return
    out.rows.append(row)
    out.warnings.extend(f"Dòng {number}: {note}" for note in notes)


class _Decoder:
    """Legacy-aware text of one cell; counts the encodings it meets."""

    def __init__(self, data: SheetData, counter: Counter[str]) -> None:
        self.data = data
        self.counter = counter

    def __call__(self, value: Any, row: int, col: int) -> Any:
        if not isinstance(value, str) or value.isascii():
            return value
        if _NOT_LEGACY.search(value):
            self.counter[UNICODE] += 1
            return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
        text, encoding = decode_cell(value, self.data.font(row, col))
        self.counter[encoding] += 1
        return text


class _RowParser:
    def __init__(self, mapping: ColumnMapping, decoder: _Decoder) -> None:
        self.mapping = mapping
        self.decode = decoder
        self.cols = sorted(mapping.columns.items(), key=lambda fc: fc[1])
        self.headers = _raw_headers(mapping.headers)

    def parse(self, raw: list[Any], index: int) -> tuple[PortalRow | None, list[str], list[str]] | None:
        values: dict[str, Any] = {}
        width = len(raw)
        for fld, col in self.cols:
            if col < width:
                value = raw[col]
                if value != "" and value is not None:
                    values[fld] = self.decode(value, index, col)
        if not values:
            return None
        problems: list[str] = []
        notes: list[str] = []
        kwargs: dict[str, Any] = {}
        for fld, value in values.items():
            label = FIELD_LABELS[fld]
            try:
                if fld in DATE_FIELDS:
                    kwargs[fld] = parse_datetime(value)
                elif fld in CODE_FIELDS:
                    kwargs[fld], note = code_text(value, fld)
                    if note:
                        notes.append(f"{label} {note}")
                elif fld == "status":
                    kwargs[fld] = parse_status(value)
                elif fld == "channel":
                    kwargs[fld] = parse_channel(value)
                else:
                    kwargs[fld] = plain_text(value)
            except ValueError as exc:
                problems.append(f"{label} '{plain_text(value)}' {exc}")
        if not kwargs.get("code"):
            problems.insert(0, "Thiếu mã hồ sơ")
        if "received_at" not in values:
            problems.append("Thiếu ngày tiếp nhận")
        if problems:
            return None, problems, notes
        return PortalRow(row_number=index + 1, **kwargs), problems, notes

    def raw(self, raw: list[Any], index: int) -> dict[str, Any]:
        return {h: self.decode(raw[c], index, c) if c < len(raw) else "" for c, h in enumerate(self.headers)}


def _raw_headers(headers: tuple[str, ...]) -> list[str]:
    """Header texts usable as keys: blanks named by column letter, repeats numbered."""
    seen: Counter[str] = Counter()
    result = []
    for col, text in enumerate(headers):
        name = text or f"Cột {column_letter(col)}"
        seen[name] += 1
        result.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return result


def _fill_merged(data: SheetData, header_row: int) -> None:
    """A value merged over several data rows (a unit, a field) belongs to each of them."""
    for (r0, c0), (r1, c1) in data.merged:
        if r0 < header_row or r0 >= len(data.rows) or (r0 == r1 and c0 == c1):
            continue  # titles and header cells stay as they are
        top = data.rows[r0][c0] if c0 < len(data.rows[r0]) else ""
        for r in range(r0, min(r1, len(data.rows) - 1) + 1):
            row = data.rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if row[c] == "":
                    row[c] = top
