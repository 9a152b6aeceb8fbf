"""Reading procedure catalogues (danh mục TTHC) from files into plain records (DOMAIN §2).

Pure parsing, no database: the import service turns `ProcedureRecord`s into rows.

Two sources are understood:

* the crawled CSV (`thu_tuc_cap_xa.csv`: `ma_thu_tuc, ten_thu_tuc, …, thoi_han_truc_tiep, …, ghi_chu_phan_tich`);
* the national portal's Excel lists (`Mã số | Tên | Cơ quan ban hành | Cơ quan thực hiện | Lĩnh vực`, a merged
  title above the header, no processing times).

Both go through the same header finder: each header cell is folded (no accents, lower case, punctuation and
`_` read as spaces) and matched against known column names, so `Mã số`, `MÃ SỐ`, `ma_so` are the same column
and the header may sit on any of the first rows.

Durations are read by `tthc_desk.catalogue_durations` (import what is clear, never guess). A row whose code,
field, levels or decision is longer than its column (the sizes of `Procedure`) is skipped with a warning, like a
row without a code: the import stores on PostgreSQL what it stores on SQLite.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as _field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from tthc_desk.catalogue_durations import (  # noqa: F401 - re-exported: the catalogue's public API
    NO_DURATION_IN_FILE,
    REVIEW,
    DurationSpec,
    _missing_column_spec,
    _review,
    parse_duration,
)
from tthc_desk.domain import Channel
from tthc_desk.errors import ImportFailed
from tthc_desk.files import why_not_read
from tthc_desk.storage.models import Procedure
from tthc_desk.text import clean, clean_multiline, fold

CSV_EXTENSIONS = frozenset({".csv"})
WORKBOOK_EXTENSIONS = frozenset({".xlsx", ".xls", ".xlsm"})

# How many rows to look through for the header (the portal's lists have a tall merged title above it).
HEADER_SCAN_ROWS = 30

_NATIONAL_CODE = re.compile(r"^(\d\.\d{6})(?=$|[.\-_/ ])")

# The record's texts kept in columns of limited size, with the names the user knows them by. The sizes are the
# model's: PostgreSQL refuses a longer text (and with it the whole import), SQLite would keep it.
SIZED_TEXTS = (
    ("code", Procedure.code, "Mã thủ tục"),
    ("field", Procedure.field, "Lĩnh vực"),
    ("levels", Procedure.levels, "Cấp thực hiện"),
    ("decision", Procedure.decision, "Số quyết định"),
)


# ---------------------------------------------------------------------------------------------- data


@dataclass
class ProcedureRecord:
    """One procedure as read from a catalogue file (all text NFC, whitespace normalised)."""

    code: str  # as given: "1.000010", "2.002621.H13", "1.004946.000.00.00.H13-4"
    national_code: str  # the N.NNNNNN part, "" when the code has no such part
    name: str
    field: str = ""  # lĩnh vực
    levels: str = ""  # cấp thực hiện, e.g. "Cấp tỉnh, Cấp xã"
    decision: str = ""  # số quyết định công bố, e.g. "163/QĐ-BTP"
    implementing_agency: str = ""  # cơ quan thực hiện (one agency per line)
    issuing_agency: str = ""  # cơ quan ban hành
    cooperating_units: str = ""  # cơ quan phối hợp
    direct: DurationSpec = _field(default_factory=lambda: _missing_column_spec())
    online: DurationSpec = _field(default_factory=lambda: _missing_column_spec())
    post: DurationSpec = _field(default_factory=lambda: _missing_column_spec())
    needs_review: bool = False
    review_notes: list[str] = _field(default_factory=list)  # Vietnamese, each ending in "cần xác nhận"
    source_row: int = 0  # 1-based row in the file (spreadsheet numbering)

    def duration(self, channel: Channel | str) -> DurationSpec:
        return {Channel.DIRECT: self.direct, Channel.ONLINE: self.online, Channel.POST: self.post}[
            Channel(channel)
        ]

    @property
    def review_note(self) -> str:
        """The review notes as one text (for a single `review_note` column)."""
        return "\n".join(self.review_notes)


@dataclass(frozen=True)
class CatalogueWarning:
    """A row that was not imported as it stands (duplicate code, missing code or name, …)."""

    row: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"Dòng {self.row}: {self.message}"


@dataclass
class CatalogueParse:
    """What one file gave: the records (first of each code), warnings, and counts."""

    source: str
    records: list[ProcedureRecord] = _field(default_factory=list)
    warnings: list[CatalogueWarning] = _field(default_factory=list)
    rows_read: int = 0  # non-blank data rows below the header
    duplicates: int = 0  # rows dropped because their code was already seen in this file
    skipped: int = 0  # rows dropped for a missing code or name, or a text too long for its column
    header_row: int = 0  # 1-based row where the header was found
    sheet: str = ""  # workbook sheet used ("" for CSV)

    @property
    def needs_review(self) -> int:
        return sum(1 for r in self.records if r.needs_review)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows_read": self.rows_read,
            "records": len(self.records),
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "needs_review": self.needs_review,
        }


# ------------------------------------------------------------------------------------------ durations
# ------------------------------------------------------------------------------------------- headers

_COLUMN_NAMES: dict[str, frozenset[str]] = {
    "code": frozenset(
        {"ma so", "ma", "ma thu tuc", "ma tthc", "ma so thu tuc", "ma so tthc", "ma thu tuc hanh chinh"}
    ),
    "name": frozenset({"ten", "ten thu tuc", "ten tthc", "ten thu tuc hanh chinh"}),
    "field": frozenset({"linh vuc", "ten linh vuc"}),
    "levels": frozenset({"cap thuc hien", "cap"}),
    "decision": frozenset({"so quyet dinh", "quyet dinh", "quyet dinh cong bo", "so quyet dinh cong bo"}),
    "issuing": frozenset({"co quan ban hanh"}),
    "implementing": frozenset({"co quan thuc hien", "co quan giai quyet"}),
    "cooperating": frozenset({"co quan phoi hop", "don vi phoi hop", "co quan don vi phoi hop"}),
    "direct": frozenset({"thoi han truc tiep", "thoi han giai quyet truc tiep"}),
    "online": frozenset({"thoi han truc tuyen", "thoi han giai quyet truc tuyen"}),
    "post": frozenset({"thoi han buu chinh", "thoi han dich vu buu chinh", "thoi han giai quyet buu chinh"}),
    "analysis": frozenset({"ghi chu phan tich"}),
}
_CHANNEL_COLUMNS = (("direct", Channel.DIRECT), ("online", Channel.ONLINE), ("post", Channel.POST))
_NOTE_CHANNELS = {
    "truc tiep": Channel.DIRECT,
    "truc tuyen": Channel.ONLINE,
    "buu chinh": Channel.POST,
    "dich vu buu chinh": Channel.POST,
    "buu chinh cong ich": Channel.POST,
}


def _header_key(value: object) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(_cell_text(value))).split())


def _match_header(row: Sequence[object]) -> dict[str, int] | None:
    """Column index per role if `row` is a header (has at least the code and name columns)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        key = _header_key(cell)
        for role, names in _COLUMN_NAMES.items():
            if key in names and role not in found:
                found[role] = index
                break
    return found if {"code", "name"} <= found.keys() else None


