"""Excel sync with the provincial portal: the dry run, the one-transaction import, and the exports.

See `service_model` for what "newer" means, the conflict rule and how statuses are read.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import select

from tthc_desk.errors import ImportFailed, ValidationError
from tthc_desk.services.base import Actor, ServiceBase, parse_hours
from tthc_desk.services.documents import DocumentService
from tthc_desk.services.ledger import add_audit
from tthc_desk.services.queue import QueueFilter, QueueService
from tthc_desk.services.rights import Action, can
from tthc_desk.storage.locks import hold_audit, hold_sync
from tthc_desk.storage.models import Case, ExportRecord, ImportMapping, not_synced
from tthc_desk.sync import service_export as ex
from tthc_desk.sync.columns import ColumnMapping
from tthc_desk.sync.plan import KEEP_OURS, TAKE_FILE, Change, ImportPlan, ImportResult
from tthc_desk.sync.reader import ImportCancelled, ParsedFile, read_cases_file
from tthc_desk.sync.service_match import (
    Catalogue,
    Classified,
    Match,
    Resolver,
    classify,
    held_cases,
    procedure_key,
)
from tthc_desk.sync.service_model import DayOnly
from tthc_desk.sync.service_update import apply_updates, keep_seen
from tthc_desk.sync.service_write import WriteContext, create_unknowns, insert_new
from tthc_desk.sync.workbook import FormulaCells

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


class SyncService(ServiceBase):
    # ----- import ---------------------------------------------------------------------------------------
    def plan_import(self, actor: Actor, path: str | Path, mapping: ColumnMapping | None = None,
                    unit_map: dict | None = None, procedure_map: dict | None = None, create_missing: bool = False,
                    progress: Progress | None = None, cancel: Cancel | None = None,
                    remembered: bool = True) -> ImportPlan:
        """The dry run: read, match and count; raise `ImportFailed` when the file itself is unusable.

        A file whose headers name no column for a required field (no remembered mapping either) gives a plan
        all the same, with the mapping found and the reason in `fatal`, and no rows: the user chooses the
        column and plans again with the corrected `mapping`. A corrected mapping that drops a required column
        the headers name is refused (`ImportFailed`). `remembered=False`: the columns as the headers name them,
        whatever mapping was kept (as `forget_mapping` will leave it)."""
        with _gc_paused():
            return self._plan_import(actor, path, mapping, unit_map, procedure_map, create_missing, progress, cancel,
                                     remembered)

    def _plan_import(self, actor, path, mapping, unit_map, procedure_map, create_missing, progress, cancel,
                     remembered=True):
        with self.db.read() as s:
            self.user_row(s, actor, Action.IMPORT_CASES)
            saved = _remembered(s.execute(select(ImportMapping.mapping).order_by(ImportMapping.updated_at.desc())))
            saved = saved if remembered else []
        parsed, source = self._read(path, mapping, saved, progress, cancel)
        with self.db.read() as s:
            due_at_close_of_day(parsed, parse_hours(self.office(s, actor.office_id)).sessions[-1][1])
            resolver, found, match = self._classify(s, actor, parsed, unit_map, procedure_map, create_missing)
            units = ex.unit_names(s, actor.office_id)
        return self._plan(parsed, source, resolver, found, create_missing, match, units)

    def _read(self, path, mapping, saved, progress, cancel) -> tuple[ParsedFile, str]:
        if mapping is not None:
            return read_cases_file(path, mapping, progress, cancel, allow_missing=True), "user"
        try:
            parsed = read_cases_file(path, None, progress, cancel, allow_missing=True)
        except (FormulaCells, ImportCancelled):
            raise
        except ImportFailed as first:  # maybe a remembered mapping reads what detection cannot
            found = self._read_remembered(path, saved[:5], progress, cancel)
            if found is None:
                raise first
            return found, "remembered"
        if parsed.fatal:  # a required column not found: a correction remembered for these headers, or any
            same = [m for m in saved if m.signature == parsed.mapping.signature]
            others = [m for m in saved[:5] if m not in same]
            found = self._read_remembered(path, same + others, progress, cancel)
            return (parsed, "auto") if found is None else (found, "remembered")
        remembered = next((m for m in saved if m.signature == parsed.mapping.signature), None)
        if remembered is not None and remembered.columns != parsed.mapping.columns:
            return read_cases_file(path, remembered, progress, cancel), "remembered"
        return parsed, "remembered" if remembered is not None else "auto"

    @staticmethod
    def _read_remembered(path, mappings, progress, cancel) -> ParsedFile | None:
        """The file read with the first of `mappings` that fits it and names every required column."""
        for remembered in mappings:
            try:
                return read_cases_file(path, remembered, progress, cancel)
            except (FormulaCells, ImportCancelled):
                raise
            except ImportFailed:
                continue
        return None

    def _classify(self, s, actor, parsed, unit_map, procedure_map, create_missing, lock: bool = False,
                  earlier: Match | None = None) -> tuple[Resolver, Classified, Match]:
        """Match the rows; `earlier` (the dry run's match) is taken over when nothing it depends on changed —
        the known cases are read again in any case (and, with `lock`, locked: SELECT ... FOR UPDATE)."""
        resolver = Resolver(Catalogue(s, actor.office_id), dict(unit_map or {}), dict(procedure_map or {}),
                            create_missing)
        mapped, now = frozenset(parsed.mapping.columns), self.now()
        held = held_cases(s, (r.code for r in parsed.rows), lock)
        found = None
        if earlier is not None:
            found = earlier.reuse(actor.office_id, parsed.rows, mapped, now, held, resolver)
        if found is None:
            found = classify(s, actor.office_id, parsed.rows, mapped, resolver, now, lock, held)
        return resolver, found, Match.of(actor.office_id, parsed.rows, mapped, now, held, resolver, found)

    def _plan(self, parsed, source, resolver: Resolver, found: Classified, create_missing,
              match: Match | None, unit_names: dict[int, str]) -> ImportPlan:
        """The plan shown to the user; `unit_names` (every plan has them, the first and each revision) name a
        change of unit in an update or a conflict, which would otherwise read "Đơn vị: #2 → #3"."""
        fatal = [*parsed.fatal, *(_unresolved_text(u) for u in resolver.unresolved()), *resolver.check_choices()]
        rejected = sorted([*parsed.rejected, *found.rejected], key=lambda r: r.row_number)
        return ImportPlan(
            path=Path(parsed.path), parsed=parsed, mapping=parsed.mapping, mapping_source=source,
            counts=found.counts(len(parsed.rejected)), rejected=rejected,
            unknown_units=list(resolver.units.values()), unknown_procedures=list(resolver.procedures.values()),
            conflicts=found.conflicts, fatal=fatal, warnings=list(parsed.warnings), create_missing=create_missing,
            updates=_changes(found),
            outcomes=found.outcomes(), match=match, unit_names=unit_names,
        )

    def revise_plan(self, actor: Actor, plan: ImportPlan, unit_map: dict | None = None,
                    procedure_map: dict | None = None, create_missing: bool | None = None) -> ImportPlan:
        """The same file matched again with other unit/procedure choices (no re-read)."""
        create = plan.create_missing if create_missing is None else create_missing
        with self.db.read() as s:
            self.user_row(s, actor, Action.IMPORT_CASES)
            resolver, found, match = self._classify(
                s, actor, plan.parsed, unit_map if unit_map is not None else _choices(plan.unknown_units),
                procedure_map if procedure_map is not None else _choices(plan.unknown_procedures), create)
            units = ex.unit_names(s, actor.office_id)  # read again: another desk may have added one meanwhile
        return self._plan(plan.parsed, plan.mapping_source, resolver, found, create, match, units)

    def run_import(self, actor: Actor, plan_or_path: ImportPlan | str | Path, decisions: dict[str, str] | None = None,
                   mapping: ColumnMapping | None = None, unit_map: dict | None = None,
                   procedure_map: dict | None = None, create_missing: bool | None = None,
                   progress: Progress | None = None, cancel: Cancel | None = None) -> ImportResult:
        """Import in ONE transaction; any fatal problem (or a cancel) writes nothing at all."""
        with _gc_paused():
            return self._run_import(actor, plan_or_path, decisions, mapping, unit_map, procedure_map,
                                    create_missing, progress, cancel)

    def _run_import(self, actor, plan_or_path, decisions, mapping, unit_map, procedure_map, create_missing,
                    progress, cancel) -> ImportResult:
        if isinstance(plan_or_path, ImportPlan):
            plan = plan_or_path
            create = plan.create_missing if create_missing is None else create_missing
            unit_map = unit_map if unit_map is not None else _choices(plan.unknown_units)
            procedure_map = procedure_map if procedure_map is not None else _choices(plan.unknown_procedures)
        else:
            create = bool(create_missing)
            plan = self.plan_import(actor, plan_or_path, mapping, unit_map, procedure_map, create, progress, cancel)
        if plan.fatal:
            raise ImportFailed("Không nhập tệp vì: " + " ".join(plan.fatal))
        decisions = {k: v for k, v in (decisions or {}).items() if v in (KEEP_OURS, TAKE_FILE)}
        with self.db.write() as s:  # the plan is re-checked under the write lock: another desk may have worked
            hold_sync(s)  # imports one at a time, and the chain's lock before any case row (`storage.locks`)
            hold_audit(s)
            user = self.user_row(s, actor, Action.IMPORT_CASES)
            resolver, found, _match = self._classify(s, actor, plan.parsed, unit_map, procedure_map, create,
                                                     lock=True, earlier=plan.match)
            fatal = [_unresolved_text(u) for u in resolver.unresolved()] + resolver.check_choices()
            if fatal:
                raise ImportFailed("Không nhập tệp vì: " + " ".join(fatal))
            ctx = WriteContext(s, self.office(s, actor.office_id), None, resolver.catalogue, resolver,
                               frozenset(plan.parsed.mapping.columns), self.now(), user.id, user.unit_id,
                               Path(plan.path).name, cancel)  # fmt: skip
            ctx.cal = self.calendar(s, ctx.office)
            fields = {}
            for row in plan.parsed.rows:
                fields.setdefault(procedure_key(row), row.field)
            units, procs = create_unknowns(ctx, fields)
            taken = [c for c in found.conflicts if decisions.get(c.code) == TAKE_FILE]
            taken_codes = {c.code for c in taken}
            # what this run found, as the dry run says it (ours before the writes): the report of what was done
            updates = _changes(found)
            conflicts = [replace(c, decision=TAKE_FILE if c.code in taken_codes else KEEP_OURS)
                         for c in found.conflicts]
            unit_names = ex.unit_names(s, actor.office_id)  # with the units created here or meanwhile
            ctx.progress, ctx.total = progress, len(found.new) + len(found.updates) + len(taken)
            insert_new(ctx, found.new, found.unit_of, found.procedure_of)
            apply_updates(ctx, found.updates + [found.conflict_rows[c.code] for c in taken],
                          {c.code: frozenset(c.kept) for c in taken})
            keep_seen(ctx, [v for code, v in found.seen.items() if code not in taken_codes])
            saved = self._remember(s, plan)
            counts = found.counts(len(plan.parsed.rejected))
            counts.update(conflicts_taken=len(taken), conflicts_kept=len(found.conflicts) - len(taken))
            add_audit(s, ctx.now, user.id, "import_cases", "file", Path(plan.path).name[:80], counts)
            ctx.check_cancel()
        rejected = sorted([*plan.parsed.rejected, *found.rejected], key=lambda r: r.row_number)
        kept = [c.code for c in found.conflicts if c.code not in taken_codes]
        return ImportResult(counts, rejected, units, list(procs), [c.code for c in taken], kept, saved, procs,
                            updates=updates, conflicts=conflicts, stale=list(found.stale),
                            unknown_units=list(resolver.units.values()),
                            unknown_procedures=list(resolver.procedures.values()), unit_names=unit_names)

    def _remember(self, s, plan: ImportPlan) -> bool:
        """A mapping the user corrected is kept for the next file with the same headers."""
        if plan.mapping_source != "user":
            return False
        signature = plan.mapping.signature
        row = s.execute(select(ImportMapping).where(ImportMapping.signature == signature)).scalar_one_or_none()
        row = row or ImportMapping(signature=signature)
        row.mapping, row.updated_at = plan.mapping.to_dict(), self.now()
        s.add(row)
        return True

    def forget_mapping(self, actor: Actor, signature: str) -> bool:
        """Drop the mapping kept for files with these headers (`ColumnMapping.signature`): a correction made
        once for a file that was wrong could only be undone by choosing every column again. True when one was
        kept."""
        with self.audited_write() as s:
            user = self.user_row(s, actor, Action.IMPORT_CASES)
            row = s.execute(select(ImportMapping).where(ImportMapping.signature == signature)).scalar_one_or_none()
            if row is None:
                return False
            add_audit(s, self.now(), user.id, "forget_mapping", "import_mapping", signature[:80], row.mapping)
            s.delete(row)
            return True

    def remembered_mappings(self, actor: Actor) -> list[ColumnMapping]:
        with self.db.read() as s:
            self.user_row(s, actor, Action.IMPORT_CASES)
            return _remembered(s.execute(select(ImportMapping.mapping).order_by(ImportMapping.updated_at.desc())))

    # ----- export ---------------------------------------------------------------------------------------
    def export_cases(self, actor: Actor, path: str | Path, flt: QueueFilter | None = None,
                     sort: str = "urgency", descending: bool = False, cancel: Cancel | None = None) -> int:
        """The queue (or any filtered list) as a workbook: colour as a column and as the row fill. `cancel()`
        returning True stops every export here (`ExportCancelled`): no file written, nothing recorded."""
        with self.db.read() as s:
            self.user_row(s, actor, Action.EXPORT)
        ids = QueueService(self.db, self.clock, self.calendars).ids(actor, flt or QueueFilter(), sort, descending)
        now = self.now()
        with self.db.read() as s:
            office = self.office(s, actor.office_id)
            units, flt = ex.unit_names(s, office.id), flt or QueueFilter()
            title = ["DANH SÁCH HỒ SƠ ĐANG GIẢI QUYẾT" if flt.open_only else "DANH SÁCH HỒ SƠ",
                     f"{office.name} — xuất lúc {now:%H:%M %d/%m/%Y}"]
            title += [w for w in [ex.filter_words(s, flt, units)] if w]
            count = ex.write_case_lines(path, title, ex.case_lines(s, ids, units, now), cancel)
        self._record(actor, "cases", path, count, None)
        return count

    def export_changed(self, actor: Actor, path: str | Path, changed_since: datetime | None = None,
                       cancel: Cancel | None = None) -> int:
        """Cases changed since `changed_since` (default: not yet synced) for the portal; marks them synced when the
        user is one who syncs with the portal (the import right: desk officers, administrators). A leader may
        take the same list to look at: it is not marked, so the desk's next upload still carries those cases."""
        now = self.now()
        with self.db.write() as s:
            # the upload's cases read and marked while no import or other upload runs: two desks uploaded the
            # same cases, both recorded as the upload, and an import locking them in another order deadlocked
            hold_sync(s)
            hold_audit(s)
            user = self.user_row(s, actor, Action.EXPORT)
            syncs = can(user.role, Action.IMPORT_CASES)
            office = self.office(s, user.office_id)
            if changed_since is not None:
                cond = Case.updated_at >= changed_since
            else:
                cond = not_synced()
            ids = ex.ordered_ids(s, office.id, cond)
            versions = ex.versions(s, ids)  # what is written; a case changed meanwhile stays unsynced
            since = changed_since or s.execute(select(ExportRecord.at).where(ExportRecord.kind == "changed")
                                               .order_by(ExportRecord.at.desc()).limit(1)).scalar()
            if changed_since is not None:  # the title says since when: the moment asked, or the last export
                scope = f"hồ sơ thay đổi từ {since:%H:%M %d/%m/%Y}"
            elif since is not None:
                scope = f"hồ sơ chưa đồng bộ, thay đổi từ lần xuất trước lúc {since:%H:%M %d/%m/%Y}"
            else:
                scope = "hồ sơ chưa đồng bộ (chưa từng xuất lên cổng)"
            title = ["HỒ SƠ THAY ĐỔI CẦN CẬP NHẬT LÊN CỔNG",
                     f"{office.name} — xuất lúc {now:%H:%M %d/%m/%Y} — {scope}"]
            if not syncs:
                title.append("Bản để xem: các hồ sơ này chưa được đánh dấu là đã đồng bộ lên cổng.")
            count = ex.write_case_lines(path, title, ex.case_lines(s, ids, ex.unit_names(s, office.id), now),
                                        cancel)
            if syncs:
                ex.mark_synced(s, versions, now)
            # a look ("changed_view") is recorded too, but is no upload: the next "since the last export" is not it
            s.add(ExportRecord(at=now, user_id=user.id, kind="changed" if syncs else "changed_view", path=str(path),
                               count=count, changed_since=since))
        return count

    def export_register(self, actor: Actor, path: str | Path, year: int, cancel: Cancel | None = None) -> int:
        """Mẫu 06 (sổ theo dõi hồ sơ) of `year` as a workbook, the PDF register's columns."""
        if not 2000 <= year <= 2100:
            raise ValidationError("Năm của sổ theo dõi không hợp lệ.")
        with self.db.read() as s:
            user = self.user_row(s, actor, Action.EXPORT)
            office = self.office(s, user.office_id)
            docs = DocumentService(self.db, self.clock, self.calendars)
            rows = docs.register_rows(s, office.id, date(year, 1, 1), date(year, 12, 31))
        title = ["SỔ THEO DÕI HỒ SƠ", f"Quyển số: {year} — {office.name}"]  # the yearly book, as the PDF's
        count = ex.write_register(path, title, rows, cancel)
        self._record(actor, "register", path, count, None)
        return count

    def last_export(self, actor: Actor, kind: str = "changed") -> datetime | None:
        with self.db.read() as s:
            return s.execute(select(ExportRecord.at).where(ExportRecord.kind == kind)
                             .order_by(ExportRecord.at.desc()).limit(1)).scalar()

    def _record(self, actor: Actor, kind: str, path, count: int, since: datetime | None) -> None:
        with self.db.write() as s:
            s.add(ExportRecord(at=self.now(), user_id=actor.user_id, kind=kind, path=str(path), count=count,
                               changed_since=since))


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file is read and written. An import allocates and keeps tens of
    thousands of rows (cells, outcomes, case tuples) and makes no reference cycles: the collector would walk
    that growing heap again and again for nothing (0.6 s of a 3.3 s read of 50,000 rows). Restored after;
    the objects are freed by reference counting as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _choices(unknowns) -> dict:
    return {u.key: u.resolution for u in unknowns if u.resolution is not None}


def due_at_close_of_day(parsed: ParsedFile, closing: time) -> None:
    """A due date the file gives without a time (a date cell, or "20/11/2026") reads as midnight, which would
    make the case late from the first minute of its last day; a portal's appointment is for that working day,
    so it is taken as the office's closing time. A real time of day is kept as it is. The same for the apology's
    new appointment ("Ngày hẹn lại"). Marked `DayOnly`: against a known case's appointment on that day, it
    says nothing new (the portal wrote the day; our time of day stands)."""
    for row in parsed.rows:
        due, new_due = row.due_at, row.new_due_at
        if due is not None and not (due.hour or due.minute or due.second):
            row.due_at = DayOnly.combine(due.date(), closing)
        if new_due is not None and not (new_due.hour or new_due.minute or new_due.second):
            row.new_due_at = DayOnly.combine(new_due.date(), closing)


def _changes(found: Classified) -> list[Change]:
    """Each update of `found` as shown: field -> (ours, the file's)."""
    return [Change(row.code, row.row_number, {k: (held.get(k), v) for k, v in changed.items()})
            for row, held, changed in found.updates]


def _remembered(result) -> list[ColumnMapping]:
    """The remembered mappings that still load; one that does not (written by an older version in a shape no
    longer read) is passed over rather than stopping every import."""
    out = []
    for data in result.scalars():
        try:
            out.append(ColumnMapping.from_dict(data))
        except ImportFailed:
            continue
    return out


def _unresolved_text(u) -> str:
    if u.kind == "unit":
        return f"Đơn vị '{u.key}' chưa có trong danh sách đơn vị ({len(u.rows)} dòng): hãy chọn đơn vị có sẵn hoặc tạo mới."
    named = f"'{u.code}'" if u.code else f"'{u.name}' (tệp không ghi mã)"
    return (f"Thủ tục {named} chưa có trong danh mục ({len(u.rows)} dòng): hãy chọn thủ tục có sẵn hoặc tạo mới"
            " (cần xác nhận).")
