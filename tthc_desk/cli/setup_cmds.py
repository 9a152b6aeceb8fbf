"""init, demo, deadline, check, backup."""

from __future__ import annotations

from tthc_desk import deadline
from tthc_desk.calendar import WorkCalendar
from tthc_desk.cli.context import acting_user, add_letterhead_options, emit_json, open_services, parse_moment
from tthc_desk.domain import DurationUnit
from tthc_desk.errors import ValidationError
from tthc_desk.services.base import load_overrides, parse_hours
from tthc_desk.services.office import OfficeSettings

UNIT_WORDS = {
    "working_days": DurationUnit.WORKING_DAYS, "wd": DurationUnit.WORKING_DAYS, "ngay_lam_viec": DurationUnit.WORKING_DAYS,
    "working_hours": DurationUnit.WORKING_HOURS, "wh": DurationUnit.WORKING_HOURS, "gio": DurationUnit.WORKING_HOURS,
    "calendar_days": DurationUnit.CALENDAR_DAYS, "cd": DurationUnit.CALENDAR_DAYS, "ngay": DurationUnit.CALENDAR_DAYS,
    "same_day": DurationUnit.SAME_DAY, "trong_ngay": DurationUnit.SAME_DAY,
}


def register(sub) -> None:
    p = sub.add_parser("init", help="tạo cơ sở dữ liệu và thông tin cơ quan")
    p.add_argument("--office-name", metavar="TÊN")
    p.add_argument("--office-code", metavar="MÃ_ĐỊNH_DANH", help="mã định danh, ví dụ 000.00.17.H10")
    add_letterhead_options(p)
    p.add_argument("--head-title", metavar="CHỨC_DANH", help="chức danh người ký, ví dụ CHỦ TỊCH")
    p.add_argument("--head-name", metavar="HỌ_TÊN", help="họ và tên người ký")
    p.add_argument("--admin-password", metavar="MẬT_KHẨU")
    p.add_argument("--load-catalogue", action="store_true", help="nạp danh mục thủ tục cấp xã có sẵn")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="dựng một cơ quan mẫu với một năm hồ sơ")
    p.add_argument("--cases", type=int, default=8000, metavar="SỐ_HỒ_SƠ")
    p.add_argument("--seed", type=int, default=2025, metavar="SỐ_KHỞI_TẠO")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("deadline", help="tính hạn trả kết quả và giải thích")
    p.add_argument("--received", required=True, metavar="THỜI_ĐIỂM", help='"YYYY-MM-DD HH:MM"')
    p.add_argument("--amount", type=float, default=None, metavar="SỐ_LƯỢNG")
    p.add_argument("--unit", required=True, metavar="ĐƠN_VỊ_TÍNH",
                   help="working_days | working_hours | calendar_days | same_day")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_deadline)

    p = sub.add_parser("check", help="kiểm tra toàn vẹn dữ liệu")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("backup", help="sao lưu tệp dữ liệu SQLite")
    p.add_argument("--to", metavar="THƯ_MỤC", help="thư mục đích")
    p.set_defaults(func=cmd_backup)


def cmd_init(args) -> int:
    from tthc_desk.cli.context import db_target
    from tthc_desk.clock import SystemClock
    from tthc_desk.paths import bundled_catalogue
    from tthc_desk.services import Services
    from tthc_desk.services.office import DEFAULT_OFFICE, head_signer
    from tthc_desk.storage.db import Database

    db = Database(db_target(args))
    db.migrate()
    services = Services.build(db, SystemClock())
    settings = None
    given = (args.office_name, args.office_code, args.place, args.parent_body, args.issuing_body, args.head_name)
    if any(given):
        settings = OfficeSettings(
            name=args.office_name or DEFAULT_OFFICE.name, code=args.office_code or DEFAULT_OFFICE.code,
            place_name=args.place or "", parent_body="\n".join((args.parent_body or DEFAULT_OFFICE.parent_body).split("|")),
            issuing_body=args.issuing_body or DEFAULT_OFFICE.issuing_body,
            signers=head_signer(args.parent_body or "", args.head_title or "", args.head_name or ""))
    office_id, password = services.office.ensure_office(settings, args.admin_password)
    if not password:
        print("Cơ sở dữ liệu đã có sẵn; không thay đổi gì.")
        return 0
    print(f"Đã khởi tạo. Tài khoản quản trị: admin / {password}")
    if args.load_catalogue:
        report = services.catalogue.import_file(services.office.actor_for("admin"),
                                                bundled_catalogue())
        print(f"Đã nạp danh mục thủ tục cấp xã: {report.new} thủ tục ({report.needs_review} cần xác nhận thời hạn).")
    return 0


def cmd_demo(args) -> int:
    from tthc_desk.services.demo import build_demo

    services = open_services(args, announce=False)
    summary = build_demo(services, cases=args.cases, seed=args.seed)
    if args.json:
        emit_json(summary)
    else:
        print(f"Đã dựng cơ quan mẫu: {summary['cases']} hồ sơ, {summary['open']} đang giải quyết, "
              f"{summary['units']} đơn vị. Đăng nhập: {', '.join(summary['logins'])} (mật khẩu {summary['password']}).")
    return 0


def cmd_deadline(args) -> int:
    unit = UNIT_WORDS.get(args.unit.strip().lower())
    if unit is None:
        raise ValidationError(f"Đơn vị thời hạn '{args.unit}' không hợp lệ.")
    if unit is not DurationUnit.SAME_DAY and args.amount is None:
        raise ValidationError("Cần --amount cho đơn vị thời hạn này.")
    services = open_services(args)
    with services.db.read() as s:
        office = services.office.office(s, acting_user(services, args).office_id)
        cal = WorkCalendar(parse_hours(office), load_overrides(s))
    trace = deadline.explain_due(cal, parse_moment(args.received), deadline.DeadlineRule(args.amount, unit))
    if args.json:
        emit_json(trace.as_dict())
    else:
        print(trace.text())
    return 0


def cmd_check(args) -> int:
    from tthc_desk.services.integrity import check_database

    services = open_services(args)
    problems = check_database(services)
    if args.json:
        emit_json({"ok": not problems, "problems": problems})
    else:
        print("\n".join(problems) if problems else "Dữ liệu toàn vẹn: không phát hiện vấn đề.")
    return 1 if problems else 0


def cmd_backup(args) -> int:
    from pathlib import Path

    from tthc_desk.services.rights import Action, require

    services = open_services(args)
    require(acting_user(services, args).role, Action.BACKUP)
    if not services.db.is_sqlite:
        raise ValidationError("Với PostgreSQL hãy sao lưu bằng pg_dump.")
    dest = services.db.backup(Path(args.to) if args.to else None)
    print(f"Đã sao lưu vào {dest}")
    return 0
