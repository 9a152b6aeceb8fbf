"""Mẫu 06 SỔ THEO DÕI HỒ SƠ on A4 landscape: thousands of rows, header rows and "Trang x/y" on every page."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from functools import lru_cache

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, PageBreak, Paragraph, Spacer, Table, TableStyle

from tthc_desk.documents.data import Letterhead, RegisterRow
from tthc_desk.documents.fasttable import FastTextTable
from tthc_desk.documents.fonts import DocFonts
from tthc_desk.documents.layout import Styles, build_pdf, cell_font, esc, header_lines, make_styles, upper
from tthc_desk.documents.profiles import FormProfile, get_profile
from tthc_desk.documents.textfit import text_width, wrap
from tthc_desk.text import nfc

PAGE = landscape(A4)
MARGINS = {"topMargin": 20 * mm, "bottomMargin": 20 * mm, "leftMargin": 30 * mm, "rightMargin": 15 * mm}
WIDTH = PAGE[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]
BODY_SIZE, BODY_LEAD, HEAD_SIZE, PAD, TOP_PAD, BOTTOM_PAD = 8.5, 10.2, 8.5, 2.5, 1.5, 2.5
# (header, relative width, alignment) for the 13 columns of Mẫu 06, in points of the 714 pt frame. The code
# breaks after its dash into two lines ("000.00.17.H10-" / "260105-0023"), a three-word name stays on one, the
# date columns and Ghi chú hold a date whole; the rest went where it makes the demo's year (7,148 rows)
# shortest: to the procedure's name and the address (1,458 pages before, 1,073 now).
COLUMNS = (
    ("TT", 23, "CENTER"),
    ("Mã hồ sơ", 60, "LEFT"),
    ("Tên TTHC", 131.3, "LEFT"),
    ("Số lượng hồ sơ (bộ)", 28.5, "CENTER"),  # "lượng" whole in the heading
    ("Tên cá nhân, tổ chức", 63, "LEFT"),
    ("Địa chỉ, số điện thoại", 90, "LEFT"),
    ("Cơ quan chủ trì giải quyết", 51, "LEFT"),
    ("Nhận hồ sơ", 44.5, "CENTER"),
    ("Hẹn trả kết quả", 44.5, "CENTER"),
    ("Chuyển hồ sơ đến cơ quan giải quyết", 44.5, "CENTER"),
    ("Nhận kết quả từ cơ quan giải quyết", 44.5, "CENTER"),
    ("Trả kết quả cho cá nhân, tổ chức (ký nhận)", 44.5, "CENTER"),
    ("Ghi chú", 45, "LEFT"),
)
COL_WIDTHS = [WIDTH * c[1] / sum(c[1] for c in COLUMNS) for c in COLUMNS]
HEADER_ROWS = 3


@lru_cache(maxsize=4096)
def _when(value: datetime | date | None) -> str:
    """'03/02/2025' over '14:30' (the date columns are sized to hold it, so it is never re-wrapped)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y}\n{value:%H:%M}"
    return f"{value:%d/%m/%Y}"


_MOMENT = re.compile(r"(\d{1,2}/\d{1,2}/\d{4}) (\d{1,2}:\d{2})")


@lru_cache(maxsize=1024)
def _note(text: str, font: str) -> str:
    """Ghi chú wrapped to its column at spaces only, in lines of even length ("Xin lỗi," / "hẹn lại" rather
    than "Xin lỗi, hẹn" / "lại"): a date and its time stay on one line when the column holds both, else the
    time goes under the date; a date itself never breaks (the column is wider than one)."""
    width = COL_WIDTHS[12] - 2 * PAD

    def glue(m: re.Match) -> str:
        both = f"{m.group(1)}\u00a0{m.group(2)}"
        return both if text_width(both, font, BODY_SIZE) <= width else m.group(0)

    lines = [
        ln
        for para in nfc(text).splitlines()
        for ln in header_lines(_MOMENT.sub(glue, para), font, BODY_SIZE, width)
    ]
    return "\n".join(lines).replace("\u00a0", " ")


def _row_cells(row: RegisterRow, number: int | None, font: str) -> list[str]:
    address = "\n".join(p for p in (nfc(row.applicant_address), nfc(row.applicant_phone)) if p)
    texts = [row.code, row.procedure_name, str(row.sets), row.applicant_name, address, row.lead_unit]
    wrapped = [wrap(t, font, BODY_SIZE, w - 2 * PAD) for t, w in zip(texts, COL_WIDTHS[1:7], strict=True)]
    dates = [
        _when(v)
        for v in (row.received_at, row.due_at, row.transferred_at, row.result_received_at, row.returned_at)
    ]
    # TT from 01, as the book is numbered (DOMAIN §3); none for a case the book never numbered
    tt = f"{number:02d}" if number is not None else ""
    return [tt, *wrapped, *dates, _note(row.note, font) if row.note else ""]


