"""New cases from a portal file, built for a bulk insert: one tuple per case and one per IMPORTED event.

50,000 rows pass through here in one import, so the work per row is kept to what differs per row. What
depends only on the procedure and the channel (the rule, the warning window, the snapshot, the catalogue's
names) is worked out once per pair (`_Profile`); times and JSON are handed to the driver in the form
SQLAlchemy's column types would give it (on SQLite: text), each distinct time written once (`Binder`).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from json.encoder import encode_basestring as _encode
from operator import attrgetter
from typing import Any

from tthc_desk import deadline
from tthc_desk.domain import CLOSED_OTHER, Channel, EventKind, Status
from tthc_desk.services.intake import rule_for
from tthc_desk.sync.reader import PortalRow
from tthc_desk.sync.service_match import procedure_key
from tthc_desk.sync.service_model import row_moment, row_status

# the columns `case_rows` fills, in its tuples' order ("id" first on SQLite only: ids are handed out there)
CASE_COLUMNS = (
    "office_id", "code", "procedure_id", "procedure_code", "procedure_name", "field", "rule_amount", "rule_unit",
    "supplement_mode", "rule_snapshot", "applicant_name", "applicant_id_number", "applicant_phone",
    "applicant_email", "applicant_address", "owner_name", "owner_id_number", "owner_address", "channel",
    "return_channel", "papers", "sets_count", "received_at", "clock_from", "due_at", "original_due_at", "warn_at",
    "warn_minutes", "lead_unit_id", "current_unit_id", "status", "is_open", "result_at", "returned_at",
    "closed_at", "close_reason", "supplement_count", "extension_count", "source", "version", "created_at",
    "updated_at", "portal_updated_at", "synced_at", "search_text",
)  # fmt: skip
EVENT_COLUMNS = ("case_id", "seq", "at", "user_id", "unit_id", "kind", "data", "prev_hash", "hash")


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

    def minute(self, value: datetime | None) -> Any:
        """A case time, kept to the minute, as bound."""
        if value is not None and (value.second or value.microsecond):
            value = value.replace(second=0, microsecond=0)
        return self.time(value)


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
    """The new cases of `rows` (source 'import', the portal's due dates), in `CASE_COLUMNS` order."""
    from tthc_desk.sync.service_write import search_text_of  # one fold for the bulk paths

    profiles: dict[tuple, _Profile] = ctx.memo.setdefault("profiles", {})
    time, minute = binder.time, binder.minute
    now, office_id, papers = time(ctx.now), ctx.office.id, binder.json([])
    resolver, statuses = ctx.resolver, _statuses()
    out = []
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
        finished = minute(row.finished_at)
        code, applicant, procedure_code = row.code, row.applicant, row.procedure_code or p.code
        received_t, due_t = time(received), time(due)
        out.append((
            office_id, code, proc_id, procedure_code, row.procedure_name or p.name, row.field or p.field,
            p.amount, p.unit, p.mode, p.snapshot, applicant, row.citizen_id, row.phone, row.email, row.address,
            applicant, "", "", channel, channel, papers, 1, received_t, received_t, due_t, due_t, time(warn_at),
            warn_minutes, unit_id, unit_id, status, is_open, None if closing else finished, minute(row.returned_at),
            finished if closing else None, "", 0, 0, "import", 1, now, now, minute(row_moment(row)), now,
            search_text_of((code, applicant, applicant, row.citizen_id, "", row.phone, procedure_code)),
        ))  # fmt: skip
    return out


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
_data_values = attrgetter(*_DATA_NAMES)


def row_json(row: PortalRow, file_name: str) -> str:
    """`json.dumps({"file", "row", "values": the row's non-empty cells}, ensure_ascii=False, sort_keys=True)`,
    written directly (what `ledger.verify_events` will recompute with json.dumps)."""
    parts = [key + _encode(value.isoformat() if isinstance(value, datetime) else str(value))
             for key, value in zip(_DATA_KEYS, _data_values(row), strict=True) if value is not None and value != ""]
    return f'{{"file": {_encode(file_name)}, "row": {row.row_number}, "values": {{{", ".join(parts)}}}}}'


def event_digest(ctx, case_id: int, seq: int, prev: str, data_json: str) -> str:
    """The hash of an IMPORTED event, chained like `ledger.add_event`: the payload text is assembled around
    the data's JSON (written once, also what is stored); `ledger.verify_events` recomputes it with json.dumps
    and agrees."""
    head, tail = ctx.memo.get("event_text") or ctx.memo.setdefault("event_text", (
        f'{{"at": "{ctx.now.isoformat()}", "case_id": ',
        f', "unit_id": {_j(ctx.unit_id)}, "user_id": {_j(ctx.user_id)}}}'))  # fmt: skip
    body = f'{head}{case_id}, "data": {data_json}, "kind": "imported", "seq": {seq}{tail}'
    return hashlib.sha256((prev + "\n" + body).encode("utf-8")).hexdigest()


def event_rows(ctx, ids: list[int], rows: list[PortalRow], binder: Binder) -> list[tuple]:
    """The first event (IMPORTED, seq 1) of each new case, in `EVENT_COLUMNS` order."""
    at, kind, user_id, unit_id = binder.time(ctx.now), str(EventKind.IMPORTED), ctx.user_id, ctx.unit_id
    loads = None if binder.sqlite else json.loads
    out = []
    for case_id, row in zip(ids, rows, strict=True):
        data = row_json(row, ctx.file_name)
        digest = event_digest(ctx, case_id, 1, "", data)
        out.append((case_id, 1, at, user_id, unit_id, kind, data if loads is None else loads(data), "", digest))
    return out


def _j(value: int | None) -> str:
    return "null" if value is None else str(int(value))
