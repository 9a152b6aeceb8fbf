"""Reading a procedure's processing time as the catalogues write it ("3 Ngày làm việc", "7 Ngày", "24 Giờ", "1").

Rule: import what is clear, never guess. A value whose unit was lost (`1`), that is empty, unreadable (`?`) or
glued to the fee (`?120`) comes out with `amount=None, unit=None, needs_review=True` and a Vietnamese note ending
in "cần xác nhận"; where the data lets us propose a value (Hộ tịch `1`), the proposal is in `suggested_amount` /
`suggested_unit` and in the note, and the spec still needs review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from tthc_desk.domain import DurationUnit
from tthc_desk.text import clean, fold

REVIEW = "cần xác nhận"
MAX_AMOUNT = 9999  # the largest time allowed an administrator may save; more would stall the deadline
NO_DURATION_IN_FILE = "Tệp danh mục không có thời hạn giải quyết"
_NUMBER = r"\d+(?:[.,]\d+)?"
_AMOUNT_UNIT = re.compile(rf"^({_NUMBER})\s*(ngay lam viec|ngay|gio lam viec|gio)$")
_BARE_NUMBER = re.compile(rf"^{_NUMBER}$")
_SAME_DAY = re.compile(r"^(?:ngay\s+)?trong\s+(?:ngay|ngay lam viec)$")
_NO_INFO = frozenset({"", "khong co thong tin", "khong co", "khong", "-", "--", "n/a"})
_UNITS = {
    "ngay lam viec": DurationUnit.WORKING_DAYS,
    "ngay": DurationUnit.CALENDAR_DAYS,
    "gio lam viec": DurationUnit.WORKING_HOURS,
    "gio": DurationUnit.WORKING_HOURS,
}


@dataclass(frozen=True)
class DurationSpec:
    """One channel's statutory processing time as read from a file.

    `amount`/`unit` are set only when the value is clear (`needs_review=False`); for `same_day` the amount is None.
    `raw` is the cell text as given (NFC, trimmed). `note` says in Vietnamese what is doubtful.
    `suggested_amount`/`suggested_unit` carry a proposal for the administrator (never applied automatically).
    """

    amount: float | None
    unit: DurationUnit | None
    raw: str
    needs_review: bool
    note: str = ""
    suggested_amount: float | None = None
    suggested_unit: DurationUnit | None = None

    @property
    def is_clear(self) -> bool:
        return not self.needs_review and self.unit is not None

    def flagged(self, note: str) -> DurationSpec:
        """This spec marked for review with `note` added (the clear value, if any, becomes the suggestion)."""
        if self.needs_review:
            base = self.note.removesuffix(f" — {REVIEW}")
            merged = f"{base} ({note}) — {REVIEW}" if base else f"{note} — {REVIEW}"
            return replace(self, note=merged)
        return DurationSpec(
            amount=None,
            unit=None,
            raw=self.raw,
            needs_review=True,
            note=f"{note} — {REVIEW}",
            suggested_amount=self.amount,
            suggested_unit=self.unit,
        )



def _review(
    raw: str, note: str, *, amount: float | None = None, unit: DurationUnit | None = None
) -> DurationSpec:
    return DurationSpec(None, None, raw, True, f"{note} — {REVIEW}", amount, unit)


def _missing_column_spec() -> DurationSpec:
    return DurationSpec(None, None, "", True, NO_DURATION_IN_FILE)


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _fmt(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def parse_duration(raw: object, field: str | None = None) -> DurationSpec:
    """Read one processing-time cell ("3 Ngày làm việc", "7 Ngày", "24 Giờ", "Trong ngày", "1", "?120", "").

    `field` (lĩnh vực) only shapes the suggestion for a bare number; it never makes a value clear.
    """
    text = clean("" if raw is None else str(raw))
    key = fold(text).strip(" .;:")
    if key in _NO_INFO:
        return _review(text, "Không có thông tin thời hạn giải quyết")
    if text.startswith("?"):
        if text == "?":
            return _review(text, "Không đọc được thời hạn (ô chỉ ghi '?')")
        return _review(text, f"Số ngày và lệ phí dính liền ('{text}'), không tách được chắc chắn")
    if _SAME_DAY.match(key):
        return DurationSpec(None, DurationUnit.SAME_DAY, text, False)
    m = _AMOUNT_UNIT.match(key)
    if m:
        amount, unit = _number(m.group(1)), _UNITS[m.group(2)]
        if amount > MAX_AMOUNT:  # as `save` refuses it: no suggestion, an administrator sets the time
            return _review(text, f"Thời hạn ghi {_fmt(amount)} {unit.label}, quá mức tối đa {MAX_AMOUNT}")
        if amount <= 0:
            return _review(
                text,
                f"Thời hạn ghi {_fmt(amount)} {unit.label} (có thể là trả ngay)",
                amount=amount,
                unit=unit,
            )
        return DurationSpec(amount, unit, text, False)
    if _BARE_NUMBER.match(key):
        amount = _number(key)
        note = f"Thiếu đơn vị thời hạn (ô chỉ ghi '{text}')"
        if amount == 1 and fold(field) == "ho tich":
            return _review(
                text,
                note + "; gợi ý: lĩnh vực Hộ tịch thường là 1 ngày làm việc, "
                "trả trong ngày nếu tiếp nhận trước 15 giờ",
                amount=1.0,
                unit=DurationUnit.WORKING_DAYS,
            )
        return _review(text, note, amount=amount)
    return _review(text, f"Không hiểu được thời hạn '{text}'")
