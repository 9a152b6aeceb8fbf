"""Typing Vietnamese into widgets without qtbot.keyClicks (which aborts on non-ASCII, see TOOLING.md)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

START = datetime(2026, 11, 20, 9, 0)  # a Friday, in working hours
PASSWORD = "matkhau123"


def type_text(widget: QWidget, text: str) -> None:
    """Send one key press/release per character, carrying the character as the event's text."""
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def register(services, actor, name: str, code: str = "1.001193", when: datetime | None = None) -> str:
    """A case registered straight through the core (for tests that start from an existing case)."""
    from tthc_desk.services.intake import IntakeForm, PaperCount

    proc = services.catalogue.get(actor, code=code)
    papers = [PaperCount(p["name"], p["originals"], p["certified"], p["photocopies"]) for p in proc.papers]
    form = IntakeForm(procedure_id=proc.id, applicant_name=name, applicant_id_number="052090001234",
                      applicant_phone="0912345678", received_at=when, papers=papers)
    return services.intake.register(actor, form).code
