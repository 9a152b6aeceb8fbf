"""Biểu II.06a on A4 landscape and the monthly letter on A4 (annex landscape), in the national layout.

Built from tthc_desk.documents.layout (fonts, styles, NationalHeader, sign and recipient blocks). The letter
needs portrait and landscape pages in one file, which layout.build_pdf (one page size) does not do, so
`_build_mixed` is a thin two-template wrapper around the same BaseDocTemplate settings.
"""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from tthc_desk.documents.fonts import register_fonts
from tthc_desk.documents.layout import (
    NationalHeader,
    Styles,
    build_pdf,
    cell_font,
    esc,
    make_styles,
    recipients_cell,
    sign_cell,
    signer_cell,
    two_columns,
    upper,
)
from tthc_desk.reports.figures import Report
from tthc_desk.reports.form import (
    FORM_BASIS,
    FORM_CODE,
    FORM_TITLE,
    N_COLS,
    UNIT_OF_COUNT,
    as_of_words,
    header_cells,
    numbers_row,
    rate_notes,
    text_row,
)
from tthc_desk.reports.letter import LetterDraft, period_words
from tthc_desk.text import nfc

LANDSCAPE = landscape(A4)
# NĐ 30 A4 margins (top/bottom 20, left 30, right 15 mm); landscape keeps the binding edge on the left
MARGINS = {"topMargin": 20 * mm, "bottomMargin": 15 * mm, "leftMargin": 25 * mm, "rightMargin": 15 * mm}
PORTRAIT_MARGINS = {"topMargin": 20 * mm, "bottomMargin": 20 * mm, "leftMargin": 30 * mm, "rightMargin": 15 * mm}
CELL = 7.5


def _width(pagesize, margins) -> float:
    return pagesize[0] - margins["leftMargin"] - margins["rightMargin"]


