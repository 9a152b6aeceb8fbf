"""National layout pieces (NĐ 30/2020) sized for A5 forms: styles, the two-column header, sign blocks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from tthc_desk.documents.data import Letterhead, Signer
from tthc_desk.documents.fonts import DocFonts, register_fonts
from tthc_desk.documents.words import place_date
from tthc_desk.text import nfc

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# A4 margins of NĐ 30 (top/bottom 20-25, left 30-35, right 15-20 mm) scaled by ~0.7 for A5.
A5_MARGINS = {"topMargin": 14 * mm, "bottomMargin": 14 * mm, "leftMargin": 20 * mm, "rightMargin": 12 * mm}
RULE = 0.6
# Compressed streams without ASCII85 on top (valid PDF, smaller): reportlab's pure-Python A85 encoder costs
# ~0.4 s per 100 register pages. Process-wide, and reportlab is used only by this package.
rl_config.useA85 = 0


def esc(value: object) -> str:
    """NFC text made safe for Paragraph markup."""
    return escape(nfc(str(value) if value is not None else ""))


def upper(value: str) -> str:
    return nfc(value).upper()


@dataclass(frozen=True)
class Styles:
    """Paragraph styles for A5 forms (body 10.5 pt: A4's 13-14 pt scaled to the half sheet, kept legible)."""

    fonts: DocFonts
    body: ParagraphStyle
    letter: ParagraphStyle  # justified with first-line indent
    title: ParagraphStyle
    centre: ParagraphStyle
    centre_bold: ParagraphStyle
    centre_italic: ParagraphStyle
    cell: ParagraphStyle
    cell_centre: ParagraphStyle
    cell_head: ParagraphStyle
    small: ParagraphStyle
    form_number: ParagraphStyle


def make_styles(
    fonts: DocFonts | None = None, size: float = 10.5, *, leading: float = 1.2, cell_size: float | None = None
) -> Styles:
    """Styles for body text of `size` points, lines `leading` times the size apart; table cells one point
    smaller unless `cell_size` is given (a form that must hold on one sheet sets them tighter)."""
    f = fonts or register_fonts()
    lead = size * leading
    cell_size = size - 1 if cell_size is None else cell_size

    def st(name: str, **kw) -> ParagraphStyle:
        base = {"fontName": f.regular, "fontSize": size, "leading": lead, "alignment": TA_LEFT}
        return ParagraphStyle(name, **{**base, **kw})

    cell = st("cell", fontSize=cell_size, leading=cell_size * leading)
    return Styles(
        fonts=f,
        body=st("body", spaceAfter=1),
        letter=st("letter", alignment=TA_JUSTIFY, firstLineIndent=8 * mm, spaceAfter=3),
        title=st(
            "title",
            fontName=f.bold,
            fontSize=size + 1.5,
            leading=(size + 1.5) * 1.25,
            alignment=TA_CENTER,
            spaceBefore=6,
            spaceAfter=2,
        ),
        centre=st("centre", alignment=TA_CENTER),
        centre_bold=st("centre_bold", fontName=f.bold, alignment=TA_CENTER),
        centre_italic=st("centre_italic", fontName=f.italic, alignment=TA_CENTER),
        cell=cell,
        cell_centre=ParagraphStyle("cell_centre", parent=cell, alignment=TA_CENTER),
        cell_head=ParagraphStyle("cell_head", parent=cell, fontName=f.bold, alignment=TA_CENTER),
        small=st("small", fontSize=size - 1.5, leading=(size - 1.5) * 1.2, alignment=TA_JUSTIFY),
        form_number=st("form_number", fontName=f.italic, fontSize=size - 2, alignment=2),
    )


# Words that start a place's name in a body's name ("… THÀNH PHỐ HỒ CHÍ MINH"): a header line breaks best
# before them, less well between them and the name, worst inside the name.
_PLACE_LEVELS = (
    ("THÀNH", "PHỐ"),
    ("THỊ", "XÃ"),
    ("THỊ", "TRẤN"),
    ("ĐẶC", "KHU"),
    ("HUYỆN",),
    ("TỈNH",),
    ("QUẬN",),
    ("PHƯỜNG",),
    ("XÃ",),
)


def _break_costs(words: Sequence[str]) -> list[int]:
    """The cost of breaking a line before each word: 0 before a place level word, 2 between the level and
    the place's name, 5 inside either, 1 elsewhere (inside the body's kind, "TRUNG TÂM / PHỤC VỤ")."""
    costs = [1] * len(words)
    k = 0
    while k < len(words):
        level = next(
            (lv for lv in _PLACE_LEVELS if tuple(w.upper() for w in words[k : k + len(lv)]) == lv), None
        )
        if level is None:
            k += 1
            continue
        costs[k] = 0
        end = k + len(level)
        while end < len(words) and not any(
            tuple(w.upper() for w in words[end : end + len(lv)]) == lv for lv in _PLACE_LEVELS
        ):
            end += 1
        for i in range(k + 1, end):
            costs[i] = 2 if i == k + len(level) else 5
        k = end
    return costs


def header_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` in as few lines of `width` as it takes, broken at the most sensible places (`_break_costs`),
    never leaving a word alone on a line when another way takes no more lines, and lines of even length:
    "THÀNH PHỐ / HỒ CHÍ MINH" rather than "THÀNH PHỐ HỒ CHÍ / MINH". Words are never cut (a no-break
    space joins two into one); one wider than `width` stands on its own line."""
    words = [w for w in nfc(text).split(" ") if w.strip()]
    if len(words) < 2 or stringWidth(" ".join(words), font, size) <= width:
        return [" ".join(words)] if words else []
    costs = _break_costs(words)
    # best[j]: (lines, cost, widest line, start of the last line) for words[:j]
    best: list[tuple | None] = [(0, 0, 0.0, 0)] + [None] * len(words)
    for j in range(1, len(words) + 1):
        for i in range(j - 1, -1, -1):
            w = stringWidth(" ".join(words[i:j]), font, size)
            if w > width and j - i > 1:
                break
            prev = best[i]
            if prev is None:
                continue
            cost = prev[1] + (costs[i] if i else 0) + (3 if j - i == 1 else 0)
            cand = (prev[0] + 1, cost, max(prev[2], w), i)
            if best[j] is None or cand[:3] < best[j][:3]:
                best[j] = cand
    lines, j = [], len(words)
    while j:
        i = best[j][3]
        lines.append(" ".join(words[i:j]))
        j = i
    return lines[::-1]


class NationalHeader(Flowable):
    """Two-column header: body names | Quốc hiệu and Tiêu ngữ with rules; then "Số:" | place and date.
    `number` None: a form that carries no number (Mẫu 01, 05) prints no "Số:" line."""

    def __init__(
        self,
        letterhead: Letterhead,
        fonts: DocFonts,
        *,
        number: str | None,
        issued_on: date | None,
        summary: str = "",
        size: float = 9.5,
    ) -> None:
        super().__init__()
        self.lh, self.f, self.size = letterhead, fonts, size
        if number is None:
            self.number = ""
        else:
            self.number = f"Số: {nfc(number)}" if nfc(number) else "Số: ........../.........."
        self.summary = nfc(summary)
        self.date_line = place_date(nfc(letterhead.place), issued_on)
        self.lead = size * 1.22

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        s, f = self.size, self.f
        national = 4 + stringWidth(NATIONAL_NAME, f.bold, s)
        self.right_w = max(national, 6 + stringWidth(self.date_line, f.italic, s + 1))
        # A left line that would break takes the room the right column can spare: down to the national
        # name's width (a long date line then wraps after the place), so "THÀNH PHỐ HỒ CHÍ MINH" stays whole.
        need = 4 + max((stringWidth(t, ft, s) for t, ft in self._left_texts()), default=0)
        if need > avail_width - self.right_w - 4:
            self.right_w = max(national, avail_width - need - 4)
        self.left_w = max(avail_width - self.right_w - 4, avail_width * 0.3)
        self.width = avail_width
        self.left, self.right = self._left_lines(), self._right_lines()
        hs_left, hs_right = self._heights(self.left), self._heights(self.right)
        bottom = max(sum(hs_left[self.left_top :]), sum(hs_right[self.right_top :]))
        self.height = self._split_y() + 6 + bottom
        return avail_width, self.height

    def _left_texts(self) -> list[tuple[str, str]]:
        """The left column's names, each (text, font) as given line by line, before any wrapping."""
        f = self.f
        return [(upper(t), f.regular) for t in self.lh.parent_lines] + [
            (part, f.bold) for part in upper(self.lh.issuing_body).splitlines()
        ]

    def _left_lines(self) -> list[tuple]:
        s, f, w = self.size, self.f, self.left_w - 4
        lines: list[tuple] = []
        body: list[str] = []
        for text, font in self._left_texts():
            wrapped = header_lines(text, font, s, w)
            lines += [("text", t, font, s) for t in wrapped]
            body += wrapped if font == f.bold else []
        widest = max((stringWidth(t, f.bold, s) for t in body), default=40)
        lines.append(("rule", widest * 0.4))
        self.left_top = len(lines)
        if self.number:
            lines += [
                ("text", t, f.regular, s + 0.5) for t in simpleSplit(self.number, f.regular, s + 0.5, w)
            ]
        if self.summary:
            lines += [("text", t, f.regular, s) for t in simpleSplit(self.summary, f.regular, s, w)]
        return lines

    def _right_lines(self) -> list[tuple]:
        s, f = self.size, self.f
        motto_w = stringWidth(MOTTO, f.bold, s + 1)
        lines = [("text", NATIONAL_NAME, f.bold, s), ("text", MOTTO, f.bold, s + 1), ("rule", motto_w)]
        self.right_top = len(lines)
        date_lines = [self.date_line]
        if stringWidth(self.date_line, f.italic, s + 1) > self.right_w - 6 and ", " in self.date_line:
            place, rest = self.date_line.split(
                ", ", 1
            )  # "Thành phố Hồ Chí Minh," / "ngày 20 tháng 11 năm 2026"
            date_lines = [f"{place},", rest]
        return lines + [("text", t, f.italic, s + 1) for t in date_lines]

    def _heights(self, lines: Sequence[tuple]) -> list[float]:
        return [self.lead * 0.6 if ln[0] == "rule" else ln[3] * 1.22 for ln in lines]

    def _split_y(self) -> float:
        """Where "Số:" and the date line start: below the taller of the two top parts."""
        return max(
            sum(self._heights(self.left)[: self.left_top]), sum(self._heights(self.right)[: self.right_top])
        )

    def draw(self) -> None:
        self._draw_column(self.left, 0, self.left_w, self.left_top)
        self._draw_column(self.right, self.width - self.right_w, self.right_w, self.right_top)

    def _draw_column(self, lines: Sequence[tuple], x0: float, width: float, top: int) -> None:
        c, centre, y = self.canv, x0 + width / 2, self.height
        for i, (ln, h) in enumerate(zip(lines, self._heights(lines), strict=True)):
            if i == top:
                y = self.height - self._split_y() - 6
            if ln[0] == "rule":
                c.setLineWidth(RULE)
                c.line(centre - ln[1] / 2, y - h * 0.55, centre + ln[1] / 2, y - h * 0.55)
            else:
                c.setFont(ln[2], ln[3])
                c.drawCentredString(centre, y - ln[3] * 0.95, ln[1])
            y -= h


def form_number_line(styles: Styles, number: str) -> Paragraph:
    return Paragraph(esc(number), styles.form_number)


def title(styles: Styles, text: str) -> Paragraph:
    return Paragraph(esc(upper(text)), styles.title)


def field(styles: Styles, label: str, value: object, *, bold: bool = False, dots: bool = True) -> Paragraph:
    """'Label: value' on one wrapping line; an empty value prints dots to fill by hand."""
    shown = esc(value) or ("................................" if dots else "")
    return Paragraph(f"{esc(label)}: {'<b>' + shown + '</b>' if bold and esc(value) else shown}", styles.body)


def sign_cell(
    styles: Styles,
    heading: Iterable[str],
    name: str,
    note: str = "(Ký và ghi rõ họ tên)",
    space: float = 16 * mm,
) -> list:
    """Centered block: bold heading lines, italic note, space to sign, bold name."""
    cell: list = [Paragraph(esc(upper(h)), styles.centre_bold) for h in heading if nfc(h)]
    if nfc(note):
        cell.append(Paragraph(esc(note), styles.centre_italic))
    cell += [Spacer(1, space), Paragraph(esc(name), styles.centre_bold)]
    return cell


def signer_cell(styles: Styles, signer: Signer, space: float = 18 * mm) -> list:
    heading = []
    if nfc(signer.on_behalf):
        heading.append(f"TM. {signer.on_behalf}")
    auth = " ".join(p for p in (nfc(signer.authority_prefix), nfc(signer.authority_title)) if p)
    heading += [auth, signer.title]
    return sign_cell(styles, heading, signer.name, signer.note, space)


def cell_font() -> tuple:
    """A table style command setting the document's font on every cell. Without it reportlab sets its own
    default, Helvetica, before drawing each cell (a paragraph or an empty one too) and so names in the file a
    font it does not embed, which a document checker flags and a printer substitutes."""
    return ("FONTNAME", (0, 0), (-1, -1), register_fonts().regular)


def two_columns(left: list | str, right: list | str, width: float, split: float = 0.5) -> Table:
    t = Table([[left, right]], colWidths=[width * split, width * (1 - split)])
    t.setStyle(
        TableStyle(
            [
                cell_font(),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return t


# NĐ 30 on A4: "Nơi nhận:" 12 pt and its entries 11 pt, beside a 13-14 pt body.
RECIPIENTS_HEAD, RECIPIENTS_ENTRY, A4_BODY = 12.0, 11.0, 13.5


def recipients_cell(styles: Styles, entries: Sequence[str], size: float | None = None) -> list:
    """'Nơi nhận:' bold italic, entries '- …;' with the last ending in '.' (NĐ 30 Phụ lục I).

    The entries are set at `size` (default: the body size of `styles`: the A4 letter passes 11 pt styles)
    and the heading at 12/11 of it, NĐ 30's 12 and 11 pt; an A5 form passes `a5_recipients_size`."""
    f = styles.fonts
    size = styles.body.fontSize if size is None else size
    head_size = size * RECIPIENTS_HEAD / RECIPIENTS_ENTRY
    head = ParagraphStyle(
        "rcv_head",
        parent=styles.body,
        fontName=f.bold_italic,
        fontSize=head_size,
        leading=head_size * 1.2,
        alignment=TA_LEFT,
    )
    item = ParagraphStyle(
        "rcv_item",
        parent=styles.body,
        fontSize=size,
        leading=size * 1.2,
        alignment=TA_LEFT,
        spaceAfter=0,
    )
    cleaned = [nfc(e).lstrip("-– ").rstrip(";.") for e in entries if nfc(e).strip("-–;. ")]
    out = [Paragraph("Nơi nhận:", head)]
    out += [
        Paragraph(f"- {esc(e)}{'.' if i == len(cleaned) - 1 else ';'}", item) for i, e in enumerate(cleaned)
    ]
    return out


def a5_recipients_size(styles: Styles) -> float:
    """The entries' size on an A5 letter: NĐ 30's 11 pt in the proportion the A5 body bears to A4's."""
    return round(styles.body.fontSize * RECIPIENTS_ENTRY / A4_BODY, 1)


def story_height(story: Sequence[Flowable], width: float) -> float:
    """The height `story` takes in a frame `width` wide, measured as the frame adds it (a flowable's space
    before is what exceeds the previous one's space after; the last space after is not needed)."""
    total = after = 0.0
    for i, flowable in enumerate(story):
        height = flowable.wrap(width, 1e6)[1]
        before = max(flowable.getSpaceBefore() - after, 0) if i else 0
        after = flowable.getSpaceAfter()
        total += before + height + after
    return total - after


def first_page() -> list:
    """Starts a new copy (the receipt's liên) on a fresh page without the continuation line of `build_pdf`."""
    return [NextPageTemplate("page"), PageBreak()]


def build_pdf(
    story: list,
    *,
    pagesize=A5,
    margins: dict | None = None,
    title_text: str = "",
    author: str = "",
    canvasmaker=None,
    continued: str = "",
) -> bytes:
    """Lay out `story` inside the margins (no extra frame padding) and return the PDF bytes. `continued`:
    a line printed in the top margin of every page that continues the previous one ("Mã hồ sơ: …"), so a
    sheet separated from the first still says which case it belongs to; a copy started with `first_page`
    opens without it."""
    m, buf = margins or A5_MARGINS, BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=pagesize,
        **m,
        title=nfc(title_text),
        author=nfc(author),
        creator="TTHC Desk",
        subject=nfc(title_text),
        initialFontName=register_fonts().regular,  # not reportlab's Helvetica: every font the file names is embedded
    )
    frame = Frame(
        m["leftMargin"],
        m["bottomMargin"],
        frame_width(pagesize, m),
        pagesize[1] - m["topMargin"] - m["bottomMargin"],
        0,
        0,
        0,
        0,
        id="body",
    )
    if continued:
        more = PageTemplate(id="more", frames=[frame], onPage=_continuation(nfc(continued), pagesize, m))
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], autoNextPageTemplate="more"), more])
    else:
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, **({"canvasmaker": canvasmaker} if canvasmaker else {}))
    return buf.getvalue()


def _continuation(text: str, pagesize, margins: dict):
    def draw(canvas, _doc) -> None:
        canvas.saveState()
        canvas.setFont(register_fonts().italic, 9)
        canvas.drawRightString(
            pagesize[0] - margins["rightMargin"], pagesize[1] - margins["topMargin"] * 0.6, text
        )
        canvas.restoreState()

    return draw


def frame_width(pagesize=A5, margins: dict | None = None) -> float:
    m = margins or A5_MARGINS
    return pagesize[0] - m["leftMargin"] - m["rightMargin"]
