"""Text at the input boundary (forms, files, clipboard, command line)."""

import unicodedata

from tthc_desk.text import clean, clean_multiline, fold, nfc


def test_nfc_composes_and_trims():
    decomposed = unicodedata.normalize("NFD", "  Nguyễn Văn Ấn ")
    assert nfc(decomposed) == "Nguyễn Văn Ấn" and nfc(None) == ""


def test_control_characters_are_no_part_of_a_text():
    """A NUL pasted or read from a workbook is refused by PostgreSQL (SQLite keeps it): it goes at the boundary,
    with the other C0 controls and DEL; tabs and line breaks stay whitespace."""
    assert nfc("Trần\x00 Thị\x01 Bích\x7f") == "Trần Thị Bích"
    assert clean("Thôn 1,\x1f\x08 xã\tAn\nBình") == "Thôn 1, xã An Bình"
    assert clean_multiline("Dòng 1\x00\nDòng\x0e 2") == "Dòng 1\nDòng 2"
    assert fold("Đ\x00à") == "da"
