"""catalogue, calendar, user, unit."""

from __future__ import annotations

from datetime import date

from tthc_desk.cli.context import acting_user, emit_json, open_services, parse_number, parse_paper
from tthc_desk.cli.filters import unit_id
from tthc_desk.cli.setup_cmds import UNIT_WORDS
from tthc_desk.domain import Channel, DurationUnit, Role, SupplementMode
from tthc_desk.errors import NotFound, ValidationError
from tthc_desk.services.calendar_service import DayChange
from tthc_desk.services.catalogue import CHANNELS
from tthc_desk.text import clean

NONE_WORDS = ("none", "không")  # "no unit", "no time allowed", "the office's setting"


def register(sub) -> None:
    cat = sub.add_parser("catalogue", help="danh mục thủ tục hành chính")
    cs = cat.add_subparsers(dest="catalogue_command", metavar="THAO_TÁC", required=True)
    p = cs.add_parser("import", help="nhập danh mục từ tệp CSV/Excel")
    p.add_argument("file", metavar="TỆP")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_catalogue_import)
    p = cs.add_parser("list", help="liệt kê thủ tục")
    p.add_argument("--search", default="", metavar="TỪ_KHÓA")
    p.add_argument("--limit", type=int, default=1000, metavar="SỐ_DÒNG")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_catalogue_list)
    p = cs.add_parser("show", help="xem một thủ tục: thời hạn, thành phần hồ sơ, quy trình")
    p.add_argument("code", metavar="MÃ_THỦ_TỤC")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_catalogue_show)
    p = cs.add_parser("set", help="sửa một thủ tục (chỉ các mục được nêu; các mục khác giữ nguyên)")
    p.add_argument("code", metavar="MÃ_THỦ_TỤC")
    p.add_argument("--new-code", metavar="MÃ_THỦ_TỤC", help="đổi mã thủ tục")
    p.add_argument("--name", metavar="TÊN", help="tên thủ tục")
    p.add_argument("--field", metavar="LĨNH_VỰC", help="lĩnh vực")
    for ch in CHANNELS:
        p.add_argument(f"--{ch}", metavar="THỜI_HẠN",
                       help=f'thời hạn {Channel(ch).label.lower()}: "SỐ ĐƠN_VỊ_TÍNH" (ví dụ "3 working_days", "4 wh"), '
                            '"same_day" hoặc "none" (chưa xác định)')
    p.add_argument("--lead-unit", metavar="ĐƠN_VỊ", help='đơn vị chủ trì (số hiệu hoặc tên; "none" để bỏ)')
    p.add_argument("--fee", metavar="PHÍ", help="phí, lệ phí")
    p.add_argument("--warning-hours", metavar="SỐ_GIỜ",
                   help="cảnh báo sắp đến hạn trước bao nhiêu giờ làm việc (0: theo cơ quan)")
    p.add_argument("--supplement-mode", choices=[*(str(m) for m in SupplementMode), "office"],
                   help="khi bổ sung hồ sơ: restart, pause, hoặc office (theo cài đặt của cơ quan)")
    papers = p.add_mutually_exclusive_group()
    papers.add_argument("--paper", action="append", metavar="GIẤY_TỜ",
                        help='thành phần hồ sơ "Tên:bản chính:bản sao CT:bản photo", lặp lại (thay cả danh sách)')
    papers.add_argument("--clear-papers", action="store_true", help="xóa thành phần hồ sơ")
    steps = p.add_mutually_exclusive_group()
    steps.add_argument("--step", action="append", metavar="BƯỚC",
                       help='bước quy trình "Tên bước|đơn vị (số hiệu hoặc tên)|số ngày", lặp lại (thay cả danh sách)')
    steps.add_argument("--clear-steps", action="store_true", help="xóa quy trình nội bộ")
    review = p.add_mutually_exclusive_group()
    review.add_argument("--confirm", action="store_true", help="xác nhận thủ tục (bỏ đánh dấu “cần xác nhận”)")
    review.add_argument("--unconfirm", action="store_true", help="đánh dấu “cần xác nhận”")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_catalogue_set)

    cal = sub.add_parser("calendar", help="lịch ngày nghỉ, ngày làm bù")
    cs = cal.add_subparsers(dest="calendar_command", metavar="THAO_TÁC", required=True)
    p = cs.add_parser("list", help="các ngày nghỉ / làm bù trong năm")
    p.add_argument("--year", type=int, required=True, metavar="NĂM")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_calendar_list)
    p = cs.add_parser("set", help="đặt một ngày là ngày nghỉ (off), làm việc (work) hoặc bỏ ghi đè (clear)")
    p.add_argument("day", metavar="NGÀY", help="YYYY-MM-DD")
    p.add_argument("kind", choices=["off", "work", "clear"])
    p.add_argument("--name", default="", metavar="TÊN", help="tên ngày nghỉ / ngày làm bù")
    p.add_argument("--source", default="", metavar="NGUỒN", help="nguồn, ví dụ văn bản thông báo nghỉ")
    p.add_argument("--dry-run", action="store_true", help="chỉ liệt kê hồ sơ bị đổi hạn")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_calendar_set)

    usr = sub.add_parser("user", help="người dùng")
    us = usr.add_subparsers(dest="user_command", metavar="THAO_TÁC", required=True)
    p = us.add_parser("add")
    p.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP")
    p.add_argument("--name", required=True, metavar="HỌ_TÊN")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--password", required=True, metavar="MẬT_KHẨU")
    p.add_argument("--unit", type=int, metavar="SỐ_HIỆU", help="số hiệu đơn vị")
    p.add_argument("--title", default="", metavar="CHỨC_DANH")
    p.set_defaults(func=cmd_user_add)
    p = us.add_parser("list")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_user_list)
    p = us.add_parser("password", help="đặt lại mật khẩu của một người dùng")
    p.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP")
    p.add_argument("--password", required=True, metavar="MẬT_KHẨU", help="mật khẩu mới (ít nhất 6 ký tự)")
    p.set_defaults(func=cmd_user_password)
    p = us.add_parser("set", help="đổi vai trò, đơn vị, khóa / mở tài khoản (các mục không nêu giữ nguyên)")
    p.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP")
    p.add_argument("--role", choices=[r.value for r in Role])
    p.add_argument("--unit", metavar="ĐƠN_VỊ", help='đơn vị (số hiệu hoặc tên; "none" để bỏ)')
    p.add_argument("--active", choices=["yes", "no"], help="no: khóa tài khoản; yes: mở lại")
    p.set_defaults(func=cmd_user_set)

    unit = sub.add_parser("unit", help="đơn vị")
    ns = unit.add_subparsers(dest="unit_command", metavar="THAO_TÁC", required=True)
    p = ns.add_parser("add")
    p.add_argument("name", metavar="TÊN", help="tên đơn vị")
    p.add_argument("--parent", type=int, metavar="SỐ_HIỆU", help="số hiệu đơn vị cấp trên")
    p.add_argument("--kind", default="", metavar="LOẠI", help="loại, ví dụ phòng ban")
    p.set_defaults(func=cmd_unit_add)
    p = ns.add_parser("list")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_unit_list)
    p = ns.add_parser("set", help="sửa một đơn vị (các mục không nêu giữ nguyên)")
    p.add_argument("id", metavar="ĐƠN_VỊ", help="số hiệu hoặc tên đơn vị")
    p.add_argument("--name", metavar="TÊN", help="tên đơn vị")
    p.add_argument("--parent", metavar="ĐƠN_VỊ",
                   help='đơn vị cấp trên (số hiệu hoặc tên; "none": cấp cao nhất)')
    p.add_argument("--kind", metavar="LOẠI", help="loại, ví dụ phòng ban")
    p.add_argument("--code", metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị")
    p.set_defaults(func=cmd_unit_set)


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


# ----- one procedure ---------------------------------------------------------------------------------
def procedure_dict(p) -> dict:
    """A procedure for `--json`: its fields, and each channel's time allowed both as words and as values."""
    return {**p.as_dict(), "duration_values": {ch: {"amount": a, "unit": u} for ch, (a, u) in p.raw.items()}}


def cmd_catalogue_show(args) -> int:
    s = open_services(args)
    actor = acting_user(s, args)
    p = s.catalogue.get(actor, code=args.code)
    if args.json:
        emit_json(procedure_dict(p))
        return 0
    units = {u["id"]: u["name"] for u in s.accounts.list_units(actor)}
    lines = [f"Mã thủ tục:            {p.code}", f"Tên thủ tục:           {p.name}", f"Lĩnh vực:              {p.field}",
             f"Cấp thực hiện:         {p.levels}", f"Quyết định công bố:    {p.decision}"]
    lines += [f"Thời hạn — {Channel(ch).label.lower() + ':':<18} {p.durations[ch]}" for ch in CHANNELS]
    lead = f"{units.get(p.lead_unit_id, '?')} (#{p.lead_unit_id})" if p.lead_unit_id else "(chưa chọn)"
    lines += [f"Đơn vị chủ trì:        {lead}",
              f"Khi bổ sung hồ sơ:     {p.supplement_mode or 'theo cài đặt của cơ quan'}",
              "Cảnh báo sắp đến hạn:  " + (f"{p.warning_minutes // 60} giờ làm việc" if p.warning_minutes
                                           else "theo cài đặt của cơ quan"),
              f"Phí, lệ phí:           {p.fee}",
              "Cần xác nhận:          " + ((p.review_note or "có") if p.needs_review else "không (đã xác nhận)"),
              "Thành phần hồ sơ (tên:bản chính:bản sao CT:bản photo):" + ("" if p.papers else " (chưa có)")]
    lines += [f"  {x['name']}:{x.get('originals', 0)}:{x.get('certified', 0)}:{x.get('photocopies', 0)}"
              for x in p.papers]
    lines.append("Quy trình nội bộ (bước|đơn vị|số ngày):" + ("" if p.workflow else " (chưa có)"))
    lines += [f"  {st.get('name', '')}|{units.get(st.get('unit_id'), st.get('unit', ''))}|{st.get('days', 0):g}"
              for st in p.workflow]
    print("\n".join(lines))
    return 0


def cmd_catalogue_set(args) -> int:
    s = open_services(args)
    actor = acting_user(s, args)
    p = s.catalogue.get(actor, code=args.code)
    options = (args.new_code, args.name, args.field, args.direct, args.online, args.post, args.lead_unit, args.fee,
               args.warning_hours, args.supplement_mode, args.paper)
    if all(o is None for o in options) and not (args.clear_papers or args.step is not None or args.clear_steps
                                                or args.confirm or args.unconfirm):
        raise ValidationError("Chưa nêu mục nào cần sửa (xem: catalogue set --help).")
    # as the window's dialog: every field read from the stored procedure, the options replacing their own
    durations = {ch: tuple(p.raw[ch]) for ch in CHANNELS}
    for ch in CHANNELS:
        if getattr(args, ch) is not None:
            durations[ch] = parse_duration(getattr(args, ch), ch)
    papers = p.papers
    if args.paper is not None:
        papers = [parse_paper(text) for text in args.paper]
    elif args.clear_papers:
        papers = []
    workflow = p.workflow
    if args.step is not None:
        names = {u["id"]: u["name"] for u in s.accounts.list_units(actor)}
        workflow = [parse_step(s, actor, text, names) for text in args.step]
    elif args.clear_steps:
        workflow = []
    supplement = p.supplement_mode
    if args.supplement_mode is not None:
        supplement = None if args.supplement_mode == "office" else args.supplement_mode
    warning = p.warning_minutes
    if args.warning_hours is not None:
        warning = _procedure_warning_hours(args.warning_hours) * 60 or None
    lead = p.lead_unit_id if args.lead_unit is None else unit_or_none(s, actor, args.lead_unit)
    confirmed = True if args.confirm else False if args.unconfirm else not p.needs_review
    pid = s.catalogue.save(
        actor, p.id, code=p.code if args.new_code is None else args.new_code,
        name=p.name if args.name is None else args.name, field_name=p.field if args.field is None else args.field,
        durations=durations, papers=papers, lead_unit_id=lead, workflow=workflow, supplement_mode=supplement,
        warning_minutes=warning, fee=p.fee if args.fee is None else args.fee, confirmed=confirmed)
    saved = s.catalogue.get(actor, procedure_id=pid)
    if args.json:
        emit_json(procedure_dict(saved))
        return 0
    state = "cần xác nhận" if saved.needs_review else "đã xác nhận"
    print(f"Đã lưu thủ tục {saved.code} ({state}); thời hạn trực tiếp: {saved.durations['direct']}.")
    return 0


def parse_duration(text: str, channel: str) -> tuple[float | None, str | None]:
    """'3 working_days', '4 wh', '1,5 ngay', 'same_day', 'none' as (amount, unit) for CatalogueService.save."""
    words = clean(text).lower().split()
    if len(words) == 1 and words[0] in NONE_WORDS:
        return None, None
    unit = UNIT_WORDS.get(words[-1]) if 1 <= len(words) <= 2 else None
    if unit is DurationUnit.SAME_DAY:
        return None, str(unit)
    amount = parse_number(words[0]) if unit is not None and len(words) == 2 else None
    if amount is None or amount < 0:
        raise ValidationError(
            f"Thời hạn {Channel(channel).label.lower()} '{text}' không hợp lệ: ghi \"SỐ ĐƠN_VỊ\" với ĐƠN_VỊ là "
            "working_days (wd), working_hours (wh), calendar_days (cd), hoặc ghi same_day, none.",
            field=f"{channel}_amount")
    return amount, str(unit)


def parse_step(s, actor, text: str, names: dict[int, str]) -> dict:
    """'Thẩm định|Phòng Tư pháp|3' as a workflow step the window stores (name, unit id and name, days)."""
    parts = [clean(x) for x in text.split("|")]
    days = parse_number(parts[2]) if len(parts) > 2 and parts[2] else 0.0
    if not parts[0] or len(parts) > 3 or days is None or days < 0:
        raise ValidationError(f"Bước quy trình '{text}' ghi dạng \"Tên bước|đơn vị|số ngày\".", field="workflow")
    uid = unit_or_none(s, actor, parts[1]) if len(parts) > 1 and parts[1] else None
    return {"name": parts[0], "unit_id": uid, "days": days, "unit": names.get(uid, "")}


def _procedure_warning_hours(text: str) -> int:
    if clean(text).lower() in (*NONE_WORDS, "office"):
        return 0
    hours = parse_number(text)
    if hours is None or hours != int(hours) or not 0 <= hours <= 240:
        raise ValidationError("Cảnh báo sắp đến hạn là số giờ làm việc từ 0 đến 240 (0: theo cài đặt của cơ quan).",
                              field="warning_minutes")
    return int(hours)


def unit_or_none(s, actor, text: str) -> int | None:
    """A unit by its number or name; 'none' for no unit."""
    return None if clean(text).lower() in NONE_WORDS else unit_id(s, actor, clean(text))


# ----- one user, one unit ----------------------------------------------------------------------------
def account(s, actor, username: str):
    """The user of this login name (active or locked)."""
    name = clean(username).lower()
    for u in s.accounts.list_accounts(actor):
        if u.username == name:
            return u
    raise NotFound(f"Không có người dùng '{username}'.")


def cmd_user_password(args) -> int:
    s = open_services(args)
    actor = acting_user(s, args)
    u = account(s, actor, args.username)
    s.accounts.reset_password(actor, u.user_id, args.password)
    print(f"Đã đặt mật khẩu mới cho {u.username}.")
    return 0


def cmd_user_set(args) -> int:
    if args.role is None and args.unit is None and args.active is None:
        raise ValidationError("Chưa nêu mục nào cần sửa (--role, --unit, --active).")
    s = open_services(args)
    actor = acting_user(s, args)
    u = account(s, actor, args.username)
    role = u.role if args.role is None else Role(args.role)
    unit = u.unit_id if args.unit is None else unit_or_none(s, actor, args.unit)
    active = u.active if args.active is None else args.active == "yes"
    s.accounts.set_role(actor, u.user_id, role, unit, active)
    u = account(s, actor, u.username)
    print(f"Đã lưu người dùng {u.username}: {u.role.label}, đơn vị {u.unit_name or '(không)'}, "
          f"{'đang dùng' if u.active else 'đã khóa'}.")
    return 0


def cmd_unit_set(args) -> int:
    if all(v is None for v in (args.name, args.parent, args.kind, args.code)):
        raise ValidationError("Chưa nêu mục nào cần sửa (--name, --parent, --kind, --code).")
    s = open_services(args)
    actor = acting_user(s, args)
    uid = unit_id(s, actor, clean(args.id))
    unit = next(u for u in s.accounts.list_units(actor) if u["id"] == uid)
    parent = unit["parent_id"] if args.parent is None else unit_or_none(s, actor, args.parent)
    s.accounts.save_unit(actor, unit["name"] if args.name is None else args.name, parent,
                         unit["kind"] if args.kind is None else args.kind, unit_id=uid,
                         code=unit["code"] if args.code is None else args.code)
    print(f"Đã lưu đơn vị #{uid}.")
    return 0
