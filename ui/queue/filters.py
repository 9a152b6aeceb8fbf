"""The bar above the queue: colour counters that are also filter buttons, a search box, five filters."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

from tthc_desk.domain import OPEN_STATUSES, Channel, Colour, Status
from tthc_desk.services.actor import Actor
from tthc_desk.services.queue_rows import QueueFilter
from ui.i18n import fmt_number, tr
from ui.tasks import run_in_background

if TYPE_CHECKING:
    from tthc_desk.services import Services

log = logging.getLogger(__name__)

SEARCH_DEBOUNCE_MS = 150


class QueueFilterBar(QWidget):
    """Edits a QueueFilter; `changed` fires (debounced for typing) whenever the user changes it."""

    changed = Signal()
    # from the search box to the results: Down (False) or Enter (True: open the case when it is the only one found)
    results_asked = Signal(bool)

    def __init__(self, services: Services, actor: Actor, open_only: bool, parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.open_only = services, actor, open_only
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        chips = QHBoxLayout()
        self.colour_buttons: dict[Colour, QToolButton] = {}
        for number, colour in enumerate(Colour, start=1):
            button = QToolButton(self, checkable=True)
            button.setProperty("chip", str(colour))  # its colours come from the application style sheet
            # red, amber, green, grey: Alt+1…4 (a QShortcut: the button's own is cleared by every setText); it
            # answers only while its page is shown
            QShortcut(QKeySequence(f"Alt+{number}"), button, button.click)
            label = colour.label.lower() + (tr(" (và hồ sơ chưa có hạn)") if colour is Colour.GREY else "")
            button.setToolTip(tr("Bấm (hoặc Alt+{n}) để chỉ xem hồ sơ {label}; bấm lần nữa để bỏ lọc", n=number,
                                 label=label))
            self.colour_buttons[colour] = button
            chips.addWidget(button)
        self.total_label = QLabel(self)
        chips.addWidget(self.total_label)
        chips.addStretch(1)
        self.chips_row = chips  # the page adds its own buttons at the end of this row
        layout.addLayout(chips)
        row = QHBoxLayout()
        self.search = QLineEdit(self, clearButtonEnabled=True)
        self.search.setToolTip(tr("Gõ có dấu hoặc không dấu; kết quả hiện ngay khi gõ (Ctrl+F để về ô tìm)"))
        self.search.setPlaceholderText(tr("Tìm mã hồ sơ, họ tên, CCCD, điện thoại…"))
        self.search.setMinimumWidth(220)  # a narrow window shrinks the filters, never the search box
        row.addWidget(self.search, 3)
        # the units, fields and officers are filled by `load_lists`, off the start-up path
        self.unit_combo = self._combo(tr("Mọi đơn vị"), [])
        self.field_combo = self._combo(tr("Mọi lĩnh vực"), [])
        self._lists_asked = False
        self.officer_combo = self._combo(tr("Mọi cán bộ"), [])
        self.channel_combo = self._combo(tr("Mọi kênh"), [(c, c.label) for c in Channel])
        statuses = [s for s in Status if s in OPEN_STATUSES or not self.open_only]
        self.status_combo = self._combo(tr("Mọi trạng thái"), [(s, s.label) for s in statuses])
        for combo in (self.unit_combo, self.field_combo, self.officer_combo, self.channel_combo, self.status_combo):
            row.addWidget(combo, 1)
        layout.addLayout(row)

    def load_lists(self) -> None:
        """Fill the unit, field and officer filters in the background, once: the queue page asks when its first
        page is in, so that these queries (the fields are a DISTINCT over every open case: 25–60 ms on 200,000
        cases) do not compete with the first page's at start-up, and the page is built without the database."""
        if not self._lists_asked:
            self._lists_asked = True
            services, actor = self.services, self.actor

            def work(_cancel) -> tuple[list, list, list]:
                units = [(u["id"], u["name"]) for u in services.accounts.list_units(actor)]
                return units, [(f, f) for f in services.queue.fields(actor)], services.queue.officers(actor)

            run_in_background(work, self._fill_lists, self._lists_failed)

    def _lists_failed(self, exc: BaseException) -> None:
        # the filters keep their "all" entries; the queue itself reports a failing database (or, when the
        # services could not be built, the start does)
        log.warning("filter lists not loaded: %s", exc)

    def _fill_lists(self, lists: tuple[list, list, list]) -> None:
        for combo, items in zip((self.unit_combo, self.field_combo, self.officer_combo), lists, strict=True):
            combo.blockSignals(True)  # filling is not a change of filter
            for value, label in items:
                combo.addItem(label, value)
            combo.blockSignals(False)

    def _combo(self, everything: str, items) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(everything, None)
        for value, label in items:
            combo.addItem(label, value)
        # as narrow as 6 characters ("Mọi đơ…"): with the search box they fit 1366x768 at 125 % (1093 px); a
        # wider window gives them their stretch, and the list that drops down is as wide as its entries
        combo.setMinimumContentsLength(6)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        return combo

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._debounce.start)
        self._debounce.timeout.connect(self.changed)
        for colour, button in self.colour_buttons.items():
            button.toggled.connect(lambda on, c=colour: self._on_colour_toggled(c, on))
        for combo in (self.unit_combo, self.field_combo, self.officer_combo, self.channel_combo, self.status_combo):
            combo.currentIndexChanged.connect(self.changed)

    def _on_colour_toggled(self, colour: Colour, on: bool) -> None:
        if on:
            for other, button in self.colour_buttons.items():
                if other is not colour and button.isChecked():
                    button.blockSignals(True)
                    button.setChecked(False)
                    button.blockSignals(False)
        self.changed.emit()

    def current_filter(self) -> QueueFilter:
        colour = next((c for c, b in self.colour_buttons.items() if b.isChecked()), None)
        return QueueFilter(
            colour=colour, unit_id=self.unit_combo.currentData(), field=self.field_combo.currentData(),
            officer_id=self.officer_combo.currentData(), channel=self.channel_combo.currentData(),
            status=self.status_combo.currentData(), text=self.search.text(), open_only=self.open_only,
        )

    def show_counts(self, counts: dict[Colour, int], shown: int) -> None:
        for colour, button in self.colour_buttons.items():
            button.setText(tr("{label}: {n}", label=colour.label, n=fmt_number(counts.get(colour, 0))))
        self.total_label.setText(tr("Đang hiện {n} hồ sơ", n=fmt_number(shown)))

    def flush(self) -> None:
        """Apply typed text now (Enter in the search box, tests)."""
        if self._debounce.isActive():
            self._debounce.stop()
            self.changed.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        # the search box leaves Enter and Down to its parent (it has no completer): both go on to the results,
        # so the desk does not Tab through the five filters and the export button to reach them
        key, plain = event.key(), not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.flush()
            if plain and self.search.hasFocus():
                self.results_asked.emit(True)
                return
        elif key == Qt.Key.Key_Down and plain and self.search.hasFocus():
            self.flush()
            self.results_asked.emit(False)
            return
        super().keyPressEvent(event)
