"""Mẫu 06 SỔ THEO DÕI HỒ SƠ on A4 landscape: thousands of rows, header rows and "Trang x/y" on every page."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, PageBreak, Paragraph, Spacer, Table, TableStyle

from tthc_desk.documents.data import Letterhead, RegisterRow
from tthc_desk.documents.fasttable import FastTextTable
from tthc_desk.documents.fonts import DocFonts
from tthc_desk.documents.layout import Styles, build_pdf, esc, make_styles, upper
from tthc_desk.documents.profiles import FormProfile, get_profile
from tthc_desk.documents.textfit import wrap
from tthc_desk.text import nfc

PAGE = landscape(A4)
MARGINS = {"topMargin": 20 * mm, "bottomMargin": 20 * mm, "leftMargin": 30 * mm, "rightMargin": 15 * mm}
WIDTH = PAGE[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]
BODY_SIZE, BODY_LEAD, HEAD_SIZE, PAD, TOP_PAD, BOTTOM_PAD = 8.5, 10.2, 8.5, 2.5, 1.5, 2.5
# (header, relative width, alignment) for the 13 columns of Mẫu 06.
COLUMNS = (
    ("TT", 3.4, "CENTER"), ("Mã hồ sơ", 14.6, "LEFT"), ("Tên TTHC", 12.4, "LEFT"),
    ("Số lượng hồ sơ (bộ)", 4.4, "CENTER"), ("Tên cá nhân, tổ chức", 9.6, "LEFT"),
    ("Địa chỉ, số điện thoại", 11.8, "LEFT"), ("Cơ quan chủ trì giải quyết", 8.6, "LEFT"),
    ("Nhận hồ sơ", 6.2, "CENTER"), ("Hẹn trả kết quả", 6.2, "CENTER"),
    ("Chuyển hồ sơ đến cơ quan giải quyết", 6.2, "CENTER"), ("Nhận kết quả từ cơ quan giải quyết", 6.2, "CENTER"),
    ("Trả kết quả cho cá nhân, tổ chức (ký nhận)", 7.0, "CENTER"), ("Ghi chú", 4.6, "LEFT"),
)
COL_WIDTHS = [WIDTH * c[1] / sum(c[1] for c in COLUMNS) for c in COLUMNS]
HEADER_ROWS = 3


def _when(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y}\n{value:%H:%M}"
    return f"{value:%d/%m/%Y}"


def _row_cells(row: RegisterRow, number: int, font: str) -> list[str]:
    address = "\n".join(p for p in (nfc(row.applicant_address), nfc(row.applicant_phone)) if p)
    raw = [str(number), row.code, row.procedure_name, str(row.sets), row.applicant_name, address, row.lead_unit,
           _when(row.received_at), _when(row.due_at), _when(row.transferred_at), _when(row.result_received_at),
           _when(row.returned_at), row.note]
    return [wrap(text, font, BODY_SIZE, w - 2 * PAD) for text, w in zip(raw, COL_WIDTHS, strict=True)]


def _header_rows(fonts: DocFonts) -> list[list[str]]:
    def cell(text: str, width: float) -> str:
        return wrap(text, fonts.bold, HEAD_SIZE, width - 2 * PAD)

    cells = [cell(c[0], w) for c, w in zip(COLUMNS, COL_WIDTHS, strict=True)]
    first = cells[:7] + ["Ngày, tháng, năm", "", "", "", ""] + cells[12:]
    second = [""] * 7 + cells[7:12] + [""]
    return [first, second, [f"({i})" for i in range(1, len(COLUMNS) + 1)]]


def _table_style(fonts: DocFonts) -> TableStyle:
    cmds = [
        ("GRID", (0, 0), (-1, -1), 0.4, "black"),
        ("VALIGN", (0, 0), (-1, HEADER_ROWS - 1), "MIDDLE"),
        ("VALIGN", (0, HEADER_ROWS), (-1, -1), "TOP"),
        ("FONTNAME", (0, HEADER_ROWS), (-1, -1), fonts.regular),
        ("FONTSIZE", (0, HEADER_ROWS), (-1, -1), BODY_SIZE),
        ("LEADING", (0, HEADER_ROWS), (-1, -1), BODY_LEAD),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), TOP_PAD), ("BOTTOMPADDING", (0, 0), (-1, -1), BOTTOM_PAD),
        ("SPAN", (7, 0), (11, 0)),
        ("FONTNAME", (0, 0), (-1, HEADER_ROWS - 1), fonts.bold),
        ("FONTSIZE", (0, 0), (-1, HEADER_ROWS - 1), HEAD_SIZE),
        ("LEADING", (0, 0), (-1, HEADER_ROWS - 1), HEAD_SIZE * 1.15),
        ("ALIGN", (0, 0), (-1, HEADER_ROWS - 1), "CENTER"),
    ]
    cmds += [("SPAN", (i, 0), (i, 1)) for i in (*range(7), 12)]
    cmds += [("ALIGN", (i, HEADER_ROWS), (i, -1), c[2]) for i, c in enumerate(COLUMNS) if c[2] != "LEFT"]
    return TableStyle(cmds)


def _heading(st: Styles, lh: Letterhead, title_text: str, period_text: str, book: str) -> Table:
    office = [Paragraph(esc(upper(t)), st.centre) for t in lh.parent_lines]
    office.append(Paragraph(f"<b>{esc(upper(lh.issuing_body))}</b>", st.centre))
    middle = [Paragraph(esc(upper(title_text)), st.title), Paragraph(f"<i>{esc(period_text)}</i>", st.centre)]
    if nfc(book):
        middle.append(Paragraph(f"Quyển số: {esc(book)}", st.centre))
    table = Table([[office, middle, ""]], colWidths=[WIDTH * 0.3, WIDTH * 0.4, WIDTH * 0.3])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _numbered_canvas(fonts: DocFonts, footer: str) -> type[Canvas]:
    """A canvas that holds pages until the end so each can say "Trang x/y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                self.setFont(fonts.italic, 9)
                y = MARGINS["bottomMargin"] / 2
                self.drawString(MARGINS["leftMargin"], y, footer)
                self.drawRightString(PAGE[0] - MARGINS["rightMargin"], y, f"Trang {number}/{total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def _row_height(cells: list[str]) -> float:
    return BODY_LEAD * (1 + max(c.count("\n") for c in cells)) + TOP_PAD + BOTTOM_PAD


def _page_chunks(rows: Iterable[list[str]], first_room: float, room: float) -> Iterator[list[list[str]]]:
    """Rows grouped by the page they fit on (heights are exact for pre-wrapped text)."""
    chunk: list[list[str]] = []
    used, cap = 0.0, first_room
    for cells in rows:
        h = _row_height(cells)
        if chunk and used + h > cap:
            yield chunk
            chunk, used, cap = [], 0.0, room
        chunk.append(cells)
        used += h
    if chunk:
        yield chunk


def register_tables(rows: Iterable[RegisterRow], fonts: DocFonts, *, first_room: float, room: float,
                    first_number: int = 1, progress: Callable[[int], None] | None = None) -> list:
    """One LongTable per page, each starting with the three header rows.

    Splitting a single 10,000-row table costs reportlab O(rows) per page (span and height bookkeeping), so
    rows are paginated here in one pass; repeatRows stays on as a safety net should a chunk ever overflow.
    """
    header, style = _header_rows(fonts), _table_style(fonts)
    probe = LongTable(header, colWidths=COL_WIDTHS)
    probe.setStyle(style)
    header_h = probe.wrap(WIDTH, room)[1] + 0.5
    cells = (_row_cells(r, r.number if r.number is not None else first_number + i, fonts.regular)
             for i, r in _counted(rows, progress))
    story: list = []
    for chunk in _page_chunks(cells, first_room - header_h, room - header_h):
        if story:
            story.append(PageBreak())
        table = FastTextTable(header + chunk, colWidths=COL_WIDTHS, repeatRows=HEADER_ROWS)
        table.setStyle(style)
        story.append(table)
    return story


def _counted(rows: Iterable[RegisterRow], progress: Callable[[int], None] | None) -> Iterator[tuple[int, RegisterRow]]:
    for i, row in enumerate(rows):
        if progress is not None and i % 500 == 0:
            progress(i)
        yield i, row


def render_register(rows: Iterable[RegisterRow], letterhead: Letterhead, period_text: str,
                    profile: FormProfile | None = None, *, book: str = "", first_number: int = 1,
                    progress: Callable[[int], None] | None = None) -> bytes:
    """Mẫu 06 on A4 landscape; rows without a number are numbered on from `first_number`."""
    profile, st = profile or get_profile(), make_styles(size=10)
    title_text = profile.title("register")
    heading = [_heading(st, letterhead, title_text, nfc(period_text), book), Spacer(1, 3 * mm)]
    room = PAGE[1] - MARGINS["topMargin"] - MARGINS["bottomMargin"]
    first_room = room - sum(f.wrap(WIDTH, room)[1] for f in heading)
    story = heading + register_tables(rows, st.fonts, first_room=first_room, room=room,
                                      first_number=first_number, progress=progress)
    footer = f"{title_text.capitalize()} – {nfc(period_text)}"
    canvas = _numbered_canvas(st.fonts, footer)
    return build_pdf(story, pagesize=PAGE, margins=MARGINS, title_text=footer, author=nfc(letterhead.issuing_body),
                     canvasmaker=canvas)
