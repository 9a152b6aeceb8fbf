"""`check`: the database's own consistency — history chains, codes, registers, due times."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select, text

from tthc_desk.domain import CLOSED_OTHER, FINISHED_STATUSES, OPEN_STATUSES, Status
from tthc_desk.services.ledger import verify_audit, verify_events
from tthc_desk.storage.models import Case, CaseEvent, CaseStep


def check_database(services) -> list[str]:
    problems: list[str] = []
    db = services.db
    with db.read() as s:
        if db.is_sqlite:
            result = s.execute(text("PRAGMA integrity_check")).scalar()
            if result != "ok":
                problems.append(f"SQLite integrity_check: {result}")
            for row in s.execute(text("PRAGMA foreign_key_check")):
                problems.append(f"Khóa ngoại hỏng: {tuple(row)}")
        problems += verify_events(s)
        problems += verify_audit(s)
        no_event = s.execute(
            select(Case.code).where(~select(CaseEvent.id).where(CaseEvent.case_id == Case.id).exists()).limit(20)
        ).scalars().all()
        problems += [f"Hồ sơ {c} không có sự kiện nào trong lịch sử." for c in no_event]
        open_values = [str(x) for x in OPEN_STATUSES]
        bad_open = s.execute(select(func.count(Case.id)).where(
            (Case.is_open.is_(True)) != Case.status.in_(open_values))).scalar_one()
        if bad_open:
            problems.append(f"{bad_open} hồ sơ có cờ 'đang mở' không khớp trạng thái.")
        # a case the desk registered always gets a due (intake needs a time allowed); one imported without a due,
        # for a procedure without a rule, is accepted by the import and shown "Chưa có hạn": not a fault
        no_due = s.execute(select(func.count(Case.id)).where(
            Case.is_open.is_(True), Case.status != str(Status.WAITING_SUPPLEMENT), Case.original_due_at.is_(None),
            Case.source == "desk")).scalar_one()
        if no_due:
            problems.append(f"{no_due} hồ sơ đang giải quyết không có hạn trả.")
        dup = s.execute(select(Case.register_year, Case.register_number, func.count()).where(Case.register_number.is_not(None))
                        .group_by(Case.office_id, Case.register_year, Case.register_number).having(func.count() > 1)).all()
        problems += [f"Số thứ tự {n}/{y} trong sổ bị trùng." for y, n, _ in dup]
        finished = [str(x) for x in FINISHED_STATUSES]
        no_result = s.execute(select(func.count(Case.id)).where(
            Case.status.in_(finished), Case.result_at.is_(None))).scalar_one()
        if no_result:  # the reports would count them open and overdue for ever
            problems.append(f"{no_result} hồ sơ đã có kết quả nhưng không có thời điểm có kết quả.")
        open_finished = s.execute(select(func.count(Case.id)).where(
            Case.status.in_(open_values), (Case.result_at.is_not(None)) | (Case.returned_at.is_not(None)))).scalar_one()
        if open_finished:  # open in the queue, yet counted resolved by the reports
            problems.append(f"{open_finished} hồ sơ đang giải quyết nhưng đã có thời điểm có kết quả hoặc trả kết quả.")
        closed_values = [str(x) for x in CLOSED_OTHER]
        mismatched = s.execute(select(Case.code).where(or_(
            and_(Case.closed_at.is_not(None), Case.status.not_in(closed_values)),  # a closing belongs to them
            and_(Case.status.in_(closed_values), or_(Case.result_at.is_not(None), Case.returned_at.is_not(None))),
            and_(Case.status == str(Status.RESULT_READY), Case.returned_at.is_not(None)),
        )).order_by(Case.code)).scalars().all()
        if mismatched:  # as a take of a portal row could leave before it stated the moments its status rules out
            shown = ", ".join(mismatched[:20]) + (", …" if len(mismatched) > 20 else "")
            problems.append(f"{len(mismatched)} hồ sơ có thời điểm có kết quả, trả kết quả hoặc kết thúc không khớp "
                            f"trạng thái: {shown}.")
        held = s.execute(select(Case.code).where(Case.status.not_in(open_values), select(CaseStep.id).where(
            CaseStep.case_id == Case.id, CaseStep.finished_at.is_(None)).exists()).order_by(Case.code)).scalars().all()
        if held:  # the late-case table would blame the unit for a hand-off that never ends
            shown = ", ".join(held[:20]) + (", …" if len(held) > 20 else "")
            problems.append(f"{len(held)} hồ sơ đã kết thúc nhưng còn bước chuyển xử lý chưa kết thúc: {shown}.")
        before = s.execute(select(func.count(Case.id)).where(Case.original_due_at < Case.received_at)).scalar_one()
        if before:
            problems.append(f"{before} hồ sơ có hạn trả sớm hơn lúc tiếp nhận.")
    return problems
