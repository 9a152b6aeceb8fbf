"""What the chairs' letters single out: units below the target, late rates above 5 %, suspiciously few cases,
cases not yet synced to the portal.

"Unusually few cases": a unit whose volume (cases received in the period, withdrawn/refused/stopped included)
is below 20 % of the median volume of the units in the report. Cases received elsewhere and never logged are
what the chairs forbid, and a unit that logs a fifth of what its peers log is the visible trace of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

from tthc_desk.reports.figures import Report, late_rate, rates
from tthc_desk.reports.numbers import fmt_int, fmt_pct

LATE_LIMIT = 5.0  # per cent of resolved cases
LOW_VOLUME_SHARE = 0.20  # of the median unit volume


@dataclass(frozen=True)
class Flag:
    key: object
    label: str
    value: float | None
    text: str  # e.g. "17,77 %", "3 hồ sơ (trung vị 140)"

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "value": self.value, "text": self.text}


@dataclass
class Flags:
    target: float
    below_target: list[Flag] = field(default_factory=list)
    late_above: list[Flag] = field(default_factory=list)
    few_cases: list[Flag] = field(default_factory=list)
    median_volume: float = 0.0
    unsynced: dict[object, int] = field(default_factory=dict)

    @property
    def unsynced_total(self) -> int:
        return sum(self.unsynced.values())

    def as_dict(self) -> dict:
        return {
            "target": self.target, "late_limit": LATE_LIMIT, "low_volume_share": LOW_VOLUME_SHARE,
            "median_volume": self.median_volume,
            "below_target": [f.as_dict() for f in self.below_target],
            "late_above_limit": [f.as_dict() for f in self.late_above],
            "few_cases": [f.as_dict() for f in self.few_cases],
            "unsynced": [{"key": k, "cases": n} for k, n in self.unsynced.items()],
            "unsynced_total": self.unsynced_total,
        }


def compute_flags(report: Report, unsynced: dict[object, int]) -> Flags:
    flags = Flags(report.target, unsynced={k: n for k, n in unsynced.items() if n})
    rows = [r for r in report.rows if r.key is not None]
    for r in rows:
        rate = rates(r.counts)["resolved"]
        if rate.value is not None and rate.value < report.target:
            flags.below_target.append(Flag(r.key, r.label, rate.value, rate.text))
        lr = late_rate(r.counts)
        if lr.value is not None and lr.value > LATE_LIMIT:
            flags.late_above.append(Flag(r.key, r.label, lr.value, lr.text))
    flags.late_above.sort(key=lambda f: -(f.value or 0))
    volumes = [r.counts.received_all for r in rows]
    flags.median_volume = float(median(volumes)) if volumes else 0.0
    limit = LOW_VOLUME_SHARE * flags.median_volume
    for r in rows:
        if flags.median_volume > 0 and r.counts.received_all < limit:
            flags.few_cases.append(Flag(r.key, r.label, float(r.counts.received_all),
                                        f"{fmt_int(r.counts.received_all)} hồ sơ "
                                        f"(trung vị các đơn vị: {fmt_int(round(flags.median_volume))})"))
    return flags


def share_text(value: float | None) -> str:
    return fmt_pct(value)
