"""Date words, profiles, fonts and the no-Qt rule for the documents package."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime

import pytest

from tthc_desk.documents import available_profiles, date_words, get_profile, moment_words, place_date
from tthc_desk.documents.fonts import bundled_liberation, register_fonts
from tthc_desk.errors import ValidationError
from tthc_desk.paths import resource_path


@pytest.mark.parametrize(
    ("d", "words"),
    [
        (date(2025, 2, 5), "ngày 05 tháng 02 năm 2025"),
        (date(2025, 1, 31), "ngày 31 tháng 01 năm 2025"),
        (date(2020, 11, 26), "ngày 26 tháng 11 năm 2020"),
        (date(2020, 3, 9), "ngày 09 tháng 3 năm 2020"),
    ],
)
def test_date_words_follow_nd30_leading_zeros(d, words):
    assert date_words(d) == words


def test_moment_and_place_words():
    assert moment_words(datetime(2025, 2, 3, 14, 30)) == "14 giờ 30 phút, ngày 03 tháng 02 năm 2025"
    assert moment_words(datetime(2025, 10, 3, 8, 5)) == "08 giờ 05 phút, ngày 03 tháng 10 năm 2025"
    assert place_date("Tây Sơn", date(2025, 2, 5)) == "Tây Sơn, ngày 05 tháng 02 năm 2025"
    assert "....." in moment_words(None) and "....." in date_words(None)


def test_profiles_by_name():
    assert get_profile().name == "tt01_2018"
    assert get_profile("tt01_2018").title("apology") == "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
    p2025 = get_profile("bo_mau_2025")
    assert p2025.title("apology") == "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"
    assert "stop_notice" in p2025.forms
    with pytest.raises(ValidationError):
        get_profile("khong_co")


def test_a_province_adds_a_profile_without_code(tmp_path):
    raw = json.loads(resource_path("profiles", "tt01_2018.json").read_text(encoding="utf-8"))
    raw["name"], raw["forms"]["receipt"]["title"] = (
        "gia_lai",
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Gia Lai)",
    )
    (tmp_path / "gia_lai.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert "gia_lai" in available_profiles([tmp_path])
    assert get_profile("gia_lai", [tmp_path]).title("receipt").endswith("(GIA LAI)")


def test_bundled_fonts_and_licence_are_shipped():
    assert all(p.is_file() for p in bundled_liberation().values())
    assert "SIL Open Font License" in resource_path("fonts", "LICENSE-LiberationSerif.txt").read_text("utf-8")
    fonts = register_fonts(prefer_system=False)
    assert fonts.source == "Liberation Serif"


def test_documents_never_import_qt():
    code = "import sys, tthc_desk.documents; print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "False"
