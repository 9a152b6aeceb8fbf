"""Cell values of a portal export -> typed values: datetimes, codes kept as text, statuses and channels.

Parsers raise `ValueError` with a short Vietnamese reason; the reader turns it into a row rejection.

Numbers and codes: calamine gives a numeric cell as a float (`1.00001`) — the text the user saw
(`1.000010`, `0790734036506`) is gone from the file when the cell is numeric, only its number format
remains. Cells stored as text (the portal's own exports, and anything typed with a leading apostrophe)
come back as `str` and are kept exactly. A numeric cell is turned into text by `number_text`: integral
floats lose the `.0`, others take the shortest decimal that round-trips, never scientific notation;
then `code_text` repairs what the domain allows: national procedure codes have six decimals
(`1.00001` -> `1.000010`), CCCD numbers have 12 digits and phone numbers a leading 0. Each repair is
reported as a warning so the office can fix the source. A whole number in a zero-padding number format
('000000', read from the .xlsx or .xls styles) is given its zeros back without a warning: they are known.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, Final

from tthc_desk.domain import Channel, Status
from tthc_desk.text import CONTROL, clean, fold

_EPOCH = datetime(1899, 12, 30)
_SERIAL_MIN, _SERIAL_MAX = 1.0, 109574.0  # 1900-01-01 .. 2199-12-31
_TIME = r"(\d{1,2})\s*[:hH]\s*(\d{1,2})(?:\s*[:mM']\s*(\d{1,2}))?\s*(?:[sS\"])?(?:\s*(SA|CH|AM|PM|sa|ch|am|pm))?"
_DMY = re.compile(rf"^(\d{{1,2}})\s*[/.\-]\s*(\d{{1,2}})\s*[/.\-]\s*(\d{{4}}|\d{{2}})(?:[\sT,]+{_TIME})?$")
_YMD = re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})(?:[\sT]+{_TIME}(?:\.\d+)?)?$")
_TDMY = re.compile(
    rf"^{_TIME}[\s,]+(?:ngày\s+)?(\d{{1,2}})\s*[/.\-]\s*(\d{{1,2}})\s*[/.\-]\s*(\d{{4}})$", re.I
)


# Invisible characters pasted along with text from web pages and PDFs: soft hyphen, zero-width space /
# non-joiner / joiner, direction marks and embeddings, word joiner and invisible operators, BOM. They are
# no part of a code or a name, and would make "HS-0001\u200b" a different case from "HS-0001".
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def tidy(text: str) -> str:
    """`clean()` with a fast path for text that is already one trimmed NFC line (most cells); invisible
    characters (zero-width spaces, BOM, soft hyphens, direction marks) and control characters are removed,
    NBSP becomes a space."""
    if not text.isascii():
        text = INVISIBLE.sub("", text)
    if not text.isprintable() and CONTROL.search(text):
        return clean(text)
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
        d, mo, y, hh, mi, ss, half = m.groups()
        year = int(y) + (2000 if len(y) == 2 else 0)
        return _build(year, mo, d, hh, mi, ss, half)
    if m := _YMD.match(text):
        y, mo, d, hh, mi, ss, half = m.groups()
        return _build(int(y), mo, d, hh, mi, ss, half)
    if m := _TDMY.match(text):
        hh, mi, ss, half, d, mo, y = m.groups()
        return _build(int(y), mo, d, hh, mi, ss, half)
    raise ValueError("không đọc được")


def _build(year: int, month: str, day: str, hh: str | None, mi: str | None, ss: str | None,
           half: str | None = None) -> datetime:
    """`half`: SA/CH (sáng/chiều, as Windows writes a time in Vietnamese) or AM/PM after a 12-hour time."""
    hour = int(hh or 0)
    if half is not None:
        if not 1 <= hour <= 12:
            raise ValueError("không hợp lệ")
        hour = hour % 12 + (12 if half.upper() in ("CH", "PM") else 0)
    try:
        return datetime(year, int(month), int(day), hour, int(mi or 0), int(ss or 0))
    except ValueError as exc:
        raise ValueError("không hợp lệ") from exc


def number_text(value: float | int) -> str:
    """A numeric cell as the digits a person would type: 12.0 -> '12', 1.00001 -> '1.00001', 1e20 -> '1000…'.

    A whole number whose number format pads it with zeros, or writes text around it (the workbook reader
    makes it a `PaddedNumber`: 123 in format '000000' or '"HS"000000') comes out as shown, '000123' or
    'HS000123'."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if value.is_integer():
        text = str(int(value))
        if isinstance(value, PaddedNumber) and value >= 0:
            return value.prefix + text.zfill(value.width) + value.suffix
        return text
    return format(Decimal(repr(value)), "f")


