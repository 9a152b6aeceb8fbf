"""New cases from a portal file, built for a bulk insert: one tuple per case and one per IMPORTED event.

50,000 rows pass through here in one import, so the work per row is kept to what differs per row. What
depends only on the procedure and the channel (the rule, the warning window, the snapshot, the catalogue's
names) is worked out once per pair (`_Profile`); times and JSON are handed to the driver in the form
SQLAlchemy's column types would give it (JSON as text; on SQLite times too), each distinct time written once
(`Binder`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from itertools import filterfalse, repeat
from json.encoder import encode_basestring as _encode
from json.encoder import encode_basestring_ascii as _ascii_string
from operator import attrgetter, is_, itemgetter
from typing import Any

from tthc_desk import deadline
from tthc_desk.domain import CLOSED_OTHER, Channel, EventKind, Status
from tthc_desk.services.intake import rule_for
from tthc_desk.sync.reader import PortalRow
from tthc_desk.sync.service_match import procedure_key
from tthc_desk.sync.service_model import not_before, result_moment, row_status

# what varies from one new case to the next, in `case_rows`' tuples' order
CASE_VARYING = (
    "code", "procedure_id", "procedure_code", "procedure_name", "field", "rule_amount", "rule_unit",
    "supplement_mode", "rule_snapshot", "applicant_name", "applicant_id_number", "applicant_phone",
    "applicant_email", "applicant_address", "channel", "received_at", "original_due_at", "warn_at", "warn_minutes",
    "lead_unit_id", "status", "is_open", "result_at", "returned_at", "closed_at", "portal_updated_at", "search_text",
)  # fmt: skip
# columns a new imported case copies from another of its columns
CASE_COPIES = {"owner_name": "applicant_name", "return_channel": "channel", "clock_from": "received_at",
               "due_at": "original_due_at", "current_unit_id": "lead_unit_id"}  # fmt: skip
# what also varies when the file has a column for it, after `CASE_VARYING` in the tuples: the new appointment
# (then the due time and the extension count are the row's own) and the owner apart from the applicant
EXTENSION_VARYING = ("due_at", "extension_count")
OWNER_VARYING = ("owner_name", "owner_id_number", "owner_address")
OWNER_FILE_FIELDS = frozenset({"owner", "owner_id", "owner_address"})
EVENT_VARYING = ("case_id", "data", "hash")


@dataclass(frozen=True)
class Layout:
    """How the rows of one table are handed over: the `varying` columns as one tuple per row (in that order),
    `copies` taken from another column of the same row, `constants` the same for every row of the import."""

    varying: tuple[str, ...]
    copies: dict[str, str]
    constants: dict[str, Any]


def _extras(ctx) -> tuple[bool, bool]:
    """(the file gives new appointments, the file names owners): which of the optional columns vary."""
    return "new_due_at" in ctx.mapped, bool(OWNER_FILE_FIELDS & ctx.mapped)


def case_layout(ctx, binder: Binder) -> Layout:
    now = binder.time(ctx.now)
    constants = {
        "office_id": ctx.office.id, "owner_id_number": "", "owner_address": "", "papers": binder.json([]),
        "sets_count": 1, "close_reason": "", "supplement_count": 0, "extension_count": 0, "source": "import",
        "version": 1, "created_at": now, "updated_at": now, "synced_at": now, "synced_version": 1}  # fmt: skip
    varying, copies = CASE_VARYING, dict(CASE_COPIES)
    for wanted, extra in zip(_extras(ctx), (EXTENSION_VARYING, OWNER_VARYING), strict=True):
        if wanted:
            varying += extra
            for name in extra:
                copies.pop(name, None)
                constants.pop(name, None)
    return Layout(varying, copies, constants)


def event_layout(ctx, binder: Binder) -> Layout:
    return Layout(EVENT_VARYING, {}, {"seq": 1, "at": binder.time(ctx.now), "user_id": ctx.user_id,
                                      "unit_id": ctx.unit_id, "kind": str(EventKind.IMPORTED), "prev_hash": ""})  # fmt: skip


class _Times(dict):
    """datetime -> the text SQLAlchemy's SQLite DateTime stores ('2025-01-02 07:30:00.000000'), memoised."""

    def __missing__(self, value: datetime) -> str:
        text = self[value] = value.isoformat(" ", "microseconds")
        return text


