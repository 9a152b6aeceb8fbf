"""office show, office set: the office's name, code, letterhead, signers, working hours and deadline settings
(the window's Danh mục / Cài đặt › Cơ quan)."""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from datetime import time

from tthc_desk.cli.context import acting_user, add_letterhead_options, emit_json, open_services
from tthc_desk.domain import SupplementMode
from tthc_desk.errors import ValidationError
from tthc_desk.services.office import SIGNER_PREFIXES, OfficeSettings
from tthc_desk.text import clean, clean_multiline

SIGNER_FORMAT = '"TIỀN TỐ|CHỨC VỤ/TẬP THỂ|CHỨC DANH|HỌ TÊN", ví dụ "TM.|ỦY BAN NHÂN DÂN|CHỦ TỊCH|Đoàn Văn Phương"'
SUPPLEMENT_LABELS = {str(SupplementMode.RESTART): "tính lại từ đầu khi nhận đủ bổ sung",
                     str(SupplementMode.PAUSE): "tạm dừng, cộng phần thời gian còn lại"}
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")


def register(sub) -> None:
    off = sub.add_parser("office", help="thông tin cơ quan: tiêu đề văn bản, người ký, giờ làm việc, thời hạn")
    os_ = off.add_subparsers(dest="office_command", metavar="THAO_TÁC", required=True)
    p = os_.add_parser("show", help="xem thông tin cơ quan")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_office_show)

    p = os_.add_parser("set", help="sửa thông tin cơ quan (chỉ các mục được nêu; các mục khác giữ nguyên)")
    p.add_argument("--name", metavar="TÊN", help="tên cơ quan")
    p.add_argument("--code", metavar="MÃ_ĐỊNH_DANH", help="mã định danh, ví dụ 000.00.17.H10")
    add_letterhead_options(p)
    p.add_argument("--address", metavar="ĐỊA_CHỈ", help="địa chỉ")
    p.add_argument("--phone", metavar="ĐIỆN_THOẠI", help="điện thoại")
    p.add_argument("--sessions", metavar="CÁC_BUỔI",
                   help='giờ làm việc các buổi, ví dụ "07:00-11:30,13:30-17:00"')
    p.add_argument("--cutoff", metavar="GIỜ", help="giờ chốt nhận hồ sơ, HH:MM")
    p.add_argument("--warning-hours", metavar="SỐ_GIỜ",
                   help="cảnh báo sắp đến hạn trước bao nhiêu giờ làm việc (0–80)")
    p.add_argument("--supplement-mode", choices=list(SUPPLEMENT_LABELS),
                   help="khi bổ sung hồ sơ: restart (tính lại từ đầu) hoặc pause (tạm dừng)")
    p.add_argument("--target", metavar="TỶ_LỆ", help="chỉ tiêu tỷ lệ đúng hạn, %%, ví dụ 95.0")
    p.add_argument("--form-profile", metavar="BỘ_MẪU", help="bộ mẫu văn bản, ví dụ tt01_2018")
    signers = p.add_mutually_exclusive_group()
    signers.add_argument("--signer", action="append", metavar="NGƯỜI_KÝ",
                         help=f"người ký, lặp lại cho nhiều người (thay cả danh sách): {SIGNER_FORMAT}")
    signers.add_argument("--clear-signers", action="store_true", help="xóa danh sách người ký")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_office_set)


def cmd_office_show(args) -> int:
    s = open_services(args)
    st = s.office.settings(acting_user(s, args))
    if args.json:
        emit_json(asdict(st))
        return 0
    print("\n".join(describe(st)))
    return 0


def cmd_office_set(args) -> int:
    s = open_services(args)
    actor = acting_user(s, args)
    before = s.office.settings(actor)
    after = changed_settings(before, args)
    s.office.update(actor, after)
    stored = s.office.settings(actor)
    if args.json:
        emit_json(asdict(stored))
        return 0
    changed = [k for k, v in asdict(stored).items() if asdict(before)[k] != v]
    print(f"Đã lưu thông tin cơ quan ({'đổi: ' + ', '.join(changed) if changed else 'không có gì thay đổi'}).")
    return 0


