"""case new|show|<action>, queue."""

from __future__ import annotations

import uuid

from tthc_desk.cli.context import acting_user, emit_json, open_services, parse_moment, parse_paper
from tthc_desk.cli.filters import add_filter_arguments, queue_filter, unit_id
from tthc_desk.domain import Channel
from tthc_desk.services.intake import IntakeForm, PaperCount


def register(sub) -> None:
    case = sub.add_parser("case", help="hồ sơ: tiếp nhận, xem, các thao tác")
    cs = case.add_subparsers(dest="case_command", metavar="THAO_TÁC", required=True)

    p = cs.add_parser("new", help="tiếp nhận hồ sơ mới")
    p.add_argument("--procedure", required=True, metavar="MÃ_THỦ_TỤC", help="mã thủ tục, ví dụ 1.001193")
    p.add_argument("--applicant", required=True, metavar="HỌ_TÊN", help="họ tên người nộp")
    p.add_argument("--id-number", default="", metavar="SỐ_CCCD", help="số CCCD 12 chữ số")
    p.add_argument("--phone", default="", metavar="ĐIỆN_THOẠI")
    p.add_argument("--email", default="", metavar="THƯ_ĐIỆN_TỬ")
    p.add_argument("--address", default="", metavar="ĐỊA_CHỈ")
    p.add_argument("--owner", default="", metavar="HỌ_TÊN", help="chủ hồ sơ nếu khác người nộp")
    p.add_argument("--channel", default="direct", choices=[c.value for c in Channel])
    p.add_argument("--paper", action="append", default=[], metavar="GIẤY_TỜ",
                   help='"Tên giấy tờ:bản chính:bản sao CT:bản photo"')
    p.add_argument("--sets", type=int, default=1, metavar="SỐ_BỘ")
    p.add_argument("--received", metavar="THỜI_ĐIỂM", help='"YYYY-MM-DD HH:MM" (mặc định: bây giờ)')
    p.add_argument("--code", default="", metavar="MÃ_HỒ_SƠ",
                   help="mã hồ sơ do cổng tỉnh cấp (hồ sơ trực tuyến)")
    p.add_argument("--token", metavar="KHÓA", help="khóa chống lưu trùng (mặc định: ngẫu nhiên)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_new)

    p = cs.add_parser("show", help="xem toàn bộ hồ sơ")
    p.add_argument("code", metavar="MÃ_HỒ_SƠ")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    def action(name, help_text, func, *extra):
        p = cs.add_parser(name, help=help_text)
        p.add_argument("code", metavar="MÃ_HỒ_SƠ")
        for flag, kw in extra:
            p.add_argument(flag, **kw)
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=func)

    action("transfer", "chuyển xử lý đến đơn vị", cmd_transfer,
           ("--unit", {"required": True, "metavar": "ĐƠN_VỊ", "help": "tên hoặc số hiệu đơn vị"}),
           ("--share-days", {"type": float, "metavar": "SỐ_NGÀY",
                             "help": "thời gian của bước (ngày làm việc)"}),
           ("--note", {"default": "", "metavar": "GHI_CHÚ"}))
    action("supplement", "yêu cầu bổ sung hồ sơ", cmd_supplement,
           ("--reason", {"required": True, "metavar": "LÝ_DO"}),
           ("--missing", {"action": "append", "default": [], "metavar": "GIẤY_TỜ"}))
    action("resume", "nhận bổ sung", cmd_resume, ("--note", {"default": "", "metavar": "GHI_CHÚ"}))
    action("result", "có kết quả", cmd_result, ("--note", {"default": "", "metavar": "GHI_CHÚ"}))
    action("return", "trả kết quả", cmd_return, ("--note", {"default": "", "metavar": "GHI_CHÚ"}))
    action("refuse", "từ chối", cmd_refuse, ("--reason", {"required": True, "metavar": "LÝ_DO"}))
    action("withdraw", "rút hồ sơ", cmd_withdraw, ("--reason", {"required": True, "metavar": "LÝ_DO"}))
    action("stop", "dừng xử lý", cmd_stop, ("--reason", {"required": True, "metavar": "LÝ_DO"}))
    action("extend", "xin lỗi và hẹn lại", cmd_extend, ("--reason", {"required": True, "metavar": "LÝ_DO"}),
           ("--new-due", {"required": True, "metavar": "THỜI_ĐIỂM", "help": '"YYYY-MM-DD HH:MM"'}),
           ("--letter-number", {"default": "", "metavar": "SỐ_VĂN_BẢN"}))
    action("correct", "sửa thông tin người nộp / chủ hồ sơ nhập sai (chỉ các trường được ghi)", cmd_correct,
           ("--reason", {"required": True, "metavar": "LÝ_DO"}),
           *((flag, {"dest": key, "metavar": metavar, "help": words})
             for flag, key, metavar, words in _CORRECT_FLAGS))

    try:  # case import / case export (the portal sync)
        from tthc_desk.cli.sync_cmds import register_case_commands
    except ModuleNotFoundError as exc:
        if exc.name != "tthc_desk.cli.sync_cmds":
            raise
    else:
        register_case_commands(cs)

    q = sub.add_parser("queue", help="hàng đợi hồ sơ đang giải quyết")
    add_filter_arguments(q)
    q.add_argument("--limit", type=int, default=200, metavar="SỐ_DÒNG")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_queue)


