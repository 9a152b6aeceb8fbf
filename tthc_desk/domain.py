"""Domain vocabulary: statuses, channels, roles, duration units, event kinds, colours (with UI words)."""

from __future__ import annotations

from datetime import time
from enum import StrEnum
from typing import NamedTuple


class Status(StrEnum):
    RECEIVED = "received"
    PROCESSING = "processing"
    RESULT_READY = "result_ready"
    RETURNED = "returned"
    WAITING_SUPPLEMENT = "waiting_supplement"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


STATUS_LABELS = {
    Status.RECEIVED: "Mới tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.RESULT_READY: "Đã có kết quả",
    Status.RETURNED: "Đã trả kết quả",
    Status.WAITING_SUPPLEMENT: "Chờ bổ sung",
    Status.REFUSED: "Từ chối",
    Status.WITHDRAWN: "Rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
}
# Open = still owed a result (the queue); a case with its result ready is finished but not yet handed back.
OPEN_STATUSES = frozenset({Status.RECEIVED, Status.PROCESSING, Status.WAITING_SUPPLEMENT})
FINISHED_STATUSES = frozenset({Status.RESULT_READY, Status.RETURNED})
CLOSED_OTHER = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED})


class Channel(StrEnum):
    DIRECT = "direct"
    ONLINE = "online"
    POST = "post"

    @property
    def label(self) -> str:
        return {"direct": "Trực tiếp", "online": "Trực tuyến", "post": "Bưu chính công ích"}[self.value]


class Role(StrEnum):
    DESK = "desk"
    SPECIALIST = "specialist"
    LEADER = "leader"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            "desk": "Cán bộ tiếp nhận",
            "specialist": "Chuyên viên",
            "leader": "Lãnh đạo",
            "admin": "Quản trị",
        }[self.value]


class DurationUnit(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"
    SAME_DAY = "same_day"

    @property
    def label(self) -> str:
        return {
            "working_days": "ngày làm việc",
            "working_hours": "giờ làm việc",
            "calendar_days": "ngày",
            "same_day": "trong ngày",
        }[self.value]


def describe_duration(amount: float | None, unit: DurationUnit | str | None) -> str:
    """'3 ngày làm việc', '4 giờ làm việc', 'Trong ngày'."""
    if unit is None:
        return "Chưa xác định"
    unit = DurationUnit(unit)
    if unit is DurationUnit.SAME_DAY:
        return "Trong ngày"
    num = f"{amount:g}".replace(".", ",") if amount is not None else "?"
    return f"{num} {unit.label}"


class SupplementMode(StrEnum):
    RESTART = "restart"
    PAUSE = "pause"


class Colour(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    GREY = "grey"

    @property
    def label(self) -> str:
        return {"red": "Quá hạn", "amber": "Sắp đến hạn", "green": "Trong hạn", "grey": "Chờ bổ sung"}[self.value]


NO_DUE_LABEL = "Chưa có hạn"


def chip_label(colour: Colour | None, status: Status) -> str:
    """The word on a case's chip: its colour's while open, its status's once closed. An open case with no due time
    (a procedure without a rule, imported without one) is grey too, as no colour can be judged, but it is not
    waiting for the applicant: it reads "Chưa có hạn"."""
    if colour is None:
        return status.label
    if colour is Colour.GREY and status is not Status.WAITING_SUPPLEMENT:
        return NO_DUE_LABEL
    return colour.label


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"

    @property
    def label(self) -> str:
        return {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}[self.value]


class EventKind(StrEnum):
    RECEIVED = "received"
    IMPORTED = "imported"
    TRANSFERRED = "transferred"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    SUPPLEMENT_RECEIVED = "supplement_received"
    RESULT_READY = "result_ready"
    RETURNED = "returned"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    EXTENDED = "extended"
    UPDATED = "updated"
    LETTER_ISSUED = "letter_issued"
    DUE_RECOMPUTED = "due_recomputed"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS = {
    EventKind.RECEIVED: "Tiếp nhận hồ sơ",
    EventKind.IMPORTED: "Nhập từ tệp của cổng tỉnh",
    EventKind.TRANSFERRED: "Chuyển xử lý",
    EventKind.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung",
    EventKind.SUPPLEMENT_RECEIVED: "Nhận bổ sung",
    EventKind.RESULT_READY: "Có kết quả",
    EventKind.RETURNED: "Trả kết quả",
    EventKind.REFUSED: "Từ chối",
    EventKind.WITHDRAWN: "Rút hồ sơ",
    EventKind.STOPPED: "Dừng xử lý",
    EventKind.EXTENDED: "Xin lỗi và hẹn lại",
    EventKind.UPDATED: "Sửa thông tin",
    EventKind.LETTER_ISSUED: "Phát hành văn bản",
    EventKind.DUE_RECOMPUTED: "Tính lại hạn do đổi lịch",
}


class WorkingHours(NamedTuple):
    """The office's working sessions and receipt cut-off (defaults per DOMAIN §5). A NamedTuple, read before
    the window's first paint: a dataclass costs the start 1-2 ms to create."""

    sessions: tuple[tuple[time, time], ...] = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))
    cutoff: time = time(15, 0)
    weekend: frozenset[int] = frozenset({5, 6})  # Saturday, Sunday

    @classmethod
    def parse(cls, sessions: str, cutoff: str) -> WorkingHours:
        """From the office's stored text: sessions "07:00-11:30, 13:30-17:00" and cut-off "15:00"."""
        parsed = []
        for part in sessions.split(","):
            a, b = part.strip().split("-")
            parsed.append((time.fromisoformat(a.strip()), time.fromisoformat(b.strip())))
        return cls(sessions=tuple(parsed), cutoff=time.fromisoformat(cutoff))

    @property
    def minutes_per_day(self) -> int:
        return sum(_minutes(e) - _minutes(s) for s, e in self.sessions)

    @property
    def opening(self) -> time:
        return self.sessions[0][0]

    @property
    def closing(self) -> time:
        return self.sessions[-1][1]


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute
