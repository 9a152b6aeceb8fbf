import csv
import unicodedata

import pytest

from tthc_desk.paths import resource_path
from tthc_desk.sync.legacy import (
    ENCODING_FONTS,
    TCVN3,
    UNICODE,
    VIETNAMESE_LETTERS,
    VNI,
    decode_8bit,
    decode_8bit_cells,
    decode_cell,
    detect_encoding,
    encode_tcvn3,
    encode_vni,
    is_upper_font,
    legacy_font,
)

SENTENCES = [
    "Hồ sơ đăng ký khai sinh",
    "Cấp giấy chứng nhận quyền sử dụng đất",
    "Phường Mỹ Đình 2, quận Nam Từ Liêm",
    "Trần Thị Thuỳ Dương",
    "Chứng thực bản sao từ bản chính",
    "Lê Văn Hoãn",
    "Đào Thị Ngọc ánh",
]


def _rows():
    with resource_path("data", "vn_legacy_charsets.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_table_is_shipped_and_complete():
    assert len(_rows()) == 186
    assert len(VIETNAMESE_LETTERS) == 186


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["unicode_cp"])
def test_every_letter_decodes_from_both_legacy_forms(row):
    char = row["unicode_char"]
    # TCVN3 has one byte for upper and lower toned letters: in a normal font it reads lower case,
    # in an H font it reads upper case.
    assert decode_cell(row["tcvn3_as_cp1252"], ".VnTime")[0] in (char, char.lower())
    assert decode_cell(row["tcvn3_as_cp1252"], ".VnTimeH")[0] == char.upper()
    assert decode_cell(row["vni_win_as_cp1252"], "VNI-Times")[0] == char


@pytest.mark.parametrize("text", SENTENCES)
def test_byte_pattern_detects_tcvn3_and_vni_without_font(text):
    tcvn, vni = encode_tcvn3(text), encode_vni(text)
    assert detect_encoding(tcvn) == TCVN3
    assert detect_encoding(vni) == VNI
    assert decode_cell(vni) == (text, VNI)
    # Without an H font TCVN3 has no toned capitals, so compare case-folded.
    assert decode_cell(tcvn)[0].lower() == text.lower()


@pytest.mark.parametrize(
    "text",
    SENTENCES + ["Hoà Bình", "Hà Giang", "Tôi tên Tú", "Ông Bà", "UBND", "25°C", "«Khu A»", ""],
)
def test_unicode_is_never_decoded(text):
    assert detect_encoding(text) == UNICODE
    assert decode_cell(text) == (unicodedata.normalize("NFC", text), UNICODE)
    nfd = unicodedata.normalize("NFD", text)
    assert decode_cell(nfd) == (unicodedata.normalize("NFC", text), UNICODE)


def test_unicode_text_in_a_legacy_font_stays_unicode():
    # Typed with Unikey in Unicode mode into a cell still formatted .VnTime.
    assert decode_cell("Nguyễn Văn An", ".VnTime") == ("Nguyễn Văn An", UNICODE)
    assert decode_cell("Nguyễn Văn An", "VNI-Times") == ("Nguyễn Văn An", UNICODE)


def test_font_decides_when_the_pattern_is_ambiguous():
    # "bé" is Unicode in Calibri, but in .VnTime the same bytes show "bộ".
    assert decode_cell("bé") == ("bé", UNICODE)
    assert decode_cell("bé", ".VnTime") == ("bộ", TCVN3)


def test_upper_case_font():
    assert decode_cell("nguyÔn v¨n ®øc", ".VnTimeH") == ("NGUYỄN VĂN ĐỨC", TCVN3)
    assert decode_cell("nguyÔn v¨n ®øc", ".VnArial") == ("nguyễn văn đức", TCVN3)


def test_font_names():
    assert legacy_font(".VnTime") == TCVN3
    assert legacy_font(".VnArial NarrowH") == TCVN3
    assert legacy_font("VNI-Helve") == VNI
    assert legacy_font("Times New Roman") is None and legacy_font(None) is None
    assert is_upper_font(".VnTimeH") and not is_upper_font(".VnTime") and not is_upper_font("VNI-TimesH")


def test_words_with_the_initials_gi_and_qu_are_vietnamese():
    """"giải" has the vowels "ai" after the initial "gi": judged as "iai" it was an impossible word, so the
    TCVN3 reading of "§ang gi¶i quyÕt" lost to its garbled Windows-1258 reading."""
    assert decode_cell("§ang gi¶i quyÕt") == ("Đang giải quyết", TCVN3)
    assert decode_cell("GiÊy phÐp") == ("Giấy phép", TCVN3)
    assert decode_cell("Giaáy pheùp") == ("Giấy phép", VNI)


def test_a_tone_on_the_glide_ending_a_syllable_is_not_vietnamese():
    """Windows-1258 "xã" (b"xa\\xde") reads as "xaị" in TCVN3: a tone is never written on the i of "ai", so
    that reading counts as impossible even in a file that shows TCVN3 everywhere else."""
    tcvn3_cells = [encode_tcvn3(t).encode("cp1252") for t in SENTENCES] * 2
    assert decode_8bit_cells([*tcvn3_cells, b"xa\xde"])[b"xa\xde"] == ("xã", UNICODE)


def test_a_cell_showing_no_encoding_is_read_in_the_one_the_file_shows():
    header = encode_vni("Số hồ sơ").encode("cp1252")  # "Soá hoà sô": Windows-1258 letters too
    assert decode_8bit(header) == ("Soá hoà sô", UNICODE)
    names = [encode_vni(t).encode("cp1252") for t in SENTENCES]
    read = decode_8bit_cells([header, *names])
    assert read[header] == (encode_vni("Số hồ sơ"), VNI)
    assert [decode_cell(read[n][0], ENCODING_FONTS[read[n][1]]) for n in names] == [(t, VNI) for t in SENTENCES]


@pytest.mark.parametrize("word", ["tũch", "tìch", "tỉch", "chớnh", "ơnh", "Trùc", "lãp"])
def test_a_syllable_closed_in_a_way_vietnamese_never_closes_one_is_impossible(word):
    """A stop (p, t, c, ch) takes only the sắc or nặng tone; ch and nh follow only a, ê, i, y."""
    from tthc_desk.sync.legacy import _impossible

    assert _impossible(word)


@pytest.mark.parametrize("word", ["huých", "khuếch", "hoạch", "Huỳnh", "giành", "lịch", "tích", "Đắk", "Lắk",
                                  "ếch", "mạnh", "quýt", "tuyết", "nghiệp", "ngoặt", "thoát", "xoong"])
def test_closed_syllables_vietnamese_has_are_possible(word):
    from tthc_desk.sync.legacy import _impossible

    assert not _impossible(word)


@pytest.mark.parametrize(("text", "encoding"), [
    ("Hộ tịch", VNI), ("Bưu chính", VNI), ("Đăng ký hộ tịch", VNI), ("Trực tiếp", TCVN3), ("Trực tuyến", TCVN3),
])  # fmt: skip
def test_a_legacy_cell_without_its_font_and_with_letters_unicode_has_too(text, encoding):
    """Cells pasted from an old file keep their bytes but lose the font. VNI "Hoä tòch" read as TCVN3 was
    "Hoọ tũch" (imported as the field, silently); TCVN3 "Trùc tiÕp" was kept as it stood. A reading that
    turns a word that cannot be Vietnamese into one that can is the evidence."""
    raw = encode_vni(text) if encoding == VNI else encode_tcvn3(text)
    assert decode_cell(raw) == (text, encoding)


def test_a_unicode_sheet_with_rows_pasted_from_an_old_vni_file(make_xlsx):
    from tthc_desk.domain import Channel
    from tthc_desk.sync.reader import read_cases_file

    headers = ["Mã hồ sơ", "Người nộp", "Mã thủ tục", "Lĩnh vực", "Kênh", "Ngày tiếp nhận", "Trạng thái"]
    rows = [[f"HS-{i}", "Nguyễn Văn Tài", "1.001193", "Hộ tịch", "Bưu chính", "20/11/2026 08:00", "Đang xử lý"]
            for i in range(20)]
    rows += [["HS-V", encode_vni("Lê Văn Bửu"), "1.001193", encode_vni("Hộ tịch"), encode_vni("Bưu chính"),
              "20/11/2026 08:00", encode_vni("Đang xử lý")]]
    parsed = read_cases_file(make_xlsx(rows, headers=headers, title=None))
    pasted = next(r for r in parsed.rows if r.code == "HS-V")
    assert (pasted.applicant, pasted.field, pasted.channel) == ("Lê Văn Bửu", "Hộ tịch", Channel.POST)


@pytest.mark.parametrize("text", ["José Müller", "Công ty TNHH Müller", "Muñoz", "Hélène", "Lê Hoàng Phúc"])
def test_unicode_names_of_latin_1_letters_stay_as_written(text):
    """The re-check of the sync audit: "José Müller" in a plain Unicode sheet was stored as TCVN3 "Josộ Mỹller".
    Vietnamese never writes f, j, w, z or a doubled consonant; abbreviations ("TTĐB", "QĐ-TTg") have no vowel
    and are not judged so."""
    assert decode_cell(text) == (text, UNICODE)


