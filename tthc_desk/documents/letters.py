"""Letters to the applicant on A5, from the processing agency: Mẫu 04, the apology with the new appointment
(NĐ 61/2018 Đ.19 k9), and the 2025 form set's notice that a case is stopped."""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Paragraph, Spacer

from tthc_desk.documents.data import ApologyDoc, CaseDoc, Letterhead, Signer, StopNoticeDoc
from tthc_desk.documents.forms import document_head
from tthc_desk.documents.layout import (
    Styles,
    a5_recipients_size,
    build_pdf,
    esc,
    frame_width,
    make_styles,
    recipients_cell,
    signer_cell,
    two_columns,
)
from tthc_desk.documents.profiles import FormProfile, get_profile
from tthc_desk.documents.words import addressee, date_words, moment_words, reason_words, you
from tthc_desk.text import nfc


def _addressee(doc: ApologyDoc) -> str:
    return nfc(doc.addressee) or addressee(doc.case.applicant_name)


def _procedure(case: CaseDoc) -> str:
    """'thủ tục <name> (mã <code>)' in running text; a name that already begins with 'Thủ tục' is not doubled."""
    name = nfc(case.procedure_name).strip()
    if name[:8].casefold() == "thủ tục ":
        name = name[8:]
    code = nfc(case.procedure_code)
    return f"thủ tục {esc(name)}" + (f" (mã {esc(code)})" if code else "")


def apology_paragraphs(doc: ApologyDoc) -> list[str]:
    """The letter's body as markup, one string per paragraph."""
    case, agency = doc.case, esc(doc.agency_name)
    procedure, you_ = _procedure(case), you(case.applicant_name)
    # Until the due moment has passed the deadline is only going to be missed: an apology recorded at 16:00
    # on a case due 17:00 the same day "will not" return on time (the moment, not the day, decides).
    if doc.issued_at is not None:
        not_yet = doc.issued_at <= doc.old_due
    else:
        not_yet = doc.issued_on is not None and doc.issued_on < doc.old_due.date()
    late = (
        f"dự kiến không trả được kết quả giải quyết hồ sơ của {you_} đúng thời hạn"
        if not_yet
        else f"chưa trả kết quả giải quyết hồ sơ của {you_} đúng thời hạn"
    )
    return [
        f"{date_words(case.received_at).capitalize()}, {agency} tiếp nhận hồ sơ của "
        f"{esc(_addressee(doc))}, mã hồ sơ <b>{esc(case.code)}</b>, đề nghị giải quyết {procedure}.",
        "Thời hạn trả kết quả giải quyết hồ sơ ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả là "
        f"{moment_words(doc.old_due)}.",
        f"Tuy nhiên, {agency} {late}, lý do: {esc(reason_words(doc.reason))}",
        f"{agency} xin lỗi {you_} và sẽ trả kết quả giải quyết hồ sơ cho {you_} vào "
        f"<b>{moment_words(doc.new_due)}</b>.",
        f"Xin thông báo để {you_} biết và mong nhận được sự thông cảm của {you_}./.",
    ]


def _letter(
    profile: FormProfile,
    key: str,
    letterhead: Letterhead,
    case: CaseDoc,
    *,
    addressee: str,
    paragraphs: list[str],
    recipients: tuple[str, ...],
    signer: Signer,
    number: str,
    issued_on: date | None,
    author: str,
    summary: str = "",
) -> bytes:
    """The shared shape: head and title, Kính gửi, the body, then Nơi nhận beside the signer's block."""
    st: Styles = make_styles()
    story = document_head(st, letterhead, profile, key, number=number, issued_on=issued_on, summary=summary)
    story.append(Paragraph(f"Kính gửi: {esc(addressee)}", st.centre))
    story.append(Spacer(1, 4))
    story += [Paragraph(text, st.letter) for text in paragraphs]
    story += [
        Spacer(1, 6),
        two_columns(
            recipients_cell(st, recipients, size=a5_recipients_size(st)),
            signer_cell(st, signer),
            frame_width(),
            split=0.45,
        ),
    ]
    return build_pdf(story, title_text=f"{profile.title(key)} {nfc(case.code)}", author=nfc(author))


def render_apology(doc: ApologyDoc, letterhead: Letterhead, profile: FormProfile | None = None) -> bytes:
    """Mẫu 04 on A5: Kính gửi, reason, old and new dates, Nơi nhận and the signer's block."""
    return _letter(
        profile or get_profile(), "apology", letterhead, doc.case, addressee=_addressee(doc),
        paragraphs=apology_paragraphs(doc), recipients=doc.recipients, signer=doc.signer,
        number=doc.doc_number, issued_on=doc.issued_on, author=doc.agency_name, summary=doc.summary,
    )


def stop_notice_paragraphs(doc: StopNoticeDoc) -> list[str]:
    """The notice's body as markup, one string per paragraph."""
    case, agency, you_ = doc.case, esc(doc.agency_name), you(doc.case.applicant_name)
    # the receipt's appointment, and the apology's new one where the case was extended (both kept)
    again = (
        f" (đã hẹn lại {moment_words(case.new_due_at)} theo Phiếu xin lỗi và hẹn lại"
        + (f" {date_words(case.apology_on)}" if case.apology_on else "")
        + ")"
        if case.new_due_at is not None
        else ""
    )
    return [
        f"{date_words(case.received_at).capitalize()}, {esc(doc.desk_name)} tiếp nhận hồ sơ của "
        f"{esc(addressee(case.applicant_name))}, mã hồ sơ <b>{esc(case.code)}</b>, đề nghị giải quyết "
        f"{_procedure(case)}; thời hạn trả kết quả ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả là "
        f"{moment_words(case.due_at)}{again}.",
        f"{agency} thông báo <b>dừng giải quyết hồ sơ</b> nêu trên kể từ {date_words(doc.stopped_on)}, "
        f"lý do: {esc(reason_words(doc.reason))}",
        f"Đề nghị {you_} liên hệ {esc(doc.desk_name)} để được hướng dẫn và nhận lại hồ sơ (nếu có).",
        f"Xin thông báo để {you_} được biết./.",
    ]


def render_stop_notice(doc: StopNoticeDoc, letterhead: Letterhead, profile: FormProfile | None = None) -> bytes:
    """Thông báo dừng giải quyết hồ sơ on A5 (2025 form set): the case, the day it stopped and why, where to
    take the papers back; Nơi nhận and the signer's block as in Mẫu 04."""
    return _letter(
        profile or get_profile(), "stop_notice", letterhead, doc.case,
        addressee=addressee(doc.case.applicant_name), paragraphs=stop_notice_paragraphs(doc),
        recipients=doc.recipients, signer=doc.signer, number=doc.doc_number, issued_on=doc.issued_on,
        author=doc.agency_name,
    )
