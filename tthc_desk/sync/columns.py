"""Finding the header row of a portal export and matching its columns to case fields by header words.

Headers are compared folded (lower case, no diacritics, punctuation as spaces); the longest synonym
found as a whole-word run in a header wins, so "Ngày hẹn trả" is a due date, not a return date.
A `ColumnMapping` is shown to the user, can be corrected, and is saved as JSON keyed by a header
signature so the correction is reused for the next file with the same headers.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tthc_desk.errors import ImportFailed
from tthc_desk.text import clean, fold

FIELDS: tuple[str, ...] = (
    "code", "applicant", "citizen_id", "phone", "address", "email", "procedure_code", "procedure_name",
    "field", "unit", "channel", "status", "received_at", "due_at", "new_due_at", "finished_at", "returned_at",
    "owner", "owner_id", "owner_address",
)  # fmt: skip
REQUIRED_FIELDS: tuple[str, ...] = ("code", "received_at")
DATE_FIELDS = frozenset({"received_at", "due_at", "new_due_at", "finished_at", "returned_at"})
# The owner's columns when the file names the owner apart from the person who submitted; in a file with only
# one person ("Chủ hồ sơ" alone, as most portal lists have) that person is the applicant (`match_columns`).
OWNER_FIELDS: dict[str, str] = {"owner": "applicant", "owner_id": "citizen_id", "owner_address": "address"}

# The header words the writer uses; the first synonym of each field.
FIELD_LABELS: dict[str, str] = {
    "code": "Mã hồ sơ",
    "applicant": "Người nộp",
    "citizen_id": "Số định danh",
    "phone": "Điện thoại",
    "address": "Địa chỉ",
    "email": "Email",
    "procedure_code": "Mã thủ tục",
    "procedure_name": "Tên thủ tục",
    "field": "Lĩnh vực",
    "unit": "Đơn vị",
    "channel": "Kênh nộp",
    "status": "Trạng thái",
    "received_at": "Ngày tiếp nhận",
    "due_at": "Ngày hẹn trả",
    "new_due_at": "Ngày hẹn lại",
    "finished_at": "Ngày có kết quả",
    "returned_at": "Ngày trả kết quả",
    "owner": "Chủ hồ sơ",
    "owner_id": "Số định danh chủ hồ sơ",
    "owner_address": "Địa chỉ chủ hồ sơ",
}

SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": ("Mã hồ sơ", "Số hồ sơ", "Mã HS", "Số biên nhận", "Mã biên nhận"),
    "applicant": ("Người nộp", "Người nộp hồ sơ", "Tên công dân", "Họ tên", "Họ và tên",
                  "Tên người nộp", "Người đứng tên", "Tổ chức, cá nhân", "Công dân"),
    "citizen_id": ("CCCD", "Số định danh", "CMND", "Căn cước", "Căn cước công dân", "Số giấy tờ", "Định danh cá nhân"),
    "phone": ("Điện thoại", "SĐT", "Số điện thoại", "Di động", "ĐT"),
    "address": ("Địa chỉ", "Nơi cư trú", "Địa chỉ liên hệ"),
    "email": ("Email", "E-mail", "Thư điện tử"),
    "procedure_code": ("Mã thủ tục", "Mã TTHC", "Mã thủ tục hành chính"),
    "procedure_name": ("Tên thủ tục", "Thủ tục", "Tên TTHC", "Tên thủ tục hành chính", "Thủ tục hành chính"),
    "field": ("Lĩnh vực", "Tên lĩnh vực"),
    "unit": ("Đơn vị", "Đơn vị xử lý", "Cơ quan xử lý", "Cơ quan giải quyết", "Phòng ban", "Đơn vị tiếp nhận"),
    "channel": ("Kênh", "Kênh nộp", "Hình thức nộp", "Hình thức tiếp nhận", "Hình thức", "Nguồn"),
    "status": ("Trạng thái", "Tình trạng", "Trạng thái hồ sơ", "Tình trạng xử lý"),
    "received_at": ("Ngày tiếp nhận", "Ngày nhận", "Ngày nộp", "Thời gian tiếp nhận", "Ngày nhận hồ sơ"),
    "due_at": ("Ngày hẹn trả", "Hạn xử lý", "Ngày hẹn", "Hạn giải quyết", "Hạn trả kết quả", "Ngày hẹn trả kết quả"),
    "finished_at": ("Ngày có kết quả", "Ngày kết thúc xử lý", "Ngày kết thúc", "Ngày hoàn thành", "Ngày xử lý xong"),
    "returned_at": ("Ngày trả", "Ngày trả kết quả", "Thời gian trả kết quả", "Ngày trả kq"),
    # the apology's new appointment (DOMAIN §4: both dates are kept); longer than the due date's words it holds
    "new_due_at": ("Ngày hẹn lại", "Hẹn lại", "Ngày hẹn trả mới", "Hẹn trả mới", "Ngày hẹn mới", "Hạn xử lý mới",
                   "Hạn giải quyết mới", "Gia hạn đến", "Ngày gia hạn", "Hạn gia hạn"),
    "owner": ("Chủ hồ sơ", "Tên chủ hồ sơ", "Họ tên chủ hồ sơ", "Chủ sở hữu"),
    # longer than "Chủ hồ sơ" and than the ID and address words, so each wins its own column
    "owner_id": ("Số định danh chủ hồ sơ", "CCCD chủ hồ sơ", "CMND chủ hồ sơ", "Căn cước chủ hồ sơ",
                 "Số giấy tờ chủ hồ sơ", "Định danh chủ hồ sơ"),
    "owner_address": ("Địa chỉ chủ hồ sơ", "Nơi cư trú chủ hồ sơ"),
}  # fmt: skip

_NON_WORD = re.compile(r"[^0-9a-z]+")
HEADER_SCAN_ROWS = 30


def header_key(text: Any) -> str:
    """Folded header words: 'Số CCCD/CMND (*)' -> 'so cccd cmnd'."""
    return _NON_WORD.sub(" ", fold(str(text) if text is not None else "")).strip()


def _build_index() -> list[tuple[tuple[str, ...], str]]:
    entries = [(tuple(header_key(s).split()), f) for f, words in SYNONYMS.items() for s in words]
    return sorted(entries, key=lambda e: -len(e[0]))


_INDEX = _build_index()


def match_header(text: Any) -> tuple[str | None, int]:
    """(field, score) for one header cell; score is the synonym's word count, +100 for an exact match."""
    words = tuple(header_key(text).split())
    if not words or len(words) > 12:
        return None, 0
    for syn, fld in _INDEX:
        n = len(syn)
        if words == syn:
            return fld, 100 + n
        if any(words[i : i + n] == syn for i in range(len(words) - n + 1)):
            return fld, n
    return None, 0


