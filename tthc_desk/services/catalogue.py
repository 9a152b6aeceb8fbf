"""The procedure catalogue: import from the national lists, search, and an administrator's edits."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import or_, select

from tthc_desk.catalogue_durations import MAX_AMOUNT, DurationSpec
from tthc_desk.catalogue_files import CatalogueParse, ProcedureRecord, national_code, read_catalogue
from tthc_desk.domain import Channel, DurationUnit, SupplementMode, describe_duration
from tthc_desk.errors import NotFound, ValidationError
from tthc_desk.services.base import Actor, ServiceBase, check_column, fit_column
from tthc_desk.services.ledger import add_audit
from tthc_desk.services.rights import Action
from tthc_desk.storage.models import AuditEntry, Procedure, Unit
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
    duplicated; counts into `report`, and one audit line. The records' texts fit their columns (the reading
    skipped the rows that do not); the file's name is cut to fit where it is kept."""
    existing = {p.code: p for p in s.execute(select(Procedure)).scalars()}
    for rec in parsed.records:
        proc = existing.get(rec.code)
        if proc is None:
            proc = Procedure(papers=[], workflow=[], source=fit_column(Path(path).name, Procedure.source),
                             active=True)
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
    add_audit(s, now, user_id, "catalogue_import", "procedure", fit_column(Path(path).name, AuditEntry.entity_id),
              {k: v for k, v in report.as_dict().items() if k != "warnings"})


class CatalogueService(ServiceBase):
    def import_file(self, actor: Actor, path: str | Path, dry_run: bool = False) -> CatalogueImportReport:
        """Import a catalogue file: new codes added, known codes updated, nothing duplicated, doubtful
        durations marked 'cần xác nhận'. One transaction; a dry run writes nothing."""
        parsed, report = read_catalogue_report(path, dry_run)
        with self.audited_write() as s:
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
        """Create or edit a procedure; saving it confirmed clears 'cần xác nhận'. Every value is checked before
        anything is written (a refusal is a ValidationError/NotFound and leaves the database as it was); a
        channel not named in `durations` keeps its stored time, `papers`/`workflow` None keep the stored lists."""
        code, name, field_name = clean(code), clean(name), clean(field_name)
        if not code or not name:
            raise ValidationError("Thủ tục cần có mã và tên.", field="code")
        check_column(code, Procedure.code, "Mã thủ tục", "code")
        check_column(field_name, Procedure.field, "Lĩnh vực", "field_name")
        durations = _clean_durations(durations)
        papers = None if papers is None else _clean_papers(papers)
        workflow = None if workflow is None else _clean_workflow(workflow)
        supplement_mode = _clean_supplement_mode(supplement_mode)
        warning_minutes = _clean_warning_minutes(warning_minutes)
        with self.audited_write() as s:
            user = self.user_row(s, actor, Action.EDIT_CATALOGUE)
            clash = s.execute(select(Procedure.id).where(Procedure.code == code)).scalar()
            if clash and clash != procedure_id:
                raise ValidationError(f"Mã thủ tục {code} đã có.", field="code")
            p = s.get(Procedure, procedure_id) if procedure_id else Procedure(source="nhập tay", active=True)
            if p is None:
                raise NotFound("Không tìm thấy thủ tục.")
            is_new, was_flagged = p.id is None, bool(p.needs_review)
            # the time each channel will have: the one given, else the one stored
            final = {ch: durations.get(ch, (getattr(p, f"{ch}_amount"), getattr(p, f"{ch}_unit"))) for ch in CHANNELS}
            if confirmed and final["direct"][1] is None:
                raise ValidationError("Cần có thời hạn giải quyết (trực tiếp) trước khi xác nhận.", field="direct_amount")
            if lead_unit_id is not None:
                self.unit(s, lead_unit_id, actor.office_id)
            for step in workflow or []:
                if step["unit_id"] is not None:
                    unit = s.get(Unit, step["unit_id"])
                    if unit is None or unit.office_id != actor.office_id:
                        raise ValidationError(f"Bước quy trình '{step['name']}': không tìm thấy đơn vị đã chọn.",
                                              field="workflow")
                    step["unit"] = unit.name
            p.code, p.name, p.name_folded, p.field = code, name, fold(name), field_name
            p.national_code = national_code(code)
            for ch in CHANNELS:
                setattr(p, f"{ch}_amount", final[ch][0])
                setattr(p, f"{ch}_unit", final[ch][1])
            if papers is not None:
                p.papers = papers
            elif p.papers is None:
                p.papers = []
            if workflow is not None:
                p.workflow = workflow
            elif p.workflow is None:
                p.workflow = []
            p.lead_unit_id, p.supplement_mode, p.warning_minutes, p.fee = lead_unit_id, supplement_mode, warning_minutes, clean(fee)
            p.needs_review = not confirmed
            p.review_note = "" if confirmed else _review_note(p, is_new, was_flagged, user, self.now())
            p.updated_at = self.now()
            s.add(p)
            s.flush()
            add_audit(s, self.now(), user.id, "save_procedure", "procedure", p.code,
                      {"durations": {k: list(v) for k, v in durations.items()}, "confirmed": confirmed})
            return p.id


# ----- checking what `save` is given (no database) ---------------------------------------------------
# MAX_AMOUNT (from catalogue_durations, which the import also keeps to): the largest time allowed (and step)
# the window's fields accept; more would stall the deadline
MAX_WARNING_MINUTES = 240 * 60  # as the window's and the command line's "cảnh báo sắp đến hạn" (240 working hours)
UNIT_CHOICES = ", ".join(f"{u.value} ({u.label})" for u in DurationUnit)



