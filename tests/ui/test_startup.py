"""Starting the app as ``tiktok-console`` does: the self-test's verdict, a damaged database."""

import asyncio
import json
import logging
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, qCritical
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.fault_mounts import read_only
from tiktok_console.app import GuiOptions, run_gui
from tiktok_console.core.paths import AppPaths
from tiktok_console.ui.main_window import MainWindow

Start = Callable[..., int]


@pytest.fixture
def start(qapp, monkeypatch) -> Iterator[Start]:
    """Runs the app in this process with the given options; tidies the process up after."""
    monkeypatch.setenv("TIKTOK_CONSOLE_MEMORY_KEYRING", "1")
    hooks = sys.excepthook, threading.excepthook
    yield lambda **options: run_gui(GuiOptions(**options))
    sys.excepthook, threading.excepthook = hooks
    asyncio.set_event_loop(None)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_tiktok_console", False)]:
        root.removeHandler(handler)
        handler.close()


def when_the_window_opens(action: Callable[[MainWindow], None]) -> None:
    """Run ``action`` on the main window once the app's event loop runs."""

    def find() -> None:
        [window] = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        action(window)

    QTimer.singleShot(0, find)


def looked_at_then_closed(look: Callable[[MainWindow], object]) -> list[object]:
    """What ``look`` saw of the main window once it opened; the window is then closed."""
    seen: list[object] = []

    def look_and_close(window: MainWindow) -> None:
        seen.append(look(window))
        window.close()

    when_the_window_opens(look_and_close)
    return seen


def _log(profile: Path) -> str:
    return AppPaths.for_profile(profile).log_file.read_text(encoding="utf-8")


def test_the_self_test_passes_when_nothing_logs_an_error(start, tmp_path: Path) -> None:
    assert start(profile=tmp_path / "profile", self_test=True) == 0


def test_a_qt_error_while_shutting_down_fails_the_self_test(start, tmp_path: Path, capsys) -> None:
    profile = tmp_path / "profile"
    when_the_window_opens(
        lambda window: window.closing.connect(lambda: qCritical("QPainter: broke while closing"))
    )
    assert start(profile=profile, self_test=True) == 1
    assert "QPainter: broke while closing" in capsys.readouterr().err
    assert "ERROR   qt: QPainter: broke while closing" in _log(profile)


@pytest.fixture
def damaged_database(tmp_path: Path) -> tuple[Path, Path, bytes]:
    """A profile whose database file is damaged: the profile, the file, its bytes."""
    profile = tmp_path / "profile"
    path = AppPaths.for_profile(profile).ensure().database
    damaged = b"garbage-garbage!" + bytes(4080)  # not an SQLite header
    path.write_bytes(damaged)
    return profile, path, damaged


def _answer(monkeypatch, answer: QMessageBox.StandardButton) -> list[str]:
    """The merchant's answer to the damaged-database question; returns what was shown."""
    shown: list[str] = []

    def question(parent, title, text, *args) -> QMessageBox.StandardButton:
        shown.append(text)
        return answer

    def execute(box: QMessageBox) -> int:
        shown.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "exec", execute)
    return shown


def test_declining_to_replace_a_damaged_database_leaves_it_and_exits(
    start, damaged_database, monkeypatch
) -> None:
    profile, path, damaged = damaged_database
    shown = _answer(monkeypatch, QMessageBox.StandardButton.No)
    assert start(profile=profile) == 2
    assert "database is damaged" in shown[0] and str(path) in shown[0]
    assert "damaged" in shown[1]  # why the console cannot start
    assert path.read_bytes() == damaged
    assert not list(path.parent.glob("*.corrupt-*"))


def test_agreeing_sets_the_damaged_database_aside_and_opens_the_app(
    start, damaged_database, monkeypatch
) -> None:
    profile, path, damaged = damaged_database
    shown = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    opened = looked_at_then_closed(lambda window: window.current_page().page_id)
    assert start(profile=profile) == 0
    assert len(shown) == 1 and opened == ["welcome"]
    [kept] = path.parent.glob("*.corrupt-*")
    assert kept.read_bytes() == damaged
    assert path.read_bytes()[:16] == b"SQLite format 3\0"


@pytest.mark.parametrize(
    ("saved", "flag", "dark"), [("dark", None, True), ("dark", "light", False)]
)
def test_the_saved_theme_is_used_unless_the_command_line_overrides_it(
    start, tmp_path: Path, saved: str, flag: str | None, dark: bool
) -> None:
    profile = tmp_path / "profile"
    paths = AppPaths.for_profile(profile).ensure()
    paths.settings_file.write_text(json.dumps({"theme": saved}), encoding="utf-8")
    lightness = looked_at_then_closed(
        lambda window: window.palette().color(QPalette.ColorRole.Window).lightness()
    )
    assert start(profile=profile, theme=flag) == 0
    assert (lightness[0] < 64) is dark


# A bad day (issue 14, items 1-2): a read-only profile explains itself in a dialog (the
# packaged app has no console); a settings value that was reset is named in the message bar.


def test_a_read_only_profile_is_explained_in_a_dialog(
    start: Start, tmp_path: Path, monkeypatch, capsys
) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    with read_only(profile):
        assert start(profile=profile) == 2
    assert len(shown) == 1 and str(profile) in shown[0] and "writable" in shown[0]
    assert "Traceback" not in capsys.readouterr().err


def test_a_reset_setting_is_named_in_the_message_bar(start: Start, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    paths = AppPaths.for_profile(profile).ensure()
    paths.settings_file.write_text(json.dumps({"window": {"width": 600}}), encoding="utf-8")
    messages = looked_at_then_closed(lambda window: [m.text for m in window.message_bar.messages])
    assert start(profile=profile) == 0
    [texts] = messages
    assert any("window.width" in text and "600" in text for text in texts), texts
