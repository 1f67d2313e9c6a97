"""The Overview's "Due in 24 h" card: the count of either store's deadlines, a link to Deadlines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.deadline_rows import H, plant_all, plant_order
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.overview import OverviewPage


def test_due_card_counts_the_next_day_and_opens_deadlines(
    qtbot: QtBot, context: PageContext, settle: Callable[[], None]
) -> None:
    now = datetime.now(UTC)
    plant_all(now)  # due in 2 h and 6 h, and one in 30 h
    plant_order(now - H, order_id="576000000000000999")  # passed
    page = OverviewPage(context)
    qtbot.addWidget(page)
    page.refresh()
    settle()

    assert ">2<" in page.due_card.value_label.text()
    assert "1 overdue" in page.due_card.note_label.text()
    with qtbot.waitSignal(page.navigate_requested) as opened:
        qtbot.mouseClick(page.due_card, Qt.MouseButton.LeftButton)
    assert opened.args == ["deadlines", ""]
