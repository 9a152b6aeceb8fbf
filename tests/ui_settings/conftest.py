"""Fixtures for the settings screens: offscreen Qt, a fresh SQLite office per test, dialog seams replaced."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

from dataclasses import dataclass, field  # noqa: E402
from datetime import datetime  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from tthc_desk.clock import FixedClock  # noqa: E402
from tthc_desk.domain import Role  # noqa: E402
from tthc_desk.services import Services  # noqa: E402
from tthc_desk.storage.db import Database, make_url  # noqa: E402
from ui import dialogs  # noqa: E402

NOW = datetime(2026, 11, 20, 10, 0)  # a Friday


@pytest.fixture
def services(tmp_path):
    db = Database(make_url(tmp_path / "settings.sqlite3"))
    db.migrate()
    svc = Services.build(db, FixedClock(NOW))
    svc.office.ensure_office(admin_password="admin123")
    yield svc
    db.dispose()


@pytest.fixture
def admin(services):
    return services.accounts.login("admin", "admin123")


@pytest.fixture
def desk_officer(services, admin):
    services.accounts.create_user(admin, "tiepnhan9", "Trần Văn Bình", Role.DESK, "matkhau9")
    return services.accounts.login("tiepnhan9", "matkhau9")


@dataclass
class SeamLog:
    """What the dialog seams were asked to show; `answer` is what ask_yes_no returns."""

    errors: list = field(default_factory=list)
    infos: list = field(default_factory=list)
    questions: list = field(default_factory=list)
    answer: bool = True
    open_file: str | None = None


@pytest.fixture(autouse=True)
def seams(monkeypatch) -> SeamLog:
    log = SeamLog()
    monkeypatch.setattr(dialogs, "show_error", lambda parent, exc: log.errors.append(exc))
    monkeypatch.setattr(dialogs, "info", lambda parent, title, text: log.infos.append(text))
    monkeypatch.setattr(dialogs, "warn", lambda parent, title, text: log.infos.append(text))

    def ask(parent, title, text):
        log.questions.append(text)
        return log.answer

    monkeypatch.setattr(dialogs, "ask_yes_no", ask)
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: log.open_file)
    return log


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, Vietnamese included, one key event per character (qtbot.keyClicks aborts on non-ASCII)."""
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


@pytest.fixture
def type_vietnamese():
    return type_text


@pytest.fixture(autouse=True)
def inline_tasks(qapp):
    """Background jobs run at once, so results are there when the click returns."""
    from ui.tasks import use_inline_executor

    use_inline_executor(True)
    yield
    use_inline_executor(False)
