"""Official documents (TT 01/2018/TT-VPCP forms, NĐ 30/2020 layout): plain dataclasses in, PDF bytes out."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tthc_desk.documents.control import render_control_sheet
from tthc_desk.documents.data import (
    ApologyDoc,
    CaseDoc,
    HandOff,
    Letterhead,
    PaperLine,
    RefusalDoc,
    RegisterRow,
    Signer,
    SupplementDoc,
)
from tthc_desk.documents.fonts import DocFonts, register_fonts
from tthc_desk.documents.forms import render_receipt, render_refusal, render_supplement
from tthc_desk.documents.letters import render_apology
from tthc_desk.documents.profiles import (
    DEFAULT_PROFILE,
    FormProfile,
    FormSpec,
    available_profiles,
    get_profile,
)
from tthc_desk.documents.register import render_register
from tthc_desk.documents.words import date_words, moment_words, place_date


def write_pdf(pdf: bytes, path: str | os.PathLike) -> Path:
    """Write `pdf` to `path` atomically (a half-written file never replaces a good one); return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".pdf", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pdf)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


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
    "render_supplement",
    "write_pdf",
]
