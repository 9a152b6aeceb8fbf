"""Mẫu 04 on A5: the letter of apology with the new appointment (NĐ 61/2018 Đ.19 k9)."""

from __future__ import annotations

from reportlab.platypus import Paragraph, Spacer

from tthc_desk.documents.data import ApologyDoc, Letterhead
from tthc_desk.documents.forms import document_head
from tthc_desk.documents.layout import (
    build_pdf,
    esc,
    frame_width,
    make_styles,
    recipients_cell,
    signer_cell,
    two_columns,
)
from tthc_desk.documents.profiles import FormProfile, get_profile
from tthc_desk.documents.words import date_words, moment_words
from tthc_desk.text import nfc


def _addressee(doc: ApologyDoc) -> str:
    return nfc(doc.addressee) or f"Ông/Bà {nfc(doc.case.applicant_name)}"


def apology_paragraphs(doc: ApologyDoc) -> list[str]:
    """The letter's body as markup, one string per paragraph."""
    case, agency = doc.case, esc(doc.agency_name)
    procedure = esc(case.procedure_name) + (
        f" (mã {esc(case.procedure_code)})" if nfc(case.procedure_code) else ""
    )
    not_yet = doc.issued_on is not None and doc.issued_on < doc.old_due.date()
    late = (
        "dự kiến không trả được kết quả giải quyết hồ sơ của Ông/Bà đúng thời hạn"
        if not_yet
        else "chưa trả kết quả giải quyết hồ sơ của Ông/Bà đúng thời hạn"
    )
    return [
        f"{date_words(case.received_at).capitalize()}, {agency} tiếp nhận hồ sơ của "
        f"{esc(_addressee(doc))}, mã hồ sơ <b>{esc(case.code)}</b>, đề nghị giải quyết thủ tục {procedure}.",
        "Thời hạn trả kết quả giải quyết hồ sơ ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả là "
        f"{moment_words(doc.old_due)}.",
        f"Tuy nhiên, {agency} {late}, lý do: {esc(doc.reason).rstrip('.')}.",
        f"{agency} xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào "
        f"<b>{moment_words(doc.new_due)}</b>.",
        "Xin thông báo để Ông/Bà biết và mong nhận được sự thông cảm của Ông/Bà./.",
    ]


def render_apology(doc: ApologyDoc, letterhead: Letterhead, profile: FormProfile | None = None) -> bytes:
    """Mẫu 04 on A5: Kính gửi, reason, old and new dates, Nơi nhận and the signer's block."""
    profile, st, width = profile or get_profile(), make_styles(), frame_width()
    story = document_head(
        st,
        letterhead,
        profile,
        "apology",
        number=doc.doc_number,
        issued_on=doc.issued_on,
        summary=doc.summary,
    )
    story.append(Paragraph(f"Kính gửi: {esc(_addressee(doc))}", st.centre))
    story.append(Spacer(1, 4))
    story += [Paragraph(text, st.letter) for text in apology_paragraphs(doc)]
    story += [
        Spacer(1, 6),
        two_columns(recipients_cell(st, doc.recipients), signer_cell(st, doc.signer), width, split=0.45),
    ]
    return build_pdf(
        story, title_text=f"{profile.title('apology')} {nfc(doc.case.code)}", author=nfc(doc.agency_name)
    )
