"""Workbook builders for the sync tests: every fixture file is made here, in tmp_path, with openpyxl."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.styles import Font

HEADERS = [
    "STT", "Mã hồ sơ", "Chủ hồ sơ", "Số CCCD", "Điện thoại", "Địa chỉ", "Mã thủ tục", "Tên thủ tục",
    "Lĩnh vực", "Kênh nộp", "Trạng thái", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả",
]  # fmt: skip


def build_xlsx(
    path: Path,
    rows: Sequence[Sequence[Any]],
    headers: Sequence[str] = HEADERS,
    title: str | None = "DANH SÁCH HỒ SƠ TIẾP NHẬN\nUBND XÃ AN BÌNH",
    fonts: dict[tuple[int, int], str] | None = None,
    number_formats: dict[tuple[int, int], str] | None = None,
) -> Path:
    """Title merged over row 1 (row 2 blank) and the header on row 3, or the header on row 1 without a title.

    `fonts` / `number_formats` are keyed by (data row index, column index), both 0-based.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Hồ sơ"
    start = 1
    if title is not None:
        ws.cell(1, 1, title)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        start = 3
    for c, h in enumerate(headers, start=1):
        ws.cell(start, c, h)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is not None:
                ws.cell(start + 1 + r, c + 1, value)
    for (r, c), name in (fonts or {}).items():
        ws.cell(start + 1 + r, c + 1).font = Font(name=name)
    for (r, c), fmt in (number_formats or {}).items():
        ws.cell(start + 1 + r, c + 1).number_format = fmt
    wb.save(path)
    return path


@pytest.fixture
def make_xlsx(tmp_path):
    def make(rows, name="hs.xlsx", **kw):
        return build_xlsx(tmp_path / name, rows, **kw)

    return make
