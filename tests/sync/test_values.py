from datetime import date, datetime

import pytest

from tthc_desk.domain import Channel, Status
from tthc_desk.sync.values import (
    code_text,
    number_text,
    parse_channel,
    parse_datetime,
    parse_status,
    plain_text,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("25/01/2025", datetime(2025, 1, 25)),
        ("25/01/2025 14:30", datetime(2025, 1, 25, 14, 30)),
        ("25/01/2025 14:30:15", datetime(2025, 1, 25, 14, 30, 15)),
        ("5/1/2025", datetime(2025, 1, 5)),
        ("2025-01-25", datetime(2025, 1, 25)),
        ("2025-01-25 08:05:00", datetime(2025, 1, 25, 8, 5)),
        ("2025-01-25T08:05:00", datetime(2025, 1, 25, 8, 5)),
        ("14:30 25/01/2025", datetime(2025, 1, 25, 14, 30)),
        ("14h30 25/01/2025", datetime(2025, 1, 25, 14, 30)),
        ("25-01-2025", datetime(2025, 1, 25)),
        (" 25/01/2025\n14:30 ", datetime(2025, 1, 25, 14, 30)),
        (45682.604166666664, datetime(2025, 1, 25, 14, 30)),  # a serial from calamine
        (45682, datetime(2025, 1, 25)),
        (datetime(2025, 1, 25, 14, 29, 59, 999000), datetime(2025, 1, 25, 14, 30)),
        (date(2025, 1, 25), datetime(2025, 1, 25)),
        ("", None),
        (None, None),
    ],
)
def test_dates(value, expected):
    assert parse_datetime(value) == expected


@pytest.mark.parametrize(
    "value", ["31/02/2025", "25/13/2025", "25/01/2025 25:00", "ngày mai", "2025", 12.5e6, True]
)
def test_bad_dates(value):
    with pytest.raises(ValueError):
        parse_datetime(value)


def test_numbers_as_text():
    assert number_text(12.0) == "12"
    assert number_text(1.00001) == "1.00001"
    assert number_text(1e20) == "100000000000000000000"
    assert number_text(1.5e-7) == "0.00000015"
    assert number_text(790734036506.0) == "790734036506"


def test_code_cells():
    assert code_text("  0790734036506 ") == ("0790734036506", None)
    assert code_text("1.000010", "procedure_code") == ("1.000010", None)
    # numeric cells: repaired where the domain says how, and reported
    assert code_text(1.00001, "procedure_code") == ("1.000010", "ô dạng số (1.00001), đã đọc là '1.000010'")
    assert code_text(79123456789.0, "citizen_id")[0] == "079123456789"
    assert code_text(912345678.0, "phone")[0] == "0912345678"
    assert code_text(2.002621, "procedure_code")[0] == "2.002621"
    assert code_text(12345.0, "code") == ("12345", "ô dạng số (12345), đã đọc là '12345'")


def test_plain_text_collapses_line_breaks_and_normalises():
    assert plain_text("Nguye\u0302\u0303n  Văn\nAn ") == "Nguyễn Văn An"


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Mới tiếp nhận", Status.RECEIVED), ("Đang xử lý", Status.PROCESSING),
        ("Đang giải quyết", Status.PROCESSING), ("Đã có kết quả", Status.RESULT_READY),
        ("Hoàn thành", Status.RESULT_READY), ("Đã trả kết quả", Status.RETURNED), ("Đã trả", Status.RETURNED),
        ("Chờ bổ sung", Status.WAITING_SUPPLEMENT), ("Từ chối", Status.REFUSED), ("Rút hồ sơ", Status.WITHDRAWN),
        ("Dừng xử lý", Status.STOPPED), ("ĐANG XỬ LÝ", Status.PROCESSING), ("dang xu ly", Status.PROCESSING),
        ("Đang xử lý đúng hạn", Status.PROCESSING), ("Đã trả kết quả đúng hạn", Status.RETURNED),
        ("Hoàn thành quá hạn", Status.RESULT_READY), ("processing", Status.PROCESSING),
    ],
)  # fmt: skip
def test_status_words(word, status):
    assert parse_status(word) is status


def test_unknown_status_and_empty():
    assert parse_status("") is None
    with pytest.raises(ValueError):
        parse_status("Đã nhập kho")


