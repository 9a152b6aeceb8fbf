"""Models pass Qt's model tester; the lazy queue fetches pages; PySide6's None refcount stays whole."""

from __future__ import annotations

import sys

from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QLabel
from uihelpers import register

from tthc_desk.services.queue import QueueFilter
from ui.case.models import EventsModel
from ui.intake.papers import PapersModel
from ui.queue import model as queue_model
from ui.queue.model import QueueModel

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


def test_queue_model_is_lazy_and_passes_the_model_tester(qtbot, services, desk, monkeypatch):
    monkeypatch.setattr(queue_model, "PAGE_SIZE", 2)
    codes = [register(services, desk, f"Người nộp {i}") for i in range(5)]
    model = QueueModel(services, desk)
    tester = QAbstractItemModelTester(model, FATAL)
    model.refresh()
    assert model.rowCount() == 5 and model.loaded_pages == 1
    assert {model.row_at(r).code for r in range(5)} == set(codes)
    assert model.loaded_pages == 3
    model.sort(1, queue_model.Qt.SortOrder.DescendingOrder)  # by code, in SQL
    assert [model.row_at(r).code for r in range(5)] == sorted(codes, reverse=True)
    model.filter = QueueFilter(text=codes[3])
    model.refresh()
    assert model.rowCount() == 1
    del tester


def test_case_and_intake_models_pass_the_model_tester(qtbot, services, desk):
    code = register(services, desk, "Hoàng Văn Hải")
    events = EventsModel()
    t1 = QAbstractItemModelTester(events, FATAL)
    events.set_records(services.casefile.detail(desk, code).events)
    assert events.rowCount() == 1
    papers = PapersModel()
    t2 = QAbstractItemModelTester(papers, FATAL)
    papers.set_papers([{"name": "Tờ khai", "originals": 1}, {"name": "Giấy chứng sinh", "certified": 1}])
    papers.toggle(1)
    assert [p.name for p in papers.received()] == ["Giấy chứng sinh"]
    del t1, t2


def test_none_refcount_does_not_drop_across_many_qt_calls(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(1000):
        label.setText(f"Hồ sơ {i}")
    assert sys.getrefcount(None) >= before - 10
