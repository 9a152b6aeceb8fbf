"""What reading a portal file gives: its rows as cases (`PortalRow`), the rows left out with their reasons
(`RejectedRow`), and the whole (`ParsedFile`). Plain records: the reader fills them, the import service reads
them."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tthc_desk.domain import Channel, Status
from tthc_desk.errors import Cancelled, ImportFailed
from tthc_desk.sync.columns import ColumnMapping

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


class ImportCancelled(ImportFailed, Cancelled):
    """The user cancelled, while the file was being read or while its cases were being written (the write
    is rolled back): either way the database is as it was."""

    def __init__(self) -> None:
        super().__init__("Đã hủy theo yêu cầu; dữ liệu giữ nguyên như trước khi nhập.")


@dataclasses.dataclass(slots=True)  # not frozen: a frozen __init__ costs ~3x on 50,000 rows
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
    new_due_at: datetime | None = None  # the apology's new appointment (DOMAIN §4), `due_at` kept as it was
    finished_at: datetime | None = None
    returned_at: datetime | None = None
    owner: str = ""  # "Chủ hồ sơ" when the file also names the applicant ("Người nộp")
    owner_id: str = ""
    owner_address: str = ""


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
    # why the file cannot be imported as mapped (a required column no header names): then no row is read
    fatal: list[str] = dataclasses.field(default_factory=list)
    # the file's (size, time of last change) when read (`workbook.file_fingerprint`): its rows are read again,
    # to save the rejected ones (`reader.rejected_cells`), only while it is the same file
    fingerprint: tuple[int, int] | None = None

    @property
    def header_row(self) -> int:
        return self.mapping.header_row

    @property
    def where(self) -> str:
        """Where in the file the rows were read, as the user is told: "trang “DanhSach”". A CSV file has no
        sheets (its loader names its one table after the file, which is no sheet's name): "tệp văn bản CSV"."""
        return "tệp văn bản CSV" if self.source == "csv" else f"trang \u201c{self.sheet_name}\u201d"