@pytest.mark.parametrize(
    ("word", "channel"),
    [("Trực tiếp", Channel.DIRECT), ("Trực tuyến", Channel.ONLINE), ("Nộp trực tuyến mức độ 4", Channel.ONLINE),
     ("Bưu chính", Channel.POST), ("Bưu chính công ích", Channel.POST), ("Qua mạng", Channel.ONLINE)],
)  # fmt: skip
def test_channel_words(word, channel):
    assert parse_channel(word) is channel


def test_a_number_shown_zero_padded_is_read_as_shown():
    from tthc_desk.sync.values import padded_number

    assert code_text(padded_number(123.0, 6)) == ("000123", None)
    assert code_text(padded_number(52046928680.0, 12), "citizen_id") == ("052046928680", None)
    assert plain_text(padded_number(7.0, 3)) == "007"
    # what the format cannot show exactly is read as before, with the note
    assert code_text(padded_number(12.5, 6)) == ("12.5", "ô dạng số (12.5), đã đọc là '12.5'")
    assert code_text(padded_number(-5.0, 6)) == ("-5", "ô dạng số (-5), đã đọc là '-5'")
    assert code_text(123.0) == ("123", "ô dạng số (123), đã đọc là '123'")
    # a padded 123 and a plain 123 are two values (one column may hold both)
    assert (
        padded_number(123.0, 6) != 123.0
        and len({padded_number(123.0, 6), 123.0, padded_number(123.0, 6)}) == 2
    )
    assert parse_datetime(padded_number(45682.0, 6)) == datetime(2025, 1, 25)


@pytest.mark.parametrize(
    ("format_code", "shown"),
    [
        ("000000", ("", 6, "")),
        ('"HS"000000', ("HS", 6, "")),
        ('"HS-"000000"/2025"', ("HS-", 6, "/2025")),
        ("\\H\\S0", ("HS", 1, "")),
        ('"Số "0', ("Số ", 1, "")),
        ("000000;[Red]-000000", ("", 6, "")),  # the positive section
        ("0", None),  # a plain whole number
        ("0.00", None),
        ("#,##0", None),
        ("0%", None),
        ('"HS"00"-"00', None),  # two runs of digits
        ("dd/mm/yyyy", None),
        ("@", None),
        ("General", None),
        ('"HS000', None),  # a quote never closed
    ],
)
def test_padding_formats(format_code, shown):
    from tthc_desk.sync.values import padding_format

    assert padding_format(format_code) == shown


def test_a_number_shown_with_text_around_it_is_read_as_shown():
    """A code typed as a number and shown through a format like '"HS"000000' is the HS000123 the user saw."""
    from tthc_desk.sync.values import padded_number

    assert code_text(padded_number(123.0, 6, "HS")) == ("HS000123", None)
    assert code_text(padded_number(45.0, 4, "HS-", "/2025")) == ("HS-0045/2025", None)
    assert plain_text(padded_number(5.0, 1, "Số ")) == "Số 5"
    assert padded_number(123.0, 6, "HS") != padded_number(123.0, 6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20/11/2026 2:30:00 CH", datetime(2026, 11, 20, 14, 30)),  # Windows in Vietnamese: sáng / chiều
        ("20/11/2026 8:05 SA", datetime(2026, 11, 20, 8, 5)),
        ("20/11/2026 12:10 SA", datetime(2026, 11, 20, 0, 10)),
        ("20/11/2026 12:10 CH", datetime(2026, 11, 20, 12, 10)),
        ("2026-11-20 02:30 PM", datetime(2026, 11, 20, 14, 30)),
        ("2:30 CH 20/11/2026", datetime(2026, 11, 20, 14, 30)),
    ],
)  # fmt: skip
def test_twelve_hour_times(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text", ["20/11/2026 14:30 CH", "20/11/2026 0:30 SA"])
def test_a_twelve_hour_time_out_of_its_range_is_refused(text):
    with pytest.raises(ValueError, match="không hợp lệ"):
        parse_datetime(text)


@pytest.mark.parametrize("word", ["Quá hạn", "Trễ hạn", "Hồ sơ quá hạn", "Hồ sơ trễ hạn", "Sắp hết hạn"])
def test_a_status_that_says_only_when_is_read_as_none(word):
    """The portal lists overdue cases under "Quá hạn": that says when, not what, so the row's dates decide
    (as for an empty cell) instead of the row being refused."""
    assert parse_status(word) is None
