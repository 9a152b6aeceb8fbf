"""Case lists (in the portal's column words, so that `case import` reads them back) and the Mẫu 06 register as
workbooks. The register is the printed form's columns (address and phone in one), for reading, not re-import."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from tthc_desk import deadline
from tthc_desk.documents.data import RegisterRow
from tthc_desk.domain import CLOSED_OTHER, Channel, Colour, Status, chip_label
from tthc_desk.services.documents import UNNUMBERED_HEADING
from tthc_desk.services.queue_rows import QueueFilter
from tthc_desk.storage.models import Case, Unit, User, synced_values
from tthc_desk.sync.fields import FIELD_LABELS, FIELDS
from tthc_desk.sync.writer import FormHead, RunOn, write_filled_table

COLOUR_HEADER = "Cảnh báo hạn"  # matches no field's header words, so re-import ignores it
CHUNK = 5000
# `_line` unpacks the rows in this order.
_COLUMNS = (Case.id, Case.code, Case.applicant_name, Case.applicant_id_number, Case.applicant_phone,
            Case.applicant_address, Case.applicant_email, Case.procedure_code, Case.procedure_name, Case.field,
            Case.lead_unit_id, Case.channel, Case.status, Case.received_at, Case.original_due_at, Case.due_at,
            Case.extension_count, Case.result_at, Case.returned_at, Case.closed_at, Case.is_open, Case.warn_at,
            Case.owner_name, Case.owner_id_number, Case.owner_address)  # fmt: skip
REGISTER_HEADERS = (
    "TT", "Mã hồ sơ", "Tên TTHC", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức", "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết", "Nhận hồ sơ", "Hẹn trả kết quả", "Chuyển hồ sơ đến cơ quan giải quyết",
    "Nhận kết quả từ cơ quan giải quyết", "Trả kết quả cho cá nhân, tổ chức", "Ghi chú",
)  # fmt: skip
_STATUS_LABELS = {str(s): s.label for s in Status}
_STATUSES = {str(s): s for s in Status}
_CHANNEL_LABELS = {str(c): c.label for c in Channel}
_CLOSED = {str(s) for s in CLOSED_OTHER}
HEADING_FILL = "#DDEBF7"  # the register's heading row among its cases: as the header's fill


def unit_names(s: Session, office_id: int) -> dict[int, str]:
    return dict(s.execute(select(Unit.id, Unit.name).where(Unit.office_id == office_id)).all())


def filter_words(s: Session, flt: QueueFilter, units: dict[int, str]) -> str | None:
    """The list's filter in words, for the title of an exported list ("Lọc: …"): a reader of the printout
    must see that it is not the whole queue. None when nothing narrows the list."""
    parts = []
    if flt.colour is not None:
        parts.append(f"cảnh báo “{flt.colour.label}”")
    if flt.status is not None:
        parts.append(f"trạng thái “{flt.status.label}”")
    if flt.unit_id is not None:
        parts.append(f"hồ sơ đang ở {units.get(flt.unit_id, '?')}")  # the unit holding it, not the lead unit
    if flt.field:
        parts.append(f"lĩnh vực {flt.field}")
    if flt.officer_id is not None:
        name = s.execute(select(User.full_name).where(User.id == flt.officer_id)).scalar()
        parts.append(f"cán bộ {name or '?'}")
    if flt.channel is not None:
        parts.append(f"kênh “{flt.channel.label}”")
    if flt.text.strip():
        parts.append(f"tìm “{' '.join(flt.text.split())}”")
    return "Lọc: " + "; ".join(parts) if parts else None


def case_lines(s: Session, ids: list[int], units: dict[int, str], now: datetime) -> Iterator[tuple[list, Colour | None]]:
    """(cells in FIELDS order + the colour words, colour) for the cases `ids`, in that order.

    Plain columns need no ORM loading, so the query runs on the session's connection (a tenth less time)."""
    conn = s.connection()
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        found = {r[0]: r for r in conn.execute(select(*_COLUMNS).where(Case.id.in_(part)))}
        for case_id in part:
            r = found.get(case_id)
            if r is not None:
                yield _line(r, units, now)


def _line(r: Any, units: dict[int, str], now: datetime) -> tuple[list, Colour | None]:
    """One case's cells. The row is unpacked as a tuple, in `_COLUMNS` order: reading 20 fields by name off
    a SQLAlchemy Row costs more than the rest of the line together, 50,000 times over."""
    (_id, code, name, id_number, phone, address, email, procedure_code, procedure_name, field, unit_id, channel,
     status, received_at, due_at, new_due_at, extended, result_at, returned_at, closed_at, is_open, warn_at,
     owner, owner_id, owner_address) = r  # fmt: skip
    colour = deadline.colour(_STATUSES[status], now, due_at, warn_at) if is_open else None
    finished_at = closed_at if status in _CLOSED else result_at
    return [code, name, id_number, phone, address, email, procedure_code, procedure_name, field,
            units.get(unit_id, ""), _CHANNEL_LABELS.get(channel, channel), _STATUS_LABELS.get(status, status),
            received_at, due_at, new_due_at if extended else None, finished_at, returned_at, owner, owner_id,
            owner_address, chip_label(colour, _STATUSES[status]) if colour else ""], colour  # fmt: skip


