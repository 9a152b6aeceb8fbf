"""Writing a classified file in bulk (Core inserts/updates, hash-chained IMPORTED events) inside one transaction."""

from __future__ import annotations

import hashlib
import json
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, func, select
from sqlalchemy.orm import Session

from tthc_desk.calendar import WorkCalendar
from tthc_desk.catalogue_files import national_code
from tthc_desk.domain import EventKind, SupplementMode
from tthc_desk.services.base import fit_column
from tthc_desk.services.intake import search_parts
from tthc_desk.services.ledger import add_audit
from tthc_desk.storage.models import Case, CaseEvent, Office, Procedure, Unit
from tthc_desk.sync.plan import CREATE, TEMPORARY_CODE
from tthc_desk.sync.reader import ImportCancelled, PortalRow
from tthc_desk.sync.service_match import Catalogue, Resolver
from tthc_desk.sync.service_new import (
    Binder,
    Layout,
    ascii_json,
    case_layout,
    case_rows,
    event_digest,
    event_layout,
    event_rows,
)
from tthc_desk.text import fold, strip_marks

CHUNK = 5000
Cancel = Callable[[], bool]


@dataclass
class WriteContext:
    session: Session
    office: Office
    cal: WorkCalendar
    catalogue: Catalogue
    resolver: Resolver
    mapped: frozenset[str]
    now: datetime
    user_id: int
    unit_id: int | None
    file_name: str
    cancel: Cancel | None = None
    memo: dict = field(default_factory=dict)
    # `progress(done, total)` as the rows are written (the cases new and updated, `total` of them): the page's
    # bar stood still through the write, a busy indicator only
    progress: Callable[[int, int], None] | None = None
    total: int = 0
    done: int = 0

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel():
            raise ImportCancelled()

    def advance(self, rows: int) -> None:
        self.done += rows
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)


