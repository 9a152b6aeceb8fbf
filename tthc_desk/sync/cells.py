"""A sheet's data rows converted column by column into case values: legacy text decoded (by font, by the
row, by the sheet), dates, codes, statuses and channels read, and the rows collected as cases or refused with
their reasons (`ConvertedColumns`). `reader.read_cases_file` finds the header and drives it."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter
from datetime import datetime
from itertools import compress, filterfalse, repeat
from operator import itemgetter, not_
from typing import Any

from tthc_desk.sync.columns import ColumnMapping
from tthc_desk.sync.fields import DATE_FIELDS, FIELD_LABELS, FIELDS
from tthc_desk.sync.legacy import (
    CP1258,
    CP1258_CELL,
    ENCODING_FONTS,
    UNICODE,
    decode_cell,
    is_upper_font,
    reads_as,
)
from tthc_desk.sync.records import Cancel, ImportCancelled, ParsedFile, PortalRow, Progress, RejectedRow
from tthc_desk.sync.values import (
    INVISIBLE,
    code_text,
    parse_channel,
    parse_datetime,
    parse_status,
    plain_text,
)
from tthc_desk.sync.workbook import SheetData, column_letter

CODE_FIELDS = frozenset({"code", "citizen_id", "phone", "procedure_code", "owner_id"})
# Characters that only Unicode text holds: anything above Latin-1 except the cp1252 punctuation.
_NOT_LEGACY = re.compile("[^\x00-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                         "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")  # fmt: skip
_not_legacy = _NOT_LEGACY.search


class CellDecoder:
    """Legacy-aware text of one cell; counts the encodings it meets."""

    def __init__(self, data: SheetData, counter: Counter[str]) -> None:
        self.data = data
        self.counter = counter

    def __call__(self, value: Any, row: int, col: int) -> Any:
        if not isinstance(value, str) or value.isascii():
            return value
        text, encoding = self.decode(value, self.data.font(row, col))
        self.counter[encoding] += 1
        return text

    @staticmethod
    def decode(value: str, font: str | None) -> tuple[str, str]:
        """(NFC text, encoding) of a non-ASCII string cell."""
        if font is None and _NOT_LEGACY.search(value):
            return (
                value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
            ), UNICODE
        if font == CP1258_CELL:  # a CSV's Windows-1258 cell, decoded when its bytes were read
            return unicodedata.normalize("NFC", value), CP1258
        return decode_cell(value, font)


_DATE, _CODE, _STATUS, _CHANNEL, _TEXT = range(5)
_FIELD_DEFAULTS = {
    f.name: "" if f.default is dataclasses.MISSING else f.default for f in dataclasses.fields(PortalRow)
}


def _kind(fld: str) -> int:
    if fld in DATE_FIELDS:
        return _DATE
    if fld in CODE_FIELDS:
        return _CODE
    return {"status": _STATUS, "channel": _CHANNEL}.get(fld, _TEXT)


def _convert(kind: int, fld: str, value: Any) -> tuple[Any, str | None]:
    if kind == _DATE:
        return parse_datetime(value), None
    if kind == _CODE:
        return code_text(value, fld)
    if kind == _STATUS:
        return parse_status(value), None
    if kind == _CHANNEL:
        return parse_channel(value), None
    return plain_text(value), None


def _outcome(kind: int, fld: str, label: str, value: Any, font: str | None) -> tuple:
    """(result, note, problem, encoding) for one non-empty cell value."""
    encoding = None
    if isinstance(value, str) and not value.isascii():
        value, encoding = CellDecoder.decode(value, font)
    try:
        result, note = _convert(kind, fld, value)
    except ValueError as exc:
        return None, None, f"{label} '{plain_text(value)}' {exc}", encoding
    return result, note, None, encoding


def _fast_outcome(value: Any, font: str | None, kind: int, textual: bool) -> tuple | None:
    """The outcome of the commonest cells without the general path: tidy text, whole-second datetimes."""
    kind_of = type(value)
    if kind_of is str and kind == _DATE:  # the portal's own text form, "25/01/2025 14:30", read directly
        m = _PLAIN_DATE_TIME.fullmatch(value)
        if m is None:
            return None
        d, mo, y, hh, mi = m.groups()
        try:
            return datetime(int(y), int(mo), int(d), int(hh), int(mi)), None, None, None
        except ValueError:
            return None  # "31/02/2025 08:00": the general path words the problem
    if kind_of is str:
        if not textual or not value or "  " in value or not value.isprintable():  # line breaks, controls…
            return None
        if value[0] in _EDGE_SPACE or value[-1] in _EDGE_SPACE:
            return None
        if value.isascii():
            return (value, None, None, None) if font is None or not is_upper_font(font) else None
        if font is None and unicodedata.is_normalized("NFC", value) and not INVISIBLE.search(value):
            if _not_legacy(value):
                return value, None, None, UNICODE
        return None
    if kind_of is datetime and kind == _DATE and not value.microsecond:
        return value, None, None, None
    return None


_PLAIN_DATE_TIME = re.compile(r"(\d\d)/(\d\d)/(\d{4}) (\d\d):(\d\d)", re.ASCII)  # what `parse_datetime` reads alike
_EDGE_SPACE = frozenset(
    " \xa0\u3000\u2002\u2003\u2009\u200a\u202f\u205f\x0b\x0c\x1c\x1d\x1e\x1f\x85\u1680\u2000\u2001\u2004\u2005\u2006\u2007\u2008\u2028\u2029"
)


_ENCODING_OF = {True: None, False: UNICODE}  # a tidy text cell's encoding, by whether it is ASCII
_SEP = "\x00"  # joins a column's cells for the whole-column tests below; a starter, so NFC never crosses it
# text.CONTROL but NUL, which is the separator: a NUL inside a cell changes the separators' count
_CONTROL_BUT_SEP = re.compile("[\x01-\x08\x0e-\x1f\x7f]")


def _tidy_texts(values: list) -> list:
    """Those of `values` that are text `_fast_outcome` keeps as it is (no legacy fonts in the file), the
    column tested at once in C loops where it can be — the per-cell path costs ~3 µs a cell on 50,000
    distinct names. Cells of Latin-1 letters only (maybe TCVN3/VNI: 'Lê Hoàng Phúc') are left out."""
    if set(map(type, values)) != {str}:
        return []
    joined = _SEP.join(values)
    if joined.count(_SEP) != len(values) - 1 or "  " in joined or "\n" in joined or "\t" in joined:
        return []
    if "\r" in joined or list(map(str.strip, values)) != values:  # strip(): the same spaces as _EDGE_SPACE
        return []
    if _CONTROL_BUT_SEP.search(joined):  # the cells holding one go to `tidy`, which removes them
        return []
    if joined.isascii():
        return values
    if not unicodedata.is_normalized("NFC", joined):
        return []
    if INVISIBLE.search(joined):  # zero-width spaces, BOM, soft hyphens: those cells go to code_text/plain_text
        return [v for v in values if v.isascii() or (_not_legacy(v) and not INVISIBLE.search(v))]
    return [v for v in values if v.isascii() or _not_legacy(v)]


class ConvertedColumns:
    """The data rows converted column by column: each distinct value (with its font) converted once.

    Converting per column instead of per row keeps the Python work per cell to a dict lookup, which
    is what holds the read within ~1.5x of calamine's bare parse.
    """

    def __init__(self, data: SheetData, mapping: ColumnMapping, decoder: CellDecoder) -> None:
        self.data = data
        self.first = mapping.header_row  # 0-based index of the first data row
        self.rows = data.rows[self.first :]
        self.mapping = mapping
        self.decoder = decoder
        self.outcomes: dict[str, list[tuple]] = {}
        self.empty: dict[str, tuple] = {}
        self.flagged: set[str] = set()  # columns holding a problem or a note
        self.headers = raw_headers(mapping.headers)
        # The legacy fonts by column then row: a column without any (codes, dates, a Unicode column beside
        # TCVN3 ones) takes the quick paths of a file without fonts.
        self.fonts: dict[int, dict[int, str]] = {}
        for (row, col), font in data.fonts.items():
            self.fonts.setdefault(col, {})[row] = font

    def convert(self, progress: Progress | None, cancel: Cancel | None) -> None:
        fields = sorted(self.mapping.columns.items(), key=lambda fc: fc[1])
        total = len(self.data.rows)
        for done, (fld, col) in enumerate(fields):
            if cancel is not None and cancel():
                raise ImportCancelled()
            if progress is not None:
                progress(self.first + len(self.rows) * done // max(len(fields), 1), total)
            self.outcomes[fld] = self._column(fld, col)

    def _column(self, fld: str, col: int) -> list[tuple]:
        kind, label = _kind(fld), FIELD_LABELS[fld]
        if self.rows and min(map(len, self.rows)) > col:  # calamine's rows are all as wide as the sheet
            values = list(map(itemgetter(col), self.rows))
        else:
            values = [row[col] if col < len(row) else "" for row in self.rows]
        fonts = self.fonts.get(col)
        read_as = UNICODE  # what this column's Unicode text is counted as
        if fonts and CP1258_CELL in fonts.values() and set(fonts.values()) == {CP1258_CELL}:
            fonts, read_as = None, CP1258  # a CSV's Windows-1258 column, decoded already: the quick paths
        keys: list[Any] = (
            [(v, fonts.get(i)) for i, v in enumerate(values, self.first)] if fonts else values
        )
        table: dict[Any, tuple] = {}
        empty = self.empty[fld] = (_FIELD_DEFAULTS[fld], None, None, None)  # identity marks an empty cell
        counter: Counter[str] = Counter()
        textual = kind in (_TEXT, _CODE)
        counts = Counter(keys)
        if textual and not fonts:
            tidy = _tidy_texts([v for v in counts if v != ""])
            ascii_ = list(map(str.isascii, tidy))  # the outcomes, built in C loops: one per distinct cell
            table = dict(zip(tidy, zip(tidy, repeat(None), repeat(None), map(_ENCODING_OF.__getitem__, ascii_)),
                             strict=True))  # fmt: skip
            counter[UNICODE] += sum(compress(map(counts.__getitem__, tidy), map(not_, ascii_)))
        elif kind == _DATE:  # real datetimes to the second are taken as they are
            plain = {v for v in values if type(v) is datetime and not v.microsecond}
            table = {k: (k[0] if fonts else k, None, None, None) for k in counts if (k[0] if fonts else k) in plain}
        for key in filterfalse(table.__contains__, counts):  # the cells the quick paths above left
            times = counts[key]
            value, font = key if fonts else (key, None)
            if value == "" or value is None:
                table[key] = empty
                continue
            outcome = _fast_outcome(value, font, kind, textual)
            if outcome is None:
                outcome = _outcome(kind, fld, label, value, font)
            table[key] = outcome
            if outcome[1] is not None or outcome[2] is not None:
                self.flagged.add(fld)
            if outcome[3] is not None:
                counter[outcome[3]] += times
        if read_as != UNICODE:
            counter[read_as] += counter.pop(UNICODE, 0)
        self.decoder.counter.update(counter)
        return list(map(table.__getitem__, keys))

    def row_vote(self, counter: Counter[str]) -> None:
        """A cell left as Unicode that reads cleanly in the one legacy encoding the rest of its row shows without a
        font goes with the row: rows pasted from an old VNI file keep their bytes but lose their fonts, and a VNI
        "Hồ Thị Thu" ("Hoà Thò Thu") is valid Unicode on its own, where "Hộ tịch" beside it ("Hoä tòch") is not.
        A legacy cell in its font says nothing of the cells beside it: a sheet may keep one old column in .VnTime."""
        fields = [f for f in self.mapping.columns if f in self.outcomes and _kind(f) != _DATE]
        shown: dict[int, set[str]] = {}  # row -> the legacy encodings its cells without a font show
        for fld in fields:
            fonts = self.fonts.get(self.mapping.columns[fld], {})
            for i, outcome in enumerate(self.outcomes[fld]):
                if outcome[3] is not None and outcome[3] != UNICODE and self.first + i not in fonts:
                    shown.setdefault(i, set()).add(outcome[3])
        for i, encodings in shown.items():
            if len(encodings) != 1:
                continue
            (encoding,) = encodings
            font, row = ENCODING_FONTS[encoding], self.first + i
            for fld in fields:
                outcome, col = self.outcomes[fld][i], self.mapping.columns[fld]
                value = self.rows[i][col] if col < len(self.rows[i]) else ""
                if outcome[3] != UNICODE or not isinstance(value, str) or self.data.font(row, col):
                    continue
                if not reads_as(value, encoding):
                    continue
                again = _outcome(_kind(fld), fld, FIELD_LABELS[fld], value, font)
                self.outcomes[fld][i] = again
                counter[UNICODE] -= 1
                counter[again[3] or UNICODE] += 1
                if again[1] is not None or again[2] is not None:
                    self.flagged.add(fld)

    def collect(self, out: ParsedFile) -> None:
        """Fill `out.rows`, `out.rejected` and `out.warnings`, in row order."""
        order = [f for f in FIELDS if f in self.outcomes]
        n = len(self.rows)
        problems: dict[int, list[str]] = {}
        notes: dict[int, list[str]] = {}
        for fld in order:  # problems and notes are rare: look only in the columns that have some
            if fld not in self.flagged:
                continue
            col = self.outcomes[fld]
            for i in [i for i, o in enumerate(col) if o[2] is not None]:
                problems.setdefault(i, []).append(col[i][2])
            for i in [i for i, o in enumerate(col) if o[1] is not None]:
                notes.setdefault(i, []).append(f"{FIELD_LABELS[fld]} {col[i][1]}")
        codes = [o[0] for o in self.outcomes["code"]]
        received = self.outcomes["received_at"]
        skip = set()
        for i in [i for i, c in enumerate(codes) if not c]:
            if i not in problems and all(self.outcomes[f][i] is self.empty[f] for f in order):
                skip.add(i)  # an empty row
            elif self.outcomes["code"][i][2] is None:
                problems.setdefault(i, []).insert(0, "Thiếu mã hồ sơ")
        no_date = self.empty["received_at"]
        for i in [i for i, o in enumerate(received) if o is no_date]:
            if i not in skip:
                problems.setdefault(i, []).append("Thiếu ngày tiếp nhận")
        footer = self._footer(skip)
        if footer:  # "Tổng số: 33 hồ sơ", "NGƯỜI LẬP BIỂU" under the table: no cases, and not refused as such
            skip.update(footer)
            for i in footer:
                problems.pop(i, None)
        first_codes: dict[str, int] = {}
        for i, code in enumerate(codes):
            if i in problems or i in skip:
                continue
            earlier = first_codes.setdefault(code, i)
            if earlier != i:
                problems[i] = [f"Mã hồ sơ '{code}' trùng với dòng {self.first + earlier + 1}"]
        columns = [
            [o[0] for o in self.outcomes[f]] if f in self.outcomes else repeat(_FIELD_DEFAULTS[f], n)
            for f in FIELDS
        ]
        numbers = range(self.first + 1, self.first + n + 1)
        rows = map(PortalRow, numbers, *columns)
        if not problems and not skip:
            out.rows = list(rows)
        else:
            out.rows = [r for i, r in enumerate(rows) if i not in problems and i not in skip]
        for i in sorted(problems):
            number = self.first + i + 1
            out.rejected.append(
                RejectedRow(number, f"Dòng {number}: " + "; ".join(problems[i]), self._raw(self.first + i))
            )
        for i in sorted(notes):
            if i not in problems:
                out.warnings.extend(f"Dòng {self.first + i + 1}: {note}" for note in notes[i])
        if footer:
            shown = ", ".join(f"dòng {self.first + i + 1} '{self._footer_text(i)}'" for i in footer)
            out.warnings.append(f"Bỏ qua {len(footer)} dòng cuối bảng không phải hồ sơ: {shown}.")

    def _footer(self, skip: set[int]) -> list[int]:
        """The rows under the last case that only say something about the table (a total, who drew it up, a
        place for a signature): each with one or two cells, all text of several words, and no receipt date."""
        found = []
        for i in range(len(self.rows) - 1, -1, -1):
            if i in skip:
                continue
            cells = [v for v in self.rows[i] if v is not None and v != ""]
            words = all(isinstance(v, str) and len(v.split()) > 1 for v in cells)
            if not (0 < len(cells) <= 2 and words and self.outcomes["received_at"][i] is self.empty["received_at"]):
                break
            found.append(i)
        return found[::-1]

    def _footer_text(self, i: int) -> str:
        return " ".join(" ".join(str(v).split()) for v in self.rows[i] if v is not None and v != "")[:60]

    def _raw(self, index: int) -> dict[str, Any]:
        raw = self.data.rows[index]
        return {h: self.decoder(raw[c], index, c) if c < len(raw) else "" for c, h in enumerate(self.headers)}


def raw_headers(headers: tuple[str, ...]) -> list[str]:
    """Header texts usable as keys: blanks named by column letter, repeats numbered."""
    seen: Counter[str] = Counter()
    result = []
    for col, text in enumerate(headers):
        name = text or f"Cột {column_letter(col)}"
        seen[name] += 1
        result.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return result
