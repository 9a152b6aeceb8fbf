"""Every figure of the reports as one SQL predicate over a case, written once for the counts and the drill-down.

Where withdrawn, refused and stopped cases go (so that Biểu II.06a's identities hold, DOMAIN §7):
a case withdrawn, refused or stopped *within the period* is neither resolved nor pending at the period's end, so
it is left out of columns 3–13 entirely (also of "received" and "carried over") and counted apart in the extra
columns Rút / Từ chối / Dừng. Then 3 = 4+5+6 = 7+11, 7 = 8+9+10 and 11 = 12+13 hold exactly, and
3 + Rút + Từ chối + Dừng = every case carried over or received. A case closed *after* the period was still
pending at its end and is counted there (col 11).

Other choices:
- timeliness uses `original_due_at` (DOMAIN §5); early = finished on an earlier calendar date than the due date;
  a finished case without a due date counts as on time, an open one as within time;
- "at the end of the period" is the period's end, or now if that is sooner (`Period.as_of`);
- a case waiting for the applicant at that moment has its clock stopped: it is never overdue, and is counted in
  col 12 and in the extra column Chờ bổ sung. It waited at that moment when it was asked before it and: it still
  waits (status Chờ bổ sung); or its papers came back at or after it (`supplement_returned_at`); or it was
  withdrawn, refused or stopped while still waiting. So a past period's report run today counts the same waits
  as on the day after it ended. The limit: only the latest wait is held (its request and its end), so for a case
  asked twice a period ending inside the *first* wait does not see it (a second request is unlawful and rare,
  DOMAIN §4); imported cases carry no wait times (a waiting one counts as asked when received);
- a case is counted under its lead unit (`lead_unit_id`), or its field.

The same predicates run over two bindings of the columns (`Cols`): the hot aggregate reads only the columns of
the covering index ix_case_report and skips the rows whose status is refused/withdrawn/stopped/waiting (for
those rows `closed_at` and `supplement_requested_at` are known to be NULL and the terms that need them are
dropped); the second aggregate reads those few rows with every column, and the few rows whose papers came back
at or after the period's end are counted again with every column in place of their index-only counts
(`aggregate._parts`). The drill-down uses the full binding, and `waiting_at` reads the same wait from a loaded
case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, func, not_, or_, true

from tthc_desk.domain import Channel, Status
from tthc_desk.storage.models import Case, not_synced

CLOSED_OTHER = (str(Status.WITHDRAWN), str(Status.REFUSED), str(Status.STOPPED))
WAITING = str(Status.WAITING_SUPPLEMENT)
SIDE_STATUSES = (*CLOSED_OTHER, WAITING)


@dataclass(frozen=True)
class Cols:
    """The case columns a predicate may read. `closed`/`asked` None: the rows are read as having no
    refused/withdrawn/stopped resp. waiting status (so those columns are NULL and their terms vanish);
    `requested`/`returned` (the latest wait, raw) None: the rows are read as not waiting at the period's end
    unless their status says so (`aggregate._parts` counts again those that may have)."""

    received: ColumnElement
    due: ColumnElement
    result: ColumnElement
    status: ColumnElement
    channel: ColumnElement
    closed: ColumnElement | None = None
    asked: ColumnElement | None = None
    requested: ColumnElement | None = None
    returned: ColumnElement | None = None


FULL = Cols(Case.received_at, Case.original_due_at, Case.result_at, Case.status, Case.channel,
            # a closed case imported without its closing time is taken as closed when it was received
            func.coalesce(Case.closed_at, Case.received_at),
            func.coalesce(Case.supplement_requested_at, Case.received_at),
            Case.supplement_requested_at, Case.supplement_returned_at)
INDEXED = Cols(Case.received_at, Case.original_due_at, Case.result_at, Case.status, Case.channel)


@dataclass(frozen=True)
class Window:
    start: datetime  # first moment of the period
    as_of: datetime  # end of the period (exclusive), or just after now: what happened before it counts
    # when due times are judged: the period's end, or now itself (`Period.judged_at`); None: `as_of`. A case due
    # at 08:00 is not yet overdue at 08:00 (DOMAIN §5: on time is not after the due moment), though a case
    # recorded at 08:00 already counts
    judged: datetime | None = None

    @property
    def due_line(self) -> datetime:
        """A case still open is overdue when its due time is before this."""
        return self.as_of if self.judged is None else self.judged


Pred = Callable[[Cols, Window], ColumnElement]


def _closed_before(c: Cols, t: datetime, kinds: tuple[str, ...] = CLOSED_OTHER) -> ColumnElement:
    if c.closed is None:
        return false()
    return and_(c.status.in_(kinds), c.closed < t)


def _not_closed_before(c: Cols, t: datetime) -> ColumnElement:
    if c.closed is None:
        return true()
    return or_(c.status.not_in(CLOSED_OTHER), c.closed >= t)


def open_at(c: Cols, t: datetime) -> ColumnElement:
    """Received before `t` and neither finished nor closed before it."""
    return and_(c.received < t, or_(c.result.is_(None), c.result >= t), _not_closed_before(c, t))


def closed_in(c: Cols, w: Window, kinds: tuple[str, ...] = CLOSED_OTHER) -> ColumnElement:
    """Withdrawn/refused/stopped within the period."""
    if c.closed is None:
        return false()
    return and_(c.status.in_(kinds), c.closed >= w.start, c.closed < w.as_of)


def in_reach(c: Cols, w: Window) -> ColumnElement:
    """A cheap superset of every figure's cases (the WHERE that prunes long-finished rows)."""
    return and_(c.received < w.as_of, or_(c.result.is_(None), c.result >= w.start), _not_closed_before(c, w.start))


