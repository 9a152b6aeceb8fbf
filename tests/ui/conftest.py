"""GUI tests: offscreen Qt, a fresh SQLite database per test with a FixedClock, dialog seams patched."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from uihelpers import PASSWORD, START  # noqa: E402

from tthc_desk.clock import FixedClock  # noqa: E402
from tthc_desk.domain import Role  # noqa: E402
from tthc_desk.services import Services  # noqa: E402
from tthc_desk.storage.db import Database, make_url  # noqa: E402


class Seams:
    """Records what the dialog seams were asked to show instead of opening message boxes."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str, str]] = []
        self.receipts: list[str] = []
        self.documents: list[tuple[str, str]] = []  # (kind, case code) offered after an action
        self.answer_yes = True


@pytest.fixture(scope="session", autouse=True)
def _qt_setup(qapp):
    from ui.app import create_application
    from ui.tasks import use_inline_executor

    create_application([])
    use_inline_executor(True)
    yield


@pytest.fixture(autouse=True)
def seams(monkeypatch, tmp_path) -> Seams:
    from PySide6.QtCore import QSettings

    from ui import dialogs
    from ui.documents import DocumentDialog
    from ui.intake.receipt import ReceiptDialog

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    rec = Seams()
    monkeypatch.setattr(dialogs, "info", lambda p, t, x: rec.messages.append(("info", t, x)))
    monkeypatch.setattr(dialogs, "warn", lambda p, t, x: rec.messages.append(("warn", t, x)))
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda p, t, x: rec.answer_yes)
    monkeypatch.setattr(dialogs, "show_error", lambda p, exc: rec.messages.append(("error", type(exc).__name__, str(exc))))
    for module in ("ui.intake.form",):  # (ui.queue.view imports show_error when it needs it: patched above)
        monkeypatch.setattr(f"{module}.show_error", lambda p, exc: rec.messages.append(("error", type(exc).__name__, str(exc))))
    monkeypatch.setattr(ReceiptDialog, "offer", classmethod(lambda cls, parent, s, a, code, prefs=None: rec.receipts.append(code)))
    monkeypatch.setattr(DocumentDialog, "offer",
                        classmethod(lambda cls, parent, s, a, code, kind, prefs=None: rec.documents.append((kind, code))))
    return rec


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def services(tmp_path: Path, clock: FixedClock) -> Services:
    """A small office: the desk, two departments, a desk officer, a specialist, a leader, two procedures."""
    db = Database(make_url(tmp_path / "desk.sqlite3"))
    db.migrate()
    s = Services.build(db, clock)
    s.office.ensure_office(admin_password=PASSWORD)
    admin = s.office.actor_for("admin")
    tp = s.accounts.save_unit(admin, "Phòng Tư pháp", None, "phòng ban")
    s.accounts.save_unit(admin, "Phòng Tài nguyên và Môi trường", None, "phòng ban")
    s.accounts.create_user(admin, "tiepnhan1", "Lê Thị Hoa", Role.DESK, PASSWORD, title="Cán bộ tiếp nhận",
                           unit_id=_desk_unit(s, admin))
    s.accounts.create_user(admin, "chuyenvien", "Huỳnh Văn Tâm", Role.SPECIALIST, PASSWORD, unit_id=tp)
    s.accounts.create_user(admin, "lanhdao", "Nguyễn Văn Hùng", Role.LEADER, PASSWORD)
    papers = [{"name": "Tờ khai đăng ký khai sinh", "originals": 1}, {"name": "Giấy chứng sinh", "originals": 1}]
    s.catalogue.save(admin, None, code="1.001193", name="Thủ tục đăng ký khai sinh", field_name="Hộ tịch",
                     durations={"direct": (3, "working_days")}, papers=papers)
    s.catalogue.save(admin, None, code="2.000908", name="Thủ tục chứng thực bản sao từ bản chính",
                     field_name="Chứng thực", durations={"direct": (None, "same_day")},
                     papers=[{"name": "Bản chính giấy tờ", "originals": 1}])
    return s


def _desk_unit(s: Services, admin) -> int:
    return next(u["id"] for u in s.accounts.list_units(admin) if u["name"] == "Bộ phận Một cửa")


@pytest.fixture
def desk(services):
    return services.accounts.login("tiepnhan1", PASSWORD)


@pytest.fixture
def leader(services):
    return services.accounts.login("lanhdao", PASSWORD)
