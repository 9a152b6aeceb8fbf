"""A past month's report sees the cases that waited for papers at its end, though the wait has ended since:
October's report run in late November says what the report submitted on 1 November said.

Procedure: 2 working days, lead Phòng Tư pháp. October 2025 and November 2025 have no day off besides weekends.

 code  received         what happens                                                    at the end of October
 R     Wed 01/10 09:00  due 03/10 09:00; papers asked 06/10 (already late: the due      waiting, within time
                        stays); back 05/11
 S     Mon 20/10 09:00  asked 20/10 10:00; back 03/11 (due restarts: 05/11)             waiting, within time
 W     Tue 21/10 09:00  asked 21/10 10:00; withdrawn 10/11 still waiting                waiting, within time
 B     Wed 22/10 09:00  asked 22/10 10:00; back 24/10 (due 28/10), still open           pending, overdue
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select, text

from tthc_desk.domain import Role
from tthc_desk.reports import ALL, DrillCriteria, month
from tthc_desk.services.intake import IntakeForm
from tthc_desk.storage.models import Case

OCTOBER, NOVEMBER = month(2025, 10), month(2025, 11)
WITHIN, OVERDUE = "Đang giải quyết, trong hạn", "Đang giải quyết, quá hạn"


def _dt(value: str) -> datetime:
    return datetime.strptime(value, "%d/%m/%Y %H:%M")


@pytest.fixture
def autumn(services, clock, desk_user, units, make_user, make_procedure):
    """The four cases above through the real services; returns (leader, codes, October's report on 01/11)."""
    leader = make_user("lanhdao", Role.LEADER, None, "Trần Văn Lãnh")
    proc = make_procedure(2, "working_days", field_name="Hộ tịch", lead_unit_id=units["tu_phap"])
    wf, codes = services.workflow, {}

    def at(value: str) -> None:
        clock.set(_dt(value))

    def new(name: str, when: str) -> str:
        at(when)
        codes[name] = services.intake.register(
            desk_user, IntakeForm(procedure_id=proc, applicant_name=f"Người nộp {name}")
        ).code
        return codes[name]

    def ask(code: str, when: str) -> None:
        at(when)
        wf.request_supplement(desk_user, code, "Thiếu giấy tờ", ["Bản sao CCCD"])

    def back(code: str, when: str) -> None:
        at(when)
        wf.receive_supplement(desk_user, code)

    r = new("R", "01/10/2025 09:00")
    ask(r, "06/10/2025 09:00")
    s = new("S", "20/10/2025 09:00")
    ask(s, "20/10/2025 10:00")
    w = new("W", "21/10/2025 09:00")
    ask(w, "21/10/2025 10:00")
    b = new("B", "22/10/2025 09:00")
    ask(b, "22/10/2025 10:00")
    back(b, "24/10/2025 09:00")
    at("01/11/2025 08:00")
    submitted = services.reports.report(leader, OCTOBER)
    back(s, "03/11/2025 09:00")
    back(r, "05/11/2025 09:00")
    at("10/11/2025 09:00")
    wf.withdraw(desk_user, w, "Người nộp xin rút hồ sơ")
    at("25/11/2025 09:00")
    return leader, codes, submitted


def test_october_run_in_november_counts_the_waits_at_its_end(services, autumn, units):
    leader, codes, submitted = autumn
    report = services.reports.report(leader, OCTOBER)
    got = report.row(units["tu_phap"]).counts
    assert (got.pending, got.waiting, got.pending_within, got.pending_overdue) == (4, 3, 3, 1)
    assert report.total.counts == submitted.total.counts  # what the chair submitted on 1 November
    assert report.identity_errors() == []
    names = {v: k for k, v in codes.items()}

    def drill(figure: str) -> dict[str, str]:
        return {
            names[r.code]: r.timeliness
            for r in services.reports.drill(leader, DrillCriteria(OCTOBER, figure, ALL))
        }

    assert drill("waiting") == {"R": WITHIN, "S": WITHIN, "W": WITHIN}
    # R's statutory due (03/10) had passed before the request, yet its clock stood still at October's end
    assert drill("pending_within") == {"R": WITHIN, "S": WITHIN, "W": WITHIN}
    assert drill("pending_overdue") == {"B": OVERDUE}
    # November no longer sees the waits that ended in it
    got = services.reports.report(leader, NOVEMBER).row(units["tu_phap"]).counts
    assert (got.waiting, got.withdrawn) == (0, 1)  # W withdrawn in November
    assert (got.pending, got.pending_within, got.pending_overdue) == (3, 0, 3)  # R, S, B all past their due


def test_the_workflow_keeps_the_end_of_the_latest_wait(services, autumn):
    _leader, codes, _submitted = autumn
    with services.db.read() as s:
        back = dict(s.execute(select(Case.code, Case.supplement_returned_at)).all())
    assert {name: back[code] for name, code in codes.items()} == {
        "R": _dt("05/11/2025 09:00"),
        "S": _dt("03/11/2025 09:00"),
        "W": None,
        "B": _dt("24/10/2025 09:00"),
    }


def test_the_upgrade_takes_the_end_of_the_latest_wait_from_the_history(
    services, clock, register, desk_user, tmp_path
):
    """Cases recorded before revision 0009: the latest 'papers back' event, if it ended the latest request."""
    wf = services.workflow

    def at(value: str) -> None:
        clock.set(_dt(value))

    at("01/10/2025 09:00")
    resumed, again, never = (
        register("Người nộp 1").code,
        register("Người nộp 2").code,
        register("Người nộp 3").code,
    )
    for code in (resumed, again):
        at("01/10/2025 10:00")
        wf.request_supplement(desk_user, code, "Thiếu giấy tờ", ["Tờ khai"])
        at("03/10/2025 09:00")
        wf.receive_supplement(desk_user, code)
    at("07/10/2025 09:00")
    wf.request_supplement(desk_user, resumed, "Thiếu giấy tờ", ["Bản sao"])
    at("08/10/2025 09:00")
    wf.receive_supplement(desk_user, resumed)  # asked twice, back twice: the latest return counts
    at("09/10/2025 09:00")
    wf.request_supplement(desk_user, again, "Thiếu giấy tờ", ["Bản sao"])  # waiting again since
    with services.db.write() as s:  # as a database recorded before 0009 holds them
        s.execute(text("UPDATE case_file SET supplement_returned_at = NULL"))
        s.execute(text("UPDATE alembic_version SET version_num = '0008'"))
    services.db.migrate(backup_dir=tmp_path / "backups")
    assert services.db.current_revision() == services.db.head_revision()
    with services.db.read() as s:
        back = dict(s.execute(select(Case.code, Case.supplement_returned_at)).all())
    assert back == {resumed: _dt("08/10/2025 09:00"), again: None, never: None}
