"""The lazy queue model: keeps the ordered case ids, fetches display rows a page at a time, sorts in SQL."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from concurrent.futures import Future
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from tthc_desk.domain import Colour
from tthc_desk.services.actor import Actor
from tthc_desk.services.queue_rows import QueueFilter, QueueRow
from ui.i18n import fmt_datetime, tr
from ui.tasks import run_in_background

if TYPE_CHECKING:
    from tthc_desk.services import Services

_ROOT = QModelIndex()  # the invisible root: the default parent in rowCount/columnCount

log = logging.getLogger(__name__)

# a screen shows 20-35 rows; the first page is fetched again at every refresh and keystroke, and a row costs
# its colour and remaining working time: 50 rows take 8-9 ms, 100 rows 12 ms (200,000 cases)
PAGE_SIZE = 50
MAX_CACHED_PAGES = 80

(COL_CHIP, COL_CODE, COL_APPLICANT, COL_PROCEDURE, COL_UNIT, COL_RECEIVED, COL_DUE, COL_REMAINING,
 COL_STATUS) = range(9)
HEADERS = ("Tình trạng", "Mã hồ sơ", "Người nộp", "Thủ tục", "Đơn vị đang giữ", "Tiếp nhận", "Hẹn trả",
           "Thời gian còn lại", "Trạng thái")
SORT_KEYS = ("urgency", "code", "applicant", "procedure", "unit", "received_at", "due_at", "due_at", "status")

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the QueueRow
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the case id
COLOUR_ROLE = Qt.ItemDataRole.UserRole + 3  # Colour or None
_ROLES = frozenset(int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, ROW_ROLE, ID_ROLE,
                                    COLOUR_ROLE))  # fmt: skip


class QueueSnapshot(NamedTuple):
    """What one refresh brings back from the core (plain data, built off the GUI thread; a NamedTuple: a
    dataclass would cost the start ~1 ms to create)."""

    ids: list[int]
    first_page: list[QueueRow]
    counts: dict[Colour, int]
    # the list's length when `ids` holds only its beginning (a start-up plan reads the first page's): the rows
    # past it stay blank until a refresh brings the whole order (the queue page asks for one after its first
    # paint); None: `ids` is the whole list
    total: int | None = None


def load_snapshot(services: Services, actor: Actor, flt: QueueFilter, sort: str, descending: bool) -> QueueSnapshot:
    ids, counts = services.queue.ids_and_counts(actor, flt, sort, descending)
    return QueueSnapshot(ids, services.queue.rows(actor, ids[:PAGE_SIZE]), counts)


_prefetched: list[tuple[tuple, float, Future]] = []  # at most one: the queue's first load, started at login
PREFETCH_FRESH_S = 10.0  # older than this, a prefetched answer is not shown (a refresh asks again)


def prefetch(services: Services, actor: Actor, open_only: bool = True) -> None:
    """Start the queue's first load now, on a thread of its own, while the window's modules are imported and
    its widgets built (desk_main, right after login); the first `QueueModel.refresh` asking the same question
    takes the answer instead of asking again. On 200,000 cases the load is ~0.1 s of the start."""
    question = _first_question(services, actor, open_only)
    future: Future = Future()

    def work() -> None:
        try:
            future.set_result(load_snapshot(*question))
        except BaseException as exc:  # noqa: BLE001 - handed to the model's refresh, which reports it
            future.set_exception(exc)

    _prefetched[:] = [(question, time.monotonic(), future)]
    threading.Thread(target=work, name="queue-prefetch", daemon=True).start()


def seed(services: Services, actor: Actor, snapshot: QueueSnapshot, open_only: bool = True) -> None:
    """Hand the queue's first load an answer already read (the start-up plan's replay, desk_main): the first
    `QueueModel.refresh` asking this question shows it instead of asking the services."""
    future: Future = Future()
    future.set_result(snapshot)
    _prefetched[:] = [(_first_question(services, actor, open_only), time.monotonic(), future)]


def _first_question(services: Services, actor: Actor, open_only: bool) -> tuple:
    """What a new `QueueModel`'s first refresh asks (its default filter and order)."""
    return services, actor, QueueFilter(open_only=open_only), "urgency", False


def _take_prefetched(question: tuple) -> Future | None:
    if not _prefetched:
        return None
    asked, when, future = _prefetched.pop()
    return future if asked == question and time.monotonic() - when < PREFETCH_FRESH_S else None


