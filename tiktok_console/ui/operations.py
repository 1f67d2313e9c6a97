"""One way to run long work from the UI: off the GUI thread, with progress, cancel and topics.

In the spirit of Anki's ``CollectionOp``/``QueryOp``: the work is a plain
function (no Qt) that runs on one of a few long-lived worker threads, so the
GUI thread never waits on the database or the network. Two shapes:

- ``LongWork.query`` loads what a page shows. Requests carry a key (the page):
  a request made while one with the same key runs is coalesced (only the
  newest waits), and a result that a newer request has superseded is dropped,
  so a page never shows an older read over a newer one.
- ``LongWork.run`` is work the merchant started (map SKUs, freeze, reconcile):
  it reports progress ``(done, total, what)`` that the status area shows, can
  be cancelled, ends by announcing the changed topics (the bridge refreshes
  the views showing them) and, when it has one, a finished message.

Results are applied on the GUI thread; errors go to the error reporter (or to
the caller's handler for errors the page explains itself), never raised into Qt.
peewee keeps one SQLite connection per thread (WAL lets readers run beside the
engine's writer); the workers live as long as the app, so their connections
are reused, and each closes its own when ``shutdown`` stops it.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal

from tiktok_console.ui.thread_relay import ThreadRelay

log = logging.getLogger(__name__)

T = TypeVar("T")

Progress = Callable[[int, int, str], None]  # done, total (0: unknown), what is being done
IsCancelled = Callable[[], bool]
Work = Callable[[Progress, IsCancelled], T]
ReportError = Callable[[BaseException, str], None]  # the error and "while <description>"

WORKERS = 2  # a long user action never holds up every page load
PROGRESS_EVERY_S = 0.05  # progress reaches the UI at most this often (and on the last step)


class Cancelled(Exception):
    """Raised by work that noticed it was cancelled (``check_cancelled`` does it)."""


def check_cancelled(cancelled: IsCancelled) -> None:
    """Raise ``Cancelled`` if the merchant cancelled: call it between steps of the work."""
    if cancelled():
        raise Cancelled


class Operation(QObject):
    """One run of work: its progress, its cancel switch and how it ended.

    Signals:
        progressed(int, int, str): done, total (0 when unknown) and what is being done.
        ended: the operation finished, failed or was cancelled (see ``outcome``).
    """

    progressed = Signal(int, int, str)
    ended = Signal()

    def __init__(self, description: str, user_started: bool) -> None:
        super().__init__()
        self.description = description
        self.user_started = user_started
        self.progress: tuple[int, int, str] = (0, 0, "")
        self.outcome = ""  # "finished", "failed" or "cancelled" once it ended
        self.finished_text = ""  # what to tell the merchant it did
        self.thread_name = ""  # the thread the work ran on
        self._cancel = threading.Event()
        self._last_report = 0.0

    def cancel(self) -> None:
        """Ask the work to stop at its next check (``check_cancelled`` raises there)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """Whether cancel was asked."""
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        """Whether it has not ended yet."""
        return not self.outcome


@dataclass
class _Job:
    """What a worker runs and what the GUI thread does with the outcome."""

    operation: Operation
    work: Callable[[Progress, IsCancelled], Any]
    apply: Callable[[Any], None]
    topics: Callable[[Any], Iterable[str]]
    finished_text: Callable[[Any], str]
    on_error: Callable[[BaseException], None] | None
    owner: QObject | None
    key: str = ""
    generation: int = 0


@dataclass
class _QuerySlot:
    """The page loads of one key: the running one, and the newest request waiting."""

    generation: int = 0
    running: bool = False
    waiting: _Job | None = None


