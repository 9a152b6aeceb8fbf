"""A portal row with "Ngày hẹn lại" is the case's one extension: the applicant was apologised to and given a
new appointment, and the desk can record no other apology. The late-case figures, their cases and the chairs'
letter count it as apologised: on time when the import that told of it came early enough for the rule (the
letter was written before it), else apart, "không rõ thời điểm"; never under "chưa xin lỗi"."""

from __future__ import annotations

from datetime import datetime

from portal_files import HEADERS, build_portal, row

from tthc_desk.reports import ALL, DrillCriteria, month

MARCH = month(2025, 3)
H2 = [*HEADERS, "Ngày hẹn lại"]
RECEIVED = datetime(2025, 3, 3, 8, 30)


def _row(n: int, due: datetime, new_due: datetime | None = None) -> list:
    return row(n, received=RECEIVED, due=due) + [new_due]


def test_an_appointment_the_file_gave_counts_as_an_apology_in_the_figures_the_cases_and_the_letter(
        office, admin, clock, tmp_path):
    # imported Thu 06/03/2025 08:00
    rows = [
        _row(1, datetime(2025, 3, 4, 17, 0), datetime(2025, 3, 10, 17, 0)),  # told after its due: moment unknown
        _row(2, datetime(2025, 3, 12, 17, 0), datetime(2025, 3, 20, 17, 0)),  # told 06/03, due 12/03: on time
        _row(3, datetime(2025, 3, 5, 17, 0)),  # late, no apology
        _row(4, datetime(2025, 3, 5, 17, 0)),  # late; the file of April gives it a new appointment
    ]
    assert office.sync.run_import(admin, build_portal(tmp_path / "m3.xlsx", rows, headers=H2)).counts["new"] == 4
    clock.set(datetime(2025, 4, 2, 8, 0))
    later = [_row(4, datetime(2025, 3, 5, 17, 0), datetime(2025, 4, 10, 17, 0))]
    assert office.sync.run_import(admin, build_portal(tmp_path / "m4.xlsx", later, headers=H2)).counts["updated"] == 1

    total = office.reports.report(admin, MARCH).total.counts
    assert total.late_any == 4
    assert (total.apology_on_time, total.apology_late, total.apology_unknown, total.apology_never) == (1, 0, 1, 2)
    assert total.apologised == 2

    def codes(figure: str) -> set[str]:
        return {r.code[-1] for r in office.reports.drill(admin, DrillCriteria(MARCH, figure, ALL))}

    assert codes("apology_on_time") == {"2"} and codes("apology_unknown") == {"1"}
    assert codes("apology_never") == {"3", "4"}  # 4: at the end of March no apology was known
    assert codes("apologised") == {"1", "2"}
    (one,) = [r for r in office.reports.drill(admin, DrillCriteria(MARCH, "apology_unknown", ALL))]
    assert "đã xin lỗi, hẹn lại theo tệp của Cổng dịch vụ công (không rõ thời điểm)" in one.note

    letter = office.reports.letter(admin, MARCH).text()
    assert ("Trong 4 hồ sơ trễ hạn (đã giải quyết quá hạn và đang giải quyết quá hạn), 1 hồ sơ có văn bản xin "
            "lỗi gửi đúng thời hạn, 0 hồ sơ gửi văn bản xin lỗi muộn, 1 hồ sơ đã xin lỗi và hẹn lại theo dữ liệu "
            "của Cổng dịch vụ công (không rõ thời điểm gửi văn bản), 2 hồ sơ chưa có văn bản xin lỗi.") in letter
    # April's report knows of row 4's apology, told on 02/04 after its due: its moment is unknown
    april = office.reports.report(admin, month(2025, 4)).total.counts
    assert (april.apology_on_time, april.apology_unknown, april.apology_never) == (1, 2, 1)
