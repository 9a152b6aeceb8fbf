"""The queue and search: open cases most urgent first, colours from stored due times, search without diacritics."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cached_property

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    Table,
    Text,
    and_,
    bindparam,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy import case as sql_case
from sqlalchemy.orm import aliased

from tthc_desk.domain import Colour, Status
from tthc_desk.services.base import Actor, ServiceBase
from tthc_desk.services.queue_rows import QueueFilter, QueueRow, colour_counts, queue_row, split_colours
from tthc_desk.storage.models import Case, Unit, User
from tthc_desk.text import digits, fold

# the FTS5 trigram index of migration 0002 (SQLite only; not part of the models)
CASE_SEARCH = Table("case_search", MetaData(), Column("rowid", Integer), Column("search_text", Text))

# written exactly as in the ix_case_queue expression index (migration 0004), so the planner can use it
WAITING_LAST = literal_column("(status = 'waiting_supplement')")

SORT_COLUMNS = {
    "urgency": None,
    "code": Case.code,
    "applicant": Case.applicant_name,
    "procedure": Case.procedure_name,
    "unit": None,  # by unit name, joined
    "received_at": Case.received_at,
    "due_at": Case.original_due_at,
    "status": Case.status,
}

# a number typed in groups (a phone "0912.888.777", a CCCD "079-090-001234"), and how many digits make one: a
# shorter run of digits and dots is part of a case code ("000.00.17"), searched as typed only
_NUMBER_SPELT = re.compile(r"[0-9][0-9.\-]*[0-9]")
_NUMBER_DIGITS = 9

# what a queue row shows (`_row`); loading only these keeps 200 rows cheap
_ROW_COLUMNS = (
    Case.code, Case.applicant_name, Case.procedure_name, Case.field, Case.channel, Case.received_at, Case.due_at,
    Case.original_due_at, Case.warn_at, Case.status, Case.is_open, Case.result_at, Case.extension_count,
    Case.current_unit_id, Case.office_id,
)


def now_param(now: datetime):
    """`now` as a parameter named "now" at every use in a statement (the start-up plan finds it by that name)."""
    return bindparam("now", now, type_=DateTime())


def office_param(actor: Actor):
    return bindparam("office_id", actor.office_id, type_=Integer())


def colour_expr(now: datetime):
    """Colour as SQL, so counting and filtering by colour happen in the database."""
    now = now_param(now)
    return sql_case(
        (Case.status == str(Status.WAITING_SUPPLEMENT), literal("grey")),
        (Case.original_due_at.is_(None), literal("grey")),
        (Case.original_due_at < now, literal("red")),
        (Case.warn_at <= now, literal("amber")),
        else_=literal("green"),
    )


class QueueService(ServiceBase):
    def _where(self, actor: Actor, flt: QueueFilter, now: datetime) -> list:
        conds = [Case.office_id == office_param(actor)]
        if flt.open_only:
            conds.append(Case.is_open.is_(True))
        if flt.colour is not None:
            conds.append(colour_expr(now) == str(flt.colour))
        if flt.unit_id is not None:
            conds.append(Case.current_unit_id == flt.unit_id)
        if flt.field:
            conds.append(Case.field == flt.field)
        if flt.officer_id is not None:
            conds.append(Case.officer_id == flt.officer_id)
        if flt.channel is not None:
            conds.append(Case.channel == str(flt.channel))
        if flt.status is not None:
            conds.append(Case.status == str(flt.status))
        conds += self._text_conditions(flt)
        return conds

    def _text_conditions(self, flt: QueueFilter) -> list:
        """Every typed word must occur in the case's folded text; a word of one or two letters must start a
        word ("an" finds "An", "Anh"). A phone or ID number typed with dots or dashes ("0912.888.777") is
        found as typed or as its digits, which is how the number is kept. Across all cases on SQLite the
        patterns of three characters or more go through the trigram index (case_search); the open queue is
        small enough to scan."""
        words: list[tuple[str, ...]] = []  # each typed word: the patterns, any of which may match
        for token in fold(flt.text).split():
            token = token.replace("%", "").replace("_", "")
            if token:
                number = digits(token)
                spelt = _NUMBER_SPELT.fullmatch(token) and len(number) >= _NUMBER_DIGITS and number != token
                words.append((token, number) if spelt else (token if len(token) >= 3 else " " + token,))
        use_index = self.db.is_sqlite and not flt.open_only
        conds, indexed = [], []
        for patterns in words:
            if use_index and all(len(p) >= 3 for p in patterns):
                indexed.append(or_(*[CASE_SEARCH.c.search_text.like(f"%{p}%") for p in patterns]))
            else:
                conds.append(or_(*[Case.search_text.contains(p, autoescape=True) for p in patterns]))
        if indexed:
            conds.append(Case.id.in_(select(CASE_SEARCH.c.rowid).where(*indexed)))
        return conds

    def count(self, actor: Actor, flt: QueueFilter) -> int:
        with self.db.read() as s:
            return s.execute(select(func.count(Case.id)).where(*self._where(actor, flt, self.now()))).scalar_one()

    def colour_counts(self, actor: Actor, flt: QueueFilter) -> dict[Colour, int]:
        """Open cases per colour under the other filters (the counters above the queue)."""
        with self.db.read() as s:
            return colour_counts(s.execute(self.counts_statement(actor, flt, self.now())))

    def ids(self, actor: Actor, flt: QueueFilter, sort: str = "urgency", descending: bool = False,
            limit: int | None = None) -> list[int]:
        """Case ids in display order (the lazy model keeps these and fetches rows on demand)."""
        stmt = self.ids_statement(actor, flt, self.now(), sort, descending, limit)
        with self.db.read() as s:
            return list(s.execute(stmt).scalars())

    def ids_and_counts(self, actor: Actor, flt: QueueFilter, sort: str = "urgency",
                       descending: bool = False) -> tuple[list[int], dict[Colour, int]]:
        """`ids` and `colour_counts` together. When the list is of open cases with no colour chosen, the counts
        are the listed cases' colours: one pass over the queue's index gives both (12,200 open cases: 28-33 ms
        against 40 for two queries, and a keystroke costs one scan); otherwise two queries."""
        if not (flt.open_only and flt.colour is None):
            return self.ids(actor, flt, sort, descending), self.colour_counts(actor, flt)
        stmt = self.ids_colours_statement(actor, flt, self.now(), sort, descending)
        with self.db.read() as s:  # Core rows, columns split and counted in C
            return split_colours(s.connection().execute(stmt).all())

    def counts_statement(self, actor: Actor, flt: QueueFilter, now: datetime):
        """(colour, number of cases) for the open cases under the filter's other conditions."""
        base = QueueFilter(**{**flt.__dict__, "colour": None, "open_only": True})
        expr = colour_expr(now)
        return select(expr, func.count(Case.id)).where(*self._where(actor, base, now)).group_by(expr)

    def ids_statement(self, actor: Actor, flt: QueueFilter, now: datetime, sort: str = "urgency",
                      descending: bool = False, limit: int | None = None):
        stmt = self._ordered(select(Case.id), actor, flt, now, sort, descending)
        return stmt.limit(limit) if limit else stmt

    def ids_colours_statement(self, actor: Actor, flt: QueueFilter, now: datetime, sort: str = "urgency",
                              descending: bool = False):
        """(id, colour) of the listed cases in display order (`split_colours` makes ids and counts of them)."""
        return self._ordered(select(Case.id, colour_expr(now)), actor, flt, now, sort, descending)

    def rows_statement(self, actor: Actor | None, ids):
        """The shown columns of these cases (`ids`: a list, or an expanding parameter named "ids"), unit name
        joined: Core rows, not ORM objects or the JSON columns (2x faster a page). `actor` None: the office is
        the parameter "office_id", given at execution."""
        unit = aliased(Unit)
        office = office_param(actor) if actor is not None else bindparam("office_id", type_=Integer())
        return (
            select(Case.id, *_ROW_COLUMNS, unit.name.label("unit_name"))
            .outerjoin(unit, unit.id == Case.current_unit_id)
            .where(Case.id.in_(ids), Case.office_id == office)
        )

    @cached_property
    def _page_rows(self):
        """`rows_statement` with the ids and the office as parameters, built once: building it (aliasing the
        unit table) and keying it for SQLAlchemy's statement cache took 2 of the 10 ms a page cost."""
        return self.rows_statement(None, bindparam("ids", expanding=True))

    def _ordered(self, stmt, actor: Actor, flt: QueueFilter, now: datetime, sort: str, descending: bool):
        stmt = stmt.where(*self._where(actor, flt, now))
        if sort == "unit":
            unit = aliased(Unit)  # (only here: aliasing the table costs ~1 ms, at every keystroke)
            stmt = stmt.outerjoin(unit, unit.id == Case.current_unit_id)
            keys = [unit.name.desc().nulls_last() if descending else unit.name.nulls_first()]  # as due_at below
        elif sort == "urgency" or SORT_COLUMNS.get(sort) is None:
            # an open case without a due time (a procedure with no rule, imported without one) comes first: its
            # deadline is unknown until the desk sets it. NULLS FIRST is SQLite's own order (its covering index
            # still gives it) and is said so that PostgreSQL, which sorts this query itself, puts it there too
            keys = [Case.is_open.desc(), WAITING_LAST, Case.original_due_at.nulls_first()]
        elif sort == "due_at":  # no due time as the earliest, both ways, on both backends
            keys = [Case.original_due_at.desc().nulls_last() if descending else Case.original_due_at.nulls_first()]
        else:
            keys = [SORT_COLUMNS[sort].desc() if descending else SORT_COLUMNS[sort]]
        return stmt.order_by(*keys, Case.id)

    def rows(self, actor: Actor, ids: list[int]) -> list[QueueRow]:
        """Display rows for these ids, in the same order, with colour and remaining time at `now`."""
        if not ids:
            return []
        now = self.now()
        with self.db.read() as s:
            rows = s.connection().execute(self._page_rows, {"ids": list(ids), "office_id": actor.office_id}).all()
            found = {c.id: (c, c.unit_name) for c in rows}
            cal = self.calendars.of_office(s, actor.office_id)
        out = []
        for i in ids:
            if i in found:
                c, uname = found[i]
                out.append(queue_row(c, uname or "", now, cal))
        return out

    def list(self, actor: Actor, flt: QueueFilter, sort: str = "urgency", descending: bool = False,
             limit: int = 200) -> list[QueueRow]:
        return self.rows(actor, self.ids(actor, flt, sort, descending, limit))

    def officers(self, actor: Actor) -> list[tuple[int, str]]:
        with self.db.read() as s:
            rows = s.execute(select(User.id, User.full_name).where(User.office_id == actor.office_id).order_by(User.full_name))
            return [(i, n) for i, n in rows]

    def fields(self, actor: Actor, open_only: bool = True) -> list[str]:
        """The fields the office's (open) cases are in, as the queue's field filter offers them."""
        with self.db.read() as s:
            conds = [Case.office_id == actor.office_id, Case.field != ""]
            if open_only:
                conds.append(Case.is_open.is_(True))
            rows = s.execute(select(Case.field).where(*conds).distinct())
            return sorted(r for (r,) in rows)

    def changed_since(self, actor: Actor, moment: datetime) -> bool:
        """Whether any case of the office changed after `moment` (another desk's work, for refreshing)."""
        with self.db.read() as s:
            hit = s.execute(select(Case.id).where(and_(Case.office_id == actor.office_id, Case.updated_at > moment)).limit(1)).first()
            return hit is not None