def cmd_new(args) -> int:
    s = open_services(args)
    actor = acting_user(s, args)
    proc = s.catalogue.get(actor, code=args.procedure)
    form = IntakeForm(
        procedure_id=proc.id, applicant_name=args.applicant, applicant_id_number=args.id_number,
        applicant_phone=args.phone, applicant_email=args.email, applicant_address=args.address,
        owner_name=args.owner, channel=args.channel, papers=[PaperCount(**parse_paper(p)) for p in args.paper], sets_count=args.sets,
        received_at=parse_moment(args.received) if args.received else None, code=args.code,
        intake_token=args.token or uuid.uuid4().hex,
    )
    res = s.intake.register(actor, form)
    if args.json:
        emit_json({"code": res.code, "created": res.created, "register_number": res.register_number,
                   "due_at": res.due_at.isoformat(), "trace": res.trace.as_dict()})
    else:
        print(f"{res.code}\thẹn trả {res.due_at:%H:%M %d/%m/%Y}\tsố thứ tự {res.register_number}")
    return 0


def cmd_show(args) -> int:
    s = open_services(args)
    d = s.casefile.detail(acting_user(s, args), args.code)
    if args.json:
        emit_json(d.as_dict())
        return 0
    print(f"Mã hồ sơ: {d.code}   Trạng thái: {d.status.label}   {d.remaining_text}")
    print(f"Thủ tục: {d.procedure_code} {d.procedure_name} ({d.rule_text})")
    print(f"Người nộp: {d.applicant['name']}  CCCD {d.applicant['id_number']}  ĐT {d.applicant['phone']}")
    print(f"Tiếp nhận: {d.received_at:%H:%M %d/%m/%Y}   Hẹn trả: {_fmt(d.due_at)}   Hạn gốc: {_fmt(d.original_due_at)}")
    book = (f"Sổ theo dõi năm {d.register_year}, số {d.register_number}" if d.register_number
            else "Sổ theo dõi: không có số" + (" (hồ sơ nhập từ tệp)" if d.source == "import" else ""))
    print(f"Đơn vị đang giữ: {d.current_unit or '—'}   {book}")
    print("Lịch sử:")
    for e in d.events:
        print(f"  {e.seq:>2}. {e.at:%H:%M %d/%m/%Y}  {e.label}  — {e.user_name} ({e.unit_name})")
    if d.trace:
        print("Vì sao có hạn này:")
        print("  " + d.trace.text().replace("\n", "\n  "))
    return 0


def _fmt(v) -> str:
    return f"{v:%H:%M %d/%m/%Y}" if v else "—"


def _outcome(args, out) -> int:
    if args.json:
        emit_json({"code": out.code, "status": str(out.status), "due_at": out.due_at, "warning": out.warning})
    else:
        print(f"{out.code}\t{out.status.label}\thẹn trả {_fmt(out.due_at)}")
        if out.warning:
            print(f"Lưu ý: {out.warning}")
    return 0


def cmd_transfer(args) -> int:
    s = open_services(args)
    actor = acting_user(s, args)
    return _outcome(args, s.workflow.transfer(actor, args.code, unit_id(s, actor, args.unit), args.share_days, args.note))


def cmd_supplement(args) -> int:
    s = open_services(args)
    return _outcome(args, s.workflow.request_supplement(acting_user(s, args), args.code, args.reason, args.missing))


def cmd_resume(args) -> int:
    s = open_services(args)
    return _outcome(args, s.workflow.receive_supplement(acting_user(s, args), args.code, args.note))


def cmd_result(args) -> int:
    s = open_services(args)
    return _outcome(args, s.workflow.record_result(acting_user(s, args), args.code, args.note))


def cmd_return(args) -> int:
    s = open_services(args)
    return _outcome(args, s.workflow.return_result(acting_user(s, args), args.code, args.note))


def cmd_refuse(args) -> int:
    s = open_services(args)
    return _outcome(args, s.workflow.refuse(acting_user(s, args), args.code, args.reason))


def cmd_withdraw(args) -> int:
    s = open_services(args)
    return _outcome(args, s.workflow.withdraw(acting_user(s, args), args.code, args.reason))


def cmd_stop(args) -> int:
    s = open_services(args)
    return _outcome(args, s.workflow.stop(acting_user(s, args), args.code, args.reason))


def cmd_extend(args) -> int:
    s = open_services(args)
    out = s.workflow.extend(acting_user(s, args), args.code, args.reason, parse_moment(args.new_due), args.letter_number)
    return _outcome(args, out)


_CORRECT_FLAGS = (("--applicant", "applicant_name", "HỌ_TÊN", "họ tên người nộp"),
                  ("--id-number", "applicant_id_number", "SỐ_CCCD", "số CCCD"),
                  ("--phone", "applicant_phone", "ĐIỆN_THOẠI", "điện thoại"),
                  ("--email", "applicant_email", "THƯ_ĐIỆN_TỬ", "thư điện tử"),
                  ("--address", "applicant_address", "ĐỊA_CHỈ", "địa chỉ"),
                  ("--owner", "owner_name", "HỌ_TÊN", "chủ hồ sơ"),
                  ("--owner-id-number", "owner_id_number", "SỐ_CCCD", "số CCCD chủ hồ sơ"),
                  ("--owner-address", "owner_address", "ĐỊA_CHỈ", "địa chỉ chủ hồ sơ"))


def cmd_correct(args) -> int:
    s = open_services(args)
    values = {key: getattr(args, key) for _flag, key, _metavar, _words in _CORRECT_FLAGS
              if getattr(args, key) is not None}
    return _outcome(args, s.workflow.correct_details(acting_user(s, args), args.code, args.reason, **values))


def cmd_queue(args) -> int:
    s = open_services(args)
    actor = acting_user(s, args)
    rows = s.queue.list(actor, queue_filter(s, actor, args), limit=args.limit)
    if args.json:
        emit_json([r.as_dict() for r in rows])
        return 0
    for r in rows:
        print(f"{r.code}\t{r.chip_label}\t{_fmt(r.original_due_at)}\t{r.remaining_text}\t{r.applicant_name}\t{r.procedure_name[:50]}")
    return 0
