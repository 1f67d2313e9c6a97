"""The Overview's sync jobs: state shown, "Sync now" and Pause/Resume reach the engine."""

from PySide6.QtCore import Qt

from tiktok_console.storage.jobs import record_outcome, set_paused
from tiktok_console.ui.pages.overview import OverviewPage


def test_sync_now_and_pause_reach_the_engine_with_the_job(qtbot, context, engine, settle) -> None:
    engine.names = ["orders", "shopify_variants"]
    record_outcome("orders")
    set_paused("shopify_variants", True)
    page = OverviewPage(context)
    qtbot.addWidget(page)
    page.show()  # the page scrolls: its buttons get a size once shown
    page.refresh()
    settle()
    now, pause = page.jobs.buttons["orders"]
    qtbot.mouseClick(now, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pause, Qt.MouseButton.LeftButton)
    resume = page.jobs.buttons["shopify_variants"][1]
    assert resume.text() == "Resume" and not page.jobs.buttons["shopify_variants"][0].isEnabled()
    qtbot.mouseClick(resume, Qt.MouseButton.LeftButton)
    assert engine.calls == [
        ("nudge", "orders"),
        ("pause", "orders"),
        ("resume", "shopify_variants"),
    ]


def test_no_jobs_section_before_sync_starts(qtbot, context, settle) -> None:
    page = OverviewPage(context)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    settle()
    assert not page.jobs.isVisible() and not page.jobs_title.isVisible()
    assert page.sync_card.value_label.text() == "Idle"


def test_a_job_in_the_middle_of_a_run_says_running(qtbot, context, engine, settle) -> None:
    from tiktok_console.storage.jobs import save_cursor

    engine.names = ["orders", "shopify_variants"]
    record_outcome("orders")
    record_outcome("shopify_variants")
    save_cursor("shopify_variants", "page-2")  # a page of a run that has not ended
    page = OverviewPage(context)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    settle()
    states = {view.name: view.running for view in page.jobs_views()}
    assert states == {"orders": False, "shopify_variants": True}
    assert "running" in page.jobs.state_text("shopify_variants")
    assert "up to date" in page.jobs.state_text("orders")
