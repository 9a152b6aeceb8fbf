"""Dashboard charts (QtCharts): on-time rate per unit against the target, backlog ahead, monthly trend."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from tthc_desk.reports.dashboard import BacklogDay, TrendPoint
from tthc_desk.reports.letter import short_unit
from ui.i18n import tr

GOOD, BAD, TARGET = QColor("#2e7d32"), QColor("#c62828"), QColor("#1565c0")


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont()
    font.setBold(True)
    chart.setTitleFont(font)
    chart.legend().setVisible(False)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def _small() -> QFont:
    font = QFont()
    font.setPointSizeF(7.5)
    return font


def _clear(chart: QChart) -> None:
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)


class RateChart(QChartView):
    """Horizontal bars, one per unit (rate on resolved cases), red below the target, with the target line."""

    bar_clicked = Signal(object)  # the group key of the clicked bar

    def __init__(self, parent=None) -> None:
        super().__init__(_chart(tr("Tỷ lệ giải quyết đúng hạn theo đơn vị (%)")), parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.keys: list[object] = []

    def set_rows(self, rows: list[tuple[object, str, float | None]], target: float) -> None:
        chart = self.chart()
        _clear(chart)
        rows = list(reversed(rows))  # first unit on top
        self.keys = [k for k, _l, _r in rows]
        good, bad = QBarSet(tr("Đạt")), QBarSet(tr("Chưa đạt"))
        good.setColor(GOOD)
        bad.setColor(BAD)
        for _k, _l, rate in rows:
            value = rate if rate is not None else 0.0
            good.append(value if value >= target else 0.0)
            bad.append(value if value < target else 0.0)
        series = QHorizontalStackedBarSeries()
        series.setBarWidth(0.8)
        series.append(good)
        series.append(bad)
        series.setLabelsVisible(False)
        series.clicked.connect(lambda index, _set: self.bar_clicked.emit(self.keys[index]))
        chart.addSeries(series)
        cats = QBarCategoryAxis()
        cats.append([short_unit(label)[:30] for _k, label, _r in rows])
        small = QFont()
        small.setPointSizeF(7.5)
        cats.setLabelsFont(small)
        lowest = min([r for _k, _l, r in rows if r is not None] + [target])
        values = QValueAxis()
        values.setRange(max(0.0, 5 * int((lowest - 5) // 5)), 100.0)
        values.setLabelFormat("%.0f")
        values.setLabelsFont(small)
        chart.addAxis(cats, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(cats)
        series.attachAxis(values)
        line = QLineSeries()
        line.setName(tr("Chỉ tiêu"))
        line.setPen(QPen(TARGET, 2, Qt.PenStyle.DashLine))
        line.append(QPointF(target, -0.5))
        line.append(QPointF(target, max(0, len(rows) - 0.5)))
        chart.addSeries(line)
        hidden = QValueAxis()
        hidden.setRange(-0.5, max(0.5, len(rows) - 0.5))
        hidden.setVisible(False)
        chart.addAxis(hidden, Qt.AlignmentFlag.AlignRight)
        line.attachAxis(values)
        line.attachAxis(hidden)


class BacklogChart(QChartView):
    """Open cases already overdue, then due on each working day ahead."""

    def __init__(self, parent=None) -> None:
        super().__init__(_chart(tr("Hồ sơ đến hạn trong các ngày làm việc tới")), parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)

    def set_days(self, days: list[BacklogDay]) -> None:
        chart = self.chart()
        _clear(chart)
        bars = QBarSet(tr("Hồ sơ"))
        bars.setColor(QColor("#ef6c00"))
        for d in days:
            bars.append(d.cases)
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        chart.addSeries(series)
        cats = QBarCategoryAxis()
        cats.append([d.label for d in days])
        cats.setLabelsFont(_small())
        values = QValueAxis()
        values.setRange(0, max([d.cases for d in days] + [1]) * 1.15)
        values.applyNiceNumbers()
        values.setLabelFormat("%d")
        chart.addAxis(cats, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(cats)
        series.attachAxis(values)


class TrendChart(QChartView):
    """On-time rate (on resolved cases) by month, with the target."""

    def __init__(self, parent=None) -> None:
        super().__init__(_chart(tr("Tỷ lệ đúng hạn theo tháng (%)")), parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)

    def set_points(self, points: list[TrendPoint], target: float) -> None:
        chart = self.chart()
        _clear(chart)
        line, goal = QLineSeries(), QLineSeries()
        line.setPen(QPen(GOOD, 2))
        line.setPointsVisible(True)
        goal.setPen(QPen(TARGET, 1.5, Qt.PenStyle.DashLine))
        rated = [p.rate for p in points if p.rate is not None]
        for i, p in enumerate(points):
            if p.rate is not None:
                line.append(QPointF(i, p.rate))
            goal.append(QPointF(i, target))
        chart.addSeries(line)
        chart.addSeries(goal)
        cats = QBarCategoryAxis()
        cats.append([f"{p.period.start:%m/%y}" for p in points])
        cats.setLabelsFont(_small())
        values = QValueAxis()
        low = min(rated + [target])
        values.setRange(max(0.0, 5 * int((low - 3) // 5)), 100.0)
        values.setLabelFormat("%.0f")
        chart.addAxis(cats, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        for s in (line, goal):
            s.attachAxis(cats)
            s.attachAxis(values)
