"""print receipt|supplement|refusal|apology|stop_notice|control|register."""

from __future__ import annotations

from datetime import date

from tthc_desk.cli.context import acting_user, open_services
from tthc_desk.errors import ValidationError

FORMS = ("receipt", "supplement", "refusal", "apology", "stop_notice", "control", "register")


def register(sub) -> None:
    p = sub.add_parser("print", help="in văn bản: receipt (Mẫu 01) … register (Mẫu 06) ra tệp PDF")
    p.add_argument("form", choices=FORMS)
    p.add_argument("target", metavar="MÃ_HỒ_SƠ_HOẶC_KỲ",
                   help="mã hồ sơ; với register: YYYY hoặc YYYY-MM-DD:YYYY-MM-DD")
    p.add_argument("-o", "--output", required=True, metavar="TỆP", help="tệp PDF")
    p.add_argument("--copies", type=int, default=1, metavar="SỐ_LIÊN",
                   help="số liên của giấy tiếp nhận (1 hoặc 2)")
    p.add_argument("--signer", type=int, default=0, metavar="THỨ_TỰ",
                   help="người ký phiếu xin lỗi, thông báo dừng (thứ tự trong cài đặt)")
    p.set_defaults(func=cmd_print)


def register_range(text: str) -> tuple[date, date]:
    text = text.strip()
    if text.isdigit() and len(text) == 4:
        return date(int(text), 1, 1), date(int(text), 12, 31)
    try:
        a, b = text.split(":")
        return date.fromisoformat(a), date.fromisoformat(b)
    except ValueError:
        raise ValidationError("Khoảng thời gian ghi dạng YYYY hoặc YYYY-MM-DD:YYYY-MM-DD.") from None


def cmd_print(args) -> int:
    from tthc_desk.documents import write_pdf  # reportlab only when printing

    s = open_services(args)
    actor = acting_user(s, args)
    d = s.documents
    if args.form == "register":
        start, end = register_range(args.target)
        pdf = d.register(actor, start, end)
    elif args.form == "receipt":
        pdf = d.receipt(actor, args.target, copies=max(1, min(2, args.copies)))
    elif args.form in ("apology", "stop_notice"):
        pdf = getattr(d, args.form)(actor, args.target, signer_index=args.signer)
    elif args.form == "control":
        pdf = d.control_sheet(actor, args.target)
    else:
        pdf = getattr(d, args.form)(actor, args.target)
    path = write_pdf(pdf, args.output)
    print(f"Đã ghi {path}")
    return 0
