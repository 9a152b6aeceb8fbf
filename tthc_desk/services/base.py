"""What every service shares: the database, the clock, the acting user and the office's calendar."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from tthc_desk.calendar import CalendarOverride, WorkCalendar
from tthc_desk.clock import Clock
from tthc_desk.domain import WorkingHours
from tthc_desk.errors import NotFound, PermissionDenied, ValidationError
from tthc_desk.services.actor import Actor
from tthc_desk.services.rights import Action, require
from tthc_desk.storage.db import Database
from tthc_desk.storage.locks import hold_audit
from tthc_desk.storage.models import CalendarDay, Case, Office, Sequence, Unit, User
from tthc_desk.text import clean


def check_length(text: str, limit: int, label: str, field: str) -> None:
    """Refuse a text longer than its column (SQLite would keep it, PostgreSQL refuses it mid-transaction)."""
    if len(text) > limit:
        raise ValidationError(f"{label} dài quá {limit} ký tự.", field=field)


def check_column(text: str, column, label: str, field: str) -> None:
    """`check_length` against a model column's declared size (`Procedure.code`: 60)."""
    check_length(text, column.type.length, label, field)


def fit_column(text: str, column) -> str:
    """A label (a file's name, say) cut to its column's size, marked with '…' where it was cut."""
    size = column.type.length
    return text if len(text) <= size else text[: size - 1] + "…"


def parse_hours(office: Office) -> WorkingHours:
    return WorkingHours.parse(office.sessions, office.cutoff)


class ServiceBase:
    def __init__(self, db: Database, clock: Clock, calendars: CalendarCache | None = None) -> None:
        self.db = db
        self.clock = clock
        self.calendars = calendars or CalendarCache()

    def now(self) -> datetime:
        return self.clock.now().replace(second=0, microsecond=0)

    @contextmanager
    def audited_write(self) -> Iterator[Session]:
        """`db.write()` for a transaction that writes to the audit chain: its lock is taken before any row is
        (`storage.locks`), or a unit saved while an import created one of the same name deadlocked with it."""
        with self.db.write() as s:
            hold_audit(s)
            yield s

    def user_row(self, session: Session, actor: Actor, action: Action | None = None) -> User:
        """The acting user, still active, with the right to `action`."""
        user = session.get(User, actor.user_id)
        if user is None or not user.active:
            raise PermissionDenied("Tài khoản không còn hiệu lực; hãy đăng nhập lại.")
        if action is not None:
            require(user.role, action)
        return user

    def case_row(self, session: Session, user: User, code: str, lock: bool = False,
                 foreign: str = "Hồ sơ thuộc cơ quan khác.") -> Case:
        """The case with this code, of the user's office. `lock`: FOR UPDATE (PostgreSQL; SQLite's BEGIN
        IMMEDIATE already serialises writers), for a change: a second desk waits, then sees the state the first
        one left."""
        stmt = select(Case).where(Case.code == clean(code))
        case = session.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()
        if case is None:
            raise NotFound(f"Không tìm thấy hồ sơ {clean(code)}.")
        if case.office_id != user.office_id:
            raise PermissionDenied(foreign)
        return case

    def office(self, session: Session, office_id: int) -> Office:
        office = session.get(Office, office_id)
        if office is None:
            raise NotFound("Không tìm thấy thông tin cơ quan.")
        return office

    def calendar(self, session: Session, office: Office) -> WorkCalendar:
        return self.calendars.get(session, office)

    def unit(self, session: Session, unit_id: int, office_id: int) -> Unit:
        unit = session.get(Unit, unit_id)
        if unit is None or unit.office_id != office_id:
            raise NotFound("Không tìm thấy đơn vị.")
        return unit


class CalendarCache:
    """Built calendars per office, rebuilt when the calendar version or the office's hours change."""

    def __init__(self) -> None:
        self._cache: dict[tuple, WorkCalendar] = {}
        self._lock = threading.Lock()

    def get(self, session: Session, office: Office) -> WorkCalendar:
        return self._calendar(session, office.id, calendar_version(session), office.sessions, office.cutoff)

    def of_office(self, session: Session, office_id: int) -> WorkCalendar:
        """`get` by the office's id: its hours and the calendar's version in one query instead of three (every
        queue page, each keystroke's included, asks for the calendar)."""
        row = session.execute(_OFFICE_CALENDAR, {"office_id": office_id}).one_or_none()
        if row is None:
            raise NotFound("Không tìm thấy thông tin cơ quan.")
        return self._calendar(session, office_id, _version(row.version, row.days), row.sessions, row.cutoff)

    def _calendar(self, session: Session, office_id: int, version: int, sessions: str, cutoff: str) -> WorkCalendar:
        key = (office_id, version, sessions, cutoff)
        with self._lock:
            cal = self._cache.get(key)
        if cal is None:
            cal = WorkCalendar(WorkingHours.parse(sessions, cutoff), load_overrides(session))
            with self._lock:
                self._cache = {k: v for k, v in self._cache.items() if k[0] != office_id}
                self._cache[key] = cal
        return cal


# the calendar's version: the last edit's sequence number and the number of edited days
_VERSION = select(func.max(Sequence.value)).where(Sequence.kind == "calendar_version", Sequence.period == "all")
_DAYS = select(func.count(CalendarDay.id))
_OFFICE_CALENDAR = select(Office.sessions, Office.cutoff, _VERSION.scalar_subquery().label("version"),
                          _DAYS.scalar_subquery().label("days")).where(Office.id == bindparam("office_id"))


def _version(value: int | None, days: int) -> int:
    return (value or 0) * 1_000_000 + days


def calendar_version(session: Session) -> int:
    return _version(session.execute(_VERSION).scalar(), session.execute(_DAYS).scalar_one())


# the administrator-edited days, as `CalendarOverride` takes them (also asked by the start-up plan)
OVERRIDES = select(CalendarDay.day, CalendarDay.working, CalendarDay.name, CalendarDay.source, CalendarDay.confirmed)


def load_overrides(session: Session) -> list[CalendarOverride]:
    return [CalendarOverride(*r) for r in session.execute(OVERRIDES)]


def day_range(start: date, end: date) -> list[date]:
    return [date.fromordinal(o) for o in range(start.toordinal(), end.toordinal() + 1)]