# Characters a number format shows as they are, without quotes (Excel's list, less the '.', ',' and '%' of
# numbers themselves).
_FORMAT_LITERALS = frozenset("$-+/():!^&'~{}<>= ")
# What `padding_format` reads from a number format: (text before, zeros, text after).
Shown = tuple[str, int, str]


def padding_format(format_code: str) -> Shown | None:
    """(text before, zeros, text after) for a number format that shows a whole number zero-padded and/or with
    text around it: '000000' -> ('', 6, ''), '"HS-"000000' -> ('HS-', 6, ''), '\\H\\S0' -> ('HS', 1, '').
    Only the positive section counts; anything else in it (#, '.', ',', %, dates, colours) means None, as
    does a lone '0' (a plain whole number)."""
    section = format_code.split(";", 1)[0].strip()
    before: list[str] = []
    after: list[str] = []
    width, i = 0, 0
    while i < len(section):
        ch = section[i]
        if ch == "0":
            if after:
                return None  # a second run of zeros
            width, i = width + 1, i + 1
            continue
        if ch == '"':
            end = section.find('"', i + 1)
            if end < 0:
                return None
            text, i = section[i + 1 : end], end + 1
        elif ch == "\\" and i + 1 < len(section):
            text, i = section[i + 1], i + 2
        elif ch in _FORMAT_LITERALS:
            text, i = ch, i + 1
        else:
            return None
        (after if width else before).append(text)
    prefix, suffix = "".join(before), "".join(after)
    if width == 0 or (width == 1 and not prefix and not suffix):
        return None
    return prefix, width, suffix


_PROCEDURE_NUMBER = re.compile(r"^\d\.\d{1,6}$")


def code_text(value: Any, field: str = "code") -> tuple[str, str | None]:
    """(text, repair note or None) for a code/ID/phone cell; text cells are kept as typed (NFC, trimmed,
    without invisible characters: a code copied from a web page with a zero-width space is the same code)."""
    if value is None or value == "":
        return "", None
    if isinstance(value, str):
        return tidy(value), None
    if isinstance(value, datetime | date):
        return format_datetime(value), "ô dạng ngày"
    text = number_text(value)
    if isinstance(value, PaddedNumber) and value.is_integer() and value >= 0:
        return text, None  # as its number format shows it (zeros, text around): what the user saw is known
    if field == "procedure_code" and _PROCEDURE_NUMBER.match(text):
        fixed = text.ljust(8, "0")
    elif field in ("citizen_id", "owner_id") and text.isdigit() and len(text) in (8, 10, 11):
        fixed = text.zfill(9 if len(text) == 8 else 12)
    elif field == "phone" and text.isdigit() and len(text) in (9, 10) and not text.startswith("0"):
        fixed = "0" + text
    else:
        fixed = text
    return fixed, f"ô dạng số ({text}), đã đọc là '{fixed}'"


