"""Finding the header row of a portal export and matching its columns to case fields by header words.

Headers are compared folded (lower case, no diacritics, punctuation as spaces), by these rules:

- Words naming a moment are one word: "Ngày giờ", "Ngày, tháng, năm", "Thời điểm", "Thời gian", "Giờ" all read
  as "Ngày", and "Thời hạn" as "Hạn" ("Ngày, giờ tiếp nhận" is "Ngày tiếp nhận").
- A synonym matches a whole-word run of the header, and the longest synonym found wins: "Ngày hẹn trả" is a
  due date, not a return date ("Ngày trả"); an exact match of the whole header scores above any run.
- A header that opens with "Ngày", "Hạn" or "Hẹn" names a moment: only a date field can take it ("Ngày cấp CCCD"
  is no ID number, "Ngày chuyển hồ sơ đến cơ quan giải quyết" no unit).
- Words that exclude a field (`EXCLUDING`): a header about the result ("kết quả") is never the receipt nor the
  due date, unless the synonym that matched holds those words itself ("Ngày hẹn trả kết quả" is the due
  date; "Ngày nhận kết quả" — the desk receiving the result from the body that resolved the case, Mẫu 06's
  "Nhận kết quả từ cơ quan giải quyết" — is the result date, never the receipt).
- Bare action words without a word for a moment (`BARE_SYNONYMS`: "Tiếp nhận", "Nhận hồ sơ", "Hẹn trả" …)
  name a date only as the whole header, as sub-headers under "Ngày" do; inside a longer header they say who
  or what acted ("Cán bộ tiếp nhận", "Người nhận hồ sơ").
- A header naming two fields in one column (`TWO_FIELDS`: Mẫu 06's "Địa chỉ, số điện thoại") is neither.

A two-row header (a group cell merged over several columns above their own headers, "Ngày" over
"Tiếp nhận | Hẹn trả | Trả kết quả") is read as one header per column, "Ngày › Tiếp nhận": the sub-header
names the column and is matched first, the group's words only when it alone names nothing (and a group
opening with "Ngày" makes its columns dates). A row numbering the columns under a form's header ("(1)",
"(2)" …) is part of the header.

A `ColumnMapping` is shown to the user, can be corrected, and is saved as JSON keyed by a header
signature so the correction is reused for the next file with the same headers.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from tthc_desk.errors import ImportFailed
from tthc_desk.sync.fields import (
    BARE_SYNONYMS,
    DATE_FIELDS,
    EXCLUDING,
    FIELD_LABELS,
    FIELDS,
    OWNER_FIELDS,
    REQUIRED_FIELDS,
    SYNONYMS,
    TWO_FIELDS,
)
from tthc_desk.text import clean, fold

GROUP_MARK = " › "  # between a two-row header's group and its sub-header: "Ngày › Tiếp nhận"

_NON_WORD = re.compile(r"[^0-9a-z]+")
# "ngày giờ", "ngày, tháng, năm", "thời điểm", "thời gian", "giờ" -> "ngay"; "thời hạn" -> "han"
_MOMENT = re.compile(r"\b(?:ngay|gio|thoi diem|thoi gian)(?: (?:ngay|gio|phut|thang|nam))*\b")
_TERM = re.compile(r"\bthoi han\b")
_MOMENT_OPENERS = frozenset({"ngay", "han", "hen"})
_COLUMN_NUMBER = re.compile(r"\(?(\d{1,3})\)?")
HEADER_SCAN_ROWS = 30


def header_key(text: Any) -> str:
    """Folded header words: 'Số CCCD/CMND (*)' -> 'so cccd cmnd'."""
    return _NON_WORD.sub(" ", fold(str(text) if text is not None else "")).strip()


def _words(text: Any) -> tuple[str, ...]:
    """The header words as matched: folded, the words for a moment as one ('Ngày, giờ' -> 'ngay')."""
    return tuple(_TERM.sub("han", _MOMENT.sub("ngay", header_key(text))).split())


@dataclass(frozen=True)
class _Synonym:
    words: tuple[str, ...]
    field: str | None  # None: `TWO_FIELDS`, no field
    bare: bool  # matched only as the whole header
    excluding: tuple[tuple[str, ...], ...]  # header words (outside the synonym) that rule its field out


def _build_index() -> list[_Synonym]:
    found: dict[tuple[tuple[str, ...], str | None], bool] = {}
    for bare, table in ((False, SYNONYMS), (True, BARE_SYNONYMS), (False, {None: TWO_FIELDS})):
        for fld, words in table.items():
            for text in words:
                found.setdefault((_words(text), fld), bare)
    entries = [_Synonym(w, f, bare, _EXCLUDED.get(f, ())) for (w, f), bare in found.items()]
    return sorted(entries, key=lambda e: -len(e.words))


_EXCLUDED: dict[str | None, tuple[tuple[str, ...], ...]] = {
    f: tuple(_words(w) for w in ws) for f, ws in EXCLUDING.items()
}
_INDEX = _build_index()


def _holds(words: tuple[str, ...], run: tuple[str, ...]) -> bool:
    n = len(run)
    return any(words[i : i + n] == run for i in range(len(words) - n + 1))


def _find(words: tuple[str, ...], dates_only: bool) -> tuple[str | None, int]:
    """The longest synonym allowed in `words` (see the module docstring): (field, score)."""
    if not words or len(words) > 12:
        return None, 0
    for syn in _INDEX:
        if dates_only and syn.field is not None and syn.field not in DATE_FIELDS:
            continue
        n = len(syn.words)
        if words == syn.words:
            return syn.field, 100 + n if syn.field else 0
        if syn.bare:
            continue
        for i in range(len(words) - n + 1):
            if words[i : i + n] != syn.words:
                continue
            before, after = words[:i], words[i + n :]
            if not any(_holds(before, x) or _holds(after, x) for x in syn.excluding):
                return syn.field, n if syn.field else 0
    return None, 0


def match_header(text: Any) -> tuple[str | None, int]:
    """(field, score) for one header cell; score is the synonym's word count, +100 for an exact match.

    A two-row header's "group › sub-header": under a group that only says "date" ("Ngày", "Ngày, tháng, năm")
    the sub-header names the column. Any other group qualifies its sub-headers: the two read together, either
    way round, when that is a whole synonym ("Kết quả" over "Ngày nhận" is "Ngày nhận kết quả", the result;
    "Chủ hồ sơ" over "CCCD" is "CCCD chủ hồ sơ", the owner's ID); else the sub-header's own field, unless the
    group's words rule it out ("Bổ sung" over "Ngày tiếp nhận" is no receipt)."""
    group, mark, sub = str(text if text is not None else "").rpartition(GROUP_MARK.strip())
    words = _words(text)
    dates_only = bool(words) and words[0] in _MOMENT_OPENERS
    if not (mark and group.strip()):
        return _find(words, dates_only)
    group_words, sub_words = _words(group), _words(sub)
    if set(group_words) <= {"ngay"}:
        fld, score = _find(sub_words, dates_only)
        return (fld, score) if fld is not None else _find(words, dates_only)
    for together in (words, sub_words + group_words):
        fld, score = _find(together, bool(together) and together[0] in _MOMENT_OPENERS)
        if score >= 100:
            return fld, score
    fld, score = _find(sub_words, bool(sub_words) and sub_words[0] in _MOMENT_OPENERS)
    if fld is not None and any(_holds(group_words, x) for x in _EXCLUDED.get(fld, ())):
        return None, 0
    return fld, score


@dataclass(frozen=True)
class ColumnMapping:
    """Which column (0-based) holds each field, found on `header_row` (1-based, as Excel shows it): the last of
    the `header_rows` rows the header takes (a group row above, a row numbering the columns below); the data
    starts on the next row."""

    header_row: int
    headers: tuple[str, ...]
    columns: dict[str, int] = field(default_factory=dict)
    header_rows: int = 1

    @property
    def first_header_row(self) -> int:
        return self.header_row - self.header_rows + 1

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
            "header_rows": self.header_rows,
            "headers": list(self.headers),
            "columns": {f: {"index": c, "header": _at(self.headers, c)} for f, c in self.columns.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnMapping:
        """The mapping `to_dict` wrote, maybe edited by hand: a field's column by its "index" (0-based), or by
        its "header" text alone; a field whose index is null (as `case import --save-mapping` writes a
        required field not found) is left without a column. The file's "headers" are what the columns are
        fitted to another file by (`apply_saved`): a mapping without them, or of another shape, is refused with
        what is wrong, not taken as something else."""
        if not isinstance(data, dict):
            raise ImportFailed("Tệp ánh xạ cột không đúng dạng. " + _MAPPING_SHAPE)
        headers, columns = data.get("headers"), data.get("columns", {})
        if not isinstance(columns, dict):
            raise ImportFailed("Tệp ánh xạ cột không đúng dạng. " + _MAPPING_SHAPE)
        unknown = set(columns) - set(FIELDS)
        if unknown:
            raise ImportFailed(f"Tệp ánh xạ cột có trường không biết: {', '.join(sorted(unknown))}.")
        if not isinstance(headers, list) or not headers or not all(isinstance(h, str | None) for h in headers):
            raise ImportFailed("Tệp ánh xạ cột thiếu danh sách tiêu đề cột (\"headers\") của tệp Excel. "
                               + _MAPPING_SHAPE)
        headers = tuple(h or "" for h in headers)
        header_row, header_rows = _row_number(data, "header_row"), _row_number(data, "header_rows")
        cols = {}
        for f, v in columns.items():
            column = _column_of(v, headers)
            if column is None:
                continue
            if column < 0 or (headers and column >= len(headers)):
                raise ImportFailed(
                    f"Tệp ánh xạ cột: trường '{FIELD_LABELS[f]}' chỉ cột số {column}, tệp không có"
                    f" cột đó (các cột đánh số từ 0 đến {len(headers) - 1})."
                )
            cols[f] = column
        return cls(header_row, headers, cols, header_rows)

    def save(self, path: str | Path, *, with_missing: bool = False) -> None:
        """Write `to_dict` as JSON; `with_missing` adds each required field no column provides with a null
        index, for the user to fill in (the column's number or its "header") and pass back."""
        data = self.to_dict()
        if with_missing:
            data["columns"].update({f: {"index": None, "header": ""} for f in self.missing()})
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> ColumnMapping:
        name = Path(path).name
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise ImportFailed(f"Không có tệp ánh xạ cột '{name}'.") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ImportFailed(f"Không đọc được tệp ánh xạ cột '{name}' (không phải tệp văn bản JSON).") from exc
        try:
            data = json.loads(text)
        except ValueError as exc:
            where = f" (dòng {exc.lineno}, cột {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
            raise ImportFailed(f"Tệp ánh xạ cột '{name}' không phải JSON hợp lệ{where}.") from exc
        return cls.from_dict(data)


_MAPPING_SHAPE = ("Hãy dùng tệp do lệnh nhập ghi ra với --save-mapping (hoặc ánh xạ đã lưu) rồi sửa số cột trong "
                  "\"columns\".")


def _row_number(data: dict[str, Any], key: str) -> int:
    value = data.get(key, 1)
    if isinstance(value, bool) or not str(value).strip().isdigit() or int(value) < 1:
        raise ImportFailed(f"Tệp ánh xạ cột: \"{key}\" phải là một số dòng từ 1 (không phải '{value}').")
    return int(value)


def _column_of(value: Any, headers: Sequence[str]) -> int | None:
    """A field's column in a mapping file: {"index": 3, "header": …}, {"header": "Thời điểm vào sổ"} or 3."""
    index, header = (value.get("index"), value.get("header")) if isinstance(value, dict) else (value, None)
    if isinstance(index, str) and not index.strip().isdigit():  # "Ngày nhận": a header written as the value
        index, header = None, index
    if index is None and header:
        keys = [header_key(h) for h in headers]
        if header_key(header) not in keys:
            raise ImportFailed(f"Tệp ánh xạ cột: không có cột tiêu đề '{header}' trong tệp.")
        return keys.index(header_key(header))
    if index is None:
        return None
    if isinstance(index, bool) or not isinstance(index, int | str) or not str(index).strip().isdigit():
        raise ImportFailed(f"Tệp ánh xạ cột: số thứ tự cột '{index}' không hợp lệ (cần một số từ 0).")
    return int(index)


def _at(headers: Sequence[str], index: int) -> str:
    return headers[index] if 0 <= index < len(headers) else ""


def header_signature(headers: Sequence[Any]) -> str:
    """A stable key for a header layout: folded header words in column order, trailing blanks dropped."""
    keys = [header_key(h) for h in headers]
    while keys and not keys[-1]:
        keys.pop()
    return hashlib.sha1("|".join(keys).encode("utf-8")).hexdigest()[:16]


def match_columns(headers: Sequence[Any], header_row: int, header_rows: int = 1) -> ColumnMapping:
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
    return ColumnMapping(header_row, shown, {f: c for f, (_, c) in best.items()}, header_rows)


Merged = Sequence[tuple[tuple[int, int], tuple[int, int]]]


class Layout(NamedTuple):
    """One way the top of a sheet may head the table."""

    first: int  # 0-based index of the header's first row
    last: int  # … and of its last: the data starts on the next row
    cells: list[str]  # the header text of each column
    grouped: bool  # two rows read as one (`_two_rows`)


def header_layouts(
    rows: Sequence[Sequence[Any]], merged: Merged = (), scan: int = HEADER_SCAN_ROWS
) -> Iterator[Layout]:
    """Each way the first `scan` rows may head the table: each row alone, and a row with the row under it read
    as a two-row header where the layout allows (`_two_rows`); either with a row numbering the columns under it."""
    merged = [m for m in merged if m[0][0] == m[1][0] < scan]  # one row tall, in reach (not the data's units)
    for index in range(min(scan, len(rows))):
        single = [c if isinstance(c, str) else "" for c in rows[index]]
        yield Layout(index, _numbered(rows, index), single, False)
        two = _two_rows(rows, index, merged)
        if two is not None:
            yield Layout(index, _numbered(rows, index + 1), two, True)


def _numbered(rows: Sequence[Sequence[Any]], last: int) -> int:
    """The header's last row: the row under `last` when it only numbers the columns, (1), (2), … or 1, 2, …"""
    below = rows[last + 1] if last + 1 < len(rows) else ()
    numbers = [v for v in below if v not in ("", None)]
    expected = [str(n) for n in range(1, len(numbers) + 1)]
    found = [m.group(1) if isinstance(v, str) and (m := _COLUMN_NUMBER.fullmatch(v.strip())) else
             str(int(v)) if isinstance(v, int | float) and not isinstance(v, bool) and v == int(v) else None
             for v in numbers]  # fmt: skip
    return last + 1 if len(numbers) >= 3 and found == expected else last


def _two_rows(rows: Sequence[Sequence[Any]], index: int, merged: Merged) -> list[str] | None:
    """Row `index` over row `index + 1` as one header, or None when they are not laid out as one: a group cell
    merged over several columns of row `index` with sub-headers under it, and every other column's header in
    one of the rows only (spanning both, or under nothing); a row of data under a header fills those cells."""
    if index + 1 >= len(rows):
        return None
    top, sub = rows[index], rows[index + 1]
    groups: dict[int, str] = {}
    for (r0, c0), (r1, c1) in merged:
        if r0 == r1 == index and c1 > c0 and c0 < len(top) and isinstance(top[c0], str) and top[c0].strip():
            groups.update(dict.fromkeys(range(c0, c1 + 1), top[c0]))
    if not groups or not any(isinstance(sub[c], str) and sub[c].strip() for c in groups if c < len(sub)):
        return None
    if sum(1 for v in top if isinstance(v, str) and v.strip()) < 2:
        return None  # a title over the table, not a header
    cells = []
    for col in range(max(len(top), len(sub))):
        above = top[col] if col < len(top) else ""
        under = sub[col] if col < len(sub) else ""
        if col in groups:
            text = _text(under)
            cells.append(f"{clean(groups[col])}{GROUP_MARK}{clean(text)}" if text.strip() else groups[col])
        elif above not in ("", None) and under not in ("", None):
            return None
        else:
            cells.append(above if isinstance(above, str) and above else _text(under))
    return cells


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def find_header(
    rows: Sequence[Sequence[Any]], scan: int = HEADER_SCAN_ROWS, merged: Merged = ()
) -> ColumnMapping:
    """The header among the first `scan` rows: the one matching most fields and holding the code; the first of
    equals. A two-row reading (`header_layouts`) is taken only when it matches more fields than either of its
    rows alone, so a one-row header is read as it always was."""
    best: ColumnMapping | None = None
    alone: dict[int, int] = {}  # row index -> fields its row alone matches
    for first, last, cells, grouped in header_layouts(rows, merged, scan):
        if sum(1 for c in cells if c.strip()) < 2:
            continue  # blank rows and merged titles
        mapping = match_columns(cells, last + 1, last - first + 1)
        if grouped:
            rivals = [alone.get(first, 0), len(match_columns(_plain(rows, first + 1), first + 2).columns)]
            if len(mapping.columns) <= max(rivals):
                continue
        else:
            alone[first] = len(mapping.columns)
        if "code" in mapping.columns and (best is None or len(mapping.columns) > len(best.columns)):
            best = mapping
    if best is None or len(best.columns) < 2:
        raise ImportFailed(
            f"Không tìm thấy dòng tiêu đề trong {scan} dòng đầu (cần ít nhất cột 'Mã hồ sơ' hoặc 'Số hồ sơ'"
            " và một cột khác). Hãy kiểm tra tệp có đúng là danh sách hồ sơ xuất từ cổng."
        )
    return best


def _plain(rows: Sequence[Sequence[Any]], index: int) -> list[str]:
    return [c if isinstance(c, str) else "" for c in rows[index]] if index < len(rows) else []


def apply_saved(
    saved: ColumnMapping, rows: Sequence[Sequence[Any]], scan: int = HEADER_SCAN_ROWS, merged: Merged = ()
) -> ColumnMapping:
    """Fit a remembered mapping to a file: same signature at its row, else the same header words elsewhere
    (a header on two rows read as `find_header` reads it)."""
    layouts = list(header_layouts(rows, merged, max(scan, saved.header_row)))
    where = (saved.header_row - 1, saved.header_rows)
    at_saved = [x for x in layouts if (x.last, x.last - x.first + 1) == where]
    wanted = {f: header_key(_at(saved.headers, c)) for f, c in saved.columns.items()}
    for first, last, headers, _grouped in at_saved + [x for x in layouts if x not in at_saved]:
        shown = tuple(clean(h) for h in headers)
        if header_signature(headers) == saved.signature:
            return replace(saved, header_row=last + 1, headers=shown, header_rows=last - first + 1)
        keys = [header_key(h) for h in headers]
        if all(w and w in keys for w in wanted.values()):
            cols = {f: keys.index(w) for f, w in wanted.items()}
            return ColumnMapping(last + 1, shown, cols, last - first + 1)
    raise ImportFailed(
        "Ánh xạ cột đã lưu không khớp với tệp này (tiêu đề cột khác). Hãy kiểm tra lại ánh xạ cột."
    )
