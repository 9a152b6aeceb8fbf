"""The document typeface: an installed Times New Roman, else the bundled Liberation Serif (same metrics)."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from tthc_desk.paths import resource_path

STYLES = ("regular", "bold", "italic", "bold_italic")
_TIMES_FILES = {
    "regular": ("times.ttf", "Times_New_Roman.ttf", "Times New Roman.ttf"),
    "bold": ("timesbd.ttf", "Times_New_Roman_Bold.ttf", "Times New Roman Bold.ttf"),
    "italic": ("timesi.ttf", "Times_New_Roman_Italic.ttf", "Times New Roman Italic.ttf"),
    "bold_italic": ("timesbi.ttf", "Times_New_Roman_Bold_Italic.ttf", "Times New Roman Bold Italic.ttf"),
}
_LIBERATION_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bold_italic": "LiberationSerif-BoldItalic.ttf",
}
_lock = threading.Lock()
_registered: dict[bool, DocFonts] = {}


@dataclass(frozen=True)
class DocFonts:
    """Registered reportlab font names for the four styles, and which typeface they came from."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    source: str  # "Times New Roman" or "Liberation Serif"


def _system_font_dirs() -> list[Path]:
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
    dirs = [Path(windir) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    dirs += [Path("/usr/share/fonts/truetype/msttcorefonts"), Path("/Library/Fonts")]
    return dirs


def find_times_new_roman() -> dict[str, Path] | None:
    """Paths of the four Times New Roman styles if all are installed, else None."""
    found: dict[str, Path] = {}
    for style, names in _TIMES_FILES.items():
        hit = next((d / n for d in _system_font_dirs() for n in names if (d / n).is_file()), None)
        if hit is None:
            return None
        found[style] = hit
    return found


def bundled_liberation() -> dict[str, Path]:
    return {style: resource_path("fonts", name) for style, name in _LIBERATION_FILES.items()}


def register_fonts(prefer_system: bool = True) -> DocFonts:
    """Register the document typeface once per choice and return its font names (thread-safe)."""
    with _lock:
        if prefer_system not in _registered:
            _registered[prefer_system] = _register(prefer_system)
        return _registered[prefer_system]


def _register(prefer_system: bool) -> DocFonts:
    files = find_times_new_roman() if prefer_system else None
    family, source = ("TTHCTimes", "Times New Roman") if files else ("TTHCSerif", "Liberation Serif")
    files = files or bundled_liberation()
    names = {style: f"{family}-{style}" for style in STYLES}
    for style in STYLES:
        pdfmetrics.registerFont(TTFont(names[style], str(files[style])))
    for bold, italic, style in ((0, 0, "regular"), (1, 0, "bold"), (0, 1, "italic"), (1, 1, "bold_italic")):
        addMapping(names["regular"], bold, italic, names[style])
    return DocFonts(**names, source=source)
