"""Numbers written the Vietnamese way: '19.150' (dot thousands), '93,96 %' (comma decimals, spaced percent)."""

from __future__ import annotations


def fmt_int(value: int | None) -> str:
    """'19.150'; '' for None."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", ".")


def fmt_decimal(value: float | None, places: int = 2) -> str:
    """'93,96', '1.234,50'; '' for None."""
    if value is None:
        return ""
    text = f"{value:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_pct(value: float | None, places: int = 2) -> str:
    """'93,96 %'; '–' when there is no rate (nothing to divide by)."""
    if value is None:
        return "–"
    return f"{fmt_decimal(value, places)} %"


def ratio(numerator: int, denominator: int) -> float | None:
    """numerator / denominator in per cent, None when the denominator is 0."""
    if not denominator:
        return None
    return 100.0 * numerator / denominator
