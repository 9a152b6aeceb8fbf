"""catalogue, calendar, user, unit."""

from __future__ import annotations

from datetime import date

from tthc_desk.cli.context import acting_user, emit_json, open_services
from tthc_desk.domain import Role
from tthc_desk.services.calendar_service import DayChange


def register(sub) -> None:
    cat = sub.add_parser("catalogue", help="danh mục thủ tục hành chính")
    cs = cat.add_subparsers(dest="catalogue_command", metavar="THAO_TÁC", required=True)
    p = cs.add_parser("import", help="nhập danh mục từ tệp CSV/Excel")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_catalogue_import)
    p = cs.add_parser("list", help="liệt kê thủ tục")
    p.add_argument("--search", default="")
    p.add_argument("--limit", type=int, default=1000)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_catalogue_list)

    cal = sub.add_parser("calendar", help="lịch ngày nghỉ, ngày làm bù")
    cs = cal.add_subparsers(dest="calendar_command", metavar="THAO_TÁC", required=True)
    p = cs.add_parser("list", help="các ngày nghỉ / làm bù trong năm")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_calendar_list)
    p = cs.add_parser("set", help="đặt một ngày là ngày nghỉ (off), làm việc (work) hoặc bỏ ghi đè (clear)")
    p.add_argument("day", help="YYYY-MM-DD")
    p.add_argument("kind", choices=["off", "work", "clear"])
    p.add_argument("--name", default="")
    p.add_argument("--source", default="")
    p.add_argument("--dry-run", action="store_true", help="chỉ liệt kê hồ sơ bị đổi hạn")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_calendar_set)

    usr = sub.add_parser("user", help="người dùng")
    us = usr.add_subparsers(dest="user_command", metavar="THAO_TÁC", required=True)
    p = us.add_parser("add")
    p.add_argument("username")
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--password", required=True)
    p.add_argument("--unit", type=int)
    p.add_argument("--title", default="")
    p.set_defaults(func=cmd_user_add)
    p = us.add_parser("list")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_user_list)

    unit = sub.add_parser("unit", help="đơn vị")
    ns = unit.add_subparsers(dest="unit_command", metavar="THAO_TÁC", required=True)
    p = ns.add_parser("add")
    p.add_argument("name")
    p.add_argument("--parent", type=int)
    p.add_argument("--kind", default="")
    p.set_defaults(func=cmd_unit_add)
    p = ns.add_parser("list")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_unit_list)


def cmd_catalogue_import(args) -> int:
    s = open_services(args)
    rep = s.catalogue.import_file(acting_user(s, args), args.file, dry_run=args.dry_run)
    if args.json:
        emit_json(rep.as_dict())
    else:
        head = "Chạy thử (không ghi): " if rep.dry_run else ""
        print(f"{head}{rep.rows} thủ tục: {rep.new} mới, {rep.updated} cập nhật, {rep.unchanged} không đổi, "
              f"{rep.needs_review} cần xác nhận.")
        for w in rep.warnings[:50]:
            print(f"  {w}")
    return 0


def cmd_catalogue_list(args) -> int:
    s = open_services(args)
    rows = s.catalogue.search(acting_user(s, args), args.search, limit=args.limit)
    if args.json:
        emit_json([r.as_dict() for r in rows])
        return 0
    for r in rows:
        flag = " (cần xác nhận)" if r.needs_review else ""
        print(f"{r.code}\t{r.durations['direct']}\t{r.field}\t{r.name}{flag}")
    return 0


def cmd_calendar_list(args) -> int:
    s = open_services(args)
    days = s.calendar.year_view(acting_user(s, args), args.year)
    if args.json:
        emit_json(days)
        return 0
    for d in days:
        kind = "làm việc" if d["working"] else "nghỉ"
        print(f"{d['date']:%d/%m/%Y}\t{kind}\t{d['reason']}")
    return 0


def cmd_calendar_set(args) -> int:
    s = open_services(args)
    actor = acting_user(s, args)
    working = {"off": False, "work": True, "clear": None}[args.kind]
    change = [DayChange(date.fromisoformat(args.day), working, args.name, args.source)]
    moves = s.calendar.preview(actor, change) if args.dry_run else s.calendar.apply(actor, change)
    if args.json:
        emit_json([m.__dict__ for m in moves])
        return 0
    verb = "sẽ đổi hạn" if args.dry_run else "đã đổi hạn"
    print(f"{len(moves)} hồ sơ đang giải quyết {verb}.")
    for m in moves:
        print(f"  {m.code}\t{m.old_due:%H:%M %d/%m/%Y} → {m.new_due:%H:%M %d/%m/%Y}\t{m.applicant}")
    return 0


def cmd_user_add(args) -> int:
    s = open_services(args)
    u = s.accounts.create_user(acting_user(s, args), args.username, args.name, args.role, args.password, args.unit, args.title)
    print(f"Đã tạo người dùng {u.username} ({u.role.label}).")
    return 0


def cmd_user_list(args) -> int:
    s = open_services(args)
    users = s.accounts.list_users(acting_user(s, args))
    if args.json:
        emit_json([{"id": u.user_id, "username": u.username, "name": u.full_name, "role": str(u.role),
                    "unit": u.unit_name} for u in users])
        return 0
    for u in users:
        print(f"{u.username}\t{u.full_name}\t{u.role.label}\t{u.unit_name}")
    return 0


def cmd_unit_add(args) -> int:
    s = open_services(args)
    uid = s.accounts.save_unit(acting_user(s, args), args.name, args.parent, args.kind)
    print(f"Đã lưu đơn vị #{uid}.")
    return 0


def cmd_unit_list(args) -> int:
    s = open_services(args)
    units = s.accounts.list_units(acting_user(s, args))
    if args.json:
        emit_json(units)
        return 0
    for u in units:
        print(f"{u['id']}\t{u['name']}\t{u['kind']}")
    return 0
