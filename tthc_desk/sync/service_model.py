"""How one portal row reads as case columns, and the rules that decide its outcome (no database here; what a
plan and its result hold is in `plan`).

"Newer", the conflict rule and the status words are decided here, so the dry run and the real run agree:

- A file cell that is empty says nothing: it never erases a value we hold. The one exception is a status that
  rules a moment out ("Đang xử lý" over a case we hold finished: an open case has no result, closing or
  hand-back moment; "Đã có kết quả" has no hand-back, "Từ chối" no result): ours are cleared with it (the
  conflict or update says so) rather than left beside a status that contradicts them.
- Status: the file's word (`values.parse_status`; "Hoàn thành" = Đã có kết quả). A finished word with a return
  date means Đã trả kết quả. An empty status cell is read from the dates: a return date -> Đã trả kết quả, a
  result date -> Đã có kết quả; with no dates a new case is Mới tiếp nhận and a known case keeps its status.
- "Ngày hẹn trả" is the original due time, by which timeliness is judged; "Ngày hẹn lại" is the apology's new
  appointment (DOMAIN §4: both are kept, the new one only once): the case's `due_at`, counted as its one extension.
- A file naming the owner apart from the applicant ("Chủ hồ sơ" beside "Người nộp") sets the owner's columns; a
  new case without them has the applicant as owner, as at the desk.
- The file's "Ngày có kết quả" is the result time of a finished case and the closing time of a refused,
  withdrawn or stopped one ("Ngày kết thúc xử lý").
- A known case whose file values differ is UPDATED when the desk has not changed it since its last sync
  (its version is the one last exported or imported, `synced_version`) and the row is not older than what we hold (its latest timestamp is not before
  `portal_updated_at`); STALE when the row is older, or when the desk changed the case after its last sync and
  the file still holds what the portal was last sent in every column it differs in (the portal has not seen
  the desk's change yet: `Case.synced_values`); a CONFLICT when the desk changed the case after its last sync
  (or never synced it) and the file brings something else — the user keeps ours or takes the file's, per code.
  A conflict lists, and taking the file takes, only what the portal changed (a status with its moments,
  `STATUS_MOMENTS`): a column the desk changed where the file still holds the old value stays ours
  (`Conflict.kept`). A taken conflict stays unsynced, to be sent with the next export: the file may leave
  out (empty cells, missing columns) some of the desk's changes.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from operator import attrgetter
from typing import Any

from tthc_desk.domain import CLOSED_OTHER, FINISHED_STATUSES, OPEN_STATUSES, Channel, Status
from tthc_desk.sync.fields import FIELD_LABELS
from tthc_desk.sync.plan import CASE_FIELDS
from tthc_desk.sync.reader import PortalRow

# the moments a status is taken with: a conflict whose file status is taken takes them too (`file_values`
# states the ones the status rules out as empty), so no status is left beside moments that contradict it
STATUS_MOMENTS = frozenset({"result_at", "closed_at", "returned_at"})
# the column widths of what a row writes (case_file, and unit.name for a unit created from the file): SQLite
# would store a longer value, PostgreSQL refuses it, so both reject the row instead
TEXT_LIMITS = {"code": 80, "citizen_id": 20, "phone": 20, "procedure_code": 60, "applicant": 255, "field": 255,
               "email": 255, "unit": 255, "owner": 255, "owner_id": 20}  # fmt: skip


def minute(value: datetime | None) -> datetime | None:
    """Case times are kept to the minute."""
    if value is None or not (value.second or value.microsecond):
        return value
    return value.replace(second=0, microsecond=0)


def row_status(row: PortalRow) -> Status | None:
    """The status a row states (see the module docstring); None when it says nothing."""
    status = row.status
    if status is None:
        if row.returned_at is not None:
            return Status.RETURNED
        return Status.RESULT_READY if row.finished_at is not None else None
    if status is Status.RESULT_READY and row.returned_at is not None:
        return Status.RETURNED
    return status


# (tuples: the order of a conflict's or an update's changes as shown)
_RULED_OUT = {**dict.fromkeys(OPEN_STATUSES, ("result_at", "closed_at", "returned_at")),
              **dict.fromkeys(CLOSED_OTHER, ("result_at", "returned_at")),
              Status.RESULT_READY: ("closed_at", "returned_at"), Status.RETURNED: ("closed_at",)}  # fmt: skip


def row_moment(row: PortalRow) -> datetime | None:
    """The row's latest timestamp (received, result, return): how recent the portal's view of the case is."""
    moments = [m for m in (row.received_at, row.finished_at, row.returned_at) if m is not None]
    return minute(max(moments)) if moments else None


def file_values(row: PortalRow, mapped: frozenset[str], unit_id: int | None, status_now: Status | None) -> dict:
    """Case columns the row asserts (mapped, non-empty cells only); `status_now` decides where a finish goes."""
    out: dict[str, Any] = {}
    for column, fld in CASE_FIELDS.items():
        if fld not in mapped or column in ("lead_unit_id", "status", "result_at", "closed_at"):
            continue
        value = getattr(row, fld)
        if value is None or value == "":
            continue
        out[column] = minute(value) if isinstance(value, datetime) else str(value)
    if "unit" in mapped and row.unit and unit_id is not None:
        out["lead_unit_id"] = unit_id
    status = row_status(row) if ("status" in mapped or row.returned_at or row.finished_at) else None
    if status is not None:
        out["status"] = str(status)
        # the moments the status rules out (a row stating one of them is refused, or reads as another status):
        # an open case has no result, closing or hand-back; a refused one no result; a result not handed back
        # no hand-back moment
        out.update(dict.fromkeys(_RULED_OUT.get(status, ())))
    if row.finished_at is not None and "finished_at" in mapped:
        closing = (status or status_now) in CLOSED_OTHER
        out["closed_at" if closing else "result_at"] = minute(row.finished_at)
    return out


def differences(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Columns whose file value differs from ours (text compared with whitespace collapsed, moments by
    `same_moment`)."""
    diff = {}
    for column, value in theirs.items():
        held = ours.get(column)
        if isinstance(value, str) and isinstance(held, str):
            brought, kept = " ".join(value.split()), " ".join(held.split())
            if brought == kept or capitals_lost(brought, kept):
                continue
        elif value == held or same_moment(value, held):
            continue
        diff[column] = (held, value)
    return diff


