"""case import|export (the portal's Excel files) and register export (Mẫu 06 as a workbook)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from tthc_desk.cli.context import acting_user, emit_json, open_services, parse_moment
from tthc_desk.cli.filters import add_filter_arguments, queue_filter
from tthc_desk.errors import ExportFailed, ImportFailed, ValidationError
from tthc_desk.files import not_written, refuse_overwriting
from tthc_desk.services.queue_rows import QueueFilter
from tthc_desk.services.rights import Action, can
from tthc_desk.sync.columns import ColumnMapping
from tthc_desk.sync.fields import FIELD_LABELS
from tthc_desk.sync.plan import (
    CONFLICT,
    CREATE,
    KEEP_OURS,
    NEW,
    STALE,
    TAKE_FILE,
    UNCHANGED,
    UPDATED,
    changes_text,
    kept_text,
)
from tthc_desk.sync.writer import write_rejected

COUNT_WORDS = {NEW: "mới", UPDATED: "cập nhật", UNCHANGED: "không đổi", CONFLICT: "xung đột", STALE: "cũ hơn",
               "rejected": "bị từ chối"}  # fmt: skip
MAPPING_SOURCES = {"auto": "nhận ra theo tiêu đề", "remembered": "ánh xạ đã lưu", "user": "theo --mapping"}


def register_case_commands(cs) -> None:
    p = cs.add_parser("import", help="nhập danh sách hồ sơ từ tệp Excel/CSV của cổng dịch vụ công tỉnh")
    p.add_argument("file", metavar="TỆP")
    p.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
    p.add_argument("--create-missing", action="store_true",
                   help="tạo đơn vị / thủ tục chưa có (đánh dấu cần xác nhận)")
    p.add_argument("--mapping", metavar="TỆP", help="tệp JSON ánh xạ cột (đã sửa)")
    p.add_argument("--save-mapping", metavar="TỆP",
                   help="ghi ánh xạ cột tìm được ra tệp JSON (để sửa rồi dùng lại với --mapping)")
    p.add_argument("--forget-mapping", action="store_true",
                   help="bỏ ánh xạ cột đã lưu cho tệp có cùng dòng tiêu đề: đọc cột theo tên tiêu đề (khi chạy"
                        " thật, ánh xạ đã lưu bị xóa)")
    p.add_argument("--map-unit", action="append", default=[], metavar="TÊN_TRONG_TỆP=ĐƠN_VỊ",
                   help="gán đơn vị lạ cho đơn vị có sẵn (số hiệu hoặc tên), hoặc =new để tạo mới")
    p.add_argument("--map-procedure", action="append", default=[], metavar="MÃ_THỦ_TỤC=THỦ_TỤC",
                   help="gán thủ tục lạ cho thủ tục có sẵn (số hiệu, mã hoặc tên), hoặc =new để tạo mới")
    p.add_argument("--take-file", action="append", default=[], metavar="MÃ_HỒ_SƠ",
                   help="hồ sơ xung đột: lấy những gì cổng đã đổi (mặc định giữ dữ liệu của mình); các cột"
                        " bộ phận một cửa sửa sau mà tệp còn giá trị cũ vẫn giữ của mình")
    p.add_argument("--save-rejected", metavar="TỆP",
                   help="ghi các dòng bị từ chối ra tệp Excel (.xlsx) để sửa")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)

    p = cs.add_parser("export", help="xuất danh sách hồ sơ ra tệp Excel")
    p.add_argument("file", metavar="TỆP")
    p.add_argument("--changed-since", metavar="THỜI_ĐIỂM",
                   help='"YYYY-MM-DD HH:MM": hồ sơ thay đổi từ lúc này (để cập nhật lên cổng)')
    p.add_argument("--changed", action="store_true", help="hồ sơ chưa đồng bộ (thay đổi từ lần xuất trước)")
    add_filter_arguments(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_export)


def register(sub) -> None:
    reg = sub.add_parser("register", help="sổ theo dõi hồ sơ (Mẫu 06)")
    rs = reg.add_subparsers(dest="register_command", metavar="THAO_TÁC", required=True)
    p = rs.add_parser("export", help="xuất sổ theo dõi hồ sơ của một năm ra tệp Excel")
    p.add_argument("file", metavar="TỆP")
    p.add_argument("--year", type=int, required=True, metavar="NĂM")
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
    try:
        mapping = ColumnMapping.load(args.mapping) if args.mapping else None
        plan = s.sync.plan_import(actor, args.file, mapping, _pairs(args.map_unit), _pairs(args.map_procedure),
                                  args.create_missing, remembered=not args.forget_mapping)
    except ImportFailed as exc:
        return _fatal(args, [exc.message])
    out = plan.as_dict()
    if plan.fatal:  # the mapping as --mapping reads it: a program can correct it and pass it back
        out["column_mapping"] = plan.mapping.to_dict()
    if args.save_mapping:
        try:
            refuse_overwriting(args.save_mapping, args.file, "ánh xạ cột")
            plan.mapping.save(args.save_mapping, with_missing=True)
        except ExportFailed as exc:
            return _fatal(args, [exc.message], out)
        except OSError as exc:
            return _fatal(args, [not_written(Path(args.save_mapping), exc).message], out)
        out["mapping_file"] = args.save_mapping
    if args.save_rejected:
        # one table for correction: the file's header row, then every rejected row (read or matched) in order
        if plan.rejected:
            try:
                saved = write_rejected(args.save_rejected, plan.rejected, source=plan.parsed)
            except ExportFailed as exc:
                return _fatal(args, [exc.message], out)
            if saved.note:  # the file changed or went while it was read: the values read were saved
                out["rejected_note"] = saved.note
        out["rejected_file"] = args.save_rejected if plan.rejected else None
    if plan.fatal:
        if args.json:
            return _fatal(args, plan.fatal, out)
        _print_plan(plan, {**out, "dry_run": bool(args.dry_run)}, args, plan.rejected)
        return 2
    rejected = plan.rejected
    ignored = _take_file_ignored(plan, args.take_file)
    if ignored:  # said before the run: the officer asked for something it will not do
        out["take_file_ignored"] = ignored
        if not args.json:
            for item in ignored:
                print(f"Bỏ qua --take-file {item['code']}: {item['reason']}", file=sys.stderr)
            sys.stderr.flush()
    if not args.dry_run:
        decisions = {c.code: TAKE_FILE if c.code in args.take_file else KEEP_OURS for c in plan.conflicts}
        if args.forget_mapping:
            out["mapping_forgotten"] = s.sync.forget_mapping(actor, plan.mapping.signature)
        try:
            result = s.sync.run_import(actor, plan, decisions)
        except ImportFailed as exc:
            return _fatal(args, [exc.message], out)
        out["result"] = done = result.as_dict()
        # the run matched the file again under the write lock (another desk may have changed a case or added a
        # unit meanwhile): the lists, like the counts, say what it did, not what the dry run foresaw
        out.update({k: done[k] for k in ("counts", "rejected", "updates", "conflicts", "stale", "unknown_units",
                                         "unknown_procedures")})
        rejected = result.rejected  # matched again under the write lock: what was really left out
    out["dry_run"] = bool(args.dry_run)
    if args.json:
        emit_json(out)
    else:
        _print_plan(plan, out, args, rejected, None if args.dry_run else result)
        if not args.dry_run:  # by name: a procedure created from a name alone has a made-up code
            for line in result.created_lines():
                print(line)
        if out.get("mapping_forgotten"):
            print("Đã bỏ ánh xạ cột đã lưu cho tệp có dòng tiêu đề này.")
    return 0


def _take_file_ignored(plan, codes: list[str]) -> list[dict[str, str]]:
    """The codes given to --take-file that are no conflict of this file, each with why: only a conflict is
    decided; a row older than the case (the desk changed it since the portal last saw it) keeps ours."""
    conflicts = {c.code for c in plan.conflicts}
    out = []
    for code in dict.fromkeys(codes):
        if code in conflicts:
            continue
        outcome = plan.outcomes.get(code)
        if outcome is None:
            reason = "mã này không có trong tệp."
        elif outcome == STALE:
            reason = ("tệp còn ghi giá trị cũ hơn hồ sơ đang giữ (không phải xung đột); muốn đổi lại thì sửa hồ sơ"
                      " tại bộ phận một cửa.")
        else:
            reason = f"hồ sơ này không phải xung đột (\"{COUNT_WORDS.get(outcome, outcome)}\")."
        out.append({"code": code, "reason": reason})
    return out


def _fatal(args, problems: list[str], out: dict | None = None) -> int:
    if args.json:
        emit_json({**(out or {}), "fatal": problems, "importable": False})
    else:
        _print_fatal(problems)
    return 2


def _print_fatal(problems: list[str]) -> None:
    sys.stdout.flush()  # after what is already printed, also when both go to one file
    print("Không nhập tệp (không ghi gì vào cơ sở dữ liệu):", file=sys.stderr)
    for p in problems:
        print(f"  - {p}", file=sys.stderr)
    sys.stderr.flush()


def _print_plan(plan, out: dict, args, rejected: list, result=None) -> None:
    """The whole plan, every line of it: the counts, the fatal problems (on stderr), every rejected row, every
    note the reader made on a row it imports (a repaired code), what each update changes, every conflict, the
    units and procedures the file names that the database lacks. Nothing is cut: a dry run is read to decide
    whether to import, and `--json` / `--save-rejected` give the same rows for a program or a spreadsheet.

    After the real run (`result`) the lists are the run's: it matched the file again under the write lock, and
    another desk may have changed a case or added a unit since the dry run."""
    if plan.fatal:
        head = "Kiểm tra (chưa ghi)" if out["dry_run"] else "Không nhập"
    else:
        head = "Kiểm tra (chưa ghi)" if out["dry_run"] else "Đã nhập"
    mapping = plan.mapping
    rows = f"dòng tiêu đề {mapping.header_row}"
    if mapping.header_rows > 1:  # a group over sub-headers, or a row numbering the columns
        rows = f"dòng tiêu đề {mapping.first_header_row}–{mapping.header_row}"
    print(f"{head}: {plan.path.name}, {plan.parsed.where}, {rows}")
    print("  " + ", ".join(f"{COUNT_WORDS.get(k, k)}: {v}" for k, v in out["counts"].items() if k in COUNT_WORDS))
    print(f"  Bảng mã: {plan.encoding_summary()}")
    print(f"  Cột ({MAPPING_SOURCES.get(plan.mapping_source, plan.mapping_source)}): "
          + "; ".join(f"{label} ← '{header}'" for _f, label, header in mapping.describe() if header))
    missing = mapping.missing()
    if missing:  # what to write in a mapping file: each column's number, as in the file --save-mapping writes
        print("  Chưa có cột cho: " + ", ".join(FIELD_LABELS[f] for f in missing))
        columns = "; ".join(f"{i} '{h}'" for i, h in enumerate(mapping.headers) if h)
        print(f"  Các cột của tệp (số thứ tự dùng trong tệp ánh xạ): {columns}")
        if not args.save_mapping:
            print(
                "  Để chỉnh: chạy lại với --save-mapping ANH_XA.json, ghi số cột (hoặc tiêu đề) cho trường còn"
                " thiếu trong tệp đó, rồi chạy với --mapping ANH_XA.json."
            )
    if plan.fatal:
        _print_fatal(plan.fatal)
    if rejected:
        print(f"Dòng bị từ chối ({len(rejected)}):")
        for r in rejected:
            print(f"  ✗ {r.reason}")
    if plan.warnings:
        print(f"Ghi chú khi đọc tệp ({len(plan.warnings)}; dòng có giá trị được sửa khi đọc vẫn được nhập, nên sửa"
              " ở tệp gốc):")
        for note in plan.warnings:
            print(f"  · {note}")
    lists = plan if result is None else result
    units = lists.unit_names
    if lists.updates:
        print(f"{'Cập nhật' if result is None else 'Đã cập nhật'} ({len(lists.updates)}; của mình → của tệp):")
        for u in lists.updates:
            print(f"  ✎ {u.code} (dòng {u.row_number}): {changes_text(u.changes, units)}")
    if lists.conflicts:
        what = ("giữ dữ liệu của mình, trừ mã nêu ở --take-file" if result is None else
                f"đã giữ dữ liệu của mình: {len(result.conflicts_kept)}, đã lấy theo tệp: {len(result.conflicts_taken)}")
        print(f"Xung đột ({len(lists.conflicts)}): hồ sơ đã sửa tại bộ phận một cửa sau lần đồng bộ trước, tệp cũng "
              f"khác; {what} (của mình → của tệp):")
        for c in lists.conflicts:
            if result is None:
                taken = " [lấy theo tệp]" if c.code in args.take_file else ""
            else:
                taken = " [đã lấy theo tệp]" if c.decision == TAKE_FILE else " [đã giữ của mình]"
            kept = f"; {kept_text(c.kept)}" if c.kept else ""
            print(f"  ⚠ Xung đột {c.code} (dòng {c.row_number}){taken}: {changes_text(c.changes, units)}{kept}")
    if lists.stale:  # the portal's copy is older: nothing to decide, but the officer may ask why a case stays
        print(f"Tệp cũ hơn ({len(lists.stale)}; giữ nguyên dữ liệu của mình): " + ", ".join(lists.stale))
    for title, kind, option in (("Đơn vị chưa có trong danh sách đơn vị", "unit", "--map-unit"),
                                ("Thủ tục chưa có trong danh mục", "procedure", "--map-procedure")):
        lines = _unknown_lines(plan, result, kind, option)
        if lines:
            print(f"{title} ({len(lines)}):")
            for line in lines:
                print(f"  ? {line}")
    if args.save_mapping:
        name = args.save_mapping
        print(f"Đã lưu ánh xạ cột vào {name} (sửa rồi nhập lại với --mapping {name}).")
    if args.save_rejected:
        if plan.rejected:
            print(f"Đã lưu {len(plan.rejected)} dòng bị từ chối vào {args.save_rejected} (sửa rồi nhập lại tệp đó).")
            if out.get("rejected_note"):
                print(f"  {out['rejected_note']}")
        else:
            print(f"Không có dòng bị từ chối: không ghi {args.save_rejected}.")


def _unknown_lines(plan, result, kind: str, option: str) -> list[str]:
    """The units (or procedures) the file names that the list lacks, each with what will be done with it or,
    after the real run (`result`), what was: one the dry run found missing that the run found (another desk
    added it meanwhile) was used as it is, and nothing was created for it."""
    planned = plan.unknown_units if kind == "unit" else plan.unknown_procedures
    if result is None:
        return [f"{_unknown_name(u)} ({_rows_text(u.rows)}): {_resolution_text(plan.unit_names, u, option)}"
                for u in planned]
    ran = {u.key: u for u in (result.unknown_units if kind == "unit" else result.unknown_procedures)}
    found = ("lúc nhập đã có trong danh sách đơn vị (được thêm sau khi kiểm tra): dùng đơn vị đó, không tạo mới"
             if kind == "unit" else
             "lúc nhập đã có trong danh mục (được thêm sau khi kiểm tra): dùng thủ tục đó, không tạo mới")
    lines = [f"{_unknown_name(u)} ({_rows_text(u.rows)}): {found}" for u in planned if u.key not in ran]
    lines[:0] = [f"{_unknown_name(u)} ({_rows_text(u.rows)}): {_resolution_text(result.unit_names, u, option, True)}"
                 for u in ran.values()]
    return lines


def _unknown_name(unknown) -> str:
    return " — ".join(x for x in (unknown.code, unknown.name) if x) or unknown.key


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(n) for n in rows[:20])
    more = f" và {len(rows) - 20} dòng khác" if len(rows) > 20 else ""
    return f"{'dòng' if len(rows) == 1 else f'{len(rows)} dòng:'} {shown}{more}"


def _resolution_text(units: dict[int, str], unknown, option: str, done: bool = False) -> str:
    resolution = unknown.resolution
    if resolution is None:
        what = "SỐ_HIỆU hoặc TÊN" if unknown.kind == "unit" else "SỐ_HIỆU hoặc MÃ"
        return f'chưa chọn ({option} "{unknown.key}={what}" hoặc --create-missing)'
    if resolution == CREATE:
        return "đã tạo mới (cần xác nhận)" if done else "sẽ tạo mới (cần xác nhận)"
    if unknown.kind == "unit" and isinstance(resolution, int):
        return f"gán cho đơn vị #{resolution} {units.get(resolution, '')}".rstrip()
    return f"gán cho #{resolution}"


def cmd_export(args) -> int:
    s = open_services(args)
    actor = acting_user(s, args)
    if args.changed or args.changed_since:
        if replace(queue_filter(s, actor, args), open_only=True) != QueueFilter():
            raise ValidationError("--changed / --changed-since xuất mọi hồ sơ thay đổi để cập nhật lên cổng và "
                                  "đánh dấu đã đồng bộ; không dùng kèm bộ lọc hàng đợi (--unit, --colour, …).")
        since = parse_moment(args.changed_since) if args.changed_since else None
        last = s.sync.last_export(actor) if since is None else None
        count = s.sync.export_changed(actor, args.file, since)
        if not can(actor.role, Action.IMPORT_CASES):
            what = "hồ sơ thay đổi (bản để xem: không đánh dấu đã đồng bộ, việc đó do cán bộ tiếp nhận làm)"
        elif since is not None:
            what = f"hồ sơ thay đổi từ {since:%H:%M %d/%m/%Y}"
        elif last is not None:
            what = f"hồ sơ chưa đồng bộ (thay đổi từ lần xuất trước lúc {last:%H:%M %d/%m/%Y})"
        else:
            what = "hồ sơ chưa đồng bộ (chưa từng xuất lên cổng)"
        out = {"file": args.file, "count": count, "since": since or last}
    else:
        count = s.sync.export_cases(actor, args.file, queue_filter(s, actor, args))
        what, out = "hồ sơ", {"file": args.file, "count": count}
    if args.json:
        emit_json(out)
    else:
        print(f"Đã ghi {count} {what} vào {args.file}")
    return 0


def cmd_register_export(args) -> int:
    s = open_services(args)
    count = s.sync.export_register(acting_user(s, args), args.file, args.year)
    print(f"Đã ghi sổ theo dõi năm {args.year}: {count} hồ sơ vào {args.file}")
    return 0
