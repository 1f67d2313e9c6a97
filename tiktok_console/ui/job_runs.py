"""Waiting, on a worker thread, for a sync job to finish a run the merchant asked for.

"Reconcile now" nudges the engine, which runs the job on its own schedule;
this watches the job's recorded outcome (``storage.jobs``) so the long-work
operation can say when it finished, or why it failed.
"""

from __future__ import annotations

import threading
from datetime import datetime

from tiktok_console.core.errors import ConsoleError
from tiktok_console.storage.jobs import job_states
from tiktok_console.ui.job_controls import job_title
from tiktok_console.ui.operations import IsCancelled, Progress, check_cancelled

POLL_S = 0.25
GIVE_UP_S = 30 * 60.0  # a run longer than this is left to finish on its own


def wait_for_run(
    job: str, since: datetime, progress: Progress, cancelled: IsCancelled, what: str = ""
) -> bool:
    """Wait until ``job`` records a run that ended after ``since``.

    Returns True when it succeeded, False when waiting was given up.

    Raises:
        ConsoleError: the run failed (with the job's error).
        Cancelled: the merchant cancelled the wait (the run itself goes on).
    """
    progress(0, 0, what or job_title(job))
    waited = 0.0
    while waited < GIVE_UP_S:
        check_cancelled(cancelled)
        state = job_states().get(job)
        if state is not None and state.last_success_at and state.last_success_at >= since:
            return True
        failed_since = state is not None and state.updated_at and state.updated_at >= since
        if state is not None and state.last_error and failed_since:
            raise ConsoleError(f"{job_title(job)} failed: {state.last_error}")
        threading.Event().wait(POLL_S)
        waited += POLL_S
    return False
