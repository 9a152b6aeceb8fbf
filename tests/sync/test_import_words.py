"""Portal words with a negation or a wait, channel words, invisible characters in codes, refusal wording."""

import logging
import struct
import zipfile
import zlib

import pytest
from zip_edits import set_dimension

from tthc_desk.domain import Channel, Status
from tthc_desk.errors import ImportFailed
from tthc_desk.sync.reader import read_cases_file
from tthc_desk.sync.values import code_text, parse_channel, parse_status, plain_text
from tthc_desk.sync.workbook import ReadLimits, load_sheet


@pytest.mark.parametrize(
    ("word", "status"),
    [
        # waiting to be handed back: the result is ready, not returned
        ("Đang chờ trả kết quả", Status.RESULT_READY), ("Chưa trả kết quả", Status.RESULT_READY),
        ("Đã xử lý - chờ trả kết quả", Status.RESULT_READY), ("Chờ trả kết quả", Status.RESULT_READY),
        ("Hồ sơ chờ trả kết quả (đúng hạn)", Status.RESULT_READY), ("Đã có kết quả chờ trả", Status.RESULT_READY),
        ("Hoàn thành - chưa trả kết quả", Status.RESULT_READY), ("Đợi trả kết quả", Status.RESULT_READY),
        ("dang cho tra ket qua", Status.RESULT_READY), ("CHƯA TRẢ KẾT QUẢ", Status.RESULT_READY),
        # no result yet: still being processed
        ("Chưa có kết quả", Status.PROCESSING), ("Chưa hoàn thành", Status.PROCESSING),
        ("Hồ sơ chưa có kết quả", Status.PROCESSING), ("Chưa xử lý xong", Status.PROCESSING),
        ("chua hoan thanh", Status.PROCESSING), ("Chờ ký duyệt", Status.PROCESSING),
        ("Đang chờ ký", Status.PROCESSING), ("Đang xử lý (chưa đến hạn)", Status.PROCESSING),
        # refused; papers handed back to the applicant are a refusal, not a returned result
        ("Không tiếp nhận", Status.REFUSED), ("Không được tiếp nhận", Status.REFUSED),
        ("Hồ sơ không được giải quyết", Status.REFUSED), ("khong tiep nhan", Status.REFUSED),
        ("Đã trả lại hồ sơ", Status.REFUSED), ("Trả lại hồ sơ", Status.REFUSED),
        ("Từ chối tiếp nhận", Status.REFUSED),
        # waits that are the state itself
        ("Đang chờ bổ sung", Status.WAITING_SUPPLEMENT), ("Chờ công dân bổ sung", Status.WAITING_SUPPLEMENT),
        ("Chờ xử lý", Status.RECEIVED), ("Chờ tiếp nhận", Status.RECEIVED),
        # "cho" the preposition is no wait; a timeliness negation is no negation of the state
        ("Đã trả kết quả cho người nộp", Status.RETURNED), ("Đã trả kết quả không đúng hạn", Status.RETURNED),
        ("da tra ket qua cho cong dan dung han", Status.RETURNED), ("Đã hoàn thành - trễ hạn", Status.RESULT_READY),
    ],
)  # fmt: skip
def test_negated_and_waiting_status_words(word, status):
    assert parse_status(word) is status


@pytest.mark.parametrize(
    "word",
    ["Chưa tiếp nhận", "Không có kết quả", "Đã trả lại", "Chờ trả lại hồ sơ", "Chưa trả", "Chờ nhận kết quả",
     "Đã xử lý - chờ điều gì đó", "Đã trả kết quả - chưa rõ", "Chưa rõ là gì"],
)  # fmt: skip
def test_unrecognised_negations_are_refused_not_guessed(word):
    with pytest.raises(ValueError, match="không nhận ra"):
        parse_status(word)


@pytest.mark.parametrize(
    ("word", "channel"),
    [("DVC mức 3", Channel.ONLINE), ("DVC mức 4", Channel.ONLINE), ("Cổng DVC quốc gia", Channel.ONLINE),
     ("Dịch vụ công trực tuyến", Channel.ONLINE), ("Nộp hồ sơ mức độ 4", Channel.ONLINE),
     ("Nộp qua BCCI", Channel.POST), ("Bưu chính công ích", Channel.POST), ("qua bưu điện", Channel.POST),
     ("Không trực tuyến", Channel.DIRECT), ("khong truc tuyen", Channel.DIRECT),
     ("Trực tiếp/Bưu chính", Channel.DIRECT), ("Trực tuyến (không qua bưu chính)", Channel.ONLINE)],
)  # fmt: skip
def test_channel_words(word, channel):
    assert parse_channel(word) is channel


def test_negated_channel_that_says_nothing_is_refused():
    with pytest.raises(ValueError, match="không nhận ra"):
        parse_channel("Chưa trực tuyến")


CODE = "000.00.17.H10-250303-0001"


@pytest.mark.parametrize(
    "pasted",
    [CODE + "\u200b", "\ufeff" + CODE, "\u200c" + CODE + "\u200d", "\u2060" + CODE, "\xa0" + CODE + "\xa0",
     "000.00.17.H10-250303-\u00ad0001", "\u200b " + CODE + " \u200b"],
)  # fmt: skip
def test_invisible_characters_leave_codes(pasted):
    assert code_text(pasted) == (CODE, None)