@pytest.mark.parametrize("text", ["Søren Nielsen", "Ünal", "Peña", "Schröder", "Günter Köhler", "Ørsted",
                                  "Piñera", "Mañana"])
def test_a_reading_that_cuts_a_foreign_word_into_syllables_is_no_vietnamese(text):
    """Read as TCVN3, "Søren" is "Sứren"; as VNI, "Peña" is "Peđa": a Vietnamese syllable is a word of its own,
    so a reading that changes a word of letters before its last vowel is not Vietnamese."""
    assert decode_cell(text) == (text, UNICODE)


@pytest.mark.parametrize("text", ["Raúl", "Gül", "Raúl García", "Ismaël Martin", "Gaël", "Anaïs Dubois"])
def test_a_foreign_name_whose_reading_ends_in_a_consonant_vietnamese_never_ends_in_stays(text):
    """VNI read "Raúl" as "Rẳl" and TCVN3 "Gül" as "Gỹl", "Anaïs" as "Anaùs": one syllable each, so no cut into
    syllables gave them away, and a Unicode sheet stored the applicant's name garbled. No Vietnamese syllable
    ends in l or s."""
    assert decode_cell(text) == (text, UNICODE)


@pytest.mark.parametrize("text", ["Xã Ia Ka, huyện Chư Păh", "Đắk Lắk", "Ksơr Nay H'Lương", "Nguyễn Thị Lắk"])
def test_highland_names_ending_in_k_h_or_r_still_read_in_legacy_encodings(text):
    """The Central Highlands' names end syllables in k, h and r, which the rule above leaves possible."""
    for encode, encoding in ((encode_tcvn3, TCVN3), (encode_vni, VNI)):
        assert decode_cell(encode(text)) == (text, encoding), encoding


@pytest.mark.parametrize("text", ["Khí nitơ lỏng", "Dung dịch axít loãng", "Xe ôtô chở hàng", "Bơm ôxy",
                                  "Người Ê-đê"])
def test_loanwords_of_several_syllables_still_read_in_legacy_encodings(text):
    """Loanwords written as one word carry their marks in the last syllable, are no word as they stand (VNI
    "oâtoâ"), or hold the TCVN3 signs for hats and horns ("«t«"): they are still read as legacy text without
    a font."""
    for encode, encoding in ((encode_tcvn3, TCVN3), (encode_vni, VNI)):
        assert decode_cell(encode(text)) == (text, encoding), encoding


def test_a_pasted_row_decides_a_cell_that_is_valid_unicode_alone(make_xlsx):
    """VNI "Hồ Thị Thu" is "Hoà Thò Thu", valid Unicode: the VNI cells beside it (no font either) decide."""
    from tthc_desk.sync.reader import read_cases_file

    headers = ["Mã hồ sơ", "Người nộp", "Mã thủ tục", "Lĩnh vực", "Kênh", "Ngày tiếp nhận", "Trạng thái"]
    rows = [[f"HS-{i}", "Hoà Thò Thu", "1.001193", "Hộ tịch", "Bưu chính", "20/11/2026 08:00", "Đang xử lý"]
            for i in range(20)]  # a real "Hoà Thò Thu" in a Unicode row stays
    rows += [["HS-V", encode_vni("Hồ Thị Thu"), "1.001193", encode_vni("Hộ tịch"), encode_vni("Bưu chính"),
              "20/11/2026 08:00", encode_vni("Đang xử lý")]]
    parsed = read_cases_file(make_xlsx(rows, headers=headers, title=None))
    names = {r.code: r.applicant for r in parsed.rows}
    assert names["HS-V"] == "Hồ Thị Thu" and names["HS-0"] == "Hoà Thò Thu"


def test_a_column_kept_in_a_legacy_font_says_nothing_of_the_unicode_cells_beside_it(make_xlsx):
    from tthc_desk.sync.reader import read_cases_file

    headers = ["Mã hồ sơ", "Người nộp", "Mã thủ tục", "Lĩnh vực", "Ngày tiếp nhận"]
    rows = [[f"HS-{i}", "Lê Thành", "1.001193", encode_tcvn3("Hộ tịch"), "20/11/2026 08:00"] for i in range(3)]
    parsed = read_cases_file(make_xlsx(rows, headers=headers, title=None, fonts={(i, 3): ".VnTime" for i in range(3)}))
    assert [(r.applicant, r.field) for r in parsed.rows] == [("Lê Thành", "Hộ tịch")] * 3  # never "Lờ Thành"