def form_table(report: Report, st: Styles, width: float) -> Table:
    """The 19-column table with its three header rows, numbered row, body and total."""
    f = st.fonts
    head = ParagraphStyle("rh", fontName=f.bold, fontSize=CELL, leading=CELL * 1.15, alignment=TA_CENTER)
    label = ParagraphStyle("rl", fontName=f.regular, fontSize=CELL + 0.5, leading=(CELL + 0.5) * 1.15)
    grid = [[""] * N_COLS for _ in range(3)]
    spans = []
    for cell in header_cells(report.group_by):
        grid[cell.row][cell.col] = Paragraph(esc(cell.text), head)
        if cell.rows > 1 or cell.cols > 1:
            spans.append(("SPAN", (cell.col, cell.row), (cell.col + cell.cols - 1, cell.row + cell.rows - 1)))
    rows = [*grid, numbers_row()]
    for i, row in enumerate(report.rows, 1):
        cells = text_row(i, row)
        rows.append([cells[0], Paragraph(esc(cells[1]), label), *cells[2:]])
    total = text_row("", report.total)
    rows.append(["", Paragraph(f"<b>{esc('Tổng cộng')}</b>", label), *total[2:]])
    label_w, stt_w = 44 * mm, 8 * mm
    other = (width - label_w - stt_w) / (N_COLS - 2)
    table = Table(rows, colWidths=[stt_w, label_w, *([other] * (N_COLS - 2))], repeatRows=4)
    table.setStyle(TableStyle([
        cell_font(), ("GRID", (0, 0), (-1, -1), 0.4, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONT", (0, 3), (-1, -1), f.regular, CELL + 0.5), ("FONT", (0, 3), (-1, 3), f.italic, CELL),
        ("FONT", (0, -1), (-1, -1), f.bold, CELL + 0.5), ("ALIGN", (0, 3), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 1.5), ("RIGHTPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2), *spans,
    ]))
    return table


def _notes(report: Report, st: Styles) -> list:
    style = ParagraphStyle("notes", parent=st.small, fontName=st.fonts.italic, fontSize=8.5, leading=10)
    return [Paragraph(f"Ghi chú {i}: {esc(n)}", style) for i, n in enumerate(rate_notes(report), 1)]


def render_form(report: Report, *, office: str, receiver: str, place_date: str) -> bytes:
    """Biểu II.06a on A4 landscape: form code, title, period, units, table, notes, signatures."""
    st, width = make_styles(size=10), _width(LANDSCAPE, MARGINS)
    left = [Paragraph(f"<i>{esc(FORM_CODE)}</i>", st.body), Paragraph(f"<i>{esc(FORM_BASIS)}</i>", st.small)]
    right = [Paragraph(esc(t), st.body) for t in
             (f"Đơn vị báo cáo: {nfc(office)}", f"Đơn vị nhận báo cáo: {nfc(receiver)}", UNIT_OF_COUNT)]
    period = f"Kỳ báo cáo: {report.period.text().lower()}"
    if as_of_words(report):
        period += f" ({as_of_words(report)})"
    story = [two_columns(left, right, width, split=0.62), Paragraph(esc(FORM_TITLE), st.title),
             Paragraph(f"<i>{esc(period)}</i>", st.centre), Spacer(1, 3 * mm), form_table(report, st, width),
             Spacer(1, 2 * mm), *_notes(report, st), Spacer(1, 4 * mm)]
    signer = [Paragraph(f"<i>{esc(place_date)}</i>", st.centre), *sign_cell(st, ["THỦ TRƯỞNG ĐƠN VỊ"], "",
                                                                             "(Ký tên, đóng dấu)")]
    maker = [Paragraph("&nbsp;", st.centre), *sign_cell(st, ["NGƯỜI LẬP BIỂU"], "", "(Ký, ghi rõ họ tên)")]
    story.append(two_columns(maker, signer, width))
    return build_pdf(story, pagesize=LANDSCAPE, margins=MARGINS, title_text=FORM_TITLE.capitalize(),
                     author=nfc(office))


def _letter_styles() -> tuple[Styles, ParagraphStyle, ParagraphStyle]:
    st = make_styles(size=13.5)
    body = ParagraphStyle("lb", parent=st.letter, firstLineIndent=12.7 * mm, spaceAfter=4, leading=13.5 * 1.3)
    heading = ParagraphStyle("lh", parent=body, fontName=st.fonts.bold)
    return st, body, heading


def _kinh_gui(draft: LetterDraft, st: Styles) -> Table:
    lines = [Paragraph(f"- {esc(a)};" if i < len(draft.addressees) - 1 else f"- {esc(a)}.", st.body)
             for i, a in enumerate(draft.addressees)]
    label = Paragraph("Kính gửi:", ParagraphStyle("kg", parent=st.body, alignment=2))
    t = Table([[label, lines]], colWidths=[40 * mm, 110 * mm])
    t.setStyle(TableStyle([cell_font(), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2)]))
    return t


def letter_story(draft: LetterDraft) -> list:
    st, body, heading = _letter_styles()
    width = _width(A4, PORTRAIT_MARGINS)
    story: list = [NationalHeader(draft.letterhead, st.fonts, number=draft.number, issued_on=None,
                                  summary=draft.summary, size=12.5), Spacer(1, 6 * mm),
                   _kinh_gui(draft, st), Spacer(1, 4 * mm)]
    story += [Paragraph(esc(text), heading if kind == "heading" else body) for kind, text in draft.paragraphs]
    story += [Spacer(1, 4 * mm), two_columns(recipients_cell(make_styles(size=11), draft.recipients),
                                             signer_cell(st, draft.signer, space=24 * mm), width, split=0.5)]
    annex = make_styles(size=10)
    lwidth = _width(LANDSCAPE, MARGINS)
    title, rest = draft.annex_title.split("\n", 1)
    story += [NextPageTemplate("landscape"), PageBreak(), Paragraph(esc(title), annex.title),
              Paragraph(esc(upper(rest)), annex.centre_bold),
              Paragraph(f"<i>{esc(draft.annex_note)}</i>", annex.centre),
              Paragraph(f"<i>Kỳ báo cáo: {esc(period_words(draft.report))}</i>", annex.centre),
              Spacer(1, 3 * mm), form_table(draft.report, annex, lwidth), Spacer(1, 2 * mm),
              *_notes(draft.report, annex)]
    return story


def _build_mixed(story: list, title: str, author: str) -> bytes:
    buf = BytesIO()
    pm, lm = PORTRAIT_MARGINS, MARGINS
    doc = BaseDocTemplate(buf, pagesize=A4, title=nfc(title), author=nfc(author), creator="TTHC Desk",
                          subject=nfc(title), initialFontName=register_fonts().regular, **pm)
    portrait = Frame(pm["leftMargin"], pm["bottomMargin"], _width(A4, pm), A4[1] - pm["topMargin"] - pm["bottomMargin"],
                     0, 0, 0, 0, id="portrait")
    wide = Frame(lm["leftMargin"], lm["bottomMargin"], _width(LANDSCAPE, lm),
                 LANDSCAPE[1] - lm["topMargin"] - lm["bottomMargin"], 0, 0, 0, 0, id="landscape")
    doc.addPageTemplates([PageTemplate(id="portrait", frames=[portrait], pagesize=A4),
                          PageTemplate(id="landscape", frames=[wide], pagesize=LANDSCAPE)])
    doc.build(story)
    return buf.getvalue()


def render_letter(draft: LetterDraft) -> bytes:
    return _build_mixed(letter_story(draft), draft.summary, draft.issuer)

