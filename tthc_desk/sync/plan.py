"""What an import plan and its result hold, and how they are said to the user (no database here): the outcome
of each row (new, updated, unchanged, conflict, older, refused), the units and procedures the catalogue lacks,
the conflicts with the user's decision, and the changes in the portal's words. How a portal row reads as case
columns, and the rules that decide an outcome, are in `service_model`."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tthc_desk.domain import Channel, Status
from tthc_desk.sync.columns import ColumnMapping
from tthc_desk.sync.fields import FIELD_LABELS
from tthc_desk.sync.reader import ParsedFile, PortalRow, RejectedRow

NEW, UPDATED, UNCHANGED, CONFLICT, STALE = "new", "updated", "unchanged", "conflict", "stale"
# a row the matcher refuses (a date out of order, another office's code): among the file's rows (`preview`),
# unlike the rows the reader refuses, so it needs an outcome of its own; its reason is in `rejected`
REJECTED = "rejected"
KEEP_OURS, TAKE_FILE = "ours", "file"
CREATE = "new"  # the value of a unit/procedure mapping that asks to create it (needs review)
TEMPORARY_CODE = "TAM-"  # starts the code made up for a procedure created from a file that gives it none

# case column -> the file field it comes from (the comparison order shown to the user)
CASE_FIELDS: dict[str, str] = {
    "applicant_name": "applicant", "applicant_id_number": "citizen_id", "applicant_phone": "phone",
    "applicant_email": "email", "applicant_address": "address", "procedure_code": "procedure_code",
    "procedure_name": "procedure_name", "field": "field", "lead_unit_id": "unit", "channel": "channel",
    "status": "status", "received_at": "received_at", "original_due_at": "due_at", "due_at": "new_due_at",
    "result_at": "finished_at", "closed_at": "finished_at", "returned_at": "returned_at", "owner_name": "owner",
    "owner_id_number": "owner_id", "owner_address": "owner_address",
}  # fmt: skip
@dataclass
class Unknown:
    """A unit or procedure the file names and the database lacks; `key` is what the user maps."""

    kind: str  # "unit" | "procedure"
    key: str
    code: str
    name: str
    rows: list[int] = field(default_factory=list)
    resolution: int | str | None = None  # an existing id, CREATE, or None (unresolved)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "code": self.code, "name": self.name,
                "rows": self.rows[:20], "count": len(self.rows), "resolution": self.resolution}  # fmt: skip


@dataclass
class Conflict:
    """A case the desk changed since its last sync and the file changes too: field -> (ours, file's)."""

    code: str
    row_number: int
    changes: dict[str, tuple[Any, Any]]
    decision: str = KEEP_OURS
    # columns the desk changed where the file still holds what the portal last showed: ours either way
    kept: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "row": self.row_number, "decision": self.decision,
                "changes": {k: [_show(a), _show(b)] for k, (a, b) in self.changes.items()},
                "kept_ours": list(self.kept)}  # fmt: skip


@dataclass(frozen=True)
class Change:
    """What an import would change in a case we hold: field -> (ours, the file's)."""

    code: str
    row_number: int
    changes: dict[str, tuple[Any, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "row": self.row_number,
                "changes": {k: [_show(a), _show(b)] for k, (a, b) in self.changes.items()}}  # fmt: skip


@dataclass
class ImportPlan:
    """The dry run: what an import would do; nothing has been written."""

    path: Path
    parsed: ParsedFile
    mapping: ColumnMapping
    mapping_source: str  # "auto" | "remembered" | "user"
    counts: dict[str, int]
    rejected: list[RejectedRow]
    unknown_units: list[Unknown]
    unknown_procedures: list[Unknown]
    conflicts: list[Conflict]
    fatal: list[str]
    warnings: list[str]
    create_missing: bool = False
    outcomes: dict[str, str] = field(default_factory=dict)  # code -> NEW / UPDATED / ... / REJECTED
    # what each update would change, field -> (ours, the file's), as a conflict says it: seen before the run
    updates: list[Change] = field(default_factory=list)
    unit_names: dict[int, str] = field(default_factory=dict)  # the office's units, to show changes of unit by name
    match: Any = field(default=None, repr=False, compare=False)  # service_match.Match: the import may reuse it

    @property
    def header_row(self) -> int:
        return self.mapping.header_row

    @property
    def encodings(self) -> dict[str, int]:
        return self.parsed.encodings

    @property
    def importable(self) -> bool:
        return not self.fatal

    @property
    def stale(self) -> list[str]:
        """The codes whose row is older than what we hold (kept as they are), in the file's order."""
        return [code for code, outcome in self.outcomes.items() if outcome == STALE]

    def preview(self, limit: int = 20, notable: int = 0) -> list[PortalRow]:
        """The file's first `limit` rows, then up to `notable` more of those the import would change a case by or
        hold back from (updated, conflict, older, refused): the counts name them, and each must be there to
        look at before importing (on a demo office's export the 2 updates were past the first 200 rows)."""
        first = self.parsed.rows[:limit]
        if not notable:
            return first
        outcomes = self.outcomes
        worth = (UPDATED, CONFLICT, STALE, REJECTED)
        rest = (r for r in self.parsed.rows[limit:] if outcomes.get(r.code) in worth)
        return first + list(itertools.islice(rest, notable))

    def encoding_summary(self) -> str:
        names = {"unicode": "Unicode", "tcvn3": "TCVN3 (ABC)", "vni": "VNI-Windows", "cp1258": "Windows-1258"}
        parts = [f"{names.get(k, k)}: {v}" for k, v in sorted(self.encodings.items()) if v]
        return "; ".join(parts) or "chỉ có chữ không dấu"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.path), "sheet": self.parsed.sheet_name, "header_row": self.header_row,
            "mapping": {f: h for f, _label, h in self.mapping.describe() if h},
            "mapping_source": self.mapping_source, "encodings": self.encodings, "counts": self.counts,
            "rejected": [{"row": r.row_number, "reason": r.reason} for r in self.rejected],
            "unknown_units": [u.as_dict() for u in self.unknown_units],
            "unknown_procedures": [u.as_dict() for u in self.unknown_procedures],
            "conflicts": [c.as_dict() for c in self.conflicts], "updates": [u.as_dict() for u in self.updates],
            "stale": self.stale, "fatal": self.fatal,
            "warnings": self.warnings, "importable": self.importable,
        }  # fmt: skip


