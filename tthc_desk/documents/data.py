"""Plain inputs for the official forms (no database, no Qt): what each printed document shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tthc_desk.domain import Timeliness


@dataclass(frozen=True, kw_only=True)
class Letterhead:
    """The left header column and the place used in the date line (NĐ 30/2020 Phụ lục I)."""

    parent_lines: tuple[str, ...] = ()  # e.g. ("ỦY BAN NHÂN DÂN", "HUYỆN TÂY SƠN")
    issuing_body: str = ""  # e.g. "BỘ PHẬN MỘT CỬA"; "\n" forces a line break
    place: str = ""  # e.g. "Tây Sơn" -> "Tây Sơn, ngày 05 tháng 02 năm 2025"
    office_code: str = ""  # identifier code, e.g. "000.00.17.H10"
    desk_name: str = ""  # the desk in running text; defaults to the issuing body


@dataclass(frozen=True, kw_only=True)
class Signer:
    """Signature block: "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / (space) / name."""

    name: str = ""
    title: str = ""  # e.g. "PHÓ CHỦ TỊCH"
    authority_prefix: str = ""  # "KT.", "TM.", "TL.", "Q.", or ""
    authority_title: str = ""  # e.g. "CHỦ TỊCH" (after the prefix)
    on_behalf: str = ""  # a leading "TM. <on_behalf>" line, e.g. "ỦY BAN NHÂN DÂN"
    note: str = ""  # e.g. "(Ký tên, đóng dấu)"


@dataclass(frozen=True, kw_only=True)
class PaperLine:
    """One paper in the case (thành phần hồ sơ) with the number of each kind of copy."""

    name: str
    originals: int = 0
    certified_copies: int = 0
    photocopies: int = 0


@dataclass(frozen=True, kw_only=True)
class CaseDoc:
    """What the forms print about a case."""

    code: str
    applicant_name: str
    procedure_name: str
    received_at: datetime
    due_at: datetime | None = None  # the appointment made at intake (Mẫu 01 item 5), kept after an extension
    procedure_code: str = ""
    applicant_address: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_id: str = ""  # CCCD / citizen ID, kept as text
    time_allowed: str = ""  # e.g. "3 ngày làm việc" (domain.describe_duration)
    return_channel: str = ""  # e.g. "Bộ phận Một cửa", "Dịch vụ bưu chính công ích"
    papers: tuple[PaperLine, ...] = ()
    sets: int = 1
    register_book: str = ""  # Quyển số
    register_number: str = ""  # Số thứ tự
    receiving_officer: str = ""
    lead_unit: str = ""
    co_units: tuple[str, ...] = ()
    # the appointment reset by an apology (Mẫu 04) and the day that letter was issued; None: never extended
    new_due_at: datetime | None = None
    apology_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class HandOff:
    """One hand-off on the control sheet (Mẫu 05): giver, receiver, time and the step's result."""

    giver_unit: str
    receiver_unit: str
    at: datetime
    giver_person: str = ""
    receiver_person: str = ""
    step_due: datetime | None = None
    result: Timeliness | str = ""  # Timeliness or its word ("Trước hạn", "Đúng hạn", "Quá hạn")
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class RegisterRow:
    """One line of the case register (Mẫu 06); `number` None means numbered by position."""

    code: str
    procedure_name: str
    applicant_name: str
    received_at: datetime | date
    number: int | None = None
    sets: int = 1
    applicant_address: str = ""
    applicant_phone: str = ""
    lead_unit: str = ""
    due_at: datetime | date | None = None
    transferred_at: datetime | date | None = None
    result_received_at: datetime | date | None = None
    returned_at: datetime | date | None = None
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class SupplementDoc:
    """Mẫu 02: what the applicant must add or fix, why, and whom to ask."""

    case: CaseDoc
    items: tuple[str, ...]
    reason: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    guide_name: str = ""  # NGƯỜI HƯỚNG DẪN
    issued_on: date | None = None  # None: the date line is left for hand filling
    doc_number: str = ""


@dataclass(frozen=True, kw_only=True)
class RefusalDoc:
    """Mẫu 03: refusal to accept a case, with the reason."""

    case: CaseDoc
    reason: str  # "": left for hand filling (a refusal the portal's file brought carries no reason)
    officer_name: str = ""
    issued_on: date | None = None
    doc_number: str = ""


@dataclass(frozen=True, kw_only=True)
class ApologyDoc:
    """Mẫu 04: letter of apology with the new appointment (NĐ 61/2018 Đ.19 k9)."""

    case: CaseDoc
    reason: str
    old_due: datetime
    new_due: datetime
    agency_name: str  # in running text, e.g. "Ủy ban nhân dân huyện Tây Sơn"
    signer: Signer
    addressee: str = ""  # Kính gửi; defaults to "Ông/Bà <applicant>" (an organisation: its name)
    recipients: tuple[str, ...] = ("Như trên", "Lưu: VT")
    issued_on: date | None = None
    issued_at: datetime | None = (
        None  # the moment the apology was recorded: before the due moment it "will" miss it
    )
    doc_number: str = ""
    summary: str = ""  # trích yếu under "Số:", e.g. "V/v xin lỗi và hẹn lại ngày trả kết quả"


@dataclass(frozen=True, kw_only=True)
class StopNoticeDoc:
    """The 2025 form set's notice that a case will not be processed further (Thông báo dừng giải quyết hồ
    sơ): to the applicant, from the processing agency, with the day it stopped and why."""

    case: CaseDoc
    reason: str  # "": left for hand filling (a stop the portal's file brought carries no reason)
    stopped_on: date | None  # None: the day is left for hand filling (a portal file that gave none)
    agency_name: str  # in running text, e.g. "Ủy ban nhân dân huyện Tây Sơn"
    desk_name: str  # where the applicant takes the papers back, e.g. "Bộ phận Một cửa huyện Tây Sơn"
    signer: Signer
    recipients: tuple[str, ...] = ("Như trên", "Lưu: VT")
    issued_on: date | None = None
    doc_number: str = ""
