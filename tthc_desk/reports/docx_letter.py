"""The monthly letter as an editable Word file (python-docx): national layout, the annex table landscape."""

from __future__ import annotations

import os
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from tthc_desk.documents.layout import MOTTO, NATIONAL_NAME
from tthc_desk.documents.words import place_date
from tthc_desk.files import written_whole
from tthc_desk.reports.form import N_COLS, header_cells, numbers_row, rate_notes, text_row
from tthc_desk.reports.letter import LetterDraft, period_words
from tthc_desk.text import nfc

FONT = "Times New Roman"


def _run(par, text: str, *, size: float = 13, bold: bool = False, italic: bool = False):
    run = par.add_run(nfc(text))
    run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return run


def _para(container, text: str = "", *, size: float = 13, bold: bool = False, italic: bool = False,
          align=WD_ALIGN_PARAGRAPH.LEFT, indent: float | None = None, after: float = 0):
    par = container.add_paragraph()
    par.alignment = align
    fmt = par.paragraph_format
    fmt.space_after, fmt.space_before = Pt(after), Pt(0)
    if indent is not None:
        fmt.first_line_indent = Cm(indent)
    if text:
        _run(par, text, size=size, bold=bold, italic=italic)
    return par


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _cell(cell, lines: list[tuple[str, dict]]) -> None:
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    for text, kw in lines:
        _para(cell, text, align=kw.pop("align", WD_ALIGN_PARAGRAPH.CENTER), **kw)


def _header(doc, d: LetterDraft) -> None:
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    lh = d.letterhead
    left = [(nfc(p).upper(), {"size": 13}) for p in lh.parent_lines]
    left += [(ln.upper(), {"size": 13, "bold": True}) for ln in nfc(lh.issuing_body).splitlines()]
    left += [("———", {"size": 9}), (f"Số: {d.number}", {"size": 13}), (d.summary, {"size": 12})]
    right = [(NATIONAL_NAME, {"size": 12, "bold": True}), (MOTTO, {"size": 13, "bold": True}),
             ("———————————", {"size": 9}), (place_date(lh.place, None), {"size": 13, "italic": True})]
    _cell(t.cell(0, 0), left)
    _cell(t.cell(0, 1), right)
    t.cell(0, 0).width, t.cell(0, 1).width = Cm(6.5), Cm(9.5)


def _signature(doc, d: LetterDraft) -> None:
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    left = [("Nơi nhận:", {"size": 12, "bold": True, "italic": True, "align": WD_ALIGN_PARAGRAPH.LEFT})]
    left += [(f"- {r};" if i < len(d.recipients) - 1 else f"- {r}.", {"size": 11, "align": WD_ALIGN_PARAGRAPH.LEFT})
             for i, r in enumerate(d.recipients)]
    s = d.signer
    head = [f"TM. {s.on_behalf}"] if s.on_behalf else []
    head += [" ".join(p for p in (s.authority_prefix, s.authority_title) if p), s.title]
    right = [(h.upper(), {"size": 13, "bold": True}) for h in head if h]
    right += [("", {}), ("", {}), ("", {}), (s.name, {"size": 13, "bold": True})]
    _cell(t.cell(0, 0), left)
    _cell(t.cell(0, 1), right)


def _annex(doc, d: LetterDraft) -> None:
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    sec.orientation, sec.page_width, sec.page_height = WD_ORIENT.LANDSCAPE, Mm(297), Mm(210)
    sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Mm(20), Mm(15), Mm(20), Mm(15)
    title, rest = d.annex_title.split("\n", 1)
    _para(doc, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, rest.upper(), size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, d.annex_note, size=12, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, f"Kỳ báo cáo: {period_words(d.report)}", size=12, italic=True,
          align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    rows = [text_row(i, r) for i, r in enumerate(d.report.rows, 1)] + [text_row("", d.report.total)]
    rows[-1][1] = "Tổng cộng"
    t = doc.add_table(rows=4 + len(rows), cols=N_COLS)
    t.style, t.alignment = "Table Grid", WD_TABLE_ALIGNMENT.CENTER
    for cell in header_cells(d.report.group_by):
        target = t.cell(cell.row, cell.col)
        if cell.rows > 1 or cell.cols > 1:
            target = target.merge(t.cell(cell.row + cell.rows - 1, cell.col + cell.cols - 1))
        _cell(target, [(cell.text, {"size": 8, "bold": True})])
    for c, text in enumerate(numbers_row()):
        _cell(t.cell(3, c), [(text, {"size": 8, "italic": True})])
    for r, values in enumerate(rows, 4):
        bold = r == 3 + len(rows)
        for c, text in enumerate(values):
            align = WD_ALIGN_PARAGRAPH.LEFT if c == 1 else WD_ALIGN_PARAGRAPH.CENTER
            _cell(t.cell(r, c), [(text, {"size": 9, "bold": bold, "align": align})])
    for i, note in enumerate(rate_notes(d.report), 1):
        _para(doc, f"Ghi chú {i}: {note}", size=10, italic=True)


def write_docx(d: LetterDraft, path: str | os.PathLike) -> Path:
    """The letter as .docx (A4, NĐ 30 margins), written whole or not at all (`written_whole`); the path."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Mm(30), Mm(15), Mm(20), Mm(20)
    _header(doc, d)
    kg = _para(doc, "", align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    # one run: `_run` trims (nfc), which would take the space after the colon off a run of its own
    _run(kg, "Kính gửi: " + "; ".join(d.addressees) + ".", size=14)
    for kind, text in d.paragraphs:
        _para(doc, text, size=14, bold=kind == "heading", align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=1.27, after=4)
    _signature(doc, d)
    _annex(doc, d)
    with written_whole(path, make_folder=True) as temporary:
        doc.save(str(temporary))
    return Path(path)