@dataclass
class ImportResult:
    """What a real run wrote. The run matches the file again under the write lock, so its lists (`updates`,
    `conflicts`, `stale`, the unknowns) may differ from the dry run's: another desk may have changed a case or
    added a unit or procedure between the two."""

    counts: dict[str, int]
    rejected: list[RejectedRow]
    created_units: list[str]
    created_procedures: list[str]
    conflicts_taken: list[str]
    conflicts_kept: list[str]
    mapping_saved: bool
    created_procedure_names: dict[str, str] = field(default_factory=dict)  # code -> name, of `created_procedures`
    updates: list[Change] = field(default_factory=list)  # what the run updated: field -> (ours before, the file's)
    conflicts: list[Conflict] = field(default_factory=list)  # the run's conflicts, each with its decision
    stale: list[str] = field(default_factory=list)  # the codes whose row was older (kept as they were)
    # the units/procedures the catalogue lacked at the run, each with what was done (CREATE: created by it)
    unknown_units: list[Unknown] = field(default_factory=list)
    unknown_procedures: list[Unknown] = field(default_factory=list)
    unit_names: dict[int, str] = field(default_factory=dict)  # the office's units at the run

    def as_dict(self) -> dict[str, Any]:
        return {"counts": self.counts, "rejected": [{"row": r.row_number, "reason": r.reason} for r in self.rejected],
                "created_units": self.created_units, "created_procedures": self.created_procedures,
                "created_procedure_names": self.created_procedure_names,
                "conflicts_taken": self.conflicts_taken, "conflicts_kept": self.conflicts_kept,
                "mapping_saved": self.mapping_saved,
                # the run's own lists, under the keys and in the shapes of `ImportPlan.as_dict`
                "conflicts": [c.as_dict() for c in self.conflicts], "updates": [u.as_dict() for u in self.updates],
                "stale": self.stale, "unknown_units": [u.as_dict() for u in self.unknown_units],
                "unknown_procedures": [u.as_dict() for u in self.unknown_procedures]}  # fmt: skip

    def created_lines(self) -> list[str]:
        """What the import created, as its summary says it: the units on one line and the procedures on another,
        each by its name, a procedure with its code (the file's, or the temporary one made up for it: that code
        alone, "TAM-94487DD8", names nothing the user knows). Names are joined by "; ": a unit's name may hold a
        comma ("Phòng Kinh tế, Hạ tầng và Đô thị")."""
        lines = []
        if self.created_units:
            lines.append("Đã tạo đơn vị (cần xác nhận trong Danh mục): " + "; ".join(self.created_units) + ".")
        if self.created_procedures:
            named = "; ".join(map(self._procedure_text, self.created_procedures))
            lines.append(f"Đã tạo thủ tục (cần xác nhận trong Danh mục): {named}.")
        return lines

    def _procedure_text(self, code: str) -> str:
        name = self.created_procedure_names.get(code, "")
        if not name or name == code:
            return code
        return f"{name} ({'mã tạm' if code.startswith(TEMPORARY_CODE) else 'mã'} {code})"


def changes_text(changes: dict[str, tuple[Any, Any]], units: dict[int, str]) -> str:
    """A conflict's or an update's changes in the portal's words, ours → the file's: "Trạng thái: Đang xử lý →
    Đã có kết quả; Ngày có kết quả: (trống) → 20/11/2026 11:00". `units`: unit id -> name."""
    return "; ".join(f"{_label(k)}: {_shown(k, a, units)} → {_shown(k, b, units)}" for k, (a, b) in changes.items())


def _label(column: str) -> str:
    return FIELD_LABELS[CASE_FIELDS[column]] if column in CASE_FIELDS else column


def _shown(column: str, value: Any, units: dict[int, str]) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if column == "lead_unit_id":  # a name: a unit the import will create (`service_match._sort_known`)
        return f"{value} (đơn vị mới)" if isinstance(value, str) else units.get(value, f"#{value}")
    kind = {"status": Status, "channel": Channel}.get(column)
    if kind is not None and str(value) in kind._value2member_map_:
        return kind(str(value)).label
    return str(value)


def column_labels(columns) -> str:
    """Case columns in the portal's words, as a list: "Địa chỉ, Điện thoại"."""
    return ", ".join(FIELD_LABELS[CASE_FIELDS[c]] for c in columns)


def kept_text(kept: tuple[str, ...]) -> str:
    """The columns a conflict keeps ours whatever is decided (`Conflict.kept`), as the user reads them; "" if none."""
    return f"giữ của mình (tệp còn giá trị cũ): {column_labels(kept)}" if kept else ""


def _show(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return value