def _find_header(rows: Sequence[Sequence[object]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns = _match_header(row)
        if columns:
            return index, columns
    return None


# --------------------------------------------------------------------------------------------- cells


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _code_from_cell(value: object) -> tuple[str, str]:
    """(code text, review note) for a code cell; a numeric cell lost its trailing zeros, so it is flagged."""
    if isinstance(value, bool) or isinstance(value, (datetime, date, time, timedelta)):
        text = clean(str(value))
        return text, f"Ô mã thủ tục không phải văn bản ({text})"
    if isinstance(value, int):
        return str(value), f"Mã thủ tục lưu dạng số trong tệp ({value})"
    if isinstance(value, float):
        shown = repr(value)
        decimals = len(shown.split(".", 1)[1]) if "." in shown and "e" not in shown else 99
        if 0 < value < 10 and decimals <= 6:
            code = f"{value:.6f}"
            return code, f"Mã thủ tục lưu dạng số trong tệp ({shown}), đã đọc thành {code}"
        return _cell_text(value), f"Mã thủ tục lưu dạng số trong tệp ({shown})"
    return clean(_cell_text(value)), ""


def too_long(texts: dict[str, str]) -> list[str]:
    """What in `texts` (a record's attribute -> its text) is longer than its column, as Vietnamese phrases."""
    return [
        f"{label.lower()} dài {len(texts[attr])} ký tự (tối đa {column.type.length})"
        for attr, column, label in SIZED_TEXTS
        if len(texts.get(attr, "")) > column.type.length
    ]


def _shown_code(code: str) -> str:
    """A code as a warning names it: a code too long for its column is cut, marked with '…'."""
    size = Procedure.code.type.length
    return code if len(code) <= size else code[:size] + "…"


def national_code(code: str) -> str:
    """The `N.NNNNNN` part of a code ('2.002621.H13' -> '2.002621'), '' if there is none."""
    m = _NATIONAL_CODE.match(clean(code))
    return m.group(1) if m else ""


# ------------------------------------------------------------------------------------------- records


def _analysis_channels(note: str) -> tuple[dict[Channel, str], list[str]]:
    """Split a `ghi_chu_phan_tich` text into per-channel remarks and remarks naming no channel."""
    per_channel: dict[Channel, str] = {}
    other: list[str] = []
    for part in (p.strip() for p in note.split(";")):
        if not part:
            continue
        label, sep, remark = part.partition(":")
        channel = _NOTE_CHANNELS.get(_header_key(label)) if sep else None
        if channel is None:
            other.append(part)
        else:
            remark = remark.strip() or part
            per_channel[channel] = f"{per_channel[channel]}; {remark}" if channel in per_channel else remark
    return per_channel, other


def _build(
    rows: Sequence[Sequence[object]], header_index: int, columns: dict[str, int], parse: CatalogueParse
) -> None:
    has_durations = any(role in columns for role, _ in _CHANNEL_COLUMNS)
    first_row_of: dict[str, int] = {}

    def cell(row: Sequence[object], role: str) -> object:
        index = columns.get(role)
        return row[index] if index is not None and index < len(row) else None

    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(_cell_text(v).strip() for v in row):
            continue
        parse.rows_read += 1
        code, code_note = _code_from_cell(cell(row, "code"))
        name = clean(_cell_text(cell(row, "name")))
        if not code:
            parse.skipped += 1
            parse.warnings.append(CatalogueWarning(offset, "", f"thiếu mã thủ tục ({name[:60]}), bỏ qua"))
            continue
        if not name:
            parse.skipped += 1
            parse.warnings.append(CatalogueWarning(offset, code, f"mã {code} thiếu tên thủ tục, bỏ qua"))
            continue
        texts = {
            "code": code,
            "field": clean(_cell_text(cell(row, "field"))),
            "levels": clean(_cell_text(cell(row, "levels"))),
            "decision": clean(_cell_text(cell(row, "decision"))),
        }
        problems = too_long(texts)
        if problems:  # before the duplicate check: a later row with this code is then the one kept
            parse.skipped += 1
            parse.warnings.append(CatalogueWarning(offset, _shown_code(code), "; ".join(problems) + ", bỏ qua"))
            continue
        if code in first_row_of:
            parse.duplicates += 1
            parse.warnings.append(
                CatalogueWarning(
                    offset, code, f"mã {code} trùng với dòng {first_row_of[code]}, bỏ qua (giữ dòng đầu tiên)"
                )
            )
            continue
        first_row_of[code] = offset

        field_name = texts["field"]
        notes: list[str] = []
        national = national_code(code)
        if code_note:
            notes.append(f"{code_note} — {REVIEW}")
        if not national:
            notes.append(f"Mã thủ tục '{code}' không có phần mã quốc gia dạng N.NNNNNN — {REVIEW}")

        specs: dict[Channel, DurationSpec] = {}
        if has_durations:
            for role, channel in _CHANNEL_COLUMNS:
                if role in columns:
                    specs[channel] = parse_duration(cell(row, role), field_name)
                else:
                    specs[channel] = _review("", "Tệp không có cột thời hạn cho cách thức này")
            analysis = clean(_cell_text(cell(row, "analysis")))
            if analysis:
                per_channel, other = _analysis_channels(analysis)
                for channel, remark in per_channel.items():
                    specs[channel] = specs[channel].flagged(f"ghi chú phân tích: {remark}")
                notes.extend(f"Ghi chú phân tích: {remark} — {REVIEW}" for remark in other)
            for channel in Channel:
                if specs[channel].needs_review:
                    notes.append(f"{channel.label}: {specs[channel].note}")
        else:
            for channel in Channel:
                specs[channel] = _missing_column_spec()
            notes.append(f"{NO_DURATION_IN_FILE} — {REVIEW} thời hạn cho từng cách thức nộp hồ sơ")

        parse.records.append(
            ProcedureRecord(
                code=code,
                national_code=national,
                name=name,
                field=field_name,
                levels=texts["levels"],
                decision=texts["decision"],
                implementing_agency=clean_multiline(_cell_text(cell(row, "implementing"))),
                issuing_agency=clean_multiline(_cell_text(cell(row, "issuing"))),
                cooperating_units=clean_multiline(_cell_text(cell(row, "cooperating"))),
                direct=specs[Channel.DIRECT],
                online=specs[Channel.ONLINE],
                post=specs[Channel.POST],
                needs_review=bool(notes),
                review_notes=notes,
                source_row=offset,
            )
        )


def _parse_rows(rows: Sequence[Sequence[object]], source: str, sheet: str = "") -> CatalogueParse | None:
    found = _find_header(rows)
    if found is None:
        return None
    header_index, columns = found
    parse = CatalogueParse(source=source, header_row=header_index + 1, sheet=sheet)
    _build(rows, header_index, columns, parse)
    return parse


def _no_header(path: Path) -> ImportFailed:
    return ImportFailed(
        f"Không tìm thấy dòng tiêu đề trong tệp {path.name}: cần có cột 'Mã số' (hoặc 'ma_thu_tuc') "
        f"và cột 'Tên' (hoặc 'ten_thu_tuc') trong {HEADER_SCAN_ROWS} dòng đầu."
    )


# --------------------------------------------------------------------------------------------- files


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise ImportFailed(f"Không tìm thấy tệp {path}.")


def _csv_rows(path: Path) -> list[list[str]]:
    _check_file(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            f"Tệp {path.name} không phải văn bản UTF-8; hãy lưu lại tệp CSV với bảng mã UTF-8 rồi nhập lại."
        ) from exc
    except OSError as exc:
        raise ImportFailed(f"Không đọc được tệp {path.name}: {why_not_read(exc)}.") from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return [row for row in csv.reader(text.splitlines(keepends=True), delimiter=delimiter)]
    except csv.Error as exc:
        raise ImportFailed(f"Tệp CSV {path.name} bị lỗi định dạng: {exc}.") from exc


def parse_catalogue_csv(path: str | Path) -> CatalogueParse:
    """The crawled catalogue CSV (UTF-8, with or without BOM; `,`, `;` or tab separated)."""
    path = Path(path)
    parse = _parse_rows(_csv_rows(path), str(path))
    if parse is None:
        raise _no_header(path)
    return parse


def _workbook_sheets(path: Path) -> Iterable[tuple[str, list[list[object]]]]:
    from python_calamine import CalamineWorkbook

    _check_file(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types (zip, xml, password, …)
        raise ImportFailed(
            f"Không đọc được tệp Excel {path.name} (tệp hỏng, có mật khẩu hoặc sai định dạng)."
        ) from exc
    try:
        for name in workbook.sheet_names:
            try:
                rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as exc:
                raise ImportFailed(f"Không đọc được trang tính '{name}' trong tệp {path.name}.") from exc
            yield name, rows
    finally:
        close = getattr(workbook, "close", None)
        if close:
            close()


def parse_catalogue_xlsx(path: str | Path) -> CatalogueParse:
    """The national portal's Excel list (.xlsx/.xls): the first sheet that has a recognisable header."""
    path = Path(path)
    for sheet, rows in _workbook_sheets(path):
        parse = _parse_rows(rows, str(path), sheet)
        if parse is not None:
            return parse
    raise _no_header(path)


def read_catalogue_csv(path: str | Path) -> list[ProcedureRecord]:
    """The records of a catalogue CSV (duplicates dropped; see `parse_catalogue_csv` for the warnings)."""
    return parse_catalogue_csv(path).records


def read_catalogue_xlsx(path: str | Path) -> list[ProcedureRecord]:
    """The records of a portal Excel list (see `parse_catalogue_xlsx` for the warnings)."""
    return parse_catalogue_xlsx(path).records


def read_catalogue(path: str | Path) -> CatalogueParse:
    """Read a catalogue file by its extension (.csv, .xlsx, .xls): records, warnings and counts."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CSV_EXTENSIONS:
        return parse_catalogue_csv(path)
    if suffix in WORKBOOK_EXTENSIONS:
        return parse_catalogue_xlsx(path)
    raise ImportFailed(
        f"Không nhận dạng được loại tệp '{path.name}': chỉ nhập được danh mục dạng .csv, .xlsx hoặc .xls."
    )
