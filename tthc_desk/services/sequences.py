"""Numbers allocated inside the writing transaction: case codes per office per day, register numbers per year."""

from __future__ import annotations

from datetime import datetime
from importlib import import_module

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tthc_desk.storage.models import Case, Sequence


def _ensure_row(session: Session, office_id: int, kind: str, period: str) -> None:
    # the dialect's own INSERT (ON CONFLICT); imported here: the PostgreSQL dialect package costs ~0.1 s of a
    # start-up on SQLite (it loads every PostgreSQL driver's module, asyncio included)
    dialect = session.get_bind().dialect.name
    insert = import_module(f"sqlalchemy.dialects.{'postgresql' if dialect == 'postgresql' else 'sqlite'}").insert
    session.execute(
        insert(Sequence)
        .values(office_id=office_id, kind=kind, period=period, value=0)
        .on_conflict_do_nothing(index_elements=["office_id", "kind", "period"])
    )


def next_value(session: Session, office_id: int, kind: str, period: str) -> int:
    """Increment and return a counter; the row lock taken by UPDATE serialises concurrent desks."""
    _ensure_row(session, office_id, kind, period)
    return session.execute(
        update(Sequence)
        .where(Sequence.office_id == office_id, Sequence.kind == kind, Sequence.period == period)
        .values(value=Sequence.value + 1)
        .returning(Sequence.value)
    ).scalar_one()


def allocate_case_code(session: Session, office_id: int, office_code: str, received_at: datetime) -> str:
    """`<office code>-YYMMDD-NNNN`, the sequence restarting every day for the office. A number already taken
    is passed over: the portal numbers its online cases in the same series, and one of them imported (or
    registered with the code it came with) ahead of the counter blocked every registration of that receipt
    day, the counter going back with each failed insert (audit 10)."""
    day = f"{received_at:%y%m%d}"
    while True:
        code = f"{office_code}-{day}-{next_value(session, office_id, 'case_code', day):04d}"
        if session.execute(select(Case.id).where(Case.code == code)).first() is None:
            return code


def allocate_register_number(session: Session, office_id: int, year: int) -> int:
    """The yearly register's next Số thứ tự (continuous from 1 through the year)."""
    return next_value(session, office_id, "register", str(year))


def raise_to(session: Session, office_id: int, kind: str, period: str, value: int) -> None:
    """Make sure a counter is at least `value` (after numbers were written in bulk)."""
    _ensure_row(session, office_id, kind, period)
    session.execute(
        update(Sequence)
        .where(Sequence.office_id == office_id, Sequence.kind == kind, Sequence.period == period, Sequence.value < value)
        .values(value=value)
    )


def current_value(session: Session, office_id: int, kind: str, period: str) -> int:
    """A counter's value without taking one (0 before the first): what a preview shows as the next number."""
    value = session.execute(select(Sequence.value).where(
        Sequence.office_id == office_id, Sequence.kind == kind, Sequence.period == period)).scalar_one_or_none()
    return value or 0
