"""Cases already imported as handed back without a result moment (before the import took the hand-back): the
upgrade gives them one, and `check` names any finished case still without."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import Boolean, DateTime, bindparam, select, text

from tthc_desk.services.integrity import check_database
from tthc_desk.storage.models import Case

RETURNED_AT = datetime(2025, 3, 5, 10, 0)


def _finish_without_result(services, code: str, returned_at: datetime | None) -> None:
    with services.db.write() as s:
        stmt = text("UPDATE case_file SET status = 'returned', is_open = :no, result_at = NULL, returned_at = :r "
                    "WHERE code = :c").bindparams(bindparam("r", type_=DateTime))  # stored as the models store it
        s.execute(stmt, {"no": False, "r": returned_at, "c": code})


def test_the_upgrade_takes_the_hand_back_as_the_result_moment(services, register, tmp_path) -> None:
    code = register().code
    _finish_without_result(services, code, RETURNED_AT)
    assert check_database(services) == ["1 hồ sơ đã có kết quả nhưng không có thời điểm có kết quả."]
    with services.db.write() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '0006'"))  # as the file was before 0007
    services.db.migrate(backup_dir=tmp_path / "backups")
    assert services.db.current_revision() == services.db.head_revision()
    with services.db.read() as s:
        assert s.execute(select(Case.result_at).where(Case.code == code)).scalar_one() == RETURNED_AT
    assert check_database(services) == []


def test_check_names_a_finished_case_with_no_moment_at_all(services, register) -> None:
    code = register().code
    _finish_without_result(services, code, None)
    assert check_database(services) == ["1 hồ sơ đã có kết quả nhưng không có thời điểm có kết quả."]


def test_check_names_an_open_case_that_holds_a_result_moment(services, register) -> None:
    """An open status beside a result moment (as an import could write before it refused such rows): open in the
    queue, resolved in the reports."""
    code = register().code
    with services.db.write() as s:
        stmt = text("UPDATE case_file SET result_at = :r WHERE code = :c").bindparams(bindparam("r", type_=DateTime))
        s.execute(stmt, {"r": RETURNED_AT, "c": code})
    assert check_database(services) == [
        "1 hồ sơ đang giải quyết nhưng đã có thời điểm có kết quả hoặc trả kết quả."
    ]


@pytest.mark.parametrize(("status", "column"), [
    ("result_ready", "returned_at"),  # a result not handed back, with a hand-back moment
    ("refused", "result_at"),  # a refusal beside a result
    ("returned", "closed_at"),  # a hand-back beside a refusal's closing
])  # fmt: skip
def test_check_names_a_case_whose_moments_its_status_rules_out(services, register, status, column) -> None:
    """What a take of a portal row could leave before a status stated the moments it rules out (audit 8)."""
    code = register().code
    with services.db.write() as s:
        result = ", result_at = :r" if column != "result_at" else ""  # a finished status has its result moment
        stmt = text(f"UPDATE case_file SET status = :st, is_open = :o, {column} = :r{result} WHERE code = :c")
        s.execute(stmt.bindparams(bindparam("r", type_=DateTime), bindparam("o", type_=Boolean)),
                  {"st": status, "o": False, "r": RETURNED_AT, "c": code})
    assert check_database(services) == [
        f"1 hồ sơ có thời điểm có kết quả, trả kết quả hoặc kết thúc không khớp trạng thái: {code}."
    ]
