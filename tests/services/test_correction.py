"""Putting right an applicant's details typed wrong at intake: checked like the intake form, one transaction,
kept in the case's history with the reason, found by the search under the new values, and counted as a desk
change for the next export to the portal."""

from __future__ import annotations

from datetime import datetime

import pytest
from svchelpers import case_row

from tthc_desk.domain import EventKind, Status
from tthc_desk.errors import InvalidTransition, PermissionDenied, ValidationError
from tthc_desk.services.queue import QueueFilter
from tthc_desk.storage.models import CaseEvent


def found(services, actor, text: str) -> int:
    return services.queue.count(actor, QueueFilter(text=text, open_only=False))


def test_a_typo_is_put_right_and_the_history_keeps_old_and_new(services, desk_user, register, clock, tmp_path):
    code = register("Nguyễn Văn Anh", applicant_phone="0912345678", applicant_id_number="052090001234").code
    assert found(services, desk_user, "nguyen van anh") == 1
    clock.set(datetime(2025, 3, 3, 10, 0))
    out = services.workflow.correct_details(desk_user, code, "Nhập nhầm tên và số điện thoại",
                                            applicant_name="Nguye\u0302\u0303n Văn  An", applicant_phone="0913 345 678")
    assert out.status is Status.RECEIVED
    row = case_row(services, code)
    assert (row.applicant_name, row.owner_name, row.applicant_phone) == ("Nguyễn Văn An", "Nguyễn Văn An", "0913345678")
    assert row.applicant_id_number == "052090001234"  # not given: not touched
    assert row.updated_at == datetime(2025, 3, 3, 10, 0)  # a desk change since the last sync
    last = services.casefile.detail(desk_user, code).events[-1]
    assert last.kind == EventKind.UPDATED
    assert last.data == {"reason": "Nhập nhầm tên và số điện thoại", "changes": [
        {"field": "applicant_name", "label": "Họ tên người nộp", "old": "Nguyễn Văn Anh", "new": "Nguyễn Văn An"},
        {"field": "applicant_phone", "label": "Điện thoại", "old": "0912345678", "new": "0913345678"},
        {"field": "owner_name", "label": "Chủ hồ sơ", "old": "Nguyễn Văn Anh", "new": "Nguyễn Văn An"}]}
    assert found(services, desk_user, "0913345678") == 1 and found(services, desk_user, "0912345678") == 0
    assert found(services, desk_user, "nguyen van an") == 1
    changed = tmp_path / "changed.xlsx"
    assert services.sync.export_changed(desk_user, changed, datetime(2025, 3, 3, 9, 0)) == 1


def test_a_correction_is_checked_like_the_form_and_refused_whole(services, desk_user, specialist, leader, register,
                                                                  rows_in):
    code = register("Trần Thị Bình", applicant_phone="0912345678").code
    events = rows_in(CaseEvent)
    with pytest.raises(ValidationError, match="10 chữ số"):
        services.workflow.correct_details(desk_user, code, "Sửa", applicant_name="Trần Thị Bích", applicant_phone="12345")
    with pytest.raises(ValidationError, match="lý do"):
        services.workflow.correct_details(desk_user, code, "  ", applicant_name="Trần Thị Bích")
    with pytest.raises(ValidationError, match="Không có thông tin nào thay đổi"):
        services.workflow.correct_details(desk_user, code, "Sửa", applicant_phone="0912 345 678")
    with pytest.raises(ValidationError, match="Không sửa được"):
        services.workflow.correct_details(desk_user, code, "Sửa", due_at="2030-01-01")
    with pytest.raises(ValidationError, match="họ tên"):
        services.workflow.correct_details(desk_user, code, "Sửa", applicant_name="   ")
    for outsider in (specialist, leader):  # the desk's right, checked in the core
        with pytest.raises(PermissionDenied):
            services.workflow.correct_details(outsider, code, "Sửa", applicant_name="Trần Thị Bích")
    assert case_row(services, code).applicant_name == "Trần Thị Bình" and rows_in(CaseEvent) == events
    services.workflow.record_result(desk_user, code)
    services.workflow.correct_details(desk_user, code, "Sai họ tên", applicant_name="Trần Thị Bích")  # before hand-back
    services.workflow.return_result(desk_user, code)
    with pytest.raises(InvalidTransition):
        services.workflow.correct_details(desk_user, code, "Sửa", applicant_name="Trần Thị Bình")
