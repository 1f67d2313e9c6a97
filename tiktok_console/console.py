"""The running app's collaborators, passed explicitly to whatever needs them."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from tiktok_console.profile import Profile
from tiktok_console.sync.accounts import AccountService
from tiktok_console.sync.engine import Engine

if TYPE_CHECKING:
    from tiktok_console.sandbox.runner import SandboxRunner


@dataclass
class Console:
    """Profile, services and the engine of the running app."""

    profile: Profile
    accounts: AccountService
    http: httpx.AsyncClient
    demo: bool = False
    sandbox: SandboxRunner | None = None
    startup: list[asyncio.Task[Any]] = field(default_factory=list)
    engine: Engine | None = None

    def nudge(self, job: str | None = None) -> None:
        """ "Sync now" for one job or all (nothing when sync is not running)."""
        if self.engine is not None:
            self.engine.nudge(job)
