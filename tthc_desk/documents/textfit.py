"""Fitting plain text to a width fast: the register measures and wraps ~1M words per 10,000 rows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from itertools import repeat

from reportlab.pdfbase import pdfmetrics

from tthc_desk.text import nfc

_BREAK_AFTER = re.compile(r"(?<=[-/.,;])")


@cache
def _metrics(font: str) -> tuple[Callable[[int, float], float], float]:
    face = pdfmetrics.getFont(font).face
    return face.charWidths.get, face.defaultWidth


def text_width(text: str, font: str, size: float) -> float:
    """stringWidth without reportlab's per-call overhead (the register measures ~1M words)."""
    get, default = _metrics(font)
    return 0.001 * size * sum(map(get, map(ord, text), repeat(default)))


@lru_cache(maxsize=20_000)
def wrap(text: str, font: str, size: float, width: float) -> str:
    """Text broken into lines that fit `width` (at spaces, then after '-', '/', '.', then anywhere)."""
    lines: list[str] = []
    for para in nfc(text).splitlines() or [""]:
        para = " ".join(para.split())
        if text_width(para, font, size) <= width:
            lines.append(para)
        else:
            lines += _greedy(_pieces(para.split(" "), font, size, width), text_width(" ", font, size), width)
    return "\n".join(lines)


def _pieces(words: list[str], font: str, size: float, width: float) -> Iterator[tuple[str, float, bool]]:
    """(piece, width, starts_a_word) with over-long words cut after '-', '/', '.', or between characters."""
    for word in words:
        w = text_width(word, font, size)
        if w <= width:
            yield word, w, True
            continue
        parts = [p for chunk in _BREAK_AFTER.split(word) for p in _cut(chunk, font, size, width)]
        for i, part in enumerate(parts):
            yield part, text_width(part, font, size), i == 0


def _cut(chunk: str, font: str, size: float, width: float) -> list[str]:
    return list(chunk) if text_width(chunk, font, size) > width else [chunk]


def _greedy(pieces: Iterable[tuple[str, float, bool]], space: float, width: float) -> list[str]:
    lines: list[str] = []
    cur, used = "", 0.0
    for piece, w, new_word in pieces:
        gap = space if (cur and new_word) else 0.0
        if cur and used + gap + w > width:
            lines.append(cur)
            cur, used = piece, w
        else:
            cur, used = cur + (" " if gap else "") + piece, used + gap + w
    return lines + [cur] if cur else lines
