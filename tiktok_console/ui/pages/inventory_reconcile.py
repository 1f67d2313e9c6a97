"""Inventory's "Reconcile now": nudge the reconciliation, wait for its run, say it finished.

The reconciliation is a sync job; the page only asks for a run now and waits
(as long work, off the GUI thread) until the job records a run that ended
after the click, so the merchant reads when it finished, or why it failed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtWidgets import QPushButton, QWidget

from tiktok_console.ui.job_runs import wait_for_run
from tiktok_console.ui.operations import IsCancelled, Progress
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.inventory_columns import TOPICS
from tiktok_console.ui.theme import DANGER, SUCCESS


def start_reconcile(
    context: PageContext,
    owner: QWidget,
    reconcile_button: QPushButton,
    set_notice: Callable[..., None],
) -> None:
    """Run "Reconcile now" for ``owner`` (the Inventory page)."""
    engine = context.engine
    if "inventory_reconcile" not in engine.job_names():
        set_notice("Sync is not running: connect both stores to reconcile.", DANGER)
        return
    since = datetime.now(UTC)
    engine.nudge("inventory_reconcile")
    set_notice("Reconciling every SKU with Shopify; drift found is corrected and logged.")
    reconcile_button.setEnabled(False)

    def reconcile(progress: Progress, cancelled: IsCancelled) -> bool:
        what = "reconciling every SKU with Shopify"
        return wait_for_run("inventory_reconcile", since, progress, cancelled, what)

    def done(finished: bool) -> None:
        reconcile_button.setEnabled(True)
        if finished:
            set_notice("Reconciled every SKU with Shopify: drift found was corrected "
                       "and logged.", SUCCESS)  # fmt: skip

    def failed(error: BaseException) -> None:
        reconcile_button.setEnabled(True)
        set_notice(str(getattr(error, "message", error)), DANGER)

    operation = context.work.run(
        "reconciling every SKU with Shopify", reconcile, done=done, topics=TOPICS,
        finished=lambda ok: "Reconciled every SKU with Shopify." if ok else "",
        on_error=failed, owner=owner,
    )  # fmt: skip
    operation.ended.connect(lambda: reconcile_button.setEnabled(True))
