"""The Settings page: what the merchant changes is saved, and the running jobs see it."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tiktok_console.core.settings import load_settings
from tiktok_console.domain.deadlines import parse_thresholds
from tiktok_console.profile import Profile
from tiktok_console.ui.bridge import Bridge
from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.operations import LongWork
from tiktok_console.ui.page_context import NoEngine, PageContext
from tiktok_console.ui.pages.settings import SettingsPage, thresholds_text


def _context(profile: Profile) -> PageContext:
    # Settings need no engine, database or long work: only the settings and how to save.
    reporter = ErrorReporter()
    return PageContext(
        Bridge(), LongWork(reporter.report, workers=0), NoEngine(), profile.settings,
        profile.save_settings, reporter,
    )  # fmt: skip


def _page(qtbot: QtBot, profile: Profile) -> SettingsPage:
    page = SettingsPage(_context(profile))
    qtbot.addWidget(page)
    return page


def test_saved_settings_reach_the_file_and_the_objects_jobs_hold(
    qtbot: QtBot, profile: Profile
) -> None:
    held_by_jobs = (profile.settings.orders, profile.settings.inventory)
    page = _page(qtbot, profile)
    page.include_fbt.setChecked(True)
    page.masked_buyer.setCurrentIndex(page.masked_buyer.findData("placeholder"))
    page.buffer_units.setValue(3)
    page.deactivate_at_zero.setChecked(True)
    page.live_cap.setValue(5)
    page.bad_tracking.setCurrentIndex(page.bad_tracking.findData("warn"))
    page.save_button.click()

    assert "Saved" in page.status.text()
    orders, stock = held_by_jobs  # the same objects, now with the new values
    assert orders.include_fbt and orders.customer == "placeholder"
    assert stock.buffer_units == 3 and stock.deactivate_at_zero
    assert stock.livestream.default_cap == 5
    on_disk = load_settings(profile.paths.settings_file)
    assert on_disk.inventory.buffer_units == 3
    assert on_disk.fulfillment.bad_tracking == "warn"
    assert on_disk.profile_id == profile.settings.profile_id


def test_no_cap_is_saved_as_none_and_defaults_wait_for_save(qtbot: QtBot, profile: Profile) -> None:
    profile.settings.inventory.buffer_units = 7
    page = _page(qtbot, profile)
    assert page.buffer_units.value() == 7
    assert page.live_cap.text() == "No cap"
    page.defaults_button.click()
    assert page.buffer_units.value() == 0
    assert profile.settings.inventory.buffer_units == 7  # not until Save
    page.save_button.click()
    saved = json.loads(profile.paths.settings_file.read_text())
    assert saved["inventory"]["buffer_units"] == 0
    assert saved["inventory"]["livestream"]["default_cap"] is None


def test_a_settings_file_that_cannot_be_written_says_so(qtbot: QtBot, profile: Profile) -> None:
    def refuse() -> None:
        raise PermissionError(13, "Permission denied")

    page = SettingsPage(replace(_context(profile), save_settings=refuse))
    qtbot.addWidget(page)
    page.save_button.click()
    assert page.status.text().startswith("Not saved: the settings file could not be written")


def test_deadline_thresholds_are_typed_as_times_and_saved_as_minutes(
    qtbot: QtBot, profile: Profile
) -> None:
    held_by_notifier = profile.settings.deadlines
    page = _page(qtbot, profile)
    assert page.deadline_thresholds.text() == "24h, 4h, 1h"
    page.deadline_thresholds.setText("48h, 2h, 30m")
    page.notify_deadlines.setChecked(False)
    page.save_button.click()

    assert "Saved" in page.status.text()
    assert held_by_notifier.threshold_minutes == [2880, 120, 30]
    assert not held_by_notifier.notify
    on_disk = load_settings(profile.paths.settings_file)
    assert on_disk.deadlines.threshold_minutes == [2880, 120, 30]

    page.deadline_thresholds.setText("soon")
    page.save_button.click()
    assert page.status.text().startswith("Not saved: not a threshold: 'soon'")
    assert held_by_notifier.threshold_minutes == [2880, 120, 30]


@given(st.lists(st.integers(min_value=1, max_value=7 * 24 * 60), min_size=1, max_size=5))
def test_thresholds_text_reads_back_as_the_same_minutes(minutes: list[int]) -> None:
    spans = parse_thresholds(thresholds_text(minutes))
    assert [int(span.total_seconds() // 60) for span in spans] == sorted(set(minutes), reverse=True)


def test_leaving_with_unsaved_edits_asks_and_cancel_stays(
    qtbot: QtBot, console, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.test_main_window import _window

    window, _ = _window(qtbot, console, dismissed=True)
    settings = window.show_page("settings")
    settings.buffer_units.setValue(7)
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    asked: list[str] = []

    def answer(box: QMessageBox) -> QMessageBox.StandardButton:
        asked.append(box.text())
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "exec", answer)
    assert window.show_page("overview") is settings  # cancelled: still on Settings
    assert settings.buffer_units.value() == 7 and "not saved" in asked[0]
    assert window.show_page("overview").page_id == "overview"  # saved on the way out
    assert console.profile.settings.inventory.buffer_units == 7
    window.show_page("settings")
    assert window.show_page("orders").page_id == "orders"  # nothing unsaved: no question
    assert len(asked) == 2


def test_appearance_applies_at_once_and_is_kept(qtbot: QtBot, profile: Profile, qapp) -> None:
    from PySide6.QtGui import QPalette

    page = _page(qtbot, profile)
    try:
        page.appearance.setCurrentIndex(page.appearance.findData("dark"))
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 64
        assert load_settings(profile.paths.settings_file).theme == "dark"
        assert not page.has_unsaved_changes()
    finally:
        page.appearance.setCurrentIndex(page.appearance.findData("light"))


def test_locations_seen_by_the_stock_sync_can_be_chosen(qtbot: QtBot, profile: Profile) -> None:
    from datetime import UTC, datetime

    from tiktok_console.storage.inventory.tables import ShopifyStockRow

    now = datetime.now(UTC)
    first, second = "gid://shopify/Location/11", "gid://shopify/Location/12"
    for item, locations in (("i1", {first: 3}), ("i2", {first: 1, second: 0})):
        ShopifyStockRow.create(inventory_item_id=item, variant_id=f"v{item}",
                               locations=json.dumps(locations), read_at=now)  # fmt: skip
    reporter = ErrorReporter()
    work = LongWork(reporter.report)
    context = PageContext(Bridge(), work, NoEngine(), profile.settings, profile.save_settings,
                          reporter)  # fmt: skip
    page = SettingsPage(context)
    qtbot.addWidget(page)
    try:
        qtbot.waitUntil(lambda: page.locations.count() == 2)
        assert [page.locations.item(n).text() for n in range(2)] == ["Location 11", "Location 12"]
        assert not page.has_unsaved_changes()  # all ticked = every location, as saved
        page.locations.item(1).setCheckState(Qt.CheckState.Unchecked)
        assert page.has_unsaved_changes()
        page.save_button.click()
        assert profile.settings.inventory.location_ids == ["gid://shopify/Location/11"]
        assert load_settings(profile.paths.settings_file).inventory.location_ids == [
            "gid://shopify/Location/11"
        ]
    finally:
        work.shutdown()