def received(c: Cols, w: Window) -> ColumnElement:
    return and_(c.received >= w.start, c.received < w.as_of)


def carried_over(c: Cols, w: Window) -> ColumnElement:
    return and_(open_at(c, w.start), not_(closed_in(c, w)))


def received_online(c: Cols, w: Window) -> ColumnElement:
    return and_(received(c, w), c.channel == str(Channel.ONLINE), not_(closed_in(c, w)))


def received_desk(c: Cols, w: Window) -> ColumnElement:
    """At the desk or by post."""
    return and_(received(c, w), c.channel != str(Channel.ONLINE), not_(closed_in(c, w)))


def resolved(c: Cols, w: Window) -> ColumnElement:
    return and_(c.result >= w.start, c.result < w.as_of)


def _late_result(c: Cols) -> ColumnElement:
    return and_(c.due.is_not(None), c.result > c.due)


def _early_result(c: Cols) -> ColumnElement:
    # func.date(): SQLite's date() and PostgreSQL's date() cast both give comparable calendar dates
    return and_(c.due.is_not(None), func.date(c.result) < func.date(c.due))


def early(c: Cols, w: Window) -> ColumnElement:
    return and_(resolved(c, w), _early_result(c))


def on_time(c: Cols, w: Window) -> ColumnElement:
    return and_(resolved(c, w), or_(c.due.is_(None), and_(c.result <= c.due, func.date(c.result) >= func.date(c.due))))


def late(c: Cols, w: Window) -> ColumnElement:
    return and_(resolved(c, w), _late_result(c))


def pending(c: Cols, w: Window) -> ColumnElement:
    """Still being resolved at the end of the period (col 11)."""
    return open_at(c, w.as_of)


def waiting(c: Cols, w: Window) -> ColumnElement:
    """Pending at the period's end and waiting for the applicant then (`waiting_at`: the same, from a case)."""
    t = w.as_of
    ways = []
    if c.asked is not None:  # still waiting, asked before the end
        ways.append(and_(c.status == WAITING, c.asked < t))
    if c.requested is not None and c.returned is not None:
        # (the IS NOT NULL terms make these FALSE, not NULL, for a case never asked: else NOT waiting would be
        # NULL too, and the case would fall out of both col 12 and col 13)
        # papers back at or after the end of a wait begun before it (an imported wait: asked when received)
        ways.append(and_(c.returned.is_not(None), c.asked < t, c.returned >= t))
        # withdrawn/refused/stopped while waiting (`pending`: closed at or after the end)
        ways.append(and_(c.status.in_(CLOSED_OTHER), c.requested.is_not(None), c.requested < t,
                         or_(c.returned.is_(None), c.returned < c.requested)))
    if not ways:
        return false()
    return and_(pending(c, w), or_(*ways))


