"""Matching a parsed file against the database: units, procedures and known cases, row by row (read only)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from tthc_desk.catalogue_files import national_code
from tthc_desk.domain import Status
from tthc_desk.storage.models import Case, Procedure, Unit, replaced_values, synced_snapshot, synced_values
from tthc_desk.sync.plan import (
    CASE_FIELDS,
    CONFLICT,
    CREATE,
    NEW,
    REJECTED,
    STALE,
    UNCHANGED,
    UPDATED,
    Conflict,
    Unknown,
)
from tthc_desk.sync.reader import PortalRow, RejectedRow
from tthc_desk.sync.service_model import (
    STATUS_MOMENTS,
    date_problems,
    day_end,
    differences,
    file_values,
    finish_problem,
    row_moment,
    same_moment,
    text_problems,
    texts_all_fit,
)
from tthc_desk.text import clean, fold

# what we read of a known case: the compared columns and what deciding and updating need
_HELD = ("id", "code", "office_id", "source", "status", "updated_at", "synced_version", "synced_values",
         "portal_updated_at",
         "extension_count", "procedure_id", "owner_name", "owner_id_number", "due_at", "warn_at", "warn_minutes", "version",
         *dict.fromkeys(c for c in CASE_FIELDS))  # fmt: skip


class Catalogue:
    """The office's units and the procedure catalogue, indexed the way file rows name them."""

    def __init__(self, session: Session, office_id: int) -> None:
        units = session.execute(select(Unit.id, Unit.name).where(Unit.office_id == office_id)).all()
        self.units = {fold(clean(n)): i for i, n in units}
        cols = (Procedure.id, Procedure.code, Procedure.national_code, Procedure.name, Procedure.name_folded,
                Procedure.field, Procedure.warning_minutes, Procedure.supplement_mode, Procedure.lead_unit_id,
                Procedure.direct_amount, Procedure.direct_unit, Procedure.online_amount, Procedure.online_unit,
                Procedure.post_amount, Procedure.post_unit)  # fmt: skip
        self.procedures = {p.id: p for p in session.execute(select(*cols))}
        self.by_code = {p.code: p.id for p in self.procedures.values()}
        self.by_national: dict[str, int] = {}
        for p in sorted(self.procedures.values(), key=lambda p: (p.code != p.national_code, p.id)):
            if p.national_code:
                self.by_national.setdefault(p.national_code, p.id)
        self.by_name = {}
        for p in self.procedures.values():
            self.by_name.setdefault(p.name_folded or fold(p.name), p.id)
        self._found: dict[tuple[str, str], int | None] = {}  # (code, name) -> id: a file repeats a few hundred
        self._units_found: dict[str, int | None] = {}

    def find_procedure(self, code: str, name: str) -> int | None:
        key = (code, "") if code else ("", name)
        try:
            return self._found[key]
        except KeyError:
            pass
        if code:
            hit = self.by_code.get(code) or self.by_national.get(national_code(code))
        else:
            hit = self.by_name.get(_folded(name)) if name else None
        self._found[key] = hit
        return hit

    def find_unit(self, name: str) -> int | None:
        try:
            return self._units_found[name]
        except KeyError:
            hit = self._units_found[name] = self.units.get(_folded(name))
            return hit

    def add_unit(self, name: str, unit_id: int) -> None:
        """A unit created during the import, found from now on under its folded name."""
        self.units[fold(name)] = unit_id
        self._units_found.clear()


@lru_cache(maxsize=4096)
def _folded(name: str) -> str:
    return fold(clean(name))


NAMED = "tên:"  # starts the key of a procedure the file names without a code (never shown: `Unknown.key` is)


def procedure_key(row: PortalRow) -> str:
    """What the rows of one procedure share: its code, or when the file gives none its name folded as the
    catalogue matches names, so "Cấp giấy phép xây dựng" and "cấp giấy phép  xây dựng" are one to settle."""
    return row.procedure_code or (_name_key(row.procedure_name) if row.procedure_name else "")


def _name_key(name: str) -> str:
    return f"{NAMED} {_folded(name)}"


