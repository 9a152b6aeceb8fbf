"""Random case histories, inserted consistently: the form's identities hold, and every count equals an
independent Python reading of the same rules (NULLs, dates, waits, closings included; a wait may have ended, or
its case been closed while waiting, after the period's end)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select

from tthc_desk import deadline
from tthc_desk.reports import Period
from tthc_desk.reports.predicates import COUNTED
from tthc_desk.storage.models import Case, Office

BASE = datetime(2025, 3, 1)
CLOSED = ("withdrawn", "refused", "stopped")

DAY = 60 * 24
minutes = st.integers(min_value=0, max_value=60 * 24 * 80)
case_st = st.fixed_dictionaries({
    "received": minutes, "due_after": st.one_of(st.none(), st.integers(0, 60 * 24 * 12)),
    "end_after": st.integers(0, 60 * 24 * 30), "fate": st.sampled_from(
        ["open", "result", "result", "waiting", *CLOSED]),
    "channel": st.sampled_from(["direct", "online", "post"]), "unit": st.sampled_from([0, 1, None]),
    "closed_at_missing": st.booleans(),
    # the latest wait (None: never asked): when papers were asked, in minutes from the period's end (so that
    # some waits span it), and how long until they came back (None: not yet; the case was closed while waiting)
    "wait": st.one_of(st.none(), st.tuples(st.integers(-10 * DAY, 10 * DAY),
                                           st.one_of(st.none(), st.integers(0, 15 * DAY)))),
})


def _rows(cases, office_id, unit_ids, now, as_of):
    out = []
    for i, c in enumerate(cases):
        rec = BASE + timedelta(minutes=c["received"])
        end = min(rec + timedelta(minutes=c["end_after"]), now)
        due = rec + timedelta(minutes=c["due_after"]) if c["due_after"] is not None else None
        status = {"open": "processing", "result": "result_ready", "waiting": "waiting_supplement"}.get(c["fate"],
                                                                                                      c["fate"])
        if c["fate"] == "result" and end <= rec:
            status = "processing"
        asked = back = None
        if c["wait"] is not None and status == "waiting_supplement":
            # waiting since `end`; with a back time, asked again after an earlier wait (else as imported: no times)
            asked, took = end, c["wait"][1]
            back = max(rec, end - timedelta(minutes=took)) if took is not None else None
        elif c["wait"] is not None:
            around, took = c["wait"]
            last = now if status == "processing" else end  # papers back before the result or the closing
            asked = min(max(as_of + timedelta(minutes=around), rec), last)
            back = min(asked + timedelta(minutes=took), last) if took is not None else None
            if back is None and status not in CLOSED:
                back = last  # an open or finished case has had its papers back
            if c["closed_at_missing"] and status not in CLOSED:
                asked = None  # a wait the portal's files showed: ended by an import, no request time
        row = {"office_id": office_id, "code": f"X-{i}", "applicant_name": "A", "received_at": rec,
               "original_due_at": due, "due_at": due, "status": status, "channel": c["channel"],
               "lead_unit_id": None if c["unit"] is None else unit_ids[c["unit"]], "created_at": rec,
               "updated_at": rec, "is_open": status in ("processing", "waiting_supplement"),
               "result_at": end if status == "result_ready" else None,
               "closed_at": end if status in CLOSED and not c["closed_at_missing"] else None,
               "supplement_requested_at": asked, "supplement_returned_at": back}
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
    requested, back = r["supplement_requested_at"], r["supplement_returned_at"]
    still = r["status"] == "waiting_supplement" and (requested or r["received_at"]) < as_of
    back_after_end = back is not None and (requested or r["received_at"]) < as_of <= back
    closed_waiting = (is_closed and requested is not None and requested < as_of
                      and (back is None or back < requested))
    waiting = pending and (still or back_after_end or closed_waiting)
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


# March: a case overdue on 27/03, waiting from then to 06/04, and one withdrawn on 10/04 while waiting since 22/03
WAITED_ACROSS_THE_END = [
    {"received": 25 * DAY, "due_after": DAY, "end_after": 20 * DAY, "fate": "open", "channel": "direct", "unit": 0,
     "closed_at_missing": False, "wait": (-5 * DAY, 10 * DAY)},
    {"received": 20 * DAY, "due_after": DAY, "end_after": 20 * DAY, "fate": "withdrawn", "channel": "online",
     "unit": 1, "closed_at_missing": False, "wait": (-10 * DAY, None)},
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(cases=WAITED_ACROSS_THE_END, first=0, length=30)
@given(cases=st.lists(case_st, min_size=0, max_size=40), first=st.integers(0, 60), length=st.integers(0, 40))
def test_identities_and_oracle(services, clock, admin, units, cases, first, length):
    now = datetime(2025, 5, 20, 10, 0)
    clock.set(now)
    unit_ids = [units["tu_phap"], units["tnmt"]]
    period = Period(date(2025, 3, 1) + timedelta(days=first), date(2025, 3, 1) + timedelta(days=first + length))
    with services.db.write() as s:
        s.execute(delete(Case))
        office_id = s.execute(select(Office.id)).scalar_one()
        rows = _rows(cases, office_id, unit_ids, now, period.as_of(now))
        if rows:
            s.execute(insert(Case.__table__), rows)
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
