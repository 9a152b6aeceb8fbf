"""Mẫu 05 on A5: the control sheet, one table block per hand-off with its timeliness."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from tthc_desk.documents.data import CaseDoc, HandOff, Letterhead
from tthc_desk.documents.forms import GRID, desk_name, document_head, due_lines
from tthc_desk.documents.layout import (
    Styles,
    build_pdf,
    cell_font,
    esc,
    field,
    frame_width,
    make_styles,
    two_columns,
)
from tthc_desk.documents.profiles import FormProfile, get_profile
from tthc_desk.documents.words import moment_words
from tthc_desk.domain import Timeliness
from tthc_desk.text import nfc


def _result_word(result: Timeliness | str) -> str:
    if isinstance(result, Timeliness):
        return result.label
    word = nfc(result)
    return word[:1].upper() + word[1:]


def _handoff_row(st: Styles, i: int, h: HandOff) -> list:
    units = [
        Paragraph(f"{2 * i - 1}. Giao: <b>{esc(h.giver_unit)}</b>", st.cell),
        Paragraph(f"{2 * i}. Nhận: <b>{esc(h.receiver_unit)}</b>", st.cell),
    ]
    when = [
        Paragraph(moment_words(h.at), st.cell),
        Paragraph(f"Người giao: {esc(h.giver_person) or '..........'}", st.cell),
        Paragraph(f"Người nhận: {esc(h.receiver_person) or '..........'}", st.cell),
    ]
    if h.step_due is not None:
        when.append(Paragraph(f"<i>Hạn bước: {moment_words(h.step_due)}</i>", st.cell))
    return [
        units,
        when,
        Paragraph(esc(_result_word(h.result)), st.cell_centre),
        Paragraph(esc(h.note), st.cell),
    ]


def render_control_sheet(
    case: CaseDoc,
    handoffs: Sequence[HandOff],
    letterhead: Letterhead,
    profile: FormProfile | None = None,
    *,
    doc_number: str = "",
) -> bytes:
    """Mẫu 05 on A5: case, times, units, and one table block per hand-off with its timeliness. The sheet
    carries no number (`doc_number` is printed only when given); a second sheet is headed by the case code."""
    profile, st, width = profile or get_profile(), make_styles(), frame_width()
    story = document_head(
        st,
        letterhead,
        profile,
        "control_sheet",
        number=nfc(doc_number) or None,
        issued_on=case.received_at.date(),
    )
    story += [
        Paragraph(
            f"<i>(Kèm theo hồ sơ của: <b>{esc(case.applicant_name)}</b>; mã hồ sơ: <b>{esc(case.code)}</b>)</i>",
            st.centre,
        ),
        Spacer(1, 3),
        field(
            st,
            "Thủ tục",
            case.procedure_name + (f" (mã {nfc(case.procedure_code)})" if case.procedure_code else ""),
        ),
        field(st, "Thời gian nhận hồ sơ", moment_words(case.received_at)),
        *due_lines(st, case, "Thời gian trả kết quả"),
        field(st, "Cơ quan (bộ phận) giải quyết hồ sơ", case.lead_unit),
        field(st, "Cơ quan phối hợp giải quyết hồ sơ", "; ".join(nfc(u) for u in case.co_units if nfc(u))),
        Spacer(1, 3),
    ]
    head = [
        "TÊN CƠ QUAN",
        "THỜI GIAN GIAO, NHẬN HỒ SƠ",
        "KẾT QUẢ GIẢI QUYẾT HỒ SƠ<br/>(Trước hạn/ đúng hạn/ quá hạn)",
        "GHI CHÚ",
    ]
    rows = [[Paragraph(h, st.cell_head) for h in head]]
    rows += [_handoff_row(st, i, h) for i, h in enumerate(handoffs, 1)]
    table = Table(rows, colWidths=[width * w for w in (0.31, 0.37, 0.18, 0.14)], repeatRows=1)
    table.setStyle(TableStyle([cell_font(), *GRID, ("VALIGN", (0, 1), (-1, -1), "TOP")]))
    story += [table, Spacer(1, 4 * mm)]
    story.append(
        two_columns("", Paragraph(f"<i>Người lập phiếu: {esc(case.receiving_officer)}</i>", st.centre), width)
    )
    return build_pdf(
        story,
        title_text=f"{profile.title('control_sheet')} {nfc(case.code)}",
        author=desk_name(letterhead),
        continued=f"Mã hồ sơ: {nfc(case.code)} (tiếp theo)",
    )
