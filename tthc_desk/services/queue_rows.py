"""What a queue row is, without the database: the filter a queue is asked with, the row it shows, and how a
row of stored columns becomes one (colour and remaining working time at `now`). The services' queries and the
start-up plan's replay (`tthc_desk.startup`) both build their rows here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import NamedTuple

from tthc_desk import deadline
from tthc_desk.domain import Channel, Colour, Status, chip_label

NO_DUE_TEXT = "chưa rõ hạn"  # the remaining time of an open case with no due time


@dataclass
class QueueFilter:
    colour: Colour | None = None
    unit_id: int | None = None
    field: str | None = None
    officer_id: int | None = None
    channel: Channel | None = None
    status: Status | None = None
    text: str = ""
    open_only: bool = True  # False: search every case (Tra cứu)


class QueueRow(NamedTuple):
    """One shown row of the queue (a NamedTuple: built 50 a page, and its class is created before the window's
    first paint, where a dataclass costs 1-2 ms)."""

    id: int
    code: str
    applicant_name: str
    procedure_name: str
    field: str
    unit_name: str
    channel: Channel
    received_at: datetime
    due_at: datetime | None
    original_due_at: datetime | None
    status: Status
    colour: Colour | None
    remaining_minutes: int | None
    remaining_text: str
    extended: bool = False

    @property
    def chip_label(self) -> str:
        return chip_label(self.colour, self.status)

    def as_dict(self) -> dict:
        return {
            "code": self.code, "applicant": self.applicant_name, "procedure": self.procedure_name,
            "field": self.field, "unit": self.unit_name, "channel": str(self.channel),
            "received_at": self.received_at.isoformat(),
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "original_due_at": self.original_due_at.isoformat() if self.original_due_at else None,
            "status": str(self.status), "status_label": self.status.label,
            "colour": str(self.colour) if self.colour else None, "colour_label": self.chip_label,
            "remaining_working_minutes": self.remaining_minutes, "remaining": self.remaining_text,
        }



def queue_row(c, unit_name: str, now: datetime, cal) -> QueueRow:
    """A display row from a row of `_ROW_COLUMNS` (attribute access by column name)."""
    status = Status(c.status)
    colour, minutes, text = None, None, ""
    if c.is_open:
        colour = deadline.colour(status, now, c.original_due_at, c.warn_at)
        if status is Status.WAITING_SUPPLEMENT:
            text = "đang chờ bổ sung"
        elif c.original_due_at is not None:
            minutes, text = deadline.describe_remaining(cal, now, c.original_due_at)
        else:
            text = NO_DUE_TEXT
    elif c.result_at and c.original_due_at:
        text = deadline.timeliness(c.result_at, c.original_due_at).label.lower()
    return QueueRow(c.id, c.code, c.applicant_name, c.procedure_name, c.field, unit_name, Channel(c.channel),
                    c.received_at, c.due_at, c.original_due_at, status, colour, minutes, text,
                    extended=c.extension_count > 0)


def split_colours(rows) -> tuple[list[int], dict[Colour, int]]:
    """Case ids in order and the number of cases of each colour, from (id, colour) rows."""
    return list(map(itemgetter(0), rows)), colour_counts(Counter(map(itemgetter(1), rows)).items())


def colour_counts(rows) -> dict[Colour, int]:
    """The number of cases of each colour (every colour, 0 when none), from (colour, number) rows."""
    counts = {c: 0 for c in Colour}
    for colour, n in rows:
        counts[Colour(colour)] = n
    return counts
