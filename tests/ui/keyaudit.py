"""What the keyboard can reach in a window: the Alt + letter (mnemonic) of every visible widget that has one,
and the buttons that have neither a letter nor a shortcut of their own."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QTabBar,
    QWidget,
)

# buttons a dialog reaches with Enter or Esc
_KEYED_ROLES = (QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.RejectRole,
                QDialogButtonBox.ButtonRole.YesRole, QDialogButtonBox.ButtonRole.NoRole)


def mnemonic(text: str) -> str | None:
    """The letter Qt underlines in `text` ('&&' is a literal ampersand), or None."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1]
            i += 1
        i += 1
    return None


def _visible(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.window() is window


def mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Letter (upper case) → the texts that claim it, over the widgets of `window` shown now."""
    taken: dict[str, list[str]] = defaultdict(list)

    def claim(text: str) -> None:
        letter = mnemonic(text)
        if letter:
            taken[letter.upper()].append(text)

    for w in window.findChildren(QWidget):
        if not _visible(w, window):
            continue
        if isinstance(w, QAbstractButton):
            claim(w.text())
        elif isinstance(w, QLabel) and w.buddy() is not None:
            claim(w.text())
        elif isinstance(w, QGroupBox):
            claim(w.title())
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                claim(w.tabText(i))
    return dict(taken)


def clashes(window: QWidget) -> dict[str, list[str]]:
    """Letters claimed twice (Qt then only moves the focus between them, and presses nothing)."""
    return {k: v for k, v in mnemonics(window).items() if len(v) > 1}


def not_ascii(window: QWidget) -> list[str]:
    """Texts whose letter is not on the keyboard as such (Đ, ư …: the user cannot type Alt + it)."""
    return [t for texts in mnemonics(window).values() for t in texts
            if not (mnemonic(t).isascii() and mnemonic(t).isalnum())]


def unreachable(window: QWidget) -> list[str]:
    """Visible push buttons, check boxes and radio buttons with no Alt letter and no shortcut of their own
    (a dialog's OK / Cancel, reached with Enter / Esc, are not counted)."""
    missing = []
    for w in window.findChildren(QAbstractButton):
        if not isinstance(w, QPushButton | QCheckBox | QRadioButton) or not _visible(w, window):
            continue
        box = w.parent()
        if isinstance(box, QDialogButtonBox) and box.buttonRole(w) in _KEYED_ROLES:
            continue
        if not mnemonic(w.text()) and w.shortcut().isEmpty():
            missing.append(w.text() or w.toolTip() or w.objectName())
    return missing