def capitals_lost(brought: str, held: str) -> bool:
    """Whether `brought` is `held` with only its toned capitals written small ("Trần Ngọc ánh" for "Trần Ngọc
    Ánh"): TCVN3 (ABC) has no capital letter with a tone mark, so a file written in it cannot say "Á" and says
    nothing new by "á". A file that capitalises ("ánh" held, "Ánh" brought) does say something new."""
    if len(brought) != len(held):
        return False
    differs = False
    for b, h in zip(brought, held, strict=True):
        if b == h:
            continue
        if h.isascii() or b != h.lower() or not _TONED.intersection(unicodedata.normalize("NFD", h)):
            return False
        differs = True
    return differs


_TONED = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng


def not_before(moment: datetime | None, floor: datetime | None) -> datetime | None:
    """`moment`, or `floor` when it is earlier: the file's day without a time (00:00) on the day of an earlier
    moment of the timeline (a result dated the receipt's day) is stored as that moment, never hours before it.
    Earlier days were refused (`date_problems`)."""
    if moment is None or floor is None or moment >= floor:
        return moment
    return floor


class DayOnly(datetime):
    """An appointment the file gives as a day without a time, read at the office's closing time
    (`service.due_at_close_of_day`): it says the day, not the time, so a time we hold on that day stands."""

    __slots__ = ()


def same_moment(brought: Any, held: Any) -> bool:
    """Whether a file's moment says nothing new about one we hold: equal, or the same day written without a
    time (a date-only cell reads as 00:00; it would replace our 07:38 receipt with midnight; an appointment so
    written reads as the closing time, `DayOnly`, and would replace our 10:00 with 17:00)."""
    if not (isinstance(brought, datetime) and isinstance(held, datetime)):
        return brought == held
    if brought == held:
        return True
    return brought.date() == held.date() and (isinstance(brought, DayOnly)
                                              or not (brought.hour or brought.minute or brought.second))


# Row-level problems the reader does not look for, as the reason shown to the user (or None): a text too long
# (`text_problems`), then a date out of order or in the future (`date_problems`); a row refused for several
# shows them all, so that the person correcting the file mends it in one pass. Control characters (a NUL,
# which PostgreSQL refuses) never reach here: `values.tidy` removes them.


def day_end(now: datetime) -> datetime:
    """The last minute of `now`'s day: a receipt after it is in the future."""
    return now.replace(hour=23, minute=59)


def text_problems(row: PortalRow) -> list[str]:
    return [f"{FIELD_LABELS[fld]} dài quá {limit} ký tự"
            for fld, limit in TEXT_LIMITS.items() if len(getattr(row, fld)) > limit]