class Binder:
    """Values as the driver takes them, as SQLAlchemy's types would bind them: JSON as json.dumps' text (on
    PostgreSQL what psycopg's `Json` sends, stored as is in a json column); times as text on SQLite, the
    datetimes themselves on PostgreSQL (COPY writes them)."""

    def __init__(self, sqlite: bool) -> None:
        self.sqlite = sqlite
        self.json = json.dumps
        if sqlite:
            self.texts = times = _Times({None: None})
            self.time = times.__getitem__
        else:
            self.time = _same


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
    """The new cases of `rows` (source 'import', the portal's due dates), in `CASE_VARYING` order.

    Built column by column: each column is one pass in C (`map`, `zip`) or one comprehension, and each
    distinct time is written as text once; the tuples are zipped from the columns at the end."""
    from tthc_desk.sync.service_write import search_texts  # one fold for the bulk paths

    n = len(rows)
    proc_ids = _procedure_ids(ctx, rows, procedure_of)
    unit_ids = list(map(unit_of.get, map(_NUMBER, rows)))
    if None in unit_ids:  # a unit created for this file, or no unit
        resolver = ctx.resolver
        unit_ids = [u if u is not None or not r.unit else resolver.unit(r) for u, r in zip(unit_ids, rows, strict=True)]
    channels = list(map(_CHANNEL_TEXT.__getitem__, map(_CHANNEL, rows)))
    profiles = ctx.memo.get("profiles")
    if profiles is None:
        profiles = ctx.memo["profiles"] = _Profiles(ctx, mode, binder)
    profs = list(map(profiles.__getitem__, zip(proc_ids, channels, strict=True)))
    finished_at, returned_at = list(map(_FINISHED, rows)), list(map(_RETURNED, rows))
    statuses = list(map(_STATUSES.__getitem__, zip(map(_STATUS, rows), map(_is_none, finished_at),
                                                   map(_is_none, returned_at), strict=True)))  # fmt: skip
    received = list(map(_to_minute, map(_RECEIVED, rows)))
    dues = list(map(_to_minute, map(_DUE, rows)))
    if None in dues:  # no due time in the file: the procedure's rule, as intake computes it
        cal = ctx.cal
        dues = [d if d is not None or p.rule is None else deadline.compute_due(cal, r, p.rule)
                for d, r, p in zip(dues, received, profs, strict=True)]  # fmt: skip
    warn_minutes, warn_at = warn.many(received, dues, list(map(_WINDOW, profs)))
    finished, returned = list(map(_to_minute, finished_at)), list(map(_to_minute, returned_at))
    if None in finished:  # a result handed back without its own moment was ready by the hand-back
        finished = list(map(result_moment, map(_STATUS_TEXT, statuses), finished, returned))
    # a day written without a time (00:00) on the receipt's day is no earlier than the receipt, nor a hand-back
    # so than the result (`service_model.date_problems` refused any other moment out of order)
    finished = list(map(not_before, finished, received))
    returned = list(map(not_before, returned, map(_first_not_none, finished, received)))
    latest = list(map(_latest, received, finished, returned))  # `row_moment`, to the minute
    closing = list(map(_CLOSES, statuses))
    time = _texts(binder)
    finished = time(finished)
    codes, applicants, citizen_ids, phones = (list(map(f, rows)) for f in (_CODE, _APPLICANT, _CITIZEN, _PHONE))
    procedure_codes = [c or p.code for c, p in zip(map(_PROCEDURE_CODE, rows), profs, strict=True)]
    extension, owned = _extras(ctx)
    extra: list[Any] = []
    if extension:  # the new appointment is the due time, counted as the one extension; else the original
        news = list(map(_to_minute, map(_NEW_DUE, rows)))
        extra += [time([d if n is None else n for n, d in zip(news, dues, strict=True)]),
                  [0 if n is None else 1 for n in news]]  # fmt: skip
    if owned:  # an owner not named is the applicant, as at the desk
        owners = [o or a for o, a in zip(map(_OWNER, rows), applicants, strict=True)]
        owner_ids = list(map(_OWNER_ID, rows))
        extra += [owners, owner_ids, list(map(_OWNER_ADDRESS, rows))]
        searched = search_texts(list(zip(codes, applicants, owners, citizen_ids, owner_ids, phones, procedure_codes,
                                         strict=True)))  # fmt: skip
    else:
        searched = search_texts(list(zip(codes, applicants, repeat("", n), citizen_ids, repeat("", n), phones,
                                         procedure_codes, strict=True)))  # the owner is the applicant  # fmt: skip
    return list(zip(
        codes, proc_ids, procedure_codes, [c or p.name for c, p in zip(map(_PROCEDURE_NAME, rows), profs, strict=True)],
        [c or p.field for c, p in zip(map(_FIELD, rows), profs, strict=True)], map(_AMOUNT, profs), map(_RULE_UNIT, profs),
        map(_MODE, profs), map(_SNAPSHOT, profs), applicants, citizen_ids, phones, map(_EMAIL, rows),
        map(_ADDRESS, rows), channels, time(received), time(dues), time(warn_at), warn_minutes, unit_ids,
        map(_STATUS_TEXT, statuses), map(_IS_OPEN, statuses), [None if c else f for f, c in zip(finished, closing, strict=True)],
        time(returned), [f if c else None for f, c in zip(finished, closing, strict=True)], time(latest), searched,
        *extra, strict=True))  # fmt: skip


