"""The Settings page: what the merchant changes is saved, and the running jobs see it."""

from __future__ import annotations

import json
from dataclasses import replace

from pytestqt.qtbot import QtBot

from tiktok_console.core.settings import load_settings
from tiktok_console.profile import Profile
from tiktok_console.ui.bridge import Bridge
from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.operations import LongWork
from tiktok_console.ui.page_context import NoEngine, PageContext
from tiktok_console.ui.pages.settings import SettingsPage


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
