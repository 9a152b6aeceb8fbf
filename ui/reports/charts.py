"""Dashboard charts: on-time rate per unit against the target, backlog ahead, monthly trend.

Painted here, not with QtCharts: its axes cut a label that does not fit its share of the axis to "…" (every unit's
name at 1280x720, "12/…" for the months) and its bars have no tooltips. These charts fit each label to the room it
has (a unit's name on two lines or shortened at a word, a shorter month), and every bar and point has a tooltip
with its full name and figures.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from tthc_desk.reports import fmt_int, fmt_pct
from tthc_desk.reports.dashboard import BacklogDay, TrendPoint
from tthc_desk.reports.figures import Rate
from tthc_desk.reports.letter import short_unit
from ui.i18n import fmt_date, tr

GOOD, BAD, TARGET = QColor("#2e7d32"), QColor("#c62828"), QColor("#1565c0")
BACKLOG = QColor("#ef6c00")
GRID, AXIS, TEXT = QColor("#e0e0e0"), QColor("#90a4ae"), QColor("#37474f")
PAD = 8  # inside the white panel


@dataclass(frozen=True)
class Hit:
    """Something under the mouse: where it is painted, its tooltip, what a click on it opens (None: nothing)."""

    rect: QRectF
    tip: str
    key: object = None


def wrap_words(text: str, width: float, metrics: QFontMetricsF, lines: int) -> list[str]:
    """`text` on at most `lines` lines of at most `width`, broken between words; what does not fit is left out at a
    word and marked "…" (a single word wider than the line is cut)."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words:  # more than fits: the last line ends at a word with "…"
        last = out[-1].split()
        while len(last) > 1 and metrics.horizontalAdvance(" ".join(last) + "…") > width:
            last.pop()
        out[-1] = " ".join(last) + "…"
    return [
        line
        if metrics.horizontalAdvance(line) <= width
        else metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)
        for line in out
    ]


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round values for a value axis from `low` up to `high` or just above it (the last is the axis' top), at most
    `most` steps."""
    span = max(high - low, 1e-9)
    step = next(
        s * 10**e
        for e in range(math.floor(math.log10(span / most)), 10)
        for s in (1, 2, 5)
        if span / (s * 10**e) <= most
    )
    first = math.ceil(low / step - 1e-9) * step
    return [first + i * step for i in range(math.ceil((high - first) / step - 1e-9) + 1)]


class _Chart(QWidget):
    """A white panel with a bold title over a plot; what `hits` names under the mouse has a tooltip."""

    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self.title = title
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(480, 300)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(200, 100)

    def small(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(8)
        return font

    def plot_area(self) -> QRectF:
        """Under the title, inside the panel."""
        title = QFontMetricsF(self._title_font())
        panel = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        return panel.adjusted(PAD, PAD + title.height() + 6, -PAD, -PAD)

    def hits(self) -> list[Hit]:
        return []

    def hit_at(self, pos: QPointF) -> Hit | None:
        return next((h for h in self.hits() if h.rect.contains(pos)), None)

    def _title_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            hit = self.hit_at(QPointF(event.pos()))
            if hit is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), hit.tip, self, hit.rect.toAlignedRect())
            return True
        return super().event(event)

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        panel = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("white"))
        painter.drawRoundedRect(panel, 6, 6)
        font = self._title_font()
        painter.setFont(font)
        painter.setPen(QColor("black"))
        title = QRectF(
            panel.left() + PAD, panel.top() + PAD, panel.width() - 2 * PAD, QFontMetricsF(font).height()
        )
        painter.drawText(
            title,
            Qt.AlignmentFlag.AlignCenter,
            QFontMetricsF(font).elidedText(self.title, Qt.TextElideMode.ElideRight, title.width()),
        )
        painter.setFont(self.small())
        self.paint_plot(painter)

    def paint_plot(self, painter: QPainter) -> None:
        raise NotImplementedError

    def _value_axis(
        self,
        painter: QPainter,
        ticks: list[float],
        to_pos: Callable[[float], float],
        across: QRectF,
        horizontal: bool,
        fmt: str = "{:.0f}",
    ) -> None:
        """Grid lines at `ticks` across `across` and their numbers: under it (`horizontal`) or on its left."""
        metrics = QFontMetricsF(painter.font())
        for value in ticks:
            at = to_pos(value)
            painter.setPen(QPen(GRID, 1))
            if horizontal:
                painter.drawLine(QPointF(at, across.top()), QPointF(at, across.bottom()))
                box = QRectF(at - 20, across.bottom() + 2, 40, metrics.height())
                align = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
            else:
                painter.drawLine(QPointF(across.left(), at), QPointF(across.right(), at))
                box = QRectF(across.left() - 44, at - metrics.height() / 2, 40, metrics.height())
                align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.setPen(TEXT)
            painter.drawText(box, align, fmt.format(value))


class RateChart(_Chart):
    """Horizontal bars, one per unit (rate on resolved cases) in the report's order, red below the target, with
    the target line; each unit's name on the left of its bar, on two lines or shortened at a word when long."""

    bar_clicked = Signal(object)  # the group key of the clicked bar

    def __init__(self, parent=None) -> None:
        super().__init__(tr("Tỷ lệ giải quyết đúng hạn theo đơn vị (%)"), parent)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.keys: list[object] = []
        self._rows: list[tuple[object, str, Rate]] = []
        self.target = 0.0

    def set_rows(self, rows: list[tuple[object, str, Rate]], target: float) -> None:
        """`rows`: (group key, its full name, its on-time rate on resolved cases), top first."""
        self._rows, self.target = list(rows), target
        self.keys = [k for k, _l, _r in self._rows]
        self.update()

    def _range(self) -> tuple[float, float]:
        lowest = min([r.value for _k, _l, r in self._rows if r.value is not None] + [self.target])
        return max(0.0, 5 * ((lowest - 5) // 5)), 100.0

    def _layout(self) -> tuple[QRectF, float, float, list[list[str]]]:
        """The bars' area, one row's height, the names' width and each name's lines."""
        area = self.plot_area()
        metrics = QFontMetricsF(self.small())
        bars = area.adjusted(0, 0, 0, -(metrics.height() + 4))  # the numbers under the bars
        row = bars.height() / max(len(self._rows), 1)
        names = [short_unit(label) for _k, label, _r in self._rows]
        widest = max([metrics.horizontalAdvance(n) for n in names] + [0])
        width = min(widest + 2, max(90.0, area.width() * 0.42))
        lines = 2 if row >= 2 * metrics.lineSpacing() else 1
        fitted = [wrap_words(n, width, metrics, lines) for n in names]
        return bars.adjusted(width + 8, 0, -6, 0), row, width, fitted

    def label_lines(self) -> list[list[str]]:
        """The names as painted at the present size, top first (tests)."""
        return self._layout()[3]

    def _x(self, bars: QRectF) -> Callable[[float], float]:
        low, high = self._range()
        return lambda v: bars.left() + (min(max(v, low), high) - low) / (high - low) * bars.width()

    def hits(self) -> list[Hit]:
        bars, row, _w, _f = self._layout()
        out = []
        for i, (key, label, rate) in enumerate(self._rows):
            band = QRectF(self.plot_area().left(), bars.top() + i * row, self.plot_area().width(), row)
            out.append(Hit(band, self.tooltip(label, rate), key))
        return out

    def tooltip(self, label: str, rate: Rate) -> str:
        if not rate.denominator:
            figures = tr("Chưa có hồ sơ đã giải quyết trong kỳ.")
        else:
            figures = tr(
                "Giải quyết đúng hạn: {rate} ({n}/{d} hồ sơ đã giải quyết — trước hạn hoặc đúng hạn)",
                rate=rate.text,
                n=fmt_int(rate.numerator),
                d=fmt_int(rate.denominator),
            )
        target = fmt_pct(self.target, 0)
        verdict = (
            ""
            if rate.value is None
            else (
                tr("Đạt chỉ tiêu {target}.", target=target)
                if rate.value >= self.target
                else tr("Dưới chỉ tiêu {target}.", target=target)
            )
        )
        return "\n".join(x for x in (label, figures, verdict, tr("Bấm để xem danh sách hồ sơ.")) if x)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        hit = self.hit_at(event.position()) if event.button() == Qt.MouseButton.LeftButton else None
        if hit is not None:
            self.bar_clicked.emit(hit.key)
        else:
            super().mousePressEvent(event)

    def paint_plot(self, painter: QPainter) -> None:
        if not self._rows:
            return
        bars, row, width, fitted = self._layout()
        x = self._x(bars)
        low, high = self._range()
        self._value_axis(painter, nice_ticks(low, high), x, bars, horizontal=True)
        metrics = QFontMetricsF(painter.font())
        for i, (_key, _label, rate) in enumerate(self._rows):
            top = bars.top() + i * row
            names = QRectF(bars.left() - width - 8, top, width, row)
            painter.setPen(TEXT)
            text_height = len(fitted[i]) * metrics.lineSpacing()
            for n, line in enumerate(fitted[i]):
                painter.drawText(
                    QRectF(
                        names.left(),
                        top + (row - text_height) / 2 + n * metrics.lineSpacing(),
                        width,
                        metrics.lineSpacing(),
                    ),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    line,
                )
            if rate.value is not None:
                height = min(row * 0.72, 22.0)
                painter.fillRect(
                    QRectF(bars.left(), top + (row - height) / 2, x(rate.value) - bars.left(), height),
                    GOOD if rate.value >= self.target else BAD,
                )
        painter.setPen(QPen(AXIS, 1))
        painter.drawLine(bars.topLeft(), bars.bottomLeft())
        painter.setPen(QPen(TARGET, 2, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x(self.target), bars.top()), QPointF(x(self.target), bars.bottom()))


class BacklogChart(_Chart):
    """Open cases already overdue, then due on each working day ahead."""

    def __init__(self, parent=None) -> None:
        super().__init__(tr("Hồ sơ đến hạn trong các ngày làm việc tới"), parent)
        self.days: list[BacklogDay] = []

    def set_days(self, days: list[BacklogDay]) -> None:
        self.days = list(days)
        self.update()

    def _layout(self) -> tuple[QRectF, float, list[list[str]]]:
        """The bars' area, one day's width and each day's label lines (empty: left out for room)."""
        area = self.plot_area()
        metrics = QFontMetricsF(self.small())
        left = max(metrics.horizontalAdvance(f"{t:.0f}") for t in self._ticks()) + 6
        bars = area.adjusted(left, metrics.height() + 2, 0, -(2 * metrics.lineSpacing() + 4))
        slot = bars.width() / max(len(self.days), 1)
        return bars, slot, x_labels([d.label for d in self.days], slot, metrics)

    def _ticks(self) -> list[float]:
        return nice_ticks(0, max([d.cases for d in self.days] + [4]) * 1.15, 5)

    def axis_labels(self) -> list[str]:
        """The day labels as painted at the present size, lines joined by a space (tests)."""
        return [" ".join(lines) for lines in self._layout()[2]]

    def hits(self) -> list[Hit]:
        bars, slot, _l = self._layout()
        out = []
        for i, d in enumerate(self.days):
            when = tr("Đã quá hạn") if d.day is None else tr("Đến hạn ngày {d}", d=fmt_date(d.day))
            out.append(
                Hit(
                    QRectF(bars.left() + i * slot, bars.top(), slot, bars.height()),
                    tr("{when}: {n} hồ sơ đang giải quyết", when=when, n=fmt_int(d.cases)),
                )
            )
        return out

    def paint_plot(self, painter: QPainter) -> None:
        if not self.days:
            return
        bars, slot, labels = self._layout()
        ticks = self._ticks()
        y = lambda v: bars.bottom() - v / ticks[-1] * bars.height()  # noqa: E731
        self._value_axis(painter, ticks, y, bars, horizontal=False)
        metrics = QFontMetricsF(painter.font())
        for i, d in enumerate(self.days):
            width = slot * 0.6
            bar = QRectF(
                bars.left() + i * slot + (slot - width) / 2, y(d.cases), width, bars.bottom() - y(d.cases)
            )
            painter.fillRect(bar, BACKLOG)
            painter.setPen(TEXT)
            if d.cases:
                painter.drawText(
                    QRectF(bar.left() - 10, bar.top() - metrics.height() - 1, width + 20, metrics.height()),
                    Qt.AlignmentFlag.AlignCenter,
                    fmt_int(d.cases),
                )
            _draw_x_label(painter, labels[i], bars.left() + i * slot, slot, bars.bottom() + 3)


class TrendChart(_Chart):
    """On-time rate (on resolved cases) by month, with the target."""

    def __init__(self, parent=None) -> None:
        super().__init__(tr("Tỷ lệ đúng hạn theo tháng (%)"), parent)
        self.points: list[TrendPoint] = []
        self.target = 0.0

    def set_points(self, points: list[TrendPoint], target: float) -> None:
        self.points, self.target = list(points), target
        self.update()

    def _range(self) -> tuple[float, float]:
        low = min([p.rate for p in self.points if p.rate is not None] + [self.target])
        return max(0.0, 5 * ((low - 3) // 5)), 100.0

    def _layout(self) -> tuple[QRectF, float, list[list[str]]]:
        area = self.plot_area()
        metrics = QFontMetricsF(self.small())
        plot = area.adjusted(
            metrics.horizontalAdvance("100") + 6, metrics.height() / 2, 0, -(metrics.lineSpacing() + 4)
        )
        slot = plot.width() / max(len(self.points), 1)
        # "12/25" when it fits, else "T12", else "12": never a month cut to "12/…"
        forms = (
            [f"{p.period.start:%m/%y}" for p in self.points],
            [f"T{p.period.start.month}" for p in self.points],
            [str(p.period.start.month) for p in self.points],
        )
        labels = next(
            (f for f in forms if all(metrics.horizontalAdvance(t) <= slot - 3 for t in f)), forms[-1]
        )
        return plot, slot, x_labels(labels, slot, metrics, lines=1)

    def axis_labels(self) -> list[str]:
        """The month labels as painted at the present size (tests)."""
        return [" ".join(lines) for lines in self._layout()[2]]

    def _y(self, plot: QRectF) -> Callable[[float], float]:
        low, high = self._range()
        return lambda v: plot.bottom() - (v - low) / (high - low) * plot.height()

    def hits(self) -> list[Hit]:
        plot, slot, _l = self._layout()
        out = []
        for i, p in enumerate(self.points):
            figures = (
                tr("chưa có hồ sơ đã giải quyết")
                if p.rate is None
                else tr(
                    "{rate} ({n}/{d} hồ sơ đã giải quyết trước hạn hoặc đúng hạn)",
                    rate=fmt_pct(p.rate),
                    n=fmt_int(p.resolved_in_time),
                    d=fmt_int(p.resolved),
                )
            )
            out.append(
                Hit(
                    QRectF(plot.left() + i * slot, plot.top(), slot, plot.height()),
                    tr("Tháng {month}: {figures}", month=p.label, figures=figures),
                )
            )
        return out

    def paint_plot(self, painter: QPainter) -> None:
        if not self.points:
            return
        plot, slot, labels = self._layout()
        y = self._y(plot)
        low, high = self._range()
        self._value_axis(painter, nice_ticks(low, high, 5), y, plot, horizontal=False)
        centre = [plot.left() + (i + 0.5) * slot for i in range(len(self.points))]
        painter.setPen(QPen(TARGET, 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(centre[0], y(self.target)), QPointF(centre[-1], y(self.target)))
        path, drawn = QPainterPath(), False
        for i, p in enumerate(self.points):  # a month without resolved cases breaks the line
            if p.rate is None:
                drawn = False
                continue
            at = QPointF(centre[i], y(p.rate))
            if drawn:
                path.lineTo(at)
            else:
                path.moveTo(at)
            drawn = True
        painter.setPen(QPen(GOOD, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setBrush(GOOD)
        for i, p in enumerate(self.points):
            if p.rate is not None:
                painter.drawEllipse(QPointF(centre[i], y(p.rate)), 3, 3)
            painter.setPen(TEXT)
            _draw_x_label(painter, labels[i], plot.left() + i * slot, slot, plot.bottom() + 3)
            painter.setPen(QPen(GOOD, 2))


def x_labels(texts: list[str], slot: float, metrics: QFontMetricsF, lines: int = 2) -> list[list[str]]:
    """Labels under `slot`-wide columns: each whole, on up to `lines` lines broken between words; when one does
    not fit, only every second (third…) column is labelled, so that none is cut."""

    def fits(text: str, room: float) -> list[str] | None:
        wrapped = wrap_words(text, room, metrics, lines)
        return wrapped if " ".join(wrapped) == text else None

    for every in range(1, len(texts) + 1):
        room = slot * every - 3
        shown = [fits(t, room) if i % every == 0 else [] for i, t in enumerate(texts)]
        if all(s is not None for s in shown):
            return shown
    return [[] for _t in texts]


def _draw_x_label(painter: QPainter, lines: list[str], left: float, slot: float, top: float) -> None:
    metrics = QFontMetricsF(painter.font())
    for n, line in enumerate(lines):
        width = max(slot, metrics.horizontalAdvance(line) + 2)
        painter.drawText(
            QRectF(left + (slot - width) / 2, top + n * metrics.lineSpacing(), width, metrics.lineSpacing()),
            Qt.AlignmentFlag.AlignCenter,
            line,
        )