# Column widths (characters) for what the columns hold, not for their header words: a 25-character case code,
# names and addresses, a procedure's name; dates as dd/mm/yyyy hh:mm.
CASE_WIDTHS: dict[str, float] = {
    "code": 26, "applicant": 22, "citizen_id": 14, "phone": 12, "address": 30, "email": 18, "procedure_code": 12,
    "procedure_name": 38, "field": 16, "unit": 22, "channel": 11, "status": 15, "received_at": 15, "due_at": 15,
    "new_due_at": 15, "finished_at": 15, "returned_at": 15, "owner": 22, "owner_id": 14, "owner_address": 30,
}  # fmt: skip


def write_case_lines(path: str | Path, title_lines: list[str], lines: Iterable[tuple[list, Colour | None]],
                     cancel: Callable[[], bool] | None = None) -> int:
    """The cases with the colour as a column and as the row's fill."""
    headers = [FIELD_LABELS[f] for f in FIELDS] + [COLOUR_HEADER]
    widths = [CASE_WIDTHS[f] for f in FIELDS] + [12]
    return write_filled_table(path, title_lines, headers, lines, widths=widths, cancel=cancel)


def ordered_ids(s: Session, office_id: int, *conditions) -> list[int]:
    stmt = select(Case.id).where(Case.office_id == office_id, *conditions).order_by(Case.received_at, Case.code)
    return list(s.execute(stmt).scalars())


def versions(s: Session, ids: list[int]) -> list[tuple[int, int]]:
    """(id, version) of these cases, as an export writes them."""
    out: list[tuple[int, int]] = []
    for i in range(0, len(ids), CHUNK):
        out += [(cid, v) for cid, v in s.execute(select(Case.id, Case.version).where(Case.id.in_(ids[i : i + CHUNK])))]
    return out


def mark_synced(s: Session, versions: list[tuple[int, int]], now: datetime) -> None:
    """The portal has now seen these versions: a case changed since its line was read keeps its newer version
    unsynced (the UPDATE matches the version written, not whatever the case holds now).

    A case the desk had changed since its previous sync keeps what the portal showed before this upload
    (`models.replaced_values`): a portal file made before the portal took the upload still holds it, and must
    not put the desk's older change back as if it were the portal's."""
    table = Case.__table__
    replaced = _replaced(s, [cid for cid, _v in versions])
    stmt = (update(table).where(table.c.id == bindparam("case_id"), table.c.version == bindparam("seen"))
            .values(synced_at=now, synced_version=bindparam("seen")))
    conn = s.connection()
    for i in range(0, len(versions), CHUNK):
        conn.execute(stmt, [{"case_id": cid, "seen": v} for cid, v in versions[i : i + CHUNK]])
    kept = [{"case_id": cid, "seen": v, "kept": {"version": v, "before": replaced[cid]}}
            for cid, v in versions if cid in replaced]
    if kept:
        conn.execute(update(table).where(table.c.id == bindparam("case_id"), table.c.version == bindparam("seen"))
                     .values(synced_values=bindparam("kept")), kept)


def _replaced(s: Session, ids: list[int]) -> dict[int, dict]:
    """Per case, what the portal showed at its previous sync (as stored), for the cases the desk has changed
    since (their snapshot is the one kept for their synced version)."""
    out: dict[int, dict] = {}
    cols = (Case.id, Case.synced_version, Case.synced_values)
    for i in range(0, len(ids), CHUNK):
        rows = s.execute(select(*cols).where(Case.id.in_(ids[i : i + CHUNK]), Case.synced_values.is_not(None)))
        for row in rows:
            if synced_values(dict(row._mapping)) is not None:
                out[row.id] = row.synced_values["values"]
    return out


def write_register(path: str | Path, title_lines: list[str], rows: list[RegisterRow],
                   cancel: Callable[[], bool] | None = None) -> int:
    """Mẫu 06 as a sheet: the PDF register's 13 columns and header rows, dates as real dates; return the
    number of cases written.

    As the PDF (`documents.render_register`): TT is the book's number; the cases it never numbered (number
    None: imported from the portal) come after the numbered ones, in the order given (`register_rows`: of
    receipt), under a row saying so, with TT empty: a number by position would repeat one the book gave
    (DOMAIN §3)."""

    def cells(r: RegisterRow) -> tuple[list, None]:
        address = ", ".join(p for p in (r.applicant_address, r.applicant_phone) if p)
        return [r.number, r.code, r.procedure_name, r.sets, r.applicant_name, address, r.lead_unit,
                r.received_at, r.due_at, r.transferred_at, r.result_received_at, r.returned_at,
                r.note], None  # fmt: skip

    numbered = [r for r in rows if r.number is not None]
    unnumbered = [r for r in rows if r.number is None]

    def lines() -> Iterator[tuple[list, str | None]]:
        yield from map(cells, numbered)
        if unnumbered:  # one row across the sheet: its words run on over the empty cells beside them
            yield [RunOn(UNNUMBERED_HEADING)] + [None] * (len(REGISTER_HEADERS) - 1), HEADING_FILL
        yield from map(cells, unnumbered)

    widths = [6, 26, 40, 10, 24, 36, 24, 17, 17, 17, 17, 17, 16]
    count = write_filled_table(
        path,
        title_lines,
        REGISTER_HEADERS,
        lines(),
        sheet_name="Sổ theo dõi",
        widths=widths,
        cancel=cancel,
        form=REGISTER_FORM,
    )
    return count - bool(unnumbered)  # the heading row is no case


# as the form (and the PDF register) heads its columns: the five dates under one heading, the columns numbered
REGISTER_FORM = FormHead(groups=((7, 11, "Ngày, tháng, năm"),), numbered=True)