def _number(value) -> float | None:
    """A finite number (an int, a float, or a text such as '1,5') as float; None for anything else (a bool, NaN,
    infinity, words)."""
    if isinstance(value, str):
        try:
            value = float(clean(value).replace(",", "."))
        except ValueError:
            return None
    elif isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _clean_durations(durations: dict | None) -> dict[str, tuple[float | None, str | None]]:
    """Each channel's (amount, unit) checked: a known channel and unit, an amount 0–9999 (none for 'trong ngày');
    (None, None) for 'chưa xác định'."""
    out: dict[str, tuple[float | None, str | None]] = {}
    for ch, value in (durations or {}).items():
        if clean(ch) not in CHANNELS:
            raise ValidationError(f"Kênh nộp '{ch}' không có; chỉ có: {', '.join(CHANNELS)}.", field="durations")
        ch = clean(ch)
        label = Channel(ch).label.lower()
        try:
            amount, unit = value
        except (TypeError, ValueError):
            raise ValidationError(f"Thời hạn {label} phải gồm số và đơn vị.", field=f"{ch}_amount") from None
        if unit is None or clean(unit) == "":
            out[ch] = (None, None)
            continue
        try:
            unit = DurationUnit(clean(unit))
        except ValueError:
            raise ValidationError(f"Đơn vị thời hạn {label} '{clean(unit)}' không hợp lệ; chỉ dùng: {UNIT_CHOICES}.",
                                  field=f"{ch}_unit") from None
        if unit is DurationUnit.SAME_DAY:
            out[ch] = (None, str(unit))
            continue
        number = _number(amount)
        if number is None or number < 0:
            raise ValidationError(f"Thời hạn {label} phải là số không âm.", field=f"{ch}_amount")
        if number > MAX_AMOUNT:
            raise ValidationError(f"Thời hạn {label} quá lớn: tối đa {MAX_AMOUNT} {unit.label}.", field=f"{ch}_amount")
        out[ch] = (number, str(unit))
    return out


def _clean_papers(papers: list) -> list[dict]:
    """Papers with their names cleaned and whole, non-negative counts; rows without a name are dropped."""
    out = []
    for x in papers:
        if not isinstance(x, dict):
            raise ValidationError("Thành phần hồ sơ không hợp lệ.", field="papers")
        paper_name = clean(x.get("name"))
        if not paper_name:
            continue
        row = {"name": paper_name}
        for key in ("originals", "certified", "photocopies"):
            value = x.get(key)
            number = 0.0 if value is None or value == "" else _number(value)
            if number is None or number < 0 or number != int(number):
                raise ValidationError(f"Số bản của giấy tờ '{paper_name}' phải là số nguyên không âm.",
                                      field="papers")
            row[key] = int(number)
        out.append(row)
    return out


def _clean_workflow(workflow: list) -> list[dict]:
    """Steps as stored: {name, unit_id, days, unit}, the name and unit name cleaned (NFC, trimmed); steps
    without a name are dropped. Whether the unit exists is checked in the transaction."""
    out = []
    for step in workflow:
        if not isinstance(step, dict):
            raise ValidationError("Bước quy trình không hợp lệ.", field="workflow")
        step_name = clean(step.get("name"))
        if not step_name:
            continue
        value = step.get("days")
        days = 0.0 if value is None or value == "" else _number(value)
        if days is None or not 0 <= days <= MAX_AMOUNT:
            raise ValidationError(f"Số ngày của bước '{step_name}' phải là số từ 0 đến {MAX_AMOUNT}.", field="workflow")
        unit_id = step.get("unit_id")
        if unit_id is not None and (isinstance(unit_id, bool) or not isinstance(unit_id, int)):
            raise ValidationError(f"Bước quy trình '{step_name}': đơn vị không hợp lệ.", field="workflow")
        out.append({"name": step_name, "unit_id": unit_id, "days": days, "unit": clean(step.get("unit"))})
    return out


def _clean_supplement_mode(mode) -> str | None:
    """None (the office's setting) or one of SupplementMode."""
    if mode is None or clean(mode) == "":
        return None
    try:
        return str(SupplementMode(clean(mode)))
    except ValueError:
        raise ValidationError(
            f"Cách tính khi bổ sung hồ sơ '{clean(mode)}' không hợp lệ; chỉ dùng: restart (tính lại từ đầu), "
            "pause (tạm dừng), hoặc để trống (theo cài đặt của cơ quan).", field="supplement_mode") from None


def _clean_warning_minutes(minutes) -> int | None:
    """None (the office's setting) or a whole number of minutes 0–240 working hours."""
    if minutes is None:
        return None
    number = _number(minutes)
    if number is None or number != int(number) or not 0 <= number <= MAX_WARNING_MINUTES:
        raise ValidationError("Cảnh báo sắp đến hạn là số giờ làm việc từ 0 đến 240.", field="warning_minutes")
    return int(number)


def _review_note(p: Procedure, is_new: bool, was_flagged: bool, user, now) -> str:
    """Why a procedure saved unconfirmed is 'cần xác nhận', as it is: the note it already has (the import's
    reason), else who added it by hand or who marked it, and when."""
    who = user.full_name or user.username
    if is_new:
        return f"Thêm tay vào danh mục ngày {now:%d/%m/%Y} ({who}), chưa được xác nhận."
    if not was_flagged:
        return f"Đánh dấu cần xác nhận ngày {now:%d/%m/%Y} ({who})."
    if p.review_note:
        return p.review_note
    return "Chưa được xác nhận" + (f" (nguồn: {p.source})." if p.source else ".")


def _and(conds):
    from sqlalchemy import and_

    return and_(*conds)
