"""The Deadlines page over a real database: one queue, live countdowns, filters, snooze, CSV."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.domain.aftersales_views import T0
from tests.ui.deadline_rows import CANCEL_ID, RETURN_ID, SHIP_ORDER, H, plant_all
from tiktok_console.domain.deadlines import DeadlineKind, Urgency
from tiktok_console.storage.aftersales.deadline_queue import active_snoozes
from tiktok_console.sync.aftersales.decisions import SHIPPING_REJECTS_CANCEL
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.deadline_table import DeadlineColumn, countdown
from tiktok_console.ui.pages.deadlines import DeadlinesPage


class Clock:
    """A moment the test moves."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _page(qtbot: QtBot, context: PageContext, clock: Clock) -> DeadlinesPage:
    page = DeadlinesPage(context, clock=clock)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    return page


def _texts(page: DeadlinesPage, column: DeadlineColumn) -> list[str]:
    model = page.model
    return [model.index(n, column).data() for n in range(model.rowCount())]


def test_one_queue_soonest_first_with_what_happens_at_zero(
    qtbot: QtBot, context: PageContext, settle: Callable[[], None]
) -> None:
    now = T0
    plant_all(now)
    page = _page(qtbot, context, Clock(now))
    page.refresh()
    settle()

    assert _texts(page, DeadlineColumn.REQUEST) == [CANCEL_ID, "—", RETURN_ID]
    assert _texts(page, DeadlineColumn.ORDER)[1] == SHIP_ORDER
    assert _texts(page, DeadlineColumn.LEFT) == [
        "2 h 00 min 00 s", "6 h 00 min 00 s", "1 d 6 h 00 min",
    ]  # fmt: skip
    assert _texts(page, DeadlineColumn.AT_ZERO)[2] == "TikTok auto-approves a $24.90 refund"
    assert "3 deadlines, 2 due within 24 h" in page._subtitle.text()


def test_the_countdown_moves_every_second_without_reading_again(
    qtbot: QtBot, context: PageContext, settle: Callable[[], None]
) -> None:
    clock = Clock(T0)
    plant_all(T0)
    page = _page(qtbot, context, clock)
    page.refresh()
    settle()
    rows = page.model.rows
    changed: list[int] = []
    page.model.dataChanged.connect(lambda first, last: changed.append(last.row() - first.row()))

    clock.now = T0 + timedelta(hours=1, minutes=59, seconds=30)
    qtbot.waitUntil(lambda: bool(changed), timeout=2500)  # the page's own one-second timer

    assert page.model.rows == rows and context.work.idle  # no second read
    assert _texts(page, DeadlineColumn.LEFT)[0] == "0 min 30 s"
    tint = page.model.index(0, DeadlineColumn.LEFT).data(Qt.ItemDataRole.BackgroundRole)
    assert tint is not None and 0 < tint.alpha() < 255  # translucent: either theme shows through
    assert page.model.urgency(page.model.row(0)) is Urgency.CRITICAL


def test_filters_and_search_narrow_the_queue(
    qtbot: QtBot, context: PageContext, settle: Callable[[], None]
) -> None:
    plant_all(T0)
    page = _page(qtbot, context, Clock(T0))
    page.refresh()
    settle()

    page.kind_filter.setCurrentIndex(page.kind_filter.findData(DeadlineKind.SHIP_BY))
    assert _texts(page, DeadlineColumn.ORDER) == [SHIP_ORDER]
    page.kind_filter.setCurrentIndex(0)
    page.urgency_filter.setCurrentIndex(page.urgency_filter.findData(Urgency.URGENT))
    assert _texts(page, DeadlineColumn.REQUEST) == [CANCEL_ID]
    page.urgency_filter.setCurrentIndex(page.urgency_filter.findData(Urgency.OVERDUE))
    assert page.model.rowCount() == 0 and page.stack.currentIndex() == 0
    assert page.empty.heading.text() == "Nothing found"
    page.urgency_filter.setCurrentIndex(0)
    page.search.setText(RETURN_ID)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert _texts(page, DeadlineColumn.REQUEST) == [RETURN_ID]


def test_snooze_and_unsnooze_from_the_detail(
    qtbot: QtBot, context: PageContext, settle: Callable[[], None]
) -> None:
    plant_all(T0)
    page = _page(qtbot, context, Clock(T0))
    context.work.changed.connect(lambda topics: page.refresh())  # as the bridge would
    page.refresh()
    settle()
    page.table.selectRow(0)  # the cancellation, due in 2 h
    assert page.approve_button.isEnabled() and page.reject_button.isEnabled()
    assert SHIPPING_REJECTS_CANCEL in page.detail_zero.text()  # shipping it would answer it

    page.snooze_buttons["4h"].click()  # capped at the deadline itself
    settle()
    qtbot.waitUntil(lambda: page.model.row(0).snoozed_until is not None)
    assert active_snoozes(T0) == {page.model.row(0).key: T0 + 2 * H}
    page.urgency_filter.setCurrentIndex(page.urgency_filter.findData("snoozed"))
    assert _texts(page, DeadlineColumn.REQUEST) == [CANCEL_ID]
    page.urgency_filter.setCurrentIndex(0)

    page.table.selectRow(0)
    page.unsnooze_button.click()
    settle()
    qtbot.waitUntil(lambda: page.model.row(0).snoozed_until is None)
    assert active_snoozes(T0) == {}


def test_csv_keeps_ids_as_quoted_text_and_utc_times(
    qtbot: QtBot, context: PageContext, settle: Callable[[], None], tmp_path: Path
) -> None:
    plant_all(T0)
    page = _page(qtbot, context, Clock(T0))
    page.refresh()
    settle()
    path = tmp_path / "deadlines.csv"

    assert page.export_to(path) == 3

    raw = path.read_text(encoding="utf-8-sig")
    assert f'"{CANCEL_ID}"' in raw and f'"{SHIP_ORDER}"' in raw
    rows = list(csv.DictReader(raw.splitlines()))
    assert rows[0]["Request"] == CANCEL_ID and rows[0]["Kind"] == "cancellation_response"
    assert rows[2]["Due"] == "2026-05-05T18:00:00Z" and rows[2]["Amount"] == "24.90"


def test_countdown_words() -> None:
    assert countdown(timedelta(days=2, hours=3, minutes=4)) == "2 d 3 h 04 min"
    assert countdown(timedelta(minutes=5, seconds=7)) == "5 min 07 s"
    assert countdown(timedelta(0)) == "Overdue 0 min"
    assert countdown(-timedelta(hours=3, minutes=12)) == "Overdue 3 h 12 min"
    assert countdown(-timedelta(days=2, hours=1)) == "Overdue 2 d 1 h"


@given(st.integers(min_value=-30 * 86_400, max_value=30 * 86_400))
def test_countdown_says_overdue_exactly_when_time_is_up(seconds: int) -> None:
    text = countdown(timedelta(seconds=seconds))
    assert text.startswith("Overdue") == (seconds <= 0)
    assert text.endswith(" s") == (0 < seconds < 86_400)  # seconds tick only in the last day
