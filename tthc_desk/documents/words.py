"""Dates and times written as on official forms (NĐ 30/2020: zero before days < 10 and months 1–2)."""

from __future__ import annotations

from datetime import date, datetime

from tthc_desk.text import fold, nfc

BLANK_DATE = "ngày ..... tháng ..... năm ........"
BLANK_MOMENT = "..... giờ ..... phút, " + BLANK_DATE
# a reason the records do not hold (a refusal or stop the portal's file brought: its lists carry no reason),
# left for hand filling: two rows of dots the width of an A5 line, in pieces the line can break between
BLANK_REASON = " ".join(["................"] * 8)


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


def reason_words(reason: str) -> str:
    """A letter's reason as running text ending with its full stop: 'hồ sơ không đủ điều kiện.', or dotted
    rows for hand filling when none was recorded (not the bare 'lý do: .')."""
    text = nfc(reason).strip().rstrip(".").strip()
    return f"{text}." if text else BLANK_REASON


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


# How an organisation's name begins, without diacritics (matched on the folded name, so "CÔNG TY", "Cong ty"
# and "Uỷ ban" count alike). Such an applicant is addressed by its name, a person as "Ông/Bà <name>".
ORGANISATION_STARTS = (
    "cong ty",
    "tong cong ty",
    "cty",
    "doanh nghiep",
    "dntn",
    "hop tac xa",
    "htx",
    "ho kinh doanh",
    "chi nhanh",
    "van phong",
    "uy ban",
    "ubnd",
    "to chuc",
    "ngan hang",
    "hoi",
    "hiep hoi",
    "lien hiep",
    "trung tam",
    "benh vien",
    "nha may",
    "xi nghiep",
    "cua hang",
    "co so",
)
# "Trường" (a school) folds like the surname "Trương": a school is told by the level named after it.
SCHOOL_LEVELS = (
    "mam non",
    "mau giao",
    "tieu hoc",
    "trung hoc",
    "thcs",
    "thpt",
    "pho thong",
    "dai hoc",
    "cao dang",
    "trung cap",
    "nghe",
    "day nghe",
    "chinh tri",
    "boi duong",
    "ptdt",
    "quoc te",
    "chuyen",
    "dan toc",
)


def is_organisation(name: str) -> bool:
    """Whether the applicant `name` is an organisation (Công ty …, Hợp tác xã …, UBND …), not a person."""
    words = fold(name).split()

    def starts(prefix: str, at: int = 0) -> bool:
        parts = prefix.split()
        return words[at : at + len(parts)] == parts

    if words[:1] == ["truong"]:
        return any(starts(level, 1) for level in SCHOOL_LEVELS)
    return any(starts(prefix) for prefix in ORGANISATION_STARTS)


def addressee(name: str) -> str:
    """'Ông/Bà Nguyễn Văn An'; an organisation by its name alone ('Công ty TNHH …')."""
    name = nfc(name).strip()
    return name if is_organisation(name) else f"Ông/Bà {name}"


def you(name: str) -> str:
    """How a letter's body speaks to the applicant: 'Ông/Bà', or 'Quý tổ chức' for an organisation."""
    return "Quý tổ chức" if is_organisation(name) else "Ông/Bà"
