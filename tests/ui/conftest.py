"""UI fixtures: a temporary profile with an open database, services, a page context, a loop."""

import asyncio
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import qasync

from tests.stores.oauth.keyrings import TrackingTokenStore, temporary_token_store
from tiktok_console.app import Console
from tiktok_console.core.logs import SecretRedactor
from tiktok_console.core.paths import AppPaths
from tiktok_console.profile import Profile, open_profile
from tiktok_console.sync.accounts import AccountService
from tiktok_console.ui.bridge import Bridge
from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.operations import LongWork
from tiktok_console.ui.page_context import PageContext


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[Profile]:
    paths = AppPaths.for_profile(tmp_path / "profile").ensure()
    opened = open_profile(paths, SecretRedactor())
    yield opened
    opened.close()


@pytest.fixture
def token_store(profile: Profile) -> Iterator[TrackingTokenStore]:
    """The real keyring where the machine has one (entries removed after), else memory."""
    with temporary_token_store(profile.redactor) as store:
        yield store


@pytest.fixture
def console(profile: Profile, token_store: TrackingTokenStore) -> Console:
    http = httpx.AsyncClient(timeout=10)
    return Console(profile, AccountService(token_store, http), http)


@pytest.fixture
def qt_loop(qapp) -> Iterator[asyncio.AbstractEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


@dataclass
class RecordingEngine:
    """An ``EngineControl`` with the given jobs that records what pages asked of it."""

    names: list[str] = field(default_factory=list)
    calls: list[tuple[str, str | None]] = field(default_factory=list)

    def job_names(self) -> list[str]:
        return list(self.names)

    def nudge(self, job: str | None = None) -> None:
        self.calls.append(("nudge", job))

    def pause(self, job: str) -> None:
        self.calls.append(("pause", job))

    def resume(self, job: str) -> None:
        self.calls.append(("resume", job))


@pytest.fixture
def engine() -> RecordingEngine:
    return RecordingEngine()


@pytest.fixture
def context(qtbot, profile: Profile, engine: RecordingEngine) -> Iterator[PageContext]:
    """What the app gives every page, over the test's real database and a recording engine."""
    reporter = ErrorReporter()
    work = LongWork(lambda error, what: reporter.report(error, what))
    yield PageContext(Bridge(), work, engine, profile.settings, profile.save_settings, reporter)
    work.shutdown()


@pytest.fixture
def settle(qtbot, context: PageContext) -> Callable[[], None]:
    """Wait until the page's reads and actions ran (off the GUI thread) and were shown."""
    return lambda: qtbot.waitUntil(lambda: context.work.idle, timeout=10_000)


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread() -> Iterator[None]:
    """As the app does (ui.gc_guard): no automatic collection during a UI test, where a
    worker thread could free a QObject's cycle off the GUI thread; one collection after."""
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()
