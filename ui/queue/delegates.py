"""The colour chip: a rounded badge per row ("Quá hạn", "Sắp đến hạn", …), not just a tinted row."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyledItemDelegate

from ui.queue.model import COLOUR_ROLE
from ui.style import chip_colours

PADDING_X, MARGIN_Y = 10, 4


class ColourChipDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option, index) -> None:
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            super().paint(painter, option, index)
            return
        painter.save()
        # rows are selected whole: ask the table's selection. (Not `option.state`: reading it builds PySide's
        # Python enums of QStyle, ~12 ms, on the first paint of the queue.)
        selection = self.parent().selectionModel()
        if selection is not None and selection.isSelected(index):
            painter.fillRect(option.rect, option.palette.highlight())
        bg, fg = chip_colours(index.data(COLOUR_ROLE))
        font = option.font
        font.setBold(True)
        painter.setFont(font)
        width = min(QFontMetrics(font).horizontalAdvance(text) + 2 * PADDING_X, option.rect.width() - 6)
        rect = QRectF(option.rect.left() + 3, option.rect.top() + MARGIN_Y, width,
                      option.rect.height() - 2 * MARGIN_Y)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(bg)
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setPen(fg)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + 2 * PADDING_X + 6, max(hint.height(), 26))


def chip_width(font: QFont, texts: list[str]) -> int:
    """The width of a column whose widest chip shows one of `texts` in `font` (made bold, as painted)."""
    bold = QFont(font)
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    return max(metrics.horizontalAdvance(t) for t in texts) + 2 * PADDING_X + 6
