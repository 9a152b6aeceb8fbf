"""Opening the database for a command: path or URL, migration with a copy first, default office, clock."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from pathlib import Path

from tthc_desk.clock import FixedClock, SystemClock, parse_moment  # noqa: F401 - the commands import it here
from tthc_desk.errors import ValidationError
from tthc_desk.paths import data_dir, default_db_path
from tthc_desk.services import Services
from tthc_desk.services.base import Actor
from tthc_desk.storage.db import Database, make_url
from tthc_desk.text import clean

log = logging.getLogger(__name__)


def db_target(args) -> str:
    if args.db:
        return make_url(args.db)
    return make_url(default_db_path(data_dir(args.data_dir)))


def open_services(args, announce: bool = True) -> Services:
    """Services on the database named by the arguments, created and migrated if needed."""
    url = db_target(args)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    db = Database(url)
    db.migrate()
    clock = FixedClock(parse_moment(args.now)) if args.now else SystemClock()
    services = Services.build(db, clock)
    _office_id, password = services.office.ensure_office()
    if password and announce:
        print(f"Đã tạo cơ sở dữ liệu mới; tài khoản quản trị: admin / {password}", file=sys.stderr)
    return services


def acting_user(services: Services, args) -> Actor:
    return services.office.actor_for(args.user)


def emit_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=_default))


def _default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def parse_paper(text: str) -> dict:
    """'Tờ khai:1:0:0' (name, originals, certified copies, photocopies; the name alone is one original), as
    `case new --paper` and `catalogue set --paper` take it."""
    parts = text.split(":")
    name = clean(parts[0])
    counts = [parse_number(x) if clean(x) else 0 for x in parts[1:]]
    if not name or len(parts) > 4 or any(c is None or c < 0 or c != int(c) for c in counts):
        raise ValidationError(f"Thành phần hồ sơ '{text}' ghi dạng \"Tên:bản chính:bản sao CT:bản photo\".",
                              field="papers")
    originals, certified, photocopies = ([int(c) for c in counts] + [0, 0, 0])[:3] if counts else (1, 0, 0)
    return {"name": name, "originals": originals, "certified": certified, "photocopies": photocopies}


def parse_number(text: str) -> float | None:
    """A number typed on the command line ('2,5' or '2.5'); None for anything else, NaN and infinity included."""
    try:
        value = float(clean(text).replace(",", "."))
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def add_letterhead_options(p) -> None:
    """The options of the office's letterhead, which `init` and `office set` both take."""
    p.add_argument("--place", metavar="ĐỊA_DANH", help="địa danh ghi ngày tháng, ví dụ Tây Sơn")
    p.add_argument("--parent-body", metavar="CƠ_QUAN",
                   help='cơ quan chủ quản trên tiêu đề, các dòng cách nhau bởi "|"')
    p.add_argument("--issuing-body", metavar="CƠ_QUAN", help="cơ quan ban hành, ví dụ BỘ PHẬN MỘT CỬA")
