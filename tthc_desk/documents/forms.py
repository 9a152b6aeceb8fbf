"""Mẫu 01–03 on A5: receipt with QR, supplement request, refusal (TT 01/2018/TT-VPCP Phụ lục)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from tthc_desk.documents.data import CaseDoc, Letterhead, PaperLine, RefusalDoc, SupplementDoc
from tthc_desk.documents.fonts import register_fonts
from tthc_desk.documents.layout import (
    A5_MARGINS,
    NationalHeader,
    Styles,
    build_pdf,
    cell_font,
    esc,
    field,
    first_page,
    form_number_line,
    frame_width,
    make_styles,
    sign_cell,
    story_height,
    title,
    two_columns,
)
from tthc_desk.documents.profiles import FormProfile, get_profile
from tthc_desk.documents.words import date_words, moment_words, reason_words
from tthc_desk.text import nfc

DEFAULT_DESK = "Bộ phận tiếp nhận và trả kết quả"
COPY_LABELS = ("Liên 1: Giao cho người nộp hồ sơ", "Liên 2: Lưu tại Bộ phận tiếp nhận và trả kết quả")
RECEIPT_NOTE = (
    "Ghi chú: Ông/Bà mang theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả này khi đến nhận kết quả; "
    "có thể tra cứu tình trạng hồ sơ bằng mã hồ sơ hoặc mã QR."
)
GRID = [
    ("GRID", (0, 0), (-1, -1), 0.5, "black"),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]
# The A5 frame's height, less a point for reportlab's rounding.
A5_ROOM = A5[1] - A5_MARGINS["topMargin"] - A5_MARGINS["bottomMargin"] - 1


@dataclass(frozen=True)
class _Fit:
    """How tightly a copy of the receipt is set: body size and line spacing, the papers table's font and
    padding, the room to sign, and the small gaps."""

    size: float = 10.5
    leading: float = 1.2
    cell: float = 9.5
    pad: tuple[float, float] = (2, 3)
    sign: float = 12 * mm
    gap: float = 4
    title_before: float = 6
    qr: float = 20 * mm  # beside the first lines; it sets their height once they are set small
    compact: bool = False  # the ID number on the phone's line


# Tried in order until a copy holds on its one A5 sheet: first the papers table a step smaller, then the
# spacing, then the text itself, never below 9 pt (A4's 13 pt scaled to A5 is 9.1) nor a QR code under
# 16 mm (still read by a phone at arm's length).
RECEIPT_FITS = (
    _Fit(),
    _Fit(cell=8.5),
    _Fit(cell=8.5, leading=1.12, pad=(1, 2), sign=9 * mm, gap=2, title_before=2),
    _Fit(size=10, cell=8.5, leading=1.1, pad=(1, 1.5), sign=8 * mm, gap=1.5, title_before=1),
    _Fit(size=9.5, cell=8, leading=1.08, pad=(0.5, 1.5), sign=8 * mm, gap=1, title_before=0),
    _Fit(
        size=9,
        cell=7.5,
        leading=1.05,
        pad=(0.5, 1.2),
        sign=7 * mm,
        gap=1,
        title_before=0,
        qr=16 * mm,
        compact=True,
    ),
)


def desk_name(letterhead: Letterhead) -> str:
    return nfc(letterhead.desk_name) or DEFAULT_DESK


def document_head(
    st: Styles,
    letterhead: Letterhead,
    profile: FormProfile,
    key: str,
    *,
    number: str | None,
    issued_on: date | None,
    summary: str = "",
    title_space: float | None = None,
) -> list:
    """Form number (if the profile shows it), national header and the form's title (`title_space` above it
    instead of the style's); `number` None for a form that carries none (Mẫu 01, 05: no "Số:" line)."""
    head: list = [form_number_line(st, profile.number(key))] if profile.show_form_number else []
    head.append(NationalHeader(letterhead, st.fonts, number=number, issued_on=issued_on, summary=summary))
    if title_space is not None:
        st = replace(st, title=ParagraphStyle("title_fit", parent=st.title, spaceBefore=title_space))
    return head + [title(st, profile.title(key))]