class _Heading(list):
    """A full-width row of the table (its text in the first cell, the row spanned): the heading of the
    cases that have no number in the book."""


# what a heading row needs below it on its page: a two-line row (a case code takes two), so that it never ends
# a page with its cases on the next
_KEEP_WITH_NEXT = 2 * BODY_LEAD + TOP_PAD + BOTTOM_PAD


def _heading_row(text: str, font: str) -> _Heading:
    return _Heading([wrap(nfc(text), font, BODY_SIZE, WIDTH - 2 * PAD)] + [""] * (len(COLUMNS) - 1))


def _header_rows(fonts: DocFonts) -> list[list[str]]:
    def cell(text: str, width: float) -> str:
        return wrap(text, fonts.bold, HEAD_SIZE, width - 2 * PAD)

    cells = [cell(c[0], w) for c, w in zip(COLUMNS, COL_WIDTHS, strict=True)]
    first = cells[:7] + ["Ngày, tháng, năm", "", "", "", ""] + cells[12:]
    second = [""] * 7 + cells[7:12] + [""]
    return [first, second, [f"({i})" for i in range(1, len(COLUMNS) + 1)]]


def _cell_commands(fonts: DocFonts) -> list[tuple]:
    """Per-cell commands (fonts, alignment, padding): applied once to a template, then shared."""
    cmds = [
        ("VALIGN", (0, 0), (-1, HEADER_ROWS - 1), "MIDDLE"),
        ("VALIGN", (0, HEADER_ROWS), (-1, -1), "TOP"),
        ("FONT", (0, HEADER_ROWS), (-1, -1), fonts.regular, BODY_SIZE, BODY_LEAD),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), TOP_PAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), BOTTOM_PAD),
        ("FONT", (0, 0), (-1, HEADER_ROWS - 1), fonts.bold, HEAD_SIZE, HEAD_SIZE * 1.15),
        ("ALIGN", (0, 0), (-1, HEADER_ROWS - 1), "CENTER"),
    ]
    return cmds + [
        ("ALIGN", (i, HEADER_ROWS), (i, -1), c[2]) for i, c in enumerate(COLUMNS) if c[2] != "LEFT"
    ]


def _shared_commands() -> list[tuple]:
    """Grid and spans: cheap, stored per table rather than per cell."""
    spans = [("SPAN", (7, 0), (11, 0))] + [("SPAN", (i, 0), (i, 1)) for i in (*range(7), 12)]
    return [("GRID", (0, 0), (-1, -1), 0.4, "black"), *spans]


class _Tables:
    """Makes one page's table; cell styles are computed once and shared (setStyle per page cost ~2 ms)."""

    def __init__(self, header: list[list[str]], fonts: DocFonts, max_rows: int = 80) -> None:
        self.header, self.fonts, self.shared = header, fonts, TableStyle(_shared_commands())
        self._grow(max_rows)

    def _grow(self, rows: int) -> None:
        template = LongTable(self.header + [[""] * len(COLUMNS)] * rows, colWidths=COL_WIDTHS)
        template.setStyle(TableStyle(_cell_commands(self.fonts)))
        self.cell_styles = template._cellStyles

    def make(self, body: list[list[str]]) -> FastTextTable:
        data = self.header + body
        if len(data) > len(self.cell_styles):
            self._grow(len(body) * 2)
        styles = self.cell_styles[: len(data)]
        headings = [HEADER_ROWS + i for i, cells in enumerate(body) if isinstance(cells, _Heading)]
        for r in headings:  # its own cell styles: the template's are shared by every page's table
            styles[r] = [c.copy() for c in styles[r]]
            for c in styles[r]:
                c.fontname, c.alignment = self.fonts.bold, "LEFT"
        table = FastTextTable(data, colWidths=COL_WIDTHS, repeatRows=HEADER_ROWS, cellStyles=styles)
        table.setStyle(self.shared)
        if headings:
            table.setStyle(TableStyle([("SPAN", (0, r), (-1, r)) for r in headings]))
        return table


