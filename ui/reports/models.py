"""Table models for the reports page: the form (II.06a), accountability, and the cases behind a figure."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from tthc_desk.reports import DrillRow, Report, ReportRow, fmt_int, fmt_pct, rates
from tthc_desk.reports.accountability import NO_OFFICER, UnitAccount
from tthc_desk.reports.form import count_values
from ui.i18n import fmt_datetime

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
FIGURE_ROLE = Qt.ItemDataRole.UserRole + 3  # the drill-down figure key of a cell (None: not drillable)
Index = QModelIndex | QPersistentModelIndex

FORM_HEADERS = ("Đơn vị", "(3)\nTổng số", "(4)\nTrực tuyến", "(5)\nTrực tiếp,\nbưu chính", "(6)\nKỳ trước",
                "(7)\nĐã giải\nquyết", "(8)\nTrước hạn", "(9)\nĐúng hạn", "(10)\nQuá hạn", "(11)\nĐang giải\nquyết",
                "(12)\nTrong hạn", "(13)\nQuá hạn", "Chờ\nbổ sung", "Rút", "Từ chối", "Dừng\nxử lý", "Xin lỗi",
                "Tỷ lệ\nđúng hạn")
# the figure behind each column (the rate opens the resolved cases it is computed on)
FORM_FIGURES = (None, "total", "received_online", "received_desk", "carried_over", "resolved", "early", "on_time",
                "late", "pending", "pending_within", "pending_overdue", "waiting", "withdrawn", "refused", "stopped",
                "apologised", "resolved")
COL_RATE = len(FORM_HEADERS) - 1


class FormModel(QAbstractTableModel):
    """Biểu II.06a lines plus the total line; counts right-aligned, the rate red below the target."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.report: Report | None = None
        self._rows: list[ReportRow] = []

    def set_report(self, report: Report) -> None:
        self.beginResetModel()
        self.report, self._rows = report, [*report.rows, report.total]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(FORM_HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            head = FORM_HEADERS[section]
            if section == 0 and self.report is not None and self.report.group_by == "field":
                return "Lĩnh vực"
            return head
        return None

    def value(self, row: ReportRow, col: int):
        if col == 0:
            return row.label
        if col == COL_RATE:
            return rates(row.counts)["resolved"].value
        return count_values(row.counts)[col - 1]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = self._rows[index.row()], index.column()
        value = self.value(row, col)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return value
            return fmt_pct(value) if col == COL_RATE else fmt_int(value)
        if role == SORT_ROLE:
            return value if value is not None else -1.0
        if role == ROW_ROLE:
            return row
        if role == FIGURE_ROLE:
            return FORM_FIGURES[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.key is None and row is self._rows[-1]:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_RATE and self.report is not None:
            if value is not None and value < self.report.target:
                return QBrush(QColor("#b3261e"))
        return None


ACCOUNT_HEADERS = ("Đơn vị chịu trách nhiệm", "Hồ sơ trễ hạn", "Đã giải quyết quá hạn", "Đang quá hạn",
                   "Cán bộ", "Lý do ghi nhận")
# the figure behind each column: the two split columns open only the cases they count; the officers and the
# reasons break down all the unit's late cases, so they open those
ACCOUNT_FIGURES = ("late_caused", "late_caused", "late_caused_resolved", "late_caused_overdue", "late_caused",
                   "late_caused")


class AccountModel(QAbstractTableModel):
    """Late cases per responsible unit (the unit whose step overran its share)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[UnitAccount] = []
        self._officers: dict[int, str] = {}

    def set_accounts(self, accounts: list[UnitAccount], officers: dict[int, str]) -> None:
        self.beginResetModel()
        self._rows, self._officers = list(accounts), dict(officers)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(ACCOUNT_HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ACCOUNT_HEADERS[section]
        return None

    def _officer(self, officer_id: int | None) -> str:
        return NO_OFFICER if officer_id is None else self._officers.get(officer_id, "?")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        a, col = self._rows[index.row()], index.column()
        values = (a.label, a.caused, a.resolved_late, a.still_overdue,
                  "; ".join(f"{self._officer(o)} ({n})" for o, n in a.officers.most_common(3)),
                  "; ".join(f"{r} ({n})" for r, n in a.reasons.most_common(3)))
        if role == Qt.ItemDataRole.DisplayRole:
            v = values[col]
            return fmt_int(v) if isinstance(v, int) else v
        if role == SORT_ROLE:
            return values[col]
        if role == ROW_ROLE:
            return a
        if role == FIGURE_ROLE:
            return ACCOUNT_FIGURES[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


DRILL_HEADERS = ("Mã hồ sơ", "Người nộp", "Thủ tục", "Đơn vị chủ trì", "Kênh", "Tiếp nhận", "Hạn trả",
                 "Hẹn lại", "Kết thúc", "Trạng thái", "Kết quả", "Ghi chú")


class DrillModel(QAbstractTableModel):
    def __init__(self, rows: list[DrillRow], parent=None) -> None:
        super().__init__(parent)
        self._rows = list(rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(DRILL_HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return DRILL_HEADERS[section]
        return None

    def codes(self) -> list[str]:
        return [r.code for r in self._rows]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        values = (r.code, r.applicant, r.procedure, r.lead_unit, r.channel, r.received_at, r.due_at,
                  r.appointment_at, r.finished_at, r.status, r.timeliness, r.note)
        v = values[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return fmt_datetime(v) if index.column() in (5, 6, 7, 8) else v
        if role == SORT_ROLE:
            return v.isoformat() if hasattr(v, "isoformat") else (v or "")
        if role == ROW_ROLE:
            return r
        return None
