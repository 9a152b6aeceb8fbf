"""The chairs' monthly letter (công văn) as plain content: the PDF and the .docx print the same paragraphs.

What it says follows the letters that started the project: period, cases handled, the on-time rate against the
target (with its formula), late cases of the total with the rate, units above 5 % late named with their rates,
units with unusually few cases, late cases by the unit responsible, apologies, reasons, unsynced cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tthc_desk.documents.data import Letterhead, Signer
from tthc_desk.reports.accountability import NO_REASON
from tthc_desk.reports.figures import Report, late_rate, online_share, rates
from tthc_desk.reports.flags import LATE_LIMIT, LOW_VOLUME_SHARE
from tthc_desk.reports.form import FORM_TITLE, as_of_words
from tthc_desk.reports.numbers import fmt_int, fmt_pct
from tthc_desk.text import nfc

_UBND = re.compile(r"^(UBND|Ủy ban nhân dân|Ủy ban nhân dân)\s+", re.IGNORECASE)


def short_unit(name: str) -> str:
    """'UBND xã Bình Tân' -> 'xã Bình Tân' (how the letters name communes)."""
    return _UBND.sub("", nfc(name))


@dataclass
class LetterDraft:
    letterhead: Letterhead
    signer: Signer
    number: str
    summary: str  # "V/v …" under the number
    addressees: list[str]
    paragraphs: list[tuple[str, str]]  # (style, text): style "body" | "heading"
    recipients: list[str]
    annex_title: str
    annex_note: str
    report: Report
    issuer: str = ""  # in running text, e.g. "Ủy ban nhân dân huyện Tây Sơn"
    extra: dict = field(default_factory=dict)

    def text(self) -> str:
        """Everything as plain text (tests and previews)."""
        return "\n".join(t for _s, t in self.paragraphs)


def period_words(report: Report) -> str:
    """'từ ngày 01/11/2026 đến ngày 30/11/2026', with where the figures stop when the period is not yet over."""
    partial = as_of_words(report)
    return report.period.text().lower() + (f"; {partial}" if partial else "")


def _list(items: list[str]) -> str:
    return "; ".join(items)


def draft_letter(analysis, letterhead: Letterhead, signer: Signer, issuer: str, *, number_suffix: str = "UBND-KSTT",
                 month_words: str = "") -> LetterDraft:
    """Compose the letter from an `Analysis` (service.py)."""
    report: Report = analysis.report
    t, flags = report.total.counts, analysis.flags
    r1 = rates(t)["resolved"]
    lr = late_rate(t)
    span = month_words or report.period.text().lower()
    paras: list[tuple[str, str]] = []
    add = lambda text, style="body": paras.append((style, text))  # noqa: E731
    add(f"Thực hiện chỉ đạo về kiểm soát thủ tục hành chính (TTHC) và nâng cao tỷ lệ giải quyết hồ sơ đúng hạn, "
        f"{issuer} thông báo tình hình, kết quả giải quyết TTHC {span} "
        f"({period_words(report)}) như sau:")
    add("1. Tình hình tiếp nhận, giải quyết hồ sơ", "heading")
    add(f"Tổng số hồ sơ nhận giải quyết: {fmt_int(t.total)} hồ sơ (kỳ trước chuyển qua {fmt_int(t.carried_over)}; "
        f"tiếp nhận mới {fmt_int(t.received)}, trong đó trực tuyến {fmt_int(t.received_online)}, chiếm "
        f"{online_share(t).text}; trực tiếp và qua dịch vụ bưu chính {fmt_int(t.received_desk)}). "
        f"Đã giải quyết {fmt_int(t.resolved)} hồ sơ (trước hạn {fmt_int(t.early)}, đúng hạn {fmt_int(t.on_time)}, "
        f"quá hạn {fmt_int(t.late)}); đang giải quyết {fmt_int(t.pending)} hồ sơ (trong hạn {fmt_int(t.pending_within)}, "
        f"quá hạn {fmt_int(t.pending_overdue)}). Ngoài ra, {fmt_int(t.withdrawn)} hồ sơ rút, {fmt_int(t.refused)} hồ sơ "
        f"bị từ chối, {fmt_int(t.stopped)} hồ sơ dừng xử lý (thống kê riêng).")
    verdict = "đạt" if r1.value is not None and r1.value >= report.target else "chưa đạt"
    add(f"Tỷ lệ giải quyết hồ sơ đúng hạn: {r1.text} ({fmt_int(r1.numerator)}/{fmt_int(r1.denominator)} hồ sơ đã "
        f"giải quyết, tính theo công thức {r1.formula}), {verdict} chỉ tiêu {fmt_pct(report.target, 0)}. "
        f"Số hồ sơ giải quyết trễ hạn: {fmt_int(lr.numerator)}/{fmt_int(lr.denominator)} hồ sơ, chiếm {lr.text}.")
    add("2. Các đơn vị có tỷ lệ hồ sơ trễ hạn cao", "heading")
    if flags.late_above:
        add(f"Các đơn vị có tỷ lệ hồ sơ giải quyết trễ hạn trên {fmt_pct(LATE_LIMIT, 0)}: "
            + _list([f"{short_unit(f.label)} {f.text}" for f in flags.late_above]) + ".")
    else:
        add(f"Không có đơn vị nào có tỷ lệ hồ sơ giải quyết trễ hạn trên {fmt_pct(LATE_LIMIT, 0)}.")
    if analysis.accounts:
        add("Hồ sơ trễ hạn theo đơn vị chịu trách nhiệm (đơn vị xử lý vượt thời gian được giao): "
            + _list([f"{short_unit(a.label)} {fmt_int(a.caused)} hồ sơ" for a in analysis.accounts]) + ".")
    add("3. Các đơn vị có số lượng hồ sơ tiếp nhận thấp bất thường", "heading")
    if flags.few_cases:
        add(f"Số hồ sơ tiếp nhận trong kỳ thấp hơn {fmt_pct(LOW_VOLUME_SHARE * 100, 0)} mức trung vị của các đơn vị "
            f"({fmt_int(round(flags.median_volume))} hồ sơ): "
            + _list([f"{short_unit(f.label)} ({fmt_int(int(f.value or 0))} hồ sơ)" for f in flags.few_cases])
            + ". Đề nghị các đơn vị này rà soát, bảo đảm mọi hồ sơ đều được tiếp nhận tại Bộ phận Một cửa.")
    else:
        add("Không có đơn vị nào có số hồ sơ tiếp nhận thấp bất thường.")
    add("4. Việc xin lỗi tổ chức, cá nhân khi hồ sơ trễ hạn", "heading")
    # apologies the portal's file tells of (a new appointment) without their moment: named apart, only if any
    unknown = (f"{fmt_int(t.apology_unknown)} hồ sơ đã xin lỗi và hẹn lại theo dữ liệu của Cổng dịch vụ công "
               "(không rõ thời điểm gửi văn bản), " if t.apology_unknown else "")
    add(f"Trong {fmt_int(t.late_any)} hồ sơ trễ hạn (đã giải quyết quá hạn và đang giải quyết quá hạn), "
        f"{fmt_int(t.apology_on_time)} hồ sơ có văn bản xin lỗi gửi đúng thời hạn, {fmt_int(t.apology_late)} hồ sơ "
        f"gửi văn bản xin lỗi muộn, {unknown}{fmt_int(t.apology_never)} hồ sơ chưa có văn bản xin lỗi.")
    reasons: dict[str, int] = {}
    for a in analysis.accounts:
        for reason, n in a.reasons.items():
            reasons[reason] = reasons.get(reason, 0) + n
    if reasons:
        listed = sorted(reasons.items(), key=lambda kv: (kv[0] == NO_REASON, -kv[1]))
        add("Nguyên nhân trễ hạn được ghi nhận: " + _list([f"{r} ({fmt_int(n)} hồ sơ)" for r, n in listed]) + ".")
    add("5. Đồng bộ dữ liệu", "heading")
    add(f"Số hồ sơ chưa được đồng bộ lên Cổng dịch vụ công của tỉnh: {fmt_int(flags.unsynced_total)} hồ sơ.")
    add("6. Đề nghị", "heading")
    add("Thủ trưởng các cơ quan, đơn vị, Chủ tịch UBND các xã, thị trấn có hồ sơ trễ hạn làm rõ trách nhiệm của "
        "tập thể, cá nhân liên quan; thực hiện việc xin lỗi tổ chức, cá nhân theo quy định; chấn chỉnh việc tiếp "
        "nhận hồ sơ ngoài Bộ phận Một cửa; báo cáo kết quả khắc phục trước ngày ……")
    add("(Chi tiết tại Phụ lục kèm theo)./.")
    return LetterDraft(
        letterhead=letterhead, signer=signer, number=f"……/{number_suffix}",
        summary=f"V/v tình hình, kết quả giải quyết TTHC {span}",
        addressees=["Thủ trưởng các cơ quan, đơn vị thuộc UBND huyện", "Chủ tịch UBND các xã, thị trấn"],
        paragraphs=paras,
        recipients=["Như trên", "TT Huyện ủy, TT HĐND huyện (b/c)", "CT, các PCT UBND huyện", "Lưu: VT, KSTT"],
        annex_title="PHỤ LỤC\n" + FORM_TITLE,
        annex_note=f"(Kèm theo Công văn số ……/{number_suffix} ngày …… của {issuer})",
        report=report, issuer=issuer,
    )
