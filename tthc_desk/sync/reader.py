"""Reading a provincial-portal case list into plain rows, with every unusable row rejected with a reason.

No database here: the import service takes `ParsedFile.rows` (keyed on `code`) and writes them.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from tthc_desk.errors import ImportFailed
from tthc_desk.sync.cells import CODE_FIELDS, CellDecoder, ConvertedColumns, raw_headers
from tthc_desk.sync.columns import HEADER_SCAN_ROWS, ColumnMapping, apply_saved, find_header
from tthc_desk.sync.fields import FIELD_LABELS
from tthc_desk.sync.legacy import ENCODING_FONTS, UNICODE, reads_as, sheet_encoding
from tthc_desk.sync.records import Cancel, ImportCancelled, ParsedFile, PortalRow, Progress, RejectedRow
from tthc_desk.sync.sheet import in_file
from tthc_desk.sync.values import code_text
from tthc_desk.sync.workbook import DEFAULT_LIMITS, ReadLimits, SheetData, file_fingerprint, load_sheet

# the records are read from here by the rest of the sync package, as before they had a module of their own
__all__ = ["CODE_FIELDS", "ImportCancelled", "ParsedFile", "PortalRow", "RejectedRow", "read_cases_file",
           "rejected_cells"]


def read_cases_file(
    path: str | Path,
    mapping: ColumnMapping | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    *,
    sheet: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    allow_missing: bool = False,
) -> ParsedFile:
    """Read a portal case list; raise `ImportFailed` when the file as a whole cannot be used.

    `progress(done, total)` is called as columns are converted (in row units); `cancel()` returning True
    stops the read with `ImportCancelled`.

    A sheet with no case row under its header (none, or only the lines under a table) raises: there is nothing
    to import, and a preview of zeros that imports (an audit record of nothing) tells the user nothing.

    A mapping without a column for a required field raises too, unless `allow_missing` and the file's own
    headers do not name that field (`find_header` finds no such column): then the result holds the mapping,
    the message in `fatal` and no rows (none is read: the user is to choose the column first, and 50,000 rows
    refused one by one for it would say nothing more). A given mapping that drops a column the headers name
    is a correction refused, with or without `allow_missing`.
    """
    seen = file_fingerprint(path)  # before reading: a change while it is read shows as a change after
    data = load_sheet(path, sheet=sheet, limits=limits)
    if data.source != "csv":  # a CSV's cells were weighed so when its bytes were decoded
        _read_in_sheet_encoding(data)
    decoder = CellDecoder(data, Counter())  # (its counts: of the header rows alone)
    head = [
        [decoder(v, r, c) for c, v in enumerate(row)] for r, row in enumerate(data.rows[:HEADER_SCAN_ROWS])
    ]
    given = mapping is not None
    merged = data.merged
    mapping = apply_saved(mapping, head, merged=merged) if given else find_header(head, merged=merged)
    missing = mapping.missing()
    if missing:
        names = ", ".join(f"'{FIELD_LABELS[f]}'" for f in missing)
        message = f"Tệp '{Path(path).name}' thiếu cột bắt buộc {names}. Hãy chỉnh ánh xạ cột."
        if not allow_missing or (given and _headers_name(head, data, missing)):
            raise ImportFailed(message)
        return ParsedFile(
            Path(path), data.sheet_name, data.source, mapping, [], [], dict(decoder.counter), [], [message],
            fingerprint=seen,
        )
    _fill_merged(data, mapping.header_row)
    encodings: Counter[str] = Counter()
    table = ConvertedColumns(data, mapping, CellDecoder(data, encodings))
    table.convert(progress, cancel)
    if data.source != "csv" and any(e != UNICODE for e in encodings):  # (a CSV's rows were weighed as bytes)
        table.row_vote(encodings)
    result = ParsedFile(Path(path), data.sheet_name, data.source, mapping, [], [], {}, [], fingerprint=seen)
    table.collect(result)
    if not result.rows and not result.rejected:  # a header alone (a list filtered to nothing, a total under it)
        raise ImportFailed(
            f"{in_file(data.sheet_name, data.source, Path(path).name)} không có dòng hồ sơ nào dưới dòng tiêu đề"
            f" (dòng {mapping.header_row}): không có gì để nhập. Hãy xem lại danh sách xuất từ cổng (bộ lọc khi"
            " xuất có thể không ra hồ sơ nào)."
        )
    if progress is not None:
        progress(len(data.rows), len(data.rows))
    result.encodings = dict(encodings)
    return result


def _headers_name(head: list[list[Any]], data: SheetData, fields: list[str]) -> bool:
    """Whether the file's own headers name any of `fields` (`find_header`'s reading of them)."""
    try:
        found = find_header(head, merged=data.merged)
    except ImportFailed:
        return False
    return any(f in found.columns for f in fields)


# A workbook is looked at as a whole only when its first rows show a legacy encoding: a Unicode sheet costs one
# look at these rows.
_SAMPLE_ROWS = 300


def _read_in_sheet_encoding(data: SheetData) -> None:
    """Text cells without a legacy font, in a workbook whose other such cells show TCVN3 or VNI (an old
    program's export without fonts, values pasted into a Calibri sheet), get that encoding's font when they
    read cleanly in it (`legacy.reads_as`): short cells like "Trùc tiÕp" show nothing alone."""
    fonts = data.fonts

    def texts(rows: list[list[Any]]) -> list[tuple[int, int, str]]:
        return [(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row)
                if type(v) is str and not v.isascii() and (r, c) not in fonts]  # fmt: skip

    if sheet_encoding(dict.fromkeys(v for _r, _c, v in texts(data.rows[:_SAMPLE_ROWS]))) is None:
        return
    cells = texts(data.rows)
    distinct = dict.fromkeys(v for _r, _c, v in cells)
    encoding = sheet_encoding(distinct)
    if encoding is None:
        return
    verdicts = {v: reads_as(v, encoding) for v in distinct}
    font = ENCODING_FONTS[encoding]
    fonts.update(((r, c), font) for r, c, v in cells if verdicts[v])


def rejected_cells(
    parsed: ParsedFile, rejected: list[RejectedRow]
) -> tuple[list[str], list[dict[str, Any]], str]:
    """(the file's header names, each rejected row's cells under them, a note for the user or ""), for saving
    the rows to correct as one table. A row the reader refused carries its cells; one refused later (by the
    matcher) carries only the values read, so its cells are read again from the file, decoded as the reader
    decodes them.

    Rows are read again only from the file that was read: when it changed since (its size or time of change
    differ from `parsed.fingerprint`, or a row read again holds another code than the row refused — a row
    deleted in Excel moves every row under it up) or can no longer be read, sheet row N is another case's or
    none, and saving it under the refused row's reason would lose the row to correct. Then the values read go
    under the columns they were read from, and the note says so."""
    headers = raw_headers(parsed.mapping.headers)  # the names the reader keys a row's cells by
    again = [r for r in rejected if list(r.raw) != headers]
    cells: dict[int, dict[str, Any]] = {}
    note = ""
    if again:
        cells, why = _read_again(parsed, again, headers)
        if why:
            note = (f"Tệp gốc '{parsed.path.name}' {why}: {len(again)} dòng bị từ chối khi đối chiếu"
                    " được ghi theo giá trị đã đọc lúc nhập, không phải nguyên các ô của tệp (các cột không"
                    " dùng khi nhập để trống).")
    placed = {FIELD_LABELS[f]: headers[c] for f, c in parsed.mapping.columns.items() if c < len(headers)}
    raws = [r.raw if list(r.raw) == headers else cells.get(r.row_number)
            or {placed[k]: v for k, v in r.raw.items() if k in placed} for r in rejected]  # fmt: skip
    return headers, raws, note


def _read_again(
    parsed: ParsedFile, rows: list[RejectedRow], headers: list[str]
) -> tuple[dict[int, dict[str, Any]], str]:
    """(sheet row number -> the row's cells, "") for `rows`; ({}, why not, in words) when the file is not the
    one read or cannot be read."""
    changed, gone = "đã thay đổi sau khi đọc", "không đọc lại được (đã bị xóa, đổi tên hoặc hỏng)"
    now = file_fingerprint(parsed.path)
    if now is None:
        return {}, gone
    if parsed.fingerprint is not None and now != parsed.fingerprint:
        return {}, changed
    try:
        data = load_sheet(parsed.path, sheet=parsed.sheet_name)
    except (ImportFailed, OSError):
        return {}, gone
    _fill_merged(data, parsed.header_row)  # as when read: a merged unit belongs to each row
    decode = CellDecoder(data, Counter())
    code_column, code_label = parsed.mapping.columns.get("code"), FIELD_LABELS["code"]
    cells: dict[int, dict[str, Any]] = {}
    for r in rows:
        index = r.row_number - 1  # sheet row N is rows[N - 1]
        if r.row_number <= parsed.header_row or index >= len(data.rows):
            return {}, changed
        row = data.rows[index]
        found = cells[r.row_number] = {
            h: decode(row[c], index, c) if c < len(row) else "" for c, h in enumerate(headers)
        }
        if code_column is not None and code_label in r.raw:
            code = found[headers[code_column]] if code_column < len(headers) else ""
            if code_text(code)[0] != r.raw[code_label]:  # read as the reader reads a code
                return {}, changed
    return cells, ""


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