def due_lines(st: Styles, case: CaseDoc, label: str, *, bold: bool = False) -> list:
    """The appointment of the receipt and, for an extended case, the apology's new one under it (DOMAIN §4:
    both dates kept; the receipt's promise is not rewritten)."""
    out = [field(st, label, moment_words(case.due_at), bold=bold)]
    if case.new_due_at is not None:
        letter = "Phiếu xin lỗi và hẹn lại" + (f" {date_words(case.apology_on)}" if case.apology_on else "")
        out.append(Paragraph(f"Hẹn lại: <b>{moment_words(case.new_due_at)}</b> ({esc(letter)})", st.body))
    return out


def identity_block(
    st: Styles, case: CaseDoc, letterhead: Letterhead, *, with_code: bool = True, compact: bool = False
) -> list:
    """Who filed what: the block shared by Mẫu 01–03; `compact` puts the ID number on the phone's line."""
    contact = f"Số điện thoại: {esc(case.applicant_phone) or '..........'}"
    if nfc(case.applicant_email):
        contact += f"&nbsp;&nbsp;&nbsp; Email: {esc(case.applicant_email)}"
    ident = field(st, "Số định danh cá nhân/CCCD", case.applicant_id)
    if compact:
        contact = (
            f"Số định danh cá nhân/CCCD: {esc(case.applicant_id) or '..........'}&nbsp;&nbsp;&nbsp; {contact}"
        )
    procedure = esc(case.procedure_name) + (
        f" (mã {esc(case.procedure_code)})" if nfc(case.procedure_code) else ""
    )
    out = [field(st, "Mã hồ sơ", case.code, bold=True)] if with_code else []
    return out + [
        field(st, "Nơi tiếp nhận", desk_name(letterhead)),
        field(st, "Tiếp nhận hồ sơ của", case.applicant_name, bold=True),
        *([] if compact else [ident]),
        field(st, "Địa chỉ", case.applicant_address),
        Paragraph(contact, st.body),
        Paragraph(f"Nội dung yêu cầu giải quyết: <b>{procedure}</b>", st.body),
    ]


def qr_drawing(value: str, size: float = 20 * mm) -> Drawing:
    """A QR code of `value` scaled to `size` points square (quiet zone included)."""
    widget = QrCodeWidget(nfc(value), barLevel="M", barBorder=2)
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.initialFontName = register_fonts().regular  # not the renderer's Helvetica (see `layout.cell_font`)
    drawing.add(widget)
    return drawing


def papers_table(
    st: Styles, papers: tuple[PaperLine, ...], width: float, pad: tuple[float, float] = (2, 3)
) -> Table:
    head = ["TT", "Tên giấy tờ", "Bản chính", "Bản sao chứng thực", "Bản photo"]
    rows: list[list] = [[Paragraph(h, st.cell_head) for h in head]]
    for i, p in enumerate(papers, 1):
        counts = [
            Paragraph(str(n) if n else "", st.cell_centre)
            for n in (p.originals, p.certified_copies, p.photocopies)
        ]
        rows.append([Paragraph(str(i), st.cell_centre), Paragraph(esc(p.name), st.cell), *counts])
    if not papers:
        rows.append(["", Paragraph("(Không có giấy tờ)", st.cell), "", "", ""])
    widths = [0.07, 0.51, 0.13, 0.16, 0.13]
    table = Table(rows, colWidths=[width * w for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [cell_font(), *GRID, ("TOPPADDING", (0, 0), (-1, -1), pad[0]),
             ("BOTTOMPADDING", (0, 0), (-1, -1), pad[1])]
        )
    )
    return table


