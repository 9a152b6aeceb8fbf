"""Editing a workbook's zip members in place (truncations, bombs, fake dimensions) for the reader tests."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path


def rewrite_member(path: Path, member: str, change) -> None:
    """Rewrite one zip member through `change(bytes) -> bytes` (a new zip, same order)."""
    src = zipfile.ZipFile(path)
    items = [(info, src.read(info.filename)) for info in src.infolist()]
    src.close()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            dst.writestr(info.filename, change(data) if info.filename == member else data)


def set_dimension(path: Path, ref: str) -> None:
    def change(xml: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), xml)

    rewrite_member(path, "xl/worksheets/sheet1.xml", change)
