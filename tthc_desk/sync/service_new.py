"""New cases from a portal file, built for a bulk insert: one tuple per case and one per IMPORTED event.

50,000 rows pass through here in one import, so the work per row is kept to what differs per row. What
depends only on the procedure and the channel (the rule, the warning window, the snapshot, the catalogue's
names) is worked out once per pair (`_Profile`); times and JSON are handed to the driver in the form
SQLAlchemy's column types would give it (on SQLite: text), each distinct time written once (`Binder`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from json.encoder import encode_basestring as _encode
from operator import attrgetter
from typing import Any

from tthc_desk import deadline
from tthc_desk.domain import CLOSED_OTHER, Channel, EventKind, Status
from tthc_desk.services.intake import rule_for
from tthc_desk.sync.reader import PortalRow
from tthc_desk.sync.service_match import procedure_key
from tthc_desk.sync.service_model import row_status

# what varies from one new case to the next, in `case_rows`' tuples' order
CASE_VARYING = (
    "code", "procedure_id", "procedure_code", "procedure_name", "field", "rule_amount", "rule_unit",
    "supplement_mode", "rule_snapshot", "applicant_name", "applicant_id_number", "applicant_phone",
    "applicant_email", "applicant_address", "channel", "received_at", "due_at", "warn_at", "warn_minutes",
    "lead_unit_id", "status", "is_open", "result_at", "returned_at", "closed_at", "portal_updated_at", "search_text",
)  # fmt: skip
# columns a new imported case copies from another of its columns
CASE_COPIES = {"owner_name": "applicant_name", "return_channel": "channel", "clock_from": "received_at",
               "original_due_at": "due_at", "current_unit_id": "lead_unit_id"}  # fmt: skip
EVENT_VARYING = ("case_id", "data", "hash")


@dataclass(frozen=True)
class Layout:
    """How the rows of one table are handed over: the `varying` columns as one tuple per row (in that order),
    `copies` taken from another column of the same row, `constants` the same for every row of the import."""

    varying: tuple[str, ...]
    copies: dict[str, str]
    constants: dict[str, Any]

    def dicts(self, rows: list[tuple]) -> list[dict]:
        """Whole rows as Core's executemany takes them."""
        out = []
        for values in rows:
            row = dict(zip(self.varying, values, strict=True))
            row.update({name: row[source] for name, source in self.copies.items()}, **self.constants)
            out.append(row)
        return out


def case_layout(ctx, binder: Binder) -> Layout:
    now = binder.time(ctx.now)
    return Layout(CASE_VARYING, CASE_COPIES, {
        "office_id": ctx.office.id, "owner_id_number": "", "owner_address": "", "papers": binder.json([]),
        "sets_count": 1, "close_reason": "", "supplement_count": 0, "extension_count": 0, "source": "import",
        "version": 1, "created_at": now, "updated_at": now, "synced_at": now})  # fmt: skip


def event_layout(ctx, binder: Binder) -> Layout:
    return Layout(EVENT_VARYING, {}, {"seq": 1, "at": binder.time(ctx.now), "user_id": ctx.user_id,
                                      "unit_id": ctx.unit_id, "kind": str(EventKind.IMPORTED), "prev_hash": ""})  # fmt: skip


class _Times(dict):
    """datetime -> the text SQLAlchemy's SQLite DateTime stores ('2025-01-02 07:30:00.000000'), memoised."""

    def __missing__(self, value: datetime) -> str:
        text = self[value] = value.isoformat(" ", "microseconds")
        return text


class Binder:
    """Values as the driver takes them: text for times and JSON on SQLite (what SQLAlchemy's types would
    bind), the objects themselves elsewhere (Core binds them)."""

    def __init__(self, sqlite: bool) -> None:
        self.sqlite = sqlite
        if sqlite:
            times = _Times({None: None})
            self.time = times.__getitem__
            self.json = json.dumps
        else:
            self.time = self.json = _same


def _same(value: Any) -> Any:
    return value


