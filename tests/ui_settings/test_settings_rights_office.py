"""Rights (editing disabled with the reason, the core refuses too) and the office settings form."""

from __future__ import annotations

from datetime import date

import pytest

from tthc_desk.domain import Role
from tthc_desk.errors import PermissionDenied
from tthc_desk.services.calendar_service import DayChange
from tthc_desk.services.rights import Action, why_not
from ui.settings import SettingsPage
from ui.settings.procedure_dialog import ProcedureDialog


def test_desk_officer_sees_editing_disabled_and_core_refuses(qtbot, services, admin, desk_officer):
    pid = services.catalogue.save(admin, None, code="1.001193", name="Đăng ký khai sinh",
                                  durations={"direct": (None, "same_day")})
    page = SettingsPage(services, desk_officer)
    qtbot.addWidget(page)
    expected = {
        Action.EDIT_CATALOGUE: (page.catalogue.new_button, page.catalogue.import_button),
        Action.EDIT_UNITS: (page.units.add_button, page.units.edit_button),
        Action.EDIT_USERS: (page.users.new_button, page.users.password_button, page.users.role_button),
        Action.EDIT_CALENDAR: (page.calendar.edit_button,),
        Action.EDIT_OFFICE: (page.office.save_button, page.office.name, page.office.code, page.office.signers.add_button),
    }
    for action, widgets in expected.items():
        reason = why_not(Role.DESK, action)
        assert reason and reason.startswith("Vai trò Cán bộ tiếp nhận không có quyền")
        for w in widgets:
            assert not w.isEnabled() and w.toolTip() == reason, (action, w)
    # viewers can still look
    assert page.catalogue.model.rowCount() == 1 and page.users.model.rowCount() == 2
    assert page.office.name.text() == services.office.settings(admin).name
    dialog = ProcedureDialog(services, desk_officer, services.catalogue.get(desk_officer, pid))
    qtbot.addWidget(dialog)
    assert not dialog.code.isEnabled() and not dialog.papers.add_button.isEnabled()
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled() and ok.toolTip() == why_not(Role.DESK, Action.EDIT_CATALOGUE)

    with pytest.raises(PermissionDenied):
        services.catalogue.save(desk_officer, pid, code="1.001193", name="Đổi tên", durations={"direct": (1, "working_days")})
    with pytest.raises(PermissionDenied):
        services.accounts.save_unit(desk_officer, "Phòng mới")
    with pytest.raises(PermissionDenied):
        services.accounts.create_user(desk_officer, "khac", "Người khác", Role.ADMIN, "matkhau1")
    with pytest.raises(PermissionDenied):
        services.calendar.apply(desk_officer, [DayChange(date(2026, 11, 24), False, "Nghỉ")])
    with pytest.raises(PermissionDenied):
        services.office.update(desk_officer, services.office.settings(desk_officer))


def test_office_invalid_code_shows_message_and_saves_nothing(qtbot, services, admin, type_vietnamese):
    before = services.office.settings(admin)
    page = SettingsPage(services, admin)
    qtbot.addWidget(page)
    tab = page.office
    tab.name.clear()
    type_vietnamese(tab.name, "Bộ phận Một cửa xã Bình Tân")
    tab.code.setText("17.H10")
    tab.save_button.click()
    assert tab.error.isVisibleTo(tab) and "000.00.17.H10" in tab.error.text()
    assert "b00020" in tab.code.styleSheet()
    assert services.office.settings(admin) == before


def test_office_settings_saved(qtbot, services, admin, type_vietnamese):
    page = SettingsPage(services, admin)
    qtbot.addWidget(page)
    tab = page.office
    tab.code.setText("000.17.22.H56")
    tab.parent_body.setPlainText("ỦY BAN NHÂN DÂN\nXÃ BÌNH TÂN")
    tab.warning_hours.setValue(4)
    tab.signers.model.append({"prefix": "KT.", "authority": "CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH", "name": ""})
    type_vietnamese(tab.place_name, "Bình Tân")
    assert tab.save() is True
    st = services.office.settings(admin)
    assert (st.code, st.place_name, st.parent_body, st.warning_minutes) == (
        "000.17.22.H56", "Bình Tân", "ỦY BAN NHÂN DÂN\nXÃ BÌNH TÂN", 240)
    assert st.signers == [{"prefix": "KT.", "authority": "CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH", "name": ""}]
    assert tab.error.text() == "Đã lưu thông tin cơ quan."
