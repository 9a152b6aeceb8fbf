"""Alt + letter on buttons and labels: which letter, placed in the label's text without retyping the label."""

from __future__ import annotations


def keyed(text: str, letter: str) -> str:
    """`text` with Qt's '&' before the first `letter` (either case) it contains, so that Alt + that letter
    presses the button (or, on a label, goes to its field). Letters are A–Z or 0–9 — keys a Vietnamese
    keyboard types without the input method; a letter the text does not contain is a programming error."""
    if not (len(letter) == 1 and letter.isascii() and letter.isalnum()):
        raise ValueError(f"not a key: {letter!r}")
    at = text.lower().find(letter.lower())
    if at < 0:
        raise ValueError(f"{letter!r} is not in {text!r}")
    return f"{text[:at]}&{text[at:]}"
