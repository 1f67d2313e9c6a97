"""The running app's collaborators, passed explicitly to whatever needs them. No Qt here."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from tiktok_console.profile import Profile
from tiktok_console.sync.accounts import AccountService
from tiktok_console.sync.engine import Engine
from tiktok_console.sync.supervisor import Supervisor

if TYPE_CHECKING:
    from tiktok_console.sandbox.runner import SandboxRunner


@dataclass
class Console:
    """Profile, services and the engine's supervisor of the running app.

    ``http`` is the GUI loop's client (sign-in flows); the engine has its own,
    on its own thread, inside the supervisor.
    """

    profile: Profile
    accounts: AccountService
    http: httpx.AsyncClient
    demo: bool = False
    sandbox: SandboxRunner | None = None
    startup: list[asyncio.Task[Any]] = field(default_factory=list)
    supervisor: Supervisor | None = None

    def __post_init__(self) -> None:
        if self.supervisor is None:
            self.supervisor = Supervisor(self.profile.settings, self.accounts.token_store)

    @property
    def sync(self) -> Supervisor:
        """The engine's owner; pages reach the engine only through its EngineControl methods."""
        assert self.supervisor is not None  # set in __post_init__
        return self.supervisor

    @property
    def engine(self) -> Engine | None:
        """The running engine, for reading its counters (self-test, benchmarks); None if off."""
        return self.sync.engine

    def nudge(self, job: str | None = None) -> None:
        """ "Sync now" for one job or all (nothing when sync is not running)."""
        self.sync.nudge(job)
