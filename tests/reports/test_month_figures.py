"""Every figure of the hand-counted month (see conftest.py), its rates, apologies, accountability, drill-down."""

from __future__ import annotations

from datetime import date

import pytest

from tthc_desk.errors import PermissionDenied
from tthc_desk.reports import ALL, FIGURES, DrillCriteria, Period, month, rates
from tthc_desk.reports.figures import Counts

MARCH = month(2025, 3)
EXPECTED = {
    "tu_phap": Counts(carried_over=2, received_online=1, received_desk=3, resolved=4, early=1, on_time=2, late=1,
                      pending=2, pending_within=1, pending_overdue=1, waiting=1, withdrawn=1, refused=0, stopped=0,
                      received_all=5, received_resolved_in_time=2, apology_on_time=0, apology_late=0,
                      apology_never=2),
    "tnmt": Counts(carried_over=1, received_online=0, received_desk=3, resolved=2, early=0, on_time=0, late=2,
                   pending=2, pending_within=1, pending_overdue=1, waiting=0, withdrawn=1, refused=1, stopped=0,
                   received_all=4, received_resolved_in_time=0, apology_on_time=1, apology_late=1,
                   apology_never=1),
}
# which cases are behind each figure of the total line
BEHIND = {
    "carried_over": {"C1", "C2", "C13"}, "received_online": {"C3"}, "received_desk": {"C4", "C5", "C6", "C9", "C10",
                                                                                       "C11"},
    "resolved": {"C1", "C2", "C3", "C4", "C5", "C6"}, "early": {"C3"}, "on_time": {"C1", "C6"},
    "late": {"C2", "C4", "C5"}, "pending": {"C9", "C10", "C11", "C13"}, "pending_within": {"C10", "C11"},
    "pending_overdue": {"C9", "C13"}, "waiting": {"C11"}, "withdrawn": {"C7", "C15"}, "refused": {"C8"},
    "stopped": set(), "apology_on_time": {"C4"}, "apology_late": {"C5"}, "apology_never": {"C2", "C9", "C13"},
    "late_caused": {"C2", "C4", "C5", "C9", "C13"},
}


def test_every_cell(march):
    report = march.services.reports.report(march.leader, MARCH)
    assert report.as_of.isoformat() == "2025-04-01T00:00:00"
    for unit, expected in EXPECTED.items():
        assert report.row(march.units[unit]).counts == expected, unit
    total = report.total.counts
    assert total.form_columns() == [10, 1, 6, 3, 6, 1, 2, 3, 4, 2, 2]
    assert (total.waiting, total.withdrawn, total.refused, total.stopped, total.apologised) == (1, 2, 1, 0, 2)
    assert report.identity_errors() == []


def test_rates_name_formula_numerator_denominator(march):
    total = march.services.reports.report(march.leader, MARCH).total.counts
    r = rates(total)
    assert (r["resolved"].numerator, r["resolved"].denominator, r["resolved"].text) == (3, 6, "50,00 %")
    assert (r["qd766"].numerator, r["qd766"].denominator, r["qd766"].text) == (5, 10, "50,00 %")
    assert (r["received"].numerator, r["received"].denominator, r["received"].text) == (2, 7, "28,57 %")
    assert "(8 + 9) ÷ (7)" in r["resolved"].formula


def test_drill_lists_exactly_the_counted_cases(march):
    svc, names = march.services.reports, {v: k for k, v in march.codes.items()}
    for figure, expected in BEHIND.items():
        rows = svc.drill(march.leader, DrillCriteria(MARCH, figure, ALL))
        assert {names[r.code] for r in rows} == expected, figure


def test_drill_matches_counts_for_every_unit_and_figure(march):
    svc = march.services.reports
    report = svc.report(march.leader, MARCH)
    for row in report.rows:
        for figure in ("carried_over", "received_online", "received_desk", "resolved", "early", "on_time", "late",
                       "pending", "pending_within", "pending_overdue", "waiting", "withdrawn", "refused",
                       "apology_never", "apology_on_time", "apology_late"):
            got = len(svc.drill(march.leader, DrillCriteria(MARCH, figure, row.key)))
            assert got == getattr(row.counts, figure), (row.label, figure)
    assert set(FIGURES) >= {"total", "received", "late_any", "unsynced"}


def test_accountability_and_reasons(march):
    analysis = march.services.reports.analysis(march.leader, MARCH)
    by_unit = {a.unit_id: a for a in analysis.accounts}
    tp, tnmt = by_unit[march.units["tu_phap"]], by_unit[march.units["tnmt"]]
    assert (tp.caused, tp.resolved_late, tp.still_overdue) == (2, 1, 1)
    assert (tnmt.caused, tnmt.resolved_late, tnmt.still_overdue) == (3, 2, 1)
    assert tnmt.reasons["Chờ xác minh nguồn gốc đất"] == 1 and tnmt.reasons["Cán bộ thụ lý nghỉ ốm"] == 1
    assert sum(tp.officers.values()) == 2


def test_flags(march):
    flags = march.services.reports.analysis(march.leader, MARCH).flags
    assert {f.key for f in flags.below_target} == {march.units["tu_phap"], march.units["tnmt"]}
    assert [f.text for f in flags.late_above] == ["100,00 %", "25,00 %"]
    assert flags.median_volume == 4.5 and flags.few_cases == []
    assert flags.unsynced_total == 13  # the 10 of col 3 + 2 withdrawn + 1 refused: none exported


def test_by_field_has_same_total(march):
    svc = march.services.reports
    by_unit, by_field = svc.report(march.leader, MARCH), svc.report(march.leader, MARCH, "field")
    assert by_field.total.counts == by_unit.total.counts
    assert [r.label for r in by_field.rows] == ["Hộ tịch", "Đất đai"] or {r.label for r in by_field.rows} == {
        "Hộ tịch", "Đất đai"}


def test_current_period_judged_now(march):
    """A period still running is judged at 'now': C13 (result 02/04) counts as resolved late in April."""
    april = march.services.reports.report(march.leader, Period(date(2025, 4, 1), date(2025, 4, 30)))
    assert april.as_of.isoformat() == "2025-04-10T09:01:00"
    t = april.total.counts
    assert (t.carried_over, t.received, t.resolved, t.late, t.pending) == (4, 1, 1, 1, 4)
    assert april.identity_errors() == []


def test_rights_are_checked(march, make_user):
    from tthc_desk.domain import Role
    from tthc_desk.services.rights import RIGHTS, Action

    assert all(Action.VIEW_REPORTS in RIGHTS[r] for r in Role)  # every role may read reports today
    march.services.accounts.set_role(march.services.accounts.login("admin", "quantri-2025"), march.leader.user_id,
                                     Role.LEADER, active=False)
    with pytest.raises(PermissionDenied):
        march.services.reports.report(march.leader, MARCH)