def _receipt_copy(
    st: Styles,
    case: CaseDoc,
    lh: Letterhead,
    profile: FormProfile,
    number: str,
    copy_label: str,
    fit: _Fit,
    qr_codes: dict[float, Drawing],
) -> tuple[list, list]:
    """One copy of Mẫu 01 as (content, closing): the closing (items 2–6, signatures, note) is kept together
    so the signatures never stand alone on a sheet. `qr_codes`: the QR drawings by size, made once per
    receipt (each costs ~40 ms)."""
    width = frame_width()
    story = document_head(
        st,
        lh,
        profile,
        "receipt",
        number=number,
        issued_on=case.received_at.date(),
        title_space=fit.title_before,
    )
    code_lines = [Paragraph(f"Mã hồ sơ: <b>{esc(case.code)}</b>", st.body)]
    if copy_label:
        code_lines.append(Paragraph(f"<i>({esc(copy_label)})</i>", st.body))
    book = f"Quyển số: {esc(case.register_book) or '.....'}&nbsp;&nbsp; Số thứ tự: {esc(case.register_number) or '.....'}"
    code_lines.append(Paragraph(f"Vào Sổ theo dõi hồ sơ, {book}", st.body))
    identity = identity_block(st, case, lh, with_code=False, compact=fit.compact)
    # The QR sits beside the first lines so it costs no height of its own on the half sheet.
    beside = code_lines + identity[:2]
    if fit.qr not in qr_codes:
        qr_codes[fit.qr] = qr_drawing(case.code, fit.qr)
    qr = two_columns(beside, [qr_codes[fit.qr]], width, split=1 - (fit.qr + mm) / width)
    story += [Spacer(1, fit.gap / 2), qr]
    story += identity[2:]
    story += [
        Paragraph("1. Thành phần hồ sơ nộp gồm:", st.body),
        papers_table(st, case.papers, width, fit.pad),
        Spacer(1, fit.gap / 2),
    ]
    closing = [
        field(st, "2. Số lượng hồ sơ", f"{case.sets:02d} (bộ)"),
        field(st, "3. Thời gian giải quyết hồ sơ theo quy định", case.time_allowed),
        field(st, "4. Thời gian nhận hồ sơ", moment_words(case.received_at)),
        *due_lines(st, case, "5. Thời gian trả kết quả giải quyết hồ sơ", bold=True),
        field(st, "6. Đăng ký nhận kết quả tại", case.return_channel),
        Spacer(1, fit.gap),
        two_columns(
            sign_cell(st, ["Người nộp hồ sơ"], case.applicant_name, space=fit.sign),
            sign_cell(st, ["Người tiếp nhận hồ sơ"], case.receiving_officer, space=fit.sign),
            width,
        ),
        Spacer(1, fit.gap),
        Paragraph(f"<i>{esc(RECEIPT_NOTE)}</i>", st.small),
    ]
    return story, closing


def _fitted_copy(
    case: CaseDoc, lh: Letterhead, profile: FormProfile, number: str, copy_label: str, qr_codes: dict
) -> list:
    """The loosest setting of `RECEIPT_FITS` whose copy holds on one A5 sheet; past the tightest, the copy
    runs on (the closing kept together, each further sheet headed by the case code: `build_pdf`)."""
    width = frame_width()
    for fit in RECEIPT_FITS:
        st = make_styles(size=fit.size, leading=fit.leading, cell_size=fit.cell)
        content, closing = _receipt_copy(st, case, lh, profile, number, copy_label, fit, qr_codes)
        if story_height(content + closing, width) <= A5_ROOM:
            return content + closing
    # Running on anyway: set as it reads best.
    first = RECEIPT_FITS[0]
    content, closing = _receipt_copy(make_styles(), case, lh, profile, number, copy_label, first, qr_codes)
    return content + [KeepTogether(closing)]


