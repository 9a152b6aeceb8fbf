"""The procedure catalogue: import from the national lists, search, and an administrator's edits."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import or_, select

from tthc_desk.catalogue_durations import DurationSpec
from tthc_desk.catalogue_files import CatalogueParse, ProcedureRecord, national_code, read_catalogue
from tthc_desk.domain import DurationUnit, describe_duration
from tthc_desk.errors import NotFound, ValidationError
from tthc_desk.services.base import Actor, ServiceBase
from tthc_desk.services.ledger import add_audit
from tthc_desk.services.rights import Action
from tthc_desk.storage.models import Procedure
from tthc_desk.text import clean, fold

CHANNELS = ("direct", "online", "post")


@dataclass
class CatalogueImportReport:
    source: str
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    needs_review: int = 0
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ProcedureView:
    id: int
    code: str
    name: str
    field: str
    levels: str
    decision: str
    durations: dict[str, str]
    needs_review: bool
    review_note: str
    papers: list[dict]
    lead_unit_id: int | None
    workflow: list[dict]
    supplement_mode: str | None
    warning_minutes: int | None
    fee: str
    raw: dict

    def as_dict(self) -> dict:
        d = dict(self.__dict__)
        d.pop("raw")
        return d


def _spec_values(spec: DurationSpec) -> tuple[float | None, str | None]:
    if spec.is_clear:
        return spec.amount, str(spec.unit)
    return None, None


def _apply_record(p: Procedure, r: ProcedureRecord) -> bool:
    """Copy a file's record onto a procedure; clear durations never overwrite an administrator's ones with
    doubtful ones. Returns whether anything changed."""
    before = _snapshot(p)
    p.code, p.national_code, p.name, p.name_folded = r.code, r.national_code, r.name, fold(r.name)
    p.field, p.levels, p.decision = r.field or p.field or "", r.levels or p.levels or "", r.decision or p.decision or ""
    p.agency = r.implementing_agency or p.agency or ""
    p.cooperating = r.cooperating_units or p.cooperating or ""
    notes = []
    for ch in CHANNELS:
        spec: DurationSpec = getattr(r, ch)
        amount, unit = _spec_values(spec)
        if unit is not None:
            setattr(p, f"{ch}_amount", amount)
            setattr(p, f"{ch}_unit", unit)
        elif spec.note:
            notes.append(f"{ch}: {spec.note}")
    has_direct = p.direct_unit is not None
    p.needs_review = bool(r.needs_review and not (p.id and not before["needs_review"] and has_direct)) or not has_direct
    p.review_note = "\n".join(r.review_notes or notes) if p.needs_review else ""
    return _snapshot(p) != before


def _snapshot(p: Procedure) -> dict:
    keys = ("name", "field", "levels", "decision", "agency", "cooperating", "needs_review", "review_note",
            "direct_amount", "direct_unit", "online_amount", "online_unit", "post_amount", "post_unit")
    return {k: getattr(p, k, None) for k in keys}


def view_of(p: Procedure) -> ProcedureView:
    durations = {ch: describe_duration(getattr(p, f"{ch}_amount"), getattr(p, f"{ch}_unit")) for ch in CHANNELS}
    return ProcedureView(p.id, p.code, p.name, p.field, p.levels, p.decision, durations, p.needs_review,
                         p.review_note, list(p.papers or []), p.lead_unit_id, list(p.workflow or []),
                         p.supplement_mode, p.warning_minutes, p.fee,
                         {ch: (getattr(p, f"{ch}_amount"), getattr(p, f"{ch}_unit")) for ch in CHANNELS})


def read_catalogue_report(path: str | Path, dry_run: bool = False) -> tuple[CatalogueParse, CatalogueImportReport]:
    """A catalogue file read (no database), with the report its import starts from."""
    parsed: CatalogueParse = read_catalogue(path)
    report = CatalogueImportReport(source=str(path), rows=len(parsed.records), dry_run=dry_run)
    report.warnings = [f"Dòng {w.row} ({w.code}): {w.message}" for w in parsed.warnings]
    return parsed, report


def store_catalogue(s, user_id: int, now, path: str | Path, parsed: CatalogueParse,
                    report: CatalogueImportReport) -> None:
    """Write a read catalogue in the caller's transaction: new codes added, known codes updated, nothing
    duplicated; counts into `report`, and one audit line."""
    existing = {p.code: p for p in s.execute(select(Procedure)).scalars()}
    for rec in parsed.records:
        proc = existing.get(rec.code)
        if proc is None:
            proc = Procedure(papers=[], workflow=[], source=Path(path).name, active=True)
            _apply_record(proc, rec)
            s.add(proc)
            existing[rec.code] = proc
            report.new += 1
        elif _apply_record(proc, rec):
            report.updated += 1
        else:
            report.unchanged += 1
        report.needs_review += int(proc.needs_review)
        proc.updated_at = now
    add_audit(s, now, user_id, "catalogue_import", "procedure", Path(path).name,
              {k: v for k, v in report.as_dict().items() if k != "warnings"})


class CatalogueService(ServiceBase):
    def import_file(self, actor: Actor, path: str | Path, dry_run: bool = False) -> CatalogueImportReport:
        """Import a catalogue file: new codes added, known codes updated, nothing duplicated, doubtful
        durations marked 'cần xác nhận'. One transaction; a dry run writes nothing."""
        parsed, report = read_catalogue_report(path, dry_run)
        with self.db.write() as s:
            user = self.user_row(s, actor, Action.EDIT_CATALOGUE)
            store_catalogue(s, user.id, self.now(), path, parsed, report)
            if dry_run:
                s.rollback()
        return report

    def search(self, actor: Actor, text: str = "", limit: int = 50, include_review: bool = True) -> list[ProcedureView]:
        """Procedures whose code starts with, or whose name contains, the words typed (diacritics optional)."""
        q = fold(text)
        with self.db.read() as s:
            stmt = select(Procedure).where(Procedure.active.is_(True))
            if q:
                conds = [Procedure.name_folded.contains(tok, autoescape=True) for tok in q.split()]
                stmt = stmt.where(or_(Procedure.code.startswith(clean(text), autoescape=True), *([_and(conds)])))
            if not include_review:
                stmt = stmt.where(Procedure.needs_review.is_(False))
            stmt = stmt.order_by(Procedure.needs_review, Procedure.code).limit(limit)
            return [view_of(p) for p in s.execute(stmt).scalars()]

    def get(self, actor: Actor, procedure_id: int | None = None, code: str | None = None) -> ProcedureView:
        with self.db.read() as s:
            if procedure_id is not None:
                p = s.get(Procedure, procedure_id)
            else:
                p = s.execute(select(Procedure).where(Procedure.code == clean(code))).scalar_one_or_none()
            if p is None:
                raise NotFound(f"Không tìm thấy thủ tục {code or procedure_id}.")
            return view_of(p)

    def save(self, actor: Actor, procedure_id: int | None, *, code: str, name: str, field_name: str = "",
             durations: dict[str, tuple[float | None, str | None]] | None = None, papers: list[dict] | None = None,
             lead_unit_id: int | None = None, workflow: list[dict] | None = None, supplement_mode: str | None = None,
             warning_minutes: int | None = None, fee: str = "", confirmed: bool = True) -> int:
        """Create or edit a procedure; saving it confirmed clears 'cần xác nhận'."""
        code, name = clean(code), clean(name)
        if not code or not name:
            raise ValidationError("Thủ tục cần có mã và tên.", field="code")
        durations = durations or {}
        for ch, (amount, unit) in durations.items():
            if unit is not None:
                DurationUnit(unit)
                if unit != DurationUnit.SAME_DAY and (amount is None or amount < 0):
                    raise ValidationError("Thời hạn phải là số không âm.", field=f"{ch}_amount")
        if confirmed and (durations.get("direct", (None, None))[1] is None):
            raise ValidationError("Cần có thời hạn giải quyết (trực tiếp) trước khi xác nhận.", field="direct_amount")
        with self.db.write() as s:
            user = self.user_row(s, actor, Action.EDIT_CATALOGUE)
            clash = s.execute(select(Procedure.id).where(Procedure.code == code)).scalar()
            if clash and clash != procedure_id:
                raise ValidationError(f"Mã thủ tục {code} đã có.", field="code")
            p = s.get(Procedure, procedure_id) if procedure_id else Procedure(source="nhập tay", active=True)
            if p is None:
                raise NotFound("Không tìm thấy thủ tục.")
            if lead_unit_id is not None:
                self.unit(s, lead_unit_id, actor.office_id)
            p.code, p.name, p.name_folded, p.field = code, name, fold(name), clean(field_name)
            p.national_code = national_code(code)
            for ch in CHANNELS:
                amount, unit = durations.get(ch, (getattr(p, f"{ch}_amount"), getattr(p, f"{ch}_unit")))
                setattr(p, f"{ch}_amount", amount)
                setattr(p, f"{ch}_unit", unit)
            p.papers = [{"name": clean(x["name"]), "originals": int(x.get("originals", 0)),
                         "certified": int(x.get("certified", 0)), "photocopies": int(x.get("photocopies", 0))}
                        for x in (papers if papers is not None else p.papers or []) if clean(x.get("name"))]
            p.workflow = workflow if workflow is not None else (p.workflow or [])
            p.lead_unit_id, p.supplement_mode, p.warning_minutes, p.fee = lead_unit_id, supplement_mode, warning_minutes, clean(fee)
            p.needs_review = not confirmed
            p.review_note = "" if confirmed else (p.review_note or "Tạo khi nhập hồ sơ — cần xác nhận")
            p.updated_at = self.now()
            s.add(p)
            s.flush()
            add_audit(s, self.now(), user.id, "save_procedure", "procedure", p.code,
                      {"durations": {k: list(v) for k, v in durations.items()}, "confirmed": confirmed})
            return p.id


def _and(conds):
    from sqlalchemy import and_

    return and_(*conds)
