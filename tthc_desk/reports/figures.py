"""The figures of one report line (Biểu II.06a plus the extra columns), its rates and its identities."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime

from tthc_desk.reports.numbers import fmt_pct, ratio
from tthc_desk.reports.period import Period


@dataclass
class Counts:
    """Case counts of one line. Column numbers are those of Biểu II.06a/VPCP/KSTT."""

    carried_over: int = 0  # (6) Từ kỳ trước
    received_online: int = 0  # (4) Trực tuyến
    received_desk: int = 0  # (5) Trực tiếp, dịch vụ bưu chính
    resolved: int = 0  # (7) Đã giải quyết
    early: int = 0  # (8) Trước hạn
    on_time: int = 0  # (9) Đúng hạn
    late: int = 0  # (10) Quá hạn
    pending: int = 0  # (11) Đang giải quyết
    pending_within: int = 0  # (12) Trong hạn
    pending_overdue: int = 0  # (13) Quá hạn
    waiting: int = 0  # Chờ bổ sung (inside 12)
    withdrawn: int = 0  # Rút (outside 3)
    refused: int = 0  # Từ chối (outside 3)
    stopped: int = 0  # Dừng xử lý (outside 3)
    received_all: int = 0  # received in the period, withdrawn/refused/stopped included
    received_resolved_in_time: int = 0  # received in the period and resolved early or on time
    apology_on_time: int = 0  # late cases whose apology was recorded by the last working day before the due date
    apology_late: int = 0  # ... sent later
    apology_never: int = 0  # ... never sent
    # ... sent, as the portal's file says (its new appointment), at a moment the file does not give
    apology_unknown: int = 0

    @property
    def total(self) -> int:
        """(3) = (4) + (5) + (6)."""
        return self.received_online + self.received_desk + self.carried_over

    @property
    def received(self) -> int:
        return self.received_online + self.received_desk

    @property
    def resolved_in_time(self) -> int:
        return self.early + self.on_time

    @property
    def late_any(self) -> int:
        """Late cases of the period: resolved late (10) plus pending overdue (13)."""
        return self.late + self.pending_overdue

    @property
    def apologised(self) -> int:
        return self.apology_on_time + self.apology_late + self.apology_unknown

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def form_columns(self) -> list[int]:
        """Columns (3)…(13) of the form."""
        return [self.total, self.received_online, self.received_desk, self.carried_over, self.resolved,
                self.early, self.on_time, self.late, self.pending, self.pending_within, self.pending_overdue]

    def identity_errors(self) -> list[str]:
        """The form's identities that do not hold (empty when the line reconciles)."""
        checks = [
            ("3 = 7 + 11", self.total, self.resolved + self.pending),
            ("7 = 8 + 9 + 10", self.resolved, self.early + self.on_time + self.late),
            ("11 = 12 + 13", self.pending, self.pending_within + self.pending_overdue),
        ]
        return [f"{name}: {a} ≠ {b}" for name, a, b in checks if a != b]


@dataclass(frozen=True)
class Rate:
    """A rate with the formula it was computed by, its numerator and its denominator."""

    key: str
    name: str
    formula: str
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return ratio(self.numerator, self.denominator)

    @property
    def text(self) -> str:
        return fmt_pct(self.value)

    def as_dict(self) -> dict:
        return {"key": self.key, "name": self.name, "formula": self.formula, "numerator": self.numerator,
                "denominator": self.denominator, "value": self.value, "text": self.text}


RATE_NAMES = {
    "resolved": ("Tỷ lệ giải quyết đúng hạn (trên hồ sơ đã giải quyết)",
                 "(Trước hạn + Đúng hạn) ÷ Đã giải quyết = (8 + 9) ÷ (7)"),
    "qd766": ("Chỉ số đúng hạn theo QĐ 766/QĐ-TTg",
              "(Trước hạn + Đúng hạn + Đang giải quyết trong hạn) ÷ (Đã giải quyết + Đang giải quyết)"
              " = (8 + 9 + 12) ÷ (7 + 11)"),
    "received": ("Tỷ lệ đúng hạn trên hồ sơ tiếp nhận (NĐ 61/2018 Đ.30)",
                 "Hồ sơ tiếp nhận trong kỳ đã giải quyết trước hạn, đúng hạn ÷ Hồ sơ tiếp nhận trong kỳ (4 + 5)"),
}
DEFAULT_BASIS = "resolved"


def rates(c: Counts) -> dict[str, Rate]:
    """The three on-time rates of DOMAIN §7 (default first)."""
    parts = {
        "resolved": (c.resolved_in_time, c.resolved),
        "qd766": (c.resolved_in_time + c.pending_within, c.resolved + c.pending),
        "received": (c.received_resolved_in_time, c.received),
    }
    return {k: Rate(k, RATE_NAMES[k][0], RATE_NAMES[k][1], n, d) for k, (n, d) in parts.items()}


def late_rate(c: Counts) -> Rate:
    return Rate("late", "Tỷ lệ trễ hạn", "Quá hạn ÷ Đã giải quyết = (10) ÷ (7)", c.late, c.resolved)


def online_share(c: Counts) -> Rate:
    return Rate("online", "Tỷ lệ hồ sơ trực tuyến", "Trực tuyến ÷ Tiếp nhận mới = (4) ÷ (4 + 5)",
                c.received_online, c.received)


@dataclass
class ReportRow:
    """One line: a unit (key = unit id) or a field (key = its name); the total line has key None."""

    key: int | str | None
    label: str
    counts: Counts = field(default_factory=Counts)

    def rate(self, basis: str = DEFAULT_BASIS) -> Rate:
        return rates(self.counts)[basis]

    def as_dict(self) -> dict:
        c = self.counts
        return {
            "key": self.key, "label": self.label, **asdict(c), "total": c.total, "received": c.received,
            "rates": {k: r.as_dict() for k, r in rates(c).items()}, "late_rate": late_rate(c).as_dict(),
            "online_share": online_share(c).as_dict(),
        }


@dataclass
class Report:
    """Biểu II.06a for a period, one line per unit or field, and the total."""

    period: Period
    as_of: datetime
    group_by: str  # "unit" | "field"
    rows: list[ReportRow]
    total: ReportRow
    target: float = 95.0
    office_name: str = ""

    def row(self, key: int | str | None) -> ReportRow:
        if key is None:
            return self.total
        return next(r for r in self.rows if r.key == key)

    def identity_errors(self) -> list[str]:
        out = [f"{r.label}: {e}" for r in [*self.rows, self.total] for e in r.counts.identity_errors()]
        summed = Counts()
        for r in self.rows:
            summed.add(r.counts)
        if summed != self.total.counts:
            out.append("Dòng tổng cộng khác tổng các dòng.")
        return out

    def as_dict(self) -> dict:
        return {"period": self.period.as_dict(), "as_of": self.as_of.isoformat(), "group_by": self.group_by,
                "target": self.target, "office": self.office_name,
                "rows": [r.as_dict() for r in self.rows], "total": self.total.as_dict()}
