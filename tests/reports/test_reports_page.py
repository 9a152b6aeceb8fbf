"""ReportsPage offscreen on the hand-counted month: the table shows the core's figures, a click drills down."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402

from tthc_desk.reports import month  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, march, monkeypatch):
    from ui import dialogs, tasks
    from ui.reports.page import ReportsPage

    # jobs run at once; monkeypatch puts back whatever the session had (tests/ui turns it on for good)
    monkeypatch.setattr(tasks, "_inline", True)
    monkeypatch.setattr(dialogs, "show_error", lambda _p, exc: (_ for _ in ()).throw(exc))
    p = ReportsPage(march.services, march.leader)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    yield p


def test_table_equals_core(page, march):
    from PySide6.QtCore import Qt

    from ui.reports.models import FORM_FIGURES

    core = march.services.reports.report(march.leader, month(2025, 3))
    assert page.period() == month(2025, 3)  # "tháng trước" on 10/04/2025
    model = page.form_model
    assert model.rowCount() == len(core.rows) + 1
    for r, row in enumerate([*core.rows, core.total]):
        shown = [model.index(r, c).data(Qt.ItemDataRole.DisplayRole) for c in range(model.columnCount())]
        assert shown[0] == row.label
        assert shown[1:12] == [str(v) for v in row.counts.form_columns()]
        assert shown[-1] == {"Phòng Tư pháp": "75,00 %", "Phòng Tài nguyên và Môi trường": "0,00 %",
                             "Tổng cộng": "50,00 %"}[row.label]
    assert FORM_FIGURES[8] == "late"


def test_click_cell_lists_the_cases(page, march, qtbot):
    from PySide6.QtCore import Qt

    view = page.form_view
    total_row = page.form_model.rowCount() - 1
    index = view.model().index(total_row, 8)  # (10) Quá hạn, total line
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    dialog = page.last_dialog
    assert dialog is not None
    assert sorted(dialog.model.codes()) == sorted(march.codes[k] for k in ("C2", "C4", "C5"))
    dialog.close()
    tp = march.units["tu_phap"]
    dialog = page.open_drill("pending_overdue", tp)
    assert dialog.model.codes() == [march.codes["C9"]]


def test_group_by_field_and_charts(page, march):
    page.group_box.setCurrentIndex(1)
    page.refresh()
    labels = {r.label for r in page.dashboard.analysis.report.rows}
    assert labels == {"Hộ tịch", "Đất đai"}
    assert len(page.rate_chart.keys) == 2
    assert page.dashboard.backlog[0].label == "Quá hạn"


def test_the_accountability_columns_drill_under_their_own_words(page, march):
    """Each accountability column opens its own cases, titled in words and with the unit's name."""
    tp = march.units["tu_phap"]
    dialog = page.open_drill("late_caused_overdue", tp)
    title = dialog.windowTitle()
    assert title.startswith("Hồ sơ trễ hạn do đơn vị gây ra, đang quá hạn — ") and "late_caused" not in title
    assert str(tp) not in title.split(" — ")[-1]  # the unit's name, not its id
    assert march.codes["C9"] in dialog.model.codes()
    dialog.close()