@dataclass
class Resolver:
    """File names of units/procedures -> ids: the catalogue first, then the user's choices."""

    catalogue: Catalogue
    unit_map: dict[str, int | str]
    procedure_map: dict[str, int | str]
    create_missing: bool
    units: dict[str, Unknown] = field(default_factory=dict)
    procedures: dict[str, Unknown] = field(default_factory=dict)
    created: dict[tuple[str, str], int] = field(default_factory=dict)  # filled by the writer

    def __post_init__(self) -> None:
        """The unknowns are keyed as the catalogue matches names, folded ("Phòng Văn hóa" and "phòng văn hoá"
        are one unit: two would be created, and the next import would find only one of them); the user's
        choices are keyed alike, so the spelling shown (`Unknown.key`) or any other written in the file
        settles it. A procedure's choice may be keyed by its code, by its name, or (as once shown) "tên: name"."""
        self.unit_map = {_folded(str(k)): v for k, v in self.unit_map.items()}
        procedures: dict[str, int | str] = {}
        for k, v in self.procedure_map.items():
            text = clean(str(k))
            if text.startswith(NAMED):
                procedures[_name_key(text[len(NAMED):])] = v
            else:  # a code or a name: only the procedure it is the key of takes it
                procedures.setdefault(text, v)
                procedures.setdefault(_name_key(text), v)
        self.procedure_map = procedures

    def unit(self, row: PortalRow) -> int | None:
        if not row.unit:
            return None
        hit = self.catalogue.find_unit(row.unit)
        if hit is not None:
            return hit
        key = _folded(row.unit)
        unknown = self.units.get(key)
        if unknown is None:  # shown, and created, as the file first writes it
            name = clean(row.unit)
            unknown = self.units[key] = Unknown("unit", name, "", name)
        unknown.rows.append(row.row_number)
        return self._chosen(unknown, self._named(self.unit_map.get(key), "unit"), ("unit", key))

    def procedure(self, row: PortalRow) -> int | None:
        key = procedure_key(row)
        if not key:
            return None
        hit = self.catalogue.find_procedure(row.procedure_code, row.procedure_name)
        if hit is not None:
            return hit
        unknown = self.procedures.get(key)
        if unknown is None:  # named as the file first writes it; by its code when it has one
            name = clean(row.procedure_name)
            unknown = self.procedures[key] = Unknown("procedure", row.procedure_code or name, row.procedure_code,
                                                     name)
        unknown.name = unknown.name or clean(row.procedure_name)
        unknown.rows.append(row.row_number)
        return self._chosen(unknown, self._named(self.procedure_map.get(key), "procedure"), ("procedure", key))

    def _named(self, choice: Any, kind: str) -> Any:
        """A choice given by name (a unit's name, a procedure's code: "Phòng Tư pháp", "1.004873") as the id it
        names in the catalogue; any other choice as it is (an id, CREATE, or a name `check_choices` refuses)."""
        if not isinstance(choice, str) or choice == CREATE or choice.isdigit() or not choice.strip():
            return choice
        if kind == "unit":
            hit = self.catalogue.find_unit(choice)
        else:
            hit = self.catalogue.find_procedure(clean(choice), "") or self.catalogue.find_procedure("", choice)
        return choice if hit is None else hit

    def _chosen(self, unknown: Unknown, choice: Any, created_key: tuple[str, str]) -> int | None:
        if choice is None and self.create_missing:
            choice = CREATE
        if isinstance(choice, str) and choice.isdigit():
            choice = int(choice)
        unknown.resolution = choice
        if choice == CREATE:
            return self.created.get(created_key)
        return choice if isinstance(choice, int) else None

    def unresolved(self) -> list[Unknown]:
        return [u for u in [*self.units.values(), *self.procedures.values()] if u.resolution is None]

    def check_choices(self) -> list[str]:
        """Chosen ids that do not exist (a stale screen, a typo on the command line)."""
        bad = []
        for u in self.units.values():
            if isinstance(u.resolution, str) and u.resolution != CREATE:
                bad.append(f"Không có đơn vị '{u.resolution}' (chọn cho '{u.key}'): ghi số hiệu hoặc đúng tên đơn vị.")
            elif isinstance(u.resolution, int) and u.resolution not in self.catalogue.units.values():
                bad.append(f"Đơn vị được chọn cho '{u.key}' không tồn tại.")
        for p in self.procedures.values():
            if isinstance(p.resolution, str) and p.resolution != CREATE:
                bad.append(f"Không có thủ tục '{p.resolution}' (chọn cho '{p.key}'): ghi số hiệu, mã hoặc đúng tên "
                           "thủ tục.")
            elif isinstance(p.resolution, int) and p.resolution not in self.catalogue.procedures:
                bad.append(f"Thủ tục được chọn cho '{p.key}' không tồn tại.")
        return bad


