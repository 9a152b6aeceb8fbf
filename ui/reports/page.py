"""Báo cáo: period and grouping, the dashboard (charts, flags), Biểu II.06a, accountability, exports.

Queries run through ui.tasks.run_in_background (busy cursor / progress only if they take a while); the page
does no date arithmetic and no SQL: presets, figures and drill-downs all come from services.reports.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QModelIndex, QRect, QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tthc_desk.reports import ALL, DrillCriteria, Period, fmt_int, fmt_pct, preset, rates
from tthc_desk.reports.period import PRESETS
from tthc_desk.reports.service import Dashboard
from tthc_desk.services import Services
from tthc_desk.services.base import Actor
from ui import dialogs
from ui.i18n import DATE_FORMAT, tr
from ui.keys import keyed
from ui.reports.charts import BacklogChart, RateChart, TrendChart
from ui.reports.drill_dialog import DrillDialog
from ui.reports.models import FIGURE_ROLE, ROW_ROLE, SORT_ROLE, AccountModel, FormModel
from ui.tasks import run_in_background

FIGURE_WORDS = {
    "total": "Tổng số hồ sơ nhận giải quyết", "received_online": "Tiếp nhận trực tuyến",
    "received_desk": "Tiếp nhận trực tiếp, bưu chính", "carried_over": "Kỳ trước chuyển qua",
    "resolved": "Đã giải quyết", "early": "Giải quyết trước hạn", "on_time": "Giải quyết đúng hạn",
    "late": "Giải quyết quá hạn", "pending": "Đang giải quyết", "pending_within": "Đang giải quyết trong hạn",
    "pending_overdue": "Đang giải quyết quá hạn", "waiting": "Chờ bổ sung", "withdrawn": "Rút hồ sơ",
    "refused": "Từ chối", "stopped": "Dừng xử lý", "apologised": "Hồ sơ trễ hạn có văn bản xin lỗi",
    "late_caused": "Hồ sơ trễ hạn do đơn vị gây ra",
    "late_caused_resolved": "Hồ sơ trễ hạn do đơn vị gây ra, đã giải quyết quá hạn",
    "late_caused_overdue": "Hồ sơ trễ hạn do đơn vị gây ra, đang quá hạn",
}


class TwoGroupRow(QLayout):
    """Two groups of controls on one line, the second at its right end; the second under the first when the line
    is too narrow for both, so the page does not make the window wider than 1366x768 at 125 % (1093 px)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        hints = [item.sizeHint() for item in self._items]
        width = sum(h.width() for h in hints) + self._gap() * (len(hints) - 1)
        return QSize(width, max([h.height() for h in hints] + [0]))

    def minimumSize(self) -> QSize:  # noqa: N802
        sizes = [item.minimumSize() for item in self._items]
        return QSize(max([s.width() for s in sizes] + [0]), sum(s.height() for s in sizes))

    def _gap(self) -> int:
        return self.spacing() if self.spacing() >= 0 else 6

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place the groups in `rect` (when `move`); the height they take."""
        hints = [item.sizeHint() for item in self._items]
        one_line = sum(h.width() for h in hints) + self._gap() * (len(hints) - 1) <= rect.width()
        x, y, line = rect.x(), rect.y(), 0
        for n, (item, hint) in enumerate(zip(self._items, hints, strict=True)):
            width = min(hint.width(), rect.width())
            if n and not one_line:
                x, y, line = rect.x(), y + line + self._gap(), 0
            if n == len(self._items) - 1 and n:
                x = rect.right() + 1 - width  # the last group keeps to the right end
            if move:
                item.setGeometry(QRect(x, y, width, hint.height()))
            x, line = x + width + self._gap(), max(line, hint.height())
        return y + line - rect.y()


class ReportsPage(QWidget):
    loaded = Signal()  # the figures on screen were refreshed

    def __init__(self, services: Services, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.dashboard: Dashboard | None = None
        self.last_dialog: DrillDialog | None = None
        self._build_ui()
        self._connect_signals()
        self._apply_preset("last_month")

    # ----- building -----------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        title = QLabel(tr("Báo cáo tình hình giải quyết TTHC"), self)
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        layout.addLayout(self._build_bar())
        self.summary = QLabel(self, wordWrap=True)
        layout.addWidget(self.summary)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_overview(), keyed(tr("Tổng quan"), "Q"))
        self.form_model, self.form_view = FormModel(self), None
        self.tabs.addTab(self._table_tab("form"), keyed(tr("Biểu II.06a"), "B"))
        self.account_model = AccountModel(self)
        self.tabs.addTab(self._table_tab("account"), keyed(tr("Trách nhiệm trễ hạn"), "R"))
        layout.addWidget(self.tabs, 1)

    def _build_bar(self) -> TwoGroupRow:
        bar = TwoGroupRow()
        self.date_from, self.date_to = QDateEdit(self), QDateEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat(DATE_FORMAT)
            edit.setCalendarPopup(True)
        self.preset_box = QComboBox(self)
        self.preset_box.addItem(tr("Chọn nhanh…"), None)
        for key, (words, _fn) in PRESETS.items():
            self.preset_box.addItem(tr(words), key)
        self.group_box = QComboBox(self)
        self.group_box.addItem(tr("Theo đơn vị"), "unit")
        self.group_box.addItem(tr("Theo lĩnh vực"), "field")
        self.show_button = QPushButton(keyed(tr("Xem báo cáo"), "X"), self)
        self.xlsx_button = QPushButton(keyed(tr("Xuất Excel"), "E"), self)
        self.pdf_button = QPushButton(keyed(tr("Xuất PDF"), "P"), self)
        self.docx_button = QPushButton(keyed(tr("Công văn (.docx)"), "D"), self)
        self.letter_pdf_button = QPushButton(keyed(tr("Công văn (.pdf)"), "F"), self)
        date_from_label, date_to_label = QLabel(keyed(tr("Từ ngày"), "T"), self), QLabel(keyed(tr("đến ngày"), "N"), self)
        date_from_label.setBuddy(self.date_from)
        date_to_label.setBuddy(self.date_to)
        period, exports = QWidget(self), QWidget(self)
        choose = (date_from_label, self.date_from, date_to_label, self.date_to, self.preset_box, self.group_box)
        files = (self.xlsx_button, self.pdf_button, self.docx_button, self.letter_pdf_button)
        for group, widgets in ((period, (*choose, self.show_button)), (exports, files)):
            row = QHBoxLayout(group)
            row.setContentsMargins(0, 0, 0, 0)
            for w in widgets:
                row.addWidget(w)
        bar.addWidget(period)
        bar.addWidget(exports)
        return bar

    def _build_overview(self) -> QWidget:
        page = QWidget(self)
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        self.rate_chart, self.backlog_chart, self.trend_chart = RateChart(page), BacklogChart(page), TrendChart(page)
        self.flags_label = QLabel(page, wordWrap=True)
        self.flags_label.setObjectName("reportFlags")
        grid.addWidget(self.rate_chart, 0, 0, 2, 1)
        grid.addWidget(self.trend_chart, 0, 1)
        grid.addWidget(self.backlog_chart, 1, 1)
        grid.addWidget(self.flags_label, 2, 0, 1, 2)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 4)
        return page

    def _table_tab(self, kind: str) -> QTableView:
        model = self.form_model if kind == "form" else self.account_model
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        view = QTableView(self)
        view.setModel(proxy)
        view.setSortingEnabled(kind == "account")
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setToolTip(tr("Bấm vào một ô để xem danh sách hồ sơ tương ứng."))
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(24)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(kind == "account")
        header.setDefaultSectionSize(62 if kind == "form" else 150)
        header.resizeSection(0, 270 if kind == "form" else 300)
        view.clicked.connect(lambda index, k=kind: self._on_table_clicked(k, index))
        if kind == "form":
            self.form_view = view
        else:
            view.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # most late cases first
            self.account_view = view
        return view

    def _connect_signals(self) -> None:
        self.preset_box.activated.connect(self._on_preset_activated)
        self.show_button.clicked.connect(self.refresh)
        self.group_box.activated.connect(lambda _i: self.refresh())
        self.rate_chart.bar_clicked.connect(lambda key: self.open_drill("resolved", key))
        self.xlsx_button.clicked.connect(lambda: self._export("form", "xlsx"))
        self.pdf_button.clicked.connect(lambda: self._export("form", "pdf"))
        self.docx_button.clicked.connect(lambda: self._export("letter", "docx"))
        self.letter_pdf_button.clicked.connect(lambda: self._export("letter", "pdf"))

    # ----- period -------------------------------------------------------------------------------------
    def period(self) -> Period:
        return Period(self.date_from.date().toPython(), self.date_to.date().toPython())

    def group_by(self) -> str:
        return self.group_box.currentData()

    def _apply_preset(self, key: str) -> None:
        p = preset(key, self.services.reports.today())
        self.date_from.setDate(QDate(p.start))
        self.date_to.setDate(QDate(p.end))
        self.refresh()

    def _on_preset_activated(self, index: int) -> None:
        key = self.preset_box.itemData(index)
        if key:
            self._apply_preset(key)

    # ----- loading ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            period, group_by = self.period(), self.group_by()
        except Exception as exc:  # noqa: BLE001 - a reversed period is a ValidationError
            dialogs.show_error(self, exc)
            return
        services, actor = self.services, self.actor
        run_in_background(lambda _cancel: services.reports.dashboard(actor, period, group_by), self._on_loaded,
                          lambda exc: dialogs.show_error(self, exc), progress=tr("Đang tính số liệu báo cáo…"),
                          parent=self)

    def _on_loaded(self, dash: Dashboard) -> None:
        self.dashboard = dash
        report = dash.analysis.report
        self.form_model.set_report(report)
        self.account_model.set_accounts(dash.analysis.accounts, dash.analysis.officer_names)
        self.rate_chart.set_rows([(r.key, r.label, rates(r.counts)["resolved"]) for r in report.rows],
                                 report.target)
        self.backlog_chart.set_days(dash.backlog)
        self.trend_chart.set_points(dash.trend, report.target)
        self.summary.setText(self._summary_text())
        self.flags_label.setText(self._flags_text())
        self.loaded.emit()

    def _summary_text(self) -> str:
        report = self.dashboard.analysis.report
        t = report.total.counts
        lines = [tr("{period}: {total} hồ sơ nhận giải quyết, đã giải quyết {done}, đang giải quyết {open}.",
                    period=report.period.text(), total=fmt_int(t.total), done=fmt_int(t.resolved),
                    open=fmt_int(t.pending))]
        for r in rates(t).values():
            lines.append(f"{r.name}: <b>{r.text}</b> = {fmt_int(r.numerator)}/{fmt_int(r.denominator)} — {r.formula}")
        return "<br>".join(lines)

    def _flags_text(self) -> str:
        f = self.dashboard.analysis.flags
        parts = [
            tr("<b>Dưới chỉ tiêu {target}:</b> {units}", target=fmt_pct(f.target, 0),
               units=", ".join(f"{x.label} ({x.text})" for x in f.below_target) or tr("không có")),
            tr("<b>Trễ hạn trên 5 %:</b> {units}",
               units=", ".join(f"{x.label} ({x.text})" for x in f.late_above) or tr("không có")),
            tr("<b>Ít hồ sơ bất thường</b> (dưới 20 % trung vị): {units}",
               units=", ".join(f"{x.label} ({x.text})" for x in f.few_cases) or tr("không có")),
            tr("<b>Chưa đồng bộ lên cổng tỉnh:</b> {n} hồ sơ", n=fmt_int(f.unsynced_total)),
        ]
        return "<br>".join(parts)

    # ----- drill-down ---------------------------------------------------------------------------------
    def _on_table_clicked(self, kind: str, index: QModelIndex) -> None:
        figure = index.data(FIGURE_ROLE)
        row = index.data(ROW_ROLE)
        if figure is None or row is None:
            return
        key = row.unit_id if kind == "account" else row.key
        is_total = kind == "form" and row is self.dashboard.analysis.report.total
        self.open_drill(figure, ALL if is_total else key)

    def open_drill(self, figure: str, key: object) -> DrillDialog | None:
        """Open the list of cases behind `figure` for the group `key` (ALL: the total line)."""
        if self.dashboard is None:
            return None
        report = self.dashboard.analysis.report
        crit = DrillCriteria(report.period, figure, key, report.group_by)
        try:
            rows = self.services.reports.drill(self.actor, crit)
        except Exception as exc:  # noqa: BLE001 - shown by the one presenter
            dialogs.show_error(self, exc)
            return None
        label = tr("toàn bộ") if key == ALL else next((r.label for r in report.rows if r.key == key), str(key))
        if figure.startswith("late_caused"):  # the key is the responsible unit
            label = next((a.label for a in self.dashboard.analysis.accounts if a.unit_id == key), label)
        self.last_dialog = DrillDialog(f"{tr(FIGURE_WORDS.get(figure, figure))} — {label}", rows, self)
        self.last_dialog.open()
        return self.last_dialog

    # ----- exports ------------------------------------------------------------------------------------
    def _export(self, what: str, suffix: str) -> None:
        try:
            period, group_by = self.period(), self.group_by()
        except Exception as exc:  # noqa: BLE001
            dialogs.show_error(self, exc)
            return
        name = f"bieu-II06a-{period.start:%Y%m%d}-{period.end:%Y%m%d}" if what == "form" else \
            f"cong-van-bao-cao-{period.start:%Y%m}"
        filters = {"xlsx": "Excel (*.xlsx)", "pdf": "PDF (*.pdf)", "docx": "Word (*.docx)"}[suffix]
        path = dialogs.pick_save_file(self, tr("Lưu tệp"), f"{name}.{suffix}", filters)
        if not path:
            return
        services, actor = self.services, self.actor
        if what == "form":
            job = lambda _c: services.reports.export_form(actor, period, path, group_by)  # noqa: E731
        else:
            job = lambda _c: services.reports.export_letter(actor, period, path)  # noqa: E731
        run_in_background(job, lambda p: dialogs.info(self, tr("Đã xuất"), tr("Đã lưu {path}", path=str(p))),
                          lambda exc: dialogs.show_error(self, exc), progress=tr("Đang xuất tệp…"), parent=self)