def render_receipt(
    case: CaseDoc,
    letterhead: Letterhead,
    profile: FormProfile | None = None,
    *,
    copies: int = 1,
    doc_number: str = "",
) -> bytes:
    """Mẫu 01 on A5 with a QR code of the case code; `copies=2` prints the two liên on separate pages.
    Each copy is set to hold on one sheet (`_fitted_copy`)."""
    profile = profile or get_profile()
    labels = COPY_LABELS[:copies] if copies > 1 else ("",)
    story: list = []
    qr_codes: dict[float, Drawing] = {}
    for i, label in enumerate(labels):
        story += (first_page() if i else []) + _fitted_copy(
            case, letterhead, profile, doc_number, label, qr_codes
        )
    return build_pdf(
        story,
        title_text=f"{profile.title('receipt')} {nfc(case.code)}",
        author=desk_name(letterhead),
        continued=f"Mã hồ sơ: {nfc(case.code)} (tiếp theo)",
    )


def render_supplement(
    doc: SupplementDoc, letterhead: Letterhead, profile: FormProfile | None = None
) -> bytes:
    """Mẫu 02 on A5: what to add or fix, the reason, whom to ask; signed by the guiding officer."""
    profile, st, width = profile or get_profile(), make_styles(), frame_width()
    story = document_head(
        st, letterhead, profile, "supplement", number=doc.doc_number, issued_on=doc.issued_on
    )
    story += identity_block(st, doc.case, letterhead)
    # With nothing listed the reason says what is missing: it is printed once, as "Lý do".
    items = [item for item in doc.items if nfc(item)]
    story.append(
        Paragraph(
            f"Sau khi kiểm tra thành phần hồ sơ, {esc(desk_name(letterhead))} đề nghị Ông/Bà "
            "bổ sung, hoàn thiện hồ sơ" + (" gồm những nội dung sau:" if items else "."),
            st.body,
        )
    )
    story += [Paragraph(f"{i}. {esc(item)}", _hanging(st)) for i, item in enumerate(items, 1)]
    story.append(field(st, "Lý do", doc.reason))
    contact = esc(doc.contact_person) or "................"
    phone = esc(doc.contact_phone) or "................"
    story.append(
        Paragraph(
            f"Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với {contact}, "
            f"số điện thoại {phone} để được hướng dẫn./.",
            st.body,
        )
    )
    story += [Spacer(1, 6), two_columns("", sign_cell(st, ["Người hướng dẫn"], doc.guide_name), width)]
    return build_pdf(
        story, title_text=f"{profile.title('supplement')} {nfc(doc.case.code)}", author=desk_name(letterhead)
    )


def render_refusal(doc: RefusalDoc, letterhead: Letterhead, profile: FormProfile | None = None) -> bytes:
    """Mẫu 03 on A5: the refusal and its reason; signed by the receiving officer."""
    profile, st, width = profile or get_profile(), make_styles(), frame_width()
    story = document_head(st, letterhead, profile, "refusal", number=doc.doc_number, issued_on=doc.issued_on)
    story += identity_block(st, doc.case, letterhead)
    story += [
        Paragraph(
            f"Qua xem xét, {esc(desk_name(letterhead))} thông báo không tiếp nhận, giải quyết hồ sơ này "
            f"với lý do cụ thể như sau: {esc(reason_words(doc.reason))}",
            st.body,
        ),
        Paragraph("Xin thông báo để Ông/Bà được biết và thực hiện./.", st.body),
        Spacer(1, 6),
        two_columns(
            "",
            sign_cell(st, ["Người tiếp nhận hồ sơ"], doc.officer_name or doc.case.receiving_officer),
            width,
        ),
    ]
    return build_pdf(
        story, title_text=f"{profile.title('refusal')} {nfc(doc.case.code)}", author=desk_name(letterhead)
    )


def _hanging(st: Styles) -> ParagraphStyle:
    return ParagraphStyle("hanging", parent=st.body, leftIndent=6 * mm, firstLineIndent=-4 * mm)
