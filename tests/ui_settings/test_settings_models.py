"""Every model of the settings page passes Qt's QAbstractItemModelTester, through resets and edits."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime

import pytest
from PySide6.QtCore import qInstallMessageHandler
from PySide6.QtTest import QAbstractItemModelTester

from tthc_desk.services.calendar_service import DueMove
from ui.settings import SettingsPage
from ui.settings.calendar_model import DueMoveModel
from ui.settings.editors import RecordsModel
from ui.settings.procedure_dialog import paper_columns


@contextmanager
def model_failures():
    """Collect the 'FAIL!' warnings QAbstractItemModelTester reports while the block runs."""
    failures: list[str] = []

    def handler(_mode, _context, message: str) -> None:
        if "FAIL!" in message:
            failures.append(message)

    previous = qInstallMessageHandler(handler)
    try:
        yield failures
    finally:
        qInstallMessageHandler(previous)


@pytest.fixture
def tester(qapp):
    """Attach Qt's model tester to models; any failure it reports fails the test at the end."""
    testers = []

    def attach(model):
        testers.append(QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning))
        return model

    with model_failures() as failures:
        yield attach
    assert not failures


def test_tester_catches_a_broken_model(qapp):
    """The check above is not vacuous: a model whose every cell claims children is reported."""

    class Broken(RecordsModel):
        def rowCount(self, parent=None):
            return 1

    with model_failures() as failures:
        QAbstractItemModelTester(Broken(paper_columns(), [{"name": "x"}]),
                                 QAbstractItemModelTester.FailureReportingMode.Warning)
    assert failures


def test_page_models(qtbot, services, admin, tester):
    group = services.accounts.save_unit(admin, "UBND các xã", kind="nhóm")
    services.accounts.save_unit(admin, "UBND xã Bình Tân", parent_id=group, kind="xã")
    services.catalogue.save(admin, None, code="1.001193", name="Đăng ký khai sinh", durations={"direct": (None, None)},
                            confirmed=False)
    page = SettingsPage(services, admin)
    qtbot.addWidget(page)
    for model in (page.catalogue.model, page.catalogue.proxy, page.units.model, page.users.model,
                  page.users.proxy, page.calendar.overrides_model, *page.calendar.months):
        tester(model)
    page.catalogue.reload()
    page.catalogue.only_review.setChecked(True)
    page.units.reload()
    page.users.reload()
    page.calendar.year.setValue(2025)
    assert page.units.model.rowCount() == 2  # the desk and the group; the commune under the group
    assert page.units.model.rowCount(page.units.model.index_of(group)) == 1


def test_records_and_moves_models(tester):
    records = tester(RecordsModel(paper_columns(), [{"name": "Tờ khai", "originals": 1}]))
    records.append()
    records.setData(records.index(1, 1), "2")
    assert records.rows()[1]["originals"] == 2
    assert records.move_up(1)
    records.remove(0)
    records.set_rows([])
    moves = tester(DueMoveModel([DueMove("000.00.17.H10-261120-0001", "Võ Công Cường",
                                         datetime(2026, 11, 25, 10), datetime(2026, 11, 26, 10))]))
    assert moves.index(0, 3).data() == "10:00 26/11/2026"
    assert date(2026, 11, 26) == moves.row_at(0).new_due.date()