@dataclass(frozen=True)
class ColumnMapping:
    """Which column (0-based) holds each field, found on `header_row` (1-based, as Excel shows it)."""

    header_row: int
    headers: tuple[str, ...]
    columns: dict[str, int] = field(default_factory=dict)

    @property
    def signature(self) -> str:
        return header_signature(self.headers)

    def missing(self) -> list[str]:
        """Required fields that no column provides."""
        return [f for f in REQUIRED_FIELDS if f not in self.columns]

    def with_column(self, field_name: str, column: int | None) -> ColumnMapping:
        """A corrected copy: `field_name` read from `column` (None drops it); a column serves one field."""
        if field_name not in FIELDS:
            raise ValueError(field_name)
        cols = {f: c for f, c in self.columns.items() if f != field_name and c != column}
        if column is not None:
            cols[field_name] = column
        return replace(self, columns=cols)

    def describe(self) -> list[tuple[str, str, str]]:
        """(field, field label, header text or '') in field order, for showing before import."""
        return [
            (f, FIELD_LABELS[f], self.headers[c] if f in self.columns and c < len(self.headers) else "")
            for f in FIELDS
            for c in [self.columns.get(f, -1)]
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "signature": self.signature,
            "header_row": self.header_row,
            "headers": list(self.headers),
            "columns": {f: {"index": c, "header": _at(self.headers, c)} for f, c in self.columns.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnMapping:
        cols = {f: int(v["index"] if isinstance(v, dict) else v) for f, v in data.get("columns", {}).items()}
        unknown = set(cols) - set(FIELDS)
        if unknown:
            raise ImportFailed(f"Tệp ánh xạ cột có trường không biết: {', '.join(sorted(unknown))}.")
        return cls(int(data.get("header_row", 1)), tuple(data.get("headers", ())), cols)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> ColumnMapping:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ImportFailed(f"Không đọc được tệp ánh xạ cột '{Path(path).name}': {exc}.") from exc
        return cls.from_dict(data)


def _at(headers: Sequence[str], index: int) -> str:
    return headers[index] if 0 <= index < len(headers) else ""


def header_signature(headers: Sequence[Any]) -> str:
    """A stable key for a header layout: folded header words in column order, trailing blanks dropped."""
    keys = [header_key(h) for h in headers]
    while keys and not keys[-1]:
        keys.pop()
    return hashlib.sha1("|".join(keys).encode("utf-8")).hexdigest()[:16]


def match_columns(headers: Sequence[Any], header_row: int) -> ColumnMapping:
    """Map each field to its best-scoring column; ties go to the leftmost column. An owner's column with no
    column for the applicant's same detail is the applicant's ("Chủ hồ sơ" alone is the one person named)."""
    best: dict[str, tuple[int, int]] = {}
    for col, text in enumerate(headers):
        fld, score = match_header(text)
        if fld and (fld not in best or score > best[fld][0]):
            best[fld] = (score, col)
    if "applicant" not in best:
        for owner, applicant in OWNER_FIELDS.items():
            if owner in best and applicant not in best:
                best[applicant] = best.pop(owner)
    shown = tuple(clean(str(h)) if h not in (None, "") else "" for h in headers)
    return ColumnMapping(header_row, shown, {f: c for f, (_, c) in best.items()})


def find_header(rows: Sequence[Sequence[Any]], scan: int = HEADER_SCAN_ROWS) -> ColumnMapping:
    """The header row among the first `scan` rows: the one matching most fields and holding the code."""
    best: ColumnMapping | None = None
    for index, row in enumerate(rows[:scan]):
        cells = [c if isinstance(c, str) else "" for c in row]
        if sum(1 for c in cells if c.strip()) < 2:
            continue  # blank rows and merged titles
        mapping = match_columns(cells, index + 1)
        if "code" in mapping.columns and (best is None or len(mapping.columns) > len(best.columns)):
            best = mapping
    if best is None or len(best.columns) < 2:
        raise ImportFailed(
            f"Không tìm thấy dòng tiêu đề trong {scan} dòng đầu (cần ít nhất cột 'Mã hồ sơ' hoặc 'Số hồ sơ'"
            " và một cột khác). Hãy kiểm tra tệp có đúng là danh sách hồ sơ xuất từ cổng."
        )
    return best


def apply_saved(
    saved: ColumnMapping, rows: Sequence[Sequence[Any]], scan: int = HEADER_SCAN_ROWS
) -> ColumnMapping:
    """Fit a remembered mapping to a file: same signature at its row, else the same header words elsewhere."""
    candidates = [saved.header_row - 1] + [
        i for i in range(min(scan, len(rows))) if i != saved.header_row - 1
    ]
    wanted = {f: header_key(_at(saved.headers, c)) for f, c in saved.columns.items()}
    for index in candidates:
        if not 0 <= index < len(rows):
            continue
        headers = [c if isinstance(c, str) else "" for c in rows[index]]
        if header_signature(headers) == saved.signature:
            return replace(saved, header_row=index + 1, headers=tuple(clean(h) for h in headers))
        keys = [header_key(h) for h in headers]
        if all(w and w in keys for w in wanted.values()):
            cols = {f: keys.index(w) for f, w in wanted.items()}
            return ColumnMapping(index + 1, tuple(clean(h) for h in headers), cols)
    raise ImportFailed(
        "Ánh xạ cột đã lưu không khớp với tệp này (tiêu đề cột khác). Hãy kiểm tra lại ánh xạ cột."
    )
