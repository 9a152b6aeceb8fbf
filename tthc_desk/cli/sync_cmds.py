"""case import|export (the portal's Excel files) and register export (Mẫu 06 as a workbook)."""

from __future__ import annotations

import sys
from dataclasses import replace

from tthc_desk.cli.context import acting_user, emit_json, open_services, parse_moment
from tthc_desk.cli.filters import add_filter_arguments, queue_filter
from tthc_desk.errors import ImportFailed, ValidationError
from tthc_desk.services.queue_rows import QueueFilter
from tthc_desk.sync.columns import ColumnMapping
from tthc_desk.sync.service_model import CONFLICT, KEEP_OURS, NEW, STALE, TAKE_FILE, UNCHANGED, UPDATED
from tthc_desk.sync.writer import write_rejected

COUNT_WORDS = {NEW: "mới", UPDATED: "cập nhật", UNCHANGED: "không đổi", CONFLICT: "xung đột", STALE: "cũ hơn",
               "rejected": "bị từ chối"}  # fmt: skip


def register_case_commands(cs) -> None:
    p = cs.add_parser("import", help="nhập danh sách hồ sơ từ tệp Excel/CSV của cổng dịch vụ công tỉnh")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
    p.add_argument("--create-missing", action="store_true",
                   help="tạo đơn vị / thủ tục chưa có (đánh dấu cần xác nhận)")
    p.add_argument("--mapping", help="tệp JSON ánh xạ cột (đã sửa)")
    p.add_argument("--map-unit", action="append", default=[], metavar="TÊN=ID", help="gán đơn vị lạ cho đơn vị có sẵn")
    p.add_argument("--map-procedure", action="append", default=[], metavar="MÃ=ID", help="gán thủ tục lạ")
    p.add_argument("--take-file", action="append", default=[], metavar="MÃ_HỒ_SƠ",
                   help="hồ sơ xung đột: lấy dữ liệu của tệp (mặc định giữ dữ liệu của mình)")
    p.add_argument("--save-rejected", metavar="FILE.xlsx", help="ghi các dòng bị từ chối ra tệp để sửa")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)

    p = cs.add_parser("export", help="xuất danh sách hồ sơ ra tệp Excel")
    p.add_argument("file")
    p.add_argument("--changed-since", help='"YYYY-MM-DD HH:MM": hồ sơ thay đổi từ lúc này (để cập nhật lên cổng)')
    p.add_argument("--changed", action="store_true", help="hồ sơ chưa đồng bộ (thay đổi từ lần xuất trước)")
    add_filter_arguments(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_export)


def register(sub) -> None:
    reg = sub.add_parser("register", help="sổ theo dõi hồ sơ (Mẫu 06)")
    rs = reg.add_subparsers(dest="register_command", metavar="THAO_TÁC", required=True)
    p = rs.add_parser("export", help="xuất sổ theo dõi hồ sơ của một năm ra tệp Excel")
    p.add_argument("file")
    p.add_argument("--year", type=int, required=True)
    p.set_defaults(func=cmd_register_export)


def _pairs(items: list[str]) -> dict[str, int | str]:
    out: dict[str, int | str] = {}
    for item in items:
        key, _, value = item.rpartition("=")
        out[key.strip()] = int(value) if value.strip().isdigit() else value.strip()
    return out


def cmd_import(args) -> int:
    s = open_services(args)
    actor = acting_user(s, args)
    mapping = ColumnMapping.load(args.mapping) if args.mapping else None
    try:
        plan = s.sync.plan_import(actor, args.file, mapping, _pairs(args.map_unit), _pairs(args.map_procedure),
                                  args.create_missing)
    except ImportFailed as exc:
        return _fatal(args, [exc.message])
    if args.save_rejected and plan.rejected:
        write_rejected(args.save_rejected, plan.rejected)
    out = plan.as_dict()
    if plan.fatal:
        return _fatal(args, plan.fatal, out)
    if not args.dry_run:
        decisions = {c.code: TAKE_FILE if c.code in args.take_file else KEEP_OURS for c in plan.conflicts}
        try:
            result = s.sync.run_import(actor, plan, decisions)
        except ImportFailed as exc:
            return _fatal(args, [exc.message], out)
        out["result"] = result.as_dict()
        out["counts"] = result.counts
    out["dry_run"] = bool(args.dry_run)
    if args.json:
        emit_json(out)
    else:
        _print_plan(plan, out)
    return 0


def _fatal(args, problems: list[str], out: dict | None = None) -> int:
    if args.json:
        emit_json({**(out or {}), "fatal": problems, "importable": False})
    else:
        print("Không nhập tệp (không ghi gì vào cơ sở dữ liệu):", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
    return 2


def _print_plan(plan, out: dict) -> None:
    head = "Kiểm tra (chưa ghi)" if out["dry_run"] else "Đã nhập"
    print(f"{head}: {plan.path.name}, trang '{plan.parsed.sheet_name}', dòng tiêu đề {plan.header_row}")
    print("  " + ", ".join(f"{COUNT_WORDS.get(k, k)}: {v}" for k, v in out["counts"].items() if k in COUNT_WORDS))
    print(f"  Bảng mã: {plan.encoding_summary()}")
    for r in plan.rejected[:50]:
        print(f"  ✗ {r.reason}")
    for c in plan.conflicts[:50]:
        print(f"  ⚠ Xung đột {c.code} (dòng {c.row_number}): " + ", ".join(c.changes))


def cmd_export(args) -> int:
    s = open_services(args)
    actor = acting_user(s, args)
    if args.changed or args.changed_since:
        if replace(queue_filter(s, actor, args), open_only=True) != QueueFilter():
            raise ValidationError("--changed / --changed-since xuất mọi hồ sơ thay đổi để cập nhật lên cổng và "
                                  "đánh dấu đã đồng bộ; không dùng kèm bộ lọc hàng đợi (--unit, --colour, …).")
        since = parse_moment(args.changed_since) if args.changed_since else None
        count = s.sync.export_changed(actor, args.file, since)
    else:
        count = s.sync.export_cases(actor, args.file, queue_filter(s, actor, args))
    if args.json:
        emit_json({"file": args.file, "count": count})
    else:
        print(f"Đã ghi {count} hồ sơ vào {args.file}")
    return 0


def cmd_register_export(args) -> int:
    s = open_services(args)
    count = s.sync.export_register(acting_user(s, args), args.file, args.year)
    print(f"Đã ghi sổ theo dõi năm {args.year}: {count} hồ sơ vào {args.file}")
    return 0
