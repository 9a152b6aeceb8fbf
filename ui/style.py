"""Look of the window: the bundled UI font, the four queue colours, and a light style sheet."""

from __future__ import annotations

import logging

from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from tthc_desk.domain import Colour
from tthc_desk.paths import resource_path

log = logging.getLogger(__name__)

# the faces the window shows (no text of it is italic: Qt would slant the regular face); each registered face is
# read and parsed at start-up, ~2.7 ms apiece
UI_FONT_FILES = ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf")
UI_FONT_SIZE = 10
STYLE = "Fusion"  # the same look on every PC (and the chips' rounded corners)

# badge background, badge text
CHIP_COLOURS: dict[Colour, tuple[str, str]] = {
    Colour.RED: ("#c62828", "#ffffff"),
    Colour.AMBER: ("#f9a825", "#1f1f1f"),
    Colour.GREEN: ("#2e7d32", "#ffffff"),
    Colour.GREY: ("#78909c", "#ffffff"),
}
CLOSED_CHIP = ("#cfd8dc", "#263238")


def chip_colours(colour: Colour | None) -> tuple[QColor, QColor]:
    bg, fg = CHIP_COLOURS.get(colour, CLOSED_CHIP) if colour else CLOSED_CHIP
    return QColor(bg), QColor(fg)


def load_ui_font(app: QApplication) -> str | None:
    """Register the bundled Liberation Sans and make it the application font, so Vietnamese never shows as
    boxes on a PC without good fonts; returns the family name (None if the files are missing)."""
    family = None
    for name in UI_FONT_FILES:
        path = resource_path("fonts", "ui", name)
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("UI font not loaded: %s", path)
            continue
        family = family or QFontDatabase.applicationFontFamilies(font_id)[0]
    if family:
        app.setFont(QFont(family, UI_FONT_SIZE))
    return family


STYLE_SHEET = """
QListWidget#navigation { background: #263238; color: #eceff1; border: none; font-size: 11pt; }
QListWidget#navigation::item { padding: 10px 12px; }
QListWidget#navigation::item:selected { background: #1565c0; color: white; }
QListWidget#navigation::item:disabled { color: #78909c; }
QTableView { font-size: 9pt; }
QLabel#pageTitle { font-size: 15pt; font-weight: bold; color: #1a237e; }
QLabel#fieldError { color: #c62828; }
QLabel#dueBig { font-size: 13pt; font-weight: bold; color: #0d47a1; }
QLabel#placeholder { font-size: 12pt; color: #455a64; }
QToolButton[chip] { border: 1px solid #b0bec5; border-radius: 12px; padding: 4px 12px; font-weight: bold; }
QToolButton[chip]:checked { border: 2px solid #0d47a1; }
""" + "".join(f'QToolButton[chip="{c}"] {{ background: {bg}; color: {fg}; }}\n' for c, (bg, fg) in CHIP_COLOURS.items())
# (one application style sheet, the colour counters picked by their "chip" property: a style sheet of each
# button's own cost a style sheet style apiece at start-up)


def apply_style(app: QApplication) -> None:
    """The style sheet (the Fusion style itself is chosen when the application is created: `ui.app`)."""
    app.setStyleSheet(STYLE_SHEET)
