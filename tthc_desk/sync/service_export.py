"""Case lists and the Mẫu 06 register as workbooks, in the portal's column words (re-importable)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tthc_desk import deadline
from tthc_desk.documents.data import RegisterRow
from tthc_desk.domain import CLOSED_OTHER, Channel, Colour, Status
from tthc_desk.storage.models import Case, Unit
from tthc_desk.sync.columns import FIELD_LABELS, FIELDS
from tthc_desk.sync.writer import write_table

COLOUR_HEADER = "Cảnh báo hạn"  # matches no field's header words, so re-import ignores it
CHUNK = 5000
_COLUMNS = (Case.id, Case.code, Case.applicant_name, Case.applicant_id_number, Case.applicant_phone,
            Case.applicant_address, Case.applicant_email, Case.procedure_code, Case.procedure_name, Case.field,
            Case.lead_unit_id, Case.channel, Case.status, Case.received_at, Case.original_due_at, Case.result_at,
            Case.returned_at, Case.closed_at, Case.is_open, Case.warn_at)  # fmt: skip
REGISTER_HEADERS = (
    "TT", "Mã hồ sơ", "Tên TTHC", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức", "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết", "Nhận hồ sơ", "Hẹn trả kết quả", "Chuyển hồ sơ đến cơ quan giải quyết",
    "Nhận kết quả từ cơ quan giải quyết", "Trả kết quả cho cá nhân, tổ chức", "Ghi chú",
)  # fmt: skip
_STATUS_LABELS = {str(s): s.label for s in Status}
_CHANNEL_LABELS = {str(c): c.label for c in Channel}
_CLOSED = {str(s) for s in CLOSED_OTHER}


def unit_names(s: Session, office_id: int) -> dict[int, str]:
    return dict(s.execute(select(Unit.id, Unit.name).where(Unit.office_id == office_id)).all())


def case_lines(s: Session, ids: list[int], units: dict[int, str], now: datetime) -> Iterator[tuple[list, Colour | None]]:
    """(cells in FIELDS order + the colour words, colour) for the cases `ids`, in that order."""
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        found = {r.id: r for r in s.execute(select(*_COLUMNS).where(Case.id.in_(part)))}
        for case_id in part:
            r = found.get(case_id)
            if r is not None:
                yield _line(r, units, now)


def _line(r: Any, units: dict[int, str], now: datetime) -> tuple[list, Colour | None]:
    closed = r.status in _CLOSED
    colour = deadline.colour(Status(r.status), now, r.original_due_at, r.warn_at) if r.is_open else None
    cells = [r.code, r.applicant_name, r.applicant_id_number, r.applicant_phone, r.applicant_address,
             r.applicant_email, r.procedure_code, r.procedure_name, r.field, units.get(r.lead_unit_id, ""),
             _CHANNEL_LABELS.get(r.channel, r.channel), _STATUS_LABELS.get(r.status, r.status), r.received_at,
             r.original_due_at, r.closed_at if closed else r.result_at, r.returned_at,
             colour.label if colour else ""]  # fmt: skip
    return cells, colour


def write_case_lines(path: str | Path, title_lines: list[str], lines: Iterable[tuple[list, Colour | None]]) -> int:
    """The cases with the colour as a column and as the row's fill."""
    fills: list[Colour | None] = []

    def rows() -> Iterator[list]:
        for cells, colour in lines:
            fills.append(colour)
            yield cells

    headers = [FIELD_LABELS[f] for f in FIELDS] + [COLOUR_HEADER]
    return write_table(path, title_lines, headers, rows(), _LastFill(fills))


class _LastFill:
    """Fills read in step with the rows generator (the writer takes one fill after each row's values)."""

    def __init__(self, fills: list) -> None:
        self.fills = fills

    def __iter__(self) -> Iterator:
        while True:
            yield self.fills[-1] if self.fills else None


def ordered_ids(s: Session, office_id: int, *conditions) -> list[int]:
    stmt = select(Case.id).where(Case.office_id == office_id, *conditions).order_by(Case.received_at, Case.code)
    return list(s.execute(stmt).scalars())


def write_register(path: str | Path, title_lines: list[str], rows: list[RegisterRow]) -> int:
    """Mẫu 06 as a sheet: the PDF register's 13 columns, dates as real dates."""
    def cells(position: int, r: RegisterRow) -> list:
        address = ", ".join(p for p in (r.applicant_address, r.applicant_phone) if p)
        return [r.number or position, r.code, r.procedure_name, r.sets, r.applicant_name, address, r.lead_unit,
                r.received_at, r.due_at, r.transferred_at, r.result_received_at, r.returned_at, r.note]  # fmt: skip

    widths = [6, 26, 40, 10, 24, 36, 24, 17, 17, 17, 17, 17, 16]
    lines = (cells(i, r) for i, r in enumerate(rows, start=1))
    return write_table(path, title_lines, REGISTER_HEADERS, lines, sheet_name="Sổ theo dõi", widths=widths)
