"""Calendar tab: editing a day shows the open cases whose due dates would move before anything is saved."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt

from tthc_desk.domain import Role
from tthc_desk.services.calendar_service import DayChange
from tthc_desk.services.intake import IntakeForm
from ui.settings import SettingsPage
from ui.settings.calendar_model import OFF_BRUSH
from ui.settings.day_dialogs import DayEditDialog, DueMovesDialog
from ui.settings.editors import ROW_ROLE

DAY = date(2026, 11, 24)  # Tuesday: 'Ngày Văn hóa Việt Nam', seeded as unconfirmed (a working day)


def test_day_off_previews_moved_cases_then_applies(qtbot, services, admin, monkeypatch):
    pid = services.catalogue.save(admin, None, code="2.000908", name="Cấp bản sao từ sổ gốc",
                                  durations={"direct": (3, "working_days")})
    desk = services.accounts.create_user(admin, "tiepnhan9", "Lê Thị Hoa", Role.DESK, "matkhau9", unit_id=admin.unit_id)
    case = services.intake.register(desk, IntakeForm(procedure_id=pid, applicant_name="Võ Công Cường"))
    assert case.due_at == datetime(2026, 11, 25, 10, 0)  # Fri 20/11 10:00 + 3 working days

    page = SettingsPage(services, admin)
    qtbot.addWidget(page)
    tab = page.calendar
    november = tab.months[10]
    cell = november.index_of(DAY)
    assert november.data(cell, Qt.ItemDataRole.BackgroundRole) is not OFF_BRUSH
    assert "chưa xác nhận" in november.data(cell, Qt.ItemDataRole.ToolTipRole)

    change = DayChange(DAY, False, "Ngày Văn hóa Việt Nam", "Thông báo của Bộ Nội vụ")
    monkeypatch.setattr(DayEditDialog, "ask", classmethod(lambda cls, parent, day, mark: change))
    shown = []

    def look(dialog: DueMovesDialog):
        rows = [dialog.model.index(r, c).data() for r in range(dialog.model.rowCount()) for c in range(4)]
        shown.append(rows)
        # nothing is saved while the user is looking at the list
        assert services.calendar.preview(admin, [change]) and not any(
            o.day == DAY and not o.working for o in services.calendar.overrides(admin, 2026))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(DueMovesDialog, "exec", look)
    view = tab.month_views[10]
    view.clicked.emit(cell)
    assert tab.selected_day == DAY
    tab.edit_button.click()

    assert shown == [[case.code, "Võ Công Cường", "10:00 25/11/2026", "10:00 26/11/2026"]]
    assert services.calendar.preview(admin, [change]) == []  # applied
    cell = november.index_of(DAY)
    assert november.data(cell, Qt.ItemDataRole.BackgroundRole) is OFF_BRUSH
    assert "Nghỉ: Ngày Văn hóa Việt Nam" in november.data(cell, Qt.ItemDataRole.ToolTipRole)
    assert "Thông báo của Bộ Nội vụ" in november.data(cell, Qt.ItemDataRole.ToolTipRole)
    days = [tab.overrides_model.index(r, 0).data(ROW_ROLE) for r in range(tab.overrides_model.rowCount())]
    assert DAY in days


def test_cancelling_the_preview_saves_nothing(qtbot, services, admin, monkeypatch):
    page = SettingsPage(services, admin)
    qtbot.addWidget(page)
    tab = page.calendar
    before = services.calendar.overrides(admin, 2026)
    saturday = date(2026, 12, 5)
    monkeypatch.setattr(DayEditDialog, "ask", classmethod(
        lambda cls, parent, day, mark: DayChange(day, True, "Làm bù", "")))
    monkeypatch.setattr(DueMovesDialog, "exec", lambda dialog: dialog.reject() or dialog.result())
    tab.select_day(saturday)
    tab.edit_button.click()
    assert services.calendar.overrides(admin, 2026) == before


def test_year_selector_reloads_months(qtbot, services, admin):
    page = SettingsPage(services, admin)
    qtbot.addWidget(page)
    tab = page.calendar
    tab.year.setValue(2025)
    assert tab.months[0].year == 2025
    tet = tab.months[0].index_of(date(2025, 1, 29))  # Mùng một Tết 2025
    assert tab.months[0].data(tet, Qt.ItemDataRole.BackgroundRole) is OFF_BRUSH
    saturday = tab.months[3].index_of(date(2025, 4, 26))  # make-up working Saturday
    assert "Làm việc" in tab.months[3].data(saturday, Qt.ItemDataRole.ToolTipRole)
