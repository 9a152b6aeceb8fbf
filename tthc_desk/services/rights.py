"""Who may do what. Checked inside every service, whatever the window shows."""

from __future__ import annotations

from enum import StrEnum

from tthc_desk.domain import Role
from tthc_desk.errors import PermissionDenied


class Action(StrEnum):
    INTAKE = "intake"
    TRANSFER = "transfer"
    REQUEST_SUPPLEMENT = "request_supplement"
    RECEIVE_SUPPLEMENT = "receive_supplement"
    RECORD_RESULT = "record_result"
    RETURN_RESULT = "return_result"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"
    STOP = "stop"
    EXTEND = "extend"
    EDIT_CASE = "edit_case"
    PRINT = "print"
    IMPORT_CASES = "import_cases"
    EXPORT = "export"
    VIEW_REPORTS = "view_reports"
    EDIT_CATALOGUE = "edit_catalogue"
    EDIT_UNITS = "edit_units"
    EDIT_USERS = "edit_users"
    EDIT_CALENDAR = "edit_calendar"
    EDIT_OFFICE = "edit_office"
    BACKUP = "backup"


_DESK = {
    Action.INTAKE, Action.TRANSFER, Action.REQUEST_SUPPLEMENT, Action.RECEIVE_SUPPLEMENT,
    Action.RECORD_RESULT, Action.RETURN_RESULT, Action.REFUSE, Action.WITHDRAW, Action.EXTEND,
    Action.EDIT_CASE, Action.PRINT, Action.IMPORT_CASES, Action.EXPORT, Action.VIEW_REPORTS,
}
_SPECIALIST = {Action.TRANSFER, Action.REQUEST_SUPPLEMENT, Action.RECORD_RESULT, Action.PRINT, Action.VIEW_REPORTS}
_LEADER = _SPECIALIST | {Action.STOP, Action.EXTEND, Action.EXPORT, Action.REFUSE}
_ADMIN = set(Action)

RIGHTS: dict[Role, frozenset[Action]] = {
    Role.DESK: frozenset(_DESK),
    Role.SPECIALIST: frozenset(_SPECIALIST),
    Role.LEADER: frozenset(_LEADER),
    Role.ADMIN: frozenset(_ADMIN),
}

ACTION_WORDS = {
    Action.INTAKE: "tiếp nhận hồ sơ",
    Action.TRANSFER: "chuyển xử lý",
    Action.REQUEST_SUPPLEMENT: "yêu cầu bổ sung",
    Action.RECEIVE_SUPPLEMENT: "nhận bổ sung",
    Action.RECORD_RESULT: "ghi nhận kết quả",
    Action.RETURN_RESULT: "trả kết quả",
    Action.REFUSE: "từ chối hồ sơ",
    Action.WITHDRAW: "ghi nhận rút hồ sơ",
    Action.STOP: "dừng xử lý",
    Action.EXTEND: "xin lỗi và hẹn lại",
    Action.EDIT_CASE: "sửa thông tin hồ sơ",
    Action.PRINT: "in văn bản",
    Action.IMPORT_CASES: "nhập hồ sơ từ tệp",
    Action.EXPORT: "xuất dữ liệu",
    Action.VIEW_REPORTS: "xem báo cáo",
    Action.EDIT_CATALOGUE: "sửa danh mục thủ tục",
    Action.EDIT_UNITS: "sửa danh sách đơn vị",
    Action.EDIT_USERS: "quản lý người dùng",
    Action.EDIT_CALENDAR: "sửa lịch làm việc",
    Action.EDIT_OFFICE: "sửa thông tin cơ quan",
    Action.BACKUP: "sao lưu dữ liệu",
}


def can(role: Role | str, action: Action) -> bool:
    return action in RIGHTS[Role(role)]


def why_not(role: Role | str, action: Action) -> str | None:
    """The Vietnamese reason a role may not take an action (for tooltips and errors), or None."""
    if can(role, action):
        return None
    return f"Vai trò {Role(role).label} không có quyền {ACTION_WORDS[action]}."


def require(role: Role | str, action: Action) -> None:
    reason = why_not(role, action)
    if reason:
        raise PermissionDenied(reason)