class _Profile:
    """What a new case takes from its procedure and channel; one per (procedure, channel) in a file."""

    __slots__ = ("proc_id", "rule", "window", "code", "name", "field", "amount", "unit", "mode", "snapshot")

    def __init__(self, ctx, proc_id: int | None, channel: str, mode: str, binder: Binder) -> None:
        proc = ctx.catalogue.procedures.get(proc_id) if proc_id is not None else None
        self.proc_id = proc_id
        self.rule = rule_for(proc, channel) if proc is not None else None
        own = proc.warning_minutes if proc is not None else None
        self.window = ctx.office.warning_minutes if own is None else own
        self.code, self.name, self.field = (proc.code, proc.name, proc.field) if proc is not None else ("", "", "")
        self.amount = self.rule.amount if self.rule else None
        self.unit = str(self.rule.unit) if self.rule else None
        self.mode = (proc.supplement_mode if proc is not None else None) or mode
        snapshot = {"source": "import", "file": ctx.file_name, "warning_window": self.window,
                    "rule": self.rule.describe() if self.rule else ""}  # fmt: skip
        self.snapshot = binder.json(snapshot)


def case_rows(ctx, rows: list[PortalRow], unit_of: dict, procedure_of: dict, warn, mode: str,
              binder: Binder) -> list[tuple]:
    """The new cases of `rows` (source 'import', the portal's due dates), in `CASE_VARYING` order."""
    from tthc_desk.sync.service_write import search_texts  # one fold for the bulk paths

    profiles: dict[tuple, _Profile] = ctx.memo.setdefault("profiles", {})
    time, resolver, statuses = binder.time, ctx.resolver, _statuses()
    out, searched = [], []
    for row in rows:
        number = row.row_number
        proc_id = procedure_of.get(number)
        if proc_id is None and procedure_key(row):
            proc_id = resolver.procedure(row)  # a procedure created for this file
        unit_id = unit_of.get(number)
        if unit_id is None and row.unit:
            unit_id = resolver.unit(row)
        channel = str(row.channel) if row.channel else _DIRECT  # `service_model.channel_of`
        p = profiles.get((proc_id, channel))
        if p is None:
            p = profiles[(proc_id, channel)] = _Profile(ctx, proc_id, channel, mode, binder)
        status, is_open, closing = statuses[(row.status, row.finished_at is None, row.returned_at is None)]
        received = row.received_at
        if received.second or received.microsecond:
            received = received.replace(second=0, microsecond=0)
        due = row.due_at
        if due is not None and (due.second or due.microsecond):
            due = due.replace(second=0, microsecond=0)
        elif due is None and p.rule is not None:
            due = deadline.compute_due(ctx.cal, received, p.rule)
        warn_minutes, warn_at = warn(received, due, p.window) if due is not None else (0, None)  # as intake does
        latest = received  # `row_moment`: the latest of receipt, result and return, to the minute
        finished, returned = row.finished_at, row.returned_at
        if finished is not None:
            if finished.second or finished.microsecond:
                finished = finished.replace(second=0, microsecond=0)
            latest = finished if finished > latest else latest
        if returned is not None:
            if returned.second or returned.microsecond:
                returned = returned.replace(second=0, microsecond=0)
            latest = returned if returned > latest else latest
        finished = time(finished)
        code, applicant, procedure_code = row.code, row.applicant, row.procedure_code or p.code
        searched.append((code, applicant, applicant, row.citizen_id, "", row.phone, procedure_code))
        out.append((
            code, proc_id, procedure_code, row.procedure_name or p.name, row.field or p.field, p.amount, p.unit,
            p.mode, p.snapshot, applicant, row.citizen_id, row.phone, row.email, row.address, channel,
            time(received), time(due), time(warn_at), warn_minutes, unit_id, status, is_open,
            None if closing else finished, time(returned), finished if closing else None, time(latest),
        ))  # fmt: skip
    return [(*case, text) for case, text in zip(out, search_texts(searched), strict=True)]


_DIRECT = str(Channel.DIRECT)


