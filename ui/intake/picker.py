"""Procedure picker: type a code or part of the name (diacritics optional), pick from the list below."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit

from tthc_desk.services import Services
from tthc_desk.services.base import Actor
from tthc_desk.services.catalogue import ProcedureView
from ui.i18n import tr

SEARCH_DELAY_MS = 120
PROC_ROLE = Qt.ItemDataRole.UserRole + 1
CHOOSE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)


def label_of(view: ProcedureView) -> str:
    review = tr(" (cần xác nhận thời hạn)") if view.needs_review else ""
    return f"{view.code} — {view.name}{review}"


class ProcedurePicker(QLineEdit):
    """`picked(ProcedureView)` fires when a procedure is chosen; `cleared` when the text no longer names one."""

    picked = Signal(object)
    cleared = Signal()

    def __init__(self, services: Services, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.current: ProcedureView | None = None
        self._setting = False
        self.setPlaceholderText(tr("Gõ mã thủ tục hoặc vài chữ trong tên (có dấu hoặc không dấu)…"))
        self.results = QStandardItemModel(self)
        self.completer_ = QCompleter(self.results, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setMaxVisibleItems(12)
        self.setCompleter(self.completer_)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.textEdited.connect(self._on_text_edited)
        self.completer_.activated[QModelIndex].connect(self._on_completer_activated)

    def _on_text_edited(self, _text: str) -> None:
        if self.current is not None:
            self.current = None
            self.cleared.emit()
        self._timer.start()

    def search_now(self, show_popup: bool = True) -> list[ProcedureView]:
        """Fill the popup with the catalogue's matches for the typed text (and show it)."""
        self._timer.stop()
        views = self.services.catalogue.search(self.actor, self.text(), limit=30)
        self.results.clear()
        for view in views:
            item = QStandardItem(label_of(view))
            item.setData(view, PROC_ROLE)
            item.setToolTip(view.name)
            self.results.appendRow(item)
        if views and show_popup and self.hasFocus():
            self.completer_.complete()
        return views

    def event(self, event: QEvent) -> bool:
        """Enter or Tab on the row highlighted in the list chooses that procedure. QCompleter hands these keys
        to the line edit before acting on them itself: Enter would reach the form as a plain Enter (pick the
        best match for the text, which is now the highlighted label: none) and Tab would leave the field with
        the label written in it and nothing chosen."""
        if event.type() == QEvent.Type.KeyPress and event.key() in CHOOSE_KEYS:
            view = self._highlighted()
            if view is not None:
                self.completer_.popup().hide()
                self.choose(view)
                handled = super().event(event)  # Enter: returnPressed (the form goes on); Tab: the next field
                if event.key() != Qt.Key.Key_Tab:
                    event.accept()  # done: QCompleter must not complete (and choose) the same row again
                    return True
                return handled
        return super().event(event)

    def _highlighted(self) -> ProcedureView | None:
        """The procedure on the list's highlighted row, while the list is open."""
        popup = self.completer_.popup()
        index = popup.currentIndex()
        if not popup.isVisible() or not index.isValid() or not popup.selectionModel().isSelected(index):
            return None
        return index.data(PROC_ROLE)

    def _on_completer_activated(self, index: QModelIndex) -> None:
        view = index.data(PROC_ROLE)
        if view is not None:
            self.choose(view)

    def choose(self, view: ProcedureView) -> None:
        self.current = view
        self._setting = True
        QTimer.singleShot(0, lambda: self._show_chosen(view))  # after QCompleter writes its own text
        self.setText(label_of(view))
        self._setting = False
        self.picked.emit(view)

    def _show_chosen(self, view: ProcedureView) -> None:
        if self.current is view:  # (not once the form has been cleared for the next applicant)
            self.setText(label_of(view))

    def choose_first(self) -> ProcedureView | None:
        """Pick the best match for what is typed (Enter with the popup closed, tests). Text that is the label
        of a listed procedure (highlighted in the list, which then closed) names that one."""
        listed = self._listed(self.text())
        if listed is not None:
            self.choose(listed)
            return listed
        views = self.search_now(show_popup=False)
        if views:
            self.choose(views[0])
            return views[0]
        return None

    def _listed(self, text: str) -> ProcedureView | None:
        for row in range(self.results.rowCount()):
            item = self.results.item(row)
            if item.text() == text:
                return item.data(PROC_ROLE)
        return None

    def reset(self) -> None:
        self.current = None
        self.clear()
        self.results.clear()