class QueueModel(QAbstractTableModel):
    refreshed = Signal()
    load_failed = Signal(object)

    def __init__(self, services: Services, actor: Actor, open_only: bool = True, parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.filter = QueueFilter(open_only=open_only)
        self.sort_key, self.descending = "urgency", False
        self.counts: dict[Colour, int] = {c: 0 for c in Colour}
        self._ids: list[int] = []
        self._rows = 0  # len(self._ids), or more while only their beginning is known (`QueueSnapshot.total`)
        self._pages: dict[int, list[QueueRow | None]] = {}
        self._generation = 0
        self.loading = False

    # ----- loading -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-query ids, counts and the first page in the background; stale answers are dropped."""
        self._generation += 1
        generation, flt = self._generation, dataclasses.replace(self.filter)
        question = (self.services, self.actor, flt, self.sort_key, self.descending)
        self.loading = True
        early = _take_prefetched(question)
        if early is not None and early.done() and early.exception() is None:
            # answered already (a start-up plan's seed): shown before the page is first laid out, so its
            # counters' texts do not change the layout after the first paint (a second full repaint, 25 ms)
            self._apply(generation, early.result())
            return
        job = (lambda _cancel: early.result()) if early is not None else (lambda _cancel: load_snapshot(*question))
        run_in_background(job, lambda snap: self._apply(generation, snap), self._on_failed, owner=self)

    def _on_failed(self, exc: BaseException) -> None:
        self.loading = False
        self.load_failed.emit(exc)

    def _apply(self, generation: int, snap: QueueSnapshot) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.counts = snap.counts
        rows = len(snap.ids) if snap.total is None else snap.total
        if rows == self._rows and (snap.ids == self._ids
                                   or not self.complete and snap.ids[:len(self._ids)] == self._ids):
            # same cases in the same order (or the whole order of the beginning shown): repaint in place, so
            # scrolling and selection stay untouched
            self._ids = snap.ids
            self._pages = {0: list(snap.first_page)}
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, len(HEADERS) - 1))
        else:
            self.beginResetModel()
            self._ids, self._rows = snap.ids, rows
            self._pages = {0: list(snap.first_page)}
            self.endResetModel()
        self.refreshed.emit()

    @property
    def complete(self) -> bool:
        """Whether the whole order is known (not only the beginning a start-up plan read)."""
        return len(self._ids) == self._rows

    def _page(self, number: int) -> list[QueueRow | None]:
        page = self._pages.get(number)
        if page is None:
            ids = self._ids[number * PAGE_SIZE:(number + 1) * PAGE_SIZE]
            found = {r.id: r for r in self.services.queue.rows(self.actor, ids)}
            page = [found.get(i) for i in ids]
            if len(self._pages) >= MAX_CACHED_PAGES:
                self._pages.pop(next(k for k in self._pages if k != 0))
            self._pages[number] = page
        return page

    def row_at(self, row: int) -> QueueRow | None:
        if not 0 <= row < len(self._ids):
            return None
        page = self._page(row // PAGE_SIZE)
        offset = row % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def case_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, case_id: int | None) -> int | None:
        try:
            return self._ids.index(case_id) if case_id is not None else None
        except ValueError:
            return None

    @property
    def loaded_pages(self) -> int:
        return len(self._pages)

    # ----- Qt model ------------------------------------------------------------------------------------
    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        # the title in a tooltip too: a narrow window cuts the titles of the stretched name columns
        titled = role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
        if orientation == Qt.Orientation.Horizontal and titled:
            return tr(HEADERS[section])
        return None

    # flags(): QAbstractTableModel's own (enabled, selectable, no children) — not overridden, as every painted
    # cell asks for them and a Python override costs a call each

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        # a painted cell is asked for ~7 roles (font, alignment, colours, check state, icon, text): the ones
        # this model does not answer are turned away by one set lookup
        if role not in _ROLES or not index.isValid():
            return None
        if role == ID_ROLE:
            return self.case_id(index.row())
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == ROW_ROLE:
            return row
        if role == COLOUR_ROLE:
            return row.colour
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, index.column())
        return _display(row, index.column())

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Header click: ask the database for a new order (the chip column means most urgent first)."""
        key = SORT_KEYS[column] if 0 <= column < len(SORT_KEYS) else "urgency"
        descending = order == Qt.SortOrder.DescendingOrder and key != "urgency"  # urgency has one direction
        if (key, descending) != (self.sort_key, self.descending):
            self.sort_key, self.descending = key, descending
            self.refresh()


def chip_text(row: QueueRow) -> str:
    return row.chip_label


def _display(row: QueueRow, column: int) -> str:
    if column == COL_CHIP:
        return chip_text(row)
    if column == COL_CODE:
        return row.code
    if column == COL_APPLICANT:
        return row.applicant_name
    if column == COL_PROCEDURE:
        return row.procedure_name
    if column == COL_UNIT:
        return row.unit_name
    if column == COL_RECEIVED:
        return fmt_datetime(row.received_at)
    if column == COL_DUE:
        return fmt_datetime(row.due_at) + (" *" if row.extended else "")
    if column == COL_REMAINING:
        return row.remaining_text
    return row.status.label


def _tooltip(row: QueueRow, column: int) -> str:
    if column == COL_DUE and row.extended:
        return tr("Đã xin lỗi và hẹn lại; hạn gốc {due}", due=fmt_datetime(row.original_due_at))
    if column == COL_PROCEDURE:
        return row.procedure_name
    return _display(row, column)
