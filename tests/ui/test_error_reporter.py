"""The one exception hook: whatever fails, and wherever, reaches the message bar once."""

import asyncio
import gc
import logging
import sys
import threading
from collections.abc import Iterator

import pytest

from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.message_bar import MessageBar


@pytest.fixture
def bar(qtbot, qt_loop) -> Iterator[MessageBar]:
    """A message bar fed by a reporter installed as the app installs it."""
    bar = MessageBar()
    qtbot.addWidget(bar)
    reporter = ErrorReporter()
    reporter.error_shown.connect(bar.show_message)
    hooks = sys.excepthook, threading.excepthook
    reporter.install(qt_loop)
    yield bar
    sys.excepthook, threading.excepthook = hooks


def _texts(bar: MessageBar) -> list[str]:
    return [message.text for message in bar.messages]


def test_an_error_in_a_qt_slot_is_shown_once(bar) -> None:
    for _ in range(2):  # Qt hands errors raised in slots to sys.excepthook
        try:
            raise ValueError("the same slot failed")
        except ValueError:
            sys.excepthook(*sys.exc_info())
    assert _texts(bar) == [
        "Something went wrong: ValueError: the same slot failed. "
        "The details are in the log; the console keeps running."
    ]


def test_a_task_whose_error_nobody_awaited_is_shown(bar, qt_loop, caplog) -> None:
    async def fails() -> None:
        raise RuntimeError("lost in the background")

    async def forget_a_task() -> None:
        asyncio.ensure_future(fails())  # noqa: RUF006 - the bug under test: no reference kept
        await asyncio.sleep(0.05)
        gc.collect()  # asyncio reports the lost error when the task is collected
        await asyncio.sleep(0.05)

    with caplog.at_level(logging.ERROR):
        qt_loop.run_until_complete(forget_a_task())
    assert _texts(bar) == [
        "Something went wrong while running a background task: RuntimeError: lost in the "
        "background. The details are in the log; the console keeps running."
    ]
    assert "Task exception was never retrieved" in caplog.text  # kept for the developer


def test_a_failing_loop_callback_is_shown_without_file_paths(bar, qt_loop) -> None:
    async def schedule_a_failing_callback() -> None:
        qt_loop.call_soon(lambda: 1 / 0)
        await asyncio.sleep(0.05)

    qt_loop.run_until_complete(schedule_a_failing_callback())
    [text] = _texts(bar)
    assert text.startswith("Something went wrong while running a background task: ")
    assert "ZeroDivisionError" in text
    assert ".py" not in text and "callback" not in text


def test_an_error_in_a_thread_names_the_thread(bar, qtbot) -> None:
    def fails() -> None:
        raise OSError("disk gone")

    worker = threading.Thread(target=fails, name="export worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(bar.messages))  # the signal crosses to the GUI thread
    assert _texts(bar) == [
        "Something went wrong while running export worker: OSError: disk gone. "
        "The details are in the log; the console keeps running."
    ]
