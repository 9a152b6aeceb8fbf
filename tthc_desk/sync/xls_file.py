"""Loading one sheet of an .xls (BIFF, in an OLE compound file). The records calamine does not hand back
(formula cells, zero-padding formats, legacy fonts) are scanned first by `biff`; calamine then reads the
values."""

from __future__ import annotations

import logging
import struct
from pathlib import Path

import python_calamine as pc

from tthc_desk.errors import ImportFailed
from tthc_desk.sync.biff import BIFF_STREAMS, biff_scan, ole_stream
from tthc_desk.sync.sheet import (
    ReadLimits,
    SheetData,
    calamine_rows,
    column_letter,
    encrypted,
    formula_cells,
    rust_panic,
)
from tthc_desk.sync.values import Shown, apply_padding

_ENCRYPTED_NAMES = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))

log = logging.getLogger(__name__)


def load_xls(path: Path, sheet: str | None, limits: ReadLimits) -> SheetData:
    blob = path.read_bytes()
    if any(marker in blob for marker in _ENCRYPTED_NAMES):
        raise encrypted(path.name)
    try:  # before calamine, whose compound-file reader panics (aborting the read) on some damaged files
        stream = ole_stream(blob, BIFF_STREAMS)
    except (ValueError, IndexError, struct.error) as exc:
        log.warning("damaged compound file %s: %s: %s", path.name, type(exc).__name__, exc)
        raise _unreadable_xls(path.name) from exc
    try:
        with pc.CalamineWorkbook.from_path(str(path)) as book:
            names = [m.name for m in book.sheets_metadata if m.visible == pc.SheetVisibleEnum.Visible]
            all_names = list(book.sheet_names)
            sheet_name = sheet or (names[0] if names else all_names[0])
    except pc.PasswordError as exc:
        raise encrypted(path.name) from exc
    except (pc.CalamineError, ValueError, IndexError, OSError) as exc:
        raise _unreadable_xls(path.name) from exc
    except BaseException as exc:
        if not rust_panic(exc):
            raise
        log.warning("calamine could not open %s: %s: %s", path.name, type(exc).__name__, exc)
        raise _unreadable_xls(path.name) from exc
    formulas, padded, fonts = _xls_scan(stream, sheet_name, all_names, path.name) if stream else ([], {}, {})
    if formulas:
        raise formula_cells(path.name, formulas)
    rows, merged = calamine_rows(path, sheet_name, limits)
    if padded:
        apply_padding(rows, padded)
    return SheetData(rows, sheet_name, "xls", fonts, merged)


def _unreadable_xls(name: str) -> ImportFailed:
    return ImportFailed(f"Tệp '{name}' không phải bảng tính Excel đọc được (.xls hỏng hoặc định dạng khác).")


def _xls_scan(
    stream: bytes, sheet_name: str, sheet_names: list[str], name: str
) -> tuple[list[str], dict[tuple[int, int], Shown], dict[tuple[int, int], str]]:
    """(references of the formula cells, number cells in a padding format -> `padding_format`, text cells in a
    legacy font -> font name) of `sheet_name`; nothing when the records cannot be walked (calamine then has
    the last word on the file: it reads the same records and refuses the file if they are damaged)."""
    try:
        formulas, padded, fonts = biff_scan(stream, sheet_name, sheet_names)
        return [f"{column_letter(col)}{row + 1}" for row, col in formulas], padded, fonts
    except (ValueError, IndexError, struct.error) as exc:
        log.warning("no BIFF scan of %s: %s: %s", name, type(exc).__name__, exc)
        return [], {}, {}
