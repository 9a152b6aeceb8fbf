"""Portal workbooks with every quirk, and a database fingerprint, for the sync service tests."""

from __future__ import annotations

import hashlib
import sqlite3
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font

from tthc_desk.sync.legacy import encode_tcvn3, encode_vni

HEADERS = ["STT", "Số hồ sơ", "Người nộp", "Số CCCD", "Điện thoại", "Địa chỉ", "Mã TTHC", "Tên thủ tục",
           "Lĩnh vực", "Đơn vị xử lý", "Hình thức nộp", "Tình trạng", "Ngày nhận", "Hạn xử lý",
           "Ngày kết thúc xử lý", "Ngày trả"]  # fmt: skip
KS, KS_NAME = "1.001193", "Thủ tục đăng ký khai sinh"
KH, KH_NAME = "1.000894", "Thủ tục đăng ký kết hôn"


def build_portal(path: Path, rows: Sequence[Sequence[Any]], headers: Sequence[str] = HEADERS,
                 fonts: dict[tuple[int, int], str] | None = None, serial: set[tuple[int, int]] = frozenset(),
                 title: bool = True) -> Path:
    """Merged two-line title on row 1, header on row 3 (or row 1 without a title); `serial` cells are written
    as Excel serial numbers with a date format, `fonts` sets legacy fonts (keys: data row, column; 0-based)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DanhSach"
    start = 1
    if title:
        ws.cell(1, 1, "DANH SÁCH HỒ SƠ\nUBND XÃ AN BÌNH")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        start = 3
    for c, h in enumerate(headers, start=1):
        ws.cell(start, c, h)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is None:
                continue
            cell = ws.cell(start + 1 + r, c + 1)
            if (r, c) in serial and isinstance(value, datetime):
                cell.value = (value - datetime(1899, 12, 30)).total_seconds() / 86400
                cell.number_format = "dd/mm/yyyy hh:mm"
            else:
                cell.value = value
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula, stored as text (as the portal does)
    for (r, c), name in (fonts or {}).items():
        ws.cell(start + 1 + r, c + 1).font = Font(name=name)
    wb.save(path)
    return path


def row(n: int, code: str | None = None, *, applicant: str = "Nguyễn Văn An", proc: str = KS,
        proc_name: str = KS_NAME, unit: str = "Phòng Tư pháp", status: str = "Đang xử lý",
        received: Any = datetime(2025, 3, 3, 8, 30), due: Any = datetime(2025, 3, 6, 8, 30),
        finished: Any = None, returned: Any = None, channel: str = "Trực tiếp", phone: str = "0905123456",
        cid: str = "052090001234", address: str = "Thôn 1, xã An Bình") -> list:
    return [n, code or f"000.00.17.H10-250303-{n:04d}", applicant, cid, phone, address, proc, proc_name,
            "Hộ tịch", unit, channel, status, received, due, finished, returned]


def quirky_rows() -> tuple[list[list], dict, set]:
    """Rows 4..13 of the sheet (data rows 0..9): every quirk the portal files have, two of them bad."""
    rows = [
        row(1),                                                                  # plain
        row(2, received="03/03/2025 09:15", due="06/03/2025"),                   # text dates
        row(3, received=datetime(2025, 3, 3, 10, 0), due=datetime(2025, 3, 6, 10, 0)),  # serial dates
        row(4, applicant=encode_tcvn3("Trần Thị Bích")),                         # TCVN3 cell
        row(5, applicant=encode_vni("Lê Văn Đức")),                              # VNI cell
        row(6, applicant=unicodedata.normalize("NFD", "Phạm Thị Hường"), status="Hoàn thành",
            finished=datetime(2025, 3, 4, 15, 0), returned=datetime(2025, 3, 5, 9, 0)),  # NFD, finished + returned
        row(7, code="000.00.17.H10-250303-0001"),                                # duplicate code (of row 1)
        row(8, received="31/02/2025"),                                           # impossible date
        row(9, status="", finished=datetime(2025, 3, 4, 10, 0)),                 # empty status, a result date
        row(10, status="Từ chối", finished=datetime(2025, 3, 3, 11, 0)),
    ]  # fmt: skip
    fonts = {(3, 2): ".VnTime", (4, 2): "VNI-Times"}
    serial = {(2, 12), (2, 13)}
    return rows, fonts, serial


def db_fingerprint(services) -> str:
    """sha256 of the whole database: equal before and after means nothing at all was written.

    SQLite: the file's full dump (schema and rows). PostgreSQL: a canonical dump of the schema objects the
    application owns (tables, columns, indexes, triggers) and every table's rows in primary-key order —
    the models' tables, alembic_version and anything else in the schema. Sequence counters are left out:
    PostgreSQL never rolls back nextval (a rolled-back transaction still advances them, by design).
    """
    if services.db.is_sqlite:
        path = services.db.sqlite_path
        services.db.dispose()
        con = sqlite3.connect(path)
        try:
            text = "\n".join(con.iterdump())
        finally:
            con.close()
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
    return hashlib.sha256(_pg_dump(services.db).encode("utf-8")).hexdigest()


def _pg_dump(db) -> str:
    from sqlalchemy import inspect, text

    from tthc_desk.storage.models import Base

    lines: list[str] = []
    with db.engine.connect() as conn:
        schema = conn.execute(text(
            "SELECT 'column', table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable"
            " || ' ' || coalesce(column_default, '') FROM information_schema.columns"
            " WHERE table_schema = current_schema()"
            " UNION ALL SELECT 'index', indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            " UNION ALL SELECT 'trigger', pg_get_triggerdef(t.oid) FROM pg_trigger t"
            " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND NOT t.tgisinternal ORDER BY 1, 2")).all()
        lines += [f"{kind}: {what}" for kind, what in schema]
        inspector = inspect(conn)
        tables = sorted(set(inspector.get_table_names()) | set(Base.metadata.tables) | {"alembic_version"})
        for name in tables:
            pk = inspector.get_pk_constraint(name).get("constrained_columns") or []
            columns = [c["name"] for c in inspector.get_columns(name)]
            order = ", ".join(f'"{c}"' for c in (pk or columns))
            lines.append(f"table {name} ({', '.join(columns)})")
            for values in conn.execute(text(f'SELECT * FROM "{name}" ORDER BY {order}')):
                lines.append(repr(tuple(values)))
    return "\n".join(lines)


# ----- reading back what an import and the desk wrote ----------------------------------------------------
def held_case(office, code: str):
    """The stored case with this code."""
    from sqlalchemy import select

    from tthc_desk.storage.models import Case

    with office.db.read() as s:
        return s.execute(select(Case).where(Case.code == code)).scalar_one()


def office_calendar(office):
    """The office's working calendar as it stands now (days off, working hours)."""
    from sqlalchemy import select

    from tthc_desk.storage.models import Office

    with office.db.read() as s:
        return office.sync.calendar(s, s.execute(select(Office)).scalars().first())


def pdf_words(pdf: bytes, *, layout: bool = True) -> str:
    """What the reader sees, whitespace runs collapsed (wrapped lines read as one); without `layout`, a
    table's cells one after the other."""
    import subprocess

    args = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    return " ".join(subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode().split())