def date_problems(row: PortalRow, last_minute: datetime, case: dict | None = None) -> list[str]:
    """Every date of the row out of order or in the future, in the order a reader of the row meets them.

    `last_minute`: `day_end` of today; `case`: the case we hold under the row's code (None for a new one).

    A result ("Ngày có kết quả", or the closing time of a refused case) or a hand-back ("Ngày trả") before the
    receipt, a hand-back before the result, or either after today cannot have happened: reports would count a
    negative processing time or a result not yet given. A cell with a date and no time is read as 00:00 of
    that day (`values.parse_datetime`), so a later moment written that way is only before an earlier one when
    its DAY is: a result dated 20/11 is not before a receipt at 20/11 08:30 (`_before`).

    For a known case the timeline judged is the one the import would leave: the file's dates over the ones we
    hold, as `service_update.apply_updates` merges them; a pair of moments is judged only when the file brings
    one of them (a date we hold differs from it or is missing), and a moment is judged future only when it is
    the file's: a file that only brings a hand-back earlier than our result is refused, and one that brings
    nothing new about dates is never refused for our data."""
    received, due = row.received_at, row.due_at
    problems = []
    if due is not None and received is not None and due < received:
        problems.append("Ngày hẹn trả trước ngày tiếp nhận")
    if row.new_due_at is not None and minute(row.new_due_at) <= minute(due or received or row.new_due_at):
        problems.append("Ngày hẹn lại phải sau ngày hẹn trả" if due is not None
                        else "Ngày hẹn lại phải sau ngày tiếp nhận")
    if received is not None and received > last_minute:
        problems.append("Ngày tiếp nhận ở tương lai")
    finished, returned = row.finished_at, row.returned_at
    if case is None:
        if finished is None and returned is None:  # most rows: nothing more to compare
            return problems
        return problems + _order_problems(received, finished, returned, last_minute)
    # what the case would hold: the file's moment where it brings one, else ours, and whether it is new
    received, new_received = _merged(received, case["received_at"])
    held = case["result_at"] if case["result_at"] is not None else case["closed_at"]
    finished, new_finished = _merged(finished, held)
    returned, new_returned = _merged(returned, case["returned_at"])
    if not (new_received or new_finished or new_returned):
        return problems
    return problems + _order_problems(received, finished, returned, last_minute, new_received, new_finished,
                                      new_returned)


def _merged(brought: datetime | None, held: datetime | None) -> tuple[datetime | None, bool]:
    """(the moment a case would hold, whether the file brings it anew): the file's moment where it has one and it
    differs from ours (compared as held, to the minute), else ours."""
    if brought is None or brought == held or same_moment(brought, held):
        return held, False
    brought = minute(brought)
    return brought, brought != held


def _order_problems(received: datetime | None, finished: datetime | None, returned: datetime | None,
                    last_minute: datetime, new_received: bool = True, new_finished: bool = True,
                    new_returned: bool = True) -> list[str]:
    """Each moment out of order or in the future, of the pairs (and moments) the file brings one of."""
    problems = []
    if finished is not None:
        if new_finished and finished > last_minute:
            problems.append("Ngày có kết quả ở tương lai")
        if received is not None and finished < received and (new_finished or new_received):
            if _before(finished, received):
                problems.append("Ngày có kết quả trước ngày tiếp nhận")
    if returned is not None:
        if new_returned and returned > last_minute:
            problems.append("Ngày trả kết quả ở tương lai")
        if received is not None and returned < received and (new_returned or new_received):
            if _before(returned, received):
                problems.append("Ngày trả kết quả trước ngày tiếp nhận")
        if finished is not None and returned < finished and (new_returned or new_finished):
            if _before(returned, finished):
                problems.append("Ngày trả kết quả trước ngày có kết quả")
    return problems


def _before(later: datetime, earlier: datetime) -> bool:
    """`later` (earlier than `earlier`) is before it for a report: a date written without a time (00:00)
    counts to the end of its day, so it is before only when its day is before `earlier`'s."""
    return bool(later.hour or later.minute or later.second) or later.date() < earlier.date()


def finish_problem(row: PortalRow, case: dict | None) -> str | None:
    """A row stating a result ("Đã có kết quả", "Đã trả kết quả") for a case that would then have no moment for
    it: no "Ngày có kết quả", no "Ngày trả" in the file, and none held (`case`: the case we hold, None for a new
    one). Such a case could be put in no report period: every report would count it open and overdue for ever.
    And the reverse: an open status ("Đang xử lý") beside a result or hand-back date, which would leave a case
    open in the queue that the reports count as resolved."""
    if row.status in OPEN_STATUSES and (row.finished_at is not None or row.returned_at is not None):
        dated = "Ngày trả kết quả" if row.returned_at is not None else "Ngày có kết quả"
        return f"Trạng thái \u201c{row.status.label}\u201d nhưng có {dated}"
    if row.finished_at is not None or row.returned_at is not None or row_status(row) not in FINISHED_STATUSES:
        return None
    if case is not None and (case["result_at"] is not None or case["returned_at"] is not None):
        return None
    return f"Trạng thái \u201c{row_status(row).label}\u201d nhưng không có Ngày có kết quả (hoặc Ngày trả kết quả)"


def result_moment(status: str, result_at: datetime | None, returned_at: datetime | None) -> datetime | None:
    """When a case's result was ready: its own moment, else, for a case handed back without one (a portal
    export that leaves "Ngày có kết quả" empty), the hand-back: the result was ready by then at the latest, so
    the case is judged no earlier than it may have been."""
    if result_at is None and Status(status) in FINISHED_STATUSES:
        return returned_at
    return result_at


def texts_all_fit(rows: list[PortalRow]) -> bool:
    """True when no row of `rows` has a `text_problems` entry: each column looked at once (its longest text) instead of
    each row's fields one by one."""
    return all(max(map(len, map(attrgetter(fld), rows)), default=0) <= limit for fld, limit in TEXT_LIMITS.items())


def channel_of(row: PortalRow) -> str:
    return str(row.channel or Channel.DIRECT)