@dataclass
class Classified:
    """Every accepted row sorted into what would happen to it."""

    new: list[PortalRow] = field(default_factory=list)
    updates: list[tuple[PortalRow, dict, dict]] = field(default_factory=list)  # (row, held, changed values)
    conflicts: list[Conflict] = field(default_factory=list)
    conflict_rows: dict[str, tuple[PortalRow, dict, dict]] = field(default_factory=dict)
    stale: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    rejected_codes: list[str] = field(default_factory=list)  # the codes of `rejected`, in step
    # code -> (case id, version, `Case.synced_values`) for the desk-changed cases whose snapshot the file updates
    seen: dict[str, tuple[int, int, dict]] = field(default_factory=dict)
    unit_of: dict[int, int | None] = field(default_factory=dict)  # row number -> lead unit id
    procedure_of: dict[int, int | None] = field(default_factory=dict)

    def counts(self, rejected_before: int) -> dict[str, int]:
        return {NEW: len(self.new), UPDATED: len(self.updates), UNCHANGED: len(self.unchanged),
                CONFLICT: len(self.conflicts), STALE: len(self.stale),
                "rejected": rejected_before + len(self.rejected)}  # fmt: skip

    def outcomes(self) -> dict[str, str]:
        out = {r.code: NEW for r in self.new}
        out.update({r.code: UPDATED for r, _h, _v in self.updates})
        out.update({c.code: CONFLICT for c in self.conflicts})
        out.update({c: STALE for c in self.stale})
        out.update({c: UNCHANGED for c in self.unchanged})
        # the rows refused here are rows of the file (`parsed.rows`) all the same: say so, or a list of the
        # file's rows with what becomes of each would show them with nothing
        out.update({c: REJECTED for c in self.rejected_codes})
        return out


def held_cases(session: Session, codes: Iterable[str], lock: bool = False) -> dict[str, dict]:
    """Known cases by code, as plain dicts of the columns the import reads.

    `lock`: inside the writing transaction, the rows stay locked until it ends (SELECT ... FOR UPDATE on
    PostgreSQL, so no other desk changes them between this read and the import's writes; SQLite's write
    transaction already holds the whole database and SQLAlchemy leaves the clause out there).

    On PostgreSQL the codes are one array parameter: one short statement, where chunks of 2,000 bound
    values cost 0.7 s of rendering and parsing for 50,000 rows. It is planned for its own codes each time.
    psycopg prepares a statement run five times on a connection, and the server may then keep one generic
    plan for it; one made while case_file was nearly empty (the first import into a new database) scans the
    table comparing each row with the codes one by one, and stays with the pooled connection: the dry run of
    50,000 rows just imported took 50 s instead of 3 s. The setting is put back after: the writes that
    follow (an UPDATE per changed case) are better served by their cached plans."""
    columns = [getattr(Case, c) for c in _HELD]
    codes = list(codes)
    out: dict[str, dict] = {}
    conn = session.connection()
    if conn.dialect.name == "sqlite":  # all the codes as one JSON parameter: no 50,000 bound values to render
        listed = func.json_each(json.dumps(codes, ensure_ascii=False)).table_valued("value")
        found = conn.execute(select(*columns).where(Case.code.in_(select(listed.c.value))))
        return {row.code: dict(row._mapping) for row in found}
    mode = conn.exec_driver_sql("SHOW plan_cache_mode").scalar()
    conn.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
    stmt = select(*columns).where(Case.code == any_(bindparam("codes", codes, type_=ARRAY(String))))
    for row in conn.execute(stmt.with_for_update() if lock else stmt):
        out[row.code] = dict(row._mapping)
    conn.execute(select(func.set_config("plan_cache_mode", mode, True)))
    return out


