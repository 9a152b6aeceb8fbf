"""The queue page (home) and the search page: filter bar + lazy table that refreshes itself every 30 s."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tthc_desk.domain import OPEN_STATUSES, Colour, Status
from tthc_desk.services.actor import Actor
from tthc_desk.services.pending import ServicesUnavailable
from tthc_desk.services.rights import Action, why_not
from ui.i18n import tr
from ui.keys import keyed
from ui.prefs import UserPrefs
from ui.queue.delegates import ColourChipDelegate, chip_width
from ui.queue.filters import QueueFilterBar
from ui.queue.model import (
    COL_APPLICANT,
    COL_CHIP,
    COL_CODE,
    COL_DUE,
    COL_PROCEDURE,
    COL_RECEIVED,
    COL_REMAINING,
    COL_STATUS,
    COL_UNIT,
    HEADERS,
    ID_ROLE,
    ROW_ROLE,
    QueueModel,
)

if TYPE_CHECKING:
    from tthc_desk.services import Services

log = logging.getLogger(__name__)

AUTO_REFRESH_MS = 30_000
XLSX_FILTER = "Bảng tính Excel (*.xlsx)"
# the names share what the other columns leave (elided; their tooltip is whole); the other columns are as wide as
# their longest text (measured in the table's font, below), so every column is on the screen from 1093 px wide
# (1366x768 at 125 %) up, "Thời gian còn lại" and "Trạng thái" included. The due column keeps room for the " *" of
# a case whose due date was moved.
STRETCHED = (COL_APPLICANT, COL_PROCEDURE, COL_UNIT)
SAMPLES = {
    COL_CODE: ("000.00.17.H10-261116-0028",),
    COL_RECEIVED: ("00:00 00/00/0000",),
    COL_DUE: ("00:00 00/00/0000 *",),
    COL_REMAINING: ("còn 7 giờ 30 phút", "quá hạn 99 ngày"),
}
CELL_MARGIN = 12  # the cell's text margins and a little air


class QueuePage(QWidget):
    """Hàng đợi (open cases, most urgent first) or, with `open_only=False`, Tra cứu (every case)."""

    case_requested = Signal(str)  # a case code to open
    first_page_shown = Signal()

    def __init__(self, services: Services, actor: Actor, prefs: UserPrefs | None = None, open_only: bool = True,
                 parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.prefs = services, actor, prefs
        self.state_key = "queue" if open_only else "search"
        self.model = QueueModel(services, actor, open_only, self)
        self.model.refresh()  # first: the query runs on the pool while the widgets are built
        self._selected_id: int | None = None
        self._after_search: bool | None = None  # Down (False) or Enter (True) awaiting the results
        self._painted = False
        self.timer = QTimer(self, interval=AUTO_REFRESH_MS)
        self._build_ui(open_only)
        self._connect_signals()
        self.timer.start()
        if not self.model.loading:  # answered already (inline executor): show what it found
            self._on_model_refreshed()

    def _build_ui(self, open_only: bool) -> None:
        layout = QVBoxLayout(self)
        title = QLabel(tr("Hàng đợi hồ sơ đang giải quyết") if open_only else tr("Tra cứu hồ sơ"), self)
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.filters = QueueFilterBar(self.services, self.actor, open_only, self)
        self.export_button = QPushButton(keyed(tr("Xuất Excel…"), "X"), self.filters)
        denied = why_not(self.actor.role, Action.EXPORT)
        self.export_button.setEnabled(denied is None)
        self.export_button.setToolTip(denied or tr("Xuất danh sách đang hiện (theo bộ lọc và thứ tự) ra tệp Excel, "
                                                   "giữ màu cảnh báo (Ctrl+E)"))  # fmt: skip
        self.filters.chips_row.addWidget(self.export_button)
        layout.addWidget(self.filters)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(COL_CHIP, ColourChipDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # enabling sorting sorts at once by the header's indicator (Qt's default: column 0, descending): point it
        # at the model's own order first, or the first load would be thrown away and run again
        self.table.horizontalHeader().setSortIndicator(
            COL_CHIP, Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        restored = bool(self.prefs and self.prefs.restore_header(self.state_key, header))
        # a header saved before the names stretched (its last column did) has widths that overflow a narrow
        # window: it keeps its order, not its widths
        self._lay_out_columns(keep_widths=restored and not header.stretchLastSection())
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.filters.search)

    def _lay_out_columns(self, keep_widths: bool) -> None:
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in STRETCHED:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        if not keep_widths:
            for column, width in self._content_widths().items():
                header.resizeSection(column, width)

    def _content_widths(self) -> dict[int, int]:
        """The width of each column that is not stretched: its longest text, or its title if that is longer."""
        self.table.ensurePolished()  # the style sheet's table font
        cells, titles = self.table.fontMetrics(), self.table.horizontalHeader().fontMetrics()
        statuses = [s.label for s in Status if s in OPEN_STATUSES or not self.model.filter.open_only]
        texts = {**SAMPLES, COL_STATUS: statuses}
        widths = {c: max(cells.horizontalAdvance(t) for t in ts) + CELL_MARGIN for c, ts in texts.items()}
        # the chip says the colour, or (a closed case, on the search page) the status
        chips = [c.label for c in Colour] + ([] if self.model.filter.open_only else statuses)
        widths[COL_CHIP] = chip_width(self.table.font(), chips)
        return {
            column: max(width, titles.horizontalAdvance(tr(HEADERS[column])) + CELL_MARGIN)
            for column, width in widths.items()
        }

    def _connect_signals(self) -> None:
        self.filters.changed.connect(self._on_filters_changed)
        self.filters.results_asked.connect(self._on_filters_results_asked)
        self.filters.search.textChanged.connect(self._on_search_edited)
        self.model.refreshed.connect(self._on_model_refreshed)
        self.model.load_failed.connect(self._on_load_failed)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_reset)
        self.model.modelReset.connect(self._on_model_reset)
        self.timer.timeout.connect(self.refresh)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.installEventFilter(self)
        self.table.viewport().installEventFilter(self)
        self.export_button.clicked.connect(self.export_list)
        QShortcut(QKeySequence("Ctrl+E"), self, self.export_list, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Ctrl+F"), self, self.focus_search, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # ----- behaviour --------------------------------------------------------------------------------------
    def focus_search(self) -> None:
        """Ctrl+F: to the search box, its text selected so that typing replaces it."""
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def _on_filters_results_asked(self, open_single: bool) -> None:
        """Down or Enter in the search box (the typed text already applied): to the first result, or, on Enter
        with a single case found, open it; once the results of what was typed are in."""
        self._after_search = open_single
        if not self.model.loading:
            self._go_to_results()

    def _on_search_edited(self) -> None:
        self._after_search = None  # typing again: the Enter was for the text before

    def _go_to_results(self) -> None:
        open_single, self._after_search = self._after_search, None
        if open_single is None or self.model.rowCount() == 0:
            return  # nothing found: the keyboard stays in the search box, the counter says 0
        index = self.model.index(0, 0)
        rows = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, rows)
        self.table.scrollTo(index)
        if open_single and self.model.rowCount() == 1 and self.filters.search.text().strip():
            self.open_current()
        else:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)  # a second Enter opens the row

    def _on_load_failed(self, exc: BaseException) -> None:
        self._after_search = None
        if isinstance(exc, ServicesUnavailable):  # the start shows why the services failed, and ends
            log.info("queue not loaded: %s", exc)
            return
        from ui.dialogs import show_error  # (its dialogs' Qt types cost start-up time; errors are rare)

        show_error(self, exc)

    def refresh(self) -> None:
        self.model.refresh()

    def export_list(self) -> None:
        """The list as shown (its filter and order, text typed but not yet applied included) to a workbook."""
        if not self.export_button.isEnabled():
            return
        from ui import dialogs
        from ui.tasks import run_in_background

        self.filters.flush()
        name = "hang-doi" if self.state_key == "queue" else "tra-cuu"
        folder = self.prefs.last_folder("exports") if self.prefs else ""
        suggested = f"{name}-{self.services.clock.now():%Y%m%d-%H%M}.xlsx"
        path = dialogs.pick_save_file(self, tr("Xuất danh sách ra Excel"),
                                      str(Path(folder) / suggested) if folder else suggested, XLSX_FILTER)
        if not path:
            return
        services, actor = self.services, self.actor
        flt, sort, descending = self.filters.current_filter(), self.model.sort_key, self.model.descending

        def done(count: int) -> None:
            if self.prefs:
                self.prefs.set_last_folder("exports", str(Path(path).parent))
            dialogs.info(self, tr("Đã xuất"), tr("Đã xuất {n} hồ sơ vào {path}.", n=count, path=path))

        run_in_background(lambda c: services.sync.export_cases(actor, path, flt, sort, descending, cancel=c.is_set),
                          done, lambda exc: dialogs.show_error(self, exc), progress=tr("Đang ghi tệp…"), parent=self,
                          cancellable=True)

    def _on_filters_changed(self) -> None:
        self.model.filter = self.filters.current_filter()
        self.model.refresh()

    def _on_model_about_to_reset(self) -> None:
        # a reset re-initialises the header's sections: keep the widths the user set
        self._selected_id = self.selected_case_id()
        self._header_state = self.table.horizontalHeader().saveState()

    def _on_model_reset(self) -> None:
        self.table.horizontalHeader().restoreState(self._header_state)

    def _on_model_refreshed(self) -> None:
        self.filters.show_counts(self.model.counts, self.model.rowCount())
        row = self.model.row_of(self._selected_id)
        if row is not None and self.selected_case_id() != self._selected_id:
            index = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)
        if self.model.rowCount() == 0:
            self._report_first_page()
        if self._after_search is not None:
            self._go_to_results()

    def selected_case_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select_case(self, case_id: int) -> bool:
        row = self.model.row_of(case_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self._selected_id = case_id
        return True

    def open_current(self) -> None:
        index = self.table.currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        if row is not None:
            self.case_requested.emit(row.code)

    def _on_table_double_clicked(self, _index) -> None:
        self.open_current()

    def _report_first_page(self) -> None:
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self.first_page_shown.emit)
            # the filter lists after the first paint: their queries (and, at start-up, the services they wait
            # for) would otherwise compete with the page for the interpreter
            QTimer.singleShot(0, self.filters, self.filters.load_lists)
            if not self.model.complete:  # painted from a start-up plan's first page: now the whole order
                QTimer.singleShot(0, self.model, self.model.refresh)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.table and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_current()
            return True
        if watched is self.table.viewport() and event.type() == QEvent.Type.Paint and self.model.rowCount():
            self._report_first_page()
        return super().eventFilter(watched, event)

    def save_state(self) -> None:
        if self.prefs:
            self.prefs.save_header(self.state_key, self.table.horizontalHeader())

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self.timer.isActive():
            self.timer.start()
