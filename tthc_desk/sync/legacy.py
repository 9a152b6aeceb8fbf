"""Legacy Vietnamese text in workbooks: TCVN3 (ABC) and VNI-Windows, detected and decoded per cell.

Legacy bytes reach us as cp1252 text (Excel stored the 8-bit bytes as Windows-1252 characters), so the
tables map those characters, as listed in resources/data/vn_legacy_charsets.csv, back to Unicode.
Detection uses the cell's font when known (`.VnTime` -> TCVN3, `.VnTimeH` -> TCVN3 upper case,
`VNI-Times` -> VNI) and the character pattern otherwise. Text holding any character that no legacy
byte can produce is Unicode and is never decoded.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Final, NamedTuple

from tthc_desk.paths import resource_path

UNICODE: Final = "unicode"
TCVN3: Final = "tcvn3"
VNI: Final = "vni"

_CSV = resource_path("data", "vn_legacy_charsets.csv")
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Vowel + mark pairs that read as plain Unicode Vietnamese too ("hoà", "hoá", "hoãn"): no evidence of VNI.
_VNI_AMBIGUOUS = frozenset({"oà", "oá", "oã", "OÀ", "OÁ", "OÃ", "Oà", "Oá", "Oã"})
# Guillemets are TCVN3 ô/ằ but also ordinary punctuation: decoded, yet never counted as evidence.
_NOT_EVIDENCE = frozenset("«»")


def _load_tables() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    tcvn3: dict[str, str] = {}
    vni: dict[str, str] = {}
    letters: set[str] = set()
    with _CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            char = row["unicode_char"]
            letters.add(char)
            legacy = row["tcvn3_as_cp1252"]
            # Upper- and lower-case toned letters share one TCVN3 byte: decode to lower case.
            if legacy not in tcvn3 or char.islower():
                tcvn3[legacy] = char
            vni[row["vni_win_as_cp1252"]] = char
    tcvn3 = {k: v for k, v in tcvn3.items() if k != v}
    vni = {k: v for k, v in vni.items() if k != v}
    return tcvn3, vni, frozenset(letters)


_TCVN3_MAP, _VNI_MAP, VIETNAMESE_LETTERS = _load_tables()
_TCVN3_TABLE = str.maketrans(_TCVN3_MAP)
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(_VNI_MAP, key=len, reverse=True)))
_TCVN3_EVIDENCE = frozenset(_TCVN3_MAP) - VIETNAMESE_LETTERS - _NOT_EVIDENCE
_VNI_EVIDENCE_SINGLES = frozenset(k for k in _VNI_MAP if len(k) == 1) - VIETNAMESE_LETTERS
_VNI_EVIDENCE_PAIRS = frozenset(k for k in _VNI_MAP if len(k) == 2) - _VNI_AMBIGUOUS
_VNI_PAIR_RE = re.compile("|".join(re.escape(k) for k in sorted(_VNI_EVIDENCE_PAIRS)))
_LEGACY_CHARS = frozenset(_TCVN3_MAP) | frozenset("".join(_VNI_MAP))
# Any Latin-1 letter or sign that a Vietnamese Unicode text would not contain.
_STRAY = frozenset(chr(c) for c in range(0xA0, 0x100)) - VIETNAMESE_LETTERS


# The font a workbook shows text of each legacy encoding in: a text file's loader names it for the cells it
# has read as legacy, so that the reader decodes them as it does a workbook cell in that font.
ENCODING_FONTS: Final = {TCVN3: ".VnTime", VNI: "VNI-Times"}
# A CSV's cell whose Windows-1258 bytes were decoded to Unicode already: marked with this in place of a font, so
# that the reader counts it as Windows-1258 (and shows the user that the file was in it) and decodes nothing more.
CP1258_CELL: Final = "(Windows-1258)"


def legacy_font(font_name: str | None) -> str | None:
    """The legacy encoding a font name implies: TCVN3 for `.Vn*`, VNI for `VNI-*`, else None."""
    if not font_name:
        return None
    name = font_name.strip().lower()
    if name.startswith(".vn"):
        return TCVN3
    if name.startswith("vni"):
        return VNI
    return None


def is_upper_font(font_name: str | None) -> bool:
    """True for TCVN3 capital fonts (`.VnTimeH`), which draw the lower-case bytes as capitals."""
    return bool(font_name) and legacy_font(font_name) == TCVN3 and font_name.strip().endswith("H")


def _maybe_legacy(text: str) -> bool:
    """False when the text is ASCII or holds a character that no legacy byte can produce."""
    if text.isascii():
        return False
    if max(text) <= "\xff":
        return True
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


_VOWELS = "aăâeêioôơuưy"
_VOWEL_RUN = re.compile(f"[{_VOWELS}]+")
_NUCLEI = frozenset(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iêu iu oa oă oai oao oay oe oeo oi ôi ơi oo ôô"
    " ua uâ uây uê ui uô uôi uơ uy uya uyê uyu ưa ưi ươ ươi ươu ưu yê yêu".split()
)


# A syllable ending in a vowel run whose last vowel is a glide (i, y, o, u: "ai", "oi", "ưu", "oai", "iêu")
# carries its tone on a vowel before it: "hái", never "haí". "uy" and "oo" are the exceptions ("thuỷ" in the
# older style, "xoóng"); "gi" and "qu" before a vowel are the initial consonant, not part of the run.
_BASE_RUN = re.compile("[aeiouy]{2,}")
_GLIDE_EXEMPT = frozenset({"uy", "oo"})


def _initial_length(word: str) -> int:
    """2 when the word starts with the initial consonant "gi" or "qu" before another vowel ("giải", "quyết":
    the vowels are "ai", "yê"), else 0."""
    if word.startswith(("gi", "qu")) and len(word) > 2 and word[2] in _VOWELS:
        return 2
    return 0


def _tone_on_glide(nfd: str) -> bool:
    """Whether a word (lower case, NFD) has its tone on the glide that ends its last vowel run."""
    bases: list[str] = []
    toned: list[bool] = []
    for ch in nfd:
        if not unicodedata.combining(ch):
            bases.append(ch)
            toned.append(False)
        elif ch in _TONES and toned:
            toned[-1] = True
    word = "".join(bases)
    for run in _BASE_RUN.finditer(word, _initial_length(word)):
        end = run.end()
        if end < len(word) and word[end].isalpha():
            continue  # a final consonant follows
        if toned[end - 1] and word[end - 1] in "iyou" and run.group() not in _GLIDE_EXEMPT:
            return True
    return False


# A vowel run and the final consonant after it. A syllable closed by a stop (p, t, c, ch) carries only the
# sắc or nặng tone ("tích", "tịch", never "tìch", "tỉch", "tĩch"); "ch" and "nh" follow only a, ê, i or y as
# the last vowel ("ách", "ếch", "ích", "huých", "anh", "ênh", "inh", "huỳnh"; never "ơnh", "uch").
_CLOSED = re.compile(f"([{_VOWELS}]+)(ch|nh|c|p|t)(?![a-zđ{_VOWELS}])")
_STOP_TONES = frozenset("\u0300\u0309\u0303")  # huyền, hỏi, ngã


def _impossible_rime(bare: str, tones: str) -> bool:
    """Whether a word (lower case, tones taken off; `tones`: the ones it had) closes a syllable in a way
    Vietnamese does not (`_CLOSED`): "Hộ tịch" in VNI bytes read as TCVN3 is "Hoọ tũch", "Bưu chính" is
    "Bửu chớnh"."""
    for run, final in _CLOSED.findall(bare):
        if final in ("ch", "nh") and run[-1] not in "aêiy":
            return True
        if final != "nh" and tones and tones in _STOP_TONES:
            return True
    return False


# Letters Vietnamese spelling never uses (f, j, w, z) and a consonant letter written twice: a reading that makes
# "José Müller" "Josộ Mỹller" (TCVN3) is no Vietnamese.
_FOREIGN = re.compile(r"[fjwz]|([bcdđghklmnpqrstvx])\1")
# A syllable ending in a consonant no Vietnamese syllable ends in: VNI reads "Raúl" as "Rẳl", TCVN3 "Anaïs" as
# "Anaùs". Vietnamese ends a syllable in c, ch, m, n, ng, nh, p, t; the highlands' names add k, h and r ("Đắk
# Lắk", "Chư Păh", "Ksơr"), which are left possible.
_FOREIGN_FINAL = re.compile(f"[{_VOWELS}][bdđglqsvx](?![^\\W\\d_])")


@lru_cache(maxsize=65536)
def _impossible(word: str) -> bool:
    """Whether one word cannot be Vietnamese: two tone marks, a vowel run no syllable has, a tone on the
    glide ending a syllable ("xaị", which the Windows-1258 "xã" reads as in TCVN3), a letter or a doubled
    consonant Vietnamese does not write (`_FOREIGN`), a final consonant it does not (`_FOREIGN_FINAL`), or a
    closed syllable that cannot be (`_impossible_rime`).
    Cached: a file repeats its words."""
    nfd = unicodedata.normalize("NFD", word.lower())
    tones = "".join(ch for ch in nfd if ch in _TONES)
    if len(tones) > 1 or _tone_on_glide(nfd):
        return True
    bare = unicodedata.normalize("NFC", "".join(ch for ch in nfd if ch not in _TONES))
    if any(run not in _NUCLEI for run in _VOWEL_RUN.findall(bare, _initial_length(bare))):
        return True
    # (an abbreviation has no vowel to make a syllable of: "TTĐB", "QĐ-TTg" are no foreign words)
    if _FOREIGN_FINAL.search(bare):
        return True
    return bool(_FOREIGN.search(bare) and _VOWEL_RUN.search(bare)) or _impossible_rime(bare, tones)


# The Windows-1258 reading of a text file's bytes, weighed beside the legacy ones (`_readings`).
CP1258: Final = "cp1258"
_CP1258: Final = CP1258


class _Reading(NamedTuple):
    """What reading a text in one encoding shows, summed over its words."""

    evidence: int  # characters (VNI: also letter + mark pairs; Windows-1258: bytes) only this encoding gives
    bad: int  # words it changes into something that cannot be Vietnamese (`_impossible`)
    leftover: int  # characters it leaves that Vietnamese text has not
    changed: int  # words it changes

    @property
    def quality(self) -> int:
        """The evidence, less 2 for each impossible word and each character left over."""
        return self.evidence - 2 * (self.bad + self.leftover)

    @property
    def clean(self) -> bool:
        """Whether the reading changes the text into nothing but possible words and Vietnamese letters."""
        return bool(self.changed) and not self.bad and not self.leftover


def _split_by_reading(word: str, decoded: str) -> bool:
    """Whether a reading changes a word made of letters alone before the last of its vowel runs, where the word
    has more than one: the Unicode names "Søren", "Ünal", "Peña" are "Sứren", "ĩnal" (TCVN3) and "Peđa" (VNI).
    A Vietnamese syllable is a word of its own; the few loanwords written as one word carry their marks in the
    last syllable ("nitơ", "axít"), and TCVN3 writes hats and horns as signs, not letters ("«t«" is "ôtô")."""
    if not word.isalpha():
        return False
    same = 0
    for a, b in zip(word, decoded, strict=False):
        if a != b:
            break
        same += 1
    bare = unicodedata.normalize("NFC", "".join(ch for ch in unicodedata.normalize("NFD", decoded.lower())
                                                 if ch not in _TONES))
    runs = [m.start() for m in _VOWEL_RUN.finditer(bare, _initial_length(bare))]
    return len(runs) > 1 and same < runs[-1]


def _reading(
    word: str, decoded: str, evidence: int, leftover: int, as_is_bad: bool
) -> tuple[int, int, int, int]:
    """One word's reading. A word that cannot be Vietnamese as it stands (`as_is_bad`: "Trùc", a tone on a
    syllable closed by c) and that this reading makes a possible one ("Trực") is one more piece of evidence
    for it: TCVN3 "Trùc tiÕp" and VNI "Hoä tòch" hold only letters Unicode has too. A reading that cuts a
    word possible as it stands into syllables (`_split_by_reading`) is as bad as one giving a word that cannot
    be: "Søren" is a name, where VNI "oâtoâ" ("ôtô") is no word as it stands."""
    changed = decoded != word
    bad = changed and (_impossible(decoded) or (not as_is_bad and _split_by_reading(word, decoded)))
    return evidence + (changed and as_is_bad and not bad), bad, leftover, changed


@lru_cache(maxsize=65536)
def _word_readings(word: str) -> tuple[int, ...]:
    """The TCVN3, VNI and Windows-1258 readings of one non-ASCII word of cp1252 text (as a legacy font's cell
    holds it, or as `cp1252_text` gives a text file's bytes), flat: the fields of three `_Reading`s, for a
    text's words to be summed fast. Windows-1258 reads the word's bytes; a word no bytes give (a Unicode
    cell's "ễ") has no such reading. Cached: a file repeats its words."""
    tcvn3 = word.translate(_TCVN3_TABLE)
    vni = _VNI_RE.sub(lambda m: _VNI_MAP[m.group()], word)
    tcvn3_evidence = sum(ch in _TCVN3_EVIDENCE for ch in word)
    vni_evidence = len(_VNI_PAIR_RE.findall(word)) + sum(ch in _VNI_EVIDENCE_SINGLES for ch in word)
    as_is_bad = _impossible(word)
    legacy = (
        *_reading(word, tcvn3, tcvn3_evidence, sum(ch in _STRAY for ch in tcvn3), as_is_bad),
        *_reading(word, vni, vni_evidence, sum(ch in _STRAY for ch in vni), as_is_bad),
    )
    try:
        raw = bytes(map(_BYTE_OF.__getitem__, word))
    except KeyError:
        return (*legacy, 0, 0, 0, 0)
    text = unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace"))
    cp1258_evidence = sum(map(_CP1258_OWN.__contains__, raw))
    return (*legacy, *_reading(word, text, cp1258_evidence, sum(map(_leftover, text)), as_is_bad))


def _readings(text: str) -> dict[str, _Reading]:
    """Each reading of a text (see `_word_readings`), its words' summed. Reading word by word gives what
    reading the whole text gives: no encoding turns a space into a letter or a letter into a space. ASCII
    words read the same in all; a no-break space, at which Python splits, is a character left over."""
    each = [_word_readings(word) for word in text.split() if not word.isascii()]
    total = each[0] if len(each) == 1 else tuple(map(sum, zip(*each, strict=True))) or (0,) * 12
    tcvn3, vni, cp1258 = _Reading(*total[:4]), _Reading(*total[4:8]), _Reading(*total[8:])
    spaces = text.count("\xa0")
    if spaces:
        tcvn3 = tcvn3._replace(leftover=tcvn3.leftover + spaces)
        vni = vni._replace(leftover=vni.leftover + spaces)
    return {TCVN3: tcvn3, VNI: vni, _CP1258: cp1258}


def detect_encoding(text: str, font_name: str | None = None) -> str:
    """'unicode', 'tcvn3' or 'vni' for one cell's text, from its font and its characters."""
    if not text or not _maybe_legacy(text):
        return UNICODE
    by_font = legacy_font(font_name)
    if by_font is not None:
        return by_font
    return _best_legacy(text)[0]


def _best_legacy(text: str) -> tuple[str, int]:
    """(encoding, quality) of the better legacy reading of `text`, or ('unicode', 0) when neither scores:
    quality is the legacy-only characters found, less 2 for each decoded word that cannot be Vietnamese
    and each character left undecoded (`_Reading.quality`)."""
    return _better_legacy(_readings(text))


def _better_legacy(readings: dict[str, _Reading]) -> tuple[str, int]:
    best, best_quality = UNICODE, 0
    for encoding in (TCVN3, VNI):
        reading = readings[encoding]
        if reading.evidence and reading.quality > best_quality:
            best, best_quality = encoding, reading.quality
    return best, best_quality


def _decode_as(text: str, encoding: str) -> str:
    if encoding == TCVN3:
        return text.translate(_TCVN3_TABLE)
    if encoding == VNI:
        return _VNI_RE.sub(lambda m: _VNI_MAP[m.group()], text)
    return text


def decode_cell(text: str, font_name: str | None = None) -> tuple[str, str]:
    """Return (`text` as NFC Unicode, encoding detected); Unicode text is only normalised."""
    encoding = detect_encoding(text, font_name)
    decoded = _decode_as(text, encoding)
    # An H font draws lower-case bytes as capitals, ASCII included: keep what the user saw.
    if (encoding == TCVN3 or text.isascii()) and is_upper_font(font_name):
        decoded = decoded.upper()
    return unicodedata.normalize("NFC", decoded), encoding


# Text files (CSV) have no fonts and no single code page: an old program writes TCVN3 or VNI bytes, Excel on a
# Vietnamese Windows writes Windows-1258 (base letter + a combining tone byte: "xã" is b"xa\xde").
# Bytes 0x80-0x9F read as Windows-1252 (the form the tables and `decode_cell` take); undefined ones stay as is.
_CP1252_C1 = {i: bytes([i]).decode("cp1252", errors="ignore") or chr(i) for i in range(0x80, 0xA0)}
# Bytes where Windows-1258 differs from Windows-1252: its own letters (Ă Đ Ơ Ư ₫) and its combining tone marks.
_CP1258_OWN = frozenset(b"\xc3\xcc\xd0\xd2\xd5\xdd\xde\xe3\xec\xf0\xf2\xf5\xfd\xfe")

# Each character of `cp1252_text`'s output -> the byte it stands for (its inverse).
_BYTE_OF: Final = {bytes([i]).decode("latin-1").translate(_CP1252_C1): i for i in range(256)}


def cp1252_text(raw: bytes) -> str:
    """8-bit bytes as the Windows-1252 text Excel keeps for a legacy font, which `decode_cell` reads."""
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # one of the five bytes Windows-1252 leaves undefined
        return raw.decode("latin-1").translate(_CP1252_C1)


def decode_8bit(raw: bytes) -> tuple[str, str]:
    """One cell of a text file that is not UTF-8 -> (text, encoding), decided on this cell's bytes alone.

    TCVN3 or VNI bytes come back as `cp1252_text` (what a workbook cell in a legacy font holds) with
    encoding 'tcvn3'/'vni', for `decode_cell` to decode; anything else is Windows-1258, returned as NFC
    Unicode with encoding 'unicode'. Legacy wins only when `detect_encoding` finds it in the cp1252 text
    and it also reads better than the Windows-1258 reading of the same bytes (scored alike: that code
    page's own bytes, less 2 for each word that cannot be Vietnamese, a tone mark left on no vowel or a
    letter Vietnamese has not): b"xa\xde" is "xã" in Windows-1258 but "xaị" in TCVN3, a tie that goes to
    Windows-1258, as an ambiguous workbook cell without a legacy font stays Unicode.
    """
    text, encoding, _shown, _quality = _read_8bit(raw)
    return text, encoding


def _read_8bit(raw: bytes) -> tuple[str, str, str | None, int]:
    """`decode_8bit`, the encoding the cell shows itself (the legacy one that read better, 'unicode' when
    Windows-1258's own bytes read clean and better, None when neither reading has evidence) and the quality
    of that reading."""
    view = cp1252_text(raw)
    readings = _readings(view)
    encoding, quality = _better_legacy(readings) if _maybe_legacy(view) else (UNICODE, 0)
    cp1258_quality = readings[_CP1258].quality
    if encoding != UNICODE and quality > cp1258_quality:
        return view, encoding, encoding, quality
    unicode_text = unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace"))
    if cp1258_quality > max(quality, 0):
        return unicode_text, UNICODE, UNICODE, cp1258_quality
    return unicode_text, UNICODE, None, 0


# A file is read in one legacy encoding when at least this many cells show it and it is this many times as
# common as each other encoding shown; its cells then weigh a clean reading in it as this much evidence.
_FILE_EVIDENCE, _FILE_MARGIN, _FILE_WEIGHT = 3, 3, 2


def decode_8bit_cells(cells: list[bytes]) -> dict[bytes, tuple[str, str]]:
    """Each cell of one text file -> what `decode_8bit` gives, weighed by what the whole file shows.

    A file is usually written by one program in one encoding, but a short text often reads as Vietnamese
    more than one way: VNI "Soá hoà sô" (the header "Số hồ sơ") is also Windows-1258 letters, and VNI "Boä"
    (Bộ) reads as TCVN3 too. When the file's cells show one legacy encoding far more than any other, a
    clean reading in it (no impossible word, nothing left undecoded) counts `_FILE_WEIGHT` more in every
    cell, so a cell showing little goes with the file, and one with strong evidence of its own (several
    Windows-1258 tone bytes: a file pieced together from two exports) keeps it. A file showing no clear
    majority has each cell decided alone.
    """
    read = {raw: _read_8bit(raw) for raw in dict.fromkeys(cells)}
    file_encoding = _file_encoding(Counter(shown for *_text, shown, _q in read.values() if shown is not None))
    out: dict[bytes, tuple[str, str]] = {}
    for raw, (text, encoding, _shown, quality) in read.items():
        if file_encoding is not None and encoding != file_encoding:
            view = cp1252_text(raw)
            if _goes_with(_readings(view)[file_encoding], quality):
                text, encoding = view, file_encoding
        out[raw] = (text, encoding)
    return out


def _file_encoding(shown: Counter[str]) -> str | None:
    """The legacy encoding a file's cells show far more than any other (see `decode_8bit_cells`), or None."""
    if not shown:
        return None
    (top, count), *rest = shown.most_common()
    if top == UNICODE or count < _FILE_EVIDENCE or any(n * _FILE_MARGIN > count for _enc, n in rest):
        return None
    return top


def sheet_encoding(texts: Iterable[str]) -> str | None:
    """The legacy encoding a workbook's text cells *without* a legacy font show far more than any other (as
    `decode_8bit_cells` weighs a text file's cells), or None. A cell holding a character no legacy byte gives
    ("ễ", "ơ") shows Unicode; a Unicode sheet has many, and then nothing changes."""
    shown: Counter[str] = Counter()
    for text in texts:
        if not _maybe_legacy(text):
            shown[UNICODE] += not text.isascii()
            continue
        encoding, _quality = _best_legacy(text)
        if encoding != UNICODE:
            shown[encoding] += 1
    return _file_encoding(shown)


def reads_as(text: str, encoding: str) -> bool:
    """Whether a text cell of a sheet showing `encoding` (`sheet_encoding`) is to be read in it: what `detect_
    encoding` finds in the cell alone, or a clean reading in it weighed as `decode_8bit_cells` weighs one
    ("Trùc tiÕp", letters Unicode has too, is TCVN3 "Trực tiếp" in a TCVN3 sheet)."""
    if not _maybe_legacy(text):
        return False
    readings = _readings(text)
    own, quality = _better_legacy(readings)
    return own == encoding or _goes_with(readings[encoding], quality)


def _goes_with(reading: _Reading, quality: int) -> bool:
    """Whether a cell goes with the encoding its file or sheet shows (`_FILE_WEIGHT`): `reading` is the cell
    read in it, `quality` that of what the cell shows alone."""
    return reading.clean and reading.evidence + _FILE_WEIGHT > quality


@lru_cache(maxsize=4096)
def _leftover(ch: str) -> bool:
    """A character the Windows-1258 reading leaves that Vietnamese text has not: an undecodable byte, a tone
    mark on no letter, a letter that is not Vietnamese."""
    return (
        ch == "\ufffd"
        or bool(unicodedata.combining(ch))
        or (ch.isalpha() and not ch.isascii() and ch not in VIETNAMESE_LETTERS)
    )


def encode_tcvn3(text: str) -> str:
    """Unicode -> TCVN3-as-cp1252 text (tests and fixtures; capitals of toned letters fold to lower case)."""
    reverse = {v: k for k, v in _TCVN3_MAP.items()}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        out.append(reverse.get(ch) or reverse.get(ch.lower(), ch))
    return "".join(out)


def encode_vni(text: str) -> str:
    """Unicode -> VNI-Windows-as-cp1252 text (tests and fixtures)."""
    reverse = {v: k for k, v in _VNI_MAP.items()}
    return "".join(reverse.get(ch, ch) for ch in unicodedata.normalize("NFC", text))