@dataclass
class _Outcome:
    job: _Job
    result: Any = None
    error: BaseException | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class LongWork(QObject):
    """Runs page loads and user actions on worker threads; applies results on the GUI thread.

    Signals:
        started(object): a user-started ``Operation`` began (the progress indicator shows it).
        ended(object): a user-started ``Operation`` ended (its ``outcome`` says how).
        changed(object): the frozenset of topics an operation changed (to the bridge).
    """

    started = Signal(object)
    ended = Signal(object)
    changed = Signal(object)

    def __init__(
        self, report_error: ReportError, workers: int = WORKERS, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._report_error = report_error
        # Workers post here; it reaches the GUI thread queued, never after this is gone.
        self._relay = ThreadRelay(self._on_posted, self)
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._slots: dict[str, _QuerySlot] = {}
        self._active: set[Operation] = set()
        self._closing = threading.Event()
        self._threads = [
            threading.Thread(target=self._serve, name=f"long-work-{n}", daemon=True)
            for n in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    # -- asking ------------------------------------------------------------------

    def query(
        self,
        key: str,
        load: Callable[[], T],
        show: Callable[[T], None],
        *,
        owner: QObject | None = None,
        description: str = "",
    ) -> None:
        """Read what a page shows off the GUI thread, then ``show`` it on the GUI thread.

        Args:
            key: one per page (or pane): requests with the same key coalesce.
            load: the read (no Qt); its result goes to ``show``.
            show: applies the result; skipped when ``owner`` was deleted meanwhile
                or when a newer request with the same key superseded this one.
            owner: the widget the result is for.
            description: completes "Something went wrong while …" if the read fails.
        """
        slot = self._slots.setdefault(key, _QuerySlot())
        slot.generation += 1
        job = _Job(
            Operation(description or f"reading {key}", user_started=False),
            lambda _progress, _cancelled: load(), show, lambda _result: (),
            lambda _result: "", None, owner, key, slot.generation,
        )  # fmt: skip
        if slot.running:
            slot.waiting = job  # only the newest request is worth reading
            return
        self._start_query(slot, job)

    def run(
        self,
        description: str,
        work: Work[T],
        *,
        done: Callable[[T], None] | None = None,
        topics: Iterable[str] | Callable[[T], Iterable[str]] = (),
        finished: str | Callable[[T], str] = "",
        on_error: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
    ) -> Operation:
        """Run work the merchant started; returns its ``Operation`` (progress, cancel).

        Args:
            description: what it does, for the progress indicator and error messages
                ("mapping 3 SKUs").
            work: ``work(progress, cancelled)``, run on a worker thread.
            done: gets the result on the GUI thread (unless cancelled).
            topics: what the work changed (or a function of its result): announced
                through ``changed`` so every view showing them refreshes.
            finished: the sentence that says it finished (or a function of the result).
            on_error: handles an error the page explains itself; the error reporter
                gets it otherwise.
            owner: the widget ``done`` and ``on_error`` belong to; skipped if it is gone.
        """
        fixed = frozenset(topics) if not callable(topics) else None
        text = finished

        def topics_of(result: Any) -> Iterable[str]:
            return fixed if fixed is not None else topics(result)  # type: ignore[operator]

        def text_of(result: Any) -> str:
            return text(result) if callable(text) else text

        operation = Operation(description, user_started=True)
        job = _Job(operation, work, done or (lambda _r: None), topics_of, text_of, on_error, owner)
        self._submit(job)
        self.started.emit(operation)
        return operation

    # -- state -------------------------------------------------------------------

    @property
    def idle(self) -> bool:
        """Whether nothing is running or waiting (tests and the self-test wait for this)."""
        return not self._active and not any(s.running for s in self._slots.values())

    @property
    def operations(self) -> list[Operation]:
        """The operations running now, oldest first."""
        return sorted(self._active, key=id)

    def shutdown(self, timeout: float = 5.0) -> None:
        """Cancel what runs, stop the workers and close their database connections."""
        self._closing.set()  # what still waits in the queue is skipped
        for operation in list(self._active):
            operation.cancel()
        for _thread in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout)

    # -- GUI thread --------------------------------------------------------------

    def _start_query(self, slot: _QuerySlot, job: _Job) -> None:
        slot.running = True
        self._submit(job)

    def _submit(self, job: _Job) -> None:
        self._active.add(job.operation)
        self._queue.put(job)

    def _on_posted(self, posted: _Outcome | tuple[Operation, int, int, str]) -> None:
        if isinstance(posted, _Outcome):
            self._on_delivered(posted)
        else:
            self._on_progressed(*posted)

    def _on_progressed(self, operation: Operation, done: int, total: int, what: str) -> None:
        if operation.running:
            operation.progress = (done, total, what)
            operation.progressed.emit(done, total, what)

    def _on_delivered(self, outcome: _Outcome) -> None:
        job = outcome.job
        operation = job.operation
        self._active.discard(operation)
        current = True
        if job.key:
            slot = self._slots[job.key]
            slot.running = False
            current = job.generation == slot.generation
            if slot.waiting is not None:
                waiting, slot.waiting = slot.waiting, None
                self._start_query(slot, waiting)
        owner_alive = job.owner is None or shiboken6.isValid(job.owner)
        if isinstance(outcome.error, Cancelled):
            # Only work that stopped counts as cancelled: a write that finished
            # despite a late cancel did its change, which is then announced.
            operation.outcome = "cancelled"
        elif outcome.error is not None:
            operation.outcome = "failed"
            if job.on_error is not None and owner_alive:
                job.on_error(outcome.error)
            else:
                self._report_error(outcome.error, operation.description)
        else:
            operation.outcome = "finished"
            try:
                self._finish(job, outcome.result, current and owner_alive)
            except Exception as error:  # a bug in applying the result: shown, not raised
                operation.outcome = "failed"
                self._report_error(error, operation.description)
        operation.ended.emit()
        if operation.user_started:
            self.ended.emit(operation)

    def _finish(self, job: _Job, result: Any, apply: bool) -> None:
        job.operation.finished_text = job.finished_text(result)
        if apply:
            job.apply(result)
        topics = frozenset(job.topics(result))
        if topics:
            self.changed.emit(topics)

    # -- worker threads ----------------------------------------------------------

    def _serve(self) -> None:
        try:
            while (job := self._queue.get()) is not None:
                self._relay_outcome(self._run_one(job))
        finally:
            _close_database_connection()

    def _run_one(self, job: _Job) -> _Outcome:
        operation = job.operation
        operation.thread_name = threading.current_thread().name
        if operation.cancelled or self._closing.is_set():
            return _Outcome(job, error=Cancelled())
        try:
            return _Outcome(
                job, result=job.work(self._reporter(operation), _cancel_check(operation))
            )
        except BaseException as error:  # every failure goes to the GUI thread to be shown
            return _Outcome(job, error=error)

    def _reporter(self, operation: Operation) -> Progress:
        def progress(done: int, total: int, what: str = "") -> None:
            now = time.monotonic()
            if now - operation._last_report < PROGRESS_EVERY_S and done != total:
                return
            operation._last_report = now
            self._relay.post((operation, done, total, what))

        return progress

    def _relay_outcome(self, outcome: _Outcome) -> None:
        self._relay.post(outcome)


def _cancel_check(operation: Operation) -> IsCancelled:
    return lambda: operation.cancelled


def _close_database_connection() -> None:
    """Close this thread's SQLite connection (peewee opens one per thread)."""
    from tiktok_console.storage.database import db

    if db.obj is not None and not db.is_closed():
        db.close()