def plain_text(value: Any) -> str:
    """Any cell as one line of NFC text (line breaks and NBSP become spaces, invisible characters go)."""
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
_P, _RR, _WS = Status.PROCESSING, Status.RESULT_READY, Status.WAITING_SUPPLEMENT
# A phrase with a negation or a wait in it ("chưa", "không", "chờ"/"đợi") is read from what follows the marker,
# by these word runs (first match, in order; "$": the run ends the phrase or the part up to the next marker).
# It is never read as the positive state the marker negates: "Chưa trả kết quả" is not "Đã trả kết quả",
# "Không tiếp nhận" is not "Mới tiếp nhận".
_STATUS_AFTER: dict[str, tuple[tuple[str, Status | None], ...]] = {
    "cho": (  # chờ X: X has not happened yet
        ("bo sung", _WS), ("tra lai", None), ("tra ket qua", _RR), ("tra kq", _RR), ("tra$", _RR),
        ("ban giao ket qua", _RR), ("ky", _P), ("duyet", _P), ("tham dinh", _P), ("xac minh", _P),
        ("lanh dao", _P), ("y kien", _P), ("chuyen", _P), ("xu ly", Status.RECEIVED),
        ("tiep nhan", Status.RECEIVED), ("giai quyet", Status.RECEIVED),
    ),
    "chua": (  # chưa X: not yet X
        ("tra lai", None), ("tra ket qua", _RR), ("tra kq", _RR), ("ban giao ket qua", _RR),
        ("co ket qua", _P), ("co kq", _P), ("hoan thanh", _P), ("xong", _P), ("ket thuc", _P),
        ("giai quyet", _P), ("xu ly", Status.RECEIVED), ("bo sung", _WS),
    ),
    "khong": (  # không X: refused
        ("tiep nhan", Status.REFUSED), ("giai quyet", Status.REFUSED), ("du dieu kien", Status.REFUSED),
        ("chap nhan", Status.REFUSED),
    ),
}  # fmt: skip
# Word runs tried in order when no whole phrase matches and there is no marker ("Hồ sơ đã trả kết quả đúng
# hạn"). "Trả lại hồ sơ" is the papers handed back to an applicant whose case is not accepted (Từ chối),
# never the result handed over; "trả lại" alone says neither, and is not recognised.
_STATUS_RUNS: tuple[tuple[str, Status | None], ...] = (
    ("tra lai ho so", Status.REFUSED), ("tu choi", Status.REFUSED), ("tra lai", None),
    ("tra ket qua", Status.RETURNED), ("da tra", Status.RETURNED),
    ("rut", Status.WITHDRAWN), ("bo sung", _WS), ("co ket qua", _RR),
    ("hoan thanh", _RR), ("dang", _P), ("dung xu ly", Status.STOPPED),
    ("dung giai quyet", Status.STOPPED), ("tam dung", Status.STOPPED), ("tiep nhan", Status.RECEIVED),
)  # fmt: skip
# Timeliness words that say nothing about the state: "đúng hạn", "quá hạn", "chưa đến hạn", "sắp hết hạn"…
_TIMELINESS = re.compile(
    r"(?<= )(?:(?:~chua|~khong|sap|bi|da) )?(?:den|dung|qua|tre|truoc|som|het|trong|con) (?:han|hen)(?= )"
)

_CHANNEL_WORDS: dict[str, Channel] = {
    **{fold(c.label): c for c in Channel},
    **{c.value: c for c in Channel},
    "truc tiep": Channel.DIRECT, "nop truc tiep": Channel.DIRECT, "tai bo phan mot cua": Channel.DIRECT,
    "mot cua": Channel.DIRECT,
    "truc tuyen": Channel.ONLINE, "qua mang": Channel.ONLINE, "dich vu cong": Channel.ONLINE,
    "dvc": Channel.ONLINE, "dvctt": Channel.ONLINE, "online": Channel.ONLINE, "dien tu": Channel.ONLINE,
    "buu chinh": Channel.POST, "buu dien": Channel.POST, "bcci": Channel.POST, "qua buu chinh": Channel.POST,
}  # fmt: skip
# The same reading for channels: "Không trực tuyến" is not online; it is the other side of the portal's
# online / not-online split, which the desk counts as Trực tiếp, as it counts an empty cell.
_CHANNEL_AFTER: dict[str, tuple[tuple[str, Channel | None], ...]] = {
    "khong": (("truc tuyen", Channel.DIRECT), ("qua mang", Channel.DIRECT), ("online", Channel.DIRECT)),
    "chua": (),
}
# "DVC mức 3", "Cổng DVC quốc gia", "Dịch vụ công trực tuyến" are online; BCCI / bưu điện / bưu chính is post.
_CHANNEL_RUNS: tuple[tuple[str, Channel | None], ...] = (
    ("bcci", Channel.POST), ("buu", Channel.POST), ("vnpost", Channel.POST),
    ("truc tuyen", Channel.ONLINE), ("dich vu cong", Channel.ONLINE), ("dvc", Channel.ONLINE),
    ("dvctt", Channel.ONLINE), ("dvcqg", Channel.ONLINE), ("muc do 3", Channel.ONLINE),
    ("muc do 4", Channel.ONLINE), ("muc 3", Channel.ONLINE), ("muc 4", Channel.ONLINE),
    ("mang", Channel.ONLINE), ("online", Channel.ONLINE), ("dien tu", Channel.ONLINE),
    ("truc tiep", Channel.DIRECT), ("mot cua", Channel.DIRECT),
)  # fmt: skip

