"""The case workflow's answers to the deadline and reports audits: the amber window after a pause, a
supplement request that may not give a case its time again (late, or not allowed), the apology's appointment
kept through a supplement, the apology judged by dates, the handler of a step, and the demo's apologies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tthc_desk.clock import FixedClock
from tthc_desk.domain import Colour, EventKind, Timeliness
from tthc_desk.services import Services
from tthc_desk.services.demo import build_demo
from tthc_desk.services.queue import QueueFilter
from tthc_desk.services.workflow import apology_on_time
from tthc_desk.storage.models import Case, CaseEvent, Letter


def _row(services, code: str) -> Case:
    with services.db.read() as s:
        return s.execute(select(Case).where(Case.code == code)).scalar_one()


def _last(services, admin, code: str, kind: EventKind) -> dict:
    return [e for e in services.casefile.detail(admin, code).events if e.kind is kind][-1].data


# ===================================================================================== the amber window
def test_a_case_resumed_with_an_hour_left_is_amber(
    services, admin, register, make_procedure, clock, desk_user
) -> None:
    """Three working days, paused with 60 minutes left: the window is half of the 3 days allowed (capped at
    the office's 1 day), not half of the hour left."""
    three_days = make_procedure(3, "working_days", supplement_mode="pause")
    code = register(procedure_id=three_days).code  # Mon 03/03 08:00, due Thu 06/03 08:00
    clock.set(datetime(2025, 3, 5, 17, 0))  # within 3 working days of receipt: allowed
    assert services.workflow.request_supplement(desk_user, code, "Thiếu tờ khai", []).warning == ""
    assert _row(services, code).paused_minutes_left == 60
    clock.set(datetime(2025, 3, 7, 9, 0))
    assert services.workflow.receive_supplement(desk_user, code).due_at == datetime(2025, 3, 7, 10, 0)
    detail = services.casefile.detail(desk_user, code)
    assert (detail.colour, detail.remaining_text) == (Colour.AMBER, "còn 1 giờ")
    row = _row(services, code)
    assert (row.warn_minutes, row.warn_at) == (480, datetime(2025, 3, 6, 10, 0))


# ====================================================================== lateness a request cannot erase
def test_pause_a_case_already_late_when_papers_are_asked_for_stays_late(
    services, admin, register, make_procedure, clock, desk_user
) -> None:
    four_hours = make_procedure(4, "working_hours", supplement_mode="pause")
    code = register(procedure_id=four_hours).code  # Mon 03/03 08:00, due Mon 14:00
    clock.set(datetime(2025, 3, 4, 8, 0))  # the first request, within 3 working days, but 2 h 30 late
    out = services.workflow.request_supplement(desk_user, code, "Thiếu bản sao", [])
    assert "đã quá hạn" in out.warning and "trễ hạn" in out.warning
    assert _last(services, admin, code, EventKind.SUPPLEMENT_REQUESTED)["faults"] == []
    clock.set(datetime(2025, 3, 5, 9, 0))
    services.workflow.receive_supplement(desk_user, code)
    row = _row(services, code)
    # nothing of the time was left to resume: neither the statutory due nor the appointment moves
    assert (row.original_due_at, row.due_at, row.clock_from) == (
        datetime(2025, 3, 3, 14, 0),
        datetime(2025, 3, 3, 14, 0),
        datetime(2025, 3, 3, 8, 0),
    )
    assert services.casefile.detail(desk_user, code).colour is Colour.RED
    services.workflow.record_result(desk_user, code)  # at the very moment the papers came back
    detail = services.casefile.detail(admin, code)
    assert detail.timeliness is Timeliness.LATE
    assert detail.events[-1].data["timeliness"] == "late"


def test_restart_a_case_already_late_when_papers_are_asked_for_stays_late(
    services, admin, register, make_procedure, clock, desk_user
) -> None:
    """The same in restart mode: an allowed request (the first, within 3 working days) made after the due
    time gives the applicant a new appointment, but the case was late and stays so."""
    four_hours = make_procedure(4, "working_hours", supplement_mode="restart")
    code = register(procedure_id=four_hours).code  # Mon 03/03 08:00, due Mon 14:00
    clock.set(datetime(2025, 3, 4, 8, 0))
    out = services.workflow.request_supplement(desk_user, code, "Thiếu bản sao", [])
    assert "đã quá hạn" in out.warning
    assert _last(services, admin, code, EventKind.SUPPLEMENT_REQUESTED)["faults"] == []
    clock.set(datetime(2025, 3, 5, 9, 0))
    assert services.workflow.receive_supplement(desk_user, code).due_at == datetime(2025, 3, 5, 15, 0)
    row = _row(services, code)
    assert (row.original_due_at, row.clock_from) == (datetime(2025, 3, 3, 14, 0), datetime(2025, 3, 3, 8, 0))
    assert services.casefile.detail(desk_user, code).colour is Colour.RED
    services.workflow.record_result(desk_user, code)
    assert services.casefile.detail(admin, code).timeliness is Timeliness.LATE  # was on time (due 15:00)


def test_a_late_supplement_request_moves_the_appointment_but_not_the_due(
    services, admin, register, make_procedure, clock, desk_user
) -> None:
    """Restart mode, asked on day 5 (after the 3-working-day limit) while still in time: the applicant gets a
    new appointment, but the case is judged against its due of 10/03 and turns red after it."""
    five_days = make_procedure(5, "working_days", supplement_mode="restart")
    code = register(procedure_id=five_days).code  # Mon 03/03 08:00, due Mon 10/03 08:00
    clock.set(datetime(2025, 3, 7, 9, 0))
    out = services.workflow.request_supplement(desk_user, code, "Thiếu giấy tờ", [])
    assert "3 ngày làm việc" in out.warning and "không được tính lại" in out.warning
    clock.set(datetime(2025, 3, 11, 9, 0))
    out = services.workflow.receive_supplement(desk_user, code)
    assert out.due_at == datetime(2025, 3, 18, 9, 0)  # 5 working days from the papers' return
    row = _row(services, code)
    assert (row.original_due_at, row.clock_from, row.paused_minutes_left) == (
        datetime(2025, 3, 10, 8, 0),
        datetime(2025, 3, 3, 8, 0),
        None,
    )
    assert services.casefile.detail(desk_user, code).colour is Colour.RED
    data = _last(services, admin, code, EventKind.SUPPLEMENT_RECEIVED)
    assert (data["due_at"], data["original_due_at"]) == ("2025-03-18T09:00:00", "2025-03-10T08:00:00")
    clock.set(datetime(2025, 3, 12, 9, 0))
    services.workflow.record_result(desk_user, code)
    assert services.casefile.detail(admin, code).timeliness is Timeliness.LATE  # was "trước hạn" (due 18/03)


def test_a_request_on_a_late_case_does_not_launder_it_in_either_mode(
    services, admin, register, make_procedure, clock, desk_user
) -> None:
    """The audit's case: 5 working days, asked for papers on 12/03, two days late; back on 13/03."""
    for mode, appointment in (
        ("restart", datetime(2025, 3, 20, 8, 0)),
        ("pause", datetime(2025, 3, 10, 8, 0)),
    ):
        clock.set(datetime(2025, 3, 3, 8, 0))
        code = register(procedure_id=make_procedure(5, "working_days", supplement_mode=mode)).code
        clock.set(datetime(2025, 3, 12, 8, 0))
        assert "3 ngày làm việc" in services.workflow.request_supplement(desk_user, code, "Thiếu", []).warning
        clock.set(datetime(2025, 3, 13, 8, 0))
        services.workflow.receive_supplement(desk_user, code)
        row = _row(services, code)
        assert (row.original_due_at, row.due_at) == (datetime(2025, 3, 10, 8, 0), appointment), mode
        assert services.casefile.detail(desk_user, code).colour is Colour.RED, mode
        services.workflow.record_result(desk_user, code)
        assert services.casefile.detail(admin, code).timeliness is Timeliness.LATE, mode


def test_a_second_request_keeps_the_due_the_first_one_gave(
    services, admin, register, clock, desk_user
) -> None:
    code = register().code  # 3 working days, restart: due Thu 06/03 08:00
    clock.set(datetime(2025, 3, 4, 8, 0))
    services.workflow.request_supplement(desk_user, code, "Thiếu tờ khai", [])
    clock.set(datetime(2025, 3, 5, 8, 0))
    services.workflow.receive_supplement(desk_user, code)
    assert _row(services, code).original_due_at == datetime(2025, 3, 10, 8, 0)
    clock.set(datetime(2025, 3, 5, 9, 0))
    assert "lần thứ hai" in services.workflow.request_supplement(desk_user, code, "Thiếu tiếp", []).warning
    clock.set(datetime(2025, 3, 7, 8, 0))
    services.workflow.receive_supplement(desk_user, code)
    row = _row(services, code)
    assert (row.original_due_at, row.due_at, row.clock_from) == (
        datetime(2025, 3, 10, 8, 0),
        datetime(2025, 3, 12, 8, 0),
        datetime(2025, 3, 5, 8, 0),
    )
    clock.set(datetime(2025, 3, 11, 8, 0))
    services.workflow.record_result(desk_user, code)
    assert services.casefile.detail(admin, code).timeliness is Timeliness.LATE


# ====================================================================== the apology's appointment stays
def test_a_supplement_after_an_apology_keeps_the_promised_appointment(
    services, admin, register, make_procedure, clock, desk_user
) -> None:
    """The audit's case: 3 working days, apology on 04/03 promising 20/03 17:00, papers asked for and back."""
    # restart: 3 days from Wed 09:00; pause: the 840 minutes left on Tue 10:00, from Wed 09:00
    for mode, statutory in (("restart", datetime(2025, 3, 10, 9, 0)), ("pause", datetime(2025, 3, 6, 17, 0))):
        clock.set(datetime(2025, 3, 3, 8, 0))
        code = register(procedure_id=make_procedure(3, "working_days", supplement_mode=mode)).code
        clock.set(datetime(2025, 3, 4, 9, 0))
        services.workflow.extend(desk_user, code, "Cần xác minh", datetime(2025, 3, 20, 17, 0), "5/XL")
        clock.set(datetime(2025, 3, 4, 10, 0))
        services.workflow.request_supplement(desk_user, code, "Thiếu giấy tờ", [])
        clock.set(datetime(2025, 3, 5, 9, 0))
        out = services.workflow.receive_supplement(desk_user, code)
        assert out.due_at == datetime(2025, 3, 20, 17, 0), mode
        detail = services.casefile.detail(admin, code)
        assert (detail.due_at, detail.original_due_at, detail.extension_count) == (
            datetime(2025, 3, 20, 17, 0),
            statutory,
            1,
        ), mode
        assert detail.events[-1].data["due_at"] == "2025-03-20T17:00:00"
    # a new statutory due later than the promised date (papers back late) is the appointment
    clock.set(datetime(2025, 3, 3, 8, 0))
    code = register().code
    clock.set(datetime(2025, 3, 4, 9, 0))
    services.workflow.extend(desk_user, code, "Cần xác minh", datetime(2025, 3, 7, 17, 0))
    clock.set(datetime(2025, 3, 4, 10, 0))
    services.workflow.request_supplement(desk_user, code, "Thiếu giấy tờ", [])
    clock.set(datetime(2025, 3, 10, 9, 0))
    services.workflow.receive_supplement(desk_user, code)
    row = _row(services, code)
    assert (row.due_at, row.original_due_at, row.extension_count) == (
        datetime(2025, 3, 13, 9, 0),
        datetime(2025, 3, 13, 9, 0),
        1,
    )


# ======================================================================= the apology, judged by dates
def test_an_apology_is_on_time_by_the_date_before_the_due_date(
    services, admin, register, make_procedure, clock, desk_user
) -> None:
    def apology(code: str, at: datetime):
        clock.set(at)
        out = services.workflow.extend(desk_user, code, "Chờ ý kiến phối hợp", datetime(2025, 3, 28, 17, 0))
        return out.warning, _last(services, admin, code, EventKind.EXTENDED)["apology_on_time"]

    # due Thu 06/03 08:00: late in the afternoon of Wed 05/03 is still on time
    warning, on_time = apology(register("Ba").code, datetime(2025, 3, 5, 16, 59))
    assert (warning, on_time) == ("", True)
    # due Wed 05/03 17:00 (2 working days, received after the cut-off): Wed 07:00 is on the due date itself
    two_days = make_procedure(2, "working_days")
    clock.set(datetime(2025, 3, 3, 15, 30))
    code = register("Bốn", procedure_id=two_days, received_at=datetime(2025, 3, 3, 15, 30)).code
    assert _row(services, code).original_due_at == datetime(2025, 3, 5, 17, 0)
    warning, on_time = apology(code, datetime(2025, 3, 5, 7, 0))
    assert on_time is False and "một ngày làm việc" in warning and "xin lỗi muộn" in warning
    # a Saturday counts as the Monday after it: before a Monday due date, too late
    five_days = make_procedure(5, "working_days")
    clock.set(datetime(2025, 3, 3, 8, 0))
    code = register("Năm", procedure_id=five_days).code  # due Mon 10/03 08:00
    assert apology(code, datetime(2025, 3, 8, 10, 0))[1] is False


# ========================================================================== who handled a step
def test_the_desk_closing_a_units_step_is_not_its_handler(
    services, admin, register, clock, desk_user, specialist, units
) -> None:
    by_desk, by_unit = register("Một").code, register("Hai").code
    for code in (by_desk, by_unit):
        services.workflow.transfer(desk_user, code, units["tu_phap"], share_days=2)
    clock.set(datetime(2025, 3, 4, 9, 0))
    services.workflow.record_result(desk_user, by_desk)  # the desk records the result on the unit's behalf
    services.workflow.record_result(specialist, by_unit)
    assert [s.handled_by for s in services.casefile.detail(admin, by_desk).steps] == [""]
    assert [s.handled_by for s in services.casefile.detail(admin, by_unit).steps] == ["Lê Văn Chuyên"]


def test_a_hand_on_by_the_desk_leaves_the_first_units_handler_unknown(
    services, admin, register, clock, desk_user, units
) -> None:
    code = register().code
    services.workflow.transfer(desk_user, code, units["tu_phap"])
    clock.set(datetime(2025, 3, 4, 9, 0))
    services.workflow.transfer(desk_user, code, units["tnmt"])
    steps = services.casefile.detail(admin, code).steps
    assert [(s.unit_name, s.handled_by) for s in steps] == [
        ("Phòng Tư pháp", ""),
        ("Phòng Tài nguyên và Môi trường", ""),
    ]


# ================================================================================= the demo office
def test_demo_apologies_follow_the_rule_and_never_predate_their_due(db_url, open_database, backend) -> None:
    db = open_database()
    db.migrate()
    services = Services.build(db, FixedClock(datetime(2026, 11, 20, 10, 0)))
    services.office.ensure_office()
    build_demo(services, cases=2500, seed=11)
    with db.read() as s:
        office = services.office.office(s, services.office.actor_for("admin").office_id)
        cal = services.office.calendar(s, office)
        events = s.execute(select(CaseEvent).order_by(CaseEvent.case_id, CaseEvent.seq)).scalars().all()
        dues = dict(s.execute(select(Case.id, Case.original_due_at)).all())
    back: dict[int, datetime] = {}
    apologies = []
    for e in events:
        if e.kind == str(EventKind.SUPPLEMENT_RECEIVED):
            back[e.case_id] = e.at
        elif e.kind == str(EventKind.EXTENDED):
            apologies.append(e)
    assert len(apologies) > 20
    assert [e.case_id for e in apologies if e.case_id in back and e.at < back[e.case_id]] == []
    flags = [(e.data["apology_on_time"], apology_on_time(cal, e.at, dues[e.case_id])) for e in apologies]
    assert [f for f in flags if f[0] != f[1]] == []
    assert {f[0] for f in flags} == {True, False}


def test_demo_apologies_are_numbered_as_the_desk_numbers_them(db_url, open_database, backend) -> None:
    """Each year's apologies 01, 02, … with the issuing body's symbol, and the next one issued at the desk
    continues the series instead of repeating a number the demo gave."""
    db = open_database()
    db.migrate()
    services = Services.build(db, FixedClock(datetime(2026, 3, 20, 10, 0)))
    services.office.ensure_office()
    build_demo(services, cases=2500, seed=11)
    with services.db.read() as s:
        letters = s.execute(select(Letter.number, Letter.issued_at).where(Letter.kind == "apology")
                            .order_by(Letter.issued_at, Letter.case_id)).all()
    by_year: dict[int, list[str]] = {}
    for number, at in letters:
        by_year.setdefault(at.year, []).append(number)
    assert by_year and all(numbers == [f"{n:02d}/XL-UBND" for n in range(1, len(numbers) + 1)]
                           for numbers in by_year.values())
    leader = services.office.actor_for("lanhdao")
    code = next(r.code for r in services.queue.list(leader, QueueFilter()) if not r.extended)
    services.workflow.extend(leader, code, "Chờ ý kiến cơ quan phối hợp", datetime(2026, 4, 30, 17, 0))
    services.documents.apology(leader, code)
    issued = [lt["number"] for lt in services.casefile.detail(leader, code).letters if lt["kind"] == "apology"]
    assert issued == [f"{len(by_year.get(2026, [])) + 1:02d}/XL-UBND"]