def classify(
    session: Session, office_id: int, rows: list[PortalRow], mapped: frozenset[str], resolver: Resolver,
    now: datetime, lock: bool = False, held: dict[str, dict] | None = None,
) -> Classified:
    """Sort rows into new / updated / unchanged / stale / conflicts (and the rows this layer rejects).

    `held`: the known cases (`held_cases`) when the caller has read them already."""
    out = Classified()
    held = held_cases(session, (r.code for r in rows), lock) if held is None else held
    texts_fit, last_minute = texts_all_fit(rows), day_end(now)  # the text tests for all rows at once
    for row in rows:
        case = held.get(row.code)
        # another office's case is not read for its dates (nor named by them): only the row is judged
        mine = case if case is not None and case["office_id"] == office_id else None
        problems = ([] if texts_fit else text_problems(row)) + date_problems(row, last_minute, mine)
        if case is not None and mine is None:
            problems.append(f"Mã hồ sơ '{row.code}' thuộc cơ quan khác")
        if (problem := finish_problem(row, case)) is not None:
            problems.append(problem)
        if problems:
            reason = f"Dòng {row.row_number}: " + "; ".join(problems)
            out.rejected.append(RejectedRow(row.row_number, reason, _raw(row)))
            out.rejected_codes.append(row.code)
            continue
        unit_id = out.unit_of[row.row_number] = resolver.unit(row)
        out.procedure_of[row.row_number] = resolver.procedure(row)
        if case is None:
            out.new.append(row)
            continue
        _sort_known(out, row, case, mapped, unit_id)
    return out


@dataclass(eq=False)
class Match:
    """A classification and everything it was computed from, so that the import can take it over from the dry
    run when none of it has changed (`reuse`): `classify` is a function of exactly these."""

    office_id: int
    rows: list[PortalRow]
    mapped: frozenset[str]
    day_end: datetime  # `date_problems` refuses receipts after it
    held: dict[str, dict]
    units: dict[str, int]
    procedures: dict[int, Any]
    resolver: Resolver
    found: Classified

    @classmethod
    def of(cls, office_id, rows, mapped, now, held, resolver: Resolver, found: Classified) -> Match:
        cat = resolver.catalogue
        return cls(office_id, rows, mapped, day_end(now), held, dict(cat.units), dict(cat.procedures), resolver, found)

    def reuse(self, office_id: int, rows: list[PortalRow], mapped: frozenset[str], now: datetime,
              held: dict[str, dict], resolver: Resolver) -> Classified | None:
        """The classification again when the rows, the known cases (as read now, under the write lock), the
        catalogue, the day and the unit/procedure choices are all what it was made from; `resolver` (fresh,
        on the writing session) then gets the same unknowns. None: match again."""
        cat = resolver.catalogue
        if (office_id != self.office_id or rows is not self.rows or mapped != self.mapped
                or day_end(now) != self.day_end or held != self.held or cat.units != self.units
                or cat.procedures != self.procedures):  # fmt: skip
            return None
        units: dict[str, Unknown] = {}
        procedures: dict[str, Unknown] = {}
        for mine, theirs, choices in ((self.resolver.units, units, resolver.unit_map),
                                      (self.resolver.procedures, procedures, resolver.procedure_map)):
            for key, unknown in mine.items():
                copy = Unknown(unknown.kind, unknown.key, unknown.code, unknown.name, list(unknown.rows))
                resolver._chosen(copy, choices.get(key), (copy.kind, key))
                if copy.resolution != unknown.resolution:
                    return None
                theirs[key] = copy
        resolver.units.update(units)
        resolver.procedures.update(procedures)
        return self.found