def _heading(
    st: Styles, lh: Letterhead, title_text: str, period_text: str, book: str, form_number: str = ""
) -> Table:
    office = [Paragraph(esc(upper(t)), st.centre) for t in lh.parent_lines]
    office.append(Paragraph(f"<b>{esc(upper(lh.issuing_body))}</b>", st.centre))
    middle = [Paragraph(esc(upper(title_text)), st.title), Paragraph(f"<i>{esc(period_text)}</i>", st.centre)]
    if nfc(book):
        middle.append(Paragraph(f"Quyển số: {esc(book)}", st.centre))
    right = [Paragraph(f"<i>{esc(form_number)}</i>", st.form_number)] if nfc(form_number) else ""
    table = Table([[office, middle, right]], colWidths=[WIDTH * 0.3, WIDTH * 0.4, WIDTH * 0.3])
    table.setStyle(TableStyle([cell_font(), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
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
    """Rows grouped by the page they fit on (heights are exact for pre-wrapped text); at least one group."""
    chunk: list[list[str]] = []
    used, cap = 0.0, first_room
    for cells in rows:
        h = _row_height(cells)
        if chunk and used + h + (_KEEP_WITH_NEXT if isinstance(cells, _Heading) else 0) > cap:
            yield chunk
            chunk, used, cap = [], 0.0, room
        chunk.append(cells)
        used += h
    if chunk or cap == first_room:  # an empty register still prints its header rows
        yield chunk


def register_tables(
    rows: Iterable[RegisterRow],
    fonts: DocFonts,
    *,
    first_room: float,
    room: float,
    first_number: int = 1,
    progress: Callable[[int], None] | None = None,
    unnumbered: Iterable[RegisterRow] = (),
    unnumbered_heading: str = "",
) -> list:
    """One LongTable per page, each starting with the three header rows; `unnumbered` after `rows`, under a
    full-width row saying `unnumbered_heading`, their TT empty.

    Splitting a single 10,000-row table costs reportlab O(rows) per page (span and height bookkeeping), so
    rows are paginated here in one pass; repeatRows stays on as a safety net should a chunk ever overflow.
    """
    tables = _Tables(_header_rows(fonts), fonts)
    header_h = tables.make([]).wrap(WIDTH, room)[1] + 0.5

    def lines() -> Iterator[list[str]]:
        done = 0
        for i, r in _counted(rows, progress):
            done = i + 1
            yield _row_cells(r, r.number if r.number is not None else first_number + i, fonts.regular)
        for i, r in _counted(unnumbered, progress, start=done):
            if i == done:
                yield _heading_row(unnumbered_heading, fonts.bold)
            yield _row_cells(r, None, fonts.regular)

    cells = lines()
    story: list = []
    for chunk in _page_chunks(cells, first_room - header_h, room - header_h):
        if story:
            story.append(PageBreak())
        story.append(tables.make(chunk))
    return story


def _counted(
    rows: Iterable[RegisterRow], progress: Callable[[int], None] | None, start: int = 0
) -> Iterator[tuple[int, RegisterRow]]:
    for i, row in enumerate(rows, start):
        if progress is not None and i % 500 == 0:
            progress(i)
        yield i, row


def render_register(
    rows: Iterable[RegisterRow],
    letterhead: Letterhead,
    period_text: str,
    profile: FormProfile | None = None,
    *,
    book: str = "",
    first_number: int = 1,
    progress: Callable[[int], None] | None = None,
    unnumbered: Iterable[RegisterRow] = (),
    unnumbered_heading: str = "",
) -> bytes:
    """Mẫu 06 on A4 landscape; rows without a number are numbered on from `first_number`.

    `unnumbered`: cases the book has no number for (received on the portal and imported, DOMAIN §3: the
    book's numbers are its own), printed after `rows` under a full-width row saying `unnumbered_heading`, with
    TT left empty: a number by position would repeat one the book gave."""
    profile, st = profile or get_profile(), make_styles(size=10)
    title_text = profile.title("register")
    number = profile.number("register") if profile.show_form_number else ""
    heading = [_heading(st, letterhead, title_text, nfc(period_text), book, number), Spacer(1, 3 * mm)]
    room = PAGE[1] - MARGINS["topMargin"] - MARGINS["bottomMargin"]
    first_room = room - sum(f.wrap(WIDTH, room)[1] for f in heading)
    story = heading + register_tables(
        rows,
        st.fonts,
        first_room=first_room,
        room=room,
        first_number=first_number,
        progress=progress,
        unnumbered=unnumbered,
        unnumbered_heading=unnumbered_heading,
    )
    footer = f"{title_text.capitalize()} – {nfc(period_text)}"
    canvas = _numbered_canvas(st.fonts, footer)
    return build_pdf(
        story,
        pagesize=PAGE,
        margins=MARGINS,
        title_text=footer,
        author=nfc(letterhead.issuing_body),
        canvasmaker=canvas,
    )
