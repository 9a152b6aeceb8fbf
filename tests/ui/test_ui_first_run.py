"""The first run of a new database: one window sets up the office, its letterhead and signer, the
administrator's own password and the catalogue; "Để sau" shows the generated password instead."""

from __future__ import annotations

import pytest
from keyaudit import clashes, not_ascii, unreachable
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tthc_desk.clock import FixedClock
from tthc_desk.errors import PermissionDenied


@pytest.fixture
def new_database(tmp_path, clock: FixedClock):
    """A database as the window finds it on its first start: created, with the generated admin password."""
    import desk_main

    services, password = desk_main.open_services(str(tmp_path / "moi.sqlite3"), clock)
    assert password
    yield services, password
    services.db.dispose()


def _dialog(qtbot, services, password):
    from ui.first_run import FirstRunDialog

    dialog = FirstRunDialog(services, services.accounts.login("admin", password), password)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _type(qtbot, dialog, **values) -> None:
    typed = {"name": "Bộ phận Một cửa xã An Bình", "code": "000.00.31.h42", "place_name": "An Bình",
             "head_name": "Lê Thị Hồng", "password": "matkhau-moi", "password_again": "matkhau-moi", **values}
    for field, text in typed.items():
        widget = getattr(dialog, field)
        widget.clear()
        widget.insert(text)  # as typed (QTest cannot type Vietnamese letters)
    dialog.parent_body.setPlainText("ỦY BAN NHÂN DÂN\nXÃ AN BÌNH")


def test_the_office_letterhead_password_and_catalogue_in_one_window(qtbot, new_database):
    services, password = new_database
    dialog = _dialog(qtbot, services, password)
    assert password in " ".join(w.text() for w in dialog.findChildren(type(dialog.signature)))  # for "Để sau"
    _type(qtbot, dialog)
    assert dialog.signature.text() == "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / Lê Thị Hồng"  # as it will print
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == dialog.DialogCode.Accepted and dialog.report.new == 588
    admin = services.accounts.login("admin", "matkhau-moi")
    st = services.office.settings(admin)
    assert (st.name, st.code, st.place_name, st.issuing_body) == (
        "Bộ phận Một cửa xã An Bình", "000.00.31.H42", "An Bình", "BỘ PHẬN MỘT CỬA")
    assert st.signers == [{"prefix": "TM.", "authority": "ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH",
                           "name": "Lê Thị Hồng"}]
    assert len(services.catalogue.search(admin, "khai sinh")) > 0
    with pytest.raises(PermissionDenied):
        services.accounts.login("admin", password)


@pytest.mark.parametrize(("values", "message", "field"), [
    ({"password_again": "matkhau-khac"}, "không giống nhau", "password_again"),
    ({"code": "17.H10"}, "Mã định danh", "code"),
    ({"password": "123", "password_again": "123"}, "ít nhất 6", "password"),
])
def test_a_mistake_is_shown_on_its_field_and_nothing_is_saved(qtbot, new_database, values, message, field):
    services, password = new_database
    dialog = _dialog(qtbot, services, password)
    _type(qtbot, dialog, **values)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible() and message in dialog.error.text() and dialog.error.isVisible()
    assert dialog.focusWidget() is getattr(dialog, field)
    admin = services.accounts.login("admin", password)  # still the generated one
    assert services.office.settings(admin).code == "000.00.00.H00"
    assert services.catalogue.search(admin, "khai sinh") == []


def test_later_keeps_the_generated_password_and_shows_it(qtbot, new_database, monkeypatch):
    import desk_main
    from ui import dialogs
    from ui.first_run import FirstRunDialog

    services, password = new_database
    shown = []
    monkeypatch.setattr(dialogs, "info", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(FirstRunDialog, "exec", lambda self: self.reject() or 0)
    desk_main.set_up_first_run(services, password)
    assert shown and "admin" in shown[0] and password in shown[0]
    assert services.accounts.login("admin", password).username == "admin"


def test_every_field_has_its_alt_letter(qtbot, new_database):
    services, password = new_database
    dialog = _dialog(qtbot, services, password)
    QApplication.processEvents()
    assert clashes(dialog) == {} and not_ascii(dialog) == [] and unreachable(dialog) == []
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.password)


def test_the_window_start_sets_up_a_new_database_before_the_login(qtbot, new_database, monkeypatch):
    """`main.py`'s path for a new database: the set-up window, then (its password now the one typed) no
    message with the generated one."""
    import desk_main
    from ui import dialogs
    from ui.first_run import FirstRunDialog

    services, password = new_database
    shown = []
    monkeypatch.setattr(dialogs, "info", lambda parent, title, text: shown.append(text))

    def fill_and_start(dialog) -> int:
        _type(qtbot, dialog)
        dialog.start()
        return dialog.result()

    monkeypatch.setattr(FirstRunDialog, "exec", fill_and_start)
    desk_main.set_up_first_run(services, password)
    assert shown == []
    admin = services.accounts.login("admin", "matkhau-moi")
    assert services.office.settings(admin).place_name == "An Bình"
