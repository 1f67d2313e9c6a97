"""Background tasks started from the UI keep running and report their failures."""

import asyncio

from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.message_bar import MessageBar
from tiktok_console.ui.tasks import TaskRunner


def test_a_failing_task_reaches_the_message_bar(qtbot, qt_loop) -> None:
    bar = MessageBar()
    qtbot.addWidget(bar)
    reporter = ErrorReporter()
    reporter.error_shown.connect(bar.show_message)
    runner = TaskRunner(lambda name, error: reporter.report(error, name))

    async def fails() -> None:
        await asyncio.sleep(0)
        raise RuntimeError("store went away")

    async def succeeds() -> int:
        await asyncio.sleep(0.01)
        return 42

    async def scenario() -> int:
        bad = runner.spawn(fails(), "pulling orders")
        good = runner.spawn(succeeds(), "pushing stock")
        assert runner.running == 2
        await asyncio.wait([bad, good])
        await asyncio.sleep(0)
        return good.result()

    assert qt_loop.run_until_complete(scenario()) == 42
    assert runner.running == 0
    assert len(bar.messages) == 1
    assert "pulling orders" in bar.messages[0].text and "store went away" in bar.messages[0].text


def test_cancelled_tasks_are_not_errors(qtbot, qt_loop) -> None:
    errors: list[BaseException] = []
    runner = TaskRunner(lambda name, error: errors.append(error))

    async def scenario() -> None:
        task = runner.spawn(asyncio.sleep(10), "waiting")
        await asyncio.sleep(0)
        runner.cancel_all()
        await asyncio.sleep(0)
        assert task.cancelled()

    qt_loop.run_until_complete(scenario())
    assert errors == []


def test_work_whose_caller_shows_the_outcome_goes_to_the_caller_not_the_bar(qtbot, qt_loop) -> None:
    errors: list[str] = []
    outcomes: list[str] = []
    runner = TaskRunner(lambda name, error: errors.append(f"{name}: {error}"))

    async def sign_in() -> None:
        raise PermissionError("the merchant declined")

    def shown_in_dialog(task: asyncio.Task[None]) -> None:
        outcomes.append(str(task.exception()))
        raise ValueError("the dialog was already closed")

    async def scenario() -> None:
        task = runner.spawn(sign_in(), "connecting Shopify", on_done=shown_in_dialog)
        assert runner.running == 1
        await asyncio.wait([task])
        await asyncio.sleep(0)

    qt_loop.run_until_complete(scenario())
    assert runner.running == 0
    assert outcomes == ["the merchant declined"]
    # The caller's own failure is not lost: it goes to the reporter.
    assert errors == ["connecting Shopify: the dialog was already closed"]
