"""Read-only tables of the case view: the timeline of events, and small lists (papers, steps, letters)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from tthc_desk.services.casefile import EventView
from ui.i18n import fmt_datetime, tr

_ROOT = QModelIndex()  # the invisible root: the default parent in rowCount/columnCount

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class RecordsModel(QAbstractTableModel):
    """A fixed header tuple over a list of records; `cells(record)` gives the displayed texts."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, records: list | None = None, parent=None) -> None:
        super().__init__(parent)
        self.records: list = list(records or [])

    def set_records(self, records: list) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def cells(self, record) -> tuple:
        return tuple(record)

    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        record = self.records[index.row()]
        if role == ROW_ROLE:
            return record
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return str(self.cells(record)[index.column()])
        return None


class EventsModel(RecordsModel):
    """The append-only history: when, what, who, which unit, and the details that matter."""

    COL_AT, COL_WHAT, COL_WHO, COL_UNIT, COL_NOTE = range(5)
    HEADERS = ("Thời điểm", "Thao tác", "Người thực hiện", "Đơn vị", "Nội dung")

    def cells(self, e: EventView) -> tuple:
        return (fmt_datetime(e.at), e.label, e.user_name, e.unit_name, event_note(e.data))

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role == SORT_ROLE:
            return self.records[index.row()].seq
        return super().data(index, role)


def _moment(text) -> str:
    try:
        return fmt_datetime(datetime.fromisoformat(text))
    except (TypeError, ValueError):
        return str(text or "")


def event_note(data: dict) -> str:
    """The event's details in words: receiving unit, reasons, missing papers, new dates."""
    parts = []
    if data.get("to_unit"):
        parts.append(tr("đến {unit}", unit=data["to_unit"]))
    if data.get("step_due_at"):
        parts.append(tr("hạn bước {due}", due=_moment(data["step_due_at"])))
    if data.get("reason"):
        parts.append(tr("lý do: {reason}", reason=data["reason"]))
    if data.get("missing"):
        parts.append(tr("cần bổ sung: {papers}", papers="; ".join(data["missing"])))
    if data.get("new_due_at"):
        parts.append(tr("hẹn lại {due}", due=_moment(data["new_due_at"])))
    elif data.get("due_at"):
        parts.append(tr("hẹn trả {due}", due=_moment(data["due_at"])))
    for change in data.get("changes") or []:  # a correction of the applicant's details
        parts.append(tr("{what}: {old} → {new}", what=change.get("label", ""), old=change.get("old") or "—",
                        new=change.get("new") or "—"))
    for fault in data.get("faults") or []:
        parts.append(fault)
    if data.get("note"):
        parts.append(data["note"])
    return "; ".join(parts)


class PapersTable(RecordsModel):
    HEADERS = ("Giấy tờ", "Bản chính", "Bản sao chứng thực", "Bản photo")

    def cells(self, p: dict) -> tuple:
        return (p.get("name", ""), p.get("originals", 0), p.get("certified", 0), p.get("photocopies", 0))


class StepsTable(RecordsModel):
    HEADERS = ("Đơn vị", "Chuyển từ", "Bắt đầu", "Hạn của bước", "Hoàn thành", "Đánh giá")

    def cells(self, st) -> tuple:
        return (st.unit_name, st.from_unit_name, fmt_datetime(st.started_at), fmt_datetime(st.due_at),
                fmt_datetime(st.finished_at), st.timeliness.label if st.timeliness else "")


class LettersTable(RecordsModel):
    HEADERS = ("Loại văn bản", "Số", "Ngày phát hành", "Người ký")
    KINDS = {"apology": "Thư xin lỗi (Mẫu 04)", "supplement": "Yêu cầu bổ sung (Mẫu 02)",
             "refusal": "Từ chối (Mẫu 03)", "receipt": "Giấy tiếp nhận (Mẫu 01)"}

    def cells(self, lt: dict) -> tuple:
        return (self.KINDS.get(lt.get("kind"), lt.get("kind", "")), lt.get("number", ""),
                _moment(lt.get("issued_at")), lt.get("signer", ""))
