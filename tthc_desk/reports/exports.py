"""From the office's settings to the exported files: letterheads, signers, names in running text."""

from __future__ import annotations

from datetime import date

from tthc_desk.documents.data import Letterhead, Signer
from tthc_desk.documents.words import place_date
from tthc_desk.reports.form import DEFAULT_RECEIVER
from tthc_desk.reports.period import Period, month
from tthc_desk.storage.models import Office
from tthc_desk.text import nfc

_ADMIN_WORDS = {"huyện", "xã", "tỉnh", "quận", "phường", "thị", "trấn", "thành", "phố"}


def issuer_letterhead(office: Office) -> Letterhead:
    """The letter is issued by the parent body (e.g. ỦY BAN NHÂN DÂN / HUYỆN TÂY SƠN), in bold, no line above."""
    body = nfc(office.parent_body) or nfc(office.issuing_body) or nfc(office.name)
    return Letterhead(parent_lines=(), issuing_body=body, place=nfc(office.place_name), office_code=office.code)


def running_name(office: Office) -> str:
    """'ỦY BAN NHÂN DÂN\\nHUYỆN TÂY SƠN' -> 'Ủy ban nhân dân huyện Tây Sơn'."""
    custom = (office.settings or {}).get("issuer_text")
    if custom:
        return nfc(custom)
    lines = [ln.strip() for ln in nfc(office.parent_body).splitlines() if ln.strip()]
    if not lines:
        return nfc(office.name)
    words = " ".join(lines[1:]).lower().split()
    i = 0
    while i < len(words) and words[i] in _ADMIN_WORDS:
        i += 1
    return " ".join([lines[0].lower().capitalize(), *words[:i], *(w.capitalize() for w in words[i:])])


def signer_of(office: Office, index: int = 0) -> Signer:
    signers = list(office.signers or [])
    if not signers:
        return Signer(title="CHỦ TỊCH", authority_prefix="", name="")
    sg = signers[min(max(index, 0), len(signers) - 1)]
    return Signer(name=sg.get("name", ""), title=sg.get("title", ""), authority_prefix=sg.get("prefix", ""),
                  authority_title=sg.get("authority", ""))


def receiver_of(office: Office) -> str:
    return nfc((office.settings or {}).get("report_receiver")) or DEFAULT_RECEIVER


def date_line(office: Office, today: date) -> str:
    return place_date(nfc(office.place_name), today)


def month_words(period: Period) -> str:
    """'tháng 10 năm 2026' for a whole month, else '' (the letter then names the dates)."""
    whole = month(period.start.year, period.start.month)
    return f"tháng {period.start.month} năm {period.start.year}" if whole == period else ""
