"""The Overview's sync jobs: state shown, "Sync now" and Pause/Resume call back."""

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from tiktok_console.ui.job_controls import JobView
from tiktok_console.ui.pages.overview import OverviewData, OverviewPage, StoreStatus


def _data(jobs: list[JobView]) -> OverviewData:
    return OverviewData(
        shopify=StoreStatus(True, "Shop"), tiktok=StoreStatus(True, "Shop"), sync_state="Running",
        actions_today=0, errors_today=0, last_activity=None, jobs=jobs,
    )  # fmt: skip


def test_sync_now_and_pause_call_back_with_the_job(qtbot) -> None:
    calls: list[tuple] = []
    jobs = [
        JobView("orders", paused=False, last_success_at=datetime.now(UTC), last_error=""),
        JobView("shopify_variants", paused=True, last_success_at=None, last_error=""),
    ]
    page = OverviewPage(
        lambda: _data(jobs),
        sync_now=lambda name: calls.append(("now", name)),
        toggle_pause=lambda name, paused: calls.append(("pause", name, paused)),
    )
    qtbot.addWidget(page)
    page.show()  # the page scrolls: its buttons get a size once shown
    page.refresh()
    now, pause = page.jobs.buttons["orders"]
    qtbot.mouseClick(now, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pause, Qt.MouseButton.LeftButton)
    resume = page.jobs.buttons["shopify_variants"][1]
    assert resume.text() == "Resume" and not page.jobs.buttons["shopify_variants"][0].isEnabled()
    qtbot.mouseClick(resume, Qt.MouseButton.LeftButton)
    assert calls == [
        ("now", "orders"),
        ("pause", "orders", True),
        ("pause", "shopify_variants", False),
    ]


def test_no_jobs_section_before_sync_starts(qtbot) -> None:
    page = OverviewPage(lambda: _data([]))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assert not page.jobs.isVisible() and not page.jobs_title.isVisible()
