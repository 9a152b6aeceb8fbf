"""Recording a start-up plan (`tthc_desk.startup`): the services' own statements for what the window shows
first, compiled by SQLAlchemy for SQLite, with each parameter marked as a constant or as this start's value."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Date, DateTime, bindparam, select

from tthc_desk.services.accounts import actor_statement, password_statement
from tthc_desk.services.actor import Actor
from tthc_desk.services.base import OVERRIDES
from tthc_desk.services.queue import office_param
from tthc_desk.services.queue_rows import QueueFilter
from tthc_desk.startup import PlannedQuery, StartPlan, code_fingerprint
from tthc_desk.storage.models import Office

# named parameters the replay fills with this start's values
_LIVE = {"now": "now", "office_id": "office_id", "username": "username"}


class NotPlannable(Exception):
    """A statement the replay could not ask faithfully (the start then simply waits for the services)."""


def office_statement(actor: Actor):
    return select(Office.name, Office.sessions, Office.cutoff).where(Office.id == office_param(actor))


def record_start_plan(services, actor: Actor, page_size: int) -> StartPlan | None:
    """The plan for this user's start on this SQLite database (None on PostgreSQL or when not plannable)."""
    db = services.db
    if not db.is_sqlite:
        return None
    dialect = db.engine.dialect
    probe = datetime(2001, 2, 3, 4, 5, 6, 7)
    as_text = DateTime().dialect_impl(dialect).bind_processor(dialect)
    if as_text is None or as_text(probe) != probe.isoformat(" ", "microseconds"):
        return None  # the replay writes `now` in this form; another storage format is not replayed
    now, flt, queue = services.queue.now(), QueueFilter(open_only=True), services.queue
    statements = {
        "actor": actor_statement(actor.username),
        "password": password_statement(actor.username),
        "office": office_statement(actor),
        "overrides": OVERRIDES,
        "counts": queue.counts_statement(actor, flt, now),  # as `QueueService.colour_counts` asks them
        "ids": queue.ids_statement(actor, flt, now, limit=page_size),  # the first page's, as `ids(limit=)`
        "rows": queue.rows_statement(actor, bindparam("ids", list(range(page_size)), expanding=True)),
    }
    try:
        queries = {name: compile_query(stmt, dialect) for name, stmt in statements.items()}
    except NotPlannable:
        return None
    revision = db.stamped_revision()
    if not revision:
        return None
    plan = StartPlan(code_fingerprint(), revision, str(db.sqlite_path), actor.username, page_size, queries)
    plan.check()
    return plan


def compile_query(stmt, dialect) -> PlannedQuery:
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    if compiled.positiontup is None:
        raise NotPlannable("not a positional dialect")
    values = compiled.construct_params()
    params: list[tuple[str, object]] = []
    for name in compiled.positiontup:
        if name in _LIVE:
            params.append((_LIVE[name], None))
        elif name.startswith("ids_") and name[4:].isdigit():
            params.append(("id", int(name[4:]) - 1))
        else:
            value = values[name]
            bind = compiled.binds.get(name)
            process = bind.type.dialect_impl(dialect).bind_processor(dialect) if bind is not None else None
            value = process(value) if process else value
            if not isinstance(value, (int, float, str, type(None))):
                raise NotPlannable(f"parameter {name}={value!r}")
            params.append(("value", value))
    columns = []
    for i, col in enumerate(stmt.selected_columns):
        kind = ("datetime" if isinstance(col.type, DateTime) else "date" if isinstance(col.type, Date)
                else "bool" if isinstance(col.type, Boolean) else "")
        columns.append((col.key if isinstance(col.key, str) and col.key else f"c{i}", kind))
    return PlannedQuery(str(compiled), tuple(params), tuple(columns))
