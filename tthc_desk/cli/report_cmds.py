"""report (Biểu II.06a, rates, flags) and letter (the monthly công văn draft)."""

from __future__ import annotations

from datetime import date

from tthc_desk.cli.context import acting_user, emit_json, open_services
from tthc_desk.errors import ValidationError
from tthc_desk.reports import Period, fmt_int, parse_month, rates
from tthc_desk.reports.form import text_row


def register(sub) -> None:
    p = sub.add_parser("report", help="báo cáo tình hình giải quyết TTHC (Biểu II.06a)")
    p.add_argument("--from", dest="date_from", required=True, metavar="NGÀY", help="ngày đầu kỳ YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, metavar="NGÀY", help="ngày cuối kỳ YYYY-MM-DD")
    p.add_argument("--by", choices=["unit", "field"], default="unit", help="theo đơn vị (mặc định) hoặc lĩnh vực")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="số liệu, tỷ lệ, cảnh báo, trách nhiệm dạng JSON")
    out.add_argument("--xlsx", metavar="TỆP", help="xuất biểu ra Excel")
    out.add_argument("--pdf", metavar="TỆP", help="xuất biểu ra PDF")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("letter", help="dự thảo công văn báo cáo hằng tháng (.docx hoặc .pdf)")
    p.add_argument("--month", required=True, metavar="THÁNG", help="tháng báo cáo YYYY-MM")
    p.add_argument("-o", "--output", required=True, metavar="TỆP", help="tệp .docx (để sửa) hoặc .pdf")
    p.add_argument("--signer", type=int, default=1, metavar="THỨ_TỰ",
                   help="người ký theo thứ tự trong cài đặt (mặc định 1)")
    p.set_defaults(func=cmd_letter)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValidationError(f"Ngày '{text}' không đúng dạng YYYY-MM-DD.") from exc


def cmd_report(args) -> int:
    s = open_services(args)
    actor = acting_user(s, args)
    period = Period(_day(args.date_from), _day(args.date_to))
    if args.xlsx or args.pdf:
        path = s.reports.export_form(actor, period, args.xlsx or args.pdf, args.by)
        print(f"Đã xuất {path}")
        return 0
    analysis = s.reports.analysis(actor, period, args.by)
    if args.json:
        emit_json(analysis.as_dict())
        return 0
    _print_table(analysis.report)
    _print_unsynced(analysis)
    return 0


def _print_unsynced(analysis) -> None:
    """The count `--json`, the letter and the Reports page give: cases the portal has not yet received as they
    are now (by group when there are any)."""
    flags = analysis.flags
    line = f"Chưa đồng bộ lên cổng tỉnh: {fmt_int(flags.unsynced_total)} hồ sơ"
    if flags.unsynced_total:  # by group, in the table's order
        rows = [r for r in analysis.report.rows if flags.unsynced.get(r.key)]
        rest = sum(n for k, n in flags.unsynced.items() if k not in {r.key for r in rows})
        parts = [f"{r.label}: {fmt_int(flags.unsynced[r.key])}" for r in rows]
        line += " (" + "; ".join(parts + ([f"khác: {fmt_int(rest)}"] if rest else [])) + ")"
    print(line)


def _print_table(report) -> None:
    print(f"Kỳ báo cáo: {report.period.text().lower()}")
    head = ["STT", "Đơn vị" if report.group_by == "unit" else "Lĩnh vực", *(f"({i})" for i in range(3, 19)), "Tỷ lệ"]
    print("\t".join(head))
    for i, row in enumerate(report.rows, 1):
        print("\t".join(text_row(i, row)))
    total = text_row("", report.total)
    total[1] = "Tổng cộng"
    print("\t".join(total))
    for r in rates(report.total.counts).values():
        print(f"{r.name}: {r.formula} = {fmt_int(r.numerator)}/{fmt_int(r.denominator)} = {r.text}")


def cmd_letter(args) -> int:
    s = open_services(args)
    actor = acting_user(s, args)
    path = s.reports.export_letter(actor, parse_month(args.month), args.output, args.signer - 1)
    print(f"Đã xuất {path}")
    return 0