# Markers, by their accented word: "chờ" and "cho" fold alike ("Đã trả kết quả cho công dân"), so only
# "chờ"/"đợi" wait; in text typed without accents "cho" is a wait only where a wait run follows it.
_MARKERS = {"chờ": "~cho", "đợi": "~cho", "chưa": "~chua", "chua": "~chua", "không": "~khong",
            "khong": "~khong", "ko": "~khong"}  # fmt: skip
_TOKEN = re.compile(r"[^\W_]+")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def _phrase(value: Any) -> tuple[str, ...]:
    """The cell's words, folded ('da tra ket qua'), with each marker word tagged: '~cho', '~chua', '~khong',
    or '?cho' for an unaccented 'cho' that may be either word."""
    text = plain_text(value).lower()
    bare = text.isascii()
    out: list[str] = []
    for token in _TOKEN.findall(text):
        tag = _MARKERS.get(token) or ("?cho" if bare and token == "cho" else None)
        if tag is not None:
            out.append(tag)
        else:
            out.extend(w for w in _NOT_WORD.split(fold(token)) if w)
    return tuple(out)


def _has_run(words: str, run: str) -> bool:
    if run.endswith("$"):
        return f" {words}".endswith(f" {run[:-1]}")
    return f" {run} " in f" {words} "


def _first_run(words: str, runs: tuple[tuple[str, Any], ...]) -> tuple[bool, Any]:
    """(found, value) of the first run in `words`; a run whose value is None refuses the phrase."""
    for run, value in runs:
        if _has_run(words, run):
            return True, value
    return False, None


def _plain(tokens: tuple[str, ...] | list[str]) -> str:
    return " ".join(t.lstrip("~?") for t in tokens)


def _decide(tokens: tuple[str, ...], exact: dict, after: dict, runs: tuple, head_ok) -> Any:
    """What a tagged phrase says, or None when it is not recognised (see `_STATUS_AFTER`).

    1. the whole phrase in `exact`; 2. each marker's part (up to the next marker) against its runs in `after`;
    3. the words before the first marker — a whole phrase or a run, and accepted only if `head_ok` (a status
    phrase like "Đang chờ <…>" may say Đang xử lý; one that would close the case is not recognised);
    4. with no marker, the first run found.
    """
    plain = _plain(tokens)
    if plain in exact:
        return exact[plain]
    marks = [i for i, t in enumerate(tokens) if t[0] in "~?" and t[1:] in after]
    first = None  # the first marker that really is one
    for n, i in enumerate(marks):
        scope = _plain(tokens[i + 1 : marks[n + 1] if n + 1 < len(marks) else len(tokens)])
        found, value = _first_run(scope, after[tokens[i][1:]])
        if found:
            return value
        if tokens[i][0] == "~" and first is None:
            first = i
    if first is None:
        return _first_run(plain, runs)[1]
    head = _plain(tokens[:first])
    value = exact[head] if head in exact else _first_run(head, runs)[1]
    return value if value is not None and head_ok(value) else None


