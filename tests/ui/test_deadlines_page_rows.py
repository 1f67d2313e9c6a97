"""The Deadlines page shows an unshipped order once, whatever clocks TikTok gives it.

The sandbox (like TikTok for many orders) sets the auto-cancel time equal to the
ship-by time; the page used to show "Ship the order" and "Ship before TikTok cancels
the order" as two rows for each such order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from pytestqt.qtbot import QtBot

from tests.domain.aftersales_views import T0
from tests.ui.deadline_rows import H, plant_order, plant_return
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.deadline_table import DeadlineColumn
from tiktok_console.ui.pages.deadlines import DeadlinesPage


def test_each_order_is_one_row_saying_what_its_first_clock_does(
    qtbot: QtBot, context: PageContext, settle: Callable[[], None]
) -> None:
    plant_order(T0 + 6 * H, "576000000000000001", auto_cancel=T0 + 6 * H)  # equal clocks
    plant_order(T0 + 3 * H, "576000000000000002", auto_cancel=T0 + 75 * H)  # cancel 3 days on
    plant_order(T0 + 9 * H, "576000000000000003", auto_cancel=T0 + 8 * H)  # cancel first
    plant_return(T0 + 30 * H)
    page = DeadlinesPage(context, clock=lambda: T0)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    settle()

    model = page.model
    rows = [
        {column: model.index(n, column).data() for column in DeadlineColumn}
        for n in range(model.rowCount())
    ]
    orders = [row for row in rows if row[DeadlineColumn.REQUEST] == "—"]
    assert Counter(row[DeadlineColumn.ORDER] for row in orders) == {
        "576000000000000001": 1, "576000000000000002": 1, "576000000000000003": 1,
    }  # fmt: skip
    assert [(row[DeadlineColumn.ORDER], row[DeadlineColumn.AT_ZERO]) for row in orders] == [
        ("576000000000000002",
         "TikTok counts the order late against the shop, and cancels it 3 days later"),
        ("576000000000000001", "TikTok cancels the order and refunds $42.00"),
        ("576000000000000003", "TikTok cancels the order and refunds $42.00"),
    ]  # fmt: skip
    assert len(rows) == 4