def _procedure_ids(ctx, rows: list[PortalRow], procedure_of: dict) -> list[int | None]:
    """Each row's procedure: the match's, else (a procedure created for this file) the resolver's, asked once
    per procedure key."""
    ids = list(map(procedure_of.get, map(_NUMBER, rows)))
    if None not in ids:
        return ids
    resolver, asked = ctx.resolver, {}
    for i in [i for i, p in enumerate(ids) if p is None]:
        row = rows[i]
        key = procedure_key(row)
        if key:
            ids[i] = asked[key] if key in asked else asked.setdefault(key, resolver.procedure(row))
    return ids


def _texts(binder: Binder) -> Callable[[list], list]:
    """A column of times as the driver takes them, each distinct time written once (`Binder.time`)."""
    if not binder.sqlite:
        return _same
    memo = binder.texts

    def texts(values: list) -> list:
        new = list(filterfalse(memo.__contains__, set(values)))  # (set.difference would walk the whole memo)
        memo.update(zip(new, _sqlite_times(new), strict=True))
        return list(map(memo.__getitem__, values))

    return texts


def _sqlite_times(values: list[datetime]) -> list[str]:
    """`v.isoformat(" ", "microseconds")` of each time, a whole minute put together from the texts of its day
    and of its minute (a third of the cost: new cases' times are whole minutes)."""
    days, out = _DAY_TEXTS, []
    for v in values:
        if v.second or v.microsecond:
            out.append(v.isoformat(" ", "microseconds"))
            continue
        day = days.get(ordinal := v.toordinal())
        if day is None:
            day = days[ordinal] = date.fromordinal(ordinal).isoformat()
        out.append(day + _MINUTE_TEXTS[v.hour * 60 + v.minute])
    return out


_DAY_TEXTS: dict[int, str] = {}
_MINUTE_TEXTS = [f" {m // 60:02d}:{m % 60:02d}:00.000000" for m in range(24 * 60)]


def _to_minute(value: datetime | None) -> datetime | None:
    if value is None or not (value.second or value.microsecond):
        return value
    return value.replace(second=0, microsecond=0)


def _first_not_none(a: Any, b: Any) -> Any:
    return b if a is None else a


def _latest(received: datetime, finished: datetime | None, returned: datetime | None) -> datetime:
    latest = received
    if finished is not None and finished > latest:
        latest = finished
    if returned is not None and returned > latest:
        latest = returned
    return latest


_is_none = partial(is_, None)
_NUMBER, _CODE, _APPLICANT, _CITIZEN, _PHONE, _EMAIL, _ADDRESS = map(attrgetter, (
    "row_number", "code", "applicant", "citizen_id", "phone", "email", "address"))  # fmt: skip
_PROCEDURE_CODE, _PROCEDURE_NAME, _FIELD, _CHANNEL, _STATUS = map(attrgetter, (
    "procedure_code", "procedure_name", "field", "channel", "status"))  # fmt: skip
_RECEIVED, _DUE, _FINISHED, _RETURNED = map(attrgetter, ("received_at", "due_at", "finished_at", "returned_at"))
_NEW_DUE, _OWNER, _OWNER_ID, _OWNER_ADDRESS = map(attrgetter, ("new_due_at", "owner", "owner_id", "owner_address"))
_WINDOW, _AMOUNT, _RULE_UNIT, _MODE, _SNAPSHOT = map(attrgetter, ("window", "amount", "unit", "mode", "snapshot"))
_STATUS_TEXT, _IS_OPEN, _CLOSES = itemgetter(0), itemgetter(1), itemgetter(2)


class _ChannelText(dict):
    """A row's channel as stored: its text, 'direct' when the file gives none (`service_model.channel_of`)."""

    def __missing__(self, channel: Any) -> str:
        text = self[channel] = str(channel) if channel else _DIRECT
        return text