def _sort_known(out: Classified, row: PortalRow, case: dict, mapped: frozenset[str], unit_id: int | None) -> None:
    theirs = file_values(row, mapped, unit_id, Status(case["status"]))
    if row.unit and unit_id is None:
        theirs["lead_unit_id"] = -1  # a unit still to be created: differs from whatever we hold
    diff = differences(case, theirs)
    if "lead_unit_id" in diff and theirs["lead_unit_id"] == -1:
        diff["lead_unit_id"] = (diff["lead_unit_id"][0], row.unit)  # shown by its name (`changes_text`)
    local = case["synced_version"] is None or case["version"] > case["synced_version"]  # changed at the desk since
    if not diff:
        if local:  # the portal holds what we hold in every column the file states
            _note_seen(out, case, theirs)
        out.unchanged.append(row.code)
        return
    changed = {k: v for k, (_old, v) in diff.items()}
    if local:
        newer = _ours_newer(case, theirs, diff)
        taken = _portal_changes(diff, newer)
        if not taken:
            _note_seen(out, case, theirs)
            out.stale.append(row.code)  # the file still holds what the portal was last sent: ours is newer
            return
        if _made_before_upload(case, theirs, diff.keys() - newer):
            out.stale.append(row.code)  # and the rest what it showed before our last upload: older than that
            return
        changes = {c: d for c, d in diff.items() if c in taken}
        out.conflicts.append(Conflict(row.code, row.row_number, changes, kept=tuple(c for c in diff if c not in taken)))
        out.conflict_rows[row.code] = (row, case, {k: v for k, (_old, v) in changes.items()})
        return
    if _made_before_upload(case, theirs, diff.keys()):
        out.stale.append(row.code)  # it would put the desk's change back
        return
    moment, held_moment = row_moment(row), case["portal_updated_at"]
    # (a moment written without a time is no older than one of the same day we hold: `same_moment`)
    if held_moment is not None and moment is not None and moment < held_moment and not same_moment(moment, held_moment):
        out.stale.append(row.code)
        return
    out.updates.append((row, case, changed))


def _ours_newer(case: dict, theirs: dict, diff: dict) -> set[str]:
    """The columns the file differs in that still hold what the portal last showed (`synced_values`: kept at the
    desk's first change after the last sync): the portal has not changed them, so ours is newer. None known
    when nothing was kept (a case changed before migration 0010)."""
    seen = synced_values(case)
    return set() if seen is None else _holding(seen, theirs, diff)


def _made_before_upload(case: dict, theirs: dict, columns: set[str]) -> bool:
    """Whether the file holds, in every one of these columns, what the portal showed before our last upload
    (`replaced_values`, known when the desk's change was in it): made before the portal took the upload."""
    before = replaced_values(case)
    return before is not None and _holding(before, theirs, columns) == columns


def _holding(known: dict, theirs: dict, columns) -> set[str]:
    """The columns in which the file's values say nothing new against `known` (what the portal showed once)."""
    return {c for c in columns if c in known and not differences(known, {c: theirs[c]})}


def _portal_changes(diff: dict, newer: set[str]) -> set[str]:
    """The columns a file's conflicting row changes: those the portal changed, and with a status its moments."""
    taken = diff.keys() - newer
    if "status" in taken:
        taken |= STATUS_MOMENTS & diff.keys()
    return taken


def portal_view(case: dict, theirs: dict) -> dict:
    """`Case.synced_values` once the portal is known to hold `theirs` (a file's values): what it showed at the
    last sync, updated with them; for the same synced version."""
    seen = dict(synced_values(case) or {})
    seen.update({c: v for c, v in theirs.items() if not (c == "lead_unit_id" and v == -1)})  # (a unit to create)
    return synced_snapshot(case["synced_version"], seen)


def _note_seen(out: Classified, case: dict, theirs: dict) -> None:
    """The snapshot a desk-changed case the file brings nothing new for (unchanged, stale) gets: what the portal
    showed at its last sync, updated with what this file states. Without it, a file agreeing with the desk's
    change (unchanged) and a later one going back to the old value would read as "nothing new" against the
    older snapshot, and the portal's change be lost. A conflict kept does not: the user turned the file's
    values down, and is asked again by the next file that holds them."""
    kept = portal_view(case, theirs)
    if kept != case["synced_values"]:
        out.seen[case["code"]] = (case["id"], case["version"], kept)


def _raw(row: PortalRow) -> dict[str, Any]:
    from tthc_desk.sync.fields import FIELD_LABELS, FIELDS

    values = {}
    for f in FIELDS:
        value = getattr(row, f)
        values[FIELD_LABELS[f]] = value.label if hasattr(value, "label") else ("" if value is None else value)
    return values
