"""Dates and times written as on official forms (NĐ 30/2020: zero before days < 10 and months 1–2)."""

from __future__ import annotations

from datetime import date, datetime

BLANK_DATE = "ngày ..... tháng ..... năm ........"
BLANK_MOMENT = "..... giờ ..... phút, " + BLANK_DATE


def day_text(d: date) -> str:
    return f"{d.day:02d}"


def month_text(d: date) -> str:
    return f"{d.month:02d}" if d.month <= 2 else str(d.month)


def date_words(d: date | None) -> str:
    """'ngày 05 tháng 02 năm 2025', 'ngày 26 tháng 11 năm 2020'; dotted blanks for None."""
    if d is None:
        return BLANK_DATE
    return f"ngày {day_text(d)} tháng {month_text(d)} năm {d.year}"


def moment_words(moment: datetime | None) -> str:
    """'14 giờ 30 phút, ngày 03 tháng 02 năm 2025'; dotted blanks for None."""
    if moment is None:
        return BLANK_MOMENT
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, {date_words(moment)}"


def place_date(place: str, d: date | None) -> str:
    """The header's date line: 'Tây Sơn, ngày 05 tháng 02 năm 2025'."""
    return f"{place}, {date_words(d)}" if place else date_words(d).capitalize()


def short_date(value: datetime | date | None, with_time: bool = True) -> str:
    """'03/02/2025 14:30' for a datetime (time dropped when with_time is False), '03/02/2025' for a date."""
    if value is None:
        return ""
    if isinstance(value, datetime) and with_time:
        return f"{value:%d/%m/%Y %H:%M}"
    return f"{value:%d/%m/%Y}"