def _statuses() -> dict:
    """(status text, is_open, closes) for each (stated status, no finish date, no return date): `row_status`
    worked out once per combination (a file has a handful)."""
    class Table(dict):
        def __missing__(self, key):
            status, no_finish, no_return = key
            probe = PortalRow(0, "", status=status, finished_at=None if no_finish else datetime.min,
                              returned_at=None if no_return else datetime.min)  # fmt: skip
            found = row_status(probe) or Status.RECEIVED
            value = self[key] = (str(found), found.is_open, found in CLOSED_OTHER)
            return value

    return Table()


_DATA_NAMES = tuple(n for n in sorted(PortalRow.__slots__) if n != "row_number")
_DATA_KEYS = tuple(f"{_encode(n)}: " for n in _DATA_NAMES)
_TIME_NAMES = frozenset({"received_at", "due_at", "finished_at", "returned_at"})  # datetime or None
_CHOICE_NAMES = frozenset({"channel", "status"})  # a handful of enum members or None; the rest is text


def rows_json(rows: list[PortalRow], file_name: str) -> list[str]:
    """For each row, `json.dumps({"file", "row", "values": the row's non-empty cells}, ensure_ascii=False,
    sort_keys=True)`, written directly (what `ledger.verify_events` will recompute with json.dumps).

    Column by column, each in the plainest form its type allows (an ISO time needs no escaping; a channel is
    encoded once per member), then one join per row of its non-empty pieces.
    """
    head = f'{{"file": {_encode(file_name)}, "row": '
    columns = []
    for name, key in zip(_DATA_NAMES, _DATA_KEYS, strict=True):
        values = list(map(attrgetter(name), rows))
        if name in _TIME_NAMES:
            columns.append([f'{key}"{v.isoformat()}"' if v is not None else None for v in values])
        elif name in _CHOICE_NAMES:
            pieces = {v: key + _encode(str(v)) for v in set(values) if v is not None and v != ""}
            pieces[None] = pieces[""] = None
            columns.append(list(map(pieces.__getitem__, values)))
        else:
            columns.append([key + _encode(v) if v else None for v in values])
    return [f'{head}{row.row_number}, "values": {{{", ".join(filter(None, parts))}}}}}'
            for row, *parts in zip(rows, *columns, strict=True)]  # fmt: skip


def event_digest(ctx, case_id: int, seq: int, prev: str, data_json: str) -> str:
    """The hash of an IMPORTED event, chained like `ledger.add_event`: the payload text is assembled around
    the data's JSON (written once, also what is stored); `ledger.verify_events` recomputes it with json.dumps
    and agrees."""
    head, tail = _event_text(ctx)
    body = f'{head}{case_id}, "data": {data_json}, "kind": "imported", "seq": {seq}{tail}'
    return hashlib.sha256((prev + "\n" + body).encode("utf-8")).hexdigest()


def _event_text(ctx) -> tuple[str, str]:
    """The parts of an IMPORTED event's hashed text that are the same for the whole import."""
    return ctx.memo.get("event_text") or ctx.memo.setdefault("event_text", (
        f'{{"at": "{ctx.now.isoformat()}", "case_id": ',
        f', "unit_id": {_j(ctx.unit_id)}, "user_id": {_j(ctx.user_id)}}}'))  # fmt: skip


def event_rows(ctx, ids: list[int] | range, rows: list[PortalRow], binder: Binder) -> list[tuple]:
    """The first event (IMPORTED, seq 1, the first of its chain) of each new case, in `EVENT_VARYING` order:
    `event_digest(ctx, case_id, 1, "", data)` for each, with the constant parts of the text joined once."""
    head, tail = _event_text(ctx)
    head, tail = "\n" + head, f', "kind": "imported", "seq": 1{tail}'
    sha256, datas = hashlib.sha256, rows_json(rows, ctx.file_name)
    loads = None if binder.sqlite else json.loads
    return [(case_id, data if loads is None else loads(data),
             sha256(f'{head}{case_id}, "data": {data}{tail}'.encode()).hexdigest())
            for case_id, data in zip(ids, datas, strict=True)]  # fmt: skip


def _j(value: int | None) -> str:
    return "null" if value is None else str(int(value))
