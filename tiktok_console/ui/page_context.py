"""What a page is built from: one small context instead of a bag of callables.

Every page takes a ``PageContext`` and reaches the rest of the app through it:
the bridge (to announce what changed), the long-work runner (every read and
write off the GUI thread), the engine (only through ``EngineControl``), the
settings and how to save them, and the error reporter. Pages import the
storage queries and sync actions they use themselves: those are plain
functions, and a test runs them on a real database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from tiktok_console.core.settings import Settings

if TYPE_CHECKING:
    from tiktok_console.ui.accounts_controller import AccountsController
    from tiktok_console.ui.bridge import Bridge
    from tiktok_console.ui.error_reporter import ErrorReporter
    from tiktok_console.ui.operations import LongWork


class EngineControl(Protocol):
    """What pages may ask of the sync engine.

    Every method is callable from the GUI thread, thread-safe, and does nothing
    when sync is not running.
    """

    def job_names(self) -> list[str]:
        """The running jobs' names; [] when sync is not running."""
        ...

    def nudge(self, job: str | None = None) -> None:
        """ "Sync now" for one job or all; an unknown job is ignored."""
        ...

    def pause(self, job: str) -> None:
        """Stop running ``job`` after its current batch."""
        ...

    def resume(self, job: str) -> None:
        """Run ``job`` again."""
        ...


class NoEngine:
    """``EngineControl`` while sync is not running (and in page tests that need no engine)."""

    def job_names(self) -> list[str]:
        return []

    def nudge(self, job: str | None = None) -> None:
        pass

    def pause(self, job: str) -> None:
        pass

    def resume(self, job: str) -> None:
        pass


@dataclass(frozen=True)
class PageContext:
    """Everything a page may use; ``app.py`` builds one for all pages."""

    bridge: Bridge
    work: LongWork
    engine: EngineControl
    settings: Settings
    save_settings: Callable[[], None]
    errors: ErrorReporter
    accounts: AccountsController | None = None  # the Accounts page's sign-ins
    demo: bool = False
