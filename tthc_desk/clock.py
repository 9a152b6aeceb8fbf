"""The clock port: services ask it for 'now' so tests and `--now` can move time."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from tthc_desk.errors import ValidationError
from tthc_desk.text import nfc


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """Local wall-clock time, naive, to the second (the office works in one time zone)."""

    def now(self) -> datetime:
        return datetime.now().replace(microsecond=0)


class FixedClock:
    """A clock that stays where it is put; `advance` moves it."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.moment = self.moment + timedelta(**delta)


def parse_moment(text: str) -> datetime:
    """'YYYY-MM-DD HH:MM' (or ISO 8601, or a bare date = 00:00) as a naive local datetime."""
    text = nfc(text).replace("T", " ")
    if len(text) == 16 and text[4] == "-" and text[10] == " ":  # the common form, without loading _strptime
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValidationError(f"Thời điểm '{text}' không đúng dạng YYYY-MM-DD HH:MM.")
