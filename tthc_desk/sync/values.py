"""Cell values of a portal export -> typed values: datetimes, codes kept as text, statuses and channels.

Parsers raise `ValueError` with a short Vietnamese reason; the reader turns it into a row rejection.

Numbers and codes: calamine gives a numeric cell as a float (`1.00001`) — the text the user saw
(`1.000010`, `0790734036506`) is gone from the file when the cell is numeric, only its number format
remains. Cells stored as text (the portal's own exports, and anything typed with a leading apostrophe)
come back as `str` and are kept exactly. A numeric cell is turned into text by `number_text`: integral
floats lose the `.0`, others take the shortest decimal that round-trips, never scientific notation;
then `code_text` repairs what the domain allows: national procedure codes have six decimals
(`1.00001` -> `1.000010`), CCCD numbers have 12 digits and phone numbers a leading 0. Each repair is
reported as a warning so the office can fix the source.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from tthc_desk.domain import Channel, Status
from tthc_desk.text import clean, fold

_EPOCH = datetime(1899, 12, 30)
_SERIAL_MIN, _SERIAL_MAX = 1.0, 109574.0  # 1900-01-01 .. 2199-12-31
_TIME = r"(\d{1,2})\s*[:hH]\s*(\d{1,2})(?:\s*[:mM']\s*(\d{1,2}))?\s*(?:[sS\"])?"
_DMY = re.compile(rf"^(\d{{1,2}})\s*[/.\-]\s*(\d{{1,2}})\s*[/.\-]\s*(\d{{4}}|\d{{2}})(?:[\sT,]+{_TIME})?$")
_YMD = re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})(?:[\sT]+{_TIME}(?:\.\d+)?)?$")
_TDMY = re.compile(
    rf"^{_TIME}[\s,]+(?:ngày\s+)?(\d{{1,2}})\s*[/.\-]\s*(\d{{1,2}})\s*[/.\-]\s*(\d{{4}})$", re.I
)


def tidy(text: str) -> str:
    """`clean()` with a fast path for text that is already one trimmed NFC line (most cells)."""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\xa0" in text:
        return clean(text)
    if text[:1].isspace() or text[-1:].isspace():
        return clean(text)
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return clean(text)


def round_to_second(value: datetime) -> datetime:
    """Excel stores times as day fractions; undo the float noise (14:29:59.9996 -> 14:30:00)."""
    if value.microsecond:
        value = (value + timedelta(microseconds=500_000)).replace(microsecond=0)
    return value


def parse_datetime(value: Any) -> datetime | None:
    """A real datetime from a date cell, an Excel serial number or text; None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return round_to_second(value)
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, bool):
        raise ValueError("không phải ngày")
    if isinstance(value, int | float):
        return _from_serial(float(value))
    if isinstance(value, str):
        return _from_text(value)
    raise ValueError("không phải ngày")


def _from_serial(serial: float) -> datetime:
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        raise ValueError("không phải ngày")
    return round_to_second(_EPOCH + timedelta(days=serial))


def _from_text(text: str) -> datetime:
    text = clean(text)
    if not text:
        raise ValueError("trống")
    if m := _DMY.match(text):
        d, mo, y, hh, mi, ss = m.groups()
        year = int(y) + (2000 if len(y) == 2 else 0)
        return _build(year, mo, d, hh, mi, ss)
    if m := _YMD.match(text):
        y, mo, d, hh, mi, ss = m.groups()
        return _build(int(y), mo, d, hh, mi, ss)
    if m := _TDMY.match(text):
        hh, mi, ss, d, mo, y = m.groups()
        return _build(int(y), mo, d, hh, mi, ss)
    raise ValueError("không đọc được")


def _build(year: int, month: str, day: str, hh: str | None, mi: str | None, ss: str | None) -> datetime:
    try:
        return datetime(year, int(month), int(day), int(hh or 0), int(mi or 0), int(ss or 0))
    except ValueError as exc:
        raise ValueError("không hợp lệ") from exc


def number_text(value: float | int) -> str:
    """A numeric cell as the digits a person would type: 12.0 -> '12', 1.00001 -> '1.00001', 1e20 -> '1000…'."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


_PROCEDURE_NUMBER = re.compile(r"^\d\.\d{1,6}$")


def code_text(value: Any, field: str = "code") -> tuple[str, str | None]:
    """(text, repair note or None) for a code/ID/phone cell; text cells are kept as typed (NFC, trimmed)."""
    if value is None or value == "":
        return "", None
    if isinstance(value, str):
        return tidy(value), None
    if isinstance(value, datetime | date):
        return format_datetime(value), "ô dạng ngày"
    text = number_text(value)
    if field == "procedure_code" and _PROCEDURE_NUMBER.match(text):
        fixed = text.ljust(8, "0")
    elif field == "citizen_id" and text.isdigit() and len(text) in (8, 10, 11):
        fixed = text.zfill(9 if len(text) == 8 else 12)
    elif field == "phone" and text.isdigit() and len(text) in (9, 10) and not text.startswith("0"):
        fixed = "0" + text
    else:
        fixed = text
    return fixed, f"ô dạng số ({text}), đã đọc là '{fixed}'"


def plain_text(value: Any) -> str:
    """Any cell as one line of NFC text (line breaks inside the cell become spaces)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return tidy(value)
    if isinstance(value, datetime | date):
        return format_datetime(value)
    return number_text(value)