def create_unknowns(ctx: WriteContext, first_field: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """Insert the units and procedures the user asked to create, marked for review: the units' names, and the
    procedures' code -> name."""
    s, res = ctx.session, ctx.resolver
    units: list[str] = []
    procs: dict[str, str] = {}
    for key, unknown in res.units.items():
        if unknown.resolution == CREATE:  # `key` is the folded name; the unit is named as the file first wrote it
            name = unknown.name
            unit = Unit(office_id=ctx.office.id, name=name, kind="", needs_review=True)
            s.add(unit)
            s.flush()
            res.created[("unit", key)] = unit.id
            ctx.catalogue.add_unit(name, unit.id)
            add_audit(s, ctx.now, ctx.user_id, "import_create_unit", "unit", unit.id, {"name": name, "file": ctx.file_name})
            units.append(name)
    for key, unknown in res.procedures.items():
        if unknown.resolution != CREATE:
            continue
        code = unknown.code or TEMPORARY_CODE + hashlib.sha1(fold(unknown.name).encode()).hexdigest()[:8].upper()
        name = unknown.name or code
        note = f"Cần xác nhận: tạo khi nhập tệp '{ctx.file_name}'; chưa có thời hạn giải quyết, lĩnh vực, giấy tờ."
        source = fit_column(f"Nhập từ tệp {ctx.file_name}", Procedure.source)  # a portal's file names run long
        proc = Procedure(code=code, national_code=national_code(code), name=name, name_folded=fold(name),
                         field=first_field.get(key, ""), needs_review=True, review_note=note, source=source,
                         updated_at=ctx.now)  # fmt: skip
        s.add(proc)
        s.flush()
        res.created[("procedure", key)] = proc.id
        add_audit(s, ctx.now, ctx.user_id, "import_create_procedure", "procedure", code, {"name": name, "file": ctx.file_name})
        procs[code] = name
    if procs:
        ctx.catalogue.__init__(s, ctx.office.id)  # the new procedures, as the rows will read them
    return units, procs


class _Warn:
    """`deadline.warning_minutes` + `warn_moment` for (receipt, due, window), on working-minute positions: the
    due time's position and each (due, window, minutes) warning moment are computed once; per row only the
    receipt's position (`receipt_position`, the same moment as `start_of_clock`) is taken."""

    def __init__(self, cal: WorkCalendar) -> None:
        self.cal, self.due_pos, self.moments, self.origin = cal, {}, {}, None

    def __call__(self, received: datetime, due: datetime, window: int) -> tuple[int, datetime]:
        minutes, moments = self.many([received], [due], [window])
        return minutes[0], moments[0]

    def many(self, received: list[datetime], dues: list[datetime | None], windows: list[int]
             ) -> tuple[list[int], list[datetime | None]]:
        """(minutes, warning moment) for each (receipt, due, window), and (0, None) where there is no due time
        (as intake does): the positions taken column by column, each distinct due time's once."""
        cal, due_pos = self.cal, self.due_pos
        while True:
            origin = cal.first_year
            if origin != self.origin:  # positions count from 1 January of `first_year`
                due_pos.clear()
                self.origin = origin
            starts = list(map(cal.receipt_position, received))
            new = [d for d in set(dues) if d not in due_pos and d is not None]
            due_pos.update(zip(new, map(cal.position, new), strict=True))
            if cal.first_year == origin:  # else a date outside the table moved the origin: take them again
                break
        ends = list(map(due_pos.get, dues))
        minutes = [0 if e is None else min(w, max(0, e - min(s, e)) // 2)
                   for s, e, w in zip(starts, ends, windows, strict=True)]  # fmt: skip
        moments = self.moments
        for key in {(d, m) for d, m in zip(dues, minutes, strict=True) if m > 0 and (d, m) not in moments}:
            moments[key] = cal.moment_at(max(0, due_pos[key[0]] - key[1]), prefer_end=True)
        return minutes, [moments[(d, m)] if m > 0 else d for d, m in zip(dues, minutes, strict=True)]


def _event(case_id: int, seq: int, prev: str, ctx: WriteContext, data: dict) -> dict:
    """An IMPORTED event of a known case (`event_digest`), as a row for `bulk_insert`."""
    data_json = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    digest = event_digest(ctx, case_id, seq, prev, data_json)
    return {"case_id": case_id, "seq": seq, "at": ctx.now, "user_id": ctx.user_id, "unit_id": ctx.unit_id,
            "kind": str(EventKind.IMPORTED), "data": _Json(data_json), "prev_hash": prev, "hash": digest}  # fmt: skip


class _Json(str):
    """JSON text already serialised: `bulk_insert` stores it as is on SQLite, and on PostgreSQL as the text
    Core stored for its value (`ascii_json`)."""


def _row_data(row: PortalRow, ctx: WriteContext) -> dict:
    values = {}
    for name in row.__slots__:
        value = getattr(row, name)
        if value is None or value == "" or name == "row_number":
            continue
        values[name] = value.isoformat() if isinstance(value, datetime) else str(value)
    return {"file": ctx.file_name, "row": row.row_number, "values": values}


def insert_new(ctx: WriteContext, rows: list[PortalRow], unit_of: dict, procedure_of: dict) -> int:
    """Add the new cases (source 'import', the portal's due dates) and their IMPORTED events."""
    if not rows:
        return 0
    conn = ctx.session.connection()
    if conn.dialect.name == "sqlite":
        _insert_new_sqlite(ctx, conn, rows, unit_of, procedure_of)
    else:
        _insert_new_postgresql(ctx, conn, rows, unit_of, procedure_of)
    return len(rows)


def _insert_new_postgresql(ctx: WriteContext, conn, rows: list[PortalRow], unit_of: dict,
                           procedure_of: dict) -> None:
    """The PostgreSQL path: the cases' ids taken from case_file's sequence in one statement, then the cases
    and their events each sent with one COPY, built chunk by chunk as they are sent.

    An INSERT ... RETURNING executemany (Core's "insertmanyvalues") sent statements of 1,000 rows x ~40
    parameters, which psycopg parses afresh each time (it caches no query that long): 17 s of an 18 s import
    of 50,000 rows. COPY streams the rows with no statement to parse, and as one COPY spans all the chunks,
    the server stores (indexes, foreign keys) a chunk's rows while this thread builds the next.

    COPY is an ordinary statement of the import's one transaction: a failure or a cancel (raised inside it:
    psycopg ends the COPY as failed) rolls it back with the rest. The ids are the sequence's, in row order, as
    the column default gives them; those of an import rolled back are not given back (nor are a failed
    INSERT's): the gap is harmless. The events take their ids from their column's default, in row order as
    before, and the server keeps the search index (pg_trgm) up itself.
    """
    warn, mode, binder = _Warn(ctx.cal), ctx.office.supplement_mode or SupplementMode.RESTART, Binder(False)
    cases = _Copy(Case.__table__, case_layout(ctx, binder))
    events = _Copy(CaseEvent.__table__, event_layout(ctx, binder))
    chunks = [(start, start + CHUNK) for start in range(0, len(rows), CHUNK)]
    with conn.connection.driver_connection.cursor() as cur:
        sequence = cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", (Case.__table__.name,)).fetchone()[0]
        taken = cur.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s) ORDER BY 1",
                            (sequence, len(rows)))
        ids = [i for (i,) in taken]
        with cur.copy(cases.sql(with_id=True)) as copy:
            for start, end in chunks:
                ctx.check_cancel()
                cases.write(copy, case_rows(ctx, rows[start:end], unit_of, procedure_of, warn, mode, binder),
                            ids[start:end])  # fmt: skip
                ctx.advance((end - start) // 2)  # (half a row's work: the case; its event below)
        with cur.copy(events.sql(with_id=False)) as copy:
            for start, end in chunks:
                ctx.check_cancel()
                events.write(copy, event_rows(ctx, ids[start:end], rows[start:end], binder))
                ctx.advance(end - start - (end - start) // 2)


class _Copy:
    """The rows of one table, given as a `Layout`'s tuples, for COPY: each row is sent whole (its id first if
    given, the varying values, the copied ones, the constants), the columns named in that order."""

    def __init__(self, table, layout: Layout) -> None:
        self.table, self.layout = table, layout
        position = {name: i for i, name in enumerate(layout.varying)}
        self.copied = [position[source] for source in layout.copies.values()]
        self.constants = tuple(layout.constants.values())

    def sql(self, with_id: bool) -> str:
        layout = self.layout
        names = [*(["id"] if with_id else []), *layout.varying, *layout.copies, *layout.constants]
        return f'COPY "{self.table.name}" ({", ".join(f'"{n}"' for n in names)}) FROM STDIN'

    def write(self, copy, rows: list[tuple], ids: list[int] | None = None) -> None:
        copied, constants, write = self.copied, self.constants, copy.write_row
        if ids is None:
            for row in rows:
                write((*row, *[row[i] for i in copied], *constants))
        else:
            for row_id, row in zip(ids, rows, strict=True):
                write((row_id, *row, *[row[i] for i in copied], *constants))


def _insert_new_sqlite(ctx: WriteContext, conn, rows: list[PortalRow], unit_of: dict, procedure_of: dict) -> None:
    """The SQLite path, in two stages per chunk of rows.

    1. This thread builds the chunk's case and event tuples (Python) and binds them into two unindexed
       temporary tables (`executemany`, about two fifths of a direct insert's cost).
    2. A second thread moves them into case_file and case_event and fills the search index: three
       INSERT ... SELECT statements, which sqlite3 runs without the GIL. The queue's eleven indexes and the
       trigram index are maintained there, on the other core, while this thread builds the next chunk.

    The connection is never used by both threads at once: `Staging.wait()` comes before each bind and before
    leaving. Ids are handed out here (the write transaction holds the database, BEGIN IMMEDIATE): a chunk's
    cases take `first .. first + n - 1` in the staging table's rowid order, which restarts at 1 for each
    chunk because the table is emptied after each move. The staging tables are temporary and dropped at the
    end, and everything is inside the import's one transaction: a failure rolls all of it back.
    """
    warn, mode, binder = _Warn(ctx.cal), ctx.office.supplement_mode or SupplementMode.RESTART, Binder(True)
    next_id = (ctx.session.execute(select(func.max(Case.id))).scalar() or 0) + 1
    search_trigger = _suspend_search_trigger(conn)
    staging = _Staging(conn.connection.driver_connection, case_layout(ctx, binder), event_layout(ctx, binder),
                       index_search=search_trigger is not None)  # fmt: skip
    try:
        for start, end in _tapered(len(rows), CHUNK):
            ctx.check_cancel()
            chunk = rows[start:end]
            cases = case_rows(ctx, chunk, unit_of, procedure_of, warn, mode, binder)
            ids = range(next_id, next_id + len(cases))
            next_id += len(cases)
            staging.add(ids.start, cases, event_rows(ctx, ids, chunk, binder))
            ctx.advance(len(chunk))
    finally:
        staging.close()
    if search_trigger is not None:
        conn.exec_driver_sql(search_trigger)


def _tapered(n: int, size: int) -> list[tuple[int, int]]:
    """(start, end) of chunks of `size` rows, the last `size` rows in quarters: the move of the last chunk is
    the one thing nothing overlaps, so it is kept short."""
    cut = max(0, n - size)
    bounds = [(i, min(i + size, cut)) for i in range(0, cut, size)]
    step = max(1, -(-min(n, size) // 4))
    return bounds + [(i, min(i + step, n)) for i in range(cut, n, step)]


class _Staging:
    """The temporary tables of `_insert_new_sqlite` and the thread that moves each chunk out of them. Only
    the columns that vary from row to row are bound and staged; the move copies the rest from the row's
    other columns or takes them as parameters (`Layout`)."""

    CASES, EVENTS = "temp.import_case_file", "temp.import_case_event"

    def __init__(self, dbapi_conn, cases: Layout, events: Layout, index_search: bool) -> None:
        self.dbc, self.index_search, self.mover = dbapi_conn, index_search, None
        self.layouts = {self.CASES: cases, self.EVENTS: events}
        for name, layout in self.layouts.items():
            # no declared types: values are kept exactly as bound, and the target's own column types apply
            # when they are moved, as for a direct insert
            self.dbc.execute(f"DROP TABLE IF EXISTS {name}")
            self.dbc.execute(f"CREATE TABLE {name} ({', '.join(layout.varying)})")
        self.moves = [self._move_sql(self.CASES, "main.case_file", "rowid + ?", cases),
                      self._move_sql(self.EVENTS, "main.case_event", None, events)]  # fmt: skip

    @staticmethod
    def _move_sql(source: str, target: str, row_id: str | None, layout: Layout) -> tuple[str, list]:
        """INSERT ... SELECT from `source` into `target` and the parameters it takes before the id offset."""
        names = [*(["id"] if row_id else []), *layout.varying, *layout.copies, *layout.constants]
        exprs = [*([row_id] if row_id else []), *layout.varying, *layout.copies.values(), *"?" * len(layout.constants)]
        sql = f"INSERT INTO {target} ({', '.join(names)}) SELECT {', '.join(exprs)} FROM {source} ORDER BY rowid"
        return sql, list(layout.constants.values())

    def add(self, first_id: int, cases: list[tuple], events: list[tuple]) -> None:
        self.wait()
        self.dbc.executemany(_insert_sql(self.CASES, self.layouts[self.CASES].varying), cases)
        self.dbc.executemany(_insert_sql(self.EVENTS, self.layouts[self.EVENTS].varying), events)
        self.mover = _Background(self._move, first_id - 1)

    def _move(self, offset: int) -> None:
        (cases_sql, cases_params), (events_sql, events_params) = self.moves
        self.dbc.execute(cases_sql, [offset, *cases_params])
        self.dbc.execute(events_sql, events_params)
        if self.index_search:  # what the suspended trigger would have added
            self.dbc.execute(f"INSERT INTO main.case_search (rowid, search_text) SELECT rowid + ?, search_text "
                             f"FROM {self.CASES}", (offset,))  # fmt: skip
        self.dbc.execute(f"DELETE FROM {self.CASES}")
        self.dbc.execute(f"DELETE FROM {self.EVENTS}")

    def wait(self) -> None:
        mover, self.mover = self.mover, None
        if mover is not None:
            mover.wait()

    def close(self) -> None:
        """Wait for the last move (also when leaving on an error: the rollback must not race it) and drop
        the tables."""
        try:
            self.wait()
        finally:
            self.dbc.execute(f"DROP TABLE IF EXISTS {self.CASES}")
            self.dbc.execute(f"DROP TABLE IF EXISTS {self.EVENTS}")


def _insert_sql(table: str, names: tuple[str, ...]) -> str:
    return f'INSERT INTO {table} ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})'


class _Background:
    """One call on a second thread (`_Staging`'s moves), waited for before the connection is used again."""

    def __init__(self, fn: Callable, *args: Any) -> None:
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(fn, *args), name="tthc-import-move", daemon=True)
        self.thread.start()

    def _run(self, fn: Callable, *args: Any) -> None:
        try:
            fn(*args)
        except BaseException as exc:  # handed to the waiting thread, which fails the transaction
            self.error = exc

    def wait(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


def _suspend_search_trigger(conn) -> str | None:
    """Drop the FTS5 insert trigger of migration 0002 for this transaction; its SQL, to re-create it after.

    Filling the trigram index once for all the new rows costs a sixth of doing it row by row through the
    trigger (0.9 s against 5.6 s for 50,000 cases). SQLite DDL is transactional: a failed import rolls the
    drop back with everything else.
    """
    sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'case_search_ai'").scalar()
    if sql is None:
        return None
    conn.exec_driver_sql("DROP TRIGGER case_search_ai")
    return sql


def _sqlite_column(column, values: list, texts: dict) -> list:
    """One column's values as SQLAlchemy's SQLite types would bind them, done directly and per distinct value
    (the Core path costs ~4x on 50,000 rows; rows share most times and every snapshot object). `texts` holds
    the datetimes already written, shared by a row's columns (received = clock start, due = original due)."""
    kind = type(column.type)
    if issubclass(kind, DateTime):
        for v in set(values).difference(texts):
            texts[v] = v.isoformat(" ", "microseconds")
        return list(map(texts.__getitem__, values))
    if issubclass(kind, JSON):
        shared: dict[int, Any] = {}  # by identity: the objects stay alive during the call

        def as_json(v: Any) -> Any:
            if v is None or type(v) is _Json:
                return v
            text = shared.get(id(v))
            if text is None:
                text = shared[id(v)] = json.dumps(v)
            return text

        return list(map(as_json, values))
    if issubclass(kind, Boolean):
        return list(map(_BOOL_INT.__getitem__, values)) if _BOOL_INT.keys() >= set(values) else [
            None if v is None else int(bool(v)) for v in values]
    return values


_BOOL_INT = {None: None, True: 1, False: 0}


def bulk_insert(conn, table, rows: list[dict]) -> None:
    """Insert many rows of identical keys: straight to sqlite3's executemany on SQLite, COPY on PostgreSQL
    (Core's executemany sent 1,000-row INSERTs that psycopg parses afresh, as `_insert_new_postgresql`
    says). A JSON text is sent as Core stored it there: json.dumps of its value (`ascii_json`)."""
    if not rows:
        return
    names = list(rows[0])
    if conn.dialect.name != "sqlite":
        sql = f'COPY "{table.name}" ({", ".join(f'"{n}"' for n in names)}) FROM STDIN'
        with conn.connection.driver_connection.cursor() as cur, cur.copy(sql) as copy:
            for row in rows:
                copy.write_row([ascii_json(v) if type(v) is _Json else v for v in row.values()])
        return
    texts: dict[Any, Any] = {None: None}
    columns = [_sqlite_column(table.c[n], list(map(itemgetter(n), rows)), texts) for n in names]
    sql = f'INSERT INTO "{table.name}" ({", ".join(f'"{n}"' for n in names)}) VALUES ({", ".join("?" * len(names))})'
    conn.connection.driver_connection.executemany(sql, zip(*columns, strict=True))


def _search_text(values: dict[str, Any]) -> str:
    """`intake.search_text_for` on a dict of case columns."""
    return search_text_of((values["code"], values["applicant_name"], values["owner_name"],
                           values["applicant_id_number"], values["owner_id_number"], values["applicant_phone"],
                           values["procedure_code"]))  # fmt: skip


def search_text_of(values: tuple) -> str:
    """`intake.search_text_for` on (code, applicant, owner, applicant ID, owner ID, phone, procedure code)."""
    return search_texts([values])[0]


# text.CONTROL but the two separators `search_texts` joins with
_OTHER_CONTROL = re.compile("[\x02-\x08\x0e-\x1f\x7f]")


def search_texts(many: list[tuple]) -> list[str]:
    """`search_text_of` for many cases at bulk speed (same results, `search_parts` included): every present
    part of every case is folded in ONE string. Parts are joined by NUL and cases by SOH, so each part is still trimmed on its own
    (a part folding to nothing leaves its empty place, as in the per-part join); lower-casing, NFD and
    dropping the marks treat these control characters as the boundaries they are."""
    many = list(map(search_parts, many))
    counts, joined = [], []
    for values in many:
        parts = [p for p in values if p]
        counts.append(len(parts))
        joined.append("\x00".join(parts))
    text = "\x01".join(joined)
    if text.count("\x00") != sum(counts) - len(counts) + counts.count(0) or text.count("\x01") != len(many) - 1:
        return [" ".join(fold(p) for p in values if p) for values in many]  # no cases, or a NUL/SOH in a part
    if _OTHER_CONTROL.search(text):  # `fold` drops them (text.CONTROL); an import's texts never hold one
        return [" ".join(fold(p) for p in values if p) for values in many]
    folded = " ".join(text.split()).lower()
    if not folded.isascii():
        folded = strip_marks(unicodedata.normalize("NFD", folded))
    for mark in ("\x00", "\x01"):
        folded = folded.replace(" " + mark, mark).replace(mark + " ", mark)
    return folded.replace("\x00", " ").split("\x01")
