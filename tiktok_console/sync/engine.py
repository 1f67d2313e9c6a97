"""The sync engine: one never-dying loop per job, with pause, resume and "sync now".

A job does one batch per ``run_once`` and says whether it caught up. The
engine runs it again at once while it has more to do, waits its interval (or
a nudge) when caught up, and backs off exponentially on errors, honouring a
store's Retry-After. Errors are logged with context, recorded for the
Activity log, and never end the loop, with one exception: a store that
refuses the console's sign-in stops the jobs that use it (retrying cannot
help) and asks once for a reconnect. Listeners hear what changed, as typed
events, and a job's state only when it changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from tiktok_console.core.errors import ConsoleError
from tiktok_console.domain.accounts import STORE_KINDS, StoreKind
from tiktok_console.storage.accounts import record_call
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.jobs import job_states, record_outcome, set_paused
from tiktok_console.stores.errors import RateLimitedError
from tiktok_console.stores.shopify.throttle import urgent
from tiktok_console.sync.events import (
    Changed,
    ErrorKind,
    Event,
    JobError,
    JobState,
    JobStateChanged,
    Listener,
    ReconnectNeeded,
    Topic,
    ignore,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What one batch did."""

    caught_up: bool = True
    changed: frozenset[str] = frozenset()
    summary: str = ""
    retry_in: float = 0.0  # not caught up, but nothing to do for this long


MAPPINGS = "mappings"  # a topic: a SKU was mapped (orders it blocked may go now)


class Job(Protocol):
    """One (store, resource) job.

    A job may also have ``wakes_on``: topics (e.g. ``MAPPINGS``) whose change by another
    job's batch wakes it at once, and makes ``run_until_caught_up`` run it again; and
    ``shopify_urgent = True``: its Shopify calls go before the other jobs' (orders).
    """

    name: str

    @property
    def interval(self) -> float:
        """Seconds between runs once caught up (read before each wait, so it may change)."""
        ...

    async def run_once(self) -> Outcome:
        """Do one batch; raise on failure."""
        ...


@dataclass
class JobRunner:
    """A job's switches and counters, owned by the engine."""

    job: Job
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    resumed: asyncio.Event = field(default_factory=asyncio.Event)
    failures: int = 0
    runs: int = 0
    caught_up: bool = False
    last_error: str = ""
    retry_after: float = 0.0  # a rate-limited store's own wait
    retry_in: float = 0.0  # the job's own wait before its next batch
    summary: str = ""  # what the last good batch did ("N pulled, N settled")
    error: JobError | None = None  # the last failure, until a batch succeeds
    stopped: bool = False  # a store refused the sign-in: held until a rebuild
    in_batch: bool = False  # a batch is running now (one a stop found in flight, too)
    reported: tuple[JobState, JobError | None, str] | None = None  # last state told
    # Where the job's time goes (benchmarks print it): in batches, waiting for the
    # job's own retry_in (search lag, holds), and backing off after failures.
    busy_seconds: float = 0.0
    wait_seconds: float = 0.0
    backoff_seconds: float = 0.0
    task: asyncio.Task[None] | None = None


