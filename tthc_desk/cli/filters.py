"""The list filters `queue` and `case export` share: the queue page's filter bar, as options."""

from __future__ import annotations

from tthc_desk.domain import Channel, Colour, Status
from tthc_desk.errors import NotFound
from tthc_desk.services.queue import QueueFilter
from tthc_desk.text import fold


def add_filter_arguments(p) -> None:
    p.add_argument("--colour", choices=[c.value for c in Colour])
    p.add_argument("--status", choices=[s.value for s in Status])
    p.add_argument("--unit", metavar="ĐƠN_VỊ", help="tên hoặc số hiệu đơn vị đang giữ hồ sơ")
    p.add_argument("--field", metavar="LĨNH_VỰC", help="lĩnh vực, ví dụ \"Hộ tịch\"")
    p.add_argument("--channel", choices=[c.value for c in Channel])
    p.add_argument("--officer", metavar="TÊN_ĐĂNG_NHẬP", help="cán bộ tiếp nhận")
    p.add_argument("--search", default="", metavar="TỪ_KHÓA",
                   help="mã hồ sơ, họ tên, CCCD, điện thoại (có dấu hoặc không)")
    p.add_argument("--all", action="store_true", help="cả hồ sơ đã kết thúc")


def queue_filter(s, actor, args) -> QueueFilter:
    """The QueueFilter the options ask for; a unit or officer that does not exist is an error, not an empty list."""
    officer = None
    if args.officer:
        officer = next((u.user_id for u in s.accounts.list_users(actor) if u.username == args.officer), None)
        if officer is None:
            raise NotFound(f"Không có cán bộ có tên đăng nhập '{args.officer}'.")
    return QueueFilter(
        colour=Colour(args.colour) if args.colour else None, status=Status(args.status) if args.status else None,
        unit_id=unit_id(s, actor, args.unit) if args.unit else None,
        field=field_name(s, actor, args.field) if args.field else None,
        officer_id=officer, channel=Channel(args.channel) if args.channel else None, text=args.search,
        open_only=not args.all,
    )


def field_name(s, actor, text: str) -> str:
    """A field as the office's cases spell it, named with or without capitals and accents ("ho tich")."""
    for name in s.queue.fields(actor, open_only=False):
        if fold(name) == fold(text):
            return name
    raise NotFound(f"Không có hồ sơ nào thuộc lĩnh vực '{text}'.")


def unit_id(s, actor, text: str) -> int:
    """A unit by its number or its name (case-insensitive)."""
    for u in s.accounts.list_units(actor):
        if str(u["id"]) == text or u["name"].lower() == text.lower():
            return u["id"]
    raise NotFound(f"Không có đơn vị '{text}'.")
