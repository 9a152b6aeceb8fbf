"""Random case histories, inserted consistently: the form's identities hold, and every count equals an
independent Python reading of the same rules (NULLs, dates, waits, closings included)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select

from tthc_desk import deadline
from tthc_desk.reports import Period
from tthc_desk.reports.predicates import COUNTED
from tthc_desk.storage.models import Case, Office

BASE = datetime(2025, 3, 1)
CLOSED = ("withdrawn", "refused", "stopped")

minutes = st.integers(min_value=0, max_value=60 * 24 * 80)
case_st = st.fixed_dictionaries({
    "received": minutes, "due_after": st.one_of(st.none(), st.integers(0, 60 * 24 * 12)),
    "end_after": st.integers(0, 60 * 24 * 30), "fate": st.sampled_from(
        ["open", "result", "result", "waiting", *CLOSED]),
    "channel": st.sampled_from(["direct", "online", "post"]), "unit": st.sampled_from([0, 1, None]),
    "closed_at_missing": st.booleans(),
})


def _rows(cases, office_id, unit_ids, now):
    out = []
    for i, c in enumerate(cases):
        rec = BASE + timedelta(minutes=c["received"])
        end = min(rec + timedelta(minutes=c["end_after"]), now)
        due = rec + timedelta(minutes=c["due_after"]) if c["due_after"] is not None else None
        status = {"open": "processing", "result": "result_ready", "waiting": "waiting_supplement"}.get(c["fate"],
                                                                                                      c["fate"])
        if c["fate"] == "result" and end <= rec:
            status = "processing"
        row = {"office_id": office_id, "code": f"X-{i}", "applicant_name": "A", "received_at": rec,
               "original_due_at": due, "due_at": due, "status": status, "channel": c["channel"],
               "lead_unit_id": None if c["unit"] is None else unit_ids[c["unit"]], "created_at": rec,
               "updated_at": rec, "is_open": status in ("processing", "waiting_supplement"),
               "result_at": end if status == "result_ready" else None,
               "closed_at": end if status in CLOSED and not c["closed_at_missing"] else None,
               "supplement_requested_at": end if status == "waiting_supplement" else None}
        out.append(row)
    return out


def oracle(r: dict, start: datetime, as_of: datetime, judged: datetime) -> dict[str, bool]:
    """The rules of predicates.py, read case by case in Python; due times are judged at `judged` (the period's
    end, or now: a case due this very minute is not yet overdue)."""
    closed = r["closed_at"] or r["received_at"]
    is_closed = r["status"] in CLOSED

    def ended(t):
        return (r["result_at"] is not None and r["result_at"] < t) or (is_closed and closed < t)

    def open_at(t):
        return r["received_at"] < t and not ended(t)

    closed_in = is_closed and start <= closed < as_of
    received = start <= r["received_at"] < as_of
    resolved = r["result_at"] is not None and start <= r["result_at"] < as_of
    verdict = deadline.timeliness(r["result_at"], r["original_due_at"]).value if resolved and r["original_due_at"] \
        else ("on_time" if resolved else None)
    pending = open_at(as_of)
    asked = r["supplement_requested_at"] or r["received_at"]
    waiting = pending and r["status"] == "waiting_supplement" and asked < as_of
    overdue = pending and r["original_due_at"] is not None and r["original_due_at"] < judged and not waiting
    return {
        "carried_over": open_at(start) and not closed_in,
        "received_online": received and r["channel"] == "online" and not closed_in,
        "received_desk": received and r["channel"] != "online" and not closed_in,
        "resolved": resolved, "early": verdict == "early", "on_time": verdict == "on_time",
        "late": verdict == "late", "pending": pending, "pending_within": pending and not overdue,
        "pending_overdue": overdue, "waiting": waiting,
        "withdrawn": closed_in and r["status"] == "withdrawn", "refused": closed_in and r["status"] == "refused",
        "stopped": closed_in and r["status"] == "stopped", "received_all": received,
        "received_resolved_in_time": received and resolved and verdict != "late",
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(case_st, min_size=0, max_size=40), first=st.integers(0, 60), length=st.integers(0, 40))
def test_identities_and_oracle(services, clock, admin, units, cases, first, length):
    now = datetime(2025, 5, 20, 10, 0)
    clock.set(now)
    unit_ids = [units["tu_phap"], units["tnmt"]]
    with services.db.write() as s:
        s.execute(delete(Case))
        office_id = s.execute(select(Office.id)).scalar_one()
        rows = _rows(cases, office_id, unit_ids, now)
        if rows:
            s.execute(insert(Case.__table__), rows)
    period = Period(date(2025, 3, 1) + timedelta(days=first), date(2025, 3, 1) + timedelta(days=first + length))
    for group_by in ("unit", "field"):
        report = services.reports.report(admin, period, group_by)
        assert report.identity_errors() == []
    report = services.reports.report(admin, period)
    start, as_of, judged = period.start_at, period.as_of(now), period.judged_at(now)
    for key in [None, *unit_ids]:
        expected = {name: sum(oracle(r, start, as_of, judged)[name] for r in rows if r["lead_unit_id"] == key)
                    for name in COUNTED}
        got = next((r.counts for r in report.rows if r.key == key), None)
        got = {name: getattr(got, name) if got else 0 for name in COUNTED}
        assert got == expected, key
    c = report.total.counts
    assert c.total + c.withdrawn + c.refused + c.stopped == sum(
        1 for r in rows if oracle(r, start, as_of, judged)["carried_over"] or start <= r["received_at"] < as_of
        or (r["status"] in CLOSED and start <= (r["closed_at"] or r["received_at"]) < as_of))
