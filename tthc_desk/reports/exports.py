"""From the office's settings to the exported files: letterheads, signers, names in running text."""

from __future__ import annotations

from datetime import date

from tthc_desk.documents.words import place_date
from tthc_desk.reports.form import DEFAULT_RECEIVER
from tthc_desk.reports.period import Period, month
from tthc_desk.storage.models import Office
from tthc_desk.text import nfc


def receiver_of(office: Office) -> str:
    return nfc((office.settings or {}).get("report_receiver")) or DEFAULT_RECEIVER


def date_line(office: Office, today: date) -> str:
    return place_date(nfc(office.place_name), today)


def month_words(period: Period) -> str:
    """'tháng 10 năm 2026' for a whole month, else '' (the letter then names the dates)."""
    whole = month(period.start.year, period.start.month)
    return f"tháng {period.start.month} năm {period.start.year}" if whole == period else ""