def format_datetime(value: date | datetime) -> str:
    """'25/01/2025 14:30', or '25/01/2025' for a date or midnight."""
    if isinstance(value, datetime) and (value.hour, value.minute, value.second) != (0, 0, 0):
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


_STATUS_WORDS: dict[str, Status] = {
    **{fold(s.label): s for s in Status},
    **{s.value.replace("_", " "): s for s in Status},
    "tiep nhan": Status.RECEIVED, "moi": Status.RECEIVED, "da tiep nhan": Status.RECEIVED,
    "cho xu ly": Status.RECEIVED, "cho tiep nhan": Status.RECEIVED,
    "dang giai quyet": Status.PROCESSING, "dang thu ly": Status.PROCESSING, "dang tham dinh": Status.PROCESSING,
    "chuyen xu ly": Status.PROCESSING, "cho phe duyet": Status.PROCESSING, "dang trinh ky": Status.PROCESSING,
    "hoan thanh": Status.RESULT_READY, "co ket qua": Status.RESULT_READY, "da giai quyet": Status.RESULT_READY,
    "da xu ly": Status.RESULT_READY, "da xu ly xong": Status.RESULT_READY, "cho tra ket qua": Status.RESULT_READY,
    "da hoan thanh": Status.RESULT_READY,
    "da tra": Status.RETURNED, "tra ket qua": Status.RETURNED, "da tra kq": Status.RETURNED,
    "da tra ket qua cho cong dan": Status.RETURNED, "da ban giao ket qua": Status.RETURNED,
    "yeu cau bo sung": Status.WAITING_SUPPLEMENT, "bo sung": Status.WAITING_SUPPLEMENT,
    "cho bo sung ho so": Status.WAITING_SUPPLEMENT, "tam dung cho bo sung": Status.WAITING_SUPPLEMENT,
    "da tu choi": Status.REFUSED, "khong giai quyet": Status.REFUSED, "tu choi giai quyet": Status.REFUSED,
    "tra lai ho so": Status.REFUSED,
    "da rut": Status.WITHDRAWN, "cong dan rut ho so": Status.WITHDRAWN, "rut": Status.WITHDRAWN,
    "dung": Status.STOPPED, "da dung xu ly": Status.STOPPED, "huy": Status.STOPPED, "da huy": Status.STOPPED,
    "dung giai quyet": Status.STOPPED,
}  # fmt: skip
# Word runs tried in order when no whole phrase matches ("Hồ sơ đã trả kết quả đúng hạn").
_STATUS_RUNS: tuple[tuple[str, Status], ...] = (
    ("tra ket qua", Status.RETURNED), ("da tra", Status.RETURNED), ("tu choi", Status.REFUSED),
    ("rut", Status.WITHDRAWN), ("bo sung", Status.WAITING_SUPPLEMENT), ("co ket qua", Status.RESULT_READY),
    ("hoan thanh", Status.RESULT_READY), ("dang", Status.PROCESSING), ("dung xu ly", Status.STOPPED),
    ("dung giai quyet", Status.STOPPED), ("tam dung", Status.STOPPED), ("tiep nhan", Status.RECEIVED),
)  # fmt: skip

_CHANNEL_WORDS: dict[str, Channel] = {
    **{fold(c.label): c for c in Channel},
    **{c.value: c for c in Channel},
    "truc tiep": Channel.DIRECT, "nop truc tiep": Channel.DIRECT, "tai bo phan mot cua": Channel.DIRECT,
    "mot cua": Channel.DIRECT,
    "truc tuyen": Channel.ONLINE, "qua mang": Channel.ONLINE, "dich vu cong": Channel.ONLINE,
    "dvc": Channel.ONLINE, "dvctt": Channel.ONLINE, "online": Channel.ONLINE, "dien tu": Channel.ONLINE,
    "buu chinh": Channel.POST, "buu dien": Channel.POST, "bcci": Channel.POST, "qua buu chinh": Channel.POST,
}  # fmt: skip
_CHANNEL_RUNS = (("buu", Channel.POST), ("truc tuyen", Channel.ONLINE), ("dich vu cong", Channel.ONLINE),
                 ("mang", Channel.ONLINE), ("truc tiep", Channel.DIRECT))  # fmt: skip


def _has_run(words: str, run: str) -> bool:
    return f" {run} " in f" {words} "


@lru_cache(maxsize=512)
def _status_from_words(words: str) -> Status | None:
    if words in _STATUS_WORDS:
        return _STATUS_WORDS[words]
    return next((s for run, s in _STATUS_RUNS if _has_run(words, run)), None)


@lru_cache(maxsize=512)
def _channel_from_words(words: str) -> Channel | None:
    if words in _CHANNEL_WORDS:
        return _CHANNEL_WORDS[words]
    return next((c for run, c in _CHANNEL_RUNS if _has_run(words, run)), None)


def _words(value: Any) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(plain_text(value))).split())


def parse_status(value: Any) -> Status | None:
    """A portal status word -> Status; None for an empty cell; ValueError when not recognised."""
    words = _words(value)
    if not words:
        return None
    status = _status_from_words(words)
    if status is None:
        raise ValueError("không nhận ra")
    return status


def parse_channel(value: Any) -> Channel | None:
    """A portal channel word -> Channel; None for an empty cell; ValueError when not recognised."""
    words = _words(value)
    if not words:
        return None
    channel = _channel_from_words(words)
    if channel is None:
        raise ValueError("không nhận ra")
    return channel
