"""A LongTable that writes plain-text cells straight into the page stream (the register's hot path)."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import escapePDF
from reportlab.platypus import LongTable

from tthc_desk.documents.textfit import text_width


class FastTextTable(LongTable):
    """LongTable whose string cells skip reportlab's per-line text objects.

    Without the optional C accelerator, reportlab spends ~70 µs per drawn line (a text object, float
    formatting, font subset encoding); a 10,000-row register draws ~300,000 lines. Here each line is one
    BT … ET literal and each distinct string is encoded once per document. Flowable cells are drawn by
    LongTable as usual. Only black text in TrueType fonts is supported, which is all the register uses.
    """

    def _drawCell(self, cellval, cellstyle, pos, size) -> None:  # noqa: N802 (reportlab's name)
        if not isinstance(cellval, str):
            return super()._drawCell(cellval, cellstyle, pos, size)
        if not cellval:
            return None
        colpos, rowpos = pos
        colwidth, rowheight = size
        font, fsize, leading = cellstyle.fontname, cellstyle.fontsize, cellstyle.leading
        lines = cellval.split("\n")
        if cellstyle.valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - fsize
        else:
            y = (
                rowpos
                + (cellstyle.bottomPadding + rowheight - cellstyle.topPadding + len(lines) * leading) / 2
                - fsize
            )
        centred = cellstyle.alignment in ("CENTRE", "CENTER")
        out = []
        for line in lines:
            code, width = self._encoded(line, font, fsize)
            if centred:
                x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding - width) / 2
            else:
                x = colpos + cellstyle.leftPadding
            out.append(f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm {code} ET")
            y -= leading
        self.canv.addLiteral("\n".join(out))
        return None

    def _encoded(self, text: str, font_name: str, size: float) -> tuple[str, float]:
        """The text-showing operators for `text` and its width, computed once per document."""
        canv = self.canv
        cache: dict = canv.__dict__.setdefault("_tthc_encoded", {})
        key = (font_name, size, text)
        hit = cache.get(key)
        if hit is None:
            font, doc = pdfmetrics.getFont(font_name), canv._doc
            code = " ".join(
                f"{font.getSubsetInternalName(subset, doc)} {size:g} Tf ({escapePDF(chunk)}) Tj"
                for subset, chunk in font.splitString(text, doc)
            )
            hit = cache[key] = (code, text_width(text, font_name, size))
        return hit
