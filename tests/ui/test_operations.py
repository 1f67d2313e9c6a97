"""Long work runs off the GUI thread, shows progress, can be cancelled and says what changed."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget

from tiktok_console.storage.accounts import load_accounts
from tiktok_console.ui.bridge import Bridge
from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.message_bar import MessageBar
from tiktok_console.ui.operations import IsCancelled, LongWork, Progress, check_cancelled
from tiktok_console.ui.work_progress import WorkProgress


@pytest.fixture
def reporter() -> ErrorReporter:
    return ErrorReporter()


@pytest.fixture
def work(qtbot, reporter: ErrorReporter) -> Iterator[LongWork]:
    runner = LongWork(lambda error, what: reporter.report(error, what))
    yield runner
    runner.shutdown()


def test_a_page_load_reads_the_database_off_the_gui_thread_and_shows_on_it(
    qtbot, profile, work: LongWork
) -> None:
    threads: dict[str, threading.Thread] = {}

    def load() -> int:
        threads["load"] = threading.current_thread()
        return len(load_accounts())  # a real read, on the worker's own connection

    def show(count: int) -> None:
        threads["show"] = threading.current_thread()
        shown.append(count)

    shown: list[int] = []
    work.query("accounts", load, show)
    qtbot.waitUntil(lambda: work.idle)
    assert shown == [0]
    assert threads["load"] is not threading.main_thread()
    assert threads["show"] is threading.main_thread()


def test_progress_reaches_the_status_bar_and_the_finished_sentence_follows(
    qtbot, work: LongWork
) -> None:
    indicator = WorkProgress(work)
    qtbot.addWidget(indicator)
    step = threading.Event()
    seen: list[tuple[int, int, str]] = []

    def import_rows(progress: Progress, _cancelled: IsCancelled) -> int:
        for done in range(3):
            progress(done, 3, f"reading sheet {done + 1}")
            step.wait(5)
            step.clear()
        progress(3, 3, "done")
        return 3

    operation = work.run("importing the settlement", import_rows, finished=lambda n: f"Read {n}.")
    operation.progressed.connect(lambda *args: seen.append(args))
    qtbot.waitUntil(lambda: operation.progress[2] == "reading sheet 1")
    assert indicator.isVisibleTo(indicator.parentWidget() or indicator)
    assert indicator.text.text() == "Reading sheet 1…"
    assert indicator.cancel_button.isVisibleTo(indicator)
    for _ in range(3):
        step.set()
        qtbot.wait(10)
    qtbot.waitUntil(lambda: not operation.running)
    assert operation.outcome == "finished"
    assert seen[0] == (0, 3, "reading sheet 1") and seen[-1] == (3, 3, "done")
    assert indicator.text.text() == "Read 3."
    assert not indicator.bar.isVisibleTo(indicator)


def test_cancel_stops_the_work_and_its_result_is_not_applied(qtbot, work: LongWork) -> None:
    started, steps = threading.Event(), []
    applied: list[object] = []

    def reconcile(progress: Progress, cancelled: IsCancelled) -> str:
        for number in range(1_000):
            started.set()
            check_cancelled(cancelled)
            steps.append(number)
            threading.Event().wait(0.005)
        return "all of it"

    operation = work.run("reconciling", reconcile, done=applied.append, topics={"inventory"})
    changed: list[object] = []
    work.changed.connect(changed.append)
    assert started.wait(5)
    operation.cancel()
    qtbot.waitUntil(lambda: not operation.running)
    assert operation.outcome == "cancelled"
    assert len(steps) < 1_000 and applied == [] and changed == []


def test_an_error_is_reported_on_the_message_bar_not_raised(
    qtbot, work: LongWork, reporter: ErrorReporter
) -> None:
    bar = MessageBar()
    qtbot.addWidget(bar)
    reporter.error_shown.connect(bar.show_message)

    def fails(_progress: Progress, _cancelled: IsCancelled) -> None:
        raise RuntimeError("disk full")

    operation = work.run("saving the buffers", fails, topics={"inventory"})
    work.query("orders", lambda: 1 / 0, lambda _r: None, description="reading the orders")
    qtbot.waitUntil(lambda: work.idle)
    assert operation.outcome == "failed"
    texts = [message.text for message in bar.messages]
    assert any("saving the buffers" in t and "disk full" in t for t in texts)
    assert any("reading the orders" in t and "ZeroDivisionError" in t for t in texts)


def test_an_error_the_page_explains_goes_to_its_handler(qtbot, work: LongWork, reporter) -> None:
    handled: list[BaseException] = []
    shown: list[str] = []
    reporter.error_shown.connect(lambda text, _detail: shown.append(text))

    def bad_buffer(_progress: Progress, _cancelled: IsCancelled) -> None:
        raise ValueError("A buffer is a number or a percentage.")

    work.run("setting a buffer", bad_buffer, on_error=handled.append)
    qtbot.waitUntil(lambda: work.idle)
    assert [str(e) for e in handled] == ["A buffer is a number or a percentage."]
    assert shown == []


def test_the_changed_topics_reach_the_bridge(qtbot, work: LongWork) -> None:
    bridge = Bridge()
    work.changed.connect(bridge.on_event_changed)

    def map_skus(_progress: Progress, _cancelled: IsCancelled) -> list[str]:
        return ["A", "B"]

    with qtbot.waitSignal(bridge.changed, timeout=2_000) as emitted:
        work.run("mapping 2 SKUs", map_skus, topics=lambda released: {"orphans", "orders"})
    assert emitted.args == [frozenset({"orphans", "orders"})]


def test_refreshes_asked_for_during_a_read_coalesce_and_stale_results_are_dropped(
    qtbot, work: LongWork
) -> None:
    release = threading.Event()
    loads: list[int] = []
    shown: list[int] = []

    def load(number: int) -> int:
        loads.append(number)
        if number == 1:
            release.wait(5)  # a slow first read
        return number

    for number in range(1, 5):
        work.query("inventory", lambda n=number: load(n), shown.append)
    release.set()
    qtbot.waitUntil(lambda: work.idle)
    assert loads == [1, 4]  # 2 and 3 were superseded before they started
    assert shown == [4]  # 1 was read for an older request: never shown


def test_a_result_for_a_deleted_page_is_dropped(qtbot, work: LongWork) -> None:
    page = QWidget()
    release = threading.Event()
    shown: list[int] = []
    work.query("page", lambda: release.wait(5) and 1, shown.append, owner=page)
    page.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(page))
    release.set()
    qtbot.waitUntil(lambda: work.idle)
    assert shown == []


def test_shutdown_stops_the_workers(qtbot, reporter) -> None:
    runner = LongWork(lambda error, what: reporter.report(error, what))
    runner.query("accounts", lambda: 1, lambda _r: None)
    qtbot.waitUntil(lambda: runner.idle)
    runner.shutdown()
    assert not any(t.is_alive() for t in threading.enumerate() if t.name.startswith("long-work"))


def test_a_write_that_finished_despite_a_late_cancel_is_announced(qtbot, work: LongWork) -> None:
    started, release = threading.Event(), threading.Event()
    applied: list[str] = []

    def freeze(_progress: Progress, _cancelled: IsCancelled) -> str:
        started.set()
        release.wait(5)  # one short transaction: nothing to stop in the middle
        return "frozen"

    operation = work.run("freezing 2 SKUs", freeze, done=applied.append, topics={"inventory"})
    changed: list[object] = []
    work.changed.connect(changed.append)
    assert started.wait(5)
    operation.cancel()
    release.set()
    qtbot.waitUntil(lambda: not operation.running)
    assert operation.outcome == "finished"
    assert applied == ["frozen"] and changed == [frozenset({"inventory"})]


def test_an_action_without_its_own_sentence_still_says_it_finished(qtbot, work: LongWork) -> None:
    indicator = WorkProgress(work)
    qtbot.addWidget(indicator)
    operation = work.run("freezing 2 SKUs", lambda _p, _c: None)
    qtbot.waitUntil(lambda: not operation.running)
    assert indicator.text.text() == "Finished freezing 2 SKUs."