def changed_settings(st: OfficeSettings, args) -> OfficeSettings:
    """The stored settings with the fields the options name replaced (all text cleaned, numbers checked)."""
    new: dict = {}
    for option, key in (("name", "name"), ("place", "place_name"),
                        ("issuing_body", "issuing_body"), ("address", "address"), ("phone", "phone")):
        value = getattr(args, option)
        if value is not None:
            new[key] = clean(value)
    if args.code is not None:
        new["code"] = clean(args.code).upper()
    if args.parent_body is not None:
        new["parent_body"] = clean_multiline("\n".join(clean(line) for line in args.parent_body.split("|")))
    if args.sessions is not None:
        new["sessions"] = _sessions(args.sessions)
    if args.cutoff is not None:
        new["cutoff"] = _hhmm(args.cutoff, "Giờ chốt nhận hồ sơ ghi dạng HH:MM, ví dụ 15:00.", "cutoff")
    if args.warning_hours is not None:
        new["warning_minutes"] = _warning_hours(args.warning_hours) * 60
    if args.supplement_mode is not None:
        new["supplement_mode"] = args.supplement_mode
    if args.target is not None:
        new["on_time_target"] = _target(args.target)
    if args.form_profile is not None:
        new["form_profile"] = clean(args.form_profile)  # a known form set: OfficeSettings.validate
    if args.signer is not None:
        new["signers"] = [parse_signer(text) for text in args.signer]
    elif args.clear_signers:
        new["signers"] = []
    if not new:
        raise ValidationError("Chưa nêu mục nào cần sửa (xem: office set --help).")
    return replace(st, **new)


def parse_signer(text: str) -> dict:
    """'TM.|ỦY BAN NHÂN DÂN|CHỦ TỊCH|Đoàn Văn Phương' as the signer record the window stores."""
    parts = [clean(x) for x in text.split("|")]
    if len(parts) != 4 or not any(parts):
        raise ValidationError(f"Người ký ghi dạng {SIGNER_FORMAT}.", field="signers")
    prefix = parts[0].upper()
    if prefix and not prefix.endswith("."):
        prefix += "."
    if prefix not in SIGNER_PREFIXES:
        allowed = ", ".join(p for p in SIGNER_PREFIXES if p)
        raise ValidationError(f"Tiền tố người ký '{parts[0]}' không hợp lệ (để trống hoặc {allowed}).",
                              field="signers")
    return {"prefix": prefix, "authority": parts[1], "title": parts[2], "name": parts[3]}


def format_signer(sg: dict) -> str:
    return "|".join(str(sg.get(k, "")) for k in ("prefix", "authority", "title", "name"))


def describe(st: OfficeSettings) -> list[str]:
    from tthc_desk.documents.profiles import available_profiles

    profile = available_profiles().get(st.form_profile)
    lines = [
        f"Tên cơ quan:            {st.name}",
        f"Mã định danh:           {st.code}",
        f"Địa danh:               {st.place_name}",
        f"Cơ quan chủ quản:       {' | '.join(st.parent_body.splitlines())}",
        f"Cơ quan ban hành:       {st.issuing_body}",
        f"Địa chỉ:                {st.address}",
        f"Điện thoại:             {st.phone}",
        f"Giờ làm việc:           {st.sessions}",
        f"Giờ chốt nhận hồ sơ:    {st.cutoff}",
        f"Cảnh báo sắp đến hạn:   {st.warning_minutes // 60} giờ làm việc",
        f"Khi bổ sung hồ sơ:      {st.supplement_mode} ({SUPPLEMENT_LABELS.get(st.supplement_mode, '?')})",
        f"Chỉ tiêu đúng hạn:      {st.on_time_target:g} %",
        f"Bộ mẫu văn bản:         {st.form_profile}" + (f" ({profile.label})" if profile else " (không tìm thấy)"),
        "Người ký:" + ("" if st.signers else "               (chưa có)"),
    ]
    lines += [f"  {format_signer(sg)}" for sg in st.signers]
    return lines


def _hhmm(text: str, message: str, field: str) -> str:
    m = _HHMM.match(clean(text))
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise ValidationError(message, field=field)
    return time(int(m[1]), int(m[2])).strftime("%H:%M")


def _sessions(text: str) -> str:
    message = "Giờ làm việc ghi dạng 07:00-11:30,13:30-17:00."
    parts = [p.split("-") for p in clean(text).replace(" ", "").split(",")]
    if any(len(p) != 2 for p in parts):
        raise ValidationError(message, field="sessions")
    return ",".join("-".join(_hhmm(x, message, "sessions") for x in p) for p in parts)


def _warning_hours(text: str) -> int:
    try:
        hours = int(clean(text))
    except ValueError:
        hours = -1
    if not 0 <= hours <= 80:
        raise ValidationError("Cảnh báo sắp đến hạn là số giờ làm việc từ 0 đến 80.", field="warning_minutes")
    return hours


def _target(text: str) -> float:
    """'95', '95,5' or '95 %' as a number (its range is OfficeSettings.validate's)."""
    try:
        return float(clean(text).replace(",", ".").rstrip("%").strip())
    except ValueError:
        raise ValidationError("Chỉ tiêu đúng hạn là tỷ lệ phần trăm, ví dụ 95.0.", field="on_time_target") from None