def test_invisible_characters_leave_ids_phones_and_free_text():
    assert code_text("1.004873\u200b", "procedure_code") == ("1.004873", None)
    assert code_text("\ufeff079123456789", "citizen_id") == ("079123456789", None)
    assert code_text("0905\u00ad123\u200b456", "phone") == ("0905123456", None)
    assert plain_text("\ufeffNguyễn\u200b Văn\xa0An\u2060") == "Nguyễn Văn An"
    assert plain_text("Thôn\xa01,\u200d xã An Bình") == "Thôn 1, xã An Bình"


def test_reader_rejects_negations_it_does_not_know_and_reads_the_rest(make_xlsx):
    def row(n, status, channel="Trực tiếp"):
        return [str(n), f"ST-{n:04d}", "Nguyễn Văn A", "", "", "", "1.001193", "", "", channel, status,
                "16/11/2026 08:00", "19/11/2026 17:00", None, None]  # fmt: skip

    path = make_xlsx([
        row(1, "Đang chờ trả kết quả"), row(2, "Chưa có kết quả"), row(3, "Không tiếp nhận"),
        row(4, "Đã trả lại hồ sơ"), row(5, "Chưa tiếp nhận"), row(6, "Đang xử lý", "DVC mức 4"),
        row(7, "Đang xử lý", "Nộp qua BCCI"), row(8, "Đang xử lý", "Không trực tuyến"),
    ])  # fmt: skip
    parsed = read_cases_file(path)
    got = {r.code: (r.status, r.channel) for r in parsed.rows}
    assert got == {
        "ST-0001": (Status.RESULT_READY, Channel.DIRECT), "ST-0002": (Status.PROCESSING, Channel.DIRECT),
        "ST-0003": (Status.REFUSED, Channel.DIRECT), "ST-0004": (Status.REFUSED, Channel.DIRECT),
        "ST-0006": (Status.PROCESSING, Channel.ONLINE), "ST-0007": (Status.PROCESSING, Channel.POST),
        "ST-0008": (Status.PROCESSING, Channel.DIRECT),
    }  # fmt: skip
    assert [r.reason for r in parsed.rejected] == ["Dòng 8: Trạng thái 'Chưa tiếp nhận' không nhận ra"]


def _forge_sheet_size(path, keep: int = 4096) -> None:
    """Make the zip headers of the sheet declare only its first `keep` bytes (size and CRC of that prefix): a
    directory check sees a small member; calamine finds the member larger than declared."""
    with zipfile.ZipFile(path) as zf:
        body = zf.read("xl/worksheets/sheet1.xml")
    assert len(body) > keep
    crc = zlib.crc32(body[:keep]) & 0xFFFFFFFF
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    local = data.find(b"PK\x03\x04" + b"\x14\x00")
    while data[local + 30 : local + 30 + len(name)] != name:
        local = data.find(b"PK\x03\x04", local + 4)
    struct.pack_into("<I", data, local + 14, crc)
    struct.pack_into("<I", data, local + 22, keep)
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 16, crc)
    struct.pack_into("<I", data, central + 24, keep)
    path.write_bytes(bytes(data))


def test_a_zip_with_forged_sizes_is_refused_in_vietnamese(make_xlsx, caplog):
    row = ["1", "HS-0001", "Nguyễn Văn An", "", "", "", "", "", "", "", "Đang xử lý", "25/01/2025"]
    path = make_xlsx([row] * 400)
    _forge_sheet_size(path)
    with (
        caplog.at_level(logging.WARNING, logger="tthc_desk.sync.workbook"),
        pytest.raises(ImportFailed) as info,
    ):
        load_sheet(path)
    message = info.value.message
    assert message.startswith("Tệp 'hs.xlsx' bị hỏng hoặc không phải bảng tính hợp lệ")
    assert "error" not in message.lower() and "declared" not in message  # calamine's English stays in the log
    assert "declared uncompressed size" in caplog.text


def test_row_limit_message_is_one_sentence(make_xlsx):
    path = make_xlsx([["1", "HS-0001"]] * 60, name="danh sách, tháng 11.xlsx")
    assert _failure_message(path, ReadLimits(max_rows=50)) == (
        "Tệp 'danh sách, tháng 11.xlsx' có 63 dòng, vượt giới hạn 50 dòng mỗi lần nhập; hãy chia nhỏ tệp."
    )


def test_row_limit_message_uses_dots_for_thousands(make_xlsx):
    path = make_xlsx([["1", "HS-0001"]])
    set_dimension(path, "A1:O1000001")
    assert _failure_message(path, ReadLimits(max_rows=200_000)) == (
        "Tệp 'hs.xlsx' có 1.000.001 dòng, vượt giới hạn 200.000 dòng mỗi lần nhập; hãy chia nhỏ tệp."
    )


def _failure_message(path, limits) -> str:
    with pytest.raises(ImportFailed) as info:
        load_sheet(path, limits=limits)
    return info.value.message