@lru_cache(maxsize=1024)
def _status_of(tokens: tuple[str, ...]) -> Status | None:
    plain = _plain(tokens)
    if plain in _STATUS_WORDS:
        return _STATUS_WORDS[plain]
    core = tuple(_TIMELINESS.sub(" ", f" {' '.join(tokens)} ").split())
    if core in _SAYS_WHEN_ONLY:
        return _WHEN_ONLY  # "Quá hạn", "Hồ sơ quá hạn" say when, not what
    return _decide(core, _STATUS_WORDS, _STATUS_AFTER, _STATUS_RUNS, lambda s: s.is_open)


# What is left of a status that speaks only of time ("Quá hạn", "Hồ sơ trễ hạn", "Sắp hết hạn"): nothing, or
# "hồ sơ". Such a cell is read as an empty one: the row's dates say what became of the case (`row_status`), as
# the portal's own list does when it shows the overdue cases under that word.
_SAYS_WHEN_ONLY = frozenset({(), ("ho", "so")})
_WHEN_ONLY: Final = object()


@lru_cache(maxsize=512)
def _channel_of(tokens: tuple[str, ...]) -> Channel | None:
    channel = _decide(tokens, _CHANNEL_WORDS, _CHANNEL_AFTER, _CHANNEL_RUNS, lambda c: True)
    if channel is Channel.POST and _has_run(_plain(tokens), "truc tiep"):
        return Channel.DIRECT  # "Trực tiếp/Bưu chính": the not-online bucket, counted as Trực tiếp
    return channel


def parse_status(value: Any) -> Status | None:
    """A portal status word -> Status; None for an empty cell; ValueError when not recognised."""
    tokens = _phrase(value)
    if not tokens:
        return None
    status = _status_of(tokens)
    if status is None:
        raise ValueError("không nhận ra")
    return None if status is _WHEN_ONLY else status


def parse_channel(value: Any) -> Channel | None:
    """A portal channel word -> Channel; None for an empty cell; ValueError when not recognised."""
    tokens = _phrase(value)
    if not tokens:
        return None
    channel = _channel_of(tokens)
    if channel is None:
        raise ValueError("không nhận ra")
    return channel


class PaddedNumber(float):
    """A number cell whose number format shows it zero-padded to `width` digits, with `prefix` and `suffix`
    around it (123 in '000000' is 000123, in '"HS"000000' HS000123).

    It is the float calamine gave, so dates and arithmetic work as before; `values.number_text` gives the
    text the user saw. It never equals a plain number, so one column's 123 and 000123 stay two values. Its
    repr is the float's (code reads it as a number). Made by `padded_number`, one subclass per format
    (built in C, no __init__)."""

    __slots__ = ()
    width = 0
    prefix = suffix = ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PaddedNumber) and float(self) == float(other) and self.shown == other.shown

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((float(self), self.shown))

    def __reduce__(self):
        return padded_number, (float(self), *self.shown)

    @property
    def shown(self) -> Shown:
        """The format: (prefix, width, suffix)."""
        return self.prefix, self.width, self.suffix


_PADDED_TYPES: dict[Shown, type[PaddedNumber]] = {}


def _padded_type(shown: Shown) -> type[PaddedNumber]:
    kind = _PADDED_TYPES.get(shown)
    if kind is None:
        prefix, width, suffix = shown
        kind = _PADDED_TYPES[shown] = type(
            f"PaddedNumber{width}",
            (PaddedNumber,),
            {"__slots__": (), "width": width, "prefix": prefix, "suffix": suffix},
        )
    return kind


def padded_number(value: float, width: int, prefix: str = "", suffix: str = "") -> PaddedNumber:
    """`value` shown zero-padded to `width` digits, between `prefix` and `suffix`."""
    return _padded_type((prefix, width, suffix))(value)


def apply_padding(rows: list[list[Any]], padded: dict[tuple[int, int], Shown]) -> None:
    """Turn the number cells (not text, dates or booleans) of padding styles (`padding_format`) into
    `PaddedNumber`s."""
    height = len(rows)
    for (r, c), shown in padded.items():
        if r < height and c < len(rows[r]):
            value = rows[r][c]
            if type(value) is float or (type(value) is int and -(1 << 53) < value < 1 << 53):
                rows[r][c] = _padded_type(shown)(value)
