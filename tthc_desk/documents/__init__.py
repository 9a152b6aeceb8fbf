"""Official documents (TT 01/2018/TT-VPCP forms, NĐ 30/2020 layout): plain dataclasses in, PDF bytes out."""

from __future__ import annotations

import os
from pathlib import Path

from tthc_desk.documents.data import (
    ApologyDoc,
    CaseDoc,
    HandOff,
    Letterhead,
    PaperLine,
    RefusalDoc,
    RegisterRow,
    Signer,
    StopNoticeDoc,
    SupplementDoc,
)
from tthc_desk.documents.profiles import (
    DEFAULT_PROFILE,
    FormProfile,
    FormSpec,
    available_profiles,
    get_profile,
)
from tthc_desk.documents.words import date_words, moment_words, place_date
from tthc_desk.files import write_bytes_whole

# The renderers pull in reportlab (about half a second to import): they load on first use, so that the
# dataclasses and date words above are cheap for the window's start-up and the reports.
_LAZY = {
    "render_control_sheet": "control", "render_receipt": "forms", "render_refusal": "forms",
    "render_supplement": "forms", "render_apology": "letters",
    "render_stop_notice": "letters", "render_register": "register",
    "DocFonts": "fonts", "register_fonts": "fonts",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def write_pdf(pdf: bytes, path: str | os.PathLike) -> Path:
    """Write `pdf` to `path` whole or not at all (`written_whole`: a half-written file never replaces a good
    one); return the path."""
    return write_bytes_whole(pdf, path, make_folder=True)


__all__ = [
    "DEFAULT_PROFILE",
    "ApologyDoc",
    "CaseDoc",
    "DocFonts",
    "FormProfile",
    "FormSpec",
    "HandOff",
    "Letterhead",
    "PaperLine",
    "RefusalDoc",
    "RegisterRow",
    "Signer",
    "StopNoticeDoc",
    "SupplementDoc",
    "available_profiles",
    "date_words",
    "get_profile",
    "moment_words",
    "place_date",
    "register_fonts",
    "render_apology",
    "render_control_sheet",
    "render_receipt",
    "render_refusal",
    "render_register",
    "render_stop_notice",
    "render_supplement",
    "write_pdf",
]