def waiting_at(case: Case, t: datetime) -> bool:
    """A case known to be pending at `t` was waiting for the applicant then: `waiting`'s three ways, read from
    the loaded case (the drill-down's words agree with the counts)."""
    requested, returned = case.supplement_requested_at, case.supplement_returned_at
    asked = requested or case.received_at
    if asked >= t:
        return False
    if case.status == WAITING or (returned is not None and returned >= t):
        return True
    return requested is not None and case.status in CLOSED_OTHER and (returned is None or returned < requested)


def pending_overdue(c: Cols, w: Window) -> ColumnElement:
    return and_(pending(c, w), c.due < w.due_line, not_(waiting(c, w)))


def pending_within(c: Cols, w: Window) -> ColumnElement:
    return and_(pending(c, w), or_(c.due.is_(None), c.due >= w.due_line, waiting(c, w)))


def withdrawn(c: Cols, w: Window) -> ColumnElement:
    return closed_in(c, w, (str(Status.WITHDRAWN),))


def refused(c: Cols, w: Window) -> ColumnElement:
    return closed_in(c, w, (str(Status.REFUSED),))


def stopped(c: Cols, w: Window) -> ColumnElement:
    return closed_in(c, w, (str(Status.STOPPED),))


def received_all(c: Cols, w: Window) -> ColumnElement:
    """Every case received in the period, withdrawn/refused/stopped ones included (the unit's volume)."""
    return received(c, w)


def received_resolved_in_time(c: Cols, w: Window) -> ColumnElement:
    """Received in the period and already resolved early or on time (numerator of the NĐ 61 rate)."""
    return and_(received(c, w), resolved(c, w), not_(_late_result(c)))


def late_any(c: Cols, w: Window) -> ColumnElement:
    """The late cases of the period: resolved late, or still open past their due time at its end."""
    return or_(late(c, w), pending_overdue(c, w))


def in_report(c: Cols, w: Window) -> ColumnElement:
    """Every case the report speaks of: col 3 plus those withdrawn, refused or stopped in the period."""
    return or_(carried_over(c, w), received(c, w), closed_in(c, w))


# Figures counted by the aggregate, in column order. Derived columns (3, 4+5, 7, 11 as sums) are checked, not
# assumed: `resolved` and `pending` are counted on their own so the identities test the predicates.
COUNTED: dict[str, Pred] = {
    "carried_over": carried_over,
    "received_online": received_online,
    "received_desk": received_desk,
    "resolved": resolved,
    "early": early,
    "on_time": on_time,
    "late": late,
    "pending": pending,
    "pending_within": pending_within,
    "pending_overdue": pending_overdue,
    "waiting": waiting,
    "withdrawn": withdrawn,
    "refused": refused,
    "stopped": stopped,
    "received_all": received_all,
    "received_resolved_in_time": received_resolved_in_time,
}
# Figures the drill-down also knows (sums of counted ones, or sets read elsewhere).
DRILLABLE: dict[str, Pred] = {
    **COUNTED,
    "total": lambda c, w: or_(carried_over(c, w), received_online(c, w), received_desk(c, w)),
    "received": lambda c, w: or_(received_online(c, w), received_desk(c, w)),
    "resolved_in_time": lambda c, w: or_(early(c, w), on_time(c, w)),
    "late_any": late_any,
    "in_report": in_report,
}


def unsynced(c: Cols, w: Window) -> ColumnElement:
    """In the report and not yet sent to the provincial portal since its last change (full binding only)."""
    return and_(in_report(c, w), not_synced())


DRILLABLE["unsynced"] = unsynced
