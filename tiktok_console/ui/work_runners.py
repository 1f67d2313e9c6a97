"""The window's two runners of work off the GUI thread, with their failures reported.

``TaskRunner`` runs the UI's own coroutines (sign-in flows); ``LongWork`` runs
page loads and user actions on worker threads, shows their progress in the
status area, announces the topics they change and stops when the window closes.
"""

from __future__ import annotations

from tiktok_console.ui.bridge import Bridge
from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.main_window import MainWindow
from tiktok_console.ui.operations import LongWork
from tiktok_console.ui.tasks import TaskRunner
from tiktok_console.ui.work_progress import WorkProgress


def install_runners(
    window: MainWindow, bridge: Bridge, reporter: ErrorReporter
) -> tuple[TaskRunner, LongWork]:
    """The coroutine runner and the long-work runner of ``window``, reporting to ``reporter``."""
    tasks = TaskRunner(lambda description, error: reporter.report(error, description))
    work = LongWork(lambda error, description: reporter.report(error, description), parent=window)
    work.changed.connect(bridge.on_event_changed)
    window.closing.connect(work.shutdown)
    window.work = work
    window.status_area.addPermanentWidget(WorkProgress(work))
    return tasks, work
