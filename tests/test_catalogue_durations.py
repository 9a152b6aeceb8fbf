"""Reading a catalogue's duration text ("3 Ngày làm việc", "Trong ngày", a bare "1", "?120,000") and
national procedure codes (tthc_desk.catalogue_files.parse_duration, national_code)."""

from __future__ import annotations

import unicodedata

import pytest

from tthc_desk.catalogue_files import REVIEW, DurationSpec, national_code, parse_duration
from tthc_desk.domain import DurationUnit

CLEAR = [
    ("3 Ngày làm việc", 3, DurationUnit.WORKING_DAYS),
    ("1 Ngày làm việc", 1, DurationUnit.WORKING_DAYS),
    ("  20   ngày làm việc ", 20, DurationUnit.WORKING_DAYS),
    ("0,5 ngày làm việc", 0.5, DurationUnit.WORKING_DAYS),
    ("0.5 Ngày làm việc", 0.5, DurationUnit.WORKING_DAYS),
    ("7 Ngày", 7, DurationUnit.CALENDAR_DAYS),
    ("275 Ngày", 275, DurationUnit.CALENDAR_DAYS),
    ("24 Giờ", 24, DurationUnit.WORKING_HOURS),
    ("8 giờ làm việc", 8, DurationUnit.WORKING_HOURS),
    ("1 Giờ", 1, DurationUnit.WORKING_HOURS),
    ("3 NGÀY LÀM VIỆC", 3, DurationUnit.WORKING_DAYS),
    (unicodedata.normalize("NFD", "5 Ngày làm việc"), 5, DurationUnit.WORKING_DAYS),
]


@pytest.mark.parametrize(("raw", "amount", "unit"), CLEAR)
def test_parse_duration_clear(raw, amount, unit):
    spec = parse_duration(raw)
    assert spec == DurationSpec(float(amount), unit, spec.raw, False, "")
    assert spec.is_clear
    assert spec.raw == unicodedata.normalize("NFC", " ".join(raw.split()))


@pytest.mark.parametrize("raw", ["Trong ngày", "Ngay trong ngày", "trong ngày làm việc", "Trong ngày."])
def test_parse_duration_same_day(raw):
    spec = parse_duration(raw)
    assert spec.unit is DurationUnit.SAME_DAY
    assert spec.amount is None
    assert not spec.needs_review and spec.is_clear


REVIEWED = [
    # raw, field, words the note must contain, suggested (amount, unit)
    ("1", None, ["Thiếu đơn vị", "'1'"], (1.0, None)),
    ("5", "Hộ tịch", ["Thiếu đơn vị", "'5'"], (5.0, None)),
    ("1", "Thuế", ["Thiếu đơn vị"], (1.0, None)),
    (
        "1",
        "Hộ tịch",
        ["Thiếu đơn vị", "Hộ tịch", "1 ngày làm việc", "15 giờ"],
        (1.0, DurationUnit.WORKING_DAYS),
    ),
    ("1", unicodedata.normalize("NFD", "Hộ tịch"), ["Hộ tịch"], (1.0, DurationUnit.WORKING_DAYS)),
    ("0", "Tài chính đất đai", ["Thiếu đơn vị", "'0'"], (0.0, None)),
    ("0 Ngày làm việc", None, ["0"], (0.0, DurationUnit.WORKING_DAYS)),
    ("", None, ["Không có thông tin"], (None, None)),
    ("   ", None, ["Không có thông tin"], (None, None)),
    (None, None, ["Không có thông tin"], (None, None)),
    ("Không có thông tin", None, ["Không có thông tin"], (None, None)),
    ("?", None, ["Không đọc được"], (None, None)),
    ("?120", None, ["dính liền", "'?120'"], (None, None)),
    ("?120,000", None, ["dính liền", "'?120,000'"], (None, None)),
    ("?1500", None, ["'?1500'"], (None, None)),
    ("2 tháng", None, ["Không hiểu", "'2 tháng'"], (None, None)),
    ("3-5 ngày làm việc", None, ["Không hiểu"], (None, None)),
]


@pytest.mark.parametrize(("raw", "field", "words", "suggested"), REVIEWED)
def test_parse_duration_needs_review(raw, field, words, suggested):
    spec = parse_duration(raw, field)
    assert spec.needs_review and not spec.is_clear
    assert spec.amount is None and spec.unit is None  # never a guessed value
    assert spec.note.endswith(REVIEW)
    for word in words:
        assert word in spec.note
    assert (spec.suggested_amount, spec.suggested_unit) == suggested


def test_parse_duration_keeps_raw_text():
    assert parse_duration(" ?120 ").raw == "?120"
    assert parse_duration("3 Ngày   làm việc").raw == "3 Ngày làm việc"


@pytest.mark.parametrize(
    ("code", "national"),
    [
        ("1.000010", "1.000010"),
        ("2.002621.H13", "2.002621"),
        ("1.004946.000.00.00.H13-4", "1.004946"),
        ("2.000815.000.00.00.H55", "2.000815"),
        ("1.001193.02", "1.001193"),
        ("1.00001", ""),
        ("ABC", ""),
        ("1.0000101", ""),
    ],
)
def test_national_code(code, national):
    assert national_code(code) == national

