"""A hand-counted month (March 2025) built through the real services with a FixedClock.

Procedure A (Hộ tịch, 2 working days, lead: Phòng Tư pháp), procedure B (Đất đai, 2 working days, lead:
Phòng Tài nguyên và Môi trường). March 2025 has no day off besides weekends. The report is read on 10/04/2025.

 code  unit  received            what happens                                             counted in March as
 C1    TP    Thu 27/02 09:00     due 03/03 09:00, result 03/03 08:30                      carried, on time
 C2    TP    Fri 28/02 10:00     share 1 day (step due 03/03 10:00); result 05/03 09:00   carried, late (TP caused)
 C3    TP    Mon 03/03 08:00 on  due 05/03 08:00, result 04/03 09:00                      online, early
 C4    TNMT  Mon 03/03 08:00     apology 03/03 14:00 (on time), result 07/03 10:00        desk, late
 C5    TNMT  Tue 04/03 09:00     apology 06/03 08:30 (late), result 10/03 10:00           desk, late
 C6    TP    Wed 05/03 09:00 post supplement 05/03 10:00 → back 10/03 09:00 (due 12/03)  desk, on time
                                 result 12/03 08:00
 C7    TP    Thu 06/03 09:00     withdrawn 06/03 10:00                                    withdrawn (not in 3)
 C8    TNMT  Thu 06/03 09:00 on  refused 07/03 09:00                                      refused (not in 3)
 C9    TP    Mon 24/03 09:00     due 26/03 09:00, still open                              desk, pending overdue
 C10   TNMT  Mon 31/03 09:00     due 02/04 09:00, open                                    desk, pending within
 C11   TP    Mon 24/03 09:00     supplement 24/03 10:00, still waiting                    desk, pending within, waiting
 C12   TP    Tue 01/04 09:00     —                                                        not in March
 C13   TNMT  Fri 28/02 14:00     due 04/03 14:00, result only on 02/04                    carried, pending overdue
 C14   TP    Mon 24/02 09:00     result 25/02                                             not in March
 C15   TNMT  Thu 27/02 10:00     withdrawn 03/03 10:00                                    withdrawn (not in 3)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from tthc_desk.domain import Role
from tthc_desk.services.intake import IntakeForm

REPORT_NOW = datetime(2025, 4, 10, 9, 0)


@dataclass
class Month:
    services: object
    clock: object
    leader: object
    desk: object
    codes: dict[str, str]
    units: dict[str, int]


def _dt(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M")


@pytest.fixture
def march(services, clock, admin, units, make_user, make_procedure) -> Month:
    desk = make_user("tiepnhan", Role.DESK, admin.unit_id, "Nguyễn Thị Tiếp Nhận")
    leader = make_user("lanhdao", Role.LEADER, None, "Trần Văn Lãnh")
    proc_a = make_procedure(2, "working_days", field_name="Hộ tịch", lead_unit_id=units["tu_phap"])
    proc_b = make_procedure(2, "working_days", field_name="Đất đai", lead_unit_id=units["tnmt"])
    wf, codes = services.workflow, {}

    def at(text: str) -> None:
        clock.set(_dt(text))

    def new(name: str, when: str, proc: int, channel: str = "direct") -> str:
        at(when)
        res = services.intake.register(desk, IntakeForm(procedure_id=proc, applicant_name=f"Người nộp {name}",
                                                         channel=channel))
        codes[name] = res.code
        return res.code

    def transfer(code: str, unit: str, when: str, share: float | None = None) -> None:
        at(when)
        wf.transfer(desk, code, units[unit], share_days=share)

    def result(code: str, when: str) -> None:
        at(when)
        wf.record_result(desk, code)

    c = new("C14", "24/02/2025 09:00", proc_a)
    transfer(c, "tu_phap", "24/02/2025 09:10")
    result(c, "25/02/2025 09:00")
    c = new("C1", "27/02/2025 09:00", proc_a)
    transfer(c, "tu_phap", "27/02/2025 09:10")
    result(c, "03/03/2025 08:30")
    c15 = new("C15", "27/02/2025 10:00", proc_b)
    c = new("C2", "28/02/2025 10:00", proc_a)
    transfer(c, "tu_phap", "28/02/2025 10:00", share=1)
    result(c, "05/03/2025 09:00")
    c13 = new("C13", "28/02/2025 14:00", proc_b)
    transfer(c13, "tnmt", "28/02/2025 14:30")
    at("03/03/2025 10:00")
    wf.withdraw(desk, c15, "Người nộp xin rút")
    c = new("C3", "03/03/2025 08:00", proc_a, "online")
    transfer(c, "tu_phap", "03/03/2025 08:10")
    result(c, "04/03/2025 09:00")
    c = new("C4", "03/03/2025 08:00", proc_b)
    transfer(c, "tnmt", "03/03/2025 08:10")
    at("03/03/2025 14:00")
    wf.extend(desk, c, "Chờ xác minh nguồn gốc đất", _dt("10/03/2025 17:00"))
    result(c, "07/03/2025 10:00")
    c = new("C5", "04/03/2025 09:00", proc_b)
    transfer(c, "tnmt", "04/03/2025 09:10")
    at("06/03/2025 08:30")
    wf.extend(desk, c, "Cán bộ thụ lý nghỉ ốm", _dt("11/03/2025 17:00"))
    result(c, "10/03/2025 10:00")
    c = new("C6", "05/03/2025 09:00", proc_a, "post")
    at("05/03/2025 10:00")
    wf.request_supplement(desk, c, "Thiếu giấy tờ", ["Bản sao CCCD"])
    at("10/03/2025 09:00")
    wf.receive_supplement(desk, c)
    transfer(c, "tu_phap", "10/03/2025 09:30")
    result(c, "12/03/2025 08:00")
    c = new("C7", "06/03/2025 09:00", proc_a)
    at("06/03/2025 10:00")
    wf.withdraw(desk, c, "Người nộp xin rút")
    c = new("C8", "06/03/2025 09:00", proc_b, "online")
    at("07/03/2025 09:00")
    wf.refuse(desk, c, "Không thuộc thẩm quyền")
    c = new("C9", "24/03/2025 09:00", proc_a)
    transfer(c, "tu_phap", "24/03/2025 09:10")
    c = new("C11", "24/03/2025 09:00", proc_a)
    at("24/03/2025 10:00")
    wf.request_supplement(desk, c, "Thiếu giấy tờ", ["Tờ khai"])
    c = new("C10", "31/03/2025 09:00", proc_b)
    transfer(c, "tnmt", "31/03/2025 09:10")
    new("C12", "01/04/2025 09:00", proc_a)
    result(c13, "02/04/2025 09:00")
    at("10/04/2025 09:00")
    return Month(services, clock, leader, desk, codes, units)