class Engine:
    """Runs jobs until stopped.

    Args:
        jobs: the jobs to run.
        listener: hears the engine's events (on the engine's own thread).
        backoff_base: first delay after a failure, doubled per failure.
        backoff_max: the ceiling of that delay.
        stores: which stores each job calls (a job not named calls both); a store
            that refuses the sign-in stops the jobs that call it.
    """

    def __init__(
        self,
        jobs: Iterable[Job],
        listener: Listener = ignore,
        backoff_base: float = 1.0,
        backoff_max: float = 300.0,
        stores: Mapping[str, frozenset[StoreKind]] | None = None,
    ) -> None:
        self._runners = {job.name: JobRunner(job) for job in jobs}
        self._listener = listener
        self._base = backoff_base
        self._max = backoff_max
        self._stores = dict(stores or {})
        self._reconnect_asked: set[StoreKind] = set()
        self._give_up: Callable[[str], str] = lambda _: ""
        paused = {name for name, state in job_states().items() if state.paused}
        for name, runner in self._runners.items():
            if name not in paused:
                runner.resumed.set()

    @property
    def names(self) -> list[str]:
        """The jobs' names."""
        return list(self._runners)

    def runner(self, name: str) -> JobRunner:
        """A job's switches and counters."""
        return self._runners[name]

    def start(self) -> None:
        """Start every job's loop on the running event loop."""
        for runner in self._runners.values():
            if runner.task is None or runner.task.done():
                runner.task = asyncio.create_task(self._loop(runner), name=f"job:{runner.job.name}")

    async def stop(self) -> None:
        """Stop every loop (a batch in flight is cancelled; its transaction rolls back)."""
        tasks = [r.task for r in self._runners.values() if r.task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def nudge(self, name: str | None = None) -> None:
        """ "Sync now": wake one job, or all of them, even during a backoff."""
        for runner in self._selected(name):
            runner.wake.set()

    def pause(self, name: str) -> None:
        """Stop running ``name`` after its current batch (remembered across restarts)."""
        runner = self._runners[name]
        runner.resumed.clear()
        set_paused(name, True)
        self._report(runner, JobState.PAUSED)
        self._notify(Changed(frozenset({Topic.SYNC})))

    def resume(self, name: str) -> None:
        """Run ``name`` again (also a job a refused sign-in stopped: it tries once more)."""
        runner = self._runners[name]
        set_paused(name, False)
        runner.stopped = False
        runner.resumed.set()
        runner.wake.set()
        self._notify(Changed(frozenset({Topic.SYNC})))

    def stores_of(self, name: str) -> frozenset[StoreKind]:
        """The stores job ``name`` calls."""
        return self._stores.get(name, frozenset(STORE_KINDS))

    async def run_until_caught_up(
        self,
        names: Iterable[str] | None = None,
        max_failures: int = 5,
        give_up: Callable[[str], str] | None = None,
    ) -> dict[str, str]:
        """Run the jobs (in order) until each caught up; returns name -> last error ("" = ok).

        For ``sync --once``: a job that keeps failing gives up after ``max_failures``;
        ``give_up(name)``, asked before and after each batch, ends a job at once with
        the reason it returns (a store it needs is down): it did not catch up.
        """
        self._give_up = give_up or (lambda _: "")
        results: dict[str, str] = {}
        todo = list(names or self.names)
        for runner in self._runners.values():
            runner.wake.clear()  # from here on: set when another job's change concerns it
        rounds = 0
        while todo:
            results.update(await self._catch_up(todo, max_failures))
            # A job woken by a later job's change (a mapping that releases orders) runs
            # again, so ``sync --once`` ends only when nothing it did is left waiting.
            woken = [name for name in dict.fromkeys(todo) if self._runners[name].wake.is_set()]
            rounds += 1
            todo = woken if rounds < 5 else []
            for name in todo:
                self._runners[name].wake.clear()
        return results

    async def _catch_up(self, names: list[str], max_failures: int) -> dict[str, str]:
        results: dict[str, str] = {}
        for name in names:
            runner = self._runners[name]
            runner.failures = 0
            runner.wake.clear()
            while True:
                if reason := self._give_up(name):
                    results[name] = reason
                    break
                ran = await self._run_batch(runner)
                if reason := self._give_up(name):  # a store went down during the batch
                    results[name] = reason
                    break
                if ran and runner.caught_up:
                    results[name] = ""
                    break
                if runner.stopped:  # a refused sign-in: retrying cannot help
                    results[name] = runner.last_error
                    break
                if not runner.failures and runner.retry_in:
                    runner.wait_seconds += runner.retry_in
                    await asyncio.sleep(runner.retry_in)
                if runner.failures >= max_failures:
                    results[name] = runner.last_error
                    break
                if runner.failures:
                    runner.backoff_seconds += self._delay(runner)
                    await asyncio.sleep(self._delay(runner))
        return results

    async def _loop(self, runner: JobRunner) -> None:
        while True:
            await runner.resumed.wait()
            runner.wake.clear()  # this batch covers every wake until now; later ones stay
            ok = await self._run_batch(runner)
            if runner.stopped:  # held until resumed by hand or rebuilt after a reconnect
                self._report(runner, JobState.STOPPED)  # told again if a late batch ran
                continue
            if ok and not runner.caught_up:
                started = asyncio.get_running_loop().time()
                await self._sleep(runner, runner.retry_in)  # 0: let others in, then go on
                runner.wait_seconds += asyncio.get_running_loop().time() - started
                continue
            delay = runner.job.interval if ok else self._delay(runner)
            self._report(runner, JobState.IDLE if ok else JobState.BACKING_OFF)
            started = asyncio.get_running_loop().time()
            await self._sleep(runner, delay)
            if not ok:
                runner.backoff_seconds += asyncio.get_running_loop().time() - started

    async def _run_batch(self, runner: JobRunner) -> bool:
        runner.in_batch = True
        try:
            return await self._batch(runner)
        finally:
            runner.in_batch = False

    async def _batch(self, runner: JobRunner) -> bool:
        name = runner.job.name
        self._report(runner, JobState.RUNNING)
        started = asyncio.get_running_loop().time()
        try:
            # A job marked ``shopify_urgent`` (orders) goes before the others at Shopify's
            # shared cost bucket: a burst of orders is not starved by background reads.
            urgency = urgent() if getattr(runner.job, "shopify_urgent", False) else None
            with urgency or contextlib.nullcontext():
                outcome = await runner.job.run_once()
            # Inside the try: a "database is locked" here is a failed batch (run again
            # after a backoff, as batches are idempotent), never the end of the loop.
            record_outcome(name)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a job must never die: record, back off, go on
            runner.busy_seconds += asyncio.get_running_loop().time() - started
            runner.failures += 1
            runner.last_error = _describe(error)
            runner.error = JobError.from_exception(error)
            runner.retry_after = error.retry_after if isinstance(error, RateLimitedError) else 0.0
            self._record_failure(name, error)
            if runner.error.kind is ErrorKind.AUTH and runner.error.store is not None:
                self._stop_store(runner.error.store, runner.error)
            return False
        runner.busy_seconds += asyncio.get_running_loop().time() - started
        runner.runs += 1
        runner.failures = 0
        runner.last_error = ""
        if runner.error is not None:
            runner.error = None
            self._report(runner, JobState.RUNNING)  # running again, and healthy
        runner.caught_up = outcome.caught_up
        runner.retry_in = outcome.retry_in
        runner.summary = outcome.summary
        if outcome.changed:
            self._notify(Changed(outcome.changed))
            for other in self._runners.values():
                if other is not runner and outcome.changed & getattr(other.job, "wakes_on", set()):
                    other.wake.set()
        return True

    def _stop_store(self, store: StoreKind, error: JobError) -> None:
        """Hold every job that calls ``store`` and ask, once, for a reconnect."""
        for runner in self._runners.values():
            if store in self.stores_of(runner.job.name):
                runner.stopped = True
                runner.resumed.clear()
                runner.error = error
                self._report(runner, JobState.STOPPED)
        if store not in self._reconnect_asked:
            self._reconnect_asked.add(store)
            log.warning("%s refused the sign-in; its jobs stop until it is reconnected", store)
            self._notify(ReconnectNeeded(store, error))

    def _report(self, runner: JobRunner, state: JobState) -> None:
        """Tell listeners the job's state, only when it (or its error) changed."""
        summary = runner.summary if state is JobState.IDLE else ""
        report = (state, runner.error, summary)
        if report == runner.reported:
            return
        runner.reported = report
        self._notify(JobStateChanged(runner.job.name, state, runner.error, summary))

    def _notify(self, event: Event) -> None:
        """Tell the listener; a listener that fails is logged and never stops a job."""
        try:
            self._listener(event)
        except Exception:
            log.exception("A listener failed on %s", event)

    def _record_failure(self, name: str, error: Exception) -> None:
        text = _describe(error)
        if isinstance(error, ConsoleError):
            log.warning("Job %s failed: %s (%s)", name, text, error.detail)
        else:
            log.exception("Job %s failed unexpectedly", name, exc_info=error)
        retryable = bool(getattr(error, "retryable", True))
        store = JobError.from_exception(error).store
        try:
            record_outcome(name, text)
            if store is not None and not isinstance(error, RateLimitedError):
                record_call(store, datetime.now(UTC), text)  # the Accounts page shows it
            record_activity(name, "run", text, level="error", detail=getattr(error, "detail", ""),
                            retryable=retryable)  # fmt: skip
        except Exception:  # e.g. the database is locked: the log above keeps the error
            log.exception("Could not record the failure of job %s", name)
        topics = {Topic.ACTIVITY, Topic.SYNC} | ({Topic.ACCOUNTS} if store else set())
        self._notify(Changed(frozenset(topics)))

    def _delay(self, runner: JobRunner) -> float:
        backoff = min(self._max, self._base * (2 ** max(runner.failures - 1, 0)))
        return float(max(backoff, runner.retry_after))

    async def _sleep(self, runner: JobRunner, seconds: float) -> None:
        # A wake set while the batch ran (a nudge, another job's mapping) is kept: the
        # batch may have read past what prompted it, so the job runs again at once.
        # ``_loop`` clears it as the next batch starts.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(runner.wake.wait(), timeout=seconds)

    def _selected(self, name: str | None) -> list[JobRunner]:
        return list(self._runners.values()) if name is None else [self._runners[name]]


def _describe(error: BaseException) -> str:
    if isinstance(error, ConsoleError):
        return error.message
    return f"{type(error).__name__}: {error}"
