"""The Payouts page's charts (QtCharts): payouts over time, fees by type, expected vs settled.

Charts take plain series from ``payouts_data`` and draw them; money is
converted to float only here, for drawing (never for sums).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGridLayout, QWidget

from tiktok_console.ui.pages.payouts_detail import cause_text
from tiktok_console.ui.theme import ACCENT, MUTED, SUCCESS

_MAX_BARS = 30  # the most recent days: more bars than this are unreadable


class PayoutCharts(QWidget):
    """Three charts side by side; ``show_series`` redraws them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.payouts = _view("Payouts over time")
        self.fees = _view("Fees by type")
        self.compare = _view("Expected vs settled")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.payouts, 0, 0, 1, 2)
        grid.addWidget(self.fees, 1, 0)
        grid.addWidget(self.compare, 1, 1)

    def show_series(
        self,
        paid: Sequence[tuple[date, Decimal]],
        fees: dict[str, Decimal],
        compared: Sequence[tuple[date, Decimal, Decimal]],
    ) -> None:
        """Redraw every chart."""
        recent = list(paid)[-_MAX_BARS:]
        _bars(self.payouts.chart(), [d.strftime("%b %d") for d, _ in recent],
              [("Paid", ACCENT, [v for _, v in recent])])  # fmt: skip
        pie = QPieSeries()
        for cause, amount in sorted(fees.items(), key=lambda kv: -kv[1]):
            if amount > 0:
                piece = pie.append(cause_text(cause), float(amount))
                piece.setLabelVisible(True)
        chart = self.fees.chart()
        chart.removeAllSeries()
        chart.addSeries(pie)
        shown = list(compared)[-_MAX_BARS:]
        _bars(self.compare.chart(), [d.strftime("%b %d") for d, _, _ in shown], [
            ("Expected", MUTED, [e for _, e, _ in shown]),
            ("Settled", SUCCESS, [s for _, _, s in shown]),
        ])  # fmt: skip


def _view(title: str) -> QChartView:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setBackgroundVisible(False)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(180)
    return view


def _bars(
    chart: QChart, labels: list[str], sets: Sequence[tuple[str, str, Sequence[Decimal]]]
) -> None:
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)
    series = QBarSeries()
    top = 0.0
    for name, color, values in sets:
        bar = QBarSet(name)
        bar.setColor(QColor(color))
        for value in values:
            bar.append(float(value))
            top = max(top, float(value))
        series.append(bar)
    chart.addSeries(series)
    x = QBarCategoryAxis()
    x.append(labels or [""])
    y = QValueAxis()
    y.setRange(0, top * 1.1 if top > 0 else 1)
    y.setLabelFormat("%.0f")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    chart.legend().setVisible(len(sets) > 1)
