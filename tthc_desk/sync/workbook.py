"""Safe loading of one sheet from .xlsx / .xls / .csv into plain rows, refusing unsafe or unusable files.

Every refusal is an `ImportFailed` with a Vietnamese message; nothing here crashes on a bad file. The file's
first bytes, not its name, choose the loader (`xlsx_file`, `xls_file`, `csv_file`); values come from
python-calamine (fast) for both workbook formats.
"""

from __future__ import annotations

import logging
from pathlib import Path

from tthc_desk.errors import ImportFailed
from tthc_desk.files import why_not_read
from tthc_desk.sync.csv_file import is_text_table, load_csv
from tthc_desk.sync.sheet import (
    DEFAULT_LIMITS,
    FormulaCells,
    ReadLimits,
    SheetData,
    column_index,
    column_letter,
    in_file,
    sheet_rows,
)
from tthc_desk.sync.xls_file import load_xls
from tthc_desk.sync.xlsx_file import load_xlsx

__all__ = [
    "DEFAULT_LIMITS",
    "FormulaCells",
    "OLE_MAGIC",
    "ReadLimits",
    "SheetData",
    "column_index",
    "column_letter",
    "file_fingerprint",
    "load_sheet",
    "sheet_rows",
]

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"
log = logging.getLogger(__name__)


def load_sheet(
    path: str | Path, *, sheet: str | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> SheetData:
    """Load the first visible sheet (or `sheet`) of a workbook or CSV file, or raise `ImportFailed`."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
            start = head + fh.read(1024 - len(head))
    except OSError as exc:
        raise ImportFailed(f"Không mở được tệp '{name}': {why_not_read(exc)}.") from exc
    if size == 0:
        raise ImportFailed(f"Tệp '{name}' rỗng (0 byte).")
    if size > limits.max_file_bytes:
        raise ImportFailed(
            f"Tệp '{name}' quá lớn ({size >> 20} MB); giới hạn {limits.max_file_bytes >> 20} MB."
        )
    if head.startswith(ZIP_MAGIC):
        data = load_xlsx(path, sheet, limits)
    elif head.startswith(OLE_MAGIC):
        data = load_xls(path, sheet, limits)
    elif path.suffix.lower() in (".csv", ".txt"):
        data = load_csv(path, limits)
    elif kind := _text_workbook(start):
        raise ImportFailed(
            f"Tệp '{name}' là {kind} mang đuôi {path.suffix or '(không có đuôi)'}, như một số cổng xuất 'Excel'."
            " Hãy mở tệp bằng Excel, chọn Tệp > Lưu thành, kiểu 'Sổ làm việc Excel (.xlsx)', rồi nhập tệp .xlsx đó."
        )
    elif _text_table(path):  # a CSV (or tab-separated "Unicode text") some portals name .xls
        data = load_csv(path, limits)
    else:
        raise ImportFailed(f"Tệp '{name}' không phải bảng tính Excel (.xlsx, .xls) hay tệp .csv.")
    if not any(any(v != "" and v is not None for v in row) for row in data.rows):
        raise ImportFailed(f"{in_file(data.sheet_name, data.source, name)} không có dữ liệu.")
    return data


def file_fingerprint(path: str | Path) -> tuple[int, int] | None:
    """(size, time of last change in ns) of a file, None if it cannot be looked at: a file saved again (in
    Excel, after a row was deleted) differs in one or the other. A hash would also catch an edit keeping both,
    at the cost of reading up to 256 MB once more: a caller reading rows again checks their codes besides."""
    try:
        st = Path(path).stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _text_table(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            start = fh.read(_SNIFF_BYTES)
    except OSError:
        return False
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        start = start[: len(start) - len(start) % 2]  # whole UTF-16 units
    return is_text_table(start)


_SNIFF_BYTES = 65536


def _text_workbook(start: bytes) -> str | None:
    """What an "Excel" export that is text is, from its first bytes: an HTML table or an Excel 2003 XML
    spreadsheet (Excel opens both, with a warning; neither is a workbook calamine reads). None otherwise."""
    text = start.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n").replace(b"\x00", b"").lower()
    if not text.startswith(b"<"):
        return None
    if (
        b"urn:schemas-microsoft-com:office:spreadsheet" in text
        or b'<?mso-application progid="excel.sheet"' in text
    ):
        return "bảng tính dạng XML của Excel 2003"
    if b"<html" in text or b"<table" in text or text.startswith(b"<!doctype html"):
        return "một trang web (HTML)"
    return None