class _Profiles(dict):
    """(procedure id, channel) -> `_Profile`, made on first use."""

    def __init__(self, ctx, mode: str, binder: Binder) -> None:
        super().__init__()
        self.ctx, self.mode, self.binder = ctx, mode, binder

    def __missing__(self, key: tuple) -> _Profile:
        profile = self[key] = _Profile(self.ctx, key[0], key[1], self.mode, self.binder)
        return profile


_DIRECT = str(Channel.DIRECT)
_CHANNEL_TEXT = _ChannelText()


class _StatusTable(dict):
    """(status text, is_open, closes) for each (stated status, no finish date, no return date): `row_status`
    worked out once per combination (a file has a handful)."""

    def __missing__(self, key: tuple) -> tuple[str, bool, bool]:
        status, no_finish, no_return = key
        probe = PortalRow(0, "", status=status, finished_at=None if no_finish else datetime.min,
                          returned_at=None if no_return else datetime.min)  # fmt: skip
        found = row_status(probe) or Status.RECEIVED
        value = self[key] = (str(found), found.is_open, found in CLOSED_OTHER)
        return value


_STATUSES = _StatusTable()


_DATA_NAMES = tuple(n for n in sorted(PortalRow.__slots__) if n != "row_number")
_DATA_KEYS = tuple(f"{_encode(n)}: " for n in _DATA_NAMES)
_TIME_NAMES = frozenset({"received_at", "due_at", "new_due_at", "finished_at", "returned_at"})  # datetime or None
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
            columns.append(_iso_pieces(values, key))
        elif name in _CHOICE_NAMES:
            pieces = {v: key + _encode(str(v)) for v in set(values) if v is not None and v != ""}
            pieces[None] = pieces[""] = None
            columns.append(list(map(pieces.__getitem__, values)))
        else:
            columns.append([key + _encode(v) if v else None for v in values])
    return [f'{head}{row.row_number}, "values": {{{", ".join(filter(None, parts))}}}}}'
            for row, *parts in zip(rows, *columns, strict=True)]  # fmt: skip


def _iso_pieces(values: list[datetime | None], key: str) -> list[str | None]:
    """`key + '"' + v.isoformat() + '"'` for each time (None stays None), a whole second put together from
    the texts of its day and of its second of the day (isoformat costs three times as much)."""
    days, seconds, out = _DAY_TEXTS, _SECOND_TEXTS, []
    for v in values:
        if v is None:
            out.append(None)
        elif type(v) is not datetime or v.microsecond or v.tzinfo is not None:
            out.append(f'{key}"{v.isoformat()}"')
        else:
            day = days.get(ordinal := v.toordinal())
            if day is None:
                day = days[ordinal] = date.fromordinal(ordinal).isoformat()
            out.append(f'{key}"{day}{seconds[v.hour * 3600 + v.minute * 60 + v.second]}"')
    return out


class _SecondTexts(dict):
    """Second of the day -> 'THH:MM:SS', made on first use."""

    def __missing__(self, second: int) -> str:
        text = self[second] = f"T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
        return text


_SECOND_TEXTS = _SecondTexts()


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
    `event_digest(ctx, case_id, 1, "", data)` for each, with the constant parts of the text joined once.

    The data is stored as the hashed text on SQLite, and on PostgreSQL as the text Core stored there
    (json.dumps of the object: the same JSON, its non-ASCII characters escaped)."""
    head, tail = _event_text(ctx)
    head, tail = "\n" + head, f', "kind": "imported", "seq": 1{tail}'
    sha256, datas = hashlib.sha256, rows_json(rows, ctx.file_name)
    stored = datas if binder.sqlite else list(map(ascii_json, datas))
    return [(case_id, text, sha256(f'{head}{case_id}, "data": {data}{tail}'.encode()).hexdigest())
            for case_id, data, text in zip(ids, datas, stored, strict=True)]  # fmt: skip


def ascii_json(text: str) -> str:
    """`json.dumps(json.loads(text))` of a JSON text written with `ensure_ascii=False` (its keys kept in their
    order), at under half the cost: the two writings differ only in the characters beyond ASCII.

    json.dumps' own string escaping, run over the whole text, writes those as json.dumps does (`\\uXXXX`,
    surrogate pairs above U+FFFF, DEL too). It also doubles every backslash and puts one before every quote;
    both are undone after. A quote then ends a run of an odd number of backslashes, the last of them its own;
    a `\\uXXXX` written here starts with the odd one out of its run, so it keeps its backslash when the pairs
    are halved. The text holds no raw control character (its writer escaped them, in ASCII)."""
    if text.isascii():
        return text
    return _ascii_string(text)[1:-1].replace('\\"', '"').replace("\\\\", "\\")


def _j(value: int | None) -> str:
    return "null" if value is None else str(int(value))
