"""Text at the input boundary: NFC, trimmed whitespace, and diacritic-free folding for search."""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
# Control characters that are no part of any text: C0 ones other than tab, line breaks and form feeds, and DEL.
# They come pasted along with text, or out of a workbook ("_x0000_" in a portal file is a NUL); PostgreSQL
# refuses a NUL in text (SQLite keeps it), and an .xlsx cannot hold most of them.
CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def nfc(value: str | None) -> str:
    """Return `value` in Unicode NFC without control characters, surrounding whitespace trimmed ('' for None)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    if not text.isprintable():  # also False for line breaks and tabs: the search then decides
        text = CONTROL.sub("", text)
    return text.strip()


def clean(value: str | None) -> str:
    """NFC, trimmed, and every run of whitespace (line breaks included) collapsed to one space."""
    return _WS.sub(" ", nfc(value))


def clean_multiline(value: str | None) -> str:
    """NFC and trimmed, keeping line breaks but collapsing spaces inside each line."""
    lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in nfc(value).splitlines()]
    return "\n".join(ln for ln in lines if ln)


_NOT_ASCII_OR_MARK = re.compile("[^\x00-\x7f\u0300-\u036f]")  # the marks: the block Vietnamese decomposes into


def fold(value: str | None) -> str:
    """Lower-case, diacritic-free form for matching: 'Nguyễn Văn Ấn' -> 'nguyen van an'."""
    return strip_marks(unicodedata.normalize("NFD", clean(value).lower()))


def strip_marks(decomposed: str) -> str:
    """NFD text without its combining marks (category Mn), 'đ' as 'd'. When the text is ASCII letters and
    U+0300–U+036F marks only (all Vietnamese), the marks go by one ASCII encode (10x faster than testing each
    character's category); anything else takes the general test."""
    text = decomposed.replace("đ", "d")
    if _NOT_ASCII_OR_MARK.search(text) is None:
        return text.encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def digits(value: str | None) -> str:
    """Only the digits of `value` (phone and ID numbers are typed with spaces and dots)."""
    return "".join(ch for ch in nfc(value) if ch.isdigit())
